package gui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
