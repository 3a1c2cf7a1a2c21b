package gui

import (
	"context"
	"errors"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

const localplayCover = 168

// localplayView is what one refresh of the localplay panel read.
type localplayView struct {
	status  client.LocalplayStatus
	entries []client.LocalplaySong
	noQueue bool         // the server cannot list the player's queue (API4)
	song    *client.Song // the library song playing, when found
}

// localplayPage is the remote of the server's own player: its state, the
// current track with art, transport and volume, repeat and random, and
// its queue with skip-to and clear. It refreshes every Deps.LocalplayEvery
// while it is shown and the window is not hidden.
type localplayPage struct {
	widget.BaseWidget
	pageBase
	remotePanel

	view localplayView

	// The song lookup of the last entry, kept between refreshes (the
	// poller's goroutine; a restarted poller may overlap the old one).
	lookMu   sync.Mutex
	lookKey  string
	lookSong *client.Song

	cover    *cover
	state    *widget.RichText
	title    *widget.Label
	byline   *widget.RichText
	prev     *widget.Button
	playBtn  *widget.Button
	stopBtn  *widget.Button
	next     *widget.Button
	volDown  *widget.Button
	volUp    *widget.Button
	mute     *widget.Button
	volume   *thinBar
	volText  *widget.Label
	repeat   *modeChip
	random   *modeChip
	list     *keyList
	count    *widget.RichText
	clearBtn *widget.Button
	empty    *widget.Label
}

func newLocalplayPage(e *env, last *localplayView) *localplayPage {
	p := &localplayPage{pageBase: newPageBase(e), remotePanel: remotePanel{feature: featureLocalplay}}
	p.poll = newPoller(e.LocalplayEvery, p.refresh)

	p.cover = newCover(e, p.ctx, localplayCover, iconSpeaker)
	p.state = captionText("")
	p.title = sectionHeading("")
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.byline = mutedText("")
	p.prev = iconButton(theme.MediaSkipPreviousIcon(), func() { p.command(client.LocalplayCmdPrev, "go back to the previous track") })
	p.playBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.playPause)
	p.playBtn.Importance = widget.HighImportance
	p.stopBtn = iconButton(theme.MediaStopIcon(), func() { p.command(client.LocalplayCmdStop, "stop") })
	p.next = iconButton(theme.MediaSkipNextIcon(), func() { p.command(client.LocalplayCmdNext, "skip to the next track") })
	p.volDown = iconButton(theme.VolumeDownIcon(), func() { p.command(client.LocalplayCmdVolumeDown, "turn the volume down") })
	p.volUp = iconButton(theme.VolumeUpIcon(), func() { p.command(client.LocalplayCmdVolumeUp, "turn the volume up") })
	p.mute = iconButton(theme.VolumeMuteIcon(), func() { p.command(client.LocalplayCmdVolumeMute, "mute") })
	p.volume = newThinBar()
	p.volText = widget.NewLabel("")
	p.volText.Importance = widget.LowImportance
	p.repeat = newModeChip(iconRepeat, "Repeat")
	p.random = newModeChip(iconShuffle, "Random")

	p.list = newKeyList(func() int { return len(p.view.entries) }, func() fyne.CanvasObject {
		r := newTrackRow(trackColumns{})
		r.onTap = func(id int) { p.list.focusRow(e.Window.Canvas(), id) }
		r.onDouble = p.skipTo
		r.onMenu = func(id int, pos fyne.Position) {
			widget.ShowPopUpMenuAtPosition(fyne.NewMenu("",
				&fyne.MenuItem{Label: "Play this on the server", Icon: theme.MediaPlayIcon(), Action: func() { p.skipTo(id) }},
			), e.Window.Canvas(), pos)
		}
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		en := p.view.entries[id]
		name := en.Name
		if name == "" {
			name = "Entry " + itoa(int(en.Track))
		}
		r := o.(*trackRow)
		r.setSong(id, itoa(int(en.Track)), client.Song{Title: name}, p.isCurrent(en))
		r.length.SetText("") // the player does not say
	})
	p.list.onActivate = p.skipTo
	p.list.onSpace = p.playPause

	p.count = countText("")
	p.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() {
		p.command(client.LocalplayCmdDeleteAll, "clear its queue")
	})
	p.empty = widget.NewLabel("The server's queue is empty. Send music to it with “Send to localplay” in the menu (⋯) of any album, song or playlist.")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Hide()
	p.notice = widget.NewLabel("")
	p.notice.Wrapping = fyne.TextWrapWord
	p.notice.Importance = widget.WarningImportance
	p.notice.Hide()

	p.probText = widget.NewLabel("")
	p.probText.Wrapping = fyne.TextWrapWord
	retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), p.retry)
	p.problem = container.NewVBox(container.NewHBox(widget.NewIcon(muted(iconSpeaker)), sectionHeading("Localplay is not available")),
		p.probText, container.NewHBox(retry))
	p.problem.Hide()

	transport := container.NewHBox(p.prev, p.playBtn, p.stopBtn, p.next)
	volume := container.NewHBox(p.mute, p.volDown, container.NewCenter(withWidth(140, p.volume)), p.volUp,
		withWidth(52, p.volText))
	modes := container.NewHBox(p.repeat, p.random)
	info := container.NewVBox(layout.NewSpacer(), p.state, p.title, p.byline, transport,
		container.NewHBox(volume, widget.NewSeparator(), modes))
	now := container.NewBorder(nil, nil, container.NewVBox(p.cover), nil, container.NewPadded(info))
	queueHead := container.NewBorder(nil, nil, container.NewHBox(sectionHeading("Queue on the server"), container.NewCenter(p.count)),
		container.NewCenter(p.clearBtn))
	p.body = container.NewBorder(container.NewVBox(now, p.notice, widget.NewSeparator(), queueHead, p.empty), nil, nil, nil, p.list)
	p.body.Hide()

	head := container.NewHBox(heading("Localplay"), container.NewCenter(countText("the server's own player")))
	p.root = container.NewBorder(container.NewVBox(head, p.problem), nil, nil, nil, p.body)
	p.ExtendBaseWidget(p)
	if last != nil {
		p.show(*last)
	}
	if e.windowShown() {
		p.poll.start(p.ctx)
	}
	return p
}

func (p *localplayPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

// refresh reads the player's state and queue (on the poller's goroutine)
// and shows them.
func (p *localplayPage) refresh(ctx context.Context) {
	v, err := p.fetch(ctx)
	if ctx.Err() != nil {
		return
	}
	p.env.do(func() {
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			p.fail(err)
			return
		}
		p.show(v)
	})
}

func (p *localplayPage) fetch(ctx context.Context) (localplayView, error) {
	c := p.env.Core
	var v localplayView
	st, err := c.LocalplayStatus(ctx)
	if err != nil {
		return v, err
	}
	v.status = *st
	v.entries, err = c.LocalplaySongs(ctx)
	switch {
	case errors.Is(err, client.ErrMissingMethod), errors.Is(err, client.ErrDeprecated):
		v.noQueue = true
	case err != nil:
		return v, err
	}
	v.song = p.lookUp(ctx, v)
	return v, nil
}

// lookUp finds the library song of the current entry, once per entry:
// from its play URL, else by searching its title, artist and album.
func (p *localplayPage) lookUp(ctx context.Context, v localplayView) *client.Song {
	st := v.status
	if st.TrackTitle == "" && st.Track <= 0 {
		return nil
	}
	var entry *client.LocalplaySong
	for i := range v.entries {
		if v.entries[i].Track == st.Track {
			entry = &v.entries[i]
		}
	}
	key := st.TrackTitle + "\x00" + st.TrackArtist + "\x00" + st.TrackAlbum
	if entry != nil {
		key = entry.Raw + "\x00" + key
	}
	p.lookMu.Lock()
	if key == p.lookKey {
		s := p.lookSong
		p.lookMu.Unlock()
		return s
	}
	p.lookMu.Unlock()

	c := p.env.Core
	var song *client.Song
	if entry != nil {
		song, _ = c.LocalplayEntrySong(ctx, *entry)
	}
	if song == nil && st.TrackTitle != "" {
		song = searchSong(ctx, c, st.TrackTitle, st.TrackArtist, st.TrackAlbum)
	}
	if ctx.Err() != nil {
		return song
	}
	p.lookMu.Lock()
	p.lookKey, p.lookSong = key, song
	p.lookMu.Unlock()
	return song
}

// searchSong finds a song by its title, artist and album (any that are
// known), or nil.
func searchSong(ctx context.Context, c *core.Core, title, artist, album string) *client.Song {
	r, err := c.Search(ctx, title, 25)
	if err != nil {
		return nil
	}
	same := func(want, got string) bool {
		return want == "" || strings.EqualFold(strings.TrimSpace(want), strings.TrimSpace(got))
	}
	for _, s := range r.Songs {
		if same(title, s.Title) && same(artist, s.Artist.Name) && same(album, s.Album.Name) {
			return &s
		}
	}
	return nil
}

// show applies a refresh.
func (p *localplayPage) show(v localplayView) {
	p.view, p.loaded, p.lasting = v, true, false
	p.notice.Hide()
	switchPanel(p.root, p.body, p.problem, false)
	st := v.status

	state := "STOPPED"
	switch st.State {
	case "play":
		state = "PLAYING ON THE SERVER"
		p.playBtn.SetIcon(theme.MediaPauseIcon())
	case "pause":
		state = "PAUSED"
		p.playBtn.SetIcon(theme.MediaPlayIcon())
	default:
		p.playBtn.SetIcon(theme.MediaPlayIcon())
	}
	setText(p.state, state)
	if st.TrackTitle == "" {
		p.title.SetText("Nothing playing")
		setText(p.byline, "")
	} else {
		p.title.SetText(st.TrackTitle)
		setText(p.byline, joinNonEmpty(" — ", st.TrackArtist, st.TrackAlbum))
	}
	if s := v.song; s != nil && s.Album.ID != "" {
		p.cover.set(client.TypeAlbum, s.Album.ID)
	} else {
		p.cover.set("", "")
	}
	vol := min(max(int(st.Volume), 0), 100)
	p.volume.set(float64(vol) / 100)
	p.volText.SetText(itoa(vol) + "%")
	p.repeat.set(bool(st.Repeat))
	p.random.set(bool(st.Random))

	n := len(v.entries)
	switch {
	case v.noQueue:
		setText(p.count, "")
		p.empty.SetText("This server does not list its player's queue (it needs Ampache 5 or later).")
		p.empty.Show()
	case n == 0:
		setText(p.count, "")
		p.empty.SetText("The server's queue is empty. Send music to it with “Send to localplay” in the menu (⋯) of any album, song or playlist.")
		p.empty.Show()
	default:
		setText(p.count, plural(n, "entry", "entries"))
		p.empty.Hide()
	}
	for _, b := range []*widget.Button{p.prev, p.next, p.stopBtn, p.clearBtn} {
		if n == 0 && !v.noQueue {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	p.list.Refresh()
}

func (p *localplayPage) fail(err error) { p.remotePanel.fail(p.env, err) }

func (p *localplayPage) retry() { p.resume(p.ctx, p.env) }

func (p *localplayPage) isCurrent(e client.LocalplaySong) bool {
	return e.Track > 0 && e.Track == p.view.status.Track
}

func (p *localplayPage) playPause() {
	if p.view.status.State == "play" {
		p.command(client.LocalplayCmdPause, "pause")
	} else {
		p.command(client.LocalplayCmdPlay, "start playing (is its queue empty?)")
	}
}

func (p *localplayPage) skipTo(id int) {
	if id < 0 || id >= len(p.view.entries) {
		return
	}
	track := int(p.view.entries[id].Track)
	c := p.env.Core
	p.run("skip to that entry", func(ctx context.Context) error { return c.LocalplaySkipTo(ctx, track) })
}

func (p *localplayPage) command(cmd client.LocalplayCommand, what string) {
	c := p.env.Core
	p.run(what, func(ctx context.Context) error { return c.LocalplayCommand(ctx, cmd) })
}

// run sends a command off the UI goroutine, refreshes at once after it,
// and says in plain words when it failed.
func (p *localplayPage) run(what string, action func(context.Context) error) {
	e := p.env
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		err := action(ctx)
		p.poll.now()
		if err == nil {
			return
		}
		e.do(func() {
			msg, _ := featureLocalplay.problem(err)
			if errors.Is(err, client.ErrCommandFailed) {
				msg = "The server's player did not " + what + "."
			}
			e.notify(msg)
			e.checkServer(err)
		})
	}()
}

func (p *localplayPage) windowShown(on bool) { p.followWindow(p.ctx, on) }

// onEvent refreshes at once when the server is back, whatever the panel
// showed meanwhile.
func (p *localplayPage) onEvent(ev core.Event) {
	if serverBack(ev) {
		p.retry()
	}
}

func (p *localplayPage) Route() Route { return Route{Page: PageLocalplay} }

func (p *localplayPage) Save() Saved {
	p.cancel()
	p.poll.stop()
	e := p.env
	var last *localplayView
	if p.loaded {
		v := p.view
		last = &v
	}
	return savedFunc(func() Page { return newLocalplayPage(e, last) })
}

// modeChip shows a mode the player reports (repeat, random): its icon in
// the accent colour when on.
type modeChip struct {
	widget.BaseWidget
	res   fyne.Resource
	name  string
	icon  *widget.Icon
	label *widget.Label
	on    bool
}

func newModeChip(res fyne.Resource, name string) *modeChip {
	m := &modeChip{res: res, name: name, icon: widget.NewIcon(muted(res)), label: widget.NewLabel(name + " off")}
	m.label.Importance = widget.LowImportance
	m.ExtendBaseWidget(m)
	return m
}

func (m *modeChip) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(layout.NewCustomPaddedHBoxLayout(0), container.NewCenter(m.icon), m.label))
}

func (m *modeChip) set(on bool) {
	m.on = on
	if on {
		m.icon.SetResource(primary(m.res))
		m.label.SetText(m.name + " on")
	} else {
		m.icon.SetResource(muted(m.res))
		m.label.SetText(m.name + " off")
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, s := range parts {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}
