package gui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 0x80, A: 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeThumbScalesDownOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		w, h, px     int
		wantW, wantH int
	}{
		{600, 600, 164, 164, 164},
		{600, 300, 164, 164, 82},
		{100, 100, 164, 100, 100}, // never scaled up
	} {
		img, err := decodeThumb(pngOf(t, tc.w, tc.h), tc.px)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wantH {
			t.Errorf("%dx%d at %d px: got %dx%d, want %dx%d", tc.w, tc.h, tc.px, b.Dx(), b.Dy(), tc.wantW, tc.wantH)
		}
	}
	if _, err := decodeThumb([]byte("<html>not an image</html>"), 64); err == nil {
		t.Error("garbage decoded")
	}
}

// countingFetcher serves one PNG per request and counts them.
type countingFetcher struct {
	png   []byte
	calls atomic.Int32
	sizes sync.Map
}

func (f *countingFetcher) Art(ctx context.Context, typ client.ObjectType, id client.ID, size int) ([]byte, error) {
	f.calls.Add(1)
	f.sizes.Store(size, true)
	return f.png, nil
}

func TestArtLoaderKeepsThumbnailsWithinItsBudget(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	f := &countingFetcher{png: pngOf(t, 64, 64)}
	l := newArtLoader(f, func(fn func()) { mu.Lock(); defer mu.Unlock(); fn() })
	// Each 64 px thumbnail takes 16 KiB: the budget holds 64.
	l.budget = 1 << 20
	n := 150
	var done atomic.Int32
	var last artRef // applied last (under mu)
	for i := range n {
		r := artRef{typ: client.TypeAlbum, id: client.ID(itoa(i)), px: 64}
		l.load(context.Background(), r, func(image.Image) { done.Add(1); last = r })
	}
	deadline := time.Now().Add(30 * time.Second)
	for int(done.Load()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if int(done.Load()) != n {
		t.Fatalf("%d of %d thumbnails arrived", done.Load(), n)
	}
	bytes, count := l.memoryUse()
	if bytes > l.budget || count != 64 {
		t.Fatalf("%d bytes in %d thumbnails: want the budget of %d full (64 thumbnails)", bytes, count, l.budget)
	}
	if _, ok := f.sizes.Load(64); !ok {
		t.Error("art was not asked at the size shown")
	}
	// The most recent are kept: asking again costs no fetch.
	before := f.calls.Load()
	mu.Lock()
	newest := last
	mu.Unlock()
	if _, ok := l.cached(newest); !ok {
		t.Error("the newest thumbnail was evicted")
	}
	if f.calls.Load() != before {
		t.Error("a cached thumbnail was fetched")
	}
}

func TestArtLoaderSkipsCancelledLoads(t *testing.T) {
	t.Parallel()
	f := &countingFetcher{png: pngOf(t, 64, 64)}
	l := newArtLoader(f, func(fn func()) { fn() })
	// Take every worker's place, queue a load, cancel it, free the places.
	for range artWorkers {
		l.sem <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	applied := make(chan struct{}, 1)
	l.load(ctx, artRef{typ: client.TypeAlbum, id: "1", px: 64}, func(image.Image) { applied <- struct{}{} })
	cancel()
	for range artWorkers {
		<-l.sem
	}
	select {
	case <-applied:
		t.Fatal("a cancelled load was applied")
	case <-time.After(100 * time.Millisecond):
	}
	if f.calls.Load() != 0 {
		t.Fatalf("a cancelled load fetched (%d calls)", f.calls.Load())
	}
}
