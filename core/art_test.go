package core_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

func newArtSource(t *testing.T, e *env) (*core.ArtSource, *storage.ArtCache) {
	t.Helper()
	cache, err := storage.OpenArtCache(filepath.Join(e.dirs.Cache, "art"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return core.NewArtSource(e.core, cache), cache
}

func TestArtFetchesAtSizeAndCaches(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	src, cache := newArtSource(t, e)
	ctx := context.Background()

	b, err := src.Art(ctx, client.TypeAlbum, "1", 64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != 64 || s.Y != 64 {
		t.Fatalf("art is %v, want 64x64", s)
	}
	if _, n := cache.Usage(); n != 1 {
		t.Fatalf("cache holds %d images, want 1", n)
	}

	// Cache first: the same image again makes no request.
	before := e.srv.Requests("get_art")
	b2, err := src.Art(ctx, client.TypeAlbum, "1", 64)
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("second fetch: %v (same bytes: %v)", err, bytes.Equal(b, b2))
	}
	if got := e.srv.Requests("get_art"); got != before {
		t.Fatalf("a cached image was downloaded again (%d art requests, want %d)", got, before)
	}
	// Another size is another image.
	if _, err := src.Art(ctx, client.TypeAlbum, "1", 32); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.Requests("get_art"); got != before+1 {
		t.Fatalf("%d art requests after a new size, want %d", got, before+1)
	}
}

func TestArtSharesConcurrentDownloads(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	src, _ := newArtSource(t, e)
	release := e.srv.StallNext("get_art", 1)
	before := e.srv.Requests("get_art")
	var wg sync.WaitGroup
	results := make([][]byte, 5)
	errs := make([]error, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = src.Art(context.Background(), client.TypeArtist, "2", 48)
		}()
	}
	// Let every caller reach the shared download, then release it.
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.Requests("get_art") == before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	release()
	wg.Wait()
	for i := range results {
		if errs[i] != nil || len(results[i]) == 0 {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
	}
	if got := e.srv.Requests("get_art") - before; got != 1 {
		t.Fatalf("%d downloads for 5 concurrent callers, want 1", got)
	}
}

func TestArtErrors(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	src, cache := newArtSource(t, e)
	if _, err := src.Art(context.Background(), client.TypeAlbum, "1", 64); !errors.Is(err, core.ErrNotConnected) {
		t.Fatalf("not connected: %v", err)
	}
	e.login(t)
	e.srv.FailNext("get_art", 1, ampachetest.Fault{Status: 500})
	_, err := src.Art(context.Background(), client.TypeAlbum, "3", 64)
	var status *client.HTTPStatusError
	if !errors.As(err, &status) || status.StatusCode != 500 {
		t.Fatalf("HTTP 500: %v", err)
	}
	if strings.Contains(err.Error(), "auth=") && !strings.Contains(err.Error(), "REDACTED") {
		t.Fatalf("the error shows the session token: %v", err)
	}
	if _, n := cache.Usage(); n != 0 {
		t.Fatal("a failed download was cached")
	}
	// A cancelled caller stops waiting at once.
	release := e.srv.StallNext("get_art", 1)
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Art(ctx, client.TypeAlbum, "4", 64); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestShareAndSongsOf(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	ctx := context.Background()
	sh, err := e.core.Share(ctx, client.TypeAlbum, "1")
	if err != nil {
		t.Fatal(err)
	}
	if sh.PublicURL == "" {
		t.Fatal("share without a public link")
	}
	shares := e.srv.Shares(e.srv.Admin.Username)
	if len(shares) != 1 || shares[0].ObjectType != "album" || shares[0].ObjectID != 1 {
		t.Fatalf("server shares: %+v", shares)
	}

	for _, tc := range []struct {
		typ  client.ObjectType
		id   client.ID
		want int
	}{
		{client.TypeSong, "3", 1},
		{client.TypeAlbum, "1", 8},
		{client.TypeArtist, "1", 8},
	} {
		songs, err := e.core.SongsOf(ctx, tc.typ, tc.id)
		if err != nil || len(songs) != tc.want {
			t.Errorf("SongsOf(%s %s) = %d songs, %v; want %d", tc.typ, tc.id, len(songs), err, tc.want)
		}
	}
	genres, err := e.core.Genres(ctx, nil)
	if err != nil || len(genres.Items) == 0 {
		t.Fatalf("genres: %v", err)
	}
	g := genres.Items[0]
	songs, err := e.core.SongsOf(ctx, client.TypeGenre, g.ID)
	if err != nil || len(songs) != int(g.Songs) {
		t.Fatalf("genre %s: %d songs, %v; want %d", g.Name, len(songs), err, g.Songs)
	}
	if _, err := e.core.SongsOf(ctx, client.TypeUser, "1"); err == nil {
		t.Fatal("SongsOf a user: no error")
	}
}

func TestArtCloseEndsDownloadsAndWritesNothingAfter(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	src, cache := newArtSource(t, e)
	release := e.srv.StallNext("get_art", 1)
	defer release()

	// The caller gives up; the download goes on, to be cached.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := src.Art(ctx, client.TypeAlbum, "1", 64); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Art with a stalled server: %v, want the caller's deadline", err)
	}
	closed := make(chan struct{})
	go func() { src.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waits for a stalled download instead of ending it")
	}
	release()
	time.Sleep(100 * time.Millisecond) // a download Close missed would write now
	if _, ok := cache.Get(storage.ArtKey{Scope: e.srv.URL, Type: string(client.TypeAlbum), ID: "1", Size: 64}); ok {
		t.Error("the cancelled download was cached")
	}
	if _, n := cache.Usage(); n != 0 {
		t.Errorf("%d images cached after Close, want 0", n)
	}
	if _, err := src.Art(context.Background(), client.TypeAlbum, "2", 64); !errors.Is(err, core.ErrArtClosed) {
		t.Errorf("Art after Close: %v, want ErrArtClosed", err)
	}
}
