package gui

import (
	"context"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// radioPage lists the internet radio stations the server knows; one plays
// as an endless stream until stopped, with the title the station
// announces (ICY metadata) when it does.
type radioPage struct {
	widget.BaseWidget
	pageBase
	stations []client.LiveStream
	list     *keyList
	count    *widget.RichText
	status   *widget.Label

	// The station playing.
	nowCard  *fyne.Container
	nowName  *widget.Label
	nowTitle *widget.RichText
	stopBtn  *widget.Button
	current  core.Item
	state    audio.State
	icy      string // the title the station announced last
	top      *fyne.Container
	root     fyne.CanvasObject
}

func newRadioPage(e *env) *radioPage {
	p := &radioPage{pageBase: newPageBase(e)}
	p.list = newKeyList(func() int { return len(p.stations) }, func() fyne.CanvasObject {
		r := newEntityRow(e, p.ctx, iconRadio)
		squareArt(r)
		r.onTap = p.play
		r.onMenu = func(id int, pos fyne.Position) {
			if id < 0 || id >= len(p.stations) {
				return
			}
			m := fyne.NewMenu("", &fyne.MenuItem{Label: "Play", Icon: theme.MediaPlayIcon(), Action: func() { p.play(id) }})
			if site := p.stations[id].SiteURL; site != "" {
				if u, err := url.Parse(site); err == nil && u.Host != "" {
					m.Items = append(m.Items, &fyne.MenuItem{Label: "Open the station's website", Icon: theme.ComputerIcon(), Action: func() {
						if err := e.App.OpenURL(u); err != nil {
							e.notify("Could not open " + site + ": " + err.Error())
						}
					}})
				}
			}
			st := p.stations[id]
			m.Items = append(m.Items, e.remoteMenuItems(target{typ: client.TypeLiveStream, id: st.ID, name: st.Name})...)
			widget.ShowPopUpMenuAtPosition(m, e.Window.Canvas(), pos)
		}
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		ls := p.stations[id]
		r := o.(*entityRow)
		r.set(id, ls.Name, stationLine(ls, p.playingStation() == ls.ID, p.state), "", "")
		if p.playingStation() == ls.ID {
			r.name.Importance = widget.HighImportance
		} else {
			r.name.Importance = widget.MediumImportance
		}
		r.name.Refresh()
	})
	p.list.onActivate = p.play
	p.list.onSpace = e.shell.playPause

	p.count = countText("")
	p.status = widget.NewLabel("Loading stations…")
	p.status.Wrapping = fyne.TextWrapWord

	p.nowName = boldLabel("")
	p.nowTitle = mutedText("")
	p.stopBtn = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), p.stop)
	icon := widget.NewIcon(primary(iconRadio))
	p.nowCard = container.NewBorder(nil, nil, container.NewPadded(icon), container.NewCenter(p.stopBtn),
		container.New(&tightVBox{gap: -12}, p.nowName, p.nowTitle))
	p.nowCard.Hide()

	intro := mutedText("Internet radio the server knows. A station plays until you stop it.")
	head := container.NewHBox(heading("Radio"), container.NewCenter(p.count))
	p.top = container.NewVBox(head, intro, p.nowCard, p.status, widget.NewSeparator())
	p.root = container.NewBorder(p.top, nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)

	if items, idx := e.Core.Queue(); idx >= 0 && idx < len(items) && items[idx].Type == client.TypeLiveStream {
		p.current = items[idx]
		if pl := e.Core.Player(); pl != nil {
			st := pl.Status()
			p.state, p.icy = st.State, st.StreamTitle
			p.showNow()
		}
	}
	goLoad(e, p.ctx, e.Core.LiveStreams, p.show)
	return p
}

func (p *radioPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *radioPage) show(sts []client.LiveStream, err error) {
	if err != nil {
		p.status.SetText(core.Explain(err))
		p.status.Show()
		return
	}
	p.stations = sts
	setText(p.count, plural(len(sts), "station", "stations"))
	if len(sts) == 0 {
		p.status.SetText("The server knows no radio stations. Its administrator adds them under Radio Stations.")
		p.status.Show()
	} else {
		p.status.Hide()
	}
	p.list.Refresh()
}

func (p *radioPage) playingStation() client.ID {
	if p.current.Type == client.TypeLiveStream && p.state != audio.Stopped {
		return p.current.ID
	}
	return ""
}

// play starts a station (the queue becomes that one endless stream).
func (p *radioPage) play(id int) {
	if id < 0 || id >= len(p.stations) {
		return
	}
	item := core.RadioItem(p.stations[id])
	c := p.env.Core
	p.env.goRun("", func(context.Context) error { return c.PlayItems([]core.Item{item}, 0, false, 0) })
}

func (p *radioPage) stop() {
	if pl := p.env.Core.Player(); pl != nil {
		pl.Stop()
	}
}

// showNow shows the station playing and its announced title.
func (p *radioPage) showNow() {
	title := p.icy
	if p.playingStation() == "" {
		if p.nowCard.Visible() {
			p.nowCard.Hide()
			p.top.Refresh() // lay the header out again
		}
		return
	}
	p.nowName.SetText(p.current.Title)
	switch {
	case title != "":
		setText(p.nowTitle, title)
	case p.state == audio.Buffering:
		setText(p.nowTitle, "Tuning in…")
	default:
		setText(p.nowTitle, "Live")
	}
	if !p.nowCard.Visible() {
		p.nowCard.Show()
		p.top.Refresh()
	}
}

func (p *radioPage) onEvent(ev core.Event) {
	switch e := ev.(type) {
	case core.TrackChanged:
		p.current, p.icy = e.Item, ""
		p.showNow()
		p.list.Refresh()
	case core.PlayerState:
		p.state = e.State
		p.showNow()
		p.list.Refresh()
	case core.StreamTitle:
		if e.Item.ID == p.current.ID && e.Item.Type == client.TypeLiveStream {
			p.icy = e.Title
			p.showNow()
		}
	}
}

func (p *radioPage) Route() Route { return Route{Page: PageRadio} }

func (p *radioPage) Save() Saved {
	p.cancel()
	e := p.env
	return savedFunc(func() Page { return newRadioPage(e) })
}

// stationLine is the muted line under a station's name.
func stationLine(ls client.LiveStream, playing bool, st audio.State) string {
	var parts []string
	if playing {
		switch st {
		case audio.Paused:
			parts = append(parts, "Paused")
		case audio.Buffering:
			parts = append(parts, "Tuning in…")
		default:
			parts = append(parts, "Playing")
		}
	}
	if ls.Codec != "" {
		parts = append(parts, strings.ToUpper(ls.Codec))
	}
	if u, err := url.Parse(cmpOr(ls.SiteURL, ls.URL)); err == nil && u.Host != "" {
		parts = append(parts, strings.TrimPrefix(u.Hostname(), "www."))
	}
	if len(parts) == 0 {
		return "Live radio"
	}
	return strings.Join(parts, " · ")
}

// applyLive shows a live stream in the now-playing bar: "Live" for its
// length and, when the station announces one, the title being heard with
// the station's name under it.
func (n *nowPlaying) applyLive(ev core.Event) {
	switch e := ev.(type) {
	case core.TrackChanged:
		// A live stream (or the democratic queue) has no length to seek
		// in: the slider goes.
		switch {
		case e.Item.Type == client.TypeLiveStream:
			n.seek.Hide()
			n.showStation("")
		case e.Item.Endless():
			n.seek.Hide()
			n.total.SetText("Live")
		default:
			n.seek.Show()
		}
	case core.StreamTitle:
		if e.Index == n.index && n.item.Type == client.TypeLiveStream {
			n.showStation(e.Title)
		}
	}
}

func (n *nowPlaying) showStation(title string) {
	n.total.SetText("Live")
	n.dash.Hide()
	n.album.SetText("")
	n.artist.OnTapped = nil
	if title == "" {
		n.title.SetText(n.item.Title)
		n.artist.SetText("Live radio")
	} else {
		n.title.SetText(title)
		n.artist.SetText(n.item.Title)
	}
}
