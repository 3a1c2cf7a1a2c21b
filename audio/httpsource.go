package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/internal/backoff"
	"github.com/ampdesk/ampdesk/internal/redact"
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

// startFetch cancels the current fetcher and starts one at from. s.mu held.
func (s *httpStream) startFetch(from int64, first chan<- error) {
	if s.fetchCancel != nil {
		s.fetchCancel()
	}
	s.gen++
	s.err = nil
	ctx, cancel := context.WithCancel(s.ctx)
	s.fetchCancel = cancel
	go s.fetch(ctx, s.gen, from, first)
}

// fetch is the fetcher goroutine of one generation.
func (s *httpStream) fetch(ctx context.Context, gen int, off int64, first chan<- error) {
	report := func(err error) {
		if first != nil {
			first <- err
			first = nil
		}
	}
	attempts := 0 // requests since the last byte received
	for {
		if ctx.Err() != nil {
			report(ctx.Err())
			return
		}
		attempts++
		n, err := s.request(ctx, gen, off, report)
		off += n
		if n > 0 {
			attempts = 1
		}
		if ctx.Err() != nil || !s.current(gen) {
			report(ctx.Err())
			return
		}
		if err == nil {
			s.finish(gen, io.EOF)
			return
		}
		var status *HTTPError
		retryable := !errors.As(err, &status) || retryableStatus(status.StatusCode)
		if !retryable {
			s.finish(gen, err)
			report(err)
			return
		}
		s.mu.Lock()
		ranges := s.ranges
		s.mu.Unlock()
		if off > 0 && !ranges {
			// Bytes were delivered, then the body was cut: resuming here
			// needs Range, so the reader must reopen the track.
			s.finish(gen, fmt.Errorf("%w (at byte %d): %w", errStreamCut, off, err))
			report(nil)
			return
		}
		if attempts >= s.h.MaxAttempts {
			if status == nil {
				err = &NetworkError{URL: redact.URL(s.url), Attempts: attempts, Err: err}
			}
			s.finish(gen, err)
			report(err)
			return
		}
		if s.h.Backoff.Wait(ctx, attempts-1) != nil {
			report(ctx.Err())
			return
		}
	}
}

func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
}

// request makes one GET from off and copies its body into the buffer. It
// returns the bytes stored and why the body ended (nil: complete).
func (s *httpStream) request(ctx context.Context, gen int, off int64, report func(error)) (int64, error) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, s.url, nil)
	if err != nil {
		return 0, &HTTPError{URL: redact.URL(s.url), Status: "bad request: " + redact.String(err.Error())}
	}
	if !s.h.Live {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
	}
	if s.h.ICY {
		req.Header.Set("Icy-MetaData", "1")
	}
	resp, err := s.h.Client.Do(req)
	if err != nil {
		return 0, netCause(err)
	}
	defer resp.Body.Close()
	if err := s.accept(resp, off); err != nil {
		return 0, err
	}
	var icy *icyParser
	if s.h.ICY {
		if n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("icy-metaint"))); err == nil && n > 0 {
			icy = newICYParser(n)
			// Metadata is counted from the start of each response: a
			// resumed one would not line up.
			s.mu.Lock()
			s.ranges = false
			s.mu.Unlock()
		}
	}
	report(nil)
	if resp.StatusCode == http.StatusOK && off > 0 {
		// The server ignored Range: skip what we already have.
		if _, err := io.CopyN(io.Discard, resp.Body, off); err != nil {
			return 0, netCause(err)
		}
	}
	n, err := s.copyBody(rctx, cancel, gen, resp.Body, icy)
	if err == nil && s.h.Live {
		err = errLiveEnded
	}
	if err == nil {
		s.mu.Lock()
		short := s.size >= 0 && off+n < s.size
		s.mu.Unlock()
		if short {
			err = io.ErrUnexpectedEOF
		}
	}
	return n, err
}

// accept checks a response and learns Range support, size and type from it.
func (s *httpStream) accept(resp *http.Response, off int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != off {
			return &HTTPError{URL: redact.URL(s.url), StatusCode: resp.StatusCode,
				Status: fmt.Sprintf("%s with Content-Range %q for bytes=%d-", resp.Status, resp.Header.Get("Content-Range"), off)}
		}
		s.ranges = true
		if total >= 0 {
			s.size = total
		}
	case http.StatusOK:
		if s.h.Live {
			s.ranges = false // and no length: the stream never ends
		} else if off == 0 {
			s.ranges = strings.EqualFold(resp.Header.Get("Accept-Ranges"), "bytes")
			if resp.ContentLength >= 0 {
				s.size = resp.ContentLength
			}
		} else {
			s.ranges = false
		}
	default:
		return &HTTPError{URL: redact.URL(s.url), StatusCode: resp.StatusCode, Status: resp.Status}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && s.info.ContentType == "" {
		s.info.ContentType = baseContentType(ct)
	}
	return nil
}

// parseContentRange parses "bytes START-END/TOTAL" (TOTAL may be "*").
func parseContentRange(v string) (start, total int64, ok bool) {
	v, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, 0, false
	}
	span, tot, found := strings.Cut(v, "/")
	if !found {
		return 0, 0, false
	}
	first, _, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, err = strconv.ParseInt(tot, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, total, true
}

// copyBody moves the body into the buffer, waiting for room, without the
// ICY metadata when icy is set. A body that delivers nothing for
// IdleTimeout while there is room is cancelled.
func (s *httpStream) copyBody(ctx context.Context, cancel context.CancelFunc, gen int, body io.Reader, icy *icyParser) (int64, error) {
	chunk := make([]byte, min(32<<10, len(s.buf)/4))
	watchdog := time.AfterFunc(s.h.IdleTimeout, cancel)
	defer watchdog.Stop()
	var total int64
	for {
		watchdog.Stop() // our own back-pressure is not the server's fault
		if !s.waitRoom(gen, len(chunk)) {
			return total, context.Canceled
		}
		watchdog.Reset(s.h.IdleTimeout)
		n, err := body.Read(chunk)
		if n > 0 {
			audio, titles := chunk[:n], []titleAt(nil)
			if icy != nil {
				audio = icy.strip(audio, func(at int, block []byte) {
					if title, ok := parseStreamTitle(block); ok {
						titles = append(titles, titleAt{pos: int64(at), title: title})
					}
				})
			}
			if !s.write(gen, audio, titles) {
				return total, context.Canceled
			}
			total += int64(len(audio))
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("no data for %v: %w", s.h.IdleTimeout, err)
			}
			return total, netCause(err)
		}
	}
}

func (s *httpStream) current(gen int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return gen == s.gen && !s.closed
}

// waitRoom waits until want bytes can be stored without overwriting
// unread data. When the buffer is full it waits for a quarter of it to
// free up, so that the reader wakes the fetcher a few times a minute, not
// at every read. It returns false if the fetch generation is over.
func (s *httpStream) waitRoom(gen int, want int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.room() < want {
		want = max(want, len(s.buf)/4)
	}
	defer func() { s.roomWant = 0 }()
	for gen == s.gen && !s.closed {
		if s.room() >= want {
			return true
		}
		s.roomWant = want
		s.cond.Wait()
	}
	return false
}

// room is the free space in the buffer. s.mu held.
func (s *httpStream) room() int {
	return len(s.buf) - int(s.end-min(s.pos, s.end))
}

// write stores p at the end of the buffer, and titles, whose pos counts
// from the start of p.
func (s *httpStream) write(gen int, p []byte, titles []titleAt) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen || s.closed {
		return false
	}
	for _, t := range titles {
		at := titleAt{pos: s.end + t.pos, title: t.title}
		if len(s.titles) >= maxPendingTitles {
			s.titles[len(s.titles)-1] = at
		} else {
			s.titles = append(s.titles, at)
		}
	}
	if s.pos > s.end { // a forward seek: drop what lies before pos
		skip := min(int64(len(p)), s.pos-s.end)
		p = p[skip:]
		s.end += skip
		s.start = s.end
	}
	size := int64(len(s.buf))
	for len(p) > 0 {
		i := s.end % size
		c := copy(s.buf[i:], p)
		p = p[c:]
		s.end += int64(c)
	}
	s.start = max(s.start, s.end-size)
	s.cond.Broadcast()
	return true
}

func (s *httpStream) finish(gen int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen == s.gen {
		s.err = err
		s.cond.Broadcast()
	}
}
