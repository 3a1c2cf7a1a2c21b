package gui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/client"
)

// TestScreenshotsOfMediaPages renders the playlists, playlist, podcasts,
// podcast, radio, bookmarks and shares pages into PNGs in the folder
// named by AMPDESK_SCREENSHOTS (for a person to look at; nothing is
// compared).
func TestScreenshotsOfMediaPages(t *testing.T) {
	dir := os.Getenv("AMPDESK_SCREENSHOTS")
	if dir == "" {
		t.Skip("set AMPDESK_SCREENSHOTS to a folder to render the pages into")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, harnessOptions{})
	h.ui(func() { h.app.Settings().SetTheme(Theme(cmpOr(os.Getenv("AMPDESK_THEME"), "light"))) })
	ctx := context.Background()
	if _, err := h.srv.AddPlaylist(h.srv.Admin.Username, "Morning tones", true, 1, 2, 3, 4, 5, 6, 7, 8); err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.SetBookmark(ctx, client.TypePodcastEpisode, "1", 754); err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.CreateShare(ctx, client.TypeAlbum, "1", 30); err != nil {
		t.Fatal(err)
	}
	shot := func(name string) {
		t.Helper()
		h.waitFor("the art of "+name, func() bool {
			for _, c := range find[*cover](h.win.Content()) {
				if c.ref.id != "" && !c.hasArt() {
					return false
				}
			}
			return true
		})
		h.ui(func() {
			defer func() {
				if e := recover(); e != nil {
					for _, o := range objects(h.win.Content()) {
						if ci, ok := o.(*canvas.Image); ok {
							pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(ci)
							name := ""
							if ci.Resource != nil {
								name = ci.Resource.Name()
							}
							t.Logf("image %q file %q img %v at %v size %v", name, ci.File, ci.Image != nil, pos, ci.Size())
						}
					}
					t.Fatal(e)
				}
			}()
			// The test canvas does not lay out again when an object shows
			// or hides, as the window's does every frame: do it here.
			h.win.Content().Refresh()
			img := h.win.Canvas().Capture()
			f, err := os.Create(filepath.Join(dir, name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
		})
	}
	pls := h.navigate(Route{Page: PagePlaylists}).(*playlistsPage)
	h.waitFor("playlists", func() bool { return len(pls.state.playlists) > 0 })
	shot("playlists")
	var id client.ID
	h.ui(func() {
		for _, p := range pls.state.playlists {
			if p.Name == "Morning tones" {
				id = p.ID
			}
		}
	})
	pl := h.navigate(PlaylistRoute(id)).(*playlistPage)
	h.waitFor("the playlist", func() bool { return len(pl.state.entries) == 8 })
	shot("playlist")
	h.ui(func() { pl.setSelecting(true); pl.toggleSelected(1); pl.toggleSelected(2) })
	shot("playlist-select")
	pcs := h.navigate(Route{Page: PagePodcasts}).(*podcastsPage)
	h.waitFor("podcasts", func() bool { return len(pcs.state.podcasts) > 0 })
	shot("podcasts")
	pc := h.navigate(PodcastRoute("1")).(*podcastPage)
	h.waitFor("the podcast", func() bool { return pc.state.podcast != nil })
	h.ui(func() { pc.download(1) })
	shot("podcast")
	radio := h.navigate(Route{Page: PageRadio}).(*radioPage)
	h.waitFor("stations", func() bool { return len(radio.stations) > 0 })
	h.ui(func() { test.Tap(find[*entityRow](radio.list)[0]) })
	h.waitFor("a title", func() bool {
		return h.shell.bar.total.Text == "Live" && h.shell.bar.title.Text != radio.stations[0].Name
	})
	shot("radio")
	h.ui(func() { radio.stop() })
	bm := h.navigate(Route{Page: PageBookmarks}).(*bookmarksPage)
	h.waitFor("bookmarks", func() bool { return len(bm.entries) > 0 })
	h.ui(func() { bm.resume(0) })
	h.waitFor("the offer", func() bool { return h.shell.bar.offer.Visible() })
	shot("bookmarks")
	sh := h.navigate(Route{Page: PageShares}).(*sharesPage)
	h.waitFor("shares", func() bool { return len(sh.shares) > 0 })
	shot("shares")
}
