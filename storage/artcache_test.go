package storage

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func artKey(id string) ArtKey {
	return ArtKey{Scope: "http://music.example/ampache", Type: "album", ID: id, Size: 160}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func mustPut(t *testing.T, c *ArtCache, k ArtKey, data []byte) {
	t.Helper()
	if err := c.Put(k, data); err != nil {
		t.Fatalf("Put %v: %v", k, err)
	}
}

func TestArtCacheRoundTripAndKeys(t *testing.T) {
	t.Parallel()
	c, err := OpenArtCache(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(artKey("1")); ok {
		t.Fatal("empty cache: hit")
	}
	mustPut(t, c, artKey("1"), []byte("png-1"))
	got, ok := c.Get(artKey("1"))
	if !ok || string(got) != "png-1" {
		t.Fatalf("Get = %q, %v; want png-1, true", got, ok)
	}
	// Every part of the key tells images apart.
	for _, k := range []ArtKey{
		{Scope: "http://other.example", Type: "album", ID: "1", Size: 160},
		{Scope: artKey("1").Scope, Type: "artist", ID: "1", Size: 160},
		{Scope: artKey("1").Scope, Type: "album", ID: "1", Size: 320},
		{Scope: artKey("1").Scope, Type: "album", ID: "11", Size: 160},
	} {
		if _, ok := c.Get(k); ok {
			t.Errorf("Get(%+v) hit the image of %+v", k, artKey("1"))
		}
	}
	// Replacing keeps one entry with the new bytes and size.
	mustPut(t, c, artKey("1"), []byte("png-1-new"))
	if got, _ := c.Get(artKey("1")); string(got) != "png-1-new" {
		t.Fatalf("after replace: %q", got)
	}
	if b, n := c.Usage(); b != int64(len("png-1-new")) || n != 1 {
		t.Fatalf("Usage = %d bytes, %d images; want %d, 1", b, n, len("png-1-new"))
	}
	// Ids cannot escape the folder: the file name is a hash.
	mustPut(t, c, ArtKey{Type: "album", ID: "../../etc/passwd"}, []byte("x"))
	entries, _ := os.ReadDir(c.Dir())
	for _, e := range entries {
		if !isArtName(e.Name()) {
			t.Errorf("unexpected file %q in the cache folder", e.Name())
		}
	}
}

func TestArtCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, err := openArtCache(t.TempDir(), 30, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	img := bytes.Repeat([]byte{'x'}, 10)
	for _, id := range []string{"a", "b", "c"} {
		mustPut(t, c, artKey(id), img)
		clk.advance(time.Second)
	}
	if _, ok := c.Get(artKey("a")); !ok { // a is now the most recent
		t.Fatal("a missing before the limit was reached")
	}
	mustPut(t, c, artKey("d"), img) // over the limit: b goes
	// In this order, so that d is the most recently used afterwards.
	for _, x := range []struct {
		id   string
		want bool
	}{{"a", true}, {"b", false}, {"c", true}, {"d", true}} {
		if _, ok := c.Get(artKey(x.id)); ok != x.want {
			t.Errorf("after eviction, %s cached = %v, want %v", x.id, ok, x.want)
		}
	}
	if b, n := c.Usage(); b != 30 || n != 3 {
		t.Fatalf("Usage = %d, %d; want 30, 3", b, n)
	}
	if files, _ := os.ReadDir(c.Dir()); len(files) != 3 {
		t.Fatalf("%d files on disk, want 3", len(files))
	}

	// An image larger than the whole cache is not stored and evicts nothing.
	mustPut(t, c, artKey("huge"), bytes.Repeat([]byte{'x'}, 31))
	if _, ok := c.Get(artKey("huge")); ok {
		t.Fatal("an image over the limit was stored")
	}
	if _, n := c.Usage(); n != 3 {
		t.Fatalf("a refused image evicted others: %d left", n)
	}

	// Lowering the limit evicts at once, oldest use first.
	c.SetLimit(10)
	if _, n := c.Usage(); n != 1 {
		t.Fatalf("after SetLimit(10): %d images, want 1", n)
	}
	if _, ok := c.Get(artKey("d")); !ok {
		t.Fatal("the most recent image was evicted by SetLimit")
	}
}

func TestArtCacheKeepsOrderAcrossRestarts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := newClock()
	c, err := openArtCache(dir, 1<<20, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	img := bytes.Repeat([]byte{'y'}, 10)
	for _, id := range []string{"a", "b", "c"} {
		mustPut(t, c, artKey(id), img)
		clk.advance(2 * time.Hour)
	}
	// A hit more than artTouchEvery after the last touch refreshes the
	// file's time, so a after b and c survives the restart.
	if _, ok := c.Get(artKey("a")); !ok {
		t.Fatal("a missing")
	}
	// A leftover of an interrupted write is cleaned on open.
	if err := os.WriteFile(filepath.Join(dir, ".art-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}

	c2, err := openArtCache(dir, 20, clk.now) // room for two: b, the oldest use, goes
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, ok := c2.Get(artKey(id)); ok != want {
			t.Errorf("after restart, %s cached = %v, want %v", id, ok, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".art-123")); !os.IsNotExist(err) {
		t.Errorf("temporary leftover not removed: %v", err)
	}
}

func TestArtCacheVanishedFileIsAMiss(t *testing.T) {
	t.Parallel()
	c, err := OpenArtCache(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, c, artKey("1"), []byte("img"))
	if err := os.Remove(filepath.Join(c.Dir(), artKey("1").fileName())); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(artKey("1")); ok {
		t.Fatal("hit on a deleted file")
	}
	if b, n := c.Usage(); b != 0 || n != 0 {
		t.Fatalf("vanished file still counted: %d bytes, %d images", b, n)
	}
	mustPut(t, c, artKey("2"), []byte("img"))
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(c.Dir()); len(files) != 0 {
		t.Fatalf("Clear left %d files", len(files))
	}
}

func TestArtCacheConcurrentUse(t *testing.T) {
	t.Parallel()
	c, err := OpenArtCache(t.TempDir(), 2000)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				k := artKey(fmt.Sprint(i % 40))
				want := bytes.Repeat([]byte{byte('a' + i%40)}, 100)
				if (i+g)%2 == 0 {
					if err := c.Put(k, want); err != nil {
						t.Error(err)
						return
					}
				} else if got, ok := c.Get(k); ok && !bytes.Equal(got, want) {
					t.Errorf("Get %v returned another image's bytes", k)
					return
				}
			}
		}()
	}
	wg.Wait()
	b, n := c.Usage()
	if b > 2000 || n > 20 {
		t.Fatalf("over the limit after concurrent use: %d bytes, %d images", b, n)
	}
	files, _ := os.ReadDir(c.Dir())
	if len(files) != n {
		t.Fatalf("%d files on disk, index says %d", len(files), n)
	}
}
