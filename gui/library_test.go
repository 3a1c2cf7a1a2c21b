package gui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// openTestTones filters the albums grid down to the test tones and opens
// the album by tapping its card.
func openTestTones(t *testing.T, h *harness) *albumPage {
	t.Helper()
	var page *albumsPage
	h.ui(func() { page = h.shell.current.(*albumsPage) })
	h.waitFor("the first albums", func() bool { return page.pager.Len() > 0 })
	h.ui(func() { test.Type(page.filter, "Test Tones") })
	var card *albumCard
	h.waitFor("the Test Tones card", func() bool {
		if page.pager.Len() != 1 {
			return false
		}
		for _, c := range find[*albumCard](page.grid) {
			if c.album.Name == "Test Tones" {
				card = c
				return true
			}
		}
		return false
	})
	h.ui(func() { test.Tap(card) })
	var album *albumPage
	h.waitFor("the album page with its tracks", func() bool {
		p, ok := h.shell.current.(*albumPage)
		album = p
		return ok && len(p.state.songs) == 8
	})
	return album
}

func TestAlbumsToAlbumToPlay(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	album := openTestTones(t, h)

	h.ui(func() {
		if album.title.Text != "Test Tones" || album.artist.Text() != "Ampdesk Test Signals" {
			t.Errorf("header: %q by %q", album.title.Text, album.artist.Text())
		}
		if got := textOf(album.meta); !strings.Contains(got, "2024") || !strings.Contains(got, "8 songs") {
			t.Errorf("meta line %q lacks the year or the song count", got)
		}
		if len(album.rows) != 8 {
			t.Errorf("%d tracklist rows, want 8 (one disc: no disc heading)", len(album.rows))
		}
		test.Tap(album.playBtn)
	})
	h.waitFor("the album playing", func() bool {
		items, idx := h.core.Queue()
		p := h.core.Player()
		return len(items) == 8 && idx == 0 && p != nil && p.Status().State == audio.Playing
	})
	items, _ := h.core.Queue()
	for i, it := range items {
		if want := client.ID(itoa(i + 1)); it.ID != want {
			t.Fatalf("queue[%d] = song %s, want %s (album order)", i, it.ID, want)
		}
	}
	h.waitFor("the now-playing bar to show the track", func() bool {
		return h.shell.bar.title.Text == "1 kHz Tone (MP3)" && h.shell.bar.album.Text() == "Test Tones" && !h.shell.bar.play.Disabled()
	})
	h.waitFor("the bar's clock to move", func() bool {
		b := h.shell.bar
		return b.elapsed.Text == "0:01" && b.total.Text == "0:03" && b.seek.Value == 1
	})
	// The bar's album link leads back to the album page.
	h.ui(func() {
		h.shell.Navigate(Route{Page: PageQueue})
		h.shell.bar.album.Tapped(&fyne.PointEvent{})
	})
	h.waitFor("the album page from the bar", func() bool {
		p, ok := h.shell.current.(*albumPage)
		return ok && p.state.id == "1"
	})
	// Space pauses (nothing focused), and plays again.
	h.ui(func() { h.win.Canvas().Unfocus(); h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace}) })
	h.waitFor("pause on space", func() bool { return h.core.Player().Status().State == audio.Paused })
	h.ui(func() { h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace}) })
	h.waitFor("play on space", func() bool { return h.core.Player().Status().State == audio.Playing })
}

func TestAlbumGridShowsArtAtTheSizeShown(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	var page *albumsPage
	h.ui(func() { page = h.shell.current.(*albumsPage) })
	h.waitFor("covers in the grid", func() bool {
		cards := find[*albumCard](page.grid)
		if len(cards) == 0 {
			return false
		}
		for _, c := range cards {
			if c.album.ID != "" && !c.cover.hasArt() {
				return false
			}
		}
		return true
	})
	h.ui(func() {
		cards := find[*albumCard](page.grid)
		if n := page.pager.Len(); len(cards) >= n {
			t.Errorf("%d cards for %d albums: the grid is not virtualized", len(cards), n)
		}
		for _, c := range cards {
			b := c.cover.img.Image.Bounds()
			if b.Dx() != gridCover || b.Dy() != gridCover {
				t.Fatalf("thumbnail of %s is %dx%d, want %dx%d (decoded at the size shown)", c.album.Name, b.Dx(), b.Dy(), gridCover, gridCover)
			}
		}
	})
	if b, n := h.cache.Usage(); n == 0 || b == 0 {
		t.Fatal("art was not cached on disk")
	}
	if mem, n := h.shell.env.art.memoryUse(); n == 0 || mem > artMemoryBudget {
		t.Fatalf("thumbnails in memory: %d bytes in %d", mem, n)
	}
}

func TestSearchShowsGroupedResults(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	// Ctrl+F works even while typing in another field (the albums filter).
	h.ui(func() {
		albums := h.shell.current.(*albumsPage)
		h.win.Canvas().Focus(albums.filter)
		albums.filter.TypedShortcut(shortcutSearch)
	})
	var page *searchPage
	h.waitFor("the search page on Ctrl+F", func() bool {
		p, ok := h.shell.current.(*searchPage)
		page = p
		return ok
	})
	h.ui(func() {
		if h.win.Canvas().Focused() != page.entry {
			t.Error("Ctrl+F did not put the cursor in the search field")
		}
		test.Type(page.entry, "test")
	})
	h.waitFor("results for “test”", func() bool { return page.state.text == "test" })
	h.ui(func() {
		groups := page.groupTitles()
		for _, want := range []string{"Artists", "Albums"} {
			if !slices.Contains(groups, want) {
				t.Errorf("groups %v lack %s", groups, want)
			}
		}
		names := map[string]bool{}
		for _, r := range find[*entityRow](page.groups) {
			names[r.name.Text] = true
		}
		for _, c := range find[*albumCard](page.groups) {
			names[c.album.Name] = true
		}
		if !names["Ampdesk Test Signals"] || !names["Test Tones"] {
			t.Errorf("results %v lack the test artist or album", names)
		}
		// Typing on replaces the search (debounced).
		page.entry.SetText("")
		test.Type(page.entry, "khz tone")
	})
	h.waitFor("results for “khz tone”", func() bool { return page.state.text == "khz tone" })
	h.ui(func() {
		if groups := page.groupTitles(); !slices.Contains(groups, "Songs") {
			t.Fatalf("groups %v lack Songs", groups)
		}
		var titles []string
		for _, r := range find[*trackRow](page.groups) {
			titles = append(titles, r.title.Text)
		}
		if len(titles) != 4 {
			t.Errorf("song results %v, want the four 1 kHz tones", titles)
		}
	})
}

func TestAdvancedSearchRules(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	page := h.navigate(Route{Page: PageSearch}).(*searchPage)
	h.ui(func() {
		f := newAdvancedForm(h.shell.env, nil)
		f.rows[0].field.SetSelected("Album")
		f.rows[0].input.SetText("Test Tones")
		r := f.addRule(client.Rule{Field: "title"})
		r.op.SetSelected("contains")
		r.input.SetText("440")
		q, err := f.search()
		if err != nil {
			t.Fatal(err)
		}
		if q.Match != client.MatchAll || len(q.Rules.Rules) != 2 || q.Rules.Rules[0].Field != "album" {
			t.Fatalf("search %+v", q)
		}
		page.runAdvanced(q)

		bad := newAdvancedForm(h.shell.env, nil)
		bad.rows[0].field.SetSelected("Year")
		bad.rows[0].input.SetText("nineteen")
		if _, err := bad.search(); err == nil || !strings.Contains(err.Error(), "whole number") {
			t.Errorf("a year in words: %v", err)
		}
	})
	h.waitFor("the songs matching the rules", func() bool { return len(page.state.advSongs) > 0 })
	h.ui(func() {
		if n := len(page.state.advSongs); n != 4 {
			t.Errorf("%d songs match album=Test Tones and title∋440, want 4", n)
		}
	})
}

func TestQueueReorderAndRemove(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	album := openTestTones(t, h)
	h.ui(func() { test.Tap(album.playBtn) })
	h.waitFor("the queue", func() bool { items, _ := h.core.Queue(); return len(items) == 8 })
	page := h.navigate(Route{Page: PageQueue}).(*queuePage)
	h.waitFor("the queue page's rows", func() bool { return len(page.items) == 8 && len(find[*queueRow](page.list)) > 0 })

	rowFor := func(id int) *queueRow {
		for _, r := range find[*queueRow](page.list) {
			if r.row.id == id {
				return r
			}
		}
		t.Fatalf("no visible row %d", id)
		return nil
	}
	// Move the third song up: 1 2 3 4 → 1 3 2 4.
	h.ui(func() { test.Tap(rowFor(2).up) })
	h.waitFor("the move", func() bool {
		items, _ := h.core.Queue()
		return len(items) == 8 && items[1].ID == "3" && items[2].ID == "2"
	})
	h.waitFor("the page to follow", func() bool { return len(page.items) == 8 && page.items[1].ID == "3" })
	// Move the fifth down: … 5 6 … → … 6 5 ….
	h.ui(func() { test.Tap(rowFor(4).down) })
	h.waitFor("the move down", func() bool { items, _ := h.core.Queue(); return items[4].ID == "6" && items[5].ID == "5" })
	// Remove the last.
	h.ui(func() { test.Tap(rowFor(7).remove) })
	h.waitFor("the removal", func() bool { items, _ := h.core.Queue(); return len(items) == 7 })
	items, _ := h.core.Queue()
	var ids []string
	for _, it := range items {
		ids = append(ids, string(it.ID))
	}
	if got, want := strings.Join(ids, " "), "1 3 2 4 6 5 7"; got != want {
		t.Fatalf("queue %s, want %s", got, want)
	}
	h.waitFor("the page after removal", func() bool { return len(page.items) == 7 && textOf(page.summary) != "" })
	// Double tap jumps.
	h.ui(func() { rowFor(3).row.DoubleTapped(&fyne.PointEvent{}) })
	h.waitFor("the jump", func() bool { _, idx := h.core.Queue(); return idx == 3 })
	// Clear.
	h.ui(func() { test.Tap(page.clear) })
	h.waitFor("an empty queue", func() bool { items, _ := h.core.Queue(); return len(items) == 0 && page.empty.Visible() })
}

func TestRatingAndFlagReachTheServer(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	album := openTestTones(t, h)
	h.ui(func() { test.Tap(album.stars.icons[3]) })
	h.waitFor("the album's rating on the server", func() bool { return h.adminRating("album", 1) == 4 })
	h.ui(func() { test.Tap(album.favBtn) })
	h.waitFor("the album's flag on the server", func() bool { return h.srv.Flagged(h.srv.Admin.Username, "album", 1) })
	h.ui(func() {
		if !bool(album.state.album.Flag) || album.stars.rating != 4 {
			t.Errorf("page shows flag %v, rating %d", album.state.album.Flag, album.stars.rating)
		}
	})

	// A song's actions menu: rate 2 stars, favourite.
	h.ui(func() {
		s, _ := album.songAt(2)
		menu := h.shell.env.actionsMenu(album.songTarget(s))
		item := menuItem(t, menu, "Rate")
		menuItem(t, item.ChildMenu, "★★☆☆☆").Action()
		menuItem(t, menu, "Add to favourites").Action()
	})
	h.waitFor("the song's rating and flag on the server", func() bool {
		return h.adminRating("song", 3) == 2 && h.srv.Flagged(h.srv.Admin.Username, "song", 3)
	})
	// Tapping the current rating clears it.
	h.ui(func() { test.Tap(album.stars.icons[3]) })
	h.waitFor("the album's rating cleared", func() bool { return h.adminRating("album", 1) == 0 })
}

func menuItem(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("menu has no %q", label)
	return nil
}

func TestActionsMenuOffersWhatFits(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	e := h.shell.env
	labels := func(m *fyne.Menu) []string {
		var out []string
		for _, it := range m.Items {
			if !it.IsSeparator {
				out = append(out, it.Label)
			}
		}
		return out
	}
	song := labels(e.actionsMenu(target{typ: client.TypeSong, id: "1", name: "x"}))
	want := []string{"Play", "Play next", "Add to queue", "Add to playlist…", "Send to localplay", "Vote for this", "Rate", "Add to favourites", "Share…"}
	if !slices.Equal(song, want) {
		t.Errorf("song menu %v, want %v", song, want)
	}
	if g := labels(e.actionsMenu(target{typ: client.TypeGenre, id: "1"})); slices.Contains(g, "Rate") || !slices.Contains(g, "Shuffle") {
		t.Errorf("genre menu %v", g)
	}

	// Share asks for the expiry and copies the public link.
	h.ui(func() {
		menuItem(t, e.actionsMenu(target{typ: client.TypeAlbum, id: "1", name: "Test Tones"}), "Share…").Action()
	})
	h.tapOverlayButton("Create link")
	h.waitFor("the link in the clipboard", func() bool { return strings.Contains(h.app.Clipboard().Content(), "share") })
	if sh := h.srv.Shares(h.srv.Admin.Username); len(sh) != 1 || sh[0].ObjectType != "album" {
		t.Fatalf("server shares %+v", sh)
	}

	// Play next / add to queue.
	h.ui(func() {
		menuItem(t, e.actionsMenu(target{typ: client.TypeAlbum, id: "1", name: "Test Tones"}), "Add to queue").Action()
	})
	h.waitFor("8 songs queued", func() bool { items, _ := h.core.Queue(); return len(items) == 8 })
	h.ui(func() {
		menuItem(t, e.actionsMenu(target{typ: client.TypeSong, id: "5", name: "440"}), "Play next").Action()
	})
	h.waitFor("the song next", func() bool { items, idx := h.core.Queue(); return len(items) == 9 && items[idx+1].ID == "5" })
	h.waitFor("a notice", func() bool { return strings.Contains(h.shell.lastNotice(), "to the queue") })
}

func TestAddToPlaylist(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	before := len(h.srv.Playlists(h.srv.Admin.Username))
	var name *entry
	h.ui(func() { h.shell.env.choosePlaylist(target{typ: client.TypeAlbum, id: "1", name: "Test Tones"}) })
	h.waitFor("the playlist chooser", func() bool {
		for _, o := range h.overlays() {
			if x, ok := o.(*entry); ok && x.PlaceHolder == "New playlist name" {
				name = x
				return true
			}
		}
		return false
	})
	h.ui(func() {
		test.Type(name, "Tones mix")
		name.OnSubmitted(name.Text)
	})
	h.waitFor("the new playlist on the server", func() bool {
		for _, p := range h.srv.Playlists(h.srv.Admin.Username) {
			if p.Name == "Tones mix" && len(p.SongIDs) == 8 {
				return true
			}
		}
		return false
	})
	if n := len(h.srv.Playlists(h.srv.Admin.Username)); n != before+1 {
		t.Fatalf("%d playlists, want %d", n, before+1)
	}
}

func TestBackAndForwardRestorePages(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	openTestTones(t, h)
	requests := h.srv.Requests("album_songs")
	h.ui(func() { h.shell.Back() })
	var albums *albumsPage
	h.waitFor("the albums page again", func() bool {
		p, ok := h.shell.current.(*albumsPage)
		albums = p
		return ok && p.pager.Len() == 1
	})
	h.ui(func() {
		if albums.filter.Text != "Test Tones" {
			t.Errorf("filter after Back %q, want it kept", albums.filter.Text)
		}
		if h.shell.fwdBtn.Disabled() {
			t.Error("Forward is disabled after Back")
		}
		h.shell.Forward()
	})
	h.waitFor("the album page again", func() bool {
		p, ok := h.shell.current.(*albumPage)
		return ok && len(p.state.songs) == 8
	})
	if got := h.srv.Requests("album_songs"); got != requests {
		t.Errorf("Forward fetched the album again (%d album_songs requests, want %d)", got, requests)
	}
	h.ui(func() {
		for _, b := range h.shell.nav {
			if b.selected != (b.item.label == "Albums") {
				t.Errorf("nav %s selected=%v on an album page", b.item.label, b.selected)
			}
		}
	})
}

func TestSongsListPagesThroughALargeLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-song library")
	}
	h := newHarness(t, harnessOptions{library: ampachetest.Library{Artists: 2000, AlbumsPerArtist: 5, SongsPerAlbum: 10}})
	page := h.navigate(Route{Page: PageSongs}).(*songsPage)
	h.waitFor("the song count", func() bool { return page.pager.Len() > 100000 })
	total := page.pager.Len()
	h.srv.ResetRequests()
	for _, at := range []int{20000, 60000, 99000, 5000, 80000, 40000, 70000, 30000, 90000, 10000} {
		h.ui(func() { page.list.ScrollTo(at) })
		h.waitFor("rows around "+itoa(at), func() bool {
			for _, r := range find[*trackRow](page.list) {
				if r.id == at {
					return r.title.Text != "…"
				}
			}
			return false
		})
	}
	h.ui(func() {
		if n := page.pager.loadedPages(); n > page.pager.keep {
			t.Errorf("%d pages held, more than the window of %d", n, page.pager.keep)
		}
		if page.pager.Len() != total {
			t.Errorf("length changed while scrolling: %d → %d", total, page.pager.Len())
		}
	})
	if n := h.srv.Requests("songs"); n > 40 {
		t.Errorf("%d songs requests for 10 jumps: pages are not kept or fetched in bulk", n)
	}
}
