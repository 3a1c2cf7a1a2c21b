package client

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/ampdesk/ampdesk/internal/backoff"
	"github.com/ampdesk/ampdesk/internal/redact"
)

// RetryPolicy bounds how a client retries a call that failed on the way:
// a reset or dropped connection, an answer that did not come in time, or
// an HTTP 500, 502, 503, 504, 408 or 429 from the server or a proxy (not a
// connection that could not be made at all: that is offline). Only calls that just read are
// retried (listing, getting, searching, ping, the handshake); a call that
// changes something (rate, flag, record_play, playlist and bookmark edits,
// localplay and democratic commands...) is sent once, as the client cannot
// know whether the server carried out a call whose answer was lost.
// (A 4701 expired session is different: the server did nothing, so every
// call is sent again once after a new handshake.)
type RetryPolicy struct {
	// Attempts is the most requests made for one call, the first one
	// included; 1 turns retries off. 0 means the default, 3.
	Attempts int
	// Initial is the wait before the first retry, doubling at each retry
	// up to Max, each with up to half of it random. 0 means 250 ms and 2 s.
	Initial, Max time.Duration
}

// DefaultRetryPolicy makes 3 attempts, waiting about 250 ms then 500 ms.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{Attempts: 3, Initial: 250 * time.Millisecond, Max: 2 * time.Second}
}

// WithRetry sets how calls that only read are retried after a transient
// failure (default DefaultRetryPolicy).
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.Attempts < 0 || p.Initial < 0 || p.Max < 0 {
			return fmt.Errorf("WithRetry: negative value in %+v", p)
		}
		c.retry = p.normalized()
		return nil
	}
}

func (p RetryPolicy) normalized() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.Attempts == 0 {
		p.Attempts = d.Attempts
	}
	if p.Initial == 0 {
		p.Initial = d.Initial
	}
	if p.Max == 0 {
		p.Max = max(d.Max, p.Initial)
	}
	return p
}

func (p RetryPolicy) backoff() backoff.Policy {
	return backoff.Policy{Initial: p.Initial, Max: p.Max, Multiplier: 2, Jitter: 0.5}
}

// readActions are the API actions that only read: sending one twice does
// no harm. Anything not listed here (and not a read-only localplay or
// democratic method, see readOnly) is sent once.
var readActions = map[string]bool{
	"handshake": true, "ping": true, "url_to_song": true,
	"advanced_search": true, "search_group": true, "search_songs": true, "stats": true, "get_similar": true,
	"browse": true, "index": true, "list": true,
	"artists": true, "artist": true, "artist_albums": true, "artist_songs": true,
	"albums": true, "album": true, "album_songs": true,
	"songs": true, "song": true, "deleted_songs": true,
	"genres": true, "genre": true, "genre_albums": true, "genre_artists": true, "genre_songs": true,
	"playlists": true, "playlist": true, "playlist_songs": true, "playlist_hash": true, "playlist_generate": true,
	"smartlists": true, "smartlist": true, "smartlist_songs": true, "user_playlists": true, "user_smartlists": true,
	"podcasts": true, "podcast": true, "podcast_episodes": true, "podcast_episode": true, "deleted_podcast_episodes": true,
	"bookmarks": true, "bookmark": true, "get_bookmark": true,
	"shares": true, "share": true, "live_streams": true, "live_stream": true,
	"catalogs": true, "catalog": true, "users": true, "user": true, "now_playing": true,
	"localplay_songs": true,
}

// readOnly reports whether the request only reads, so that it may be sent
// again after a failure.
func (r *request) readOnly() bool {
	switch r.action {
	case "localplay":
		return r.params.Get("command") == string(LocalplayCmdStatus)
	case "democratic":
		m := r.params.Get("method")
		return m == "playlist" || m == "play"
	}
	return readActions[r.action]
}

// send makes one call's request, retrying a read after a transient failure
// as the retry policy allows, with backoff. It returns the last error.
func (c *Client) send(req *request, token string) (*payload, error) {
	attempts := 1
	if req.readOnly() {
		attempts = max(c.retry.Attempts, 1)
	}
	for attempt := 1; ; attempt++ {
		p, err := c.roundTrip(req, token)
		if err == nil || attempt >= attempts || !transient(err) || req.ctx.Err() != nil {
			return p, err
		}
		if c.log.Enabled(req.ctx, slog.LevelDebug) {
			c.log.LogAttrs(req.ctx, slog.LevelDebug, "ampache request failed; retrying",
				slog.String("action", req.action), slog.Int("attempt", attempt), slog.String("error", redact.String(err.Error())))
		}
		if err := c.wait(req, attempt-1); err != nil {
			return nil, err
		}
	}
}

// wait sleeps before retry number n (0 for the first), or returns the
// context's error.
func (c *Client) wait(req *request, n int) error {
	t := time.NewTimer(c.retry.backoff().Delay(n, rand.Float64()))
	defer t.Stop()
	select {
	case <-req.ctx.Done():
		return req.ctx.Err()
	case <-t.C:
		return nil
	}
}

// transient reports whether a failed request may succeed if sent again:
// the connection was reset or dropped, the answer did not come in time, or
// an HTTP status that servers and proxies send when overloaded or
// restarting. A connection that could not be made (refused, timed out,
// unreachable) and a host name that does not resolve are not: sending
// again would only delay going offline.
func transient(err error) bool {
	var status *HTTPStatusError
	if errors.As(err, &status) {
		switch status.StatusCode {
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
			http.StatusGatewayTimeout, http.StatusRequestTimeout, http.StatusTooManyRequests:
			return true
		}
		return false
	}
	var unreach *UnreachableError
	if !errors.As(err, &unreach) {
		return false
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return false
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return false
	}
	return true
}
