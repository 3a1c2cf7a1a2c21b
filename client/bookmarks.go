package client

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// BookmarksService keeps playback positions on the server, so that every
// device can resume a song or podcast episode where another left it
// (API5+).
type BookmarksService service

// BookmarkListOptions are the parameters of List.
type BookmarkListOptions struct {
	Client  string `url:"client,omitempty"`  // only bookmarks saved by this agent
	Include bool   `url:"include,omitempty"` // embed each bookmarked object
}

// BookmarkOptions are the parameters of Get and ForObject.
type BookmarkOptions struct {
	Include bool `url:"include,omitempty"` // embed the bookmarked object
}

// BookmarkWriteOptions are the optional parameters of Create and Edit.
type BookmarkWriteOptions struct {
	Client  string    `url:"client,omitempty"`    // the agent name to record
	Date    time.Time `url:"date,omitempty,unix"` // when it was set; default now
	Include bool      `url:"include,omitempty"`   // embed the object in the reply
}

// List returns every bookmark the user may manage. The server does not
// page this list.
func (s *BookmarksService) List(ctx context.Context, opts *BookmarkListOptions) (*Page[Bookmark], error) {
	req, err := s.client.newRequest(ctx, "bookmarks", opts)
	if err != nil {
		return nil, err
	}
	return doList[Bookmark](s.client, req, "bookmark")
}

// Get returns a bookmark by its own id (Ampache 6.1+).
func (s *BookmarksService) Get(ctx context.Context, id ID, opts *BookmarkOptions) (*Bookmark, error) {
	req, err := s.client.newRequest(ctx, "bookmark", opts)
	if err != nil {
		return nil, err
	}
	return doOne[Bookmark](s.client, req.set("filter", string(id)), "bookmark")
}

// ForObject returns the most recent bookmark of an object (typ TypeSong,
// TypePodcastEpisode or TypeVideo), or nil when it has none.
func (s *BookmarksService) ForObject(ctx context.Context, object ID, typ ObjectType, opts *BookmarkOptions) (*Bookmark, error) {
	req, err := s.client.newRequest(ctx, "get_bookmark", opts)
	if err != nil {
		return nil, err
	}
	p, err := s.client.call(req.set("filter", string(object)).set("type", string(typ)))
	if err != nil {
		return nil, err
	}
	if isEmptyReply(p, "bookmark") {
		return nil, nil
	}
	bm, err := decodeOne[Bookmark](p, "bookmark")
	return bm, wrapErr(req.action, err)
}

// AllForObject returns every bookmark of an object, one per agent
// (get_bookmark with all=1).
func (s *BookmarksService) AllForObject(ctx context.Context, object ID, typ ObjectType, opts *BookmarkOptions) (*Page[Bookmark], error) {
	req, err := s.client.newRequest(ctx, "get_bookmark", opts)
	if err != nil {
		return nil, err
	}
	return doList[Bookmark](s.client, req.set("filter", string(object)).set("type", string(typ)).set("all", "1"), "bookmark")
}

// Create saves a bookmark at position seconds into an object.
func (s *BookmarksService) Create(ctx context.Context, object ID, typ ObjectType, position int, opts *BookmarkWriteOptions) (*Bookmark, error) {
	req, err := s.client.newRequest(ctx, "bookmark_create", opts)
	if err != nil {
		return nil, err
	}
	req.set("filter", string(object)).set("type", string(typ)).set("position", strconv.Itoa(position))
	return doOne[Bookmark](s.client, req, "bookmark")
}

// Edit moves the bookmark of an object to position seconds. typ may also be
// TypeBookmark, with object a bookmark id.
func (s *BookmarksService) Edit(ctx context.Context, object ID, typ ObjectType, position int, opts *BookmarkWriteOptions) (*Bookmark, error) {
	req, err := s.client.newRequest(ctx, "bookmark_edit", opts)
	if err != nil {
		return nil, err
	}
	req.set("filter", string(object)).set("type", string(typ)).set("position", strconv.Itoa(position))
	return doOne[Bookmark](s.client, req, "bookmark")
}

// Delete deletes the bookmark of an object; client limits it to the
// bookmark saved by that agent ("" for the server's choice).
func (s *BookmarksService) Delete(ctx context.Context, object ID, typ ObjectType, client string) error {
	req, err := s.client.newRequest(ctx, "bookmark_delete", nil)
	if err != nil {
		return err
	}
	req.set("filter", string(object)).set("type", string(typ))
	if client != "" {
		req.set("client", client)
	}
	return doAck(s.client, req)
}

// isEmptyReply reports an "empty" answer: {}, [], {"<key>": []} or
// {"<key>": {}}, which Ampache sends when nothing matches.
func isEmptyReply(p *payload, key string) bool {
	if p.splitTop() != nil {
		return false
	}
	if p.array {
		return len(p.arr) == 0
	}
	onlyEnvelope := true
	for k := range p.obj {
		onlyEnvelope = onlyEnvelope && envelopeKeys[k]
	}
	if onlyEnvelope {
		return true
	}
	inner, ok := unwrapMember(p.obj, []string{key})
	if !ok {
		return false
	}
	switch kind(inner) {
	case '[':
		var l []json.RawMessage
		return json.Unmarshal(inner, &l) == nil && len(l) == 0
	case '{':
		return isEmptyObject(inner)
	}
	return false
}
