package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// The library use-cases answer from the cache when it holds a complete
// sync of the connected (or offline) profile: at once, with no request.
// These helpers say whether they could (ok false: ask the server).
// Options the cache cannot honour (date filters, includes, browse
// conditions, unknown sorts) go to the server while online; offline they
// are ignored and the cache answers as best it can.

// isOffline reports whether the open profile is offline.
func (c *Core) isOffline() bool {
	_, off := c.Offline()
	return off
}

// listQuery turns a method's list options into a cache query; ok false
// when the cache cannot answer them exactly.
func listQuery(filter string, exact bool, df client.DateFilter, so client.SortOptions, lo client.ListOptions) (storage.ListQuery, bool) {
	q := storage.ListQuery{Filter: filter, Exact: exact, Offset: lo.Offset, Limit: lo.Limit}
	if q.Limit <= 0 {
		q.Limit = client.MaxPageSize
	}
	field, order, _ := strings.Cut(so.Sort, ",")
	q.Sort = strings.TrimSpace(field)
	q.Desc = strings.EqualFold(strings.TrimSpace(order), "desc")
	return q, df == (client.DateFilter{}) && so.Cond == ""
}

// answer runs a cache query, retrying without its sort when offline and
// the sort is one the cache does not know.
func answer[T any](offline bool, q storage.ListQuery, run func(storage.ListQuery) ([]T, int, error)) ([]T, int, bool, error) {
	items, total, err := run(q)
	if errors.Is(err, storage.ErrUnsupportedSort) {
		if !offline {
			return nil, 0, false, nil
		}
		q.Sort, q.Desc = "", false
		items, total, err = run(q)
	}
	return items, total, true, err
}

func page[T any](items []T, total int, q storage.ListQuery) *client.Page[T] {
	if items == nil {
		items = []T{}
	}
	return &client.Page[T]{Items: items, Total: total, Offset: q.Offset, Limit: q.Limit}
}

func (c *Core) cachedArtists(ctx context.Context, opts *client.ArtistListOptions) (*client.Page[client.Artist], bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	o := copyOpts(opts)
	q, exact := listQuery(o.Filter, o.Exact, o.DateFilter, o.SortOptions, o.ListOptions)
	offline := c.isOffline()
	if (!exact || len(o.Include) > 0 || o.AlbumArtist) && !offline {
		return nil, false, nil
	}
	items, total, ok, err := answer(offline, q, func(q storage.ListQuery) ([]storage.Artist, int, error) { return lib.Artists(ctx, q) })
	if !ok || err != nil {
		return nil, ok, err
	}
	return page(mapAll(items, clientArtist), total, q), true, nil
}

func (c *Core) cachedAlbums(ctx context.Context, opts *client.AlbumListOptions) (*client.Page[client.Album], bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	o := copyOpts(opts)
	q, exact := listQuery(o.Filter, o.Exact, o.DateFilter, o.SortOptions, o.ListOptions)
	offline := c.isOffline()
	if (!exact || len(o.Include) > 0) && !offline {
		return nil, false, nil
	}
	items, total, ok, err := answer(offline, q, func(q storage.ListQuery) ([]storage.Album, int, error) { return lib.Albums(ctx, q) })
	if !ok || err != nil {
		return nil, ok, err
	}
	return page(mapAll(items, clientAlbum), total, q), true, nil
}

func (c *Core) cachedSongs(ctx context.Context, opts *client.SongListOptions) (*client.Page[client.Song], bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	o := copyOpts(opts)
	q, exact := listQuery(o.Filter, o.Exact, o.DateFilter, o.SortOptions, o.ListOptions)
	offline := c.isOffline()
	if !exact && !offline {
		return nil, false, nil
	}
	items, total, ok, err := answer(offline, q, func(q storage.ListQuery) ([]storage.Song, int, error) { return lib.Songs(ctx, q) })
	if !ok || err != nil {
		return nil, ok, err
	}
	return page(mapAll(items, clientSong), total, q), true, nil
}

func (c *Core) cachedGenres(ctx context.Context, opts *client.GenreListOptions) (*client.Page[client.Genre], bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	o := copyOpts(opts)
	q, exact := listQuery(o.Filter, o.Exact, client.DateFilter{}, o.SortOptions, o.ListOptions)
	offline := c.isOffline()
	if !exact && !offline {
		return nil, false, nil
	}
	items, total, ok, err := answer(offline, q, func(q storage.ListQuery) ([]storage.Genre, int, error) { return lib.Genres(ctx, q) })
	if !ok || err != nil {
		return nil, ok, err
	}
	return page(mapAll(items, clientGenre), total, q), true, nil
}

func copyOpts[T any](opts *T) T {
	var o T
	if opts != nil {
		o = *opts
	}
	return o
}

// notCached is the answer for an object the cache lacks: online the
// server is asked (ok false); offline it is an error.
func (c *Core) notCached(typ client.ObjectType, id client.ID, err error) (bool, error) {
	if !errors.Is(err, storage.ErrNotCached) {
		return true, err
	}
	if !c.isOffline() {
		return false, nil
	}
	return true, fmt.Errorf("%s %s: %w", typ, id, storage.ErrNotCached)
}

// cachedOne reads one object by id.
func cachedOne[R, T any](c *Core, ctx context.Context, typ client.ObjectType, id client.ID, get func(*storage.Library, int64) (R, error), conv func(R) T) (*T, bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	n, err := numID(id)
	if err != nil {
		return nil, true, err
	}
	r, err := get(lib, n)
	if err != nil {
		ok, err := c.notCached(typ, id, err)
		return nil, ok, err
	}
	v := conv(r)
	return &v, true, nil
}

func (c *Core) cachedSong(ctx context.Context, id client.ID) (*client.Song, bool, error) {
	return cachedOne(c, ctx, client.TypeSong, id, func(l *storage.Library, n int64) (storage.Song, error) { return l.Song(ctx, n) }, clientSong)
}

func (c *Core) cachedArtist(ctx context.Context, id client.ID) (*client.Artist, bool, error) {
	return cachedOne(c, ctx, client.TypeArtist, id, func(l *storage.Library, n int64) (storage.Artist, error) { return l.Artist(ctx, n) }, clientArtist)
}

func (c *Core) cachedAlbum(ctx context.Context, id client.ID) (*client.Album, []client.Song, bool, error) {
	a, ok, err := cachedOne(c, ctx, client.TypeAlbum, id, func(l *storage.Library, n int64) (storage.Album, error) { return l.Album(ctx, n) }, clientAlbum)
	if !ok || err != nil {
		return nil, nil, ok, err
	}
	songs, err := c.library().AlbumSongs(ctx, refID(id))
	return a, mapAll(songs, clientSong), true, err
}

// cachedChildren reads a list of an object's children (an artist's
// albums, a genre's songs...).
func cachedChildren[R, T any](c *Core, ctx context.Context, id client.ID, get func(*storage.Library, int64) ([]R, error), conv func(R) T) ([]T, bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	n, err := numID(id)
	if err != nil {
		return nil, true, err
	}
	items, err := get(lib, n)
	if err != nil {
		return nil, true, err
	}
	return mapAll(items, conv), true, nil
}

func (c *Core) cachedArtistAlbums(ctx context.Context, id client.ID) ([]client.Album, bool, error) {
	return cachedChildren(c, ctx, id, func(l *storage.Library, n int64) ([]storage.Album, error) { return l.ArtistAlbums(ctx, n) }, clientAlbum)
}

func (c *Core) cachedArtistSongs(ctx context.Context, id client.ID) ([]client.Song, bool, error) {
	return cachedChildren(c, ctx, id, func(l *storage.Library, n int64) ([]storage.Song, error) { return l.ArtistSongs(ctx, n) }, clientSong)
}

func (c *Core) cachedGenreAlbums(ctx context.Context, id client.ID) ([]client.Album, bool, error) {
	return cachedChildren(c, ctx, id, func(l *storage.Library, n int64) ([]storage.Album, error) { return l.GenreAlbums(ctx, n) }, clientAlbum)
}

func (c *Core) cachedGenreArtists(ctx context.Context, id client.ID) ([]client.Artist, bool, error) {
	return cachedChildren(c, ctx, id, func(l *storage.Library, n int64) ([]storage.Artist, error) { return l.GenreArtists(ctx, n) }, clientArtist)
}

func (c *Core) cachedGenreSongs(ctx context.Context, id client.ID, lo client.ListOptions) (*client.Page[client.Song], bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	n, err := numID(id)
	if err != nil {
		return nil, true, err
	}
	limit := lo.Limit
	if limit <= 0 {
		limit = client.MaxPageSize
	}
	songs, total, err := lib.GenreSongs(ctx, n, lo.Offset, limit)
	if err != nil {
		return nil, true, err
	}
	return page(mapAll(songs, clientSong), total, storage.ListQuery{Offset: lo.Offset, Limit: limit}), true, nil
}

// cachedSearch answers Search from the cache's full-text index.
func (c *Core) cachedSearch(ctx context.Context, text string, limit int) (*client.SearchResults, bool, error) {
	lib := c.library()
	if lib == nil {
		return nil, false, nil
	}
	if limit <= 0 {
		limit = 50
	}
	r, err := lib.Search(ctx, text, limit)
	if err != nil {
		return nil, true, err
	}
	res := &client.SearchResults{
		Songs:           mapAll(r.Songs, clientSong),
		Albums:          mapAll(r.Albums, clientAlbum),
		Artists:         mapAll(r.Artists, clientArtist),
		Genres:          mapAll(r.Genres, clientGenre),
		Playlists:       mapAll(r.Playlists, func(p storage.PlaylistEntry) client.Playlist { return clientPlaylist(p.Playlist) }),
		Podcasts:        mapAll(r.Podcasts, func(p storage.PodcastEntry) client.Podcast { return clientPodcast(p.Podcast) }),
		PodcastEpisodes: mapAll(r.Episodes, clientEpisode),
	}
	return res, true, nil
}

// The playlist and podcast reads change often through Ampdesk itself
// (create, add, reorder), so the cache answers them only while offline:
// playlistsFromCache and the others are for the use-cases to call then.

func (c *Core) playlistsFromCache(ctx context.Context) ([]client.Playlist, error) {
	lib := c.library()
	if lib == nil {
		return nil, c.local.notConnected()
	}
	pls, err := lib.Playlists(ctx)
	return mapAll(pls, func(p storage.PlaylistEntry) client.Playlist { return clientPlaylist(p.Playlist) }), err
}

func (c *Core) playlistFromCache(ctx context.Context, id client.ID) (*client.Playlist, []client.Song, error) {
	lib := c.library()
	if lib == nil {
		return nil, nil, c.local.notConnected()
	}
	p, err := lib.Playlist(ctx, string(id))
	if err != nil {
		return nil, nil, fmt.Errorf("playlist %s: %w", id, err)
	}
	if !p.SongsKnown {
		return nil, nil, fmt.Errorf("the songs of playlist %s: %w", id, storage.ErrNotCached)
	}
	songs, pos, err := lib.PlaylistSongs(ctx, string(id))
	if err != nil {
		return nil, nil, err
	}
	out := make([]client.Song, len(songs))
	for i, s := range songs {
		out[i] = clientSong(s)
		out[i].PlaylistTrack = client.Int(pos[i])
	}
	pl := clientPlaylist(p.Playlist)
	return &pl, out, nil
}

func (c *Core) podcastsFromCache(ctx context.Context) ([]client.Podcast, error) {
	lib := c.library()
	if lib == nil {
		return nil, c.local.notConnected()
	}
	pods, err := lib.Podcasts(ctx)
	return mapAll(pods, func(p storage.PodcastEntry) client.Podcast { return clientPodcast(p.Podcast) }), err
}

func (c *Core) episodesFromCache(ctx context.Context, podcast client.ID) ([]client.PodcastEpisode, error) {
	lib := c.library()
	if lib == nil {
		return nil, c.local.notConnected()
	}
	n, err := numID(podcast)
	if err != nil {
		return nil, err
	}
	eps, err := lib.Episodes(ctx, n)
	return mapAll(eps, clientEpisode), err
}

func (c *Core) episodeFromCache(ctx context.Context, id client.ID) (*client.PodcastEpisode, error) {
	lib := c.library()
	if lib == nil {
		return nil, c.local.notConnected()
	}
	n, err := numID(id)
	if err != nil {
		return nil, err
	}
	e, err := lib.Episode(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("episode %s: %w", id, err)
	}
	ce := clientEpisode(e)
	return &ce, nil
}

// rememberUserData records a rating or flag the user just set on the
// server in the cache too.
func (c *Core) rememberUserData(ctx context.Context, typ client.ObjectType, id client.ID, rating *int, flag *bool) {
	lib := c.library()
	if lib == nil {
		return
	}
	var k storage.Kind
	switch typ {
	case client.TypeSong:
		k = storage.KindSong
	case client.TypeAlbum:
		k = storage.KindAlbum
	case client.TypeArtist:
		k = storage.KindArtist
	default:
		return
	}
	n, err := numID(id)
	if err != nil {
		return
	}
	if err := lib.SetUserData(ctx, k, n, rating, flag); err != nil {
		c.log.Warn("library cache: rating or flag not recorded", "err", err)
	}
}
