package gui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// playlistsState is what Back restores: the list as loaded, the lengths
// measured so far and the scroll position.
type playlistsState struct {
	playlists []client.Playlist // nil: not loaded yet
	lengths   map[client.ID]int // total seconds of a playlist's songs
	offset    float32
}

// lengthLoads bounds the playlists measured at once (each is a request
// for its songs).
const lengthLoads = 3

// playlistsPage lists the user's playlists and smartlists with their
// size and length, makes new ones and plays quick mixes.
type playlistsPage struct {
	widget.BaseWidget
	pageBase
	state playlistsState

	list   *keyList
	count  *widget.RichText
	status *widget.Label
	newBtn *widget.Button
	mixes  map[client.GenerateMode]*widget.Button
	asked  map[client.ID]bool
	slots  chan struct{}
	me     string
	root   fyne.CanvasObject
}

func newPlaylistsPage(e *env, st playlistsState) *playlistsPage {
	p := &playlistsPage{pageBase: newPageBase(e), state: st, asked: map[client.ID]bool{}, slots: make(chan struct{}, lengthLoads)}
	if p.state.lengths == nil {
		p.state.lengths = map[client.ID]int{}
	}
	if prof, info, ok := e.Core.Connection(); ok {
		p.me = cmpOr(info.User, prof.User)
	}
	p.list = newKeyList(func() int { return len(p.state.playlists) }, func() fyne.CanvasObject {
		r := newEntityRow(e, p.ctx, iconPlaylist)
		squareArt(r)
		r.onTap = p.open
		r.onMenu = func(id int, pos fyne.Position) {
			if id >= 0 && id < len(p.state.playlists) {
				widget.ShowPopUpMenuAtPosition(e.playlistMenu(p.state.playlists[id], p.me, p.reload), e.Window.Canvas(), pos)
			}
		}
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		pl := p.state.playlists[id]
		secs, known := p.state.lengths[pl.ID]
		if !known && !bool(pl.Smart) {
			p.measure(pl.ID)
		}
		typ, artID := playlistArt(pl.ID)
		o.(*entityRow).set(id, pl.Name, playlistLine(pl, p.me, secs, known), typ, artID)
	})
	p.list.onActivate = p.open
	p.list.onSpace = e.shell.playPause

	p.count = countText("")
	p.status = widget.NewLabel("Loading playlists…")
	p.status.Wrapping = fyne.TextWrapWord
	p.newBtn = widget.NewButtonWithIcon("New playlist", theme.ContentAddIcon(), func() {
		e.newPlaylistDialog(func(pl *client.Playlist) {
			if e.shell.current == Page(p) {
				e.navigate(PlaylistRoute(pl.ID))
			}
		})
	})
	p.newBtn.Importance = widget.HighImportance

	p.mixes = map[client.GenerateMode]*widget.Button{}
	var mixRow []fyne.CanvasObject
	for _, m := range quickMixes {
		b := widget.NewButtonWithIcon(m.label, m.icon, func() { e.quickMix(m.mode, client.GenerateOptions{}, "") })
		p.mixes[m.mode] = b
		mixRow = append(mixRow, b)
	}

	head := container.NewBorder(nil, nil, container.NewHBox(heading("Playlists"), container.NewCenter(p.count)),
		container.NewCenter(p.newBtn))
	mixes := container.NewVBox(captionText("QUICK MIXES"), container.NewHBox(mixRow...))
	top := container.NewVBox(head, container.NewPadded(mixes), widget.NewSeparator(), p.status)
	p.root = container.NewBorder(top, nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)

	// Back shows the list as it was at once, then as the server has it
	// now (a playlist made or deleted meanwhile).
	if st.playlists != nil {
		p.show(st.playlists, nil)
	}
	p.reload()
	return p
}

func (p *playlistsPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

// reload reads the playlists again (after a change).
func (p *playlistsPage) reload() {
	c := p.env.Core
	goLoad(p.env, p.ctx, c.Playlists, p.show)
}

func (p *playlistsPage) show(pls []client.Playlist, err error) {
	if err != nil {
		p.status.SetText(core.Explain(err))
		p.status.Show()
		return
	}
	if pls == nil {
		pls = []client.Playlist{}
	}
	p.state.playlists = pls
	smart := 0
	for _, pl := range pls {
		if pl.Smart {
			smart++
		}
	}
	count := plural(len(pls)-smart, "playlist", "playlists")
	if smart > 0 {
		count += " · " + plural(smart, "smartlist", "smartlists")
	}
	setText(p.count, count)
	if len(pls) == 0 {
		p.status.SetText("No playlists yet. Make one with “New playlist”, or save the queue as a playlist.")
		p.status.Show()
	} else {
		p.status.Hide()
	}
	p.list.Refresh()
	if p.state.offset > 0 {
		p.list.ScrollToOffset(p.state.offset)
		p.state.offset = 0
	}
}

// measure loads a playlist's songs to show its length (a few at a time).
func (p *playlistsPage) measure(id client.ID) {
	if p.asked[id] {
		return
	}
	p.asked[id] = true
	c, slots := p.env.Core, p.slots
	goLoad(p.env, p.ctx, func(ctx context.Context) (int, error) {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		defer func() { <-slots }()
		_, songs, err := c.Playlist(ctx, id)
		return totalSeconds(songs), err
	}, func(secs int, err error) {
		if err != nil {
			return // the line shows the count alone
		}
		p.state.lengths[id] = secs
		p.list.Refresh()
	})
}

func (p *playlistsPage) open(id int) {
	if id >= 0 && id < len(p.state.playlists) {
		p.env.navigate(PlaylistRoute(p.state.playlists[id].ID))
	}
}

func (p *playlistsPage) Route() Route { return Route{Page: PagePlaylists} }

func (p *playlistsPage) Save() Saved {
	p.cancel()
	st := p.state
	st.offset = p.list.GetScrollOffset()
	e := p.env
	return savedFunc(func() Page { return newPlaylistsPage(e, st) })
}

// playlistLine is the muted line under a playlist's name.
func playlistLine(pl client.Playlist, me string, secs int, known bool) string {
	var parts []string
	if pl.Smart {
		parts = append(parts, "Smartlist · read-only")
	}
	parts = append(parts, plural(int(pl.Items), "song", "songs"))
	if known && secs > 0 {
		parts = append(parts, longDuration(secs))
	}
	if !pl.Smart {
		if pl.Type == client.PlaylistPublic {
			parts = append(parts, "Public")
		} else {
			parts = append(parts, "Private")
		}
	}
	if o := playlistOwner(pl); o != "" && !strings.EqualFold(o, me) {
		parts = append(parts, "by "+o)
	}
	return strings.Join(parts, " · ")
}

// playlistArt is the object whose art a playlist shows: a smartlist
// ("smart_3") is a saved search (type search, id 3) to get_art.
func playlistArt(id client.ID) (client.ObjectType, client.ID) {
	if n, ok := strings.CutPrefix(string(id), client.SmartlistPrefix); ok {
		return client.TypeSearch, client.ID(n)
	}
	return client.TypePlaylist, id
}

func playlistOwner(pl client.Playlist) string { return cmpOr(pl.Owner, pl.User.Username) }

// playlistEditable reports whether the user may change a playlist.
func playlistEditable(pl client.Playlist, me string) bool {
	if pl.Smart {
		return false
	}
	return bool(pl.HasAccess) || (me != "" && strings.EqualFold(playlistOwner(pl), me))
}

func totalSeconds(songs []client.Song) int {
	n := 0
	for _, s := range songs {
		n += int(s.Time)
	}
	return n
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
