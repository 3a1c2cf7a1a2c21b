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

// openItem is the "Open" entry of a playlist's or podcast's menu (nil for
// other objects, whose pages their rows open).
func (e *env) openItem(t target) *fyne.MenuItem {
	switch t.typ {
	case client.TypePlaylist, client.TypeSearch:
		return &fyne.MenuItem{Label: "Open playlist", Icon: iconPlaylist, Action: func() { e.navigate(PlaylistRoute(t.id)) }}
	case client.TypePodcast:
		return &fyne.MenuItem{Label: "Open podcast", Icon: iconPodcast, Action: func() { e.navigate(PodcastRoute(t.id)) }}
	}
	return nil
}

// squareArt gives an entity row's art rounded corners instead of a circle
// (playlists, podcasts, stations).
func squareArt(r *entityRow) {
	if r.art == nil {
		return
	}
	r.art.round = 6
	r.art.bg.CornerRadius = 6
	r.art.img.CornerRadius = 6
}

// playlistMenu is a playlist's actions: play, add, rate, share, and for
// the user's own: rename, public/private, delete. changed runs after a
// change on the server.
func (e *env) playlistMenu(pl client.Playlist, me string, changed func()) *fyne.Menu {
	m := e.actionsMenu(playlistTarget(pl))
	if !playlistEditable(pl, me) {
		return m
	}
	vis := &fyne.MenuItem{Label: "Make public", Icon: iconPublic, Action: func() { e.setPlaylistPublic(pl, true, changed) }}
	if pl.Type == client.PlaylistPublic {
		vis = &fyne.MenuItem{Label: "Make private", Icon: iconLock, Action: func() { e.setPlaylistPublic(pl, false, changed) }}
	}
	m.Items = append(m.Items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Rename…", Icon: iconEdit, Action: func() { e.renamePlaylistDialog(pl, func(string) { changed() }) }},
		vis,
		&fyne.MenuItem{Label: "Delete…", Icon: theme.DeleteIcon(), Action: func() { e.deletePlaylistDialog(pl, changed) }},
	)
	return m
}

// newPlaylistDialog asks for a name (and public or private) and makes the
// playlist.
func (e *env) newPlaylistDialog(created func(*client.Playlist)) {
	name := newEntry(e)
	name.SetPlaceHolder("Playlist name")
	public := widget.NewCheck("Public (other users can see and play it)", nil)
	var dlg *dialog.FormDialog
	dlg = dialog.NewForm("New playlist", "Create", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("", public)}, func(ok bool) {
			n := strings.TrimSpace(name.Text)
			if !ok || n == "" {
				return
			}
			c, pub := e.Core, public.Checked
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
				defer cancel()
				pl, err := c.CreatePlaylist(ctx, n, pub)
				e.do(func() {
					if err != nil {
						e.notify("Could not make the playlist: " + core.Explain(err))
						return
					}
					e.notify(fmt.Sprintf("Made the playlist “%s”", n))
					if created != nil {
						created(pl)
					}
				})
			}()
		}, e.Window)
	name.OnSubmitted = func(string) { dlg.Submit() }
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("give the playlist a name")
		}
		return nil
	}
	dlg.Resize(fyne.NewSize(440, 0))
	dlg.Show()
	e.Window.Canvas().Focus(name)
}

// renamePlaylistDialog asks for a new name.
func (e *env) renamePlaylistDialog(pl client.Playlist, renamed func(string)) {
	name := newEntry(e)
	name.SetText(pl.Name)
	var dlg *dialog.FormDialog
	dlg = dialog.NewForm("Rename playlist", "Rename", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
			n := strings.TrimSpace(name.Text)
			if !ok || n == "" || n == pl.Name {
				return
			}
			c := e.Core
			e.goRunThen(fmt.Sprintf("Renamed “%s” to “%s”", pl.Name, n), func(ctx context.Context) error {
				return c.RenamePlaylist(ctx, pl.ID, n)
			}, func() { renamed(n) })
		}, e.Window)
	name.OnSubmitted = func(string) { dlg.Submit() }
	dlg.Resize(fyne.NewSize(440, 0))
	dlg.Show()
	e.Window.Canvas().Focus(name)
}

// deletePlaylistDialog asks before deleting a playlist on the server.
func (e *env) deletePlaylistDialog(pl client.Playlist, deleted func()) {
	msg := fmt.Sprintf("“%s” will be deleted from the server, for every device. The songs stay in the library.", pl.Name)
	confirm := dialog.NewConfirm("Delete this playlist?", msg, func(ok bool) {
		if !ok {
			return
		}
		c := e.Core
		e.goRunThen(fmt.Sprintf("Deleted the playlist “%s”", pl.Name), func(ctx context.Context) error {
			return c.DeletePlaylist(ctx, pl.ID)
		}, deleted)
	}, e.Window)
	confirm.SetConfirmText("Delete")
	confirm.SetConfirmImportance(widget.DangerImportance)
	confirm.Show()
}

func (e *env) setPlaylistPublic(pl client.Playlist, public bool, changed func()) {
	c := e.Core
	msg := fmt.Sprintf("“%s” is now private", pl.Name)
	if public {
		msg = fmt.Sprintf("“%s” is now public", pl.Name)
	}
	e.goRunThen(msg, func(ctx context.Context) error { return c.SetPlaylistPublic(ctx, pl.ID, public) }, changed)
}

// goRunThen is goRun with a follow-up on the UI goroutine after success.
func (e *env) goRunThen(ok string, action func(context.Context) error, then func()) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		err := action(ctx)
		e.do(func() {
			if err != nil {
				e.notify(core.Explain(err))
				return
			}
			if ok != "" {
				e.notify(ok)
			}
			if then != nil {
				then()
			}
		})
	}()
}

// quickMixes are the mixes playlist_generate makes.
var quickMixes = []struct {
	mode  client.GenerateMode
	label string
	icon  fyne.Resource
}{
	{client.GenerateRandom, "Random", iconShuffle},
	{client.GenerateRecent, "Recently played", iconHistory},
	{client.GenerateForgotten, "Forgotten", iconForgotten},
	{client.GenerateUnplayed, "Never played", iconExplore},
}

// quickMixSize is the number of songs a quick mix asks for.
const quickMixSize = 100

// quickMix asks the server for a mix (within an artist or album when opts
// says so) and plays it; within names the artist or album for the notice.
func (e *env) quickMix(mode client.GenerateMode, opts client.GenerateOptions, within string) {
	opts.Mode = mode
	if opts.Limit == 0 {
		opts.Limit = quickMixSize
	}
	label := strings.ToLower(string(mode))
	for _, m := range quickMixes {
		if m.mode == mode {
			label = strings.ToLower(m.label)
		}
	}
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		songs, err := c.GeneratePlaylist(ctx, &opts)
		if err == nil && len(songs) > 0 {
			err = c.PlayItems(core.SongItems(songs), 0, false, 0)
		}
		e.do(func() {
			switch {
			case err != nil:
				e.notify(core.Explain(err))
			case len(songs) == 0:
				e.notify(fmt.Sprintf("No songs fit a “%s” mix%s.", label, inName(within)))
			default:
				e.notify(fmt.Sprintf("Playing a “%s” mix of %s%s", label, plural(len(songs), "song", "songs"), inName(within)))
			}
		})
	}()
}

func inName(within string) string {
	if within == "" {
		return ""
	}
	return " from " + within
}

// quickMixMenu is the "Quick mix" submenu of an artist or album.
func (e *env) quickMixMenu(t target) *fyne.MenuItem {
	sub := fyne.NewMenu("")
	for _, m := range quickMixes {
		opts := client.GenerateOptions{}
		if t.typ == client.TypeAlbum {
			opts.Album = t.id
		} else {
			opts.Artist = t.id
		}
		sub.Items = append(sub.Items, &fyne.MenuItem{Label: m.label, Icon: m.icon, Action: func() { e.quickMix(m.mode, opts, "“"+t.name+"”") }})
	}
	return &fyne.MenuItem{Label: "Quick mix", Icon: iconShuffle, ChildMenu: sub}
}

// addToPlaylistThen runs an addition to the playlist called name and says
// what it did: how many songs went in, how many were already there.
func (e *env) addToPlaylistThen(name string, add func(context.Context) (core.PlaylistAddResult, error)) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		res, err := add(ctx)
		e.do(func() {
			switch {
			case err != nil:
				e.notify(core.Explain(err))
			case res.Added == 0 && res.Skipped > 0:
				e.notify(fmt.Sprintf("“%s” already holds %s", name, pluralThem(res.Skipped)))
			case res.Skipped > 0:
				e.notify(fmt.Sprintf("Added %s to “%s” (%s already there)", plural(res.Added, "song", "songs"), name, plural(res.Skipped, "was", "were")))
			default:
				e.notify(fmt.Sprintf("Added %s to “%s”", plural(res.Added, "song", "songs"), name))
			}
		})
	}()
}

func pluralThem(n int) string {
	if n == 1 {
		return "this song"
	}
	return fmt.Sprintf("these %d songs", n)
}
