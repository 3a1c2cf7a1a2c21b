package gui

import (
	"context"
	"fmt"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// A playlist page's rows, selection and edits (move, drag, remove).

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
