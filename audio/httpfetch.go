package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/internal/redact"
)

// The fetcher side of httpStream: requests, retries and reconnection,
// response checks, and the copy of bodies (less any ICY metadata) into the
// read-ahead buffer.

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
