package gui

import (
	"context"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

const barCover = 56

// nowPlaying is the bar at the bottom: cover, title, artist — album
// (links), transport, a seek slider that does not fight a drag, volume,
// shuffle and repeat. It redraws only on events, and the position only
// when the shown second changes.
type nowPlaying struct {
	widget.BaseWidget
	env *env

	art      *cover
	title    *widget.Label
	artist   *linkText
	dash     *widget.Label
	album    *linkText
	play     *widget.Button
	prev     *widget.Button
	nextBtn  *widget.Button
	shuffle  *widget.Button
	repeat   *widget.Button
	seek     *seekSlider
	elapsed  *widget.Label
	total    *widget.Label
	volume   *seekSlider
	mute     *widget.Button
	queueBtn *widget.Button
	offer    *resumeOffer // "Resumed at m:ss — Start over"

	item     core.Item
	index    int
	state    audio.State
	shuffled bool
	repeatM  audio.Repeat
	pos, dur time.Duration
	shownSec int
	muted    bool
	lastVol  float64
}

func newNowPlaying(e *env) *nowPlaying {
	n := &nowPlaying{env: e, index: -1, shownSec: -1}
	n.art = newCover(e, context.Background(), barCover, iconSongs)
	n.title = boldLabel("Nothing playing")
	n.artist = newLinkText("", nil)
	n.dash = widget.NewLabel("—")
	n.dash.Importance = widget.LowImportance
	n.dash.Hide()
	n.album = newLinkText("", nil)
	n.artist.label.Importance = widget.LowImportance
	n.album.label.Importance = widget.LowImportance

	n.prev = iconButton(theme.MediaSkipPreviousIcon(), n.previous)
	n.nextBtn = iconButton(theme.MediaSkipNextIcon(), n.next)
	n.play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), n.playPause)
	n.play.Importance = widget.HighImportance
	n.shuffle = iconButton(iconShuffle, n.toggleShuffle)
	n.repeat = iconButton(iconRepeat, n.cycleRepeat)

	n.seek = newSeekSlider(e, 0, 1)
	n.seek.Step = 1
	n.seek.OnChanged = func(v float64) {
		if n.seek.dragging {
			n.elapsed.SetText(clock(time.Duration(v) * time.Second))
		}
	}
	n.seek.OnChangeEnded = func(v float64) {
		if p := e.Core.Player(); p != nil && n.dur > 0 {
			p.Seek(time.Duration(v) * time.Second)
			n.pos = time.Duration(v) * time.Second
			n.shownSec = -1
		}
	}
	n.elapsed = widget.NewLabel("0:00")
	n.elapsed.Importance = widget.LowImportance
	n.total = widget.NewLabel("0:00")
	n.total.Importance = widget.LowImportance

	vol := 0.8
	if v := e.Core.Settings().Get().Volume; v != nil {
		vol = *v
	}
	n.lastVol = vol
	n.volume = newSeekSlider(e, 0, 1)
	n.volume.Step = 0.01
	n.volume.Value = vol
	n.volume.OnChanged = func(v float64) {
		if p := e.Core.Player(); p != nil {
			p.SetVolume(v)
		}
		n.updateMuteIcon(v)
	}
	n.volume.OnChangeEnded = func(v float64) {
		c := e.Core
		go c.SetVolume(v) // writes the settings file
	}
	n.mute = iconButton(theme.VolumeUpIcon(), n.toggleMute)
	n.queueBtn = iconButton(iconQueue, func() { e.navigate(Route{Page: PageQueue}) })
	n.offer = newResumeOffer(e)
	n.setEnabled(false)
	n.ExtendBaseWidget(n)
	return n
}

func (n *nowPlaying) CreateRenderer() fyne.WidgetRenderer {
	links := container.New(&inlineLayout{}, n.artist, n.dash, n.album)
	info := container.NewBorder(nil, nil, container.NewCenter(n.art), nil, container.New(&tightVBox{gap: -14}, n.title, links))
	transport := container.NewHBox(n.shuffle, n.prev, n.play, n.nextBtn, n.repeat)
	seekRow := container.NewBorder(nil, nil, withWidth(52, n.elapsed), withWidth(52, n.total), n.seek)
	center := container.NewBorder(container.NewCenter(transport), nil, nil, nil, seekRow)
	right := container.NewBorder(nil, nil, n.mute, n.queueBtn, n.volume)
	row := container.NewBorder(nil, nil, withWidth(360, info), withWidth(230, container.NewCenter(withWidth(230, right))), center)
	bg := canvas.NewRectangle(themeColor(n.env.App, colorNameBar))
	line := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	line.SetMinSize(fyne.NewSize(1, 1))
	return &barRenderer{WidgetRenderer: widget.NewSimpleRenderer(container.NewBorder(line, nil, nil, nil,
		container.NewStack(bg, container.NewPadded(container.NewBorder(n.offer, nil, nil, nil, row))))), bg: bg, line: line, app: n.env.App}
}

// barRenderer follows theme changes for the bar's own colours.
type barRenderer struct {
	fyne.WidgetRenderer
	bg, line *canvas.Rectangle
	app      fyne.App
}

func (r *barRenderer) Refresh() {
	r.bg.FillColor = themeColor(r.app, colorNameBar)
	r.line.FillColor = theme.Color(theme.ColorNameSeparator)
	r.WidgetRenderer.Refresh()
}

func (n *nowPlaying) setEnabled(on bool) {
	for _, b := range []*widget.Button{n.play, n.prev, n.nextBtn, n.shuffle, n.repeat} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if on && n.dur > 0 {
		n.seek.Enable()
	} else {
		n.seek.Disable()
	}
}

// apply shows an event of the core.
func (n *nowPlaying) apply(ev core.Event) {
	switch e := ev.(type) {
	case core.PlayerState:
		n.state = e.State
		n.updatePlayIcon()
	case core.TrackChanged:
		n.showItem(e.Index, e.Item)
	case core.Position:
		if e.Duration > 0 && e.Duration != n.dur {
			n.dur = e.Duration
			n.seek.Max = math.Max(1, e.Duration.Seconds())
			n.total.SetText(clock(e.Duration))
			n.setEnabled(true)
		}
		n.pos = e.Position
		n.showPosition()
	case core.QueueChanged:
		n.shuffled, n.repeatM = e.Shuffle, e.Repeat
		n.updateModes()
		if e.Len == 0 {
			n.showItem(-1, core.Item{})
		}
	case core.QueueEnded:
		n.state = audio.Stopped
		n.updatePlayIcon()
	case core.PlaybackFailed:
		msg := core.Explain(e.Err)
		if e.Item.Title != "" {
			msg = "Could not play “" + e.Item.Title + "”: " + msg
		}
		n.env.notify(msg)
	}
	n.applyMedia(ev)
}

func (n *nowPlaying) showItem(index int, it core.Item) {
	n.index, n.item = index, it
	n.pos, n.shownSec = 0, -1
	n.dur = it.Duration
	if it.ID == "" {
		n.title.SetText("Nothing playing")
		n.artist.SetText("")
		n.album.SetText("")
		n.dash.Hide()
		n.art.set("", "")
		n.total.SetText("0:00")
		n.elapsed.SetText("0:00")
		n.seek.Value = 0
		n.seek.Refresh()
		n.setEnabled(false)
		return
	}
	n.title.SetText(it.Title)
	n.artist.SetText(it.Artist)
	n.artist.OnTapped = nil
	if it.ArtistID != "" {
		id := it.ArtistID
		n.artist.OnTapped = func() { n.env.navigate(ArtistRoute(id)) }
	}
	n.album.SetText(it.Album)
	n.album.OnTapped = nil
	if it.AlbumID != "" && it.Type == client.TypeSong {
		id := it.AlbumID
		n.album.OnTapped = func() { n.env.navigate(AlbumRoute(id)) }
	}
	if it.Artist != "" && it.Album != "" {
		n.dash.Show()
	} else {
		n.dash.Hide()
	}
	switch {
	case it.AlbumID != "" && it.Type == client.TypeSong:
		n.art.set(client.TypeAlbum, it.AlbumID)
	case it.AlbumID != "" && it.Type == client.TypePodcastEpisode:
		n.art.set(client.TypePodcast, it.AlbumID)
	default:
		n.art.set("", "")
	}
	n.seek.Max = math.Max(1, n.dur.Seconds())
	n.total.SetText(clock(n.dur))
	n.setEnabled(true)
	n.showPosition()
	n.Refresh()
}

// showPosition moves the slider and the clock, unless the user is
// dragging, and only when the whole second changed.
func (n *nowPlaying) showPosition() {
	if n.seek.dragging {
		return
	}
	sec := int(n.pos / time.Second)
	if sec == n.shownSec {
		return
	}
	n.shownSec = sec
	n.elapsed.SetText(clock(n.pos))
	n.seek.Value = math.Min(float64(sec), n.seek.Max)
	n.seek.Refresh()
}

func (n *nowPlaying) updatePlayIcon() {
	if n.state == audio.Playing || n.state == audio.Buffering {
		n.play.SetIcon(theme.MediaPauseIcon())
	} else {
		n.play.SetIcon(theme.MediaPlayIcon())
	}
}

func (n *nowPlaying) updateModes() {
	if n.shuffled {
		n.shuffle.SetIcon(primary(iconShuffle))
	} else {
		n.shuffle.SetIcon(iconShuffle)
	}
	switch n.repeatM {
	case audio.RepeatAll:
		n.repeat.SetIcon(primary(iconRepeat))
	case audio.RepeatOne:
		n.repeat.SetIcon(primary(iconRepeatOne))
	default:
		n.repeat.SetIcon(iconRepeat)
	}
}

func (n *nowPlaying) updateMuteIcon(v float64) {
	if v <= 0.001 {
		n.mute.SetIcon(theme.VolumeMuteIcon())
	} else if v < 0.5 {
		n.mute.SetIcon(theme.VolumeDownIcon())
	} else {
		n.mute.SetIcon(theme.VolumeUpIcon())
	}
}

// Transport, for the buttons and the keyboard.

func (n *nowPlaying) playPause() {
	p := n.env.Core.Player()
	if p == nil {
		return
	}
	if n.state == audio.Stopped {
		p.Play()
		return
	}
	p.PlayPause()
}

func (n *nowPlaying) next() {
	if p := n.env.Core.Player(); p != nil {
		p.Next()
	}
}

func (n *nowPlaying) previous() {
	if p := n.env.Core.Player(); p != nil {
		p.Previous()
	}
}

func (n *nowPlaying) toggleShuffle() {
	if p := n.env.Core.Player(); p != nil {
		p.SetShuffle(!n.shuffled)
	}
}

func (n *nowPlaying) cycleRepeat() {
	if p := n.env.Core.Player(); p != nil {
		p.SetRepeat((n.repeatM + 1) % 3)
	}
}

func (n *nowPlaying) toggleMute() {
	v := n.volume.Value
	if v > 0.001 {
		n.lastVol = v
		v = 0
	} else {
		v = n.lastVol
		if v <= 0.001 {
			v = 0.8
		}
	}
	n.volume.Value = v
	n.volume.Refresh()
	n.volume.OnChanged(v)
	n.volume.OnChangeEnded(v)
}

// seekSlider is a slider that knows when it is being dragged (so that
// position events do not move it under the pointer) and lets space play
// and pause.
type seekSlider struct {
	widget.Slider
	env      *env
	dragging bool
}

func newSeekSlider(e *env, lo, hi float64) *seekSlider {
	s := &seekSlider{env: e}
	s.Min, s.Max, s.Step = lo, hi, 0.01
	s.Orientation = widget.Horizontal
	s.ExtendBaseWidget(s)
	return s
}

func (s *seekSlider) Dragged(ev *fyne.DragEvent) {
	s.dragging = true
	s.Slider.Dragged(ev)
}

func (s *seekSlider) DragEnd() {
	s.dragging = false
	s.Slider.DragEnd()
}

func (s *seekSlider) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeySpace && s.env.shell != nil {
		s.env.shell.bar.playPause()
		return
	}
	s.Slider.TypedKey(ev)
}
