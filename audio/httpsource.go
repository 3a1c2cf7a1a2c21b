package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/internal/backoff"
)

// HTTP is a track on a server. It reads ahead into a bounded buffer on its
// own goroutine, so a slow network does not stall decoding, and survives a
// lost connection: it reconnects with Range from the byte it had reached
// when the server supports ranges (raw files); otherwise (a transcoded
// stream) the stream reports the cut and the Player reopens the track at
// the time reached, through OffsetURL if set, else from the start.
type HTTP struct {
	Client *http.Client // the shared client; nil means http.DefaultClient
	URL    string
	// OffsetURL, if set, returns the URL of the same track starting at a
	// time offset (a whole number of seconds), e.g. Ampache's stream URL
	// with offset=S. It is used for streams without Range support.
	OffsetURL func(offset time.Duration) string
	// ContentType is a hint (e.g. the server's mime for the song) used when
	// the response does not declare one; the bytes decide in the end.
	ContentType string

	// MaxAttempts bounds the requests made in a row without receiving a
	// byte, before the stream fails with *NetworkError. 0 means 6.
	MaxAttempts int
	// Backoff spaces those attempts; the zero value is backoff.DefaultPolicy.
	Backoff backoff.Policy
	// BufferSize is the read-ahead buffer in bytes; 0 means 1 MiB.
	BufferSize int
	// IdleTimeout: a response that delivers no byte for this long counts as
	// a lost connection. 0 means 15 s.
	IdleTimeout time.Duration

	// Live marks an endless live stream (internet radio): no Range is
	// asked, the stream has no length, and a cut or an end is a lost
	// connection; the Player reconnects to the stream as it is now and
	// plays on, its position still counting the time played.
	Live bool
	// ICY asks the server for Shoutcast/Icecast metadata ("Icy-MetaData:
	// 1"). When the response carries it (icy-metaint), it is removed from
	// the audio, byte for byte, and each StreamTitle is reported: the
	// Player sends StreamTitleChanged when the audio at that point is heard.
	ICY bool
}

const (
	defaultHTTPBuffer = 1 << 20
	defaultAttempts   = 6
	// maxPendingTitles bounds the ICY titles read from the network and not
	// yet reached by the decoder (a radio changes title every few minutes:
	// a few at most). Past it, a new title replaces the newest one, so
	// those nearest the listener stay.
	maxPendingTitles = 64
	defaultIdle      = 15 * time.Second
	// readThroughWindow: a forward seek at most this far ahead of the
	// buffered data reads through rather than opening a new request.
	readThroughWindow = 256 << 10
)

// errStreamCut is reported (wrapped) by a stream that lost its connection
// and cannot resume by itself because the server does not support Range.
var errStreamCut = errors.New("connection lost and the server does not support Range")

// errLiveEnded: a live stream's response ended; live streams do not end.
var errLiveEnded = errors.New("the live stream ended")

// failer is implemented by streams that can tell a clean end from a
// failure, whatever a decoder made of the error they returned.
type failer interface {
	// Failure returns why the stream stopped early, or nil if it has not
	// stopped or reached its end cleanly.
	Failure() error
}

// Open makes the first request and returns once the response headers have
// arrived (or the attempts ran out), so a missing track fails here.
func (h HTTP) Open(ctx context.Context, offset time.Duration) (Stream, error) {
	u := h.URL
	info := StreamInfo{Size: -1, Remote: true, OffsetReopen: h.OffsetURL != nil, Live: h.Live}
	if offset > 0 && h.OffsetURL != nil {
		u = h.OffsetURL(offset)
		info.Offset = offset
	}
	if h.Client == nil {
		h.Client = http.DefaultClient
	}
	if h.MaxAttempts <= 0 {
		h.MaxAttempts = defaultAttempts
	}
	if h.BufferSize <= 0 {
		h.BufferSize = defaultHTTPBuffer
	}
	h.BufferSize = max(h.BufferSize, 4096)
	if h.IdleTimeout <= 0 {
		h.IdleTimeout = defaultIdle
	}
	sctx, cancel := context.WithCancel(ctx)
	s := &httpStream{h: h, url: u, info: info, ctx: sctx, cancel: cancel, buf: make([]byte, h.BufferSize), size: -1}
	s.cond = sync.NewCond(&s.mu)
	// Cancelling ctx closes the stream: a Read waiting for data returns.
	context.AfterFunc(sctx, func() { s.Close() })
	first := make(chan error, 1)
	s.mu.Lock()
	s.startFetch(0, first)
	s.mu.Unlock()
	select {
	case err := <-first:
		if err != nil {
			s.Close()
			return nil, err
		}
	case <-ctx.Done():
		s.Close()
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.info.Size = s.size
	s.info.Seekable = s.ranges && s.size >= 0
	if s.info.ContentType == "" {
		s.info.ContentType = baseContentType(h.ContentType)
	}
	return s, nil
}

// httpStream is the reader side of the read-ahead buffer plus the fetcher
// goroutine that fills it. buf is a ring: byte at absolute offset a is
// buf[a%len(buf)]; [start, end) is held, pos is the next byte Read
// returns. start <= pos except while a forward seek skips (pos > end).
type httpStream struct {
	h      HTTP
	url    string
	ctx    context.Context
	cancel context.CancelFunc

	mu          sync.Mutex
	cond        *sync.Cond
	info        StreamInfo
	buf         []byte
	start, end  int64
	pos         int64
	size        int64
	ranges      bool
	err         error // terminal error of the current fetch, at end
	gen         int   // bumped when a seek restarts the fetch
	fetchCancel context.CancelFunc
	closed      bool
	roomWant    int       // the fetcher waits for this much room; 0: it does not wait
	titles      []titleAt // ICY titles not yet reached by Read, in order
}

// StreamTitles returns the ICY titles that Read has gone past since the
// last call, oldest first.
func (s *httpStream) StreamTitles() []titleAt {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []titleAt
	for len(s.titles) > 0 && s.titles[0].pos <= s.pos {
		due = append(due, s.titles[0])
		s.titles = s.titles[1:]
	}
	if len(s.titles) == 0 {
		s.titles = nil // let the old array go
	}
	return due
}

func (s *httpStream) Info() StreamInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.info
}

// Read returns buffered bytes, waiting for the fetcher when there are none.
func (s *httpStream) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed {
			return 0, ErrClosed
		}
		if s.pos >= s.start && s.pos < s.end {
			n := s.copyOut(p)
			if s.roomWant > 0 && s.room() >= s.roomWant {
				s.cond.Broadcast() // room for the fetcher
			}
			return n, nil
		}
		if s.err != nil {
			return 0, s.err
		}
		s.cond.Wait()
	}
}

func (s *httpStream) copyOut(p []byte) int {
	size := int64(len(s.buf))
	n := min(int64(len(p)), s.end-s.pos)
	i := s.pos % size
	c := copy(p[:n], s.buf[i:])
	if int64(c) < n {
		copy(p[c:n], s.buf)
	}
	s.pos += n
	return int(n)
}

// Seek moves within the buffered window, reads through a short distance
// ahead, and otherwise (when the server supports Range) restarts the
// fetch at the new offset.
func (s *httpStream) Seek(offset int64, whence int) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	var target int64
	switch whence {
	case io.SeekStart:
		target = offset
	case io.SeekCurrent:
		target = s.pos + offset
	case io.SeekEnd:
		if s.size < 0 {
			return 0, errors.New("seek from end: size unknown")
		}
		target = s.size + offset
	default:
		return 0, errors.New("seek: bad whence")
	}
	if target < 0 {
		return 0, errors.New("seek: negative position")
	}
	switch {
	case target >= s.start && target <= s.end:
		s.pos = target
	case target > s.end && (!s.ranges || target-s.end <= readThroughWindow && s.err == nil):
		s.pos = target // read through
	case s.ranges:
		s.pos, s.start, s.end = target, target, target
		s.startFetch(target, nil)
	default:
		return 0, fmt.Errorf("seek back to byte %d: the server does not support Range", target)
	}
	s.cond.Broadcast()
	return target, nil
}

// Close stops the fetcher and fails pending reads.
func (s *httpStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.cancel()
		s.cond.Broadcast()
	}
	return nil
}

// Failure implements failer.
func (s *httpStream) Failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == io.EOF {
		return nil
	}
	return s.err
}
