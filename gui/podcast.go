package gui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// heardState is how much of an episode the user has heard.
type heardState struct {
	pos, dur time.Duration
	done     bool // played to its end
}

// podcastState is what Back restores: the podcast and its episodes as
// shown, what was heard and downloaded, and the scroll position.
type podcastState struct {
	id         client.ID
	podcast    *client.Podcast
	episodes   []client.PodcastEpisode
	heard      map[client.ID]heardState
	downloaded map[client.ID]bool
	progress   map[client.ID]float64 // downloads running: 0 to 1
	cancels    map[client.ID]context.CancelFunc
	offset     float32
}

// descriptionLimit bounds the description shown in the header.
const descriptionLimit = 420

// podcastPage shows a podcast, its description and episodes: date,
// length, how much was heard (bookmarks), download for offline listening
// with progress, play, share, delete.
type podcastPage struct {
	widget.BaseWidget
	pageBase
	state podcastState

	cover      *cover
	title      *widget.Label
	meta       *widget.RichText
	desc       *widget.Label
	playBtn    *widget.Button
	refreshBtn *widget.Button
	unsubBtn   *widget.Button
	moreBtn    *widget.Button
	status     *widget.Label
	list       *keyList
	playing    client.ID
	root       fyne.CanvasObject
}

func newPodcastPage(e *env, st podcastState) *podcastPage {
	if st.downloaded == nil {
		st.downloaded = map[client.ID]bool{}
	}
	if st.heard == nil {
		st.heard = map[client.ID]heardState{}
	}
	if st.progress == nil {
		st.progress = map[client.ID]float64{}
	}
	if st.cancels == nil {
		st.cancels = map[client.ID]context.CancelFunc{}
	}
	p := &podcastPage{pageBase: newPageBase(e), state: st}
	p.cover = newCover(e, p.ctx, headerCover, iconPodcast)
	p.cover.set(client.TypePodcast, st.id)
	p.title = heading("…")
	p.title.Wrapping = fyne.TextWrapWord
	p.title.Truncation = fyne.TextTruncateOff
	p.meta = mutedText("")
	p.desc = widget.NewLabel("")
	p.desc.Wrapping = fyne.TextWrapWord
	p.desc.Hide()
	p.playBtn = widget.NewButtonWithIcon("Play latest", theme.MediaPlayIcon(), func() { p.playAt(0) })
	p.playBtn.Importance = widget.HighImportance
	p.refreshBtn = widget.NewButtonWithIcon("Check for new", theme.ViewRefreshIcon(), func() {
		if pc := p.state.podcast; pc != nil {
			e.refreshPodcast(*pc, p.reload)
		}
	})
	p.unsubBtn = iconButton(theme.DeleteIcon(), func() {
		if pc := p.state.podcast; pc != nil {
			e.unsubscribeDialog(*pc, func() {
				if e.shell.current == Page(p) {
					e.navigate(Route{Page: PagePodcasts})
				}
			})
		}
	})
	p.moreBtn = iconButton(theme.MoreHorizontalIcon(), func() {
		if pc := p.state.podcast; pc != nil {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.moreBtn)
			e.showActions(podcastTarget(*pc), pos.Add(fyne.NewPos(0, p.moreBtn.Size().Height)))
		}
	})
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()

	p.list = newKeyList(func() int { return len(p.state.episodes) }, func() fyne.CanvasObject {
		r := newEpisodeRow()
		r.onTap = func(id int) { p.list.focusRow(e.Window.Canvas(), id) }
		r.onDouble = p.playAt
		r.play.OnTapped = func() { p.playAt(r.id) }
		r.download.OnTapped = func() { p.download(r.id) }
		r.cancelDl.OnTapped = func() { p.cancelDownload(r.id) }
		r.removeDl.OnTapped = func() { p.removeDownload(r.id) }
		r.onMenu = func(id int, pos fyne.Position) {
			if id >= 0 && id < len(p.state.episodes) {
				widget.ShowPopUpMenuAtPosition(p.episodeMenu(id), e.Window.Canvas(), pos)
			}
		}
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		p.updateRow(id, o.(*episodeRow))
	})
	p.list.onActivate = p.playAt
	p.list.onSpace = e.shell.playPause

	buttons := container.NewHBox(p.playBtn, p.refreshBtn, p.unsubBtn, p.moreBtn)
	info := container.NewVBox(layout.NewSpacer(), captionText("PODCAST"), p.title, p.meta, buttons)
	header := container.NewBorder(nil, nil, container.NewVBox(p.cover), nil, container.NewPadded(info))
	top := container.NewVBox(header, p.desc, p.status, widget.NewSeparator())
	p.root = container.NewBorder(top, nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	if items, idx := e.Core.Queue(); idx >= 0 && idx < len(items) {
		p.playing = items[idx].ID
	}
	enable(p.playBtn, false)
	if st.podcast != nil {
		p.show() // at once, then as the server has it now
	}
	p.reload()
	return p
}

func (p *podcastPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

type podcastLoad struct {
	podcast    *client.Podcast
	episodes   []client.PodcastEpisode
	heard      map[client.ID]heardState
	downloaded map[client.ID]bool
}

// reload reads the podcast, its episodes, the user's bookmarks (how much
// of each was heard) and which episodes are downloaded.
func (p *podcastPage) reload() {
	c, id := p.env.Core, p.state.id
	goLoad(p.env, p.ctx, func(ctx context.Context) (podcastLoad, error) {
		var l podcastLoad
		var err error
		if l.podcast, err = c.Podcast(ctx, id); err != nil {
			return l, err
		}
		if l.episodes, err = c.Episodes(ctx, id); err != nil {
			return l, err
		}
		slices.SortStableFunc(l.episodes, func(a, b client.PodcastEpisode) int { return b.PubDate.Compare(a.PubDate.Time) })
		l.heard = episodePositions(ctx, c)
		l.downloaded = map[client.ID]bool{}
		for _, ep := range l.episodes {
			if d, ok := c.DownloadState(client.TypePodcastEpisode, ep.ID); ok && d.Complete() {
				l.downloaded[ep.ID] = true
			}
		}
		return l, nil
	}, func(l podcastLoad, err error) {
		if err != nil {
			if p.state.podcast == nil {
				p.title.SetText("Podcast")
			}
			p.status.SetText(core.Explain(err))
			p.status.Show()
			return
		}
		p.state.podcast, p.state.episodes = l.podcast, l.episodes
		for id, h := range l.heard {
			if old, ok := p.state.heard[id]; !ok || !old.done {
				p.state.heard[id] = h
			}
		}
		p.state.downloaded = l.downloaded
		p.show()
	})
}

// episodePositions is how far each bookmarked episode was heard (the
// server's bookmarks merged with this computer's newer positions). When
// the server cannot be asked, this computer's positions are used.
func episodePositions(ctx context.Context, c *core.Core) map[client.ID]heardState {
	out := map[client.ID]heardState{}
	entries, _ := c.BookmarkEntries(ctx)
	for _, be := range entries {
		if be.Item.Type == client.TypePodcastEpisode {
			out[be.Item.ID] = heardState{pos: be.Position, dur: be.Duration}
		}
	}
	return out
}

func (p *podcastPage) show() {
	pc := p.state.podcast
	p.title.SetText(pc.Name)
	var meta []string
	meta = append(meta, plural(len(p.state.episodes), "episode", "episodes"))
	if line := podcastLine(*pc, time.Now()); line != "Podcast" {
		meta = append(meta, line)
	}
	if pc.Website != "" {
		meta = append(meta, pc.Website)
	}
	setText(p.meta, strings.Join(meta, " · "))
	if d := plainText(pc.Description); d != "" {
		if r := []rune(d); len(r) > descriptionLimit {
			d = strings.TrimSpace(string(r[:descriptionLimit])) + "…"
		}
		p.desc.SetText(d)
		p.desc.Show()
	} else {
		p.desc.Hide()
	}
	p.status.Hide()
	if len(p.state.episodes) == 0 {
		p.status.SetText("No episodes yet: “Check for new” asks the server to read the feed again.")
		p.status.Show()
	}
	enable(p.playBtn, len(p.state.episodes) > 0)
	p.list.Refresh()
	if p.state.offset > 0 {
		p.list.ScrollToOffset(p.state.offset)
		p.state.offset = 0
	}
}

func (p *podcastPage) onEvent(ev core.Event) {
	switch e := ev.(type) {
	case core.TrackChanged:
		if e.Item.ID != p.playing {
			p.playing = e.Item.ID
			p.list.Refresh()
		}
	case core.Position:
		// The playing episode's line follows its position.
		if i := p.indexOfEpisode(p.playing); i >= 0 && e.Position > 0 {
			h := p.state.heard[p.playing]
			if !h.done && h.pos/time.Second != e.Position/time.Second {
				h.pos, h.dur = e.Position, e.Duration
				p.state.heard[p.playing] = h
				p.list.RefreshItem(i)
			}
		}
	case core.EpisodeHeard:
		if i := p.indexOfEpisode(e.Item.ID); i >= 0 {
			p.state.heard[e.Item.ID] = heardState{done: true}
			p.list.RefreshItem(i)
		}
	case core.DownloadProgress:
		if e.Kind == client.TypePodcastEpisode {
			if i := p.indexOfEpisode(e.ID); i >= 0 {
				frac := 0.0
				if e.TotalBytes > 0 {
					frac = min(float64(e.Bytes)/float64(e.TotalBytes), 1)
				}
				p.state.progress[e.ID] = frac
				p.list.RefreshItem(i)
			}
		}
	case core.DownloadDone:
		if e.Kind == client.TypePodcastEpisode {
			delete(p.state.progress, e.ID)
			if e.Err == nil {
				p.state.downloaded[e.ID] = true
			}
			if i := p.indexOfEpisode(e.ID); i >= 0 {
				p.list.RefreshItem(i)
			}
		}
	case core.DownloadRemoved:
		if e.Kind == client.TypePodcastEpisode {
			delete(p.state.downloaded, e.ID)
			if i := p.indexOfEpisode(e.ID); i >= 0 {
				p.list.RefreshItem(i)
			}
		}
	case core.BookmarksChanged:
		c := p.env.Core
		goLoad(p.env, p.ctx, func(ctx context.Context) (map[client.ID]heardState, error) {
			return episodePositions(ctx, c), nil
		}, func(h map[client.ID]heardState, _ error) {
			for id, old := range p.state.heard {
				if _, ok := h[id]; !ok && (old.done || id == p.playing) {
					h[id] = old // heard here, or playing: the list has no bookmark for it
				}
			}
			p.state.heard = h
			p.list.Refresh()
		})
	}
}

func (p *podcastPage) Route() Route { return PodcastRoute(p.state.id) }

func (p *podcastPage) Save() Saved {
	p.cancel()
	st := p.state
	st.offset = p.list.GetScrollOffset()
	e := p.env
	return savedFunc(func() Page { return newPodcastPage(e, st) })
}
