package storage

import (
	clist "container/list"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"
)

// ArtKey names one cached image: an object's art on one server at one size.
type ArtKey struct {
	// Scope keeps servers apart (their object ids overlap): the server's
	// base URL.
	Scope string
	Type  string // object type: album, artist, song, playlist, podcast
	ID    string
	Size  int // edge in pixels asked of the server; 0 for its default
}

// fileName is the key's file in the cache folder: a hash, so no id can
// reach outside the folder.
func (k ArtKey) fileName() string {
	h := sha256.New()
	for _, s := range []string{k.Scope, k.Type, k.ID, strconv.Itoa(k.Size)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:20])
}

// artNameLen is the length of a cache file's name (40 hex digits).
const artNameLen = 40

// artTouchEvery is how stale a file's modification time may get before a
// hit refreshes it; the times order the entries after a restart.
const artTouchEvery = time.Hour

// ArtCache keeps downloaded art on disk under a size limit, evicting the
// least recently used images first. The order of use survives restarts
// (file modification times, refreshed at most hourly per file). A cache
// is only a cache: a damaged or vanished file is a miss. Safe for
// concurrent use; one ArtCache per folder.
type ArtCache struct {
	dir string
	now func() time.Time

	mu      sync.Mutex
	limit   int64
	size    int64
	entries map[string]*clist.Element // file name → element of lru
	lru     *clist.List               // of *artEntry, most recent first
}

type artEntry struct {
	name    string
	size    int64
	touched time.Time // the file's modification time as last set
}

// OpenArtCache opens (creating it if needed) the cache in dir, holding at
// most limit bytes of images. It indexes the files already there, oldest
// use last, and removes what is over the limit and leftovers of
// interrupted writes.
func OpenArtCache(dir string, limit int64) (*ArtCache, error) {
	return openArtCache(dir, limit, time.Now)
}

func openArtCache(dir string, limit int64, now func() time.Time) (*ArtCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("art cache: %w", err)
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("art cache: %w", err)
	}
	c := &ArtCache{dir: dir, now: now, limit: max(limit, 0), entries: map[string]*clist.Element{}, lru: clist.New()}
	var found []*artEntry
	for _, de := range des {
		name := de.Name()
		if !de.Type().IsRegular() {
			continue
		}
		if !isArtName(name) {
			if len(name) > 0 && name[0] == '.' { // a temporary file left by a crash
				os.Remove(filepath.Join(dir, name))
			}
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		found = append(found, &artEntry{name: name, size: info.Size(), touched: info.ModTime()})
	}
	sort.Slice(found, func(i, j int) bool { return found[i].touched.After(found[j].touched) })
	for _, e := range found {
		c.entries[e.name] = c.lru.PushBack(e)
		c.size += e.size
	}
	c.mu.Lock()
	c.evictLocked(nil)
	c.mu.Unlock()
	return c, nil
}

func isArtName(name string) bool {
	if len(name) != artNameLen {
		return false
	}
	_, err := hex.DecodeString(name)
	return err == nil
}

// Dir is the cache's folder.
func (c *ArtCache) Dir() string { return c.dir }

// Get returns the cached image of k. A miss is (nil, false); so is a file
// that vanished or cannot be read (its entry is dropped).
func (c *ArtCache) Get(k ArtKey) ([]byte, bool) {
	name := k.fileName()
	c.mu.Lock()
	el, ok := c.entries[name]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	path := filepath.Join(c.dir, name)
	b, err := os.ReadFile(path)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if cur, ok := c.entries[name]; ok && cur == el {
			c.removeLocked(el, false)
		}
		return nil, false
	}
	if cur, ok := c.entries[name]; ok && cur == el {
		c.lru.MoveToFront(el)
		e := el.Value.(*artEntry)
		if now := c.now(); now.Sub(e.touched) >= artTouchEvery {
			if os.Chtimes(path, now, now) == nil {
				e.touched = now
			}
		}
	}
	return b, true
}

// Put stores the image of k. An image larger than the whole limit is not
// stored. Older images are evicted to stay within the limit.
func (c *ArtCache) Put(k ArtKey, data []byte) error {
	c.mu.Lock()
	limit := c.limit
	c.mu.Unlock()
	if int64(len(data)) > limit {
		return nil
	}
	name := k.fileName()
	f, err := os.CreateTemp(c.dir, ".art-*")
	if err != nil {
		return fmt.Errorf("art cache: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("art cache: %w", err)
	}
	now := c.now()
	os.Chtimes(f.Name(), now, now)

	c.mu.Lock()
	defer c.mu.Unlock()
	if err := os.Rename(f.Name(), filepath.Join(c.dir, name)); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("art cache: %w", err)
	}
	if el, ok := c.entries[name]; ok {
		c.removeLocked(el, false)
	}
	e := &artEntry{name: name, size: int64(len(data)), touched: now}
	el := c.lru.PushFront(e)
	c.entries[name] = el
	c.size += e.size
	c.evictLocked(el)
	return nil
}

// SetLimit changes the size limit, evicting at once what no longer fits.
func (c *ArtCache) SetLimit(limit int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = max(limit, 0)
	c.evictLocked(nil)
}

// Usage returns the bytes and the number of images in the cache.
func (c *ArtCache) Usage() (bytes int64, images int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, c.lru.Len()
}

// Clear removes every cached image.
func (c *ArtCache) Clear() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for el := c.lru.Front(); el != nil; {
		next := el.Next()
		if err := c.removeLocked(el, true); err != nil {
			errs = append(errs, err)
		}
		el = next
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("art cache: %w", err)
	}
	return nil
}

// evictLocked removes least recently used images until the cache fits its
// limit, never keep (the image just stored).
func (c *ArtCache) evictLocked(keep *clist.Element) {
	for el := c.lru.Back(); el != nil && c.size > c.limit; {
		prev := el.Prev()
		if el != keep {
			c.removeLocked(el, true)
		}
		el = prev
	}
}

// removeLocked drops an entry, and its file when removeFile is set.
func (c *ArtCache) removeLocked(el *clist.Element, removeFile bool) error {
	e := el.Value.(*artEntry)
	c.lru.Remove(el)
	delete(c.entries, e.name)
	c.size -= e.size
	if !removeFile {
		return nil
	}
	if err := os.Remove(filepath.Join(c.dir, e.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
