package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/client"
)

func TestArtistPageShowsAlbumsTopSongsAndSimilar(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	artists := h.navigate(Route{Page: PageArtists}).(*artistsPage)
	h.waitFor("the artists", func() bool { return artists.pager.Len() > 0 })
	h.ui(func() { test.Type(artists.filter, "Test Signals") })
	var row *entityRow
	h.waitFor("the test artist's row", func() bool {
		for _, r := range find[*entityRow](artists.list) {
			if r.name.Text == "Ampdesk Test Signals" {
				row = r
				return artists.pager.Len() == 1
			}
		}
		return false
	})
	h.ui(func() { test.Tap(row) })
	var page *artistPage
	h.waitFor("the artist page", func() bool {
		p, ok := h.shell.current.(*artistPage)
		page = p
		return ok && p.state.loaded
	})
	h.ui(func() {
		if page.name.Text != "Ampdesk Test Signals" {
			t.Errorf("artist page of %q", page.name.Text)
		}
		cards := find[*albumCard](page.albums)
		if len(cards) != 1 || cards[0].album.Name != "Test Tones" {
			t.Errorf("albums section: %d cards", len(cards))
		}
		if n := len(page.top.Objects); n != 8 {
			t.Errorf("%d top songs, want the artist's 8", n)
		}
		if !strings.Contains(textOf(page.meta), "1 album") {
			t.Errorf("meta %q", textOf(page.meta))
		}
		test.Tap(page.playBtn)
	})
	h.waitFor("the artist's songs playing", func() bool { items, _ := h.core.Queue(); return len(items) == 8 })

	// Similar artists lead to their pages.
	h.ui(func() {
		if len(page.state.similar) == 0 {
			return // the server has no similarity data for this artist
		}
		r := page.similar.Objects[0].(*entityRow)
		test.Tap(r)
	})
	if len(page.state.similar) > 0 {
		want := page.state.similar[0].ID
		h.waitFor("a similar artist's page", func() bool {
			p, ok := h.shell.current.(*artistPage)
			return ok && p.state.id == want
		})
	}
}

func TestGenresLeadToAlbumsArtistsAndSongs(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	genres := h.navigate(Route{Page: PageGenres}).(*genresPage)
	h.waitFor("the genres", func() bool { return genres.pager.Len() > 0 })
	var first client.Genre
	var row *entityRow
	h.waitFor("a genre row", func() bool {
		for _, r := range find[*entityRow](genres.list) {
			if g, ok := genres.pager.Get(r.id); ok && r.id == 0 {
				first, row = g, r
				return true
			}
		}
		return false
	})
	h.ui(func() { test.Tap(row) })
	var page *genrePage
	h.waitFor("the genre page", func() bool {
		p, ok := h.shell.current.(*genrePage)
		page = p
		return ok && p.state.genre != nil && p.pager.Len() > 0
	})
	h.ui(func() {
		if got, want := len(page.state.albums), int(first.Albums); got != want {
			t.Errorf("%s: %d albums, the genre lists %d", first.Name, got, want)
		}
		if got, want := len(page.state.artists), int(first.Artists); got != want {
			t.Errorf("%s: %d artists, the genre lists %d", first.Name, got, want)
		}
		if got, want := page.pager.Len(), int(first.Songs); got != want {
			t.Errorf("%s: %d songs, the genre lists %d", first.Name, got, want)
		}
		page.tabs.SelectIndex(2)
	})
	h.waitFor("song rows in the Songs tab", func() bool {
		for _, r := range find[*trackRow](page.songs) {
			if r.title.Text != "…" && r.title.Text != "" {
				return true
			}
		}
		return false
	})
}

func TestSongsFilter(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	songs := h.navigate(Route{Page: PageSongs}).(*songsPage)
	h.waitFor("the songs", func() bool { return songs.pager.Len() > 8 })
	h.ui(func() { test.Type(songs.filter, "440 Hz") })
	h.waitFor("the filtered songs", func() bool { return songs.pager.Len() == 4 })
	h.waitFor("their rows", func() bool {
		rows := find[*trackRow](songs.list)
		n := 0
		for _, r := range rows {
			if strings.HasPrefix(r.title.Text, "440 Hz Tone") {
				n++
			}
		}
		return n == 4
	})
	// Double tap plays from that song, with the rest of the page after it.
	h.ui(func() {
		for _, r := range find[*trackRow](songs.list) {
			if r.id == 1 {
				r.DoubleTapped(nil)
			}
		}
	})
	h.waitFor("the songs queued from the second", func() bool {
		items, idx := h.core.Queue()
		return len(items) == 4 && idx == 1
	})
}
