package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func openHTTP(t *testing.T, h HTTP) Stream {
	t.Helper()
	st, err := h.Open(t.Context(), 0)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestHTTPReadsWholeBodyThroughSmallBuffer(t *testing.T) {
	t.Parallel()
	data := encoded(t, clipNamed(t, "tone1k"), "flac")
	for _, ranges := range []bool{true, false} {
		t.Run(fmt.Sprint("ranges=", ranges), func(t *testing.T) {
			t.Parallel()
			srv := (&clipServer{data: data, ranges: ranges, contentType: "audio/flac; charset=binary"}).start(t)
			st := openHTTP(t, HTTP{Client: srv.Client(), URL: srv.URL, BufferSize: 5000})
			info := st.Info()
			if info.ContentType != "audio/flac" || info.Size != int64(len(data)) || info.Seekable != ranges || !info.Remote {
				t.Errorf("Info = %+v", info)
			}
			got, err := io.ReadAll(st)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(data) {
				t.Fatalf("read %d bytes, differing from the %d served", len(got), len(data))
			}
		})
	}
}

// A body cut three times is resumed each time with Range from the byte
// reached; the bytes read are exactly the file.
func TestHTTPResumesWithRangeAfterCuts(t *testing.T) {
	t.Parallel()
	data := encoded(t, clipNamed(t, "tone1k"), "mp3")
	cs := &clipServer{data: data, ranges: true, cutAfter: 20000}
	cs.cuts.Store(3)
	srv := cs.start(t)
	st := openHTTP(t, HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry})
	got, err := io.ReadAll(st)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(data) {
		t.Fatalf("read %d bytes, differing from the %d served", len(got), len(data))
	}
	want := []string{"bytes=0-", "bytes=20000-", "bytes=40000-", "bytes=60000-"}
	if got := cs.ranges_(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Range headers %q, want %q", got, want)
	}
}

// Without Range support a cut cannot be resumed by the stream: it reports
// errStreamCut so the player can reopen at an offset.
func TestHTTPCutWithoutRangeReportsCut(t *testing.T) {
	t.Parallel()
	data := encoded(t, clipNamed(t, "tone1k"), "mp3")
	cs := &clipServer{data: data, chunked: true, cutAfter: 30000}
	cs.cuts.Store(1)
	srv := cs.start(t)
	st := openHTTP(t, HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry})
	if st.Info().Seekable {
		t.Error("a stream without Range says it is seekable")
	}
	got, err := io.ReadAll(st)
	if !errors.Is(err, errStreamCut) {
		t.Fatalf("ReadAll error = %v, want errStreamCut", err)
	}
	if len(got) != 30000 {
		t.Errorf("read %d bytes before the cut, want 30000", len(got))
	}
	if f := st.(failer).Failure(); !errors.Is(f, errStreamCut) {
		t.Errorf("Failure() = %v", f)
	}
	if n := cs.requests.Load(); n != 1 {
		t.Errorf("%d requests; a stream without Range must not retry from byte 0 by itself", n)
	}
}

// A server that stops sending is given up on after IdleTimeout and the
// stream resumes with Range.
func TestHTTPIdleConnectionIsResumed(t *testing.T) {
	t.Parallel()
	data := encoded(t, clipNamed(t, "tone440"), "flac")
	cs := &clipServer{data: data, ranges: true, stallAfter: 10000}
	cs.stalls.Store(1)
	srv := cs.start(t)
	st := openHTTP(t, HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry, IdleTimeout: 100 * time.Millisecond})
	got, err := io.ReadAll(st)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(data) {
		t.Fatalf("read %d bytes, differing from the %d served", len(got), len(data))
	}
	if got := cs.ranges_(); len(got) != 2 || got[1] != "bytes=10000-" {
		t.Errorf("Range headers %q, want a resume at 10000", got)
	}
}

func TestHTTPSeek(t *testing.T) {
	t.Parallel()
	data := make([]byte, 2<<20)
	for i := range data {
		data[i] = byte(i * 31 >> 3)
	}
	cs := &clipServer{data: data, ranges: true}
	srv := cs.start(t)
	st := openHTTP(t, HTTP{Client: srv.Client(), URL: srv.URL, BufferSize: 64 << 10})
	s := st.(io.ReadSeeker)
	readAt := func(off int64, whence int, wantPos int64) {
		t.Helper()
		pos, err := s.Seek(off, whence)
		if err != nil || pos != wantPos {
			t.Fatalf("Seek(%d, %d) = %d, %v; want %d", off, whence, pos, err, wantPos)
		}
		buf := make([]byte, 1000)
		if _, err := io.ReadFull(s, buf); err != nil {
			t.Fatal(err)
		}
		if string(buf) != string(data[wantPos:wantPos+1000]) {
			t.Fatalf("bytes after seeking to %d differ", wantPos)
		}
	}
	readAt(100, io.SeekStart, 100)         // inside the buffer
	readAt(0, io.SeekStart, 0)             // back, still buffered
	readAt(200000, io.SeekStart, 200000)   // read through
	readAt(1500000, io.SeekStart, 1500000) // far: a new request
	readAt(-5000, io.SeekEnd, int64(len(data))-5000)
	readAt(10, io.SeekStart, 10) // back past the buffer: a new request
	if _, err := s.Seek(-1, io.SeekStart); err == nil {
		t.Error("seek to -1 succeeded")
	}
	hdrs := cs.ranges_()
	if len(hdrs) < 3 || hdrs[len(hdrs)-1] != "bytes=10-" {
		t.Errorf("Range headers %q", hdrs)
	}
}

func TestHTTPErrors(t *testing.T) {
	t.Parallel()
	fail503 := func(times int32) http.Handler {
		var n atomicCounter
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.add() <= int(times) {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("fLaC-ish"))
		})
	}
	tests := []struct {
		name      string
		handler   http.Handler
		wantErr   bool
		wantCode  int
		wantCalls int
	}{
		{"404 is final", http.NotFoundHandler(), true, 404, 1},
		{"503 twice then ok", fail503(2), false, 0, 3},
		{"503 forever", fail503(100), true, 503, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomicCounter
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.add()
				tt.handler.ServeHTTP(w, r)
			}))
			defer srv.Close()
			st, err := HTTP{Client: srv.Client(), URL: srv.URL + "/play?auth=SECRET123&id=7", MaxAttempts: 4, Backoff: fastRetry}.Open(t.Context(), 0)
			if got := calls.get(); got != tt.wantCalls {
				t.Errorf("%d requests, want %d", got, tt.wantCalls)
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				st.Close()
				return
			}
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != tt.wantCode {
				t.Fatalf("error %v, want *HTTPError %d", err, tt.wantCode)
			}
			if strings.Contains(err.Error(), "SECRET123") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestHTTPUnreachableIsNetworkError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/play?ssid=SECRET456"
	srv.Close()
	_, err := HTTP{URL: url, MaxAttempts: 3, Backoff: fastRetry}.Open(t.Context(), 0)
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Attempts != 3 {
		t.Fatalf("error %v, want *NetworkError after 3 attempts", err)
	}
	if strings.Contains(err.Error(), "SECRET456") {
		t.Errorf("error leaks the session: %v", err)
	}
}

func TestHTTPOpenHonoursContext(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := (HTTP{Client: srv.Client(), URL: srv.URL}).Open(ctx, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Open = %v, want the context's deadline", err)
	}
}

type atomicCounter struct{ n atomic.Int64 }

func (c *atomicCounter) add() int { return int(c.n.Add(1)) }
func (c *atomicCounter) get() int { return int(c.n.Load()) }
