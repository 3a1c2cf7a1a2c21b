package gui

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// plEntry is one entry of a playlist; key tells entries of the same song
// apart (a selection follows an entry that moves).
type plEntry struct {
	song client.Song
	key  int
}

// playlistState is what Back restores: the playlist as shown (with the
// edits made), the scroll position, and the queue of edits still being
// saved.
type playlistState struct {
	id      client.ID
	pl      *client.Playlist
	entries []plEntry
	nextKey int
	offset  float32
	writes  *writeQueue
}

// playlistPage shows a playlist: Play, Shuffle, rename, public/private,
// delete, and its songs, which the owner reorders (move up/down or drag
// the handle) and removes; a selection of songs goes to another playlist.
// Edits show at once and are saved in order in the background
// (playlist_edit items/tracks for the order).
type playlistPage struct {
	widget.BaseWidget
	pageBase
	state    playlistState
	me       string
	editable bool

	cover     *cover
	kind      *widget.RichText
	title     *widget.Label
	meta      *widget.RichText
	saveNote  *widget.RichText
	playBtn   *widget.Button
	shufBtn   *widget.Button
	renameBtn *widget.Button
	visBtn    *widget.Button
	deleteBtn *widget.Button
	selectBtn *widget.Button
	moreBtn   *widget.Button
	status    *widget.Label
	list      *keyList

	selBar    *fyne.Container
	selCount  *widget.Label
	selAdd    *widget.Button
	selRemove *widget.Button

	selecting  bool
	selected   map[int]bool // by entry key
	playing    client.ID
	orderDirty bool
	orderDeb   *debouncer
	top        *fyne.Container
	root       fyne.CanvasObject
}

func newPlaylistPage(e *env, st playlistState) *playlistPage {
	if st.writes == nil {
		st.writes = &writeQueue{}
	}
	p := &playlistPage{pageBase: newPageBase(e), state: st, selected: map[int]bool{}}
	if prof, info, ok := e.Core.Connection(); ok {
		p.me = cmpOr(info.User, prof.User)
	}
	p.orderDeb = newDebouncer(e.Debounce*2, e.do)
	p.cover = newCover(e, p.ctx, headerCover, iconPlaylist)
	p.cover.set(playlistArt(st.id))
	p.kind = captionText("PLAYLIST")
	p.title = heading("…")
	p.title.Wrapping = fyne.TextWrapWord
	p.title.Truncation = fyne.TextTruncateOff
	p.meta = mutedText("")
	p.saveNote = countText("")

	p.playBtn = widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), func() { p.play(0, false) })
	p.playBtn.Importance = widget.HighImportance
	p.shufBtn = widget.NewButtonWithIcon("Shuffle", iconShuffle, func() { p.play(0, true) })
	p.renameBtn = iconButton(iconEdit, p.rename)
	p.visBtn = widget.NewButtonWithIcon("Private", iconLock, p.toggleVisibility)
	p.visBtn.Importance = widget.LowImportance
	p.deleteBtn = iconButton(theme.DeleteIcon(), p.delete)
	p.selectBtn = widget.NewButtonWithIcon("Select", iconSelect, func() { p.setSelecting(!p.selecting) })
	p.selectBtn.Importance = widget.LowImportance
	p.moreBtn = iconButton(theme.MoreHorizontalIcon(), func() {
		if p.state.pl != nil {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.moreBtn)
			m := e.playlistMenu(*p.state.pl, p.me, p.reload)
			widget.ShowPopUpMenuAtPosition(m, e.Window.Canvas(), pos.Add(fyne.NewPos(0, p.moreBtn.Size().Height)))
		}
	})
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()

	p.selCount = widget.NewLabel("")
	p.selAdd = widget.NewButtonWithIcon("Add to playlist…", iconPlaylistAdd, p.addSelected)
	p.selRemove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), p.removeSelected)
	done := widget.NewButton("Done", func() { p.setSelecting(false) })
	p.selBar = container.NewBorder(nil, nil, p.selCount, container.NewHBox(p.selAdd, p.selRemove, done))
	p.selBar.Hide()

	p.list = newKeyList(func() int { return len(p.state.entries) }, p.newRow, p.updateRow)
	p.list.onActivate = func(id int) { p.play(id, false) }
	p.list.onSpace = e.shell.playPause

	buttons := container.NewHBox(p.playBtn, p.shufBtn, p.selectBtn, p.visBtn, p.renameBtn, p.deleteBtn, p.moreBtn)
	info := container.NewVBox(layout.NewSpacer(), p.kind, p.title, container.NewBorder(nil, nil, nil, p.saveNote, p.meta), buttons)
	header := container.NewBorder(nil, nil, container.NewVBox(p.cover), nil, container.NewPadded(info))
	p.top = container.NewVBox(header, p.status, p.selBar, widget.NewSeparator())
	p.root = container.NewBorder(p.top, nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	if items, idx := e.Core.Queue(); idx >= 0 && idx < len(items) {
		p.playing = items[idx].ID
	}
	p.setButtons()
	// Back shows the playlist as it was at once; it is read again unless
	// edits are still being saved (the server would lag behind the screen).
	if st.pl != nil {
		p.show()
	}
	if st.pl == nil || st.writes.idle() {
		p.reload()
	}
	return p
}

func (p *playlistPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

type playlistLoad struct {
	pl    *client.Playlist
	songs []client.Song
}

// reload reads the playlist from the server.
func (p *playlistPage) reload() {
	c, id := p.env.Core, p.state.id
	goLoad(p.env, p.ctx, func(ctx context.Context) (playlistLoad, error) {
		pl, songs, err := c.Playlist(ctx, id)
		return playlistLoad{pl, songs}, err
	}, func(l playlistLoad, err error) {
		if err != nil {
			if p.state.pl == nil {
				p.title.SetText("Playlist")
			}
			p.status.SetText(core.Explain(err))
			p.status.Show()
			return
		}
		if p.state.pl != nil && (p.orderDirty || !p.state.writes.idle()) {
			return // edits made meanwhile: the screen is ahead of the server
		}
		p.state.pl = l.pl
		p.state.entries = p.state.entries[:0]
		for _, s := range l.songs {
			p.state.entries = append(p.state.entries, plEntry{song: s, key: p.state.nextKey})
			p.state.nextKey++
		}
		p.selected = map[int]bool{}
		p.show()
	})
}

func (p *playlistPage) show() {
	pl := p.state.pl
	p.editable = playlistEditable(*pl, p.me)
	p.title.SetText(pl.Name)
	if pl.Smart {
		setText(p.kind, "SMARTLIST")
	} else {
		setText(p.kind, "PLAYLIST")
	}
	p.showMeta()
	p.status.Hide()
	if len(p.state.entries) == 0 {
		if p.editable {
			p.status.SetText("This playlist is empty. Add songs with “Add to playlist…” in the menu of any song, album or artist.")
		} else {
			p.status.SetText("This playlist is empty.")
		}
		p.status.Show()
	}
	p.setButtons()
	p.list.Refresh()
	if p.state.offset > 0 {
		p.list.ScrollToOffset(p.state.offset)
		p.state.offset = 0
	}
}

func (p *playlistPage) showMeta() {
	pl := p.state.pl
	var parts []string
	if pl.Smart {
		parts = append(parts, "Smartlist · read-only")
	} else if pl.Type == client.PlaylistPublic {
		parts = append(parts, "Public")
	} else {
		parts = append(parts, "Private")
	}
	if o := playlistOwner(*pl); o != "" && !strings.EqualFold(o, p.me) {
		parts = append(parts, "by "+o)
	}
	parts = append(parts, plural(len(p.state.entries), "song", "songs"))
	if secs := p.totalSeconds(); secs > 0 {
		parts = append(parts, longDuration(secs))
	}
	setText(p.meta, strings.Join(parts, " · "))
	if pl.Type == client.PlaylistPublic {
		p.visBtn.SetText("Public")
		p.visBtn.SetIcon(iconPublic)
	} else {
		p.visBtn.SetText("Private")
		p.visBtn.SetIcon(iconLock)
	}
}

func (p *playlistPage) totalSeconds() int {
	n := 0
	for _, en := range p.state.entries {
		n += int(en.song.Time)
	}
	return n
}

func (p *playlistPage) setButtons() {
	loaded := p.state.pl != nil
	has := loaded && len(p.state.entries) > 0
	enable(p.playBtn, has)
	enable(p.shufBtn, has)
	enable(p.selectBtn, has)
	enable(p.moreBtn, loaded)
	for _, b := range []*widget.Button{p.renameBtn, p.visBtn, p.deleteBtn} {
		if loaded && p.editable {
			b.Show()
		} else {
			b.Hide()
		}
	}
	if p.editable {
		p.selRemove.Show()
	} else {
		p.selRemove.Hide()
	}
	n := p.selectionSize()
	p.selCount.SetText(plural(n, "song selected", "songs selected"))
	enable(p.selAdd, n > 0)
	enable(p.selRemove, n > 0)
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (p *playlistPage) songs() []client.Song {
	out := make([]client.Song, len(p.state.entries))
	for i, en := range p.state.entries {
		out[i] = en.song
	}
	return out
}

// play plays the playlist from entry i (shuffled: in a random order).
func (p *playlistPage) play(i int, shuffle bool) {
	songs := p.songs()
	if i < 0 || i >= len(songs) {
		return
	}
	c := p.env.Core
	p.env.goRun("", func(context.Context) error { return c.PlayItems(core.SongItems(songs), i, shuffle, 0) })
}

// Rows.

func (p *playlistPage) newRow() fyne.CanvasObject {
	e := p.env
	r := newPlaylistRow()
	r.row.onTap = func(id int) {
		if p.selecting {
			p.toggleSelected(id)
			return
		}
		p.list.focusRow(e.Window.Canvas(), id)
	}
	r.row.onDouble = func(id int) { p.play(id, false) }
	r.row.onMenu = func(id int, pos fyne.Position) {
		if id >= 0 && id < len(p.state.entries) {
			e.showActions(songTarget(p.state.entries[id].song), pos)
		}
	}
	r.check.OnChanged = func(on bool) {
		if id := r.row.id; id >= 0 && id < len(p.state.entries) && p.selected[p.state.entries[id].key] != on {
			p.toggleSelected(id)
		}
	}
	r.up.OnTapped = func() { p.move(r.row.id, r.row.id-1) }
	r.down.OnTapped = func() { p.move(r.row.id, r.row.id+1) }
	r.remove.OnTapped = func() { p.removeAt(r.row.id) }
	r.handle.onDrag = func(dy float32) { p.dragging(r.row.id, dy, r.Size().Height) }
	r.handle.onDrop = func(dy float32) { p.dropped(r.row.id, dy, r.Size().Height) }
	return r
}

func (p *playlistPage) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*playlistRow)
	en := p.state.entries[id]
	r.row.setSong(id, itoa(id+1), en.song, en.song.ID == p.playing)
	r.setMode(p.editable, p.selecting, p.selected[en.key])
	enable(r.up, id > 0)
	enable(r.down, id < len(p.state.entries)-1)
}

// Selection.

func (p *playlistPage) setSelecting(on bool) {
	p.selecting = on
	if !on {
		p.selected = map[int]bool{}
		p.selBar.Hide()
		p.selectBtn.Importance = widget.LowImportance
	} else {
		p.selBar.Show()
		p.selectBtn.Importance = widget.MediumImportance
	}
	p.selectBtn.Refresh()
	p.setButtons()
	p.top.Refresh() // the selection bar came or went
	p.list.Refresh()
}

func (p *playlistPage) toggleSelected(id int) {
	if id < 0 || id >= len(p.state.entries) {
		return
	}
	k := p.state.entries[id].key
	if p.selected[k] {
		delete(p.selected, k)
	} else {
		p.selected[k] = true
	}
	p.setButtons()
	p.list.RefreshItem(id)
}

func (p *playlistPage) selectionSize() int { return len(p.selected) }

// selection returns the selected entries' positions (0-based), in order.
func (p *playlistPage) selection() []int {
	var out []int
	for i, en := range p.state.entries {
		if p.selected[en.key] {
			out = append(out, i)
		}
	}
	return out
}

func (p *playlistPage) addSelected() {
	var songs []client.Song
	for _, i := range p.selection() {
		songs = append(songs, p.state.entries[i].song)
	}
	if len(songs) == 0 {
		return
	}
	name := songs[0].Title
	if len(songs) > 1 {
		name = plural(len(songs), "song", "songs")
	}
	p.env.choosePlaylist(target{typ: client.TypeSong, id: songs[0].ID, name: name, songs: songs})
}

func (p *playlistPage) removeSelected() {
	if sel := p.selection(); len(sel) > 0 {
		p.remove(sel)
		p.setSelecting(false)
	}
}

// Edits: shown at once, saved in order.

// move moves an entry and saves the new order once the moves pause.
func (p *playlistPage) move(from, to int) {
	n := len(p.state.entries)
	if !p.editable || from < 0 || to < 0 || from >= n || to >= n || from == to {
		return
	}
	en := p.state.entries[from]
	p.state.entries = slices.Delete(p.state.entries, from, from+1)
	p.state.entries = slices.Insert(p.state.entries, to, en)
	p.list.Refresh()
	p.list.Select(to)
	p.orderDirty = true
	setText(p.saveNote, "Saving the order…")
	p.orderDeb.call(p.saveOrder)
}

// saveOrder sends the order on screen (playlist_edit items/tracks).
func (p *playlistPage) saveOrder() {
	if !p.orderDirty {
		return
	}
	p.orderDirty = false
	p.orderDeb.stop()
	e, c, id := p.env, p.env.Core, p.state.id
	ids := make([]client.ID, len(p.state.entries))
	for i, en := range p.state.entries {
		ids[i] = en.song.ID
	}
	p.state.writes.add(func(ctx context.Context) {
		err := c.ReorderPlaylist(ctx, id, ids)
		e.do(func() {
			if err != nil {
				e.notify("Could not save the playlist's order: " + core.Explain(err))
				setText(p.saveNote, "")
				return
			}
			if !p.orderDirty {
				setText(p.saveNote, "Order saved")
			}
		})
	})
}

func (p *playlistPage) removeAt(i int) {
	if i >= 0 && i < len(p.state.entries) {
		p.remove([]int{i})
	}
}

// remove takes entries (positions on screen, 0-based) out of the playlist.
func (p *playlistPage) remove(idx []int) {
	if !p.editable || len(idx) == 0 {
		return
	}
	p.saveOrder() // the server's positions must be the ones shown
	e, c, id := p.env, p.env.Core, p.state.id
	positions := make([]int, len(idx))
	for i, x := range idx {
		positions[i] = x + 1
	}
	title := p.state.entries[idx[0]].song.Title
	for i := len(idx) - 1; i >= 0; i-- {
		p.state.entries = slices.Delete(p.state.entries, idx[i], idx[i]+1)
	}
	p.list.UnselectAll()
	p.showMeta()
	p.setButtons()
	p.list.Refresh()
	msg := fmt.Sprintf("Removed “%s” from the playlist", title)
	if len(idx) > 1 {
		msg = fmt.Sprintf("Removed %s from the playlist", plural(len(idx), "song", "songs"))
	}
	p.state.writes.add(func(ctx context.Context) {
		err := c.RemovePlaylistEntries(ctx, id, positions...)
		e.do(func() {
			if err != nil {
				e.notify("Could not remove from the playlist: " + core.Explain(err))
				p.reload() // show what the server holds
				return
			}
			e.notify(msg)
		})
	})
}

// dragging shows where a dragged entry would land.
func (p *playlistPage) dragging(from int, dy, rowH float32) {
	to := p.dropTarget(from, dy, rowH)
	if to != from {
		setText(p.saveNote, fmt.Sprintf("Move to position %d", to+1))
	} else {
		setText(p.saveNote, "")
	}
}

func (p *playlistPage) dropped(from int, dy, rowH float32) {
	setText(p.saveNote, "")
	p.move(from, p.dropTarget(from, dy, rowH))
}

// dropTarget is the entry a drag of dy from row from ends on.
func (p *playlistPage) dropTarget(from int, dy, rowH float32) int {
	step := rowH + theme.Padding() // the list's rows are a padding apart
	if step <= 0 {
		return from
	}
	to := from + int(math.Round(float64(dy/step)))
	return max(0, min(to, len(p.state.entries)-1))
}

// Header actions.

func (p *playlistPage) rename() {
	if pl := p.state.pl; pl != nil {
		p.env.renamePlaylistDialog(*pl, func(name string) {
			p.state.pl.Name = name
			p.title.SetText(name)
		})
	}
}

func (p *playlistPage) toggleVisibility() {
	pl := p.state.pl
	if pl == nil {
		return
	}
	public := pl.Type != client.PlaylistPublic
	p.env.setPlaylistPublic(*pl, public, func() {
		if public {
			p.state.pl.Type = client.PlaylistPublic
		} else {
			p.state.pl.Type = client.PlaylistPrivate
		}
		p.showMeta()
	})
}

func (p *playlistPage) delete() {
	if pl := p.state.pl; pl != nil {
		e := p.env
		e.deletePlaylistDialog(*pl, func() {
			if e.shell.current == Page(p) {
				e.navigate(Route{Page: PagePlaylists})
			}
		})
	}
}

func (p *playlistPage) onEvent(ev core.Event) {
	if e, ok := ev.(core.TrackChanged); ok && e.Item.ID != p.playing {
		p.playing = e.Item.ID
		p.list.Refresh()
	}
}

func (p *playlistPage) Route() Route { return PlaylistRoute(p.state.id) }

func (p *playlistPage) Save() Saved {
	p.saveOrder() // a pending order is saved, not dropped
	p.cancel()
	st := p.state
	st.entries = slices.Clone(st.entries)
	st.offset = p.list.GetScrollOffset()
	return savedFunc(func() Page { return newPlaylistPage(p.env, st) })
}

// playlistRow is a song of a playlist: a drag handle and move/remove
// buttons for the owner, a check box while selecting.
type playlistRow struct {
	widget.BaseWidget
	handle           *dragHandle
	check            *widget.Check
	row              *trackRow
	up, down, remove *widget.Button
	tools            *fyne.Container
}

func newPlaylistRow() *playlistRow {
	r := &playlistRow{row: newTrackRow(trackColumns{artist: true, album: true}), handle: newDragHandle()}
	r.check = widget.NewCheck("", nil)
	r.up = iconButton(theme.MoveUpIcon(), nil)
	r.down = iconButton(theme.MoveDownIcon(), nil)
	r.remove = iconButton(theme.DeleteIcon(), nil)
	r.tools = container.NewHBox(r.up, r.down, r.remove)
	r.ExtendBaseWidget(r)
	return r
}

func (r *playlistRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewHBox(r.handle, r.check), r.tools, r.row))
}

func (r *playlistRow) setMode(editable, selecting, selected bool) {
	if editable && !selecting {
		r.handle.Show()
		r.tools.Show()
	} else {
		r.handle.Hide()
		r.tools.Hide()
	}
	if selecting {
		r.check.Show()
		if r.check.Checked != selected {
			r.check.Checked = selected
			r.check.Refresh()
		}
	} else {
		r.check.Hide()
	}
}

// dragHandle is the grip of a row that can be dragged up or down; it
// reports the vertical distance dragged.
type dragHandle struct {
	widget.BaseWidget
	icon   *widget.Icon
	dy     float32
	onDrag func(dy float32)
	onDrop func(dy float32)
}

var (
	_ fyne.Draggable     = (*dragHandle)(nil)
	_ desktop.Cursorable = (*dragHandle)(nil)
)

func newDragHandle() *dragHandle {
	h := &dragHandle{icon: widget.NewIcon(muted(iconDrag))}
	h.ExtendBaseWidget(h)
	return h
}

func (h *dragHandle) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(h.icon))
}

func (h *dragHandle) MinSize() fyne.Size { return fyne.NewSize(28, 28) }

func (h *dragHandle) Dragged(ev *fyne.DragEvent) {
	h.dy += ev.Dragged.DY
	if h.onDrag != nil {
		h.onDrag(h.dy)
	}
}

func (h *dragHandle) DragEnd() {
	dy := h.dy
	h.dy = 0
	if h.onDrop != nil {
		h.onDrop(dy)
	}
}

func (h *dragHandle) Cursor() desktop.Cursor { return desktop.VResizeCursor }
