package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// relFaultCore is a core logged in to srv through hc.
func relFaultCore(t *testing.T, srv *ampachetest.Server, hc *http.Client) *core.Core {
	t.Helper()
	dir := t.TempDir()
	c, err := core.New(core.Options{
		Dirs:    storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")},
		Keyring: &storagetest.MemKeyring{}, HTTPClient: hc,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	if _, err := c.Login(t.Context(), core.LoginRequest{Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "faults"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFaultsGiveUpInPlainWords: a server that keeps failing (HTTP 500s,
// dropped connections, no answer) is tried a bounded number of times,
// then the caller gets one plain sentence; a server that fails a little,
// or is slow, is simply waited for.
func TestFaultsGiveUpInPlainWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		fault   func(srv *ampachetest.Server) (undo func())
		want    []string // in the message
		timeout bool     // the client's transport waits 300 ms for headers
	}{
		{"HTTP 500 every time", func(srv *ampachetest.Server) func() {
			srv.FailNext("albums", 100, ampachetest.Fault{Status: http.StatusInternalServerError})
			return func() {}
		}, []string{"HTTP 500 Internal Server Error"}, false},
		{"HTTP 503 every time", func(srv *ampachetest.Server) func() {
			srv.FailNext("albums", 100, ampachetest.Fault{Status: http.StatusServiceUnavailable})
			return func() {}
		}, []string{"HTTP 503 Service Unavailable"}, false},
		{"connection reset every time", func(srv *ampachetest.Server) func() {
			srv.FailNext("albums", 100, ampachetest.Fault{Reset: true})
			return func() {}
		}, []string{"cannot reach the server at " + "%URL%", "connection"}, false},
		{"no answer", func(srv *ampachetest.Server) func() {
			return srv.StallNext("albums", 100)
		}, []string{"did not answer in time"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ampachetest.NewUnstartedServer(ampachetest.Options{})
			srv.Start()
			t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
			hc := srv.Client()
			if tt.timeout {
				hc.Transport.(*http.Transport).ResponseHeaderTimeout = 300 * time.Millisecond
			}
			c := relFaultCore(t, srv, hc)
			srv.ResetRequests()
			undo := tt.fault(srv)
			defer undo()
			_, err := c.Albums(t.Context(), nil)
			if err == nil {
				t.Fatal("no error from a failing server")
			}
			msg := core.Explain(err)
			t.Logf("after %d requests: %s", srv.Requests("albums"), msg)
			for _, want := range tt.want {
				want = strings.ReplaceAll(want, "%URL%", srv.URL)
				if !strings.Contains(msg, want) {
					t.Errorf("Explain = %q, missing %q", msg, want)
				}
			}
			// Plain words: one line, no Go error chain, no secret.
			for _, bad := range []string{"\n", "auth=", "ssid=", "net/http", "read tcp", "dial tcp", "json.server.php", "EOF", "ampache albums:"} {
				if strings.Contains(msg, bad) {
					t.Errorf("Explain = %q contains %q", msg, bad)
				}
			}
			// Bounded: the default policy's 3 attempts (a reset may cost
			// Go's transport one more request each, on a reused connection).
			if n := srv.Requests("albums"); n < 3 || n > 6 {
				t.Errorf("%d requests before giving up, want 3 (at most 6 with resets)", n)
			}
		})
	}
}

// TestSlowAndFlakyServerIsWaitedFor: two 503s then an answer, and a
// server taking 300 ms a request, give results, not errors.
func TestSlowAndFlakyServerIsWaitedFor(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	c := relFaultCore(t, srv, srv.Client())
	ctx := t.Context()
	srv.FailNext("artists", 2, ampachetest.Fault{Status: http.StatusServiceUnavailable})
	if _, err := c.Artists(ctx, nil); err != nil {
		t.Errorf("two 503s then an answer: %s", core.Explain(err))
	}
	srv.SetLatency(300 * time.Millisecond)
	if _, _, err := c.Album(ctx, "1"); err != nil {
		t.Errorf("a slow server: %s", core.Explain(err))
	}
	srv.SetLatency(0)
}

// TestClosedConnectionInPlainWords: a server (or proxy) that closes the
// connection without answering is explained in words, not as "EOF".
func TestClosedConnectionInPlainWords(t *testing.T) {
	t.Parallel()
	closer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close() // a clean close (FIN), no answer
			}
		}
	}))
	t.Cleanup(closer.Close)
	cl, err := client.New(closer.URL+"/ampache", client.WithHTTPClient(closer.Client()),
		client.WithRetry(client.RetryPolicy{Attempts: 2, Initial: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.Ping(t.Context())
	msg := core.Explain(err)
	t.Logf("%v → %s", err, msg)
	if !strings.Contains(msg, "cannot reach the server") || strings.Contains(msg, "EOF") {
		t.Errorf("Explain = %q, want a plain sentence without EOF", msg)
	}
}
