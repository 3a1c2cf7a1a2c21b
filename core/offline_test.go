package core_test

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// offLibrary is small: the offline tests are about behaviour, not size.
var offLibrary = ampachetest.Library{Artists: 12, AlbumsPerArtist: 2, SongsPerAlbum: 5, Podcasts: 1,
	EpisodesPerPodcast: 2, Playlists: 2, Seed: 3}

// offServer starts an ampachetest server on a fixed loopback port, so that
// it can be stopped and started again at the same address.
func offServer(t *testing.T, addr string) *ampachetest.Server {
	t.Helper()
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{Library: offLibrary})
	if err := srv.StartOn(addr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

type offEnv struct {
	dirs storage.Dirs
	kr   *storagetest.MemKeyring
	out  *audiotest.Output
}

// newOffEnv returns folders in a new temporary directory and an empty
// keyring.
func newOffEnv(t *testing.T) *offEnv {
	dir := t.TempDir()
	return &offEnv{dirs: storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}, kr: &storagetest.MemKeyring{}}
}

// loginHome logs c in to srv as the profile "home" (the admin), and syncs
// its library when sync is set.
func loginHome(t *testing.T, c *core.Core, srv *ampachetest.Server, sync bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Login(ctx, core.LoginRequest{Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "home"}); err != nil {
		t.Fatal(err)
	}
	if sync {
		if _, err := c.Sync(ctx, core.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *offEnv) core(t *testing.T) *core.Core {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 2 * time.Second}).DialContext
	c, err := core.New(core.Options{
		Dirs: e.dirs, Keyring: e.kr, HTTPClient: &http.Client{Transport: tr},
		Output: func() (audio.Output, error) {
			e.out = audiotest.NewOutput(44100)
			return e.out, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func offWait[T core.Event](t *testing.T, events <-chan core.Event, what string, ok func(T) bool) T {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			if e, is := ev.(T); is && ok(e) {
				return e
			}
		case <-deadline:
			t.Fatalf("no %s", what)
		}
	}
}

// TestOfflineAfterDownload: sync, download an album, stop the server,
// start a new core over the same folders: it opens the profile offline,
// the library shows, search works, the downloaded album plays, what needs
// the server says "offline"; when the server is back, core reconnects by
// itself.
func TestOfflineAfterDownload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := offServer(t, "127.0.0.1:0")
	addr := strings.TrimPrefix(strings.TrimSuffix(srv.URL, "/ampache"), "http://")
	e := newOffEnv(t)

	c1 := e.core(t)
	loginHome(t, c1, srv, true)
	// Album 1 holds the test tones: 8 songs of 3 s in mp3, flac, ogg, wav.
	info, err := c1.Download(ctx, client.TypeAlbum, "1")
	if err != nil {
		t.Fatal(err)
	}
	if !info.Complete() || info.Items != 8 || info.Bytes == 0 {
		t.Fatalf("download %+v", info)
	}
	if got, ok := c1.DownloadState(client.TypeAlbum, "1"); !ok || !got.Complete() {
		t.Fatalf("download state %+v %v", got, ok)
	}
	_, album, err := c1.Album(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	var otherSong client.Song
	if songs, err := c1.ArtistSongs(ctx, "2"); err != nil || len(songs) == 0 {
		t.Fatal(err)
	} else {
		otherSong = songs[0]
	}
	c1.Close(ctx)
	srv.Close()

	// A new process: the server is gone.
	c2 := e.core(t)
	events, stop := c2.Subscribe()
	defer stop()
	start := time.Now()
	if _, err := c2.ConnectOrOffline(ctx, "home"); err != nil {
		t.Fatalf("connect while the server is down: %v", err)
	}
	if p, off := c2.Offline(); !off || p.Name != "home" {
		t.Fatalf("offline state: %v %+v", off, p)
	}
	offWait(t, events, "OfflineChanged", func(ev core.OfflineChanged) bool { return ev.Offline && ev.Err != nil })
	t.Logf("opened offline in %v", time.Since(start))

	// The library shows and search works.
	artists, err := c2.Artists(ctx, nil)
	if err != nil || len(artists.Items) != len(srv.Artists()) {
		t.Fatalf("artists offline: %v, %d of %d", err, len(artists.Items), len(srv.Artists()))
	}
	r, err := c2.Search(ctx, "beyonce", 10)
	if err != nil || len(r.Artists) != 1 || r.Artists[0].Name != "Beyoncé" {
		t.Fatalf("search offline: %v %+v", err, r)
	}
	_, songs, err := c2.Album(ctx, "1")
	if err != nil || len(songs) != 8 {
		t.Fatalf("album offline: %v %d", err, len(songs))
	}
	// Playlists and podcasts come from the cache too.
	pls, err := c2.Playlists(ctx)
	if err != nil || len(pls) == 0 {
		t.Fatalf("playlists offline: %v, %d", err, len(pls))
	}
	for _, pl := range pls {
		if pl.Smart {
			continue
		}
		if _, plSongs, err := c2.Playlist(ctx, pl.ID); err != nil || len(plSongs) != int(pl.Items) {
			t.Fatalf("playlist %s offline: %v, %d songs of %d", pl.ID, err, len(plSongs), pl.Items)
		}
		break
	}
	pcs, err := c2.Podcasts(ctx)
	if err != nil || len(pcs) == 0 {
		t.Fatalf("podcasts offline: %v, %d", err, len(pcs))
	}
	eps, err := c2.Episodes(ctx, pcs[0].ID)
	if err != nil || len(eps) == 0 {
		t.Fatalf("episodes offline: %v, %d", err, len(eps))
	}
	if ep, err := c2.Episode(ctx, eps[0].ID); err != nil || ep.ID != eps[0].ID {
		t.Fatalf("episode offline: %v %+v", err, ep)
	}

	// What needs the server says so plainly.
	_, err = c2.CreatePlaylist(ctx, "x", false)
	if !errors.Is(err, core.ErrOffline) || core.Explain(err) != "offline: the server is unreachable" {
		t.Fatalf("create playlist offline: %v / %q", err, core.Explain(err))
	}
	if _, err := c2.Download(ctx, client.TypeAlbum, "2"); !errors.Is(err, core.ErrOffline) {
		t.Fatalf("download offline: %v", err)
	}
	if _, err := c2.Sync(ctx, core.SyncOptions{}); !errors.Is(err, core.ErrOffline) {
		t.Fatalf("sync offline: %v", err)
	}

	// The downloaded album plays from its files.
	if err := c2.PlaySongs(songs, 0, false); err != nil {
		t.Fatal(err)
	}
	offWait(t, events, "QueueEnded", func(core.QueueEnded) bool { return true })
	frames := e.out.Samples()
	want := 8 * 3 * 44100
	if len(frames) < want*95/100 {
		t.Fatalf("played %d frames, want about %d", len(frames), want)
	}
	if f := audiotest.Frequency(frames[44100/2:44100*2], 44100); math.Abs(f-1000) > 20 {
		t.Errorf("the first song plays at %.0f Hz, want 1000", f)
	}
	if rms := audiotest.RMS(frames[:want/2]); rms < 0.1 {
		t.Errorf("silence: RMS %.3f", rms)
	}
	for _, s := range album {
		if _, err := os.Stat(e.dirs.Data); err != nil || s.ID == "" {
			t.Fatal(err)
		}
	}
	// A song that was not downloaded cannot play, and says why.
	if err := c2.PlaySongs([]client.Song{otherSong}, 0, false); err != nil {
		t.Fatal(err)
	}
	failed := offWait(t, events, "PlaybackFailed", func(core.PlaybackFailed) bool { return true })
	if !errors.Is(failed.Err, core.ErrOffline) {
		t.Errorf("playing a song that is not downloaded: %v", failed.Err)
	}

	// The server comes back at the same address: core reconnects alone.
	srv2 := offServer(t, addr)
	offWait(t, events, "OfflineChanged back online", func(ev core.OfflineChanged) bool { return !ev.Offline })
	if _, off := c2.Offline(); off {
		t.Fatal("still offline")
	}
	if _, _, ok := c2.Connection(); !ok {
		t.Fatal("no connection after reconnecting")
	}
	if _, err := c2.CreatePlaylist(ctx, "back", false); err != nil {
		t.Fatalf("create playlist after reconnecting: %v", err)
	}
	if len(srv2.Playlists(srv2.Admin.Username)) == 0 {
		t.Error("the playlist did not reach the server")
	}
}

// TestOpenCachedAnswersBeforeConnecting: a window opens the cache first
// and shows the library while connecting.
func TestOpenCachedAnswersBeforeConnecting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := offServer(t, "127.0.0.1:0")
	e := newOffEnv(t)
	c1 := e.core(t)
	loginHome(t, c1, srv, true)
	c1.Close(ctx)

	c2 := e.core(t)
	srv.ResetRequests()
	if _, err := c2.OpenCached(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	albums, err := c2.Albums(ctx, &client.AlbumListOptions{ListOptions: client.ListOptions{Limit: 10}})
	if err != nil || len(albums.Items) != 10 || albums.Total != len(srv.Albums()) {
		t.Fatalf("albums before connecting: %v %+v", err, albums)
	}
	if n := srv.Requests(""); n != 0 {
		t.Errorf("%d requests before connecting", n)
	}
	if _, off := c2.Offline(); off {
		t.Error("offline before trying to connect")
	}
	if _, err := c2.ConnectOrOffline(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	if _, off := c2.Offline(); off {
		t.Error("offline with the server up")
	}
	// Online, the same cache answers.
	srv.ResetRequests()
	if _, err := c2.Albums(ctx, nil); err != nil || srv.Requests("") != 0 {
		t.Errorf("albums online: %v, %d requests", err, srv.Requests(""))
	}
}

// TestOfflineNeedsASyncedLibrary: a profile never synced cannot open
// offline; ConnectOrOffline returns the connection error.
func TestOfflineNeedsASyncedLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := offServer(t, "127.0.0.1:0")
	e := newOffEnv(t)
	c := e.core(t)
	loginHome(t, c, srv, false)
	srv.Close()
	c2 := e.core(t)
	_, err := c2.ConnectOrOffline(ctx, "home")
	var unreach *client.UnreachableError
	if !errors.As(err, &unreach) {
		t.Fatalf("got %v", err)
	}
	if _, err := c2.OpenOffline(ctx, "home"); !errors.Is(err, core.ErrNeverSynced) {
		t.Fatalf("open offline: %v", err)
	}
	if _, off := c2.Offline(); off {
		t.Error("offline without a library")
	}
	// Refusals of the server are not "offline".
	srv2 := offServer(t, "127.0.0.1:0")
	c3 := e.core(t)
	if _, err := c3.Login(ctx, core.LoginRequest{Server: srv2.URL, User: "nobody", Password: "wrong", Name: "bad"}); !errors.Is(err, client.ErrBadCredentials) {
		t.Fatalf("login: %v", err)
	}
}

// TestServerLostWhileConnected: a sync that finds the server gone takes
// the profile offline; the cache keeps answering.
func TestServerLostWhileConnected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := offServer(t, "127.0.0.1:0")
	e := newOffEnv(t)
	c := e.core(t)
	loginHome(t, c, srv, true)
	events, stop := c.Subscribe()
	defer stop()
	srv.Close()
	_, err := c.Sync(ctx, core.SyncOptions{})
	var unreach *client.UnreachableError
	if !errors.As(err, &unreach) {
		t.Fatalf("sync with the server gone: %v", err)
	}
	offWait(t, events, "OfflineChanged", func(ev core.OfflineChanged) bool { return ev.Offline })
	if _, off := c.Offline(); !off {
		t.Fatal("not offline")
	}
	if p, err := c.Songs(ctx, nil); err != nil || len(p.Items) == 0 {
		t.Fatalf("songs offline: %v", err)
	}
	// Playlists answer from the cache; changing one needs the server.
	if pls, err := c.Playlists(ctx); err != nil || len(pls) == 0 {
		t.Errorf("playlists offline: %v, %d", err, len(pls))
	}
	if _, err := c.CreatePlaylist(ctx, "x", false); !errors.Is(err, core.ErrOffline) {
		t.Errorf("create a playlist offline: %v", err)
	}
}
