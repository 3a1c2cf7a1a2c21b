package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/zalando/go-keyring"
)

// syncKeyring is an in-memory keyring for the tests of this file.
type syncKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *syncKeyring) Set(s, u, p string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[s+"/"+u] = p
	return nil
}

func (k *syncKeyring) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *syncKeyring) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, s+"/"+u)
	return nil
}

// syncEnv is a core connected to an ampachetest server, and a separate
// client that reads the server's truth.
type syncEnv struct {
	srv   *ampachetest.Server
	core  *Core
	truth *client.Client
	dirs  storage.Dirs
}

// syncTestLibrary is small (488 songs): the race detector slows SQLite
// down a lot. TestSyncFullMakesTheCacheEqualTheServer syncs 1,008 songs.
var syncTestLibrary = ampachetest.Library{Artists: 20, AlbumsPerArtist: 3, SongsPerAlbum: 8,
	Podcasts: 3, EpisodesPerPodcast: 5, Playlists: 5, LiveStreams: 1, Seed: 7}

func newSyncEnv(t *testing.T, opts ampachetest.Options) *syncEnv {
	t.Helper()
	srv := ampachetest.NewServer(opts)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	e := &syncEnv{srv: srv, dirs: storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}}
	e.core = e.newCore(t)
	if err := e.core.ConnectWith(context.Background(), e.profile(), e.creds()); err != nil {
		t.Fatal(err)
	}
	truth, err := client.New(srv.URL, client.WithHTTPClient(srv.Client()), client.WithCredentials(e.creds()))
	if err != nil {
		t.Fatal(err)
	}
	if opts.APIVersion != 0 {
		truth, _ = client.New(srv.URL, client.WithHTTPClient(srv.Client()), client.WithCredentials(e.creds()), client.WithAPIVersion(opts.APIVersion))
	}
	e.truth = truth
	return e
}

func (e *syncEnv) profile() storage.Profile {
	return storage.Profile{Name: "sync", URL: e.srv.URL, User: e.srv.Admin.Username, Auth: storage.AuthPassword}
}

func (e *syncEnv) creds() client.Credentials {
	return client.Credentials{User: e.srv.Admin.Username, Password: e.srv.Admin.Password}
}

func (e *syncEnv) newCore(t *testing.T) *Core {
	t.Helper()
	c, err := New(Options{Dirs: e.dirs, Keyring: &syncKeyring{}, HTTPClient: e.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func (e *syncEnv) sync(t *testing.T, opts SyncOptions) SyncResult {
	t.Helper()
	res, err := e.core.Sync(context.Background(), opts)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

// Fields the cache does not keep: links with the session token, and the
// position of a song in the list it came in.
func normSong(s client.Song) client.Song {
	s.URL, s.Art, s.PlaylistTrack = "", "", 0
	return s
}

func normAlbum(a client.Album) client.Album {
	a.Art, a.Tracks = "", nil
	return a
}

func normArtist(a client.Artist) client.Artist {
	a.Art, a.Albums, a.Songs = "", nil, nil
	return a
}

func normPlaylist(p client.Playlist) client.Playlist {
	p.Art = ""
	return p
}

func normPodcast(p client.Podcast) client.Podcast {
	p.Art, p.Episodes = "", nil
	return p
}

func normEpisode(e client.PodcastEpisode) client.PodcastEpisode {
	e.URL, e.Art = "", ""
	return e
}

func all[T any](t *testing.T, seq func(yield func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// compareByID checks that two lists hold the same objects.
func compareByID[T any](t *testing.T, what string, server, cache []T, id func(T) client.ID) {
	t.Helper()
	if len(server) != len(cache) {
		t.Errorf("%s: the server has %d, the cache %d", what, len(server), len(cache))
	}
	byID := map[client.ID]T{}
	for _, v := range cache {
		byID[id(v)] = v
	}
	bad := 0
	for _, want := range server {
		got, ok := byID[id(want)]
		switch {
		case !ok:
			t.Errorf("%s %s: not in the cache", what, id(want))
		case !reflect.DeepEqual(got, want):
			t.Errorf("%s %s differs:\ncache  %+v\nserver %+v", what, id(want), got, want)
		default:
			continue
		}
		if bad++; bad > 5 {
			t.Fatalf("%s: more differences", what)
		}
	}
}

// assertCacheEqualsServer compares every artist, album, song, genre,
// playlist (with its songs in order), podcast and episode.
func (e *syncEnv) assertCacheEqualsServer(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c := e.core
	if c.library() == nil {
		t.Fatal("the cache is not in use")
	}
	big := client.ListOptions{Limit: 1 << 30}
	artists, ok, err := c.cachedArtists(ctx, &client.ArtistListOptions{ListOptions: big})
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	compareByID(t, "artist", mapAll(all(t, e.truth.Library.AllArtists(ctx, nil)), normArtist), artists.Items, func(a client.Artist) client.ID { return a.ID })
	albums, _, _ := c.cachedAlbums(ctx, &client.AlbumListOptions{ListOptions: big})
	compareByID(t, "album", mapAll(all(t, e.truth.Library.AllAlbums(ctx, nil)), normAlbum), albums.Items, func(a client.Album) client.ID { return a.ID })
	songs, _, _ := c.cachedSongs(ctx, &client.SongListOptions{ListOptions: big})
	compareByID(t, "song", mapAll(all(t, e.truth.Library.AllSongs(ctx, nil)), normSong), songs.Items, func(s client.Song) client.ID { return s.ID })
	genres, _, _ := c.cachedGenres(ctx, &client.GenreListOptions{ListOptions: big})
	compareByID(t, "genre", all(t, e.truth.Library.AllGenres(ctx, nil)), genres.Items, func(g client.Genre) client.ID { return g.ID })

	pls, err := c.playlistsFromCache(ctx)
	if err != nil {
		t.Fatal(err)
	}
	serverPls := all(t, e.truth.Playlists.All(ctx, nil))
	compareByID(t, "playlist", mapAll(serverPls, normPlaylist), pls, func(p client.Playlist) client.ID { return p.ID })
	for _, p := range serverPls {
		want := all(t, e.truth.Playlists.AllSongs(ctx, p.ID, nil))
		_, got, err := c.playlistFromCache(ctx, p.ID)
		if err != nil {
			t.Fatalf("playlist %s: %v", p.ID, err)
		}
		if !slices.Equal(mapAll(want, func(s client.Song) client.ID { return s.ID }), mapAll(got, func(s client.Song) client.ID { return s.ID })) {
			t.Errorf("playlist %s songs: server %v, cache %v", p.ID, mapAll(want, func(s client.Song) client.ID { return s.ID }), mapAll(got, func(s client.Song) client.ID { return s.ID }))
		}
	}

	pods, err := c.podcastsFromCache(ctx)
	if err != nil {
		t.Fatal(err)
	}
	serverPods := all(t, e.truth.Podcasts.All(ctx, nil))
	compareByID(t, "podcast", mapAll(serverPods, normPodcast), pods, func(p client.Podcast) client.ID { return p.ID })
	for _, p := range serverPods {
		eps, err := c.episodesFromCache(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		// API4 and API5 name no podcast in an episode: the cache does.
		want := mapAll(all(t, e.truth.Podcasts.AllEpisodes(ctx, p.ID, nil)), func(ep client.PodcastEpisode) client.PodcastEpisode {
			if ep.Podcast.ID == "" {
				ep.Podcast = client.PodcastRef{ID: p.ID, Name: p.Name}
			}
			return normEpisode(ep)
		})
		compareByID(t, "episode", want, eps, func(e client.PodcastEpisode) client.ID { return e.ID })
	}
}

func TestSyncFullMakesTheCacheEqualTheServer(t *testing.T) {
	t.Parallel()
	lib := syncTestLibrary
	lib.Artists, lib.AlbumsPerArtist, lib.SongsPerAlbum = 25, 4, 10
	e := newSyncEnv(t, ampachetest.Options{Library: lib})
	events, stop := e.core.Subscribe()
	defer stop()
	if e.core.library() != nil {
		t.Fatal("an unsynced cache answers")
	}
	res := e.sync(t, SyncOptions{PageSize: 300})
	if !res.Full || res.Added == 0 || res.Deleted != 0 {
		t.Fatalf("first sync: %+v", res)
	}
	srvSongs := len(e.srv.Songs())
	if res.Counts.Songs != srvSongs || res.Counts.Albums != len(e.srv.Albums()) || res.Counts.Artists != len(e.srv.Artists()) {
		t.Fatalf("counts %+v, server %d songs", res.Counts, srvSongs)
	}
	e.assertCacheEqualsServer(t)

	// Progress came, then one SyncDone.
	var progress, done int
	deadline := time.After(5 * time.Second)
	for done == 0 {
		select {
		case ev := <-events:
			switch ev := ev.(type) {
			case SyncProgress:
				progress++
				if ev.Done > ev.Total {
					t.Errorf("progress %d of %d", ev.Done, ev.Total)
				}
			case SyncDone:
				done++
				if ev.Err != nil || ev.Added != res.Added {
					t.Errorf("SyncDone %+v", ev)
				}
			}
		case <-deadline:
			t.Fatal("no SyncDone")
		}
	}
	if progress == 0 {
		t.Error("no SyncProgress")
	}

	// A second sync with no change finds nothing to do.
	res = e.sync(t, SyncOptions{PageSize: 300})
	if res.Full || res.Added != 0 || res.Updated != 0 || res.Deleted != 0 {
		t.Fatalf("sync without changes: %+v", res)
	}
	// A forced full sync rewrites nothing either.
	res = e.sync(t, SyncOptions{Full: true})
	if !res.Full || res.Added != 0 || res.Updated != 0 || res.Deleted != 0 {
		t.Fatalf("full sync without changes: %+v", res)
	}
	e.assertCacheEqualsServer(t)
}

// mutate changes songs, albums, artists, playlists and podcasts on the
// server, and returns what to look for afterwards.
func mutate(t *testing.T, srv *ampachetest.Server) (newSong ampachetest.Song, renamedAlbum, deletedAlbum int) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The server's clock is in seconds: let the changes fall after the
	// last sync's time.
	time.Sleep(1100 * time.Millisecond)
	albums := srv.Albums()
	artists := srv.Artists()
	// A new artist with a new album of new songs, and a song added to an
	// existing album.
	ar := srv.AddArtist("Zoë Kravitz Tribute")
	al, err := srv.AddAlbum(ar.ID, "Ångström Nights", 2024, "Synthwave")
	must(err)
	for i := 1; i <= 3; i++ {
		_, err := srv.AddSong(ampachetest.NewSong{AlbumID: al.ID, Title: fmt.Sprintf("Nocturne %d", i), Track: i})
		must(err)
	}
	newSong, err = srv.AddSong(ampachetest.NewSong{AlbumID: albums[5].ID, Title: "Bonus Track", Track: 99, Format: "flac"})
	must(err)
	// Changed: a song's title and genres, an album's name (its songs
	// follow), an artist's name (its albums and songs follow).
	songs := srv.Songs()
	must(srv.UpdateSong(songs[20].ID, func(s *ampachetest.Song) { s.Title = "Renamed Song"; s.Genres = []string{"Polka"} }))
	renamedAlbum = albums[8].ID
	must(srv.UpdateAlbum(renamedAlbum, func(a *ampachetest.Album) { a.Name = "Renamed Album"; a.Year = 1984 }))
	must(srv.UpdateArtist(artists[10].ID, func(a *ampachetest.Artist) { a.Name = "Renamed Artist" }))
	// Deleted: songs, an album, an artist with its albums.
	must(srv.DeleteSong(songs[40].ID))
	must(srv.DeleteSong(songs[41].ID))
	deletedAlbum = albums[12].ID
	must(srv.DeleteAlbum(deletedAlbum))
	must(srv.DeleteArtist(artists[15].ID))
	// Playlists: a new one, one reordered and renamed, one deleted.
	pls := srv.Playlists("")
	_, err = srv.AddPlaylist(srv.Admin.Username, "Fresh Mix", true, newSong.ID, songs[3].ID)
	must(err)
	must(srv.UpdatePlaylist(pls[0].ID, func(p *ampachetest.Playlist) {
		p.Name = "Reordered"
		slices.Reverse(p.SongIDs)
		p.SongIDs = append(p.SongIDs, songs[7].ID)
	}))
	must(srv.DeletePlaylist(pls[1].ID))
	// Podcasts: a new episode, a deleted one.
	pods := srv.Podcasts()
	_, err = srv.AddEpisode(pods[0].ID, "Breaking News", 20*time.Minute)
	must(err)
	must(srv.DeleteEpisode(pods[1].EpisodeIDs[0]))
	return newSong, renamedAlbum, deletedAlbum
}

func TestSyncIncrementalFollowsEveryChange(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary})
	e.sync(t, SyncOptions{PageSize: 100})
	newSong, renamed, deleted := mutate(t, e.srv)
	e.srv.ResetRequests()
	res := e.sync(t, SyncOptions{PageSize: 100})
	if res.Full {
		t.Fatal("the second sync was a full one")
	}
	if res.Added == 0 || res.Updated == 0 || res.Deleted == 0 {
		t.Errorf("incremental result %+v", res)
	}
	// Incremental: songs were asked for with date filters, not all again.
	if n := e.srv.Requests("songs"); n > 4 {
		t.Errorf("%d songs requests", n)
	}
	e.assertCacheEqualsServer(t)

	// The use-cases see the changes from the cache.
	ctx := context.Background()
	s, err := e.core.Song(ctx, client.ID(fmt.Sprint(newSong.ID)))
	if err != nil || s.Title != "Bonus Track" || s.Format != "flac" {
		t.Errorf("new song: %v %+v", err, s)
	}
	a, songs, err := e.core.Album(ctx, client.ID(fmt.Sprint(renamed)))
	if err != nil || a.Name != "Renamed Album" || len(songs) == 0 || songs[0].Album.Name != "Renamed Album" {
		t.Errorf("renamed album: %v %+v", err, a)
	}
	if _, _, err := e.core.Album(ctx, client.ID(fmt.Sprint(deleted))); err == nil {
		t.Error("the deleted album is still there")
	}
	r, err := e.core.Search(ctx, "angstrom noct", 10)
	if err != nil || len(r.Songs) != 3 || len(r.Albums) != 0 {
		t.Errorf("search for the new songs: %v %d songs %d albums", err, len(r.Songs), len(r.Albums))
	}
	if r, _ := e.core.Search(ctx, "renamed artist", 10); len(r.Artists) != 1 || len(r.Songs) == 0 {
		t.Errorf("search for the renamed artist: %d artists, %d songs", len(r.Artists), len(r.Songs))
	}

	// And once more: nothing left to do.
	res = e.sync(t, SyncOptions{PageSize: 100})
	if res.Added != 0 || res.Updated != 0 || res.Deleted != 0 {
		t.Errorf("third sync %+v", res)
	}
}

// TestSyncAPI5 syncs with a server speaking API5: no index, no
// playlist_hash, no total_count on every list.
func TestSyncAPI5(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary, APIVersion: 5})
	if v := e.core.conn.client.APIMajorVersion(); v != 5 {
		t.Fatalf("API %d", v)
	}
	e.sync(t, SyncOptions{PageSize: 150})
	e.assertCacheEqualsServer(t)
	mutate(t, e.srv)
	if res := e.sync(t, SyncOptions{PageSize: 150}); res.Full {
		t.Error("full sync on API5")
	}
	e.assertCacheEqualsServer(t)
}

func TestSyncSharedAndCancelled(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary})
	// Two callers at once share one sync.
	var wg sync.WaitGroup
	results := make([]SyncResult, 2)
	errs := make([]error, 2)
	e.srv.ResetRequests()
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.core.Sync(context.Background(), SyncOptions{PageSize: 100})
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || results[0].Added != results[1].Added {
		t.Fatalf("%v %v %+v %+v", errs[0], errs[1], results[0], results[1])
	}
	if n := e.srv.Requests("ping"); n != 1 {
		t.Errorf("%d syncs ran (pings)", n)
	}
	// A cancelled sync says so and leaves a usable cache.
	ctx, cancel := context.WithCancel(context.Background())
	release := e.srv.StallNext("songs", 1)
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err := e.core.Sync(ctx, SyncOptions{Full: true, PageSize: 100})
	release()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sync: %v", err)
	}
	if e.core.library() == nil {
		t.Fatal("the cache is no longer used")
	}
	e.sync(t, SyncOptions{})
	e.assertCacheEqualsServer(t)
}

// TestSyncFailureKeepsTheCache: a server error in the middle of a sync
// fails it with that error; the next sync recovers.
func TestSyncFailureKeepsTheCache(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary})
	e.srv.FailNext("albums", 1, ampachetest.Fault{Code: 4710, Message: "bad album page"})
	if _, err := e.core.Sync(context.Background(), SyncOptions{PageSize: 100}); err == nil {
		t.Fatal("no error")
	}
	if e.core.library() != nil {
		t.Fatal("a failed first sync is used")
	}
	e.sync(t, SyncOptions{PageSize: 100})
	e.assertCacheEqualsServer(t)
}

func TestSyncNeedsAConnection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := New(Options{Dirs: storage.Dirs{Config: dir + "/c", Cache: dir + "/ca", Data: dir + "/d"}, Keyring: &syncKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Sync(context.Background(), SyncOptions{}); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("got %v", err)
	}
}

// TestBackgroundSync runs the background syncer: it syncs at once, and
// again on its interval, without blocking the caller.
func TestBackgroundSync(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary})
	events, stop := e.core.Subscribe()
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	e.core.StartBackgroundSync(ctx)
	if time.Since(start) > 100*time.Millisecond {
		t.Error("StartBackgroundSync blocked")
	}
	waitSyncDone(t, events)
	if e.core.library() == nil {
		t.Fatal("no cache after the background sync")
	}
	// Start again: no second syncer.
	e.core.StartBackgroundSync(ctx)
	e.core.local.mu.Lock()
	running := e.core.local.bgSyncing
	e.core.local.mu.Unlock()
	if !running {
		t.Error("the syncer is not running")
	}
	cancel()
	eventually(t, func() bool {
		e.core.local.mu.Lock()
		defer e.core.local.mu.Unlock()
		return !e.core.local.bgSyncing
	})
}

func waitSyncDone(t *testing.T, events <-chan Event) SyncDone {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev := <-events:
			if d, ok := ev.(SyncDone); ok {
				return d
			}
		case <-deadline:
			t.Fatal("no SyncDone")
		}
	}
}

func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCacheAnswersLists checks the list options the cache honours.
func TestCacheAnswersLists(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary})
	e.sync(t, SyncOptions{})
	ctx := context.Background()
	// The truth first: the core's calls below must make no request.
	server, _ := e.truth.Library.Albums(ctx, &client.AlbumListOptions{ListOptions: client.ListOptions{Offset: 20, Limit: 30}})
	aid := e.srv.Artists()[3].ID
	serverSongs := all(t, func(yield func(client.Song, error) bool) {
		p, err := e.truth.Library.ArtistSongs(ctx, client.ID(fmt.Sprint(aid)), nil)
		if err != nil {
			yield(client.Song{}, err)
			return
		}
		for _, s := range p.Items {
			if !yield(s, nil) {
				return
			}
		}
	})
	e.srv.ResetRequests()
	p, err := e.core.Artists(ctx, &client.ArtistListOptions{Filter: "beyonce", ListOptions: client.ListOptions{Limit: 10}})
	if err != nil || len(p.Items) != 1 || p.Items[0].Name != "Beyoncé" {
		t.Fatalf("filter: %v %+v", err, p)
	}
	// The cache's order is the server's: by name, then id.
	cached, err := e.core.Albums(ctx, &client.AlbumListOptions{ListOptions: client.ListOptions{Offset: 20, Limit: 30}})
	if err != nil || cached.Total != server.Total {
		t.Fatalf("%v: total %d, server %d", err, cached.Total, server.Total)
	}
	if got, want := mapAll(cached.Items, func(a client.Album) client.ID { return a.ID }), mapAll(server.Items, func(a client.Album) client.ID { return a.ID }); !slices.Equal(got, want) {
		t.Errorf("page order:\ncache  %v\nserver %v", got, want)
	}
	songs, err := e.core.ArtistSongs(ctx, client.ID(fmt.Sprint(aid)))
	ids := func(ss []client.Song) []client.ID {
		out := mapAll(ss, func(s client.Song) client.ID { return s.ID })
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}
	if err != nil || !slices.Equal(ids(songs), ids(serverSongs)) {
		t.Errorf("artist songs: %v", err)
	}
	if n := e.srv.Requests(""); n != 0 {
		t.Errorf("%d requests while the cache answered", n)
	}
	// Options the cache does not know go to the server while online.
	if _, err := e.core.Songs(ctx, &client.SongListOptions{SortOptions: client.SortOptions{Cond: "x,y"}}); err != nil {
		t.Log(err)
	}
	if e.srv.Requests("songs") != 1 {
		t.Error("a browse condition was not sent to the server")
	}
}

// TestDamagedCacheStartsOver: a cache file that is not a database is
// replaced by a new one, and a sync fills it.
func TestDamagedCacheStartsOver(t *testing.T) {
	t.Parallel()
	e := newSyncEnv(t, ampachetest.Options{Library: syncTestLibrary})
	e.sync(t, SyncOptions{})
	path := storage.LibraryFile(e.dirs.Cache, "sync")
	e.core.Close(context.Background())
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	if err := os.WriteFile(path, []byte("this is not a database, it is a text file of some length........"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := e.newCore(t)
	if err := c.ConnectWith(context.Background(), e.profile(), e.creds()); err != nil {
		t.Fatal(err)
	}
	if c.library() != nil {
		t.Fatal("a new cache counts as synced")
	}
	e.core = c
	if res := e.sync(t, SyncOptions{}); !res.Full {
		t.Errorf("the first sync of the new cache: %+v", res)
	}
	e.assertCacheEqualsServer(t)
}

// countingTransport counts the API requests in flight.
type countingTransport struct {
	next           http.RoundTripper
	mu             sync.Mutex
	inFlight, peak int
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.inFlight++
	t.peak = max(t.peak, t.inFlight)
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.inFlight--
		t.mu.Unlock()
	}()
	return t.next.RoundTrip(r)
}

// TestSyncBoundsParallelRequests: a sync runs several requests at once,
// never more than 4.
func TestSyncBoundsParallelRequests(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{Library: syncTestLibrary})
	t.Cleanup(srv.Close)
	srv.SetLatency(20 * time.Millisecond)
	tr := &countingTransport{next: srv.Client().Transport}
	dir := t.TempDir()
	c, err := New(Options{Dirs: storage.Dirs{Config: dir + "/c", Cache: dir + "/ca", Data: dir + "/d"}, Keyring: &syncKeyring{},
		HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	p := storage.Profile{Name: "p", URL: srv.URL, User: srv.Admin.Username, Auth: storage.AuthPassword}
	if err := c.ConnectWith(context.Background(), p, client.Credentials{User: srv.Admin.Username, Password: srv.Admin.Password}); err != nil {
		t.Fatal(err)
	}
	for _, full := range []bool{true, false} {
		tr.mu.Lock()
		tr.peak = 0
		tr.mu.Unlock()
		if _, err := c.Sync(context.Background(), SyncOptions{Full: full, PageSize: 40}); err != nil {
			t.Fatal(err)
		}
		tr.mu.Lock()
		peak := tr.peak
		tr.mu.Unlock()
		if peak > maxSyncRequests || peak < 2 {
			t.Errorf("full=%v: %d requests at once, want 2 to %d", full, peak, maxSyncRequests)
		}
	}
}
