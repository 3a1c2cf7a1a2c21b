package client

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestEmptyBody(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {})
	c := f.client()
	_, err := c.Library.Songs(t.Context(), nil)
	if !errors.Is(err, ErrEmptyResponse) {
		t.Fatalf("songs: got %v, want ErrEmptyResponse", err)
	}
	if !strings.Contains(err.Error(), "songs") {
		t.Errorf("error does not name the method: %v", err)
	}

	// An API4 server asked for "4.4.0" answers the handshake with nothing.
	f2 := newFake(t, "443000")
	f2.handle("handshake", func(w http.ResponseWriter, q url.Values) {})
	_, err = f2.client(WithAPIVersion(4)).Handshake(t.Context())
	if !errors.Is(err, ErrEmptyResponse) {
		t.Fatalf("handshake: got %v, want ErrEmptyResponse", err)
	}
}

func TestNotAmpache(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<!DOCTYPE html><html><body>Welcome to nginx</body></html>"))
		}},
		{"404", http.NotFound},
		{"JSON of another API", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"status":"ok","data":[]}`))
		}},
		{"plain text", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("It works!"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			c, err := New(srv.URL+"/ampache", WithHTTPClient(srv.Client()),
				WithCredentials(Credentials{User: testUser, Password: testPass}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Handshake(t.Context())
			if !errors.Is(err, ErrNotAmpache) {
				t.Fatalf("got %v, want ErrNotAmpache", err)
			}
			if tt.name == "404" {
				var se *HTTPStatusError
				if !errors.As(err, &se) || se.StatusCode != 404 {
					t.Errorf("no *HTTPStatusError 404 in %v", err)
				}
			}
		})
	}
}

func TestHTMLForDataCall(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte("<html><body>Fatal error: Allowed memory size exhausted</body></html>"))
	})
	_, err := f.client().Library.Songs(t.Context(), nil)
	if !errors.Is(err, ErrNotAmpache) {
		t.Fatalf("got %v, want ErrNotAmpache", err)
	}
}

func TestHTTPStatus(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		http.Error(w, "upstream down", http.StatusBadGateway)
	})
	_, err := f.client().Library.Songs(t.Context(), nil)
	var se *HTTPStatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadGateway {
		t.Fatalf("got %v, want *HTTPStatusError 502", err)
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	base := "http://" + addr + "/ampache"
	c, err := New(base, WithCredentials(Credentials{User: testUser, Password: testPass}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Handshake(t.Context())
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("got %T %v, want *UnreachableError", err, err)
	}
	eq(t, "URL", ue.URL, base)
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("the network error is not in the chain: %v", err)
	}
}

func TestDecodeErrorNamesField(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte(`{"total_count":2,"song":[{"id":"1","time":60},{"id":"2","time":{"minutes":1}}]}`))
	})
	f.handle("album", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte(`{"id":"3","name":"A","tracks":[{"id":"9","title":["not","text"]}]}`))
	})
	f.handle("artists", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte(`{"artist":[{"id":"1",}]}`))
	})
	c := f.client()
	tests := []struct {
		call      func() error
		method    string
		field     string
		hasOffset bool
	}{
		{func() error { _, err := c.Library.Songs(t.Context(), nil); return err }, "songs", "song.time", false},
		{func() error { _, err := c.Library.Album(t.Context(), "3", nil); return err }, "album", "tracks.title", false},
		{func() error { _, err := c.Library.Artists(t.Context(), nil); return err }, "artists", "artist", true},
	}
	for _, tt := range tests {
		err := tt.call()
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("%s: got %v, want *DecodeError", tt.method, err)
		}
		eq(t, tt.method+" Method", de.Method, tt.method)
		eq(t, tt.method+" Field", de.Field, tt.field)
		if tt.hasOffset != (de.Offset > 0) {
			t.Errorf("%s: Offset %d", tt.method, de.Offset)
		}
		if tt.field != "" && !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: message does not name the field: %v", tt.method, err)
		}
	}
}

func TestAPI4ErrorShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		legacy int
		want   *Error
	}{
		{400, ErrBadRequest}, {401, ErrSessionExpired}, {403, ErrAccessDenied}, {404, ErrNotFound},
		{405, ErrMissingMethod}, {412, ErrFailedAccessCheck}, {501, ErrAPIDisabled},
	}
	for _, tt := range tests {
		body := `{"error":{"code":"` + strconv.Itoa(tt.legacy) + `","message":"share 107 was not found"}}`
		_, err := parsePayload("share", []byte(body))
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%d: %v", tt.legacy, err)
		}
		eq(t, "Code", e.Code, tt.want.Code)
		eq(t, "LegacyCode", e.LegacyCode, tt.legacy)
		eq(t, "Message", e.Message, "share 107 was not found")
		eq(t, "Action", e.Action, "share")
		if !errors.Is(err, tt.want) {
			t.Errorf("%d: errors.Is(%v) false", tt.legacy, tt.want)
		}
	}
	// Through the client: an API4 404 is ErrNotFound.
	f := newFake(t, "443000")
	f.handle("song", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte(`{"error":{"code":"404","message":"Song 9 not found"}}`))
	})
	_, err := f.client().Library.Song(t.Context(), "9")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

func TestErrorIs(t *testing.T) {
	t.Parallel()
	e := &Error{Code: CodeNotFound, Action: "song", Message: "Not Found: 9"}
	if !errors.Is(e, ErrNotFound) || errors.Is(e, ErrBadRequest) {
		t.Error("Is compares codes")
	}
	wrapped := wrapErr("song", e)
	if !errors.Is(wrapped, ErrNotFound) {
		t.Error("wrapping loses Is")
	}
	if !strings.HasPrefix(wrapped.Error(), "ampache song: ") {
		t.Errorf("wrapped message %q does not start with the method", wrapped)
	}
	if wrapErr("x", wrapped) != wrapped {
		t.Error("wrapErr wraps twice")
	}
}

func TestResponseTooLarge(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		writeJSON(w, songsJSON(500, 1, 500)) // ~20 KB
	})
	c := f.client(WithMaxResponseSize(4096))
	_, err := c.Library.Songs(t.Context(), nil)
	var tl *ResponseTooLargeError
	if !errors.As(err, &tl) || tl.Limit != 4096 {
		t.Fatalf("got %v, want *ResponseTooLargeError{4096}", err)
	}
	// The same reply fits the default cap.
	p, err := f.client().Library.Songs(t.Context(), nil)
	if err != nil || len(p.Items) != 500 {
		t.Fatalf("default cap: %v, %d items", err, len(p.Items))
	}
}

func TestEndlessResponseIsCapped(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte(`{"song":[`))
		chunk := []byte(strings.Repeat(`{"id":"1","title":"x"},`, 1000))
		for range 10000 { // 23 MB unless the client hangs up first
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	_, err := f.client(WithMaxResponseSize(1<<20)).Library.Songs(t.Context(), nil)
	var tl *ResponseTooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("got %v, want *ResponseTooLargeError", err)
	}
}

// TestNoSecretsInErrorsOrLogs provokes many failures and checks that no
// password, API key, passphrase or session token reaches an error message
// or a log line.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFake(t, "6.9.2")
	var errs []error
	collect := func(err error) {
		if err == nil {
			t.Error("expected an error")
			return
		}
		errs = append(errs, err)
	}
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		// An error message quoting the request, as a PHP warning might.
		writeError(w, 4710, "songs", "filter", "Bad Request: auth="+q.Get("auth")+" url="+q.Encode())
	})
	f.handle("albums", func(w http.ResponseWriter, q url.Values) {
		_, _ = w.Write([]byte(`{"album":[{"id":"1","time":{"auth":"` + q.Get("auth") + `"}}]}`))
	})
	f.handle("artists", func(w http.ResponseWriter, q url.Values) { http.Error(w, "no", 500) })
	c := f.client(WithLogger(logger))
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	token := "tok1-deadbeefcafe"
	_, err := c.Library.Songs(t.Context(), nil)
	collect(err)
	_, err = c.Library.Albums(t.Context(), nil)
	collect(err)
	_, err = c.Library.Artists(t.Context(), nil)
	collect(err)
	streamURL, err := c.Media.StreamURL("1", TypeSong, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.expireAll()
	f.mu.Lock()
	f.hsRejectAll = true
	f.mu.Unlock()
	_, err = c.Library.Songs(t.Context(), nil)
	collect(err)

	bad := newFake(t, "6.9.2")
	_, err = bad.client(WithLogger(logger), WithCredentials(Credentials{APIKey: testAPIKey + "x"})).Handshake(t.Context())
	collect(err)
	_, err = New("ampache://alice:" + testPass + "@host:notaport/ampache")
	collect(err)
	_, _, err = ParseServer("ftp://alice:" + testPass + "@host/x")
	collect(err)

	// Unreachable, with the secret-bearing URL in the *url.Error.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	dead, _ := New("http://"+addr, WithLogger(logger), WithCredentials(Credentials{User: testUser, Password: testPass}))
	_, err = dead.Handshake(t.Context())
	collect(err)

	secrets := []string{testPass, testAPIKey, token, hashPass("", testPass)[:16]}
	for _, err := range errs {
		msg := err.Error()
		for _, s := range secrets {
			if strings.Contains(msg, s) {
				t.Errorf("error %q contains secret %q", msg, s)
			}
		}
		var ue *url.Error
		if errors.As(err, &ue) && strings.Contains(ue.URL, token) {
			t.Errorf("*url.Error URL keeps the token: %s", ue.URL)
		}
	}
	f.mu.Lock()
	for _, q := range f.queries["handshake"] {
		secrets = append(secrets, q.Get("auth")) // passphrases
	}
	f.mu.Unlock()
	out := logs.String()
	if !strings.Contains(out, "action=songs") {
		t.Fatalf("nothing logged: %q", out)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("log contains secret %q", s)
		}
	}
	if !strings.Contains(streamURL, token) {
		t.Error("the stream URL has no token: the log check above proves nothing")
	}
}
