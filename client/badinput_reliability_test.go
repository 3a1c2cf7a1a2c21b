package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// Bad input over the wire: truncated, huge, non-UTF-8, wrong-type and
// wrong-shape replies give a typed error (or, where the models are lenient
// on purpose, a sane value), never a panic, a hang or unbounded memory.

// errKind names the type of a client error, or "" for an untyped one.
func errKind(err error) string {
	var (
		tooLarge *ResponseTooLargeError
		decode   *DecodeError
		api      *Error
		unreach  *UnreachableError
		status   *HTTPStatusError
	)
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &tooLarge):
		return "too large"
	case errors.Is(err, ErrEmptyResponse):
		return "empty"
	case errors.Is(err, ErrNotAmpache):
		return "not ampache"
	case errors.As(err, &decode):
		return "decode"
	case errors.As(err, &api):
		return "api"
	case errors.As(err, &unreach):
		return "unreachable"
	case errors.As(err, &status):
		return "status"
	case errors.Is(err, ErrCommandFailed):
		return "command failed"
	case errors.Is(err, ErrBadCredentials):
		return "bad credentials"
	}
	return ""
}

// badCall is one client method that reads a reply of some shape.
type badCall struct {
	action string
	call   func(ctx context.Context, c *Client) (any, error)
}

var badCalls = []badCall{
	{"songs", func(ctx context.Context, c *Client) (any, error) { return c.Library.Songs(ctx, nil) }},
	{"album", func(ctx context.Context, c *Client) (any, error) { return c.Library.Album(ctx, "1", nil) }},
	{"get_bookmark", func(ctx context.Context, c *Client) (any, error) {
		return c.Bookmarks.ForObject(ctx, "1", TypeSong, nil)
	}},
	{"playlist_hash", func(ctx context.Context, c *Client) (any, error) { return c.Playlists.Hash(ctx, "1") }},
	{"localplay", func(ctx context.Context, c *Client) (any, error) { return c.Localplay.Status(ctx) }},
	{"search_group", func(ctx context.Context, c *Client) (any, error) {
		return c.Search.Group(ctx, &GroupSearch{Type: GroupMusic, Rules: Rules{Rules: []Rule{{Field: "title", Operator: TextContains, Input: "a"}}}})
	}},
	{"rate", func(ctx context.Context, c *Client) (any, error) { return nil, c.Activity.Rate(ctx, TypeSong, "1", 3) }},
}

var lenientLists = map[string]string{"playlist_hash": "ok", "search_group": "ok"}

func TestBadRepliesGiveTypedErrors(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	for _, tt := range []struct {
		name string
		body string
		// want is the error kind for every call; wantFor overrides it.
		want    string
		wantFor map[string]string
	}{
		{"truncated object", `{"song":[{"id":"1","title":"A`, "decode", nil},
		{"truncated array", `[{"song":[{"id":"1"`, "decode", nil},
		{"only an opening brace", `{`, "decode", nil},
		{"empty", ``, "empty", nil},
		{"whitespace", " \r\n\t ", "empty", nil},
		{"HTML", `<!DOCTYPE html><html><body>It works!</body></html>`, "not ampache", nil},
		{"plain text", `Fatal error: Allowed memory size exhausted`, "not ampache", nil},
		{"a JSON string", `"song"`, "not ampache", nil},
		{"a JSON number", `4701`, "not ampache", nil},
		{"null", `null`, "not ampache", nil},
		{"UTF-16 with BOM", "\xff\xfe{\x00\"\x00s\x00\"\x00}\x00", "not ampache", nil},
		{"Latin-1 outside strings", "{\"song\":[{\"id\":\"1\",\xe9:1}]}", "decode", nil},
		{"nested 200,000 deep", deep, "decode", nil},
		{"error of a wrong type", `{"error":12}`, "api", nil},
		{"error object of wrong types", `{"error":{"errorCode":{"x":1},"errorMessage":[1]}}`, "decode", nil},
		// A search answers with whatever lists it finds (none here), and a
		// playlist hash is any value: lenient on purpose.
		{"list of wrong type", `{"song":[1,"two",null,true]}`, "decode", lenientLists},
		{"object of another method", `{"playlist":{"id":"3","name":"p"},"total_count":1}`, "decode",
			lenientLists},
		{"object with wrong field types", `{"song":[{"id":{"a":1},"title":["x"],"time":{"s":3}}],"id":{"x":1},"name":[],"md5":{},"bookmark":7,"status":"x"}`, "decode", lenientLists},
		// Numbers too large for their field are clamped, not refused.
		{"number out of range", `{"song":[{"id":"1","time":1e400}],"id":"1","time":1e400,"status":{"volume":1e400},"md5":1e400}`, "ok",
			map[string]string{"localplay": "decode", "rate": "decode"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, "6.9.2")
			for _, bc := range badCalls {
				f.handle(bc.action, func(w http.ResponseWriter, _ url.Values) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(tt.body))
				})
			}
			c := f.client()
			for _, bc := range badCalls {
				_, err := bc.call(t.Context(), c)
				want := tt.want
				if w, ok := tt.wantFor[bc.action]; ok {
					want = w
				}
				if kind := errKind(err); kind != want {
					t.Errorf("%s: got %q (%T %v), want %q", bc.action, kind, err, err, want)
				}
				if err != nil && !utf8.ValidString(err.Error()) {
					t.Errorf("%s: error message is not UTF-8: %q", bc.action, err.Error())
				}
			}
		})
	}
}

// Invalid UTF-8 inside strings is read (Go's decoder turns each bad byte
// into U+FFFD), so what reaches a face is always valid UTF-8.
func TestNonUTF8StringsBecomeValidText(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, _ url.Values) {
		_, _ = w.Write([]byte("{\"song\":[{\"id\":\"1\",\"title\":\"Caf\xe9 del Mar\",\"artist\":{\"id\":\"2\",\"name\":\"\xff\xfe\xfd\"}}]}"))
	})
	page, err := f.client().Library.Songs(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := page.Items[0]
	if !utf8.ValidString(s.Title) || !utf8.ValidString(s.Artist.Name) {
		t.Errorf("invalid UTF-8 reached the model: %q, %q", s.Title, s.Artist.Name)
	}
	if s.Title != "Caf\uFFFD del Mar" {
		t.Errorf("title %q, want the bad byte replaced", s.Title)
	}
}

// A body cut short of its Content-Length is a network failure: the read
// is retried, and a body that is cut every time ends as *UnreachableError.
func TestTruncatedTransfer(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	var cuts atomic.Int32
	body := `{"song":[{"id":"1","title":"A song"}]}`
	f.handle("songs", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if cuts.Add(1) <= 2 {
			_, _ = w.Write([]byte(body[:len(body)/2]))
			panic(http.ErrAbortHandler) // close the connection mid-body
		}
		_, _ = w.Write([]byte(body))
	})
	c := f.client(WithRetry(RetryPolicy{Attempts: 3, Initial: time.Millisecond, Max: time.Millisecond}))
	page, err := c.Library.Songs(t.Context(), nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("after two cut bodies: %v %v", page, err)
	}
	if n := f.count("songs"); n != 3 {
		t.Errorf("songs requests = %d, want 3", n)
	}
	cuts.Store(-10) // from now on every body is cut
	_, err = c.Library.Songs(t.Context(), nil)
	if kind := errKind(err); kind != "unreachable" {
		t.Errorf("always cut: got %q (%v), want unreachable", kind, err)
	}
}

// hugeBody streams n bytes of a valid-looking songs list without holding
// them, and counts what it managed to send before the client hung up.
func hugeBody(n int64, withLength bool, sent *atomic.Int64) func(http.ResponseWriter, url.Values) {
	return func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Content-Type", "application/json")
		if withLength {
			w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		}
		item := []byte(`{"id":"1","title":"` + strings.Repeat("x", 200) + `"},`)
		chunk := append([]byte(`{"song":[`), bytes.Repeat(item, (64<<10)/len(item))...)
		for left := n; left > 0; {
			k := min(int64(len(chunk)), left)
			m, err := w.Write(chunk[:k])
			sent.Add(int64(m))
			if err != nil {
				return
			}
			left -= k
			chunk = chunk[:cap(chunk)]
			if chunk[0] == '{' { // the opening only once
				chunk = bytes.Repeat(item, (64<<10)/len(item))
			}
		}
	}
}

// heapBytes is the live heap now (no stop of the world).
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestHugeReplyStopsAtTheLimit serves a 100 MB reply: the client stops
// reading at its limit with *ResponseTooLargeError, and its memory grows
// with the limit, not with the reply. Not parallel: it measures the heap.
func TestHugeReplyStopsAtTheLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("serves 100 MB")
	}
	const body = 100 << 20
	for _, tt := range []struct {
		name       string
		limit      int64
		withLength bool
	}{
		{"8 MB limit, chunked", 8 << 20, false},
		{"8 MB limit, with Content-Length", 8 << 20, true},
		{"default 64 MB limit, chunked", 0, false},
		{"default 64 MB limit, with Content-Length", 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, "6.9.2")
			var sent atomic.Int64
			f.handle("songs", hugeBody(body, tt.withLength, &sent))
			opts := []Option{WithRetry(RetryPolicy{Attempts: 1})}
			limit := int64(DefaultMaxResponseSize)
			if tt.limit != 0 {
				limit = tt.limit
				opts = append(opts, WithMaxResponseSize(limit))
			}
			c := f.client(opts...)
			if _, err := c.Handshake(t.Context()); err != nil {
				t.Fatal(err)
			}

			// Collect often, so that the peak is what is live rather than
			// garbage waiting for a collection.
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			base := heapBytes()
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				tick := time.NewTicker(time.Millisecond)
				defer tick.Stop()
				for {
					if h := heapBytes(); h > peak.Load() {
						peak.Store(h)
					}
					select {
					case <-stop:
						return
					case <-tick.C:
					}
				}
			})
			_, err := c.Library.Songs(t.Context(), nil)
			close(stop)
			wg.Wait()
			runtime.ReadMemStats(&after)

			var tooLarge *ResponseTooLargeError
			if !errors.As(err, &tooLarge) || tooLarge.Limit != limit {
				t.Fatalf("got %v, want *ResponseTooLargeError{Limit: %d}", err, limit)
			}
			growth := int64(peak.Load()) - int64(base)
			allocated := after.TotalAlloc - before.TotalAlloc
			// The server can get ahead of the client by the socket buffers
			// (a few MB on loopback); it never gets to send the 100 MB.
			if s := sent.Load(); s > limit+32<<20 || s >= body {
				t.Errorf("the server sent %d MB; the client should hang up at %d MB", s>>20, limit>>20)
			}
			// Reading grows a buffer to the limit, keeping the old one
			// while it is copied: the heap peaks at about 2.5 × the limit,
			// 4 × under the race detector (the in-process server's buffers
			// count too). What matters is that it follows the limit.
			maxGrowth := 5 * limit
			if tt.withLength {
				maxGrowth = 8 << 20 // refused from the header, unread
			}
			if growth > maxGrowth {
				t.Errorf("the heap grew by %d MB, want at most %d MB", growth>>20, maxGrowth>>20)
			}
			t.Logf("100 MB reply, limit %d MB: server sent %.1f MB, peak heap growth %.1f MB, allocated %.1f MB",
				limit>>20, float64(sent.Load())/(1<<20), float64(growth)/(1<<20), float64(allocated)/(1<<20))
		})
	}
}
