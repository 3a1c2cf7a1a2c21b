package audio

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/internal/backoff"
	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// fastRetry keeps retries quick in tests.
var fastRetry = backoff.Policy{Initial: time.Millisecond, Max: 5 * time.Millisecond, Multiplier: 2}

// clipServer serves one clip, optionally with Range support, cutting the
// connection after cutAfter bytes for the first cuts responses, and, for
// a transcoded-style stream, a WAV that starts at ?offset=S seconds.
type clipServer struct {
	data        []byte
	contentType string
	ranges      bool
	chunked     bool // no Content-Length (as a transcoder streams)
	cutAfter    int
	cuts        atomic.Int32
	stallAfter  int // stall (send nothing) after this many bytes, once
	stalls      atomic.Int32
	offsetWAV   *testaudio.Clip // ?offset=S serves this clip's PCM from S seconds as WAV

	requests  atomic.Int32
	mu        sync.Mutex
	rangeHdrs []string
	offsets   []int
}

func (s *clipServer) start(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func (s *clipServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.mu.Lock()
	s.rangeHdrs = append(s.rangeHdrs, r.Header.Get("Range"))
	s.mu.Unlock()
	data := s.data
	if o := r.URL.Query().Get("offset"); o != "" && s.offsetWAV != nil {
		sec, _ := strconv.Atoi(o)
		s.mu.Lock()
		s.offsets = append(s.offsets, sec)
		s.mu.Unlock()
		c := *s.offsetWAV
		pcm := c.PCM()[min(sec*c.SampleRate*c.Channels, len(c.PCM())):]
		var b bytes.Buffer
		testaudio.WriteWAV(&b, c.SampleRate, c.Channels, pcm)
		data = b.Bytes()
	}
	var out http.ResponseWriter = w
	if s.cuts.Add(-1) >= 0 {
		out = &cutWriter{ResponseWriter: w, left: s.cutAfter}
	} else if s.stalls.Add(-1) >= 0 {
		out = &cutWriter{ResponseWriter: w, left: s.stallAfter, stall: r.Context().Done()}
	}
	if s.contentType != "" {
		w.Header().Set("Content-Type", s.contentType)
	}
	if s.ranges {
		http.ServeContent(out, r, "", time.Time{}, bytes.NewReader(data))
		return
	}
	if !s.chunked {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	}
	out.WriteHeader(http.StatusOK)
	out.Write(data)
}

func (s *clipServer) ranges_() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rangeHdrs...)
}

// cutWriter lets left bytes through, then drops the connection (or, with
// stall, waits for the client to give up first).
type cutWriter struct {
	http.ResponseWriter
	left  int
	stall <-chan struct{}
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if len(p) <= c.left {
		c.left -= len(p)
		return c.ResponseWriter.Write(p)
	}
	n, _ := c.ResponseWriter.Write(p[:c.left])
	c.left = 0
	c.ResponseWriter.(http.Flusher).Flush()
	if c.stall != nil {
		<-c.stall
	}
	_ = n
	panic(http.ErrAbortHandler) // close the connection mid-body
}
