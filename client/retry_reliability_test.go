package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// Retries: a call that only reads is sent again after a transient failure
// (HTTP 5xx, a reset, a timeout), a bounded number of times with backoff;
// a call that changes something is sent once.

// fastRetry keeps the tests quick: 3 attempts, 1-2 ms apart.
var fastRetry = client.WithRetry(client.RetryPolicy{Attempts: 3, Initial: 2 * time.Millisecond, Max: 4 * time.Millisecond})

func TestRetryReadsAfterTransientFaults(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		fault ampachetest.Fault
	}{
		{"500", ampachetest.Fault{Status: http.StatusInternalServerError}},
		{"502", ampachetest.Fault{Status: http.StatusBadGateway}},
		{"503", ampachetest.Fault{Status: http.StatusServiceUnavailable}},
		{"504", ampachetest.Fault{Status: http.StatusGatewayTimeout}},
		{"429", ampachetest.Fault{Status: http.StatusTooManyRequests}},
		{"reset", ampachetest.Fault{Reset: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := start(t, ampachetest.Options{}, user, fastRetry)
			ctx := t.Context()
			must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
			srv.ResetRequests()
			// Two failures in a row, then the server answers: the third
			// attempt gets the songs.
			srv.FailNext("songs", 2, tt.fault)
			page := must[*client.Page[client.Song]](t, "songs after two faults")(c.Library.Songs(ctx, nil))
			if len(page.Items) == 0 {
				t.Error("no songs")
			}
			n := srv.Requests("songs")
			if tt.fault.Reset {
				// Go's transport may itself resend once on a reused
				// connection that dropped; each attempt is at most two.
				if n < 3 || n > 6 {
					t.Errorf("songs requests = %d, want 3 to 6", n)
				}
			} else {
				eq(t, "songs requests", n, 3)
			}
			eq(t, "handshakes", srv.Requests("handshake"), 0)
		})
	}
}

func TestRetryGivesUpAfterItsAttempts(t *testing.T) {
	t.Parallel()
	initial := 20 * time.Millisecond
	srv, c := start(t, ampachetest.Options{}, user,
		client.WithRetry(client.RetryPolicy{Attempts: 3, Initial: initial, Max: 2 * initial}))
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	srv.ResetRequests()
	srv.FailNext("albums", 3, ampachetest.Fault{Status: http.StatusServiceUnavailable})
	began := time.Now()
	_, err := c.Library.Albums(ctx, nil)
	waited := time.Since(began)
	var status *client.HTTPStatusError
	if !errors.As(err, &status) || status.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("got %v, want the last *HTTPStatusError 503", err)
	}
	eq(t, "albums requests", srv.Requests("albums"), 3)
	// The backoff really waited: at least half of 20 ms, then half of 40 ms
	// (the jitter takes up to half of each delay).
	if minimum := initial/2 + initial; waited < minimum {
		t.Errorf("gave up after %v, want at least %v of backoff", waited, minimum)
	}
	// The next call starts afresh.
	must[*client.Page[client.Album]](t, "albums afterwards")(c.Library.Albums(ctx, nil))
	eq(t, "albums requests", srv.Requests("albums"), 4)
}

func TestRetryStopsWithTheContext(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user,
		client.WithRetry(client.RetryPolicy{Attempts: 5, Initial: time.Hour, Max: time.Hour}))
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(t.Context()))
	srv.ResetRequests()
	srv.FailNext("songs", 5, ampachetest.Fault{Status: http.StatusBadGateway})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Library.Songs(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded during the backoff", err)
	}
	eq(t, "songs requests", srv.Requests("songs"), 1)
}

func TestRetryNeverResendsWrites(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, admin, fastRetry)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	pl := must[*client.Playlist](t, "playlist")(c.Playlists.Create(ctx, "Retries", client.PlaylistPrivate))
	writes := []struct {
		action string
		call   func() error
	}{
		{"rate", func() error { return c.Activity.Rate(ctx, client.TypeSong, "9", 4) }},
		{"flag", func() error { return c.Activity.Flag(ctx, client.TypeSong, "9", true) }},
		{"record_play", func() error { return c.Activity.RecordPlay(ctx, "9", nil) }},
		{"playlist_add_song", func() error { return c.Playlists.AddSong(ctx, pl.ID, "9", false) }},
		{"playlist_create", func() error { _, err := c.Playlists.Create(ctx, "Twice?", ""); return err }},
		{"bookmark_create", func() error { _, err := c.Bookmarks.Create(ctx, "9", client.TypeSong, 30, nil); return err }},
		{"share_create", func() error { _, err := c.Shares.Create(ctx, "9", client.TypeSong, "", 1); return err }},
		{"localplay", func() error { return c.Localplay.Next(ctx) }},
		{"democratic", func() error { return c.Democratic.Vote(ctx, "9") }},
	}
	for _, fault := range []ampachetest.Fault{
		{Status: http.StatusServiceUnavailable}, {Status: http.StatusInternalServerError},
	} {
		for _, w := range writes {
			srv.ResetRequests()
			srv.FailNext(w.action, 1, fault)
			err := w.call()
			var status *client.HTTPStatusError
			if !errors.As(err, &status) || status.StatusCode != fault.Status {
				t.Errorf("%s with HTTP %d: got %v, want the *HTTPStatusError at once", w.action, fault.Status, err)
			}
			eq(t, w.action+" requests", srv.Requests(w.action), 1)
		}
	}
	// The failed writes left no trace on the server.
	got, _ := srv.PlaylistByID(atoi(t, pl.ID))
	eq(t, "playlist entries", len(got.SongIDs), 0)
	eq(t, "rating", srv.Rating(srv.Admin.Username, "song", 9), 0)

	// A read of the same API areas is retried: localplay status, the
	// democratic playlist.
	srv.ResetRequests()
	srv.FailNext("localplay", 2, ampachetest.Fault{Status: http.StatusServiceUnavailable})
	must[*client.LocalplayStatus](t, "localplay status")(c.Localplay.Status(ctx))
	eq(t, "localplay status requests", srv.Requests("localplay"), 3)
	srv.FailNext("democratic", 1, ampachetest.Fault{Status: http.StatusBadGateway})
	must[*client.Page[client.DemocraticSong]](t, "democratic playlist")(c.Democratic.Playlist(ctx))
	eq(t, "democratic requests", srv.Requests("democratic"), 2)

	// An expired session is different: the server did nothing, so a
	// write is sent again once after the new handshake.
	srv.ResetRequests()
	srv.ExpireSessions()
	ok(t, "rate after expiry", c.Activity.Rate(ctx, client.TypeSong, "9", 4))
	eq(t, "rate requests", srv.Requests("rate"), 2)
	eq(t, "handshakes", srv.Requests("handshake"), 1)
	eq(t, "rating", srv.Rating(srv.Admin.Username, "song", 9), 4)
}

func TestRetryHandshake(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user, fastRetry)
	srv.FailNext("handshake", 2, ampachetest.Fault{Status: http.StatusBadGateway})
	must[*client.HandshakeReply](t, "handshake through two 502s")(c.Handshake(t.Context()))
	eq(t, "handshake requests", srv.Requests("handshake"), 3)
	// A refused password is an answer, not a fault: sent once.
	srv2, bad := start(t, ampachetest.Options{}, func(s *ampachetest.Server) ampachetest.Account {
		return ampachetest.Account{Username: s.User.Username, Password: "wrong"}
	}, fastRetry)
	if _, err := bad.Handshake(t.Context()); !errors.Is(err, client.ErrBadCredentials) {
		t.Fatalf("got %v, want ErrBadCredentials", err)
	}
	eq(t, "refused handshake requests", srv2.Requests("handshake"), 1)
}

// A server that takes longer than the transport's header timeout: the
// read is tried again and the second answer arrives. A slow server within
// the timeout is simply waited for, without a second request.
func TestRetryTimeoutsAndSlowAnswers(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	hc := srv.Client()
	hc.Transport.(*http.Transport).ResponseHeaderTimeout = 300 * time.Millisecond
	c, err := client.New(srv.URL, client.WithHTTPClient(hc), fastRetry,
		client.WithCredentials(client.Credentials{User: srv.User.Username, Password: srv.User.Password}))
	ok(t, "new", err)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))

	srv.ResetRequests()
	release := srv.StallNext("artists", 1)
	defer release()
	must[*client.Page[client.Artist]](t, "artists after a timeout")(c.Library.Artists(ctx, nil))
	eq(t, "artists requests", srv.Requests("artists"), 2)
	release()

	srv.ResetRequests()
	srv.SetLatency(100 * time.Millisecond)
	must[*client.Page[client.Genre]](t, "genres from a slow server")(c.Library.Genres(ctx, nil))
	srv.SetLatency(0)
	eq(t, "genres requests", srv.Requests("genres"), 1)
}

func TestWithRetryRefusesNegativeValues(t *testing.T) {
	t.Parallel()
	for _, p := range []client.RetryPolicy{{Attempts: -1}, {Initial: -time.Second}, {Max: -1}} {
		if _, err := client.New("https://music.example/ampache", client.WithRetry(p)); err == nil {
			t.Errorf("WithRetry(%+v) accepted", p)
		}
	}
}
