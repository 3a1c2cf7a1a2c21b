package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// queuePage shows the play queue: jump to an item (double tap or Enter),
// move it up or down, remove it, clear the queue, save it as a playlist.
type queuePage struct {
	widget.BaseWidget
	pageBase

	items   []core.Item
	current int
	list    *keyList
	summary *widget.RichText
	clear   *widget.Button
	save    *widget.Button
	empty   *widget.Label
	root    fyne.CanvasObject
}

func newQueuePage(e *env) *queuePage {
	p := &queuePage{pageBase: newPageBase(e), current: -1}
	p.list = newKeyList(func() int { return len(p.items) }, func() fyne.CanvasObject {
		r := newQueueRow()
		r.row.onTap = func(id int) { p.list.focusRow(e.Window.Canvas(), id) }
		r.row.onDouble = p.jump
		r.row.onMenu = func(id int, pos fyne.Position) {
			if id < len(p.items) && p.items[id].Song != nil {
				e.showActions(songTarget(*p.items[id].Song), pos)
			}
		}
		r.up.OnTapped = func() { p.move(r.row.id, r.row.id-1) }
		r.down.OnTapped = func() { p.move(r.row.id, r.row.id+1) }
		r.remove.OnTapped = func() { p.remove(r.row.id) }
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		r := o.(*queueRow)
		it := p.items[id]
		s := client.Song{Title: it.Title, Time: client.Int(it.Duration.Seconds())}
		s.Artist.Name, s.Album.Name = it.Artist, it.Album
		r.row.setSong(id, itoa(id+1), s, id == p.current)
		if id == 0 {
			r.up.Disable()
		} else {
			r.up.Enable()
		}
		if id == len(p.items)-1 {
			r.down.Disable()
		} else {
			r.down.Enable()
		}
	})
	p.list.onActivate = p.jump
	p.list.onSpace = e.shell.playPause

	p.summary = countText("")
	p.clear = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), p.clearQueue)
	p.save = widget.NewButtonWithIcon("Save as playlist…", theme.DocumentSaveIcon(), p.saveAsPlaylist)
	p.empty = widget.NewLabel("The queue is empty. Play an album, or add songs with “Add to queue”.")
	p.empty.Wrapping = fyne.TextWrapWord
	head := container.NewBorder(nil, nil, container.NewHBox(heading("Queue"), container.NewCenter(p.summary)),
		container.NewCenter(container.NewHBox(p.save, p.clear)))
	p.root = container.NewBorder(container.NewVBox(head, p.empty), nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	p.reload()
	return p
}

func (p *queuePage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

// reload reads the queue from the player (in memory: no I/O).
func (p *queuePage) reload() {
	p.items, p.current = p.env.Core.Queue()
	total := 0
	for _, it := range p.items {
		total += int(it.Duration.Seconds())
	}
	if len(p.items) == 0 {
		setText(p.summary, "")
		p.empty.Show()
		p.clear.Disable()
		p.save.Disable()
	} else {
		setText(p.summary, plural(len(p.items), "song", "songs")+" · "+longDuration(total))
		p.empty.Hide()
		p.clear.Enable()
		p.save.Enable()
	}
	p.list.Refresh()
}

func (p *queuePage) jump(id int) {
	if pl := p.env.Core.Player(); pl != nil && id >= 0 && id < len(p.items) {
		pl.PlayIndex(id)
	}
}

func (p *queuePage) move(from, to int) {
	if pl := p.env.Core.Player(); pl != nil && from >= 0 && to >= 0 && from < len(p.items) && to < len(p.items) {
		pl.Move(from, to)
		p.list.Select(to)
	}
}

func (p *queuePage) remove(id int) {
	if pl := p.env.Core.Player(); pl != nil && id >= 0 && id < len(p.items) {
		pl.Remove(id)
		p.list.UnselectAll()
	}
}

func (p *queuePage) clearQueue() {
	if pl := p.env.Core.Player(); pl != nil {
		pl.Clear()
	}
}

// saveAsPlaylist asks for a name and saves the queue's songs under it.
func (p *queuePage) saveAsPlaylist() {
	e := p.env
	var ids []client.ID
	for _, it := range p.items {
		if it.Type == client.TypeSong {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) == 0 {
		e.notify("The queue holds no songs to save.")
		return
	}
	name := newEntry(e)
	name.SetPlaceHolder("Playlist name")
	dialog.ShowForm("Save the queue as a playlist", "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
			n := strings.TrimSpace(name.Text)
			if !ok || n == "" {
				return
			}
			c := e.Core
			e.goRun(fmt.Sprintf("Saved %s as “%s”", plural(len(ids), "song", "songs"), n), func(ctx context.Context) error {
				pl, err := c.CreatePlaylist(ctx, n, false)
				if err != nil {
					return err
				}
				return c.AddToPlaylist(ctx, pl.ID, client.TypeSong, ids...)
			})
		}, e.Window)
}

func (p *queuePage) onEvent(ev core.Event) {
	switch ev.(type) {
	case core.QueueChanged, core.TrackChanged, core.QueueEnded:
		p.reload()
	}
}

func (p *queuePage) Route() Route { return Route{Page: PageQueue} }

func (p *queuePage) Save() Saved {
	p.cancel()
	e := p.env
	return savedFunc(func() Page { return newQueuePage(e) })
}

// queueRow is a trackRow with move up, move down and remove buttons.
type queueRow struct {
	widget.BaseWidget
	row              *trackRow
	up, down, remove *widget.Button
}

func newQueueRow() *queueRow {
	r := &queueRow{row: newTrackRow(trackColumns{artist: true, album: true})}
	r.up = iconButton(theme.MoveUpIcon(), nil)
	r.down = iconButton(theme.MoveDownIcon(), nil)
	r.remove = iconButton(theme.DeleteIcon(), nil)
	r.ExtendBaseWidget(r)
	return r
}

func (r *queueRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, container.NewHBox(r.up, r.down, r.remove), r.row))
}
