package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func download(t *testing.T, d *Downloads, k MediaKey, body string) {
	t.Helper()
	p, err := d.Create(k, "mp3")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ReadFrom(strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(DownloadedFile{Title: "t" + k.ID}, int64(len(body))); err != nil {
		t.Fatal(err)
	}
}

func TestDownloadsSetsFilesAndRemoval(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := OpenDownloads(dir)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2, s3 := MediaKey{"song", "1"}, MediaKey{"song", "2"}, MediaKey{"song", "3"}
	album := DownloadSet{Kind: "album", ID: "10", Name: "Album", Items: []MediaKey{s1, s2}}
	playlist := DownloadSet{Kind: "playlist", ID: "4", Name: "List", Items: []MediaKey{s2, s3}}
	if err := d.PutSet(album); err != nil {
		t.Fatal(err)
	}
	if err := d.PutSet(playlist); err != nil {
		t.Fatal(err)
	}
	download(t, d, s1, "aaaa")
	download(t, d, s2, "bbbbbb")
	if have, total := d.Progress(playlist); have != 1 || total != 2 {
		t.Errorf("playlist progress %d/%d", have, total)
	}
	download(t, d, s3, "cc")
	if d.Used() != 12 {
		t.Errorf("used %d", d.Used())
	}
	path, rec, ok := d.File(s2)
	if b, err := os.ReadFile(path); !ok || err != nil || string(b) != "bbbbbb" || rec.Title != "t2" || rec.Size != 6 {
		t.Fatalf("file of song 2: %v %v %q %+v", ok, err, b, rec)
	}

	// A new Downloads over the same folder sees the same.
	d2, err := OpenDownloads(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d2.Sets()) != 2 || len(d2.Files()) != 3 || d2.Used() != 12 {
		t.Fatalf("reopened: %+v %+v", d2.Sets(), d2.Files())
	}

	// Removing the album deletes song 1 only: song 2 is in the playlist.
	freed, err := d2.RemoveSet("album", "10")
	if err != nil || freed != 4 {
		t.Fatalf("freed %d %v", freed, err)
	}
	if _, _, ok := d2.File(s1); ok {
		t.Error("song 1 still indexed")
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("song 2's file is gone: %v", err)
	}
	if _, _, ok := d2.File(s2); !ok {
		t.Error("song 2 not indexed")
	}
	if freed, err := d2.RemoveSet("album", "10"); freed != 0 || err != nil {
		t.Errorf("second removal: %d %v", freed, err)
	}
	freed, _ = d2.RemoveSet("playlist", "4")
	if freed != 8 || d2.Used() != 0 || len(d2.Files()) != 0 {
		t.Errorf("after removing everything: freed %d, used %d, %+v", freed, d2.Used(), d2.Files())
	}
	left, _ := filepath.Glob(filepath.Join(dir, "song", "*"))
	if len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}

func TestDownloadsVerifiesSize(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, _ := OpenDownloads(dir)
	d.PutSet(DownloadSet{Kind: "podcast_episode", ID: "7", Items: []MediaKey{{"podcast_episode", "7"}}})
	p, err := d.Create(MediaKey{"podcast_episode", "7"}, "wav")
	if err != nil {
		t.Fatal(err)
	}
	p.Write([]byte("short"))
	if err := p.Commit(DownloadedFile{}, 100); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("got %v", err)
	}
	if len(d.Files()) != 0 {
		t.Error("a cut file was recorded")
	}
	if parts, _ := filepath.Glob(filepath.Join(dir, ".part-*")); len(parts) != 0 {
		t.Errorf("temporary files left: %v", parts)
	}
}

func TestDownloadsSpaceLimit(t *testing.T) {
	t.Parallel()
	d, _ := OpenDownloads(t.TempDir())
	d.PutSet(DownloadSet{Kind: "album", ID: "1", Items: []MediaKey{{"song", "1"}}})
	download(t, d, MediaKey{"song", "1"}, strings.Repeat("x", 600<<10))
	if err := d.CheckSpace(400<<10, 1<<20); err != nil {
		t.Errorf("fits: %v", err)
	}
	err := d.CheckSpace(500<<10, 1<<20)
	var se *SpaceError
	if !errors.As(err, &se) || se.Used != 600<<10 || se.Limit != 1<<20 {
		t.Fatalf("got %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "needs 0.5 MB") || !strings.Contains(msg, "0.4 MB of the 1.0 MB limit is free") {
		t.Errorf("message: %s", msg)
	}
}

func TestDownloadsRecoversFromDamage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, _ := OpenDownloads(dir)
	k := MediaKey{"song", "5"}
	d.PutSet(DownloadSet{Kind: "album", ID: "1", Items: []MediaKey{k, {"song", "6"}}})
	download(t, d, k, "12345")
	download(t, d, MediaKey{"song", "6"}, "67")
	// A file changed behind our back and a leftover temporary file.
	path, _, _ := d.File(k)
	os.WriteFile(path, []byte("123"), 0o600)
	os.WriteFile(filepath.Join(dir, ".part-song-9-123"), []byte("x"), 0o600)
	d2, err := OpenDownloads(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := d2.File(k); ok {
		t.Error("a file of the wrong size is still indexed")
	}
	if _, _, ok := d2.File(MediaKey{"song", "6"}); !ok {
		t.Error("the good file was dropped")
	}
	if parts, _ := filepath.Glob(filepath.Join(dir, ".part-*")); len(parts) != 0 {
		t.Errorf("leftovers: %v", parts)
	}
	// A damaged index is started over, not an error.
	os.WriteFile(filepath.Join(dir, downloadIndexFile), []byte("{not json"), 0o600)
	d3, err := OpenDownloads(dir)
	if err != nil || len(d3.Sets()) != 0 {
		t.Fatalf("damaged index: %v %+v", err, d3.Sets())
	}
	// Ids that could escape the folder are refused.
	for _, bad := range []MediaKey{{"song", "../x"}, {"song", ""}, {"../song", "1"}, {"song", "a/b"}} {
		if _, err := d3.Create(bad, "mp3"); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	// A strange extension becomes .bin.
	p, err := d3.Create(MediaKey{"song", "8"}, "../../x")
	if err != nil {
		t.Fatal(err)
	}
	p.Write([]byte("z"))
	d3.PutSet(DownloadSet{Kind: "album", ID: "2", Items: []MediaKey{{"song", "8"}}})
	if err := p.Commit(DownloadedFile{}, 1); err != nil {
		t.Fatal(err)
	}
	if path, _, _ := d3.File(MediaKey{"song", "8"}); filepath.Base(path) != "8.bin" {
		t.Errorf("path %s", path)
	}
}
