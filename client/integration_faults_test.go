package client_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// Integration tests of sessions that expire, the API5 and API4 modes,
// error codes, certificate pinning and stalled servers.

func TestIntegrationSessionExpiry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now() // the handshake timestamp must be near the server's clock
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv, c := start(t, ampachetest.Options{SessionLength: time.Minute, Now: clock}, user)
	ctx := t.Context()
	must[*client.Page[client.Song]](t, "songs")(c.Library.Songs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 1}}))
	eq(t, "handshakes", srv.Requests("handshake"), 1)

	advance(30 * time.Second)
	must[*client.PingReply](t, "ping")(c.Ping(ctx)) // extends the session
	advance(45 * time.Second)                       // 75 s after login, 45 s after the ping
	must[*client.Page[client.Song]](t, "songs")(c.Library.Songs(ctx, nil))
	eq(t, "handshakes after ping kept it alive", srv.Requests("handshake"), 1)

	advance(2 * time.Minute) // the session is over
	must[*client.Page[client.Song]](t, "songs after expiry")(c.Library.Songs(ctx, nil))
	eq(t, "handshakes after expiry", srv.Requests("handshake"), 2)

	srv.ExpireSessions()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Library.Albums(ctx, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	eq(t, "one shared renewal for 8 callers", srv.Requests("handshake"), 3)

	// A 4701 that keeps coming back is returned after one renewal.
	srv.FailNext("songs", 2, ampachetest.Fault{Code: 4701})
	_, err := c.Library.Songs(ctx, nil)
	if !errors.Is(err, client.ErrSessionExpired) {
		t.Errorf("got %v, want ErrSessionExpired", err)
	}
	eq(t, "handshakes", srv.Requests("handshake"), 4)
}

func TestIntegrationAPI5(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{APIVersion: 5}, user)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	eq(t, "API major", c.APIMajorVersion(), 5)
	songs := all(t, c.Library.AllSongs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 40}}))
	eq(t, "songs", len(songs), len(srv.Songs()))
	al := must[*client.Album](t, "album")(c.Library.Album(ctx, "1", nil))
	eq(t, "album", al.ID, "1")
	s := must[*client.Song](t, "song")(c.Library.Song(ctx, "1"))
	eq(t, "song format", s.Format, "mp3")
	must[*client.Page[client.Genre]](t, "genres")(c.Library.Genres(ctx, nil))
	if _, err := c.Library.Index(ctx, client.TypeSong, nil); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("index on API5: got %v, want ErrUnsupported", err)
	}
	p := must[*client.Playlist](t, "playlist")(c.Playlists.Create(ctx, "Five", ""))
	ok(t, "add (falls back to playlist_add_song)", c.Playlists.Add(ctx, p.ID, "4", client.TypeSong))
	got, _ := srv.PlaylistByID(atoi(t, p.ID))
	eq(t, "entries", len(got.SongIDs), 1)
	b := must[*client.Bookmark](t, "bookmark")(c.Bookmarks.Create(ctx, "4", client.TypeSong, 12, nil))
	eq(t, "bookmark position", int(b.Position), 12)
	target := srv.Songs()[20]
	r := must[*client.SearchResults](t, "group fallback")(c.Search.Group(ctx, &client.GroupSearch{Type: client.GroupMusic,
		Rules: client.Rules{Rules: []client.Rule{{Field: "title", Operator: client.TextIs, Input: target.Title}}}}))
	if !slices.ContainsFunc(r.Songs, func(s client.Song) bool { return s.ID == id(target.ID) }) {
		t.Errorf("group search fallback misses song %d", target.ID)
	}
	if _, err := c.Library.Song(ctx, "999999"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("missing song: got %v", err)
	}
}

func TestIntegrationAPI4(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{APIVersion: 4}, user)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	eq(t, "API major", c.APIMajorVersion(), 4)
	eq(t, "API version", c.APIVersion(), "443000")
	songs := all(t, c.Library.AllSongs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 100}}))
	eq(t, "songs", len(songs), len(srv.Songs()))
	if len(songs[0].Genres) == 0 {
		t.Error("API4 songs lost their genres")
	}
	al := must[*client.Album](t, "album")(c.Library.Album(ctx, "1", nil))
	eq(t, "album", al.ID, "1")
	ar := must[*client.Artist](t, "artist")(c.Library.Artist(ctx, "2", nil))
	eq(t, "artist", ar.ID, "2")
	pls := must[*client.Page[client.Playlist]](t, "playlists")(c.Playlists.List(ctx, nil))
	if len(pls.Items) == 0 {
		t.Error("no playlists")
	}
	g := must[*client.Page[client.Genre]](t, "genres")(c.Library.Genres(ctx, nil))
	if len(g.Items) == 0 || g.Items[0].Name == "" {
		t.Errorf("genres: %+v", g.Items)
	}
	_, err := c.Library.Song(ctx, "999999")
	var e *client.Error
	if !errors.Is(err, client.ErrNotFound) || !errors.As(err, &e) || e.LegacyCode != 404 {
		t.Errorf("missing song on API4: got %v", err)
	}
	if _, err := c.Bookmarks.List(ctx, nil); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("bookmarks on API4: got %v, want ErrUnsupported", err)
	}
	// Pinned to API4 on an API6 server, the session is API4 too.
	_, p := start(t, ampachetest.Options{}, user, client.WithAPIVersion(4))
	must[*client.HandshakeReply](t, "pinned handshake")(p.Handshake(ctx))
	eq(t, "pinned API", p.APIMajorVersion(), 4)
	must[*client.Page[client.Song]](t, "pinned songs")(p.Library.Songs(ctx, nil))
}

func TestIntegrationErrorCodes(t *testing.T) {
	t.Parallel()
	// Each fault is seen as it is, without retries (retry_reliability_test.go
	// tests those).
	srv, c := start(t, ampachetest.Options{}, user, client.WithRetry(client.RetryPolicy{Attempts: 1}))
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	songs := func() error { _, err := c.Library.Songs(ctx, nil); return err }
	for _, tt := range []struct {
		code int
		want error
	}{
		{4700, client.ErrAPIDisabled}, {4703, client.ErrAccessDenied}, {4704, client.ErrNotFound},
		{4705, client.ErrMissingMethod}, {4706, client.ErrDeprecated}, {4710, client.ErrBadRequest},
		{4742, client.ErrFailedAccessCheck},
	} {
		srv.FailNext("songs", 1, ampachetest.Fault{Code: tt.code})
		err := songs()
		var e *client.Error
		if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Action == "" {
			t.Errorf("fault %d: got %v", tt.code, err)
		}
	}
	// 4701 once: renewed transparently.
	hs := srv.Requests("handshake")
	srv.FailNext("songs", 1, ampachetest.Fault{Code: 4701})
	ok(t, "songs after one 4701", songs())
	eq(t, "renewal", srv.Requests("handshake"), hs+1)

	srv.FailNext("songs", 1, ampachetest.Fault{Status: 503})
	var se *client.HTTPStatusError
	if err := songs(); !errors.As(err, &se) || se.StatusCode != 503 {
		t.Errorf("503: got %v", err)
	}
	srv.FailNext("songs", 1, ampachetest.Fault{Empty: true})
	if err := songs(); !errors.Is(err, client.ErrEmptyResponse) {
		t.Errorf("empty: got %v", err)
	}
	srv.FailNext("songs", 2, ampachetest.Fault{Reset: true})
	var ue *client.UnreachableError
	if err := songs(); !errors.As(err, &ue) {
		t.Errorf("reset: got %T %v, want *UnreachableError", err, err)
	}
	ok(t, "songs after the faults", songs())

	// Real ones.
	if _, err := c.Library.Song(ctx, "999999"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("missing song: %v", err)
	}
	if _, err := c.Podcasts.Create(ctx, "https://feeds.example.com/x.xml", "1"); !errors.Is(err, client.ErrFailedAccessCheck) {
		t.Errorf("podcast_create as a user: got %v, want ErrFailedAccessCheck", err)
	}
	if err := c.Podcasts.Delete(ctx, "1"); !errors.Is(err, client.ErrFailedAccessCheck) {
		t.Errorf("podcast_delete as a user: got %v, want ErrFailedAccessCheck", err)
	}
	if err := c.Activity.Rate(ctx, client.TypeSong, "1", 9); !errors.Is(err, client.ErrBadRequest) {
		t.Errorf("rating 9: got %v, want ErrBadRequest", err)
	}
	if _, err := c.Bookmarks.Create(ctx, "1", "banana", 5, nil); !errors.Is(err, client.ErrBadRequest) {
		t.Errorf("bookmark of a bad type: got %v, want ErrBadRequest", err)
	}
	srv.SetFeature(ampachetest.FeaturePodcast, false)
	if _, err := c.Podcasts.List(ctx, nil); !errors.Is(err, client.ErrAccessDenied) {
		t.Errorf("podcasts disabled: got %v, want ErrAccessDenied", err)
	}
	srv.SetFeature(ampachetest.FeatureShare, false)
	if _, err := c.Shares.Create(ctx, "1", client.TypeSong, "", 0); !errors.Is(err, client.ErrAccessDenied) {
		t.Errorf("shares disabled: got %v, want ErrAccessDenied", err)
	}
}

func TestIntegrationPinnedTLS(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{})
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ctx := t.Context()
	creds := client.WithCredentials(client.Credentials{User: srv.User.Username, Password: srv.User.Password})

	plain, _ := client.New(srv.URL, creds)
	_, err := plain.Handshake(ctx)
	var ce *client.CertificateError
	if !errors.As(err, &ce) {
		t.Fatalf("self-signed: got %v, want *CertificateError", err)
	}
	eq(t, "fingerprint", ce.Fingerprint, srv.CertificateFingerprint())

	pinned, err := client.New(srv.URL, creds, client.WithPinnedCertificate(ce.Fingerprint))
	ok(t, "new", err)
	must[*client.HandshakeReply](t, "pinned handshake")(pinned.Handshake(ctx))
	must[*client.Page[client.Song]](t, "pinned songs")(pinned.Library.Songs(ctx, nil))

	ok(t, "rotate", srv.RotateCertificate())
	again, _ := client.New(srv.URL, creds, client.WithPinnedCertificate(ce.Fingerprint))
	_, err = again.Handshake(ctx)
	var ce2 *client.CertificateError
	if !errors.As(err, &ce2) || ce2.Pinned == "" || ce2.Fingerprint != srv.CertificateFingerprint() {
		t.Errorf("rotated certificate: got %v", err)
	}
}

func TestIntegrationStalledServer(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(t.Context()))
	release := srv.StallNext("songs", 1)
	defer release()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Library.Songs(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled server: got %v, want context.DeadlineExceeded", err)
	}
}

// BenchmarkSyncSongs100k reads a 100,000-song library with the iterator, as
// a first sync would (20 pages of 5000).
func BenchmarkSyncSongs100k(b *testing.B) {
	srv := ampachetest.NewServer(ampachetest.Options{Library: ampachetest.Library{Artists: 2000, AlbumsPerArtist: 5, SongsPerAlbum: 10}})
	defer srv.Close()
	c, err := client.New(srv.URL, client.WithHTTPClient(srv.Client()),
		client.WithCredentials(client.Credentials{User: srv.User.Username, Password: srv.User.Password}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Handshake(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		for _, err := range c.Library.AllSongs(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(srv.Songs()) {
			b.Fatalf("%d songs, want %d", n, len(srv.Songs()))
		}
	}
}
