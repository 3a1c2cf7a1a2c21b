package gui

import (
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

const (
	// defaultTimeout bounds a user action's requests.
	defaultTimeout = 2 * time.Minute
	// historyLimit bounds Back's memory.
	historyLimit = 50
	// noticeTime is how long a notice stays.
	noticeTime   = 4 * time.Second
	sidebarWidth = 212
)

// Shell is the main window's frame: the sidebar, back/forward history,
// the current page, notices and the now-playing bar.
type Shell struct {
	env *env

	content  *fyne.Container
	current  Page
	back     []Saved
	forward  []Saved
	nav      []*navButton
	backBtn  *widget.Button
	fwdBtn   *widget.Button
	where    *widget.Label
	bar      *nowPlaying
	profile  *widget.Button
	notice   *fyne.Container
	noticeTx *widget.Label
	noticeBg *canvas.Rectangle
	noticeN  int
	sideBg   *canvas.Rectangle
	status   *libraryStatus // connecting, sync progress, offline
	votes    myVotes        // the user's democratic votes
	hidden   bool           // the window is hidden to the tray
	shownLib string         // whose library the pages show (kept over a reconnection)
	autoSync bool           // Start keeps the library in step in the background
	synced   string         // the profile the background sync was started for

	loginForm *loginForm // the login dialog shown last

	unsubscribe func()
	closeOnce   sync.Once
}

// New builds the window's content and starts following the core's
// events. Call Start (or StartWith) once the window is shown.
func New(d Deps) *Shell {
	d = d.withDefaults()
	e := &env{Deps: d, do: d.Do, log: d.Logger}
	e.art = newArtLoader(d.Art, d.Do)
	s := &Shell{env: e}
	e.shell = s
	e.navigate = s.Navigate
	e.notify = s.notify

	s.bar = newNowPlaying(e)
	s.status = newLibraryStatus(e)
	s.content = container.NewStack()
	s.backBtn = iconButton(theme.NavigateBackIcon(), s.Back)
	s.fwdBtn = iconButton(theme.NavigateNextIcon(), s.Forward)
	s.where = widget.NewLabel("")
	s.where.Importance = widget.LowImportance
	toolbar := container.NewHBox(s.backBtn, s.fwdBtn, s.where)

	s.noticeTx = widget.NewLabel("")
	s.noticeTx.Wrapping = fyne.TextWrapWord
	s.noticeBg = canvas.NewRectangle(nil)
	s.noticeBg.CornerRadius = 8
	s.noticeBg.StrokeWidth = 1
	s.notice = container.New(&noticeLayout{}, container.NewStack(s.noticeBg, container.NewPadded(s.noticeTx)))
	s.notice.Hide()

	main := container.NewBorder(container.NewPadded(toolbar), nil, nil, nil, container.NewStack(s.content, s.notice))
	root := container.NewBorder(nil, s.bar, s.sidebar(), nil, main)
	d.Window.SetContent(root)
	s.themeChanged()
	// A theme chosen in the settings applies at once; the listener runs
	// on the UI goroutine.
	d.App.Settings().AddListener(func(fyne.Settings) { s.themeChanged() })
	s.installKeys()
	s.updateHistoryButtons()

	ch, unsub := d.Core.Subscribe()
	s.unsubscribe = unsub
	go func() {
		for ev := range ch {
			e.do(func() { s.apply(ev) })
		}
	}()
	return s
}

// Close stops following the core's events, cancels the page's loads and
// waits for the art loads under way. Call it off the Do path: a load
// handing its image to the UI must not wait for Close.
func (s *Shell) Close() {
	s.closeOnce.Do(func() {
		s.unsubscribe()
		if s.current != nil {
			s.current.Save()
		}
		s.env.art.close()
	})
}

func (s *Shell) sidebar() fyne.CanvasObject {
	brandIcon := widget.NewIcon(primary(iconLibrary))
	brand := widget.NewLabel("Ampdesk")
	brand.TextStyle = fyne.TextStyle{Bold: true}
	brand.SizeName = theme.SizeNameSubHeadingText
	top := container.NewBorder(nil, nil, container.NewPadded(brandIcon), nil, brand)

	items := container.NewVBox()
	section := "-"
	for _, it := range navItems() {
		if it.section != section {
			section = it.section
			if section != "" {
				items.Add(captionText(strings.ToUpper(section)))
			} else {
				items.Add(widget.NewSeparator())
			}
		}
		b := newNavButton(it, func() { s.Navigate(it.route) })
		s.nav = append(s.nav, b)
		items.Add(b)
	}
	s.profile = widget.NewButtonWithIcon("Not connected", theme.AccountIcon(), s.showProfileMenu)
	s.profile.Alignment = widget.ButtonAlignLeading
	s.profile.Importance = widget.LowImportance
	s.sideBg = canvas.NewRectangle(nil)
	body := container.NewBorder(top, container.NewVBox(s.status, s.profile), nil, nil, container.NewVScroll(items))
	s.status.relayout = body.Refresh
	return withWidth(sidebarWidth, container.NewStack(s.sideBg, container.NewPadded(body)))
}

// themeChanged recolours what uses Ampdesk's own colours.
func (s *Shell) themeChanged() {
	s.sideBg.FillColor = themeColor(s.env.App, colorNameSidebar)
	s.sideBg.Refresh()
	s.noticeBg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	s.noticeBg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	s.noticeBg.Refresh()
}

// Navigate shows the page of r, keeping the current one in the history.
func (s *Shell) Navigate(r Route) {
	if s.current != nil && s.current.Route() == r {
		if f, ok := s.current.(focusPage); ok && r.Page == PageSearch {
			f.focusEntry()
		}
		return
	}
	if s.current != nil {
		s.back = append(s.back, s.current.Save())
		if len(s.back) > historyLimit {
			s.back = s.back[len(s.back)-historyLimit:]
		}
	}
	s.forward = nil
	s.show(s.makePage(r))
}

// Back shows the previous page as it was left.
func (s *Shell) Back() {
	if len(s.back) == 0 {
		return
	}
	prev := s.back[len(s.back)-1]
	s.back = s.back[:len(s.back)-1]
	if s.current != nil {
		s.forward = append(s.forward, s.current.Save())
	}
	s.show(prev.Restore())
}

// Forward undoes Back.
func (s *Shell) Forward() {
	if len(s.forward) == 0 {
		return
	}
	next := s.forward[len(s.forward)-1]
	s.forward = s.forward[:len(s.forward)-1]
	if s.current != nil {
		s.back = append(s.back, s.current.Save())
	}
	s.show(next.Restore())
}

// Current is the page shown.
func (s *Shell) Current() Page { return s.current }

func (s *Shell) show(p Page) {
	s.current = p
	s.content.Objects = []fyne.CanvasObject{p}
	s.content.Refresh()
	r := p.Route()
	for _, b := range s.nav {
		b.setSelected(b.item.lights(r))
	}
	s.where.SetText(routeTitle(r))
	s.updateHistoryButtons()
	if f, ok := p.(focusPage); ok {
		f.focusEntry()
	}
}

func (s *Shell) updateHistoryButtons() {
	if len(s.back) == 0 {
		s.backBtn.Disable()
	} else {
		s.backBtn.Enable()
	}
	if len(s.forward) == 0 {
		s.fwdBtn.Disable()
	} else {
		s.fwdBtn.Enable()
	}
}

// makePage is the router: one page per route.
func (s *Shell) makePage(r Route) Page {
	e := s.env
	switch r.Page {
	case PageAlbums:
		return newAlbumsPage(e, albumsState{sort: sortName})
	case PageArtists:
		return newArtistsPage(e, listState{})
	case PageSongs:
		return newSongsPage(e, listState{})
	case PageGenres:
		return newGenresPage(e, listState{})
	case PageSearch:
		return newSearchPage(e, searchState{})
	case PageQueue:
		return newQueuePage(e)
	case PageSettings:
		return newSettingsPage(e)
	case PageAlbum:
		return newAlbumPage(e, albumState{id: r.ID})
	case PageArtist:
		return newArtistPage(e, artistState{id: r.ID})
	case PageGenre:
		return newGenrePage(e, genreState{id: r.ID})
	case PageLocalplay:
		return newLocalplayPage(e, nil)
	case PageDemocratic:
		return newDemocraticPage(e, nil)
	case PagePlaylists:
		return newPlaylistsPage(e, playlistsState{})
	case PagePlaylist:
		return newPlaylistPage(e, playlistState{id: r.ID})
	case PagePodcasts:
		return newPodcastsPage(e, podcastsState{})
	case PagePodcast:
		return newPodcastPage(e, podcastState{id: r.ID})
	case PageRadio:
		return newRadioPage(e)
	case PageBookmarks:
		return newBookmarksPage(e)
	case PageShares:
		return newSharesPage(e)
	}
	return newWelcomePage(e, "")
}

func routeTitle(r Route) string {
	for _, n := range navItems() {
		if n.route.Page == r.Page {
			return n.label
		}
	}
	switch r.Page {
	case PageAlbum:
		return "Album"
	case PageArtist:
		return "Artist"
	case PageGenre:
		return "Genre"
	case PagePlaylist:
		return "Playlist"
	case PagePodcast:
		return "Podcast"
	}
	return ""
}

// playPause toggles playback (space).
func (s *Shell) playPause() { s.bar.playPause() }

// focusSearch shows the search page and puts the cursor in its field.
func (s *Shell) focusSearch() {
	s.Navigate(Route{Page: PageSearch})
	if f, ok := s.current.(focusPage); ok {
		f.focusEntry()
	}
}

// apply handles an event of the core on the UI goroutine.
func (s *Shell) apply(ev core.Event) {
	switch e := ev.(type) {
	case core.Connected:
		s.onConnected(e.Profile)
	case core.Disconnected:
		if _, off := s.env.Core.Offline(); off {
			break // offline: the cached library stays
		}
		if _, _, ok := s.env.Core.Connection(); !ok {
			s.shownLib = ""
			s.profile.SetText("Not connected")
			s.resetTo(newWelcomePage(s.env, ""))
		}
	}
	s.status.apply(ev)
	s.bar.apply(ev)
	if p, ok := s.current.(eventPage); ok {
		p.onEvent(ev)
	}
}

func (s *Shell) onConnected(p storage.Profile) {
	s.profile.SetText(p.Name)
	s.env.Window.SetTitle("Ampdesk — " + p.Name)
	s.startSync(p)
	if s.shownLib == p.Name && s.current != nil && s.current.Route().Page != PageWelcome {
		return // its library shows already (from the cache, or before a reconnection)
	}
	s.shownLib = p.Name
	s.resetTo(s.makePage(Route{Page: PageAlbums}))
}

// resetTo shows p with an empty history (a new connection).
func (s *Shell) resetTo(p Page) {
	if s.current != nil {
		s.current.Save()
	}
	s.back, s.forward = nil, nil
	s.show(p)
}

// Start opens the default profile (or the only one), or asks for a server
// when there is none. The profile's cached library shows at once when this
// computer has one, the server is asked next (offline when unreachable),
// and the library is then kept in step in the background. The disk, the
// keyring and the network are used off the UI goroutine.
func (s *Shell) Start() {
	s.autoSync = true
	if p, _, ok := s.env.Core.Connection(); ok {
		s.onConnected(p)
		return
	}
	profiles := s.env.Core.Profiles()
	p, ok := profiles.Default()
	if !ok {
		if all := profiles.List(); len(all) > 0 {
			p, ok = all[0], true
		}
	}
	if !ok {
		s.resetTo(newWelcomePage(s.env, ""))
		s.showLogin(storage.Profile{}, "")
		return
	}
	s.openProfile(p)
}

// StartWith connects with credentials held in memory only (the demo).
func (s *Shell) StartWith(p storage.Profile, creds client.Credentials) {
	c := s.env.Core
	s.StartConnecting(p.Name, func(ctx context.Context) error { return c.ConnectWith(ctx, p, creds) })
}

// StartConnecting shows that name is being connected to and runs connect
// on another goroutine (main starts the demo server there, so the window
// shows without waiting for it); a failure shows the reason.
func (s *Shell) StartConnecting(name string, connect func(context.Context) error) {
	s.resetTo(newConnectingPage(s.env, name))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := connect(ctx); err != nil {
			s.env.do(func() { s.resetTo(newWelcomePage(s.env, core.Explain(err))) })
		}
	}()
}

// connect opens a saved profile; a failure shows the login dialog for it
// with the reason.
func (s *Shell) connect(p storage.Profile) {
	if s.current == nil || s.current.Route().Page == PageWelcome {
		s.resetTo(newConnectingPage(s.env, p.Name))
	}
	c := s.env.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := c.Connect(ctx, p.Name); err != nil {
			s.env.do(func() {
				msg := core.Explain(err)
				if _, _, ok := c.Connection(); ok {
					s.notify(msg)
					return
				}
				s.resetTo(newWelcomePage(s.env, msg))
				s.showLogin(p, msg)
			})
		}
	}()
}

func (s *Shell) showProfileMenu() {
	c := s.env.Core
	cur, _, connected := c.Connection()
	var items []*fyne.MenuItem
	for _, p := range c.Profiles().List() {
		items = append(items, &fyne.MenuItem{Label: p.Name, Checked: connected && p.Name == cur.Name, Action: func() {
			if !connected || p.Name != cur.Name {
				s.connect(p)
			}
		}})
	}
	if connected && !containsProfile(c.Profiles().List(), cur.Name) {
		items = append(items, &fyne.MenuItem{Label: cur.Name + " (not saved)", Checked: true, Disabled: true})
	}
	if connected {
		items = append(items, fyne.NewMenuItemSeparator(),
			&fyne.MenuItem{Label: "Sync the library now", Icon: iconCloudSync, Action: s.syncNow})
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Add a server…", Icon: theme.ContentAddIcon(), Action: func() { s.showLogin(storage.Profile{}, "") }},
		&fyne.MenuItem{Label: "Settings", Icon: theme.SettingsIcon(), Action: func() { s.Navigate(Route{Page: PageSettings}) }},
	)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.profile)
	menu := fyne.NewMenu("", items...)
	pop := widget.NewPopUpMenu(menu, s.env.Window.Canvas())
	h := pop.MinSize().Height
	pop.ShowAtPosition(pos.Subtract(fyne.NewPos(0, h)))
}

func containsProfile(ps []storage.Profile, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

// notify shows a short message over the bottom of the content.
func (s *Shell) notify(msg string) {
	s.noticeN++
	n := s.noticeN
	s.noticeTx.SetText(msg)
	s.notice.Show()
	s.notice.Refresh()
	time.AfterFunc(noticeTime, func() {
		s.env.do(func() {
			if s.noticeN == n {
				s.notice.Hide()
			}
		})
	})
}

// lastNotice is the text of the notice shown last (for tests).
func (s *Shell) lastNotice() string { return s.noticeTx.Text }
