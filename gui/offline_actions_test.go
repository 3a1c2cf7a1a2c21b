package gui

import (
	"strings"
	"testing"

	"github.com/ampdesk/ampdesk/client"
)

// An album's menu downloads it for offline listening, then offers to
// remove it.
func TestAlbumDownloadForOffline(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	e := h.shell.env
	album := target{typ: client.TypeAlbum, id: "1", name: "Test Tones"}
	h.ui(func() { menuItem(t, e.actionsMenu(album), "Download for offline").Action() })
	h.waitFor("the album downloaded", func() bool {
		info, ok := h.core.DownloadState(client.TypeAlbum, "1")
		return ok && info.Complete() && info.Items == 8
	})
	h.waitFor("the done notice", func() bool { return strings.Contains(h.shell.lastNotice(), "is available offline") })
	// Songs of the album now play from this computer.
	items, err := h.core.SongsOf(t.Context(), client.TypeAlbum, "1")
	if err != nil || len(items) != 8 {
		t.Fatalf("songs of the album: %v %d", err, len(items))
	}
	var menu []string
	h.ui(func() {
		for _, it := range e.actionsMenu(album).Items {
			menu = append(menu, it.Label)
		}
	})
	if strings.Contains(strings.Join(menu, "|"), "Download for offline") {
		t.Errorf("the menu still offers the download: %v", menu)
	}
	h.ui(func() { menuItem(t, e.actionsMenu(album), "Remove from this computer").Action() })
	h.waitFor("the download removed", func() bool { _, ok := h.core.DownloadState(client.TypeAlbum, "1"); return !ok })
	// Artists and songs have no such item.
	h.ui(func() {
		for _, it := range e.actionsMenu(target{typ: client.TypeSong, id: "1", name: "x"}).Items {
			if strings.Contains(it.Label, "offline") {
				t.Errorf("song menu offers %q", it.Label)
			}
		}
	})
}
