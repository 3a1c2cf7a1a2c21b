package audio

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// Local files play by path or file:// URL (offline downloads), seekable.
func TestFileSource(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone440")
	dir := t.TempDir()
	path := filepath.Join(dir, "song with spaces.flac")
	if err := os.WriteFile(path, encoded(t, c, "flac"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{path, "file://" + path} {
		o, err := OpenerForURL(http.DefaultClient, u)
		if err != nil {
			t.Fatalf("OpenerForURL(%q): %v", u, err)
		}
		st, err := o.Open(t.Context(), 0)
		if err != nil {
			t.Fatal(err)
		}
		info := st.Info()
		if !info.Seekable || info.Remote || info.Size <= 0 || info.ContentType != "audio/flac" {
			t.Errorf("%s: Info %+v", u, info)
		}
		got, _ := decodeStream(t, st)
		st.Close()
		sameFrames(t, got, reference(c))
	}
	if _, err := (File{Path: dir}).Open(t.Context(), 0); err == nil {
		t.Error("a directory opened as a track")
	}
	if _, err := (File{Path: filepath.Join(dir, "missing.mp3")}).Open(t.Context(), 0); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

func TestOpenerForURL(t *testing.T) {
	t.Parallel()
	client := &http.Client{}
	tests := []struct {
		url     string
		want    string // "http", "file" or "" for an error
		path    string
		sameCli bool
	}{
		{"https://music.example/play/index.php?ssid=x&oid=1", "http", "", true},
		{"http://127.0.0.1:8080/stream.mp3", "http", "", true},
		{"file:///home/me/Music/a.flac", "file", "/home/me/Music/a.flac", false},
		{"file://localhost/tmp/a.ogg", "file", "/tmp/a.ogg", false},
		{"/tmp/b.mp3", "file", "/tmp/b.mp3", false},
		{"file://otherhost/x.mp3", "", "", false},
		{"ftp://host/x.mp3", "", "", false},
		{"http://[::1", "", "", false},
	}
	for _, tt := range tests {
		o, err := OpenerForURL(client, tt.url)
		switch tt.want {
		case "":
			if err == nil {
				t.Errorf("OpenerForURL(%q) = %#v, want an error", tt.url, o)
			}
		case "http":
			h, ok := o.(HTTP)
			if err != nil || !ok || h.Client != client || h.URL != tt.url {
				t.Errorf("OpenerForURL(%q) = %#v, %v", tt.url, o, err)
			}
		case "file":
			f, ok := o.(File)
			if err != nil || !ok || f.Path != tt.path {
				t.Errorf("OpenerForURL(%q) = %#v, %v; want File{%s}", tt.url, o, err, tt.path)
			}
		}
	}
}
