package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/internal/redact"
	"github.com/ampdesk/ampdesk/storage"
)

// maxArtBytes caps the size of an image the server may send.
const maxArtBytes = 16 << 20

// artTimeout bounds one download of art.
const artTimeout = 30 * time.Second

// ErrNotImage means the server answered an art request with something
// that is not an image.
var ErrNotImage = errors.New("the server's answer is not an image")

// ArtSource fetches the art of library objects (albums, artists, songs,
// playlists, podcasts) at a pixel size, from the on-disk cache when it has
// it, else from the server's get_art (through the shared HTTP client),
// keeping what it downloads. Concurrent requests for the same image share
// one download. Art blocks on the network: call it off the UI goroutine.
// Safe for concurrent use.
type ArtSource struct {
	core  *Core
	cache *storage.ArtCache

	base   context.Context // the downloads'; ends with Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the downloads under way

	mu       sync.Mutex
	inflight map[storage.ArtKey]*artCall
	closed   bool
}

type artCall struct {
	done chan struct{}
	data []byte
	err  error
}

// NewArtSource returns an ArtSource for c's live connection; cache may be
// nil (nothing is kept on disk).
func NewArtSource(c *Core, cache *storage.ArtCache) *ArtSource {
	base, cancel := context.WithCancel(context.Background())
	return &ArtSource{core: c, cache: cache, base: base, cancel: cancel, inflight: map[storage.ArtKey]*artCall{}}
}

// ErrArtClosed is returned by Art after Close.
var ErrArtClosed = errors.New("art: closed")

// Close cancels the downloads under way and waits for them to end, so
// that nothing is written to the cache afterwards. Art then returns
// ErrArtClosed.
func (a *ArtSource) Close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.cancel()
	a.wg.Wait()
}

// Cache is the disk cache (nil when there is none).
func (a *ArtSource) Cache() *storage.ArtCache { return a.cache }

// Art returns the encoded image (PNG, JPEG... as the server stores it) of
// an object's art at size pixels a side (0: the server's default size).
// Cancelling ctx stops the wait; a download already started finishes in
// the background and is cached.
func (a *ArtSource) Art(ctx context.Context, typ client.ObjectType, id client.ID, size int) ([]byte, error) {
	if id == "" {
		return nil, fmt.Errorf("art: no %s id", typ)
	}
	_, info, ok := a.core.Connection()
	if !ok {
		return nil, ErrNotConnected
	}
	key := storage.ArtKey{Scope: info.URL, Type: string(typ), ID: string(id), Size: size}
	if a.cache != nil {
		if b, ok := a.cache.Get(key); ok {
			return b, nil
		}
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil, ErrArtClosed
	}
	call, running := a.inflight[key]
	if !running {
		call = &artCall{done: make(chan struct{})}
		a.inflight[key] = call
		a.wg.Add(1)
	}
	a.mu.Unlock()
	if !running {
		// The download outlives ctx (the cover scrolled away is still
		// worth keeping), not Close.
		go a.download(a.base, key, typ, id, size, call)
	}
	select {
	case <-call.done:
		return call.data, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *ArtSource) download(ctx context.Context, key storage.ArtKey, typ client.ObjectType, id client.ID, size int, call *artCall) {
	defer a.wg.Done()
	ctx, cancel := context.WithTimeout(ctx, artTimeout)
	defer cancel()
	call.data, call.err = a.fetch(ctx, typ, id, size)
	if call.err == nil && a.cache != nil && ctx.Err() == nil {
		if err := a.cache.Put(key, call.data); err != nil {
			a.core.log.Warn("art cache", "err", err)
		}
	}
	a.mu.Lock()
	delete(a.inflight, key)
	a.mu.Unlock()
	close(call.done)
}

// fetch downloads the art; a refused session (401/403: it expired between
// calls) is renewed once.
func (a *ArtSource) fetch(ctx context.Context, typ client.ObjectType, id client.ID, size int) ([]byte, error) {
	api, err := a.core.api()
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		u, err := api.Media.ArtURL(id, typ, &client.ArtOptions{Width: size, Height: size})
		if err != nil {
			return nil, err
		}
		b, status, err := a.get(ctx, u)
		if err == nil {
			return b, nil
		}
		if attempt == 0 && (status == http.StatusUnauthorized || status == http.StatusForbidden || errors.Is(err, errAPIAnswer)) {
			if _, perr := api.Ping(ctx); perr == nil {
				continue
			}
		}
		return nil, err
	}
}

func (a *ArtSource) get(ctx context.Context, u string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("get_art: %s", redact.String(err.Error()))
	}
	resp, err := a.core.mediaClient().Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("get_art: %w", redactedError{err})
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, resp.StatusCode, fmt.Errorf("get_art: %w",
			&client.HTTPStatusError{StatusCode: resp.StatusCode, Status: resp.Status, URL: redact.URL(u)})
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxArtBytes+1))
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("get_art: %w", redactedError{err})
	}
	if len(b) > maxArtBytes {
		return nil, resp.StatusCode, fmt.Errorf("get_art: %w", &client.ResponseTooLargeError{Limit: maxArtBytes})
	}
	if !strings.HasPrefix(http.DetectContentType(b), "image/") {
		if strings.HasPrefix(strings.TrimSpace(string(b[:min(len(b), 64)])), "{") {
			// The API's error object: an expired session answers 4701 so.
			return nil, resp.StatusCode, fmt.Errorf("get_art: %w (%w)", ErrNotImage, errAPIAnswer)
		}
		return nil, resp.StatusCode, fmt.Errorf("get_art: %w", ErrNotImage)
	}
	return b, resp.StatusCode, nil
}

// errAPIAnswer: get_art answered with JSON (an API error) instead of an image.
var errAPIAnswer = errors.New("the server answered with an API error")

// redactedError hides the secrets a network error's text may carry (the
// URL with the session token) and keeps the error for errors.Is/As.
type redactedError struct{ err error }

func (e redactedError) Error() string { return redact.String(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }
