package desktop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// artFilesKept bounds the images CachedArtPath leaves in its folder.
const artFilesKept = 32

// artEdge is the size asked of the server for media-widget art.
const artEdge = 256

// CachedArtPath returns a Deps.ArtPath that gets an item's art (a song's
// album, an episode's podcast) from src — which serves it from the art
// cache when it has it — and writes it as a file in dir, named by its
// content, for MPRIS's mpris:artUrl. At most 32 files stay in dir.
//
// storage.ArtCache keeps its files under hashed names that it does not
// expose; once it offers a path for a key, ArtPath can point there and
// this copy can go.
func CachedArtPath(src *core.ArtSource, dir string) func(ctx context.Context, item core.Item) (string, error) {
	return func(ctx context.Context, item core.Item) (string, error) {
		typ, id := artObject(item)
		if id == "" || !item.HasArt {
			return "", nil
		}
		b, err := src.Art(ctx, typ, id, artEdge)
		if err != nil {
			return "", err
		}
		return writeArtFile(dir, b)
	}
}

// artObject is the library object whose art an item shows.
func artObject(it core.Item) (client.ObjectType, client.ID) {
	switch it.Type {
	case client.TypeSong:
		if it.AlbumID != "" {
			return client.TypeAlbum, it.AlbumID
		}
		return client.TypeSong, it.ID
	case client.TypePodcastEpisode:
		return client.TypePodcast, it.AlbumID
	}
	return "", ""
}

// writeArtFile stores an image in dir under the hash of its bytes (so an
// album's songs share one file) and prunes the oldest files.
func writeArtFile(dir string, b []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("art folder: %w", err)
	}
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/bmp": ".bmp"}[http.DetectContentType(b)]
	if ext == "" {
		return "", core.ErrNotImage
	}
	sum := sha256.Sum256(b)
	path := filepath.Join(dir, hex.EncodeToString(sum[:12])+ext)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.CreateTemp(dir, ".art-*")
	if err != nil {
		return "", fmt.Errorf("art file: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("art file: %w", err)
	}
	pruneArtFiles(dir, path)
	return path, nil
}

// pruneArtFiles removes all but the newest artFilesKept images (and keep).
func pruneArtFiles(dir, keep string) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		info fs.FileInfo
	}
	var files []file
	for _, de := range des {
		if !de.Type().IsRegular() || strings.HasPrefix(de.Name(), ".") {
			continue
		}
		if info, err := de.Info(); err == nil {
			files = append(files, file{filepath.Join(dir, de.Name()), info})
		}
	}
	if len(files) <= artFilesKept {
		return
	}
	sort.Slice(files, func(i, j int) bool { return files[i].info.ModTime().After(files[j].info.ModTime()) })
	for _, f := range files[artFilesKept:] {
		if f.path != keep {
			if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return
			}
		}
	}
}
