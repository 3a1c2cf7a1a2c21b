package gui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

func (p *podcastPage) updateRow(id int, r *episodeRow) {
	ep := p.state.episodes[id]
	r.id = id
	r.title.SetText(episodeTitle(ep))
	setText(r.line, p.episodeLine(ep))
	r.setCurrent(ep.ID == p.playing)
	prog, downloading := p.state.progress[ep.ID]
	r.setDownload(downloading, prog, p.state.downloaded[ep.ID])
}

func episodeTitle(ep client.PodcastEpisode) string { return cmpOr(ep.Title, ep.Name) }

// episodeLine is the muted line of an episode: date, length, how much was
// heard, and the server's state when it has not fetched the file yet.
func (p *podcastPage) episodeLine(ep client.PodcastEpisode) string {
	var parts []string
	if !ep.PubDate.IsZero() {
		parts = append(parts, ep.PubDate.Local().Format("2 Jan 2006"))
	}
	dur := time.Duration(ep.Time) * time.Second
	if dur > 0 {
		parts = append(parts, longDuration(int(ep.Time)))
	}
	h, ok := p.state.heard[ep.ID]
	switch {
	case ok && h.done:
		parts = append(parts, "Heard")
	case ok && h.pos > 0:
		d := cmpDur(h.dur, dur)
		if d > h.pos {
			parts = append(parts, fmt.Sprintf("%s of %s heard · %s left", clock(h.pos), clock(d), longDuration(int((d-h.pos)/time.Second))))
		} else {
			parts = append(parts, clock(h.pos)+" heard")
		}
	case bool(ep.Played):
		parts = append(parts, "Played")
	default:
		parts = append(parts, "New")
	}
	if st := strings.ToLower(ep.State); st != "" && st != "completed" {
		parts = append(parts, "not fetched by the server yet ("+st+")")
	}
	if p.state.downloaded[ep.ID] {
		parts = append(parts, "Available offline")
	}
	return strings.Join(parts, " · ")
}

func cmpDur(a, b time.Duration) time.Duration {
	if a > 0 {
		return a
	}
	return b
}

// indexOfEpisode finds an episode's row.
func (p *podcastPage) indexOfEpisode(id client.ID) int {
	return slices.IndexFunc(p.state.episodes, func(ep client.PodcastEpisode) bool { return ep.ID == id })
}

// playAt plays an episode (from where it was left: the core resumes it).
func (p *podcastPage) playAt(i int) {
	if i < 0 || i >= len(p.state.episodes) {
		return
	}
	item := core.EpisodeItem(p.state.episodes[i])
	c := p.env.Core
	p.env.goRun("", func(context.Context) error { return c.PlayItems([]core.Item{item}, 0, false, 0) })
}

func (p *podcastPage) enqueue(i int, next bool) {
	if i < 0 || i >= len(p.state.episodes) {
		return
	}
	ep := p.state.episodes[i]
	c := p.env.Core
	p.env.goRun("Added “"+episodeTitle(ep)+"” to the queue", func(context.Context) error {
		return c.Enqueue(next, core.EpisodeItem(ep))
	})
}

// episodeMenu is an episode's actions.
func (p *podcastPage) episodeMenu(i int) *fyne.Menu {
	e := p.env
	ep := p.state.episodes[i]
	items := []*fyne.MenuItem{
		{Label: "Play", Icon: theme.MediaPlayIcon(), Action: func() { p.playAt(i) }},
		{Label: "Play next", Icon: iconPlayNext, Action: func() { p.enqueue(i, true) }},
		{Label: "Add to queue", Icon: iconQueue, Action: func() { p.enqueue(i, false) }},
		fyne.NewMenuItemSeparator(),
	}
	switch {
	case p.state.downloaded[ep.ID]:
		items = append(items, &fyne.MenuItem{Label: "Remove the download", Icon: theme.ContentClearIcon(), Action: func() { p.removeDownload(i) }})
	case p.state.cancels[ep.ID] != nil:
		items = append(items, &fyne.MenuItem{Label: "Stop downloading", Icon: theme.CancelIcon(), Action: func() { p.cancelDownload(i) }})
	default:
		items = append(items, &fyne.MenuItem{Label: "Download for offline listening", Icon: theme.DownloadIcon(), Action: func() { p.download(i) }})
	}
	t := target{typ: client.TypePodcastEpisode, id: ep.ID, name: episodeTitle(ep), rating: ratingOf(ep.Rating), flag: bool(ep.Flag)}
	items = append(items, e.actionsMenu(t).Items...)
	items = append(items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Delete the episode…", Icon: theme.DeleteIcon(), Action: func() { p.deleteEpisode(i) }})
	return fyne.NewMenu("", items...)
}

// download keeps an episode on this computer; progress comes as events.
func (p *podcastPage) download(i int) {
	if i < 0 || i >= len(p.state.episodes) {
		return
	}
	ep := p.state.episodes[i]
	if p.state.cancels[ep.ID] != nil || p.state.downloaded[ep.ID] {
		return
	}
	e, c := p.env, p.env.Core
	ctx, cancel := context.WithCancel(context.Background())
	p.state.cancels[ep.ID] = cancel
	p.state.progress[ep.ID] = 0
	p.list.RefreshItem(i)
	cancels := p.state.cancels
	go func() {
		defer cancel()
		_, err := c.Download(ctx, client.TypePodcastEpisode, ep.ID)
		e.do(func() {
			delete(cancels, ep.ID)
			switch {
			case errors.Is(err, context.Canceled):
				e.notify("Stopped downloading “" + episodeTitle(ep) + "”")
			case err != nil:
				e.notify("Could not download “" + episodeTitle(ep) + "”: " + core.Explain(err))
			default:
				e.notify("“" + episodeTitle(ep) + "” is available offline")
			}
		})
	}()
}

func (p *podcastPage) cancelDownload(i int) {
	if i < 0 || i >= len(p.state.episodes) {
		return
	}
	if cancel := p.state.cancels[p.state.episodes[i].ID]; cancel != nil {
		cancel()
	}
}

func (p *podcastPage) removeDownload(i int) {
	if i < 0 || i >= len(p.state.episodes) {
		return
	}
	ep := p.state.episodes[i]
	c := p.env.Core
	p.env.goRun("Removed the download of “"+episodeTitle(ep)+"”", func(context.Context) error {
		_, err := c.RemoveDownload(client.TypePodcastEpisode, ep.ID)
		return err
	})
}

// deleteEpisode asks, then deletes an episode on the server.
func (p *podcastPage) deleteEpisode(i int) {
	ep := p.state.episodes[i]
	e := p.env
	d := dialog.NewConfirm("Delete this episode?",
		fmt.Sprintf("“%s” will be deleted from the server, for every user.", episodeTitle(ep)), func(ok bool) {
			if !ok {
				return
			}
			c := e.Core
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
				defer cancel()
				err := c.DeleteEpisode(ctx, ep.ID)
				e.do(func() {
					if err != nil {
						e.notify(refusal("delete “"+episodeTitle(ep)+"”", err, "catalog manager"))
						return
					}
					e.notify("Deleted “" + episodeTitle(ep) + "”")
					if j := p.indexOfEpisode(ep.ID); j >= 0 {
						p.state.episodes = slices.Delete(p.state.episodes, j, j+1)
						p.list.Refresh()
					}
				})
			}()
		}, e.Window)
	d.SetConfirmText("Delete")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
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

// episodeRow is an episode: a play button, title and line, the download
// control (download / progress and stop / offline and remove), actions.
type episodeRow struct {
	widget.BaseWidget
	id       int
	play     *widget.Button
	title    *widget.Label
	line     *widget.RichText
	download *widget.Button
	progress *widget.ProgressBar
	// progressBox holds the bar at its width; it shows and hides with it.
	progressBox *fyne.Container
	cancelDl    *widget.Button
	offline     *widget.Icon
	removeDl    *widget.Button
	more        *widget.Button
	dlBox       *fyne.Container
	current     bool

	onTap    func(int)
	onDouble func(int)
	onMenu   func(int, fyne.Position)
}

var (
	_ fyne.Tappable          = (*episodeRow)(nil)
	_ fyne.DoubleTappable    = (*episodeRow)(nil)
	_ fyne.SecondaryTappable = (*episodeRow)(nil)
)

func newEpisodeRow() *episodeRow {
	r := &episodeRow{title: boldLabel(""), line: mutedText("")}
	r.play = iconButton(iconPlayCircle, nil)
	r.download = iconButton(theme.DownloadIcon(), nil)
	r.progress = widget.NewProgressBar()
	r.cancelDl = iconButton(theme.CancelIcon(), nil)
	r.offline = widget.NewIcon(primary(iconOffline))
	r.removeDl = iconButton(theme.ContentClearIcon(), nil)
	r.more = iconButton(theme.MoreHorizontalIcon(), func() {
		if r.onMenu != nil {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.more)
			r.onMenu(r.id, pos.Add(fyne.NewPos(0, r.more.Size().Height)))
		}
	})
	r.progressBox = container.NewCenter(withWidth(120, r.progress))
	r.dlBox = container.NewHBox(r.download, r.progressBox, r.cancelDl, r.offline, r.removeDl)
	r.ExtendBaseWidget(r)
	return r
}

func (r *episodeRow) CreateRenderer() fyne.WidgetRenderer {
	text := container.New(&tightVBox{gap: -12}, r.title, r.line)
	right := container.NewHBox(container.NewCenter(r.dlBox), container.NewCenter(r.more))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(r.play), right, text))
}

// setDownload shows the download control's state.
func (r *episodeRow) setDownload(downloading bool, progress float64, offline bool) {
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(r.download, !downloading && !offline)
	show(r.progressBox, downloading)
	show(r.cancelDl, downloading)
	show(r.offline, offline && !downloading)
	show(r.removeDl, offline && !downloading)
	if downloading && r.progress.Value != progress {
		r.progress.SetValue(progress)
	}
	r.dlBox.Refresh()
}

func (r *episodeRow) setCurrent(on bool) {
	if r.current == on {
		return
	}
	r.current = on
	if on {
		r.title.Importance = widget.HighImportance
	} else {
		r.title.Importance = widget.MediumImportance
	}
	r.title.Refresh()
}

func (r *episodeRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap(r.id)
	}
}

func (r *episodeRow) DoubleTapped(*fyne.PointEvent) {
	if r.onDouble != nil {
		r.onDouble(r.id)
	}
}

func (r *episodeRow) TappedSecondary(ev *fyne.PointEvent) {
	if r.onMenu != nil {
		r.onMenu(r.id, ev.AbsolutePosition)
	}
}
