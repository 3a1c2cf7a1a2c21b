package core

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// Sync events. A sync publishes SyncProgress as it goes (several a
// second at most; they may be dropped for a slow subscriber) and one
// SyncDone at its end.
type (
	// SyncProgress: Done of Total objects are written (Total 0: not
	// known, as in an incremental sync); Phase names what was written
	// last: "artists", "albums", "songs", "genres", "deleted",
	// "indexes", "playlists", "podcasts".
	SyncProgress struct {
		Phase       string
		Done, Total int
		Full        bool
	}
	// SyncDone: a sync ended; Err is nil when it succeeded.
	SyncDone struct {
		SyncResult
		Err error
	}
)

func (SyncProgress) event()       {}
func (SyncProgress) lowPriority() {}
func (SyncDone) event()           {}

// SyncOptions choose how Sync works.
type SyncOptions struct {
	// Full fetches the whole library even when an incremental sync could
	// do (a first sync is always full).
	Full bool
	// PageSize is the number of objects a request asks for; 0 is the
	// largest the server serves (client.MaxPageSize).
	PageSize int
}

// SyncResult says what a sync did. Added, Updated and Deleted count
// objects of every kind (artists, albums, songs, genres, playlists,
// podcasts, episodes); an object rewritten with the same values is not
// counted.
type SyncResult struct {
	Full                    bool
	Added, Updated, Deleted int
	Duration                time.Duration
	Counts                  storage.Counts // in the cache afterwards
}

// syncCall is a sync in progress that concurrent callers share.
type syncCall struct {
	done chan struct{}
	full bool
	res  SyncResult
	err  error
}

// Sync brings the library cache of the live connection up to date with
// the server: a full sync the first time (pages of 5000, at most 3
// requests at a time, each page written in one transaction), then
// incremental ones (what was added, updated and deleted since the last
// sync). It runs on the caller's goroutine — a face calls it from its
// own — and publishes SyncProgress and SyncDone. While a sync runs, other
// callers wait for it and share its result (a Full request after an
// incremental one runs another). Offline it fails with ErrOffline; when
// it finds the server unreachable and the library is synced, the profile
// goes offline (see Offline) and core reconnects in the background.
func (c *Core) Sync(ctx context.Context, opts SyncOptions) (SyncResult, error) {
	s := &c.local
	for {
		s.syncMu.Lock()
		if call := s.running; call != nil {
			s.syncMu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				return SyncResult{}, ctx.Err()
			}
			if opts.Full && !call.full {
				continue
			}
			return call.res, call.err
		}
		call := &syncCall{done: make(chan struct{}), full: opts.Full}
		s.running = call
		s.syncMu.Unlock()

		call.res, call.err = c.runSync(ctx, opts)
		call.full = call.res.Full
		s.syncMu.Lock()
		s.running = nil
		s.syncMu.Unlock()
		close(call.done)
		return call.res, call.err
	}
}

func (c *Core) runSync(ctx context.Context, opts SyncOptions) (res SyncResult, err error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(c.local.background(), cancel) // Close ends a sync
	defer stop()
	defer func() {
		res.Duration = time.Since(start)
		c.publish(SyncDone{SyncResult: res, Err: err})
	}()

	c.mu.Lock()
	cn := c.conn
	c.mu.Unlock()
	if cn == nil {
		return res, c.local.notConnected()
	}
	lib, err := c.cacheOpen(cn.profile)
	if err != nil {
		return res, err
	}
	size := opts.PageSize
	if size <= 0 || size > client.MaxPageSize {
		size = client.MaxPageSize
	}
	sy := &syncer{c: c, api: cn.client, lib: lib, info: cn.info, size: size, sem: make(chan struct{}, maxSyncRequests)}
	res, err = sy.run(ctx, opts.Full)
	if err != nil {
		c.lostServer(ctx, err)
		return res, fmt.Errorf("sync: %w", err)
	}
	return res, nil
}

// syncer is one sync's state.
type syncer struct {
	c    *Core
	api  *client.Client
	lib  *storage.Library
	info ServerInfo
	size int
	sem  chan struct{}
	full bool

	w *storage.Writer
	// Written by the writer goroutine only (read after pipeline.wait).
	changed, deleted int
	done, total      int
	seen             map[storage.Kind]map[int64]struct{}
	lastProgress     time.Time
}

func (sy *syncer) run(ctx context.Context, full bool) (SyncResult, error) {
	st, err := sy.lib.SyncState(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	ping, err := sy.api.Ping(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	// The next sync asks for what changed from the server's latest
	// change time as of now on (the server's clock, not ours).
	since := latest(ping.Update.Time, ping.Add.Time, ping.Clean.Time)
	sy.full = full || !st.Complete || st.Since.IsZero() || !sameServer(st, sy.info)
	before, err := sy.lib.Counts(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	if sy.w, err = sy.lib.Writer(ctx, true); err != nil {
		return SyncResult{}, err
	}
	defer sy.w.Close()
	sy.seen = map[storage.Kind]map[int64]struct{}{}
	if sy.full {
		sy.total = int(ping.Artists + ping.Albums + ping.Songs + ping.Genres + ping.PlaylistsSearches + ping.Podcasts + ping.PodcastEpisodes)
		var bulk bool
		if bulk, err = sy.w.BeginBulk(ctx); err != nil {
			return SyncResult{}, err
		}
		err = sy.fullSync(ctx, bulk)
	} else {
		err = sy.incremental(ctx, st.Since, ping)
	}
	if err != nil {
		return SyncResult{Full: sy.full}, err
	}
	if err := sy.w.RecountTouched(ctx); err != nil {
		return SyncResult{}, err
	}
	after, err := sy.lib.Counts(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	res := SyncResult{Full: sy.full, Deleted: sy.deleted, Counts: after}
	res.Added = max(0, countAll(after)-countAll(before)+sy.deleted)
	res.Updated = max(0, sy.changed-res.Added)
	now := time.Now().UTC()
	newState := storage.SyncState{Server: sy.info.URL, User: sy.info.User, Complete: true, Since: since,
		LastSync: now, LastFull: st.LastFull}
	if sy.full {
		newState.LastFull = now
	}
	if err := sy.lib.SetSyncState(ctx, newState); err != nil {
		return res, err
	}
	sy.c.setSyncState(sy.lib, newState)
	return res, nil
}

func countAll(c storage.Counts) int {
	return c.Artists + c.Albums + c.Songs + c.Genres + c.Playlists + c.Podcasts + c.Episodes
}

func latest(ts ...time.Time) time.Time {
	var t time.Time
	for _, x := range ts {
		if x.After(t) {
			t = x
		}
	}
	return t
}

// setSyncState records a cache's new state (the cache serves reads from
// then on when it is complete).
func (c *Core) setSyncState(lib *storage.Library, st storage.SyncState) {
	c.local.mu.Lock()
	defer c.local.mu.Unlock()
	if c.local.lib == lib {
		c.local.state = st
	}
}

// progress publishes a SyncProgress, at most every 100 ms unless forced.
func (sy *syncer) progress(phase string, force bool) {
	now := time.Now()
	if !force && now.Sub(sy.lastProgress) < 100*time.Millisecond {
		return
	}
	sy.lastProgress = now
	sy.c.publish(SyncProgress{Phase: phase, Done: sy.done, Total: max(sy.total, sy.done), Full: sy.full})
}

// wrote accounts for a write in the writer goroutine.
func (sy *syncer) wrote(phase string, k storage.Kind, ids []int64, changed int) {
	sy.changed += changed
	sy.done += len(ids)
	set := sy.seen[k]
	if set == nil {
		set = map[int64]struct{}{}
		sy.seen[k] = set
	}
	for _, id := range ids {
		set[id] = struct{}{}
	}
	sy.progress(phase, false)
}

// The fetchers of each kind: every page of a list (with a date filter in
// an incremental sync), converted in the fetching goroutine and written
// by the writer.

// byID asks for objects in id order (API6; older servers ignore it): the
// cache then appends rows instead of inserting them all over its tables,
// which makes a first sync several times faster.
var byID = client.SortOptions{Sort: "id"}

func (sy *syncer) artists(p *pipeline, df client.DateFilter, estimate int) {
	p.run(func(ctx context.Context) error {
		return fetchPages(ctx, sy.sem, sy.size, estimate, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Artist], error) {
			return sy.api.Library.Artists(ctx, &client.ArtistListOptions{DateFilter: df, SortOptions: byID, ListOptions: lo})
		}, func(a *client.Artist) client.ID { return a.ID }, func(items []client.Artist) error {
			recs, err := convertAll(items, artistRecord)
			if err != nil {
				return err
			}
			return p.write(func(ctx context.Context) error {
				n, err := sy.w.PutArtists(ctx, recs)
				sy.wrote("artists", storage.KindArtist, mapAll(recs, func(r storage.Artist) int64 { return r.ID }), n)
				return err
			})
		})
	})
}

func (sy *syncer) albums(p *pipeline, df client.DateFilter, estimate int) {
	p.run(func(ctx context.Context) error {
		return fetchPages(ctx, sy.sem, sy.size, estimate, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Album], error) {
			return sy.api.Library.Albums(ctx, &client.AlbumListOptions{DateFilter: df, SortOptions: byID, ListOptions: lo})
		}, func(a *client.Album) client.ID { return a.ID }, func(items []client.Album) error {
			recs, err := convertAll(items, albumRecord)
			if err != nil {
				return err
			}
			return p.write(func(ctx context.Context) error {
				n, err := sy.w.PutAlbums(ctx, recs)
				sy.wrote("albums", storage.KindAlbum, mapAll(recs, func(r storage.Album) int64 { return r.ID }), n)
				return err
			})
		})
	})
}

func (sy *syncer) songs(p *pipeline, df client.DateFilter, estimate int) {
	p.run(func(ctx context.Context) error {
		return fetchPages(ctx, sy.sem, sy.size, estimate, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
			return sy.api.Library.Songs(ctx, &client.SongListOptions{DateFilter: df, SortOptions: byID, ListOptions: lo})
		}, func(s *client.Song) client.ID { return s.ID }, func(items []client.Song) error {
			recs, err := convertAll(items, songRecord)
			if err != nil {
				return err
			}
			return p.write(func(ctx context.Context) error {
				n, err := sy.w.PutSongs(ctx, recs)
				sy.wrote("songs", storage.KindSong, mapAll(recs, func(r storage.Song) int64 { return r.ID }), n)
				return err
			})
		})
	})
}

func (sy *syncer) genres(p *pipeline) {
	p.run(func(ctx context.Context) error {
		return fetchPages(ctx, sy.sem, sy.size, 0, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Genre], error) {
			return sy.api.Library.Genres(ctx, &client.GenreListOptions{ListOptions: lo})
		}, func(g *client.Genre) client.ID { return g.ID }, func(items []client.Genre) error {
			recs, err := convertAll(items, genreRecord)
			if err != nil {
				return err
			}
			return p.write(func(ctx context.Context) error {
				n, err := sy.w.PutGenres(ctx, recs)
				sy.wrote("genres", storage.KindGenre, mapAll(recs, func(r storage.Genre) int64 { return r.ID }), n)
				return err
			})
		})
	})
}

// sweep deletes the cached objects of a kind the server no longer has:
// those neither in keep (the server's list) nor written in this sync.
func (sy *syncer) sweep(ctx context.Context, k storage.Kind, keep map[int64]struct{}) error {
	for id := range sy.seen[k] {
		keep[id] = struct{}{}
	}
	n, err := sy.w.KeepOnly(ctx, k, keep)
	sy.deleted += n
	return err
}

// fullSync fetches the whole library. A bulk load (a first sync) is
// ended — indexes made, search index merged — once the music is written,
// even when that failed (else the next open of the cache ends it), while
// playlists and podcasts are fetched: their writes wait for it.
func (sy *syncer) fullSync(ctx context.Context, bulk bool) error {
	err := sy.fullMusic(ctx)
	var ended chan error
	if bulk {
		sy.progress("indexes", true)
		ended = make(chan error, 1)
		go func() { ended <- sy.w.EndBulk(context.WithoutCancel(ctx)) }()
	}
	if err == nil {
		err = sy.playlistsAndPodcasts(ctx, true)
	}
	if ended != nil {
		if endErr := <-ended; err == nil {
			err = endErr
		}
	}
	return err
}

// fullMusic fetches every genre, artist, album and song, and deletes the
// cached ones the server no longer has.
func (sy *syncer) fullMusic(ctx context.Context) error {
	p := newPipeline(ctx, sy.sem)
	est := func(n client.Int) int { return int(n) }
	counts := sy.info.Counts
	sy.genres(p)
	sy.artists(p, client.DateFilter{}, est(counts.Artists))
	sy.albums(p, client.DateFilter{}, est(counts.Albums))
	sy.songs(p, client.DateFilter{}, est(counts.Songs))
	if err := p.wait(); err != nil {
		return err
	}
	// Whatever the server did not list is gone.
	for _, k := range []storage.Kind{storage.KindGenre, storage.KindArtist, storage.KindAlbum, storage.KindSong} {
		if err := sy.sweep(ctx, k, map[int64]struct{}{}); err != nil {
			return err
		}
	}
	return nil
}

// incremental fetches what changed since the server time since, and finds
// what was deleted.
func (sy *syncer) incremental(ctx context.Context, since time.Time, ping *client.PingReply) error {
	api6 := sy.api.APIMajorVersion() >= 6
	before, err := sy.lib.Counts(ctx)
	if err != nil {
		return err
	}
	p := newPipeline(ctx, sy.sem)
	for _, df := range []client.DateFilter{{AddedAfter: since}, {UpdatedAfter: since}} {
		sy.artists(p, df, 0)
		sy.albums(p, df, 0)
		sy.songs(p, df, 0)
	}
	sy.genres(p)
	var albumIDs, artistIDs map[int64]struct{}
	if api6 {
		// The cheap id lists show deleted albums and artists, which no
		// date filter can.
		sy.index(p, client.TypeAlbum, &albumIDs)
		sy.index(p, client.TypeArtist, &artistIDs)
	}
	if sy.api.APIMajorVersion() >= 5 {
		p.run(func(ctx context.Context) error {
			var mu sync.Mutex
			var ids []int64
			err := fetchPages(ctx, sy.sem, sy.size, 0, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.DeletedSong], error) {
				return sy.api.Library.DeletedSongs(ctx, &lo)
			}, func(d *client.DeletedSong) client.ID { return d.ID }, func(items []client.DeletedSong) error {
				mu.Lock()
				defer mu.Unlock()
				for _, d := range items {
					if id, err := numID(d.ID); err == nil {
						ids = append(ids, id)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return p.write(func(ctx context.Context) error {
				n, err := sy.w.Delete(ctx, storage.KindSong, ids)
				sy.deleted += n
				sy.progress("deleted", false)
				return err
			})
		})
	}
	if err := p.wait(); err != nil {
		return err
	}
	if err := sy.sweep(ctx, storage.KindGenre, map[int64]struct{}{}); err != nil {
		return err
	}
	if api6 {
		if err := sy.sweep(ctx, storage.KindAlbum, albumIDs); err != nil {
			return err
		}
		if err := sy.sweep(ctx, storage.KindArtist, artistIDs); err != nil {
			return err
		}
	}
	// Counts that still differ from the server's mean changes no filter
	// showed: compare id lists (API6) or fetch that kind again.
	now, err := sy.lib.Counts(ctx)
	if err != nil {
		return err
	}
	recheck := []struct {
		kind   storage.Kind
		typ    client.ObjectType
		have   int
		server client.Int
		ids    map[int64]struct{} // the server's ids, when fetched
		full   func(p *pipeline)
	}{
		{storage.KindArtist, client.TypeArtist, now.Artists, ping.Artists, artistIDs, func(p *pipeline) { sy.artists(p, client.DateFilter{}, int(ping.Artists)) }},
		{storage.KindAlbum, client.TypeAlbum, now.Albums, ping.Albums, albumIDs, func(p *pipeline) { sy.albums(p, client.DateFilter{}, int(ping.Albums)) }},
		{storage.KindSong, client.TypeSong, now.Songs, ping.Songs, nil, func(p *pipeline) { sy.songs(p, client.DateFilter{}, int(ping.Songs)) }},
	}
	for _, r := range recheck {
		if r.have == int(r.server) {
			continue
		}
		if api6 {
			ids := r.ids
			if ids == nil {
				p := newPipeline(ctx, sy.sem)
				sy.index(p, r.typ, &ids)
				if err := p.wait(); err != nil {
					return err
				}
				if err := sy.sweep(ctx, r.kind, ids); err != nil {
					return err
				}
			}
			if have, err := sy.lib.IDs(ctx, r.kind); err != nil || len(have) >= len(ids) {
				if err != nil {
					return err
				}
				continue
			}
		}
		// Objects the filters missed: read the whole list again.
		p := newPipeline(ctx, sy.sem)
		r.full(p)
		if err := p.wait(); err != nil {
			return err
		}
		if err := sy.sweep(ctx, r.kind, map[int64]struct{}{}); err != nil {
			return err
		}
	}
	after, err := sy.lib.Counts(ctx)
	if err != nil {
		return err
	}
	libraryChanged := sy.changed > 0 || sy.deleted > 0 || after.Songs != before.Songs
	return sy.playlistsAndPodcasts(ctx, libraryChanged)
}

// index fetches the ids of every object of a type (API6 index) into *out.
func (sy *syncer) index(p *pipeline, typ client.ObjectType, out *map[int64]struct{}) {
	set := map[int64]struct{}{}
	*out = set
	var mu sync.Mutex
	p.run(func(ctx context.Context) error {
		return fetchPages(ctx, sy.sem, sy.size, 0, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.ID], error) {
			return sy.api.Library.Index(ctx, typ, &client.IndexOptions{ListOptions: lo})
		}, func(id *client.ID) client.ID { return *id }, func(ids []client.ID) error {
			mu.Lock()
			defer mu.Unlock()
			for _, id := range ids {
				n, err := numID(id)
				if err != nil {
					return err
				}
				set[n] = struct{}{}
			}
			return nil
		})
	})
}
