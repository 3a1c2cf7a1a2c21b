package gui

import (
	"context"
	"testing"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
)

// BenchmarkAlbumsFirstScreen measures, headless, the time from connecting
// to a fresh server (the demo library, nothing cached) to the first
// screen of the albums grid with every visible cover shown: the app's own
// part of "album grid with covers ≤ 0.6 s" (drawing is the GL driver's).
func BenchmarkAlbumsFirstScreen(b *testing.B) {
	lib := ampachetest.Library{Artists: 60, AlbumsPerArtist: 5, SongsPerAlbum: 10, Seed: 1}
	for b.Loop() {
		b.StopTimer()
		h := newHarness(b, harnessOptions{library: lib, noConnect: true})
		b.StartTimer()
		err := h.core.ConnectWith(context.Background(),
			storage.Profile{Name: "Bench", URL: h.srv.URL, User: h.srv.Admin.Username, Auth: storage.AuthPassword},
			client.Credentials{User: h.srv.Admin.Username, Password: h.srv.Admin.Password})
		if err != nil {
			b.Fatal(err)
		}
		h.waitFor("the first screen of covers", func() bool {
			page, ok := h.shell.current.(*albumsPage)
			if !ok || page.pager.Len() == 0 {
				return false
			}
			cards := find[*albumCard](page.grid)
			if len(cards) < 12 {
				return false
			}
			for _, c := range cards {
				if c.album.ID == "" || !c.cover.hasArt() {
					return false
				}
			}
			return true
		})
	}
}
