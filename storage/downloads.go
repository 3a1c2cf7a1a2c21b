package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Downloads keeps media files (songs, podcast episodes) for offline
// listening in a folder of the data directory, one folder per profile,
// with an index of what is there: the sets the user chose to keep offline
// (an album, a playlist, an episode) and the files they need. Files are
// written to a temporary name, checked for size and renamed into place, so
// a file in the index is always whole. Safe for concurrent use; one
// Downloads per folder.
type Downloads struct {
	dir string

	mu  sync.Mutex
	idx downloadIndex
}

// MediaKey names a downloadable object: Kind "song" or "podcast_episode".
type MediaKey struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// DownloadedFile is one media file kept offline, with what a player shows
// when the library cache is not there.
type DownloadedFile struct {
	MediaKey
	File    string    `json:"file"` // relative to the folder
	Size    int64     `json:"size"`
	Format  string    `json:"format,omitempty"`
	Added   time.Time `json:"added"`
	Title   string    `json:"title,omitempty"`
	Artist  string    `json:"artist,omitempty"`
	Album   string    `json:"album,omitempty"`
	Seconds int       `json:"seconds,omitempty"`
}

// DownloadSet is something the user made available offline: an album, a
// playlist or a podcast episode, and the media it holds.
type DownloadSet struct {
	Kind  string     `json:"kind"` // "album", "playlist", "podcast_episode"
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Items []MediaKey `json:"items"`
	Added time.Time  `json:"added"`
}

type downloadIndex struct {
	Sets  []DownloadSet    `json:"sets"`
	Files []DownloadedFile `json:"files"`
}

const downloadIndexFile = "index.json"

// DownloadsDir is a profile's downloads folder in the data directory.
func DownloadsDir(dataDir, profile string) string {
	return filepath.Join(dataDir, "downloads", profileFileName(profile))
}

// OpenDownloads opens (creating it if needed) a downloads folder. Index
// entries whose file is missing or has the wrong size are dropped, and
// leftovers of interrupted downloads are removed.
func OpenDownloads(dir string) (*Downloads, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("downloads: %w", err)
	}
	d := &Downloads{dir: dir}
	b, err := readFileIfExists(filepath.Join(dir, downloadIndexFile))
	if err != nil {
		return nil, fmt.Errorf("downloads: %w", err)
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &d.idx); err != nil {
			// The index is damaged: start over rather than refuse to work.
			// The files stay, unindexed, until the folder is cleaned.
			d.idx = downloadIndex{}
		}
	}
	kept := d.idx.Files[:0]
	changed := false
	for _, f := range d.idx.Files {
		st, err := os.Stat(d.abs(f.File))
		if err == nil && st.Size() == f.Size && localName(f.File) {
			kept = append(kept, f)
			continue
		}
		changed = true
	}
	d.idx.Files = kept
	if parts, _ := filepath.Glob(filepath.Join(dir, ".part-*")); len(parts) > 0 {
		for _, p := range parts {
			os.Remove(p)
		}
	}
	if changed {
		if err := d.saveLocked(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// localName accepts only names inside the folder.
func localName(name string) bool {
	return name != "" && filepath.IsLocal(name)
}

func (d *Downloads) abs(name string) string { return filepath.Join(d.dir, name) }

// Dir is the folder.
func (d *Downloads) Dir() string { return d.dir }

func (d *Downloads) saveLocked() error {
	b, err := json.MarshalIndent(d.idx, "", " ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(d.dir, downloadIndexFile), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save the downloads index: %w", err)
	}
	return nil
}

func (d *Downloads) fileLocked(k MediaKey) (int, bool) {
	for i, f := range d.idx.Files {
		if f.MediaKey == k {
			return i, true
		}
	}
	return -1, false
}

// File returns the path of a downloaded media file and its record.
func (d *Downloads) File(k MediaKey) (string, DownloadedFile, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	i, ok := d.fileLocked(k)
	if !ok {
		return "", DownloadedFile{}, false
	}
	return d.abs(d.idx.Files[i].File), d.idx.Files[i], true
}

// Files returns every downloaded file.
func (d *Downloads) Files() []DownloadedFile {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.idx.Files)
}

// Used is the size of every downloaded file together, in bytes.
func (d *Downloads) Used() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	var n int64
	for _, f := range d.idx.Files {
		n += f.Size
	}
	return n
}

// Sets returns the sets kept offline, oldest first.
func (d *Downloads) Sets() []DownloadSet {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]DownloadSet, len(d.idx.Sets))
	for i, s := range d.idx.Sets {
		s.Items = slices.Clone(s.Items)
		out[i] = s
	}
	return out
}

// Set returns one set.
func (d *Downloads) Set(kind, id string) (DownloadSet, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range d.idx.Sets {
		if s.Kind == kind && s.ID == id {
			s.Items = slices.Clone(s.Items)
			return s, true
		}
	}
	return DownloadSet{}, false
}

// PutSet records a set (replacing one of the same kind and id). Files its
// old version held that no set holds any more are deleted.
func (d *Downloads) PutSet(s DownloadSet) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.Added.IsZero() {
		s.Added = time.Now().UTC()
	}
	s.Items = slices.Clone(s.Items)
	replaced := false
	for i, old := range d.idx.Sets {
		if old.Kind == s.Kind && old.ID == s.ID {
			s.Added = old.Added
			d.idx.Sets[i] = s
			replaced = true
		}
	}
	if !replaced {
		d.idx.Sets = append(d.idx.Sets, s)
	}
	d.dropOrphansLocked()
	return d.saveLocked()
}

// RemoveSet forgets a set and deletes the files no other set holds; it
// returns the bytes freed. Removing a set that is not there is no error.
func (d *Downloads) RemoveSet(kind, id string) (int64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	before := len(d.idx.Sets)
	d.idx.Sets = slices.DeleteFunc(d.idx.Sets, func(s DownloadSet) bool { return s.Kind == kind && s.ID == id })
	if len(d.idx.Sets) == before {
		return 0, nil
	}
	freed := d.dropOrphansLocked()
	return freed, d.saveLocked()
}

// dropOrphansLocked deletes files no set holds and returns their size.
func (d *Downloads) dropOrphansLocked() int64 {
	held := map[MediaKey]bool{}
	for _, s := range d.idx.Sets {
		for _, k := range s.Items {
			held[k] = true
		}
	}
	var freed int64
	d.idx.Files = slices.DeleteFunc(d.idx.Files, func(f DownloadedFile) bool {
		if held[f.MediaKey] {
			return false
		}
		if err := os.Remove(d.abs(f.File)); err == nil || errors.Is(err, os.ErrNotExist) {
			freed += f.Size
			return true
		}
		return false
	})
	return freed
}

// SpaceError means a download would go past the offline storage limit.
type SpaceError struct {
	Need, Used, Limit int64 // bytes
}

func (e *SpaceError) Error() string {
	free := max(e.Limit-e.Used, 0)
	return fmt.Sprintf("not enough offline storage: this needs %s but only %s of the %s limit is free (remove downloads or raise the offline storage limit in the settings)",
		megabytes(e.Need), megabytes(free), megabytes(e.Limit))
}

func megabytes(n int64) string {
	mb := float64(n) / (1 << 20)
	if mb < 10 {
		return fmt.Sprintf("%.1f MB", mb)
	}
	return fmt.Sprintf("%.0f MB", mb)
}

// CheckSpace reports a *SpaceError when need more bytes would take the
// folder past limit bytes.
func (d *Downloads) CheckSpace(need, limit int64) error {
	used := d.Used()
	if used+need > limit {
		return &SpaceError{Need: need, Used: used, Limit: limit}
	}
	return nil
}

// ErrSizeMismatch means a downloaded file's size is not what the server
// announced: the download was cut or the file changed.
var ErrSizeMismatch = errors.New("the downloaded file's size does not match")

// PendingFile is a download being written. Write to it, then Commit (or
// Abort).
type PendingFile struct {
	d    *Downloads
	f    *os.File
	key  MediaKey
	name string // final name, relative
	n    int64
}

// Create starts writing the file of a media object; ext is its format
// ("mp3", "flac"...), used as the file's extension.
func (d *Downloads) Create(k MediaKey, ext string) (*PendingFile, error) {
	if !safeID(k.Kind) || !safeID(k.ID) {
		return nil, fmt.Errorf("downloads: unusable %s id %q", k.Kind, k.ID)
	}
	ext = strings.ToLower(ext)
	if !safeID(ext) || len(ext) > 8 {
		ext = "bin"
	}
	if err := os.MkdirAll(filepath.Join(d.dir, k.Kind), 0o700); err != nil {
		return nil, fmt.Errorf("downloads: %w", err)
	}
	f, err := os.CreateTemp(d.dir, ".part-"+k.Kind+"-"+k.ID+"-*")
	if err != nil {
		return nil, fmt.Errorf("downloads: %w", err)
	}
	return &PendingFile{d: d, f: f, key: k, name: filepath.Join(k.Kind, k.ID+"."+ext)}, nil
}

// safeID accepts letters, digits, '_' and '-' only.
func safeID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Write writes to the file.
func (p *PendingFile) Write(b []byte) (int, error) {
	n, err := p.f.Write(b)
	p.n += int64(n)
	return n, err
}

// ReadFrom copies r into the file.
func (p *PendingFile) ReadFrom(r io.Reader) (int64, error) {
	n, err := io.Copy(p.f, r)
	p.n += n
	return n, err
}

// Written is how many bytes were written so far.
func (p *PendingFile) Written() int64 { return p.n }

// Abort deletes the unfinished file.
func (p *PendingFile) Abort() {
	p.f.Close()
	os.Remove(p.f.Name())
}

// Commit checks the size (wantSize > 0 must equal what was written),
// syncs the file to disk, renames it into place and records it. The
// record's key, file and size are set here.
func (p *PendingFile) Commit(rec DownloadedFile, wantSize int64) error {
	if wantSize > 0 && p.n != wantSize {
		p.Abort()
		return fmt.Errorf("%w: got %d bytes, expected %d", ErrSizeMismatch, p.n, wantSize)
	}
	if err := p.f.Sync(); err != nil {
		p.Abort()
		return fmt.Errorf("downloads: %w", err)
	}
	if err := p.f.Close(); err != nil {
		os.Remove(p.f.Name())
		return fmt.Errorf("downloads: %w", err)
	}
	d := p.d
	d.mu.Lock()
	defer d.mu.Unlock()
	final := d.abs(p.name)
	if err := os.Rename(p.f.Name(), final); err != nil {
		os.Remove(p.f.Name())
		return fmt.Errorf("downloads: %w", err)
	}
	rec.MediaKey, rec.File, rec.Size = p.key, p.name, p.n
	if rec.Added.IsZero() {
		rec.Added = time.Now().UTC()
	}
	if i, ok := d.fileLocked(p.key); ok {
		if old := d.idx.Files[i].File; old != p.name {
			os.Remove(d.abs(old))
		}
		d.idx.Files[i] = rec
	} else {
		d.idx.Files = append(d.idx.Files, rec)
	}
	return d.saveLocked()
}

// Progress says how many of a set's items are downloaded.
func (d *Downloads) Progress(s DownloadSet) (have, total int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, k := range s.Items {
		if _, ok := d.fileLocked(k); ok {
			have++
		}
	}
	return have, len(s.Items)
}
