package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
)

// This file holds the cheap listing methods a client uses to keep a local
// copy of a large library in step: index, list, browse, deleted objects.

// IndexOptions are the parameters of Index and IndexTree (API6).
type IndexOptions struct {
	Filter     string `url:"filter,omitempty"`      // name starts with / matches this text
	Exact      bool   `url:"exact,omitempty"`       // Filter is an exact name
	HideSearch bool   `url:"hide_search,omitempty"` // leave smartlists out of playlists
	DateFilter
	SortOptions
	ListOptions
}

// NameListOptions are the parameters of List (API6).
type NameListOptions struct {
	Filter     string `url:"filter,omitempty"`
	HideSearch bool   `url:"hide_search,omitempty"`
	DateFilter
	SortOptions
	ListOptions
}

// BrowseOptions are the parameters of Browse (API6). With no options it
// lists the catalogs (the root).
type BrowseOptions struct {
	Filter  ID         `url:"filter,omitempty"`  // the parent's id
	Type    ObjectType `url:"type,omitempty"`    // "root", TypeCatalog, TypeArtist, TypeAlbum, TypePodcast
	Catalog ID         `url:"catalog,omitempty"` // needed for artist, album and podcast
	DateFilter
	SortOptions
	ListOptions
}

// Index returns the ids of every object of a type (API6), the cheapest way
// to learn what exists. typ is TypeSong, TypeAlbum, TypeArtist,
// TypeAlbumArtist, TypeSongArtist, TypePlaylist, TypePodcast,
// TypePodcastEpisode, TypeShare, TypeLiveStream, TypeCatalog or TypeVideo.
// The server sends no total_count here.
func (s *LibraryService) Index(ctx context.Context, typ ObjectType, opts *IndexOptions) (*Page[ID], error) {
	req, err := s.client.newRequest(ctx, "index", opts)
	if err != nil {
		return nil, err
	}
	return doList[ID](s.client, req.set("type", string(typ)), string(typ))
}

// AllIndex iterates over the ids of every object of a type (API6).
func (s *LibraryService) AllIndex(ctx context.Context, typ ObjectType, opts *IndexOptions) iter.Seq2[ID, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[ID], error) { return s.Index(ctx, typ, o) })
}

// IndexTree returns objects of a type with the ids of their children
// (API6, index with include=1): an artist's albums, an album's or a
// playlist's songs, a podcast's episodes. Types without children come back
// with none.
func (s *LibraryService) IndexTree(ctx context.Context, typ ObjectType, opts *IndexOptions) (*Page[IndexParent], error) {
	req, err := s.client.newRequest(ctx, "index", opts)
	if err != nil {
		return nil, err
	}
	p, err := s.client.call(req.set("type", string(typ)).set("include", "1"))
	if err != nil {
		return nil, err
	}
	page, err := decodeIndexTree(p, string(typ))
	if err != nil {
		return nil, wrapErr(req.action, err)
	}
	page.Offset, page.Limit = req.offset, req.limit
	return page, nil
}

// decodeIndexTree reads {"<type>": {"<parent id>": [{"id", "type"}...]}}
// keeping the server's order of parents, or a plain list of ids.
func decodeIndexTree(p *payload, key string) (*Page[IndexParent], error) {
	obj, err := p.members()
	if err != nil {
		return nil, err
	}
	raw, ok := obj[key]
	if !ok || kind(raw) != '{' {
		ids, err := decodeList[ID](p, key)
		if err != nil {
			return nil, err
		}
		page := &Page[IndexParent]{Total: ids.Total}
		for _, id := range ids.Items {
			page.Items = append(page.Items, IndexParent{ID: id})
		}
		return page, nil
	}
	page := &Page[IndexParent]{Total: -1}
	if t, ok := obj["total_count"]; ok {
		var n Int
		if json.Unmarshal(t, &n) == nil {
			page.Total = int(n)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, decodeError(p.action, key, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeError(p.action, key, err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, &DecodeError{Method: p.action, Field: key, Offset: dec.InputOffset(), Err: errors.New("expected a parent id")}
		}
		var children List[ObjectRef]
		if err := dec.Decode(&children); err != nil {
			return nil, decodeError(p.action, key+"."+name, err)
		}
		page.Items = append(page.Items, IndexParent{ID: ID(name), Children: children})
	}
	return page, nil
}

// List returns the id and name of every object of a type (API6), e.g. to
// fill a long list before the full objects are loaded.
func (s *LibraryService) List(ctx context.Context, typ ObjectType, opts *NameListOptions) (*Page[ListEntry], error) {
	req, err := s.client.newRequest(ctx, "list", opts)
	if err != nil {
		return nil, err
	}
	return doList[ListEntry](s.client, req.set("type", string(typ)), "list")
}

// AllList iterates over List's entries, page by page.
func (s *LibraryService) AllList(ctx context.Context, typ ObjectType, opts *NameListOptions) iter.Seq2[ListEntry, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[ListEntry], error) { return s.List(ctx, typ, o) })
}

// Browse returns one level of the server's folder view (API6): catalogs,
// then a catalog's artists or podcasts, then albums, then songs.
func (s *LibraryService) Browse(ctx context.Context, opts *BrowseOptions) (*BrowseResult, error) {
	req, err := s.client.newRequest(ctx, "browse", opts)
	if err != nil {
		return nil, err
	}
	p, err := s.client.call(req)
	if err != nil {
		return nil, err
	}
	var r BrowseResult
	if err := decodeInto(p, &r); err != nil {
		return nil, wrapErr(req.action, err)
	}
	return &r, nil
}

// DeletedSongs lists songs removed from the server's catalogs (API5+).
func (s *LibraryService) DeletedSongs(ctx context.Context, opts *ListOptions) (*Page[DeletedSong], error) {
	req, err := s.client.newRequest(ctx, "deleted_songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[DeletedSong](s.client, req, "deleted_song", "deleted_songs")
}

// AllDeletedSongs iterates over DeletedSongs, page by page.
func (s *LibraryService) AllDeletedSongs(ctx context.Context, opts *ListOptions) iter.Seq2[DeletedSong, error] {
	o := copyOf(opts)
	return iterate(ctx, o, func(ctx context.Context) (*Page[DeletedSong], error) { return s.DeletedSongs(ctx, o) })
}
