package desktop

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/core"
)

func pngOf(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.Gray{Y: shade})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteArtFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "art")
	a := pngOf(t, 1)
	p1, err := writeArtFile(dir, a)
	if err != nil || filepath.Ext(p1) != ".png" {
		t.Fatalf("writeArtFile: %q, %v", p1, err)
	}
	if b, err := os.ReadFile(p1); err != nil || !bytes.Equal(b, a) {
		t.Fatalf("the file holds other bytes: %v", err)
	}
	// The same image is the same file.
	if p2, err := writeArtFile(dir, a); err != nil || p2 != p1 {
		t.Fatalf("the same image again: %q, %v; want %q", p2, err, p1)
	}
	if _, err := writeArtFile(dir, []byte("<html>not an image</html>")); !errors.Is(err, core.ErrNotImage) {
		t.Fatalf("not an image: %v", err)
	}
	// Old files go once there are more than artFilesKept.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(p1, old, old)
	var last string
	for i := 2; i < artFilesKept+6; i++ {
		if last, err = writeArtFile(dir, pngOf(t, uint8(i))); err != nil {
			t.Fatal(err)
		}
	}
	des, err := os.ReadDir(dir)
	if err != nil || len(des) != artFilesKept {
		t.Fatalf("%d files kept, want %d (%v)", len(des), artFilesKept, err)
	}
	if _, err := os.Stat(p1); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the oldest file is still there: %v", err)
	}
	if _, err := os.Stat(last); err != nil {
		t.Fatalf("the newest file is gone: %v", err)
	}
}

func TestArtObject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		item    core.Item
		typ, id string
	}{
		{core.Item{Type: "song", ID: "5", AlbumID: "9"}, "album", "9"},
		{core.Item{Type: "song", ID: "5"}, "song", "5"},
		{core.Item{Type: "podcast_episode", ID: "3", AlbumID: "2"}, "podcast", "2"},
		{core.Item{Type: "live_stream", ID: "1"}, "", ""},
	}
	for _, tc := range tests {
		typ, id := artObject(tc.item)
		if string(typ) != tc.typ || string(id) != tc.id {
			t.Errorf("artObject(%s %s) = %s %s, want %s %s", tc.item.Type, tc.item.ID, typ, id, tc.typ, tc.id)
		}
	}
}
