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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// A podcast page's episodes: their rows and lines, play, download, delete.

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
