package gui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// pickFromPlaylistChooser chooses the playlist named name in the open
// "Add to playlist" dialog.
func pickFromPlaylistChooser(t *testing.T, h *harness, name string, skip bool) {
	t.Helper()
	var list *widget.List
	var check *widget.Check
	h.waitFor("the chooser's playlists", func() bool {
		list, check = nil, nil
		for _, o := range h.overlays() {
			switch x := o.(type) {
			case *widget.List:
				list = x
			case *widget.Check:
				if strings.HasPrefix(x.Text, "Skip songs") {
					check = x
				}
			}
		}
		return list != nil && check != nil && list.Length() > 0
	})
	h.ui(func() {
		check.SetChecked(skip)
		for i := range list.Length() {
			l := widget.NewLabel("")
			list.UpdateItem(i, l)
			if strings.HasPrefix(l.Text, name+"  ·") {
				list.Select(i)
				return
			}
		}
		t.Fatalf("the chooser does not list %q", name)
	})
	h.waitFor("the chooser to close", h.noOverlays)
}

func serverIDs(p ampachetest.Playlist) string {
	var s []string
	for _, id := range p.SongIDs {
		s = append(s, strconv.Itoa(id))
	}
	return strings.Join(s, " ")
}

func TestPlaylistCreateAddReorderRenameDelete(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	list := h.navigate(Route{Page: PagePlaylists}).(*playlistsPage)
	h.waitFor("the playlists", func() bool { return list.state.playlists != nil })
	before := len(list.state.playlists)

	// Create.
	h.ui(func() { test.Tap(list.newBtn) })
	name := h.overlayEntry("the name field", func(x *entry) bool { return x.PlaceHolder == "Playlist name" })
	h.ui(func() { test.Type(name, "Road trip") })
	h.tapOverlayButton("Create")
	var page *playlistPage
	h.waitFor("the new playlist's page", func() bool {
		p, ok := h.shell.current.(*playlistPage)
		page = p
		return ok && p.state.pl != nil && p.state.pl.Name == "Road trip"
	})
	sp, ok := serverPlaylist(h, "Road trip")
	if !ok || len(sp.SongIDs) != 0 || sp.Public {
		t.Fatalf("server playlist %+v, %v: want an empty private “Road trip”", sp, ok)
	}
	h.ui(func() {
		if !page.editable || !page.status.Visible() || !strings.Contains(page.status.Text, "empty") {
			t.Errorf("new playlist: editable %v, status %q", page.editable, page.status.Text)
		}
		h.shell.Back()
	})
	// Back: the list, read again, has the new playlist.
	h.waitFor("the list with the new playlist", func() bool {
		p, ok := h.shell.current.(*playlistsPage)
		return ok && len(p.state.playlists) == before+1
	})
	h.ui(func() { h.shell.Forward() })
	h.waitFor("the playlist page again", func() bool {
		p, ok := h.shell.current.(*playlistPage)
		page = p
		return ok && p.state.pl != nil && p.state.pl.Name == "Road trip"
	})

	// Add the album, then songs 2 and 9 without duplicates: only 9 joins.
	h.ui(func() {
		menuItem(t, h.shell.env.actionsMenu(target{typ: client.TypeAlbum, id: "1", name: "Test Tones"}), "Add to playlist…").Action()
	})
	pickFromPlaylistChooser(t, h, "Road trip", true)
	h.waitFor("the album in the playlist on the server", func() bool {
		p, _ := serverPlaylist(h, "Road trip")
		return len(p.SongIDs) == 8
	})
	h.ui(func() {
		h.shell.env.choosePlaylist(target{typ: client.TypeSong, id: "2", name: "2 songs", songs: []client.Song{{ID: "2"}, {ID: "9"}}})
	})
	pickFromPlaylistChooser(t, h, "Road trip", true)
	h.waitFor("song 9 added and song 2 skipped", func() bool {
		p, _ := serverPlaylist(h, "Road trip")
		return serverIDs(p) == "1 2 3 4 5 6 7 8 9"
	})
	h.waitFor("the notice of the skipped song", func() bool { return strings.Contains(h.shell.lastNotice(), "1 was already there") })

	// The page shows the songs once read again.
	h.ui(func() { page.reload() })
	h.waitFor("the playlist's 9 songs", func() bool {
		return len(page.state.entries) == 9 && len(find[*playlistRow](page.list)) > 0
	})
	h.ui(func() {
		if got := textOf(page.meta); !strings.Contains(got, "9 songs") || !strings.Contains(got, "Private") {
			t.Errorf("meta %q", got)
		}
	})

	// Reorder: move the first down, then drag the fourth to the top.
	row := func(i int) *playlistRow {
		return visibleRow(t, page.list, func(r *playlistRow) int { return r.row.id }, i)
	}
	h.ui(func() { test.Tap(row(0).down) })
	h.waitFor("the order saved on the server", func() bool {
		p, _ := serverPlaylist(h, "Road trip")
		return serverIDs(p) == "2 1 3 4 5 6 7 8 9"
	})
	h.ui(func() {
		r := row(3)
		step := r.Size().Height + theme.Padding() // the list's rows are a padding apart
		r.handle.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DY: -step * 2}})
		if got := textOf(page.saveNote); got != "Move to position 2" {
			t.Errorf("while dragging: %q", got)
		}
		r.handle.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DY: -step}})
		r.handle.DragEnd()
	})
	h.waitFor("the dragged order on the server", func() bool {
		p, _ := serverPlaylist(h, "Road trip")
		return serverIDs(p) == "4 2 1 3 5 6 7 8 9"
	})
	h.waitFor("the save note", func() bool { return textOf(page.saveNote) == "Order saved" })

	// Remove one entry, then two selected ones.
	h.ui(func() { test.Tap(row(1).remove) })
	h.waitFor("the removal on the server", func() bool {
		p, _ := serverPlaylist(h, "Road trip")
		return serverIDs(p) == "4 1 3 5 6 7 8 9"
	})
	h.ui(func() {
		test.Tap(page.selectBtn)
		test.Tap(row(0).row)
		test.Tap(row(2).check)
		if got := page.selCount.Text; got != "2 songs selected" {
			t.Errorf("selection %q", got)
		}
		test.Tap(page.selRemove)
	})
	h.waitFor("the selection removed on the server", func() bool {
		p, _ := serverPlaylist(h, "Road trip")
		return serverIDs(p) == "1 5 6 7 8 9"
	})

	// Rename and make public.
	h.ui(func() { test.Tap(page.renameBtn) })
	rename := h.overlayEntry("the rename field", func(x *entry) bool { return x.Text == "Road trip" })
	h.ui(func() {
		rename.SetText("")
		test.Type(rename, "Long drive")
	})
	h.tapOverlayButton("Rename")
	h.waitFor("the new name on the server", func() bool { _, ok := serverPlaylist(h, "Long drive"); return ok })
	h.waitFor("the new name on the page", func() bool { return page.title.Text == "Long drive" })
	h.ui(func() { test.Tap(page.visBtn) })
	h.waitFor("the playlist public on the server", func() bool { p, _ := serverPlaylist(h, "Long drive"); return p.Public })
	h.waitFor("the page to say public", func() bool { return strings.HasPrefix(textOf(page.meta), "Public") })

	// Delete, with confirmation.
	h.ui(func() { test.Tap(page.deleteBtn) })
	h.tapOverlayButton("Delete")
	h.waitFor("the playlist gone from the server", func() bool { _, ok := serverPlaylist(h, "Long drive"); return !ok })
	h.waitFor("the playlists page again", func() bool {
		p, ok := h.shell.current.(*playlistsPage)
		return ok && p.state.playlists != nil && len(p.state.playlists) == before
	})
	if !page.state.writes.idle() {
		t.Error("edits still queued at the end")
	}
}

func TestPlaylistsListMarksSmartlistsAndLengths(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	if _, err := h.srv.AddPlaylist(h.srv.Admin.Username, "Tones", true, 1, 2, 5); err != nil {
		t.Fatal(err)
	}
	page := h.navigate(Route{Page: PagePlaylists}).(*playlistsPage)
	h.waitFor("the playlists", func() bool { return page.state.playlists != nil })
	var smart int
	h.ui(func() {
		for _, pl := range page.state.playlists {
			if pl.Smart {
				smart++
			}
		}
	})
	if smart == 0 {
		t.Fatal("the list has no smartlist")
	}
	h.waitFor("the rows with their lengths", func() bool {
		var tones, smartRow bool
		for _, r := range find[*entityRow](page.list) {
			sub := textOf(r.sub)
			if r.name.Text == "Tones" {
				tones = strings.Contains(sub, "3 songs") && strings.Contains(sub, "Public") && strings.Contains(sub, "1 min")
			}
			if strings.Contains(sub, "Smartlist · read-only") {
				smartRow = true
			}
		}
		return tones && smartRow
	})
	// A smartlist opens read-only: no editing controls.
	var id client.ID
	h.ui(func() {
		for _, pl := range page.state.playlists {
			if pl.Smart {
				id = pl.ID
				break
			}
		}
	})
	sp := h.navigate(PlaylistRoute(id)).(*playlistPage)
	h.waitFor("the smartlist page", func() bool { return sp.state.pl != nil })
	h.ui(func() {
		if sp.editable || sp.renameBtn.Visible() || sp.deleteBtn.Visible() || sp.visBtn.Visible() {
			t.Error("a smartlist offers editing")
		}
		if textOf(sp.kind) != "SMARTLIST" {
			t.Errorf("caption %q", textOf(sp.kind))
		}
		for _, r := range find[*playlistRow](sp.list) {
			if r.handle.Visible() || r.tools.Visible() {
				t.Fatal("a smartlist row offers moving or removing")
			}
		}
	})
}

func TestQuickMixesPlay(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	page := h.navigate(Route{Page: PagePlaylists}).(*playlistsPage)
	h.ui(func() { test.Tap(page.mixes[client.GenerateRandom]) })
	h.waitFor("a random mix in the queue", func() bool {
		items, _ := h.core.Queue()
		return len(items) > 8
	})
	h.waitFor("the notice", func() bool { return strings.Contains(h.shell.lastNotice(), "“random” mix") })
	if h.srv.Requests("playlist_generate") != 1 {
		t.Fatalf("%d playlist_generate requests", h.srv.Requests("playlist_generate"))
	}

	// Within an artist: the artist's menu has the quick mixes.
	h.ui(func() {
		m := h.shell.env.actionsMenu(target{typ: client.TypeArtist, id: "1", name: "Ampdesk Test Signals"})
		menuItem(t, menuItem(t, m, "Quick mix").ChildMenu, "Random").Action()
	})
	h.waitFor("the artist's mix", func() bool {
		items, _ := h.core.Queue()
		if len(items) != 8 {
			return false
		}
		for _, it := range items {
			if it.ArtistID != "1" {
				return false
			}
		}
		return true
	})
}

func TestPlaylistLine(t *testing.T) {
	t.Parallel()
	pub := client.Playlist{Name: "A", Items: 3, Type: client.PlaylistPublic, Owner: "bob"}
	tests := []struct {
		pl    client.Playlist
		secs  int
		known bool
		want  string
	}{
		{pub, 0, false, "3 songs · Public · by bob"},
		{pub, 600, true, "3 songs · 10 min · Public · by bob"},
		{client.Playlist{Items: 1, Type: client.PlaylistPrivate, Owner: "me"}, 0, false, "1 song · Private"},
		{client.Playlist{Items: 50, Smart: true, Owner: "me"}, 0, false, "Smartlist · read-only · 50 songs"},
	}
	for _, tt := range tests {
		if got := playlistLine(tt.pl, "Me", tt.secs, tt.known); got != tt.want {
			t.Errorf("playlistLine(%+v) = %q, want %q", tt.pl, got, tt.want)
		}
	}
	if playlistEditable(client.Playlist{Smart: true, HasAccess: true}, "me") {
		t.Error("a smartlist is editable")
	}
	if !playlistEditable(client.Playlist{Owner: "ME"}, "me") || playlistEditable(client.Playlist{Owner: "bob"}, "me") {
		t.Error("ownership decides without has_access")
	}
}
