package ampachetest

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Fault is how a request fails.
type Fault struct {
	Status  int    // HTTP status to answer with (e.g. 500, 503); 0 = 200 with an Ampache error
	Code    int    // Ampache error code for the error object when Status == 0 (4700, 4703, ...)
	Message string // the error message (a default per code when empty)
	Empty   bool   // answer 200 with an empty body
	// Reset drops the connection without an answer. Go's http.Transport
	// retries an idempotent request once when a reused connection drops
	// before any answer: fail 2 requests for the client to see the reset.
	Reset bool
}

// faults holds the injected faults and the request counts.
type faults struct {
	mu       sync.Mutex
	pending  []*pendingFault
	stalls   []*stall
	latency  time.Duration
	cutAfter int64
	cutTimes int
	counts   map[string]int
}

type pendingFault struct {
	action string
	left   int
	fault  Fault
}

type stall struct {
	action  string
	left    int
	release chan struct{}
	once    sync.Once
}

// FailNext makes the next n requests of action fail with f. The action is
// an API action ("songs", "stream", ...) or one of the non-API endpoints:
// "play" (media and democratic streams on play URLs), "art" (image.php),
// "radio" (live streams). "" matches any request. Several FailNext calls
// queue up in order.
func (s *Server) FailNext(action string, n int, f Fault) {
	if n <= 0 {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.pending = append(s.faults.pending, &pendingFault{action: action, left: n, fault: f})
}

// StallNext holds the next n requests of action (named as for FailNext)
// before they are handled, until release is called or the server closes.
// It lets a test watch a client wait on a server that does not answer.
func (s *Server) StallNext(action string, n int) (release func()) {
	st := &stall{action: action, left: n, release: make(chan struct{})}
	s.faults.mu.Lock()
	s.faults.stalls = append(s.faults.stalls, st)
	s.faults.mu.Unlock()
	return func() { st.once.Do(func() { close(st.release) }) }
}

// SetLatency makes every response wait d first (0 turns it off).
func (s *Server) SetLatency(d time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.latency = d
}

// CutStreams makes the next `times` media bodies (stream, download,
// democratic and play URLs) stop after afterBytes bytes of body: the
// connection is dropped mid-response, so the client sees a short body.
func (s *Server) CutStreams(afterBytes int64, times int) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.cutAfter, s.faults.cutTimes = afterBytes, times
}

// Requests returns how many requests of action (named as for FailNext;
// "" for all) the server has seen, failed ones included.
func (s *Server) Requests(action string) int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if action == "" {
		total := 0
		for _, n := range s.faults.counts {
			total += n
		}
		return total
	}
	return s.faults.counts[action]
}

// ResetRequests sets every request count back to zero.
func (s *Server) ResetRequests() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.counts = nil
}

// CloseClientConnections closes every open client connection, idle or
// busy, as a network failure would.
func (s *Server) CloseClientConnections() {
	s.connMu.Lock()
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.connMu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// admit counts a request, applies latency and stalls, and returns the fault
// it must fail with, if any. ok is false when the request or the server
// ended while it waited.
func (s *Server) admit(r *http.Request, action string) (f *Fault, ok bool) {
	s.faults.mu.Lock()
	if s.faults.counts == nil {
		s.faults.counts = map[string]int{}
	}
	s.faults.counts[action]++
	latency := s.faults.latency
	var st *stall
	for i, x := range s.faults.stalls {
		if x.action == "" || x.action == action {
			st = x
			if x.left--; x.left <= 0 {
				s.faults.stalls = append(s.faults.stalls[:i:i], s.faults.stalls[i+1:]...)
			}
			break
		}
	}
	for i, p := range s.faults.pending {
		if p.action == "" || p.action == action {
			fault := p.fault
			f = &fault
			if p.left--; p.left <= 0 {
				s.faults.pending = append(s.faults.pending[:i:i], s.faults.pending[i+1:]...)
			}
			break
		}
	}
	s.faults.mu.Unlock()
	if !s.wait(r.Context(), latency) {
		return nil, false
	}
	if st != nil {
		select {
		case <-st.release:
		case <-r.Context().Done():
			return nil, false
		case <-s.closing:
			return nil, false
		}
	}
	return f, true
}

// takeCut returns the byte count after which the next media body is cut.
func (s *Server) takeCut() (int64, bool) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.cutTimes <= 0 {
		return 0, false
	}
	s.faults.cutTimes--
	return s.faults.cutAfter, true
}

// writeTransportFault answers with the HTTP-level part of a fault: a reset,
// an HTTP status or an empty body. It reports whether it answered.
func writeTransportFault(w http.ResponseWriter, f *Fault) bool {
	switch {
	case f.Reset:
		resetConnection(w)
		return true
	case f.Status != 0:
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		http.Error(w, msg, f.Status)
		return true
	case f.Empty:
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		return true
	}
	return false
}

// resetConnection drops the request's connection without an answer; on
// TCP it sends a reset rather than a clean close.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// cutWriter passes through limit bytes of body, then drops the connection.
type cutWriter struct {
	http.ResponseWriter
	left int64
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if int64(len(p)) <= c.left {
		c.left -= int64(len(p))
		return c.ResponseWriter.Write(p)
	}
	_, _ = c.ResponseWriter.Write(p[:c.left])
	c.left = 0
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	// Abort: the server closes the connection without finishing the body.
	panic(http.ErrAbortHandler)
}

func (c *cutWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
