package core

import (
	"context"
	"iter"
	"strings"

	"github.com/ampdesk/ampdesk/client"
)

// collect gathers every item of an iterator.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// allPages gathers every page of a paged call.
func allPages[T any](ctx context.Context, page func(ctx context.Context, lo client.ListOptions) (*client.Page[T], error)) ([]T, error) {
	var out []T
	lo := client.ListOptions{Limit: client.MaxPageSize}
	for {
		p, err := page(ctx, lo)
		if err != nil {
			return out, err
		}
		out = append(out, p.Items...)
		next, ok := p.Next()
		if !ok || len(p.Items) == 0 {
			return out, nil
		}
		lo.Offset = next
	}
}

// Artists lists the library's artists, one page.
func (c *Core) Artists(ctx context.Context, opts *client.ArtistListOptions) (*client.Page[client.Artist], error) {
	if p, ok, err := c.cachedArtists(ctx, opts); ok {
		return p, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.Artists(ctx, opts)
}

// Albums lists the library's albums, one page.
func (c *Core) Albums(ctx context.Context, opts *client.AlbumListOptions) (*client.Page[client.Album], error) {
	if p, ok, err := c.cachedAlbums(ctx, opts); ok {
		return p, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.Albums(ctx, opts)
}

// Songs lists the library's songs, one page.
func (c *Core) Songs(ctx context.Context, opts *client.SongListOptions) (*client.Page[client.Song], error) {
	if p, ok, err := c.cachedSongs(ctx, opts); ok {
		return p, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.Songs(ctx, opts)
}

// Genres lists the library's genres, one page.
func (c *Core) Genres(ctx context.Context, opts *client.GenreListOptions) (*client.Page[client.Genre], error) {
	if p, ok, err := c.cachedGenres(ctx, opts); ok {
		return p, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.Genres(ctx, opts)
}

// Song returns one song.
func (c *Core) Song(ctx context.Context, id client.ID) (*client.Song, error) {
	if s, ok, err := c.cachedSong(ctx, id); ok {
		return s, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.Song(ctx, id)
}

// Artist returns one artist.
func (c *Core) Artist(ctx context.Context, id client.ID) (*client.Artist, error) {
	if a, ok, err := c.cachedArtist(ctx, id); ok {
		return a, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.Artist(ctx, id, nil)
}

// ArtistAlbums returns every album of an artist.
func (c *Core) ArtistAlbums(ctx context.Context, id client.ID) ([]client.Album, error) {
	if a, ok, err := c.cachedArtistAlbums(ctx, id); ok {
		return a, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Album], error) {
		return api.Library.ArtistAlbums(ctx, id, &client.ArtistAlbumsOptions{ListOptions: lo})
	})
}

// ArtistSongs returns every song of an artist.
func (c *Core) ArtistSongs(ctx context.Context, id client.ID) ([]client.Song, error) {
	if s, ok, err := c.cachedArtistSongs(ctx, id); ok {
		return s, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
		return api.Library.ArtistSongs(ctx, id, &client.ArtistSongsOptions{ListOptions: lo})
	})
}

// SimilarArtists returns artists like this one (may be empty when the
// server has no similarity data).
func (c *Core) SimilarArtists(ctx context.Context, id client.ID, limit int) ([]client.Artist, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Library.SimilarArtists(ctx, id, &client.ListOptions{Limit: limit})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Album returns an album and its songs in disc and track order.
func (c *Core) Album(ctx context.Context, id client.ID) (*client.Album, []client.Song, error) {
	if a, songs, ok, err := c.cachedAlbum(ctx, id); ok {
		return a, songs, err
	}
	api, err := c.api()
	if err != nil {
		return nil, nil, err
	}
	album, err := api.Library.Album(ctx, id, nil)
	if err != nil {
		return nil, nil, err
	}
	songs, err := allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
		return api.Library.AlbumSongs(ctx, id, &client.ChildListOptions{ListOptions: lo})
	})
	return album, songs, err
}

// GenreAlbums, GenreArtists and GenreSongs list a genre's contents.
func (c *Core) GenreAlbums(ctx context.Context, id client.ID) ([]client.Album, error) {
	if a, ok, err := c.cachedGenreAlbums(ctx, id); ok {
		return a, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Album], error) {
		return api.Library.GenreAlbums(ctx, id, &client.ChildListOptions{ListOptions: lo})
	})
}

func (c *Core) GenreArtists(ctx context.Context, id client.ID) ([]client.Artist, error) {
	if a, ok, err := c.cachedGenreArtists(ctx, id); ok {
		return a, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Artist], error) {
		return api.Library.GenreArtists(ctx, id, &client.ChildListOptions{ListOptions: lo})
	})
}

func (c *Core) GenreSongs(ctx context.Context, id client.ID, lo client.ListOptions) (*client.Page[client.Song], error) {
	if p, ok, err := c.cachedGenreSongs(ctx, id, lo); ok {
		return p, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Library.GenreSongs(ctx, id, &client.ChildListOptions{ListOptions: lo})
}

// Search finds songs, albums, artists, playlists and podcasts matching
// text, at most limit of each. When the library cache is synced it
// answers at once from its full-text index (every word must start a word
// of the title, artist, album or genre; case and accents do not matter;
// genres and episodes are found too). Otherwise it asks the server: one
// search_group call on API6 servers, a call per type on older ones.
func (c *Core) Search(ctx context.Context, text string, limit int) (*client.SearchResults, error) {
	if r, ok, err := c.cachedSearch(ctx, text, limit); ok {
		return r, err
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return &client.SearchResults{}, nil
	}
	lo := client.ListOptions{Limit: limit}
	if api.APIMajorVersion() >= 6 {
		return api.Search.Group(ctx, &client.GroupSearch{
			Rules: client.Rules{Rules: []client.Rule{{Field: "title", Operator: client.TextContains, Input: text}}},
			Type:  client.GroupAll, ListOptions: lo,
		})
	}
	var res client.SearchResults
	songs, err := api.Search.Songs(ctx, text, &lo)
	if err != nil {
		return nil, err
	}
	res.Songs = songs.Items
	albums, err := api.Library.Albums(ctx, &client.AlbumListOptions{Filter: text, ListOptions: lo})
	if err != nil {
		return nil, err
	}
	res.Albums = albums.Items
	artists, err := api.Library.Artists(ctx, &client.ArtistListOptions{Filter: text, ListOptions: lo})
	if err != nil {
		return nil, err
	}
	res.Artists = artists.Items
	if pls, err := api.Playlists.List(ctx, &client.PlaylistListOptions{Filter: text, ListOptions: lo}); err == nil {
		res.Playlists = pls.Items
	}
	if pcs, err := api.Podcasts.List(ctx, &client.PodcastListOptions{Filter: text, ListOptions: lo}); err == nil {
		res.Podcasts = pcs.Items
	}
	return &res, nil
}

// AdvancedSearch runs rules over songs.
func (c *Core) AdvancedSearchSongs(ctx context.Context, q *client.AdvancedSearch) (*client.Page[client.Song], error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Search.AdvancedSongs(ctx, q)
}

// Rate sets a rating of 0 (none) to 5 stars.
func (c *Core) Rate(ctx context.Context, typ client.ObjectType, id client.ID, stars int) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	if err := api.Activity.Rate(ctx, typ, id, stars); err != nil {
		return err
	}
	c.rememberUserData(ctx, typ, id, &stars, nil)
	return nil
}

// Flag marks or unmarks a favourite.
func (c *Core) Flag(ctx context.Context, typ client.ObjectType, id client.ID, on bool) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	if err := api.Activity.Flag(ctx, typ, id, on); err != nil {
		return err
	}
	c.rememberUserData(ctx, typ, id, nil, &on)
	return nil
}
