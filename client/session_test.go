package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

func TestNegotiation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		offered     string // what ping without a session reports
		pin         int
		wantAsked   string // version= sent in the handshake
		wantMajor   int
		wantPings   int
		wantVersion string // APIVersion after the handshake
	}{
		{"API6 server", "6.9.2", 0, "6.9.0", 6, 1, "6.9.2"},
		{"API5 server", "5.5.6", 0, "5.5.6", 5, 1, "5.5.6"},
		{"API4 server asks numerically", "443000", 0, "440000", 4, 1, "443000"},
		{"future API8 server gets API6", "8.0.0", 0, "6.9.0", 6, 1, "6.9.2"},
		{"pinned 5 on an API6 server", "6.9.2", 5, "5.5.6", 5, 0, "5.5.6"},
		{"pinned 4", "6.9.2", 4, "440000", 4, 0, "443000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, tt.offered)
			var opts []Option
			if tt.pin != 0 {
				opts = append(opts, WithAPIVersion(tt.pin))
			}
			c := f.client(opts...)
			reply, err := c.Handshake(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			hs := f.lastQuery("handshake")
			eq(t, "version asked", hs.Get("version"), tt.wantAsked)
			eq(t, "client", hs.Get("client"), "Ampdesk")
			eq(t, "pings before the handshake", f.count("ping"), tt.wantPings)
			if tt.wantPings > 0 {
				p := f.lastQuery("ping")
				if p.Has("auth") || p.Has("version") {
					t.Errorf("first ping carries auth or version: %v", p)
				}
				eq(t, "ServerVersion", c.ServerVersion(), "7.10.2")
			}
			eq(t, "APIMajorVersion", c.APIMajorVersion(), tt.wantMajor)
			eq(t, "APIVersion", c.APIVersion(), tt.wantVersion)
			eq(t, "reply.API", string(reply.API), tt.wantVersion)
			eq(t, "SessionExpires", c.SessionExpires(), date("2030-01-02T03:04:05Z"))
			eq(t, "reply.Songs", reply.Songs, 3)
		})
	}
}

func TestHandshakePassword(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	c, err := New(f.srv.URL+"/ampache", WithHTTPClient(f.srv.Client()),
		WithCredentials(Credentials{User: "alice", Password: "demo"}))
	if err != nil {
		t.Fatal(err)
	}
	c.now = fixedClock(1700000000)
	f.pass = "demo"
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	q := f.lastQuery("handshake")
	// sha256("1700000000" + sha256("demo")), computed independently.
	eq(t, "auth", q.Get("auth"), "53ec985108e46054a949f8d5c609797690711ba0571bdef28b8226e1aa845034")
	eq(t, "timestamp", q.Get("timestamp"), "1700000000")
	eq(t, "user", q.Get("user"), "alice")
	if !c.LoggedIn() {
		t.Error("not logged in after the handshake")
	}
}

func TestHandshakeAPIKey(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	c := f.client(WithCredentials(Credentials{APIKey: testAPIKey}))
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	q := f.lastQuery("handshake")
	eq(t, "auth", q.Get("auth"), testAPIKey)
	if q.Has("user") || q.Has("timestamp") {
		t.Errorf("API key handshake sent user or timestamp: %v", q)
	}
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	for _, creds := range []Credentials{
		{User: testUser, Password: "wrong"},
		{User: "mallory", Password: testPass},
		{APIKey: "not-the-key"},
	} {
		f := newFake(t, "6.9.2")
		c := f.client(WithCredentials(creds))
		_, err := c.Handshake(t.Context())
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("%v: got %v, want ErrBadCredentials", creds, err)
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Code != CodeSession {
			t.Errorf("%v: the server's 4701 is not in the chain: %v", creds, err)
		}
		// A data call with bad credentials fails the same way, once.
		_, err = c.Library.Songs(t.Context(), nil)
		if !errors.Is(err, ErrBadCredentials) {
			t.Errorf("songs: got %v, want ErrBadCredentials", err)
		}
		eq(t, "handshakes", f.count("handshake"), 2)
		eq(t, "songs requests", f.count("songs"), 0)
	}
}

func TestLoginOnFirstCall(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) { writeJSON(w, songsJSON(1, 1, 1)) })
	c := f.client()
	p, err := c.Library.Songs(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "items", len(p.Items), 1)
	eq(t, "handshakes", f.count("handshake"), 1)
	eq(t, "auth sent", f.lastQuery("songs").Get("auth"), "tok1-deadbeefcafe")
}

func TestNotLoggedInWithoutCredentials(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	c, err := New(f.srv.URL+"/ampache", WithHTTPClient(f.srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Library.Songs(t.Context(), nil); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("got %v, want ErrNotLoggedIn", err)
	}
	eq(t, "requests", f.count("songs")+f.count("handshake"), 0)
	// Ping without a session works and learns the versions.
	reply, err := c.Ping(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Version", string(reply.Version), "6.9.2")
}

func TestRehandshakeOn4701(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) { writeJSON(w, songsJSON(2, 1, 2)) })
	c := f.client()
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.expireAll() // the server forgets the session
	p, err := c.Library.Songs(t.Context(), nil)
	if err != nil {
		t.Fatalf("songs after expiry: %v", err)
	}
	eq(t, "items", len(p.Items), 2)
	eq(t, "handshakes", f.count("handshake"), 2)
	eq(t, "songs requests", f.count("songs"), 2)
	eq(t, "retry used the new token", f.lastQuery("songs").Get("auth"), "tok2-deadbeefcafe")
}

func TestRehandshakeOnlyOnce(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		writeError(w, 4701, "songs", "account", "Session Expired") // always
	})
	c := f.client()
	_, err := c.Library.Songs(t.Context(), nil)
	if !errors.Is(err, ErrSessionExpired) {
		t.Fatalf("got %v, want ErrSessionExpired", err)
	}
	eq(t, "handshakes (login + one renewal)", f.count("handshake"), 2)
	eq(t, "songs requests (one retry)", f.count("songs"), 2)
}

func TestRehandshakeSingleFlight(t *testing.T) {
	t.Parallel()
	const callers = 16
	f := newFake(t, "6.9.2")
	c := f.client()
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.expireAll()
	// Hold the renewal until every caller has been told its session
	// expired, so that without single-flight each would start a handshake.
	gate := make(chan struct{})
	var mu sync.Mutex
	expired := 0
	f.handle("handshake", func(w http.ResponseWriter, q url.Values) {
		<-gate
		f.handshake(w, q)
	})
	f.handle("songs", func(w http.ResponseWriter, q url.Values) { writeJSON(w, songsJSON(1, 1, 1)) })
	f.mu.Lock()
	f.onExpired = func(string) {
		mu.Lock()
		defer mu.Unlock()
		if expired++; expired == callers {
			close(gate)
		}
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			_, err := c.Library.Songs(t.Context(), nil)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	eq(t, "handshakes (login + one shared renewal)", f.count("handshake"), 2)
	eq(t, "songs requests", f.count("songs"), 2*callers)
}

func TestFirstLoginSingleFlight(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) { writeJSON(w, songsJSON(1, 1, 1)) })
	gate := make(chan struct{})
	f.mu.Lock()
	f.hsGate = gate
	f.mu.Unlock()
	c := f.client()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Library.Songs(t.Context(), nil); err != nil {
				t.Error(err)
			}
		})
	}
	// Let the callers pile up on the one handshake, then release it.
	for deadline := time.Now().Add(5 * time.Second); f.count("handshake") == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()
	eq(t, "handshakes", f.count("handshake"), 1)
	eq(t, "pings", f.count("ping"), 1)
}

func TestCallerContextWhileWaitingForHandshake(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	gate := make(chan struct{})
	defer close(gate)
	f.mu.Lock()
	f.hsGate = gate
	f.mu.Unlock()
	c := f.client()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Library.Songs(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestPingExtendsSession(t *testing.T) {
	t.Parallel()
	f := newFake(t, "5.5.6")
	c := f.client()
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	reply, err := c.Ping(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	q := f.lastQuery("ping")
	eq(t, "auth", q.Get("auth"), "tok1-deadbeefcafe")
	// Without version= the server would switch the session to its default API.
	eq(t, "version", q.Get("version"), "5.5.6")
	eq(t, "SessionExpire", reply.SessionExpire.Time, date("2030-01-02T03:04:05Z"))

	// A session the server forgot: ping renews it.
	f.expireAll()
	reply, err = c.Ping(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "handshakes", f.count("handshake"), 2)
	eq(t, "renewed ping auth", f.lastQuery("ping").Get("auth"), "tok2-deadbeefcafe")
	if reply.SessionExpire.IsZero() {
		t.Error("renewed ping has no session expiry")
	}
}

func TestGoodbye(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) { writeJSON(w, songsJSON(1, 1, 1)) })
	c := f.client()
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Goodbye(t.Context()); err != nil {
		t.Fatal(err)
	}
	eq(t, "goodbye auth", f.lastQuery("goodbye").Get("auth"), "tok1-deadbeefcafe")
	if c.LoggedIn() {
		t.Error("still logged in after goodbye")
	}
	if _, err := c.Library.Songs(t.Context(), nil); !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("after goodbye: got %v, want ErrNotLoggedIn (no silent new login)", err)
	}
	eq(t, "handshakes", f.count("handshake"), 1)
	if err := c.Goodbye(t.Context()); err != nil {
		t.Errorf("second goodbye: %v", err)
	}
}

func TestUnsupportedMethod(t *testing.T) {
	t.Parallel()
	f := newFake(t, "5.5.6")
	c := f.client()
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err := c.Library.Index(t.Context(), TypeSong, nil)
	var ue *UnsupportedError
	if !errors.As(err, &ue) || !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("got %v, want *UnsupportedError", err)
	}
	eq(t, "Need", ue.Need, 6)
	eq(t, "Have", ue.Have, 5)
	eq(t, "index requests", f.count("index"), 0)
}

func TestAPIMajor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		"6.9.2": 6, "5.5.6": 5, "443000": 4, "440000": 4, "390001": 3, "350001": 3,
		"8.0.0": 8, "": 0, "x": 0, "-1": 0, "6": 6,
	} {
		eq(t, "APIMajor("+in+")", APIMajor(in), want)
	}
}
