package gui

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// podcastsState is what Back restores: the podcasts as loaded and the
// scroll position.
type podcastsState struct {
	podcasts []client.Podcast // nil: not loaded yet
	offset   float32
}

// podcastsPage shows the podcasts the server follows as a grid of covers,
// and subscribes to new feeds.
type podcastsPage struct {
	widget.BaseWidget
	pageBase
	state     podcastsState
	grid      *keyGrid
	count     *widget.RichText
	status    *widget.Label
	subscribe *widget.Button
	root      fyne.CanvasObject
}

func newPodcastsPage(e *env, st podcastsState) *podcastsPage {
	p := &podcastsPage{pageBase: newPageBase(e), state: st}
	p.grid = newKeyGrid(func() int { return len(p.state.podcasts) }, func() fyne.CanvasObject {
		c := newPodcastCard(e, p.ctx)
		c.onOpen = func(pc client.Podcast) { e.navigate(PodcastRoute(pc.ID)) }
		c.onMenu = func(pc client.Podcast, pos fyne.Position) {
			widget.ShowPopUpMenuAtPosition(e.podcastMenu(pc, p.reload), e.Window.Canvas(), pos)
		}
		return c
	}, func(id widget.GridWrapItemID, o fyne.CanvasObject) {
		o.(*podcastCard).setPodcast(p.state.podcasts[id], time.Now())
	})
	p.grid.onActivate = func(id int) {
		if id >= 0 && id < len(p.state.podcasts) {
			e.navigate(PodcastRoute(p.state.podcasts[id].ID))
		}
	}
	p.grid.onSpace = e.shell.playPause
	p.count = countText("")
	p.status = widget.NewLabel("Loading podcasts…")
	p.status.Wrapping = fyne.TextWrapWord
	p.subscribe = widget.NewButtonWithIcon("Subscribe…", theme.ContentAddIcon(), func() {
		e.subscribeDialog(func(pc *client.Podcast) {
			if e.shell.current == Page(p) {
				e.navigate(PodcastRoute(pc.ID))
			}
		})
	})
	p.subscribe.Importance = widget.HighImportance
	head := container.NewBorder(nil, nil, container.NewHBox(heading("Podcasts"), container.NewCenter(p.count)),
		container.NewCenter(p.subscribe))
	p.root = container.NewBorder(container.NewVBox(head, p.status), nil, nil, nil, p.grid)
	p.ExtendBaseWidget(p)
	if st.podcasts != nil {
		p.show(st.podcasts, nil) // at once, then as the server has it now
	}
	p.reload()
	return p
}

func (p *podcastsPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *podcastsPage) reload() {
	goLoad(p.env, p.ctx, p.env.Core.Podcasts, p.show)
}

func (p *podcastsPage) show(pcs []client.Podcast, err error) {
	if err != nil {
		p.status.SetText(core.Explain(err))
		p.status.Show()
		return
	}
	if pcs == nil {
		pcs = []client.Podcast{}
	}
	p.state.podcasts = pcs
	setText(p.count, plural(len(pcs), "podcast", "podcasts"))
	if len(pcs) == 0 {
		p.status.SetText("The server follows no podcasts yet. “Subscribe…” adds one by its feed's address.")
		p.status.Show()
	} else {
		p.status.Hide()
	}
	p.grid.Refresh()
	if p.state.offset > 0 {
		p.grid.ScrollToOffset(p.state.offset)
		p.state.offset = 0
	}
}

func (p *podcastsPage) Route() Route { return Route{Page: PagePodcasts} }

func (p *podcastsPage) Save() Saved {
	p.cancel()
	st := p.state
	st.offset = p.grid.GetScrollOffset()
	e := p.env
	return savedFunc(func() Page { return newPodcastsPage(e, st) })
}

// subscribeDialog asks for a feed's address and subscribes the server to
// it. The dialog stays open with the reason when the server refuses
// (subscribing needs catalog manager access).
func (e *env) subscribeDialog(subscribed func(*client.Podcast)) {
	feed := newEntry(e)
	feed.SetPlaceHolder("https://example.com/feed.xml")
	intro := widget.NewLabel("The address of the podcast's RSS feed. The server then fetches its episodes for every user; this needs catalog manager access on the server.")
	intro.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	status.Hide()
	var dlg *dialog.CustomDialog
	cancel := widget.NewButton("Cancel", func() { dlg.Hide() })
	submit := widget.NewButtonWithIcon("Subscribe", theme.ContentAddIcon(), nil)
	submit.Importance = widget.HighImportance
	submit.OnTapped = func() {
		u := strings.TrimSpace(feed.Text)
		if u == "" {
			status.SetText("Give the address of the feed.")
			status.Show()
			return
		}
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			status.SetText("That is not a web address: a feed's address starts with https:// or http://.")
			status.Show()
			return
		}
		submit.Disable()
		status.Importance = widget.LowImportance
		status.SetText("Subscribing…")
		status.Show()
		c := e.Core
		go func() {
			ctx, cancelCtx := context.WithTimeout(context.Background(), defaultTimeout)
			defer cancelCtx()
			pc, err := c.SubscribePodcast(ctx, u)
			e.do(func() {
				submit.Enable()
				if err != nil {
					status.Importance = widget.DangerImportance
					status.SetText(subscribeError(err))
					return
				}
				dlg.Hide()
				e.notify(fmt.Sprintf("Subscribed to “%s”", cmpOr(pc.Name, u)))
				if subscribed != nil {
					subscribed(pc)
				}
			})
		}()
	}
	feed.OnSubmitted = func(string) { submit.OnTapped() }
	content := container.NewVBox(intro, feed, status)
	dlg = dialog.NewCustomWithoutButtons("Subscribe to a podcast", content, e.Window)
	dlg.SetButtons([]fyne.CanvasObject{cancel, submit})
	dlg.Resize(fyne.NewSize(520, 0))
	dlg.Show()
	e.Window.Canvas().Focus(feed)
}

// subscribeError is a refused subscription in plain words.
func subscribeError(err error) string {
	msg := "Could not subscribe: " + core.Explain(err) + "."
	if errors.Is(err, client.ErrFailedAccessCheck) {
		msg += " Subscribing to podcasts needs catalog manager access: ask the server's administrator to add the feed, or to raise your access."
	}
	return msg
}

// refusal is an error of a podcast action in plain words, with advice
// when the account lacks the access (need names the level).
func refusal(what string, err error, need string) string {
	msg := "Could not " + what + ": " + core.Explain(err)
	if errors.Is(err, client.ErrFailedAccessCheck) && need != "" {
		msg += ". This needs " + need + " access on the server."
	}
	return msg
}

// podcastMenu is a podcast's actions: open, rate, share, refresh,
// unsubscribe. changed runs after the podcast changed on the server.
func (e *env) podcastMenu(pc client.Podcast, changed func()) *fyne.Menu {
	m := e.actionsMenu(podcastTarget(pc))
	m.Items = append(m.Items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Check for new episodes", Icon: theme.ViewRefreshIcon(), Action: func() { e.refreshPodcast(pc, changed) }},
		&fyne.MenuItem{Label: "Unsubscribe…", Icon: theme.DeleteIcon(), Action: func() { e.unsubscribeDialog(pc, changed) }})
	return m
}

func podcastTarget(pc client.Podcast) target {
	return target{typ: client.TypePodcast, id: pc.ID, name: pc.Name, rating: ratingOf(pc.Rating), flag: bool(pc.Flag)}
}

// refreshPodcast asks the server to read the feed again.
func (e *env) refreshPodcast(pc client.Podcast, done func()) {
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		err := c.RefreshPodcast(ctx, pc.ID)
		e.do(func() {
			if err != nil {
				e.notify(refusal("check “"+pc.Name+"” for new episodes", err, "content manager"))
				return
			}
			e.notify(fmt.Sprintf("Checked “%s” for new episodes", pc.Name))
			if done != nil {
				done()
			}
		})
	}()
}

// unsubscribeDialog asks before the server stops following a podcast.
func (e *env) unsubscribeDialog(pc client.Podcast, done func()) {
	d := dialog.NewConfirm("Unsubscribe from this podcast?",
		fmt.Sprintf("The server stops following “%s” and deletes its episodes, for every user.", pc.Name), func(ok bool) {
			if !ok {
				return
			}
			c := e.Core
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
				defer cancel()
				err := c.DeletePodcast(ctx, pc.ID)
				e.do(func() {
					if err != nil {
						e.notify(refusal("unsubscribe from “"+pc.Name+"”", err, "catalog manager"))
						return
					}
					e.notify(fmt.Sprintf("Unsubscribed from “%s”", pc.Name))
					if done != nil {
						done()
					}
				})
			}()
		}, e.Window)
	d.SetConfirmText("Unsubscribe")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// podcastCard is a podcast in the grid: cover, name, when it was updated.
type podcastCard struct {
	widget.BaseWidget
	cover   *cover
	title   *widget.Label
	sub     *widget.RichText
	podcast client.Podcast
	onOpen  func(client.Podcast)
	onMenu  func(client.Podcast, fyne.Position)
}

var (
	_ fyne.Tappable          = (*podcastCard)(nil)
	_ fyne.SecondaryTappable = (*podcastCard)(nil)
)

func newPodcastCard(e *env, ctx context.Context) *podcastCard {
	c := &podcastCard{cover: newCover(e, ctx, gridCover, iconPodcast), title: boldLabel(""), sub: mutedText("")}
	c.ExtendBaseWidget(c)
	return c
}

func (c *podcastCard) CreateRenderer() fyne.WidgetRenderer {
	text := container.New(layout.NewCustomPaddedVBoxLayout(-10), c.title, c.sub)
	return widget.NewSimpleRenderer(container.NewBorder(c.cover, nil, nil, nil, text))
}

func (c *podcastCard) setPodcast(pc client.Podcast, now time.Time) {
	c.podcast = pc
	c.title.SetText(pc.Name)
	setText(c.sub, podcastLine(pc, now))
	c.cover.set(client.TypePodcast, pc.ID)
}

func (c *podcastCard) Tapped(*fyne.PointEvent) {
	if c.onOpen != nil && c.podcast.ID != "" {
		c.onOpen(c.podcast)
	}
}

func (c *podcastCard) TappedSecondary(ev *fyne.PointEvent) {
	if c.onMenu != nil && c.podcast.ID != "" {
		c.onMenu(c.podcast, ev.AbsolutePosition)
	}
}

func (c *podcastCard) Cursor() desktop.Cursor { return desktop.PointerCursor }

// podcastLine is the muted line under a podcast's name.
func podcastLine(pc client.Podcast, now time.Time) string {
	switch {
	case !pc.BuildDate.IsZero():
		return "Updated " + ago(pc.BuildDate.Time, now)
	case !pc.SyncDate.IsZero():
		return "Checked " + ago(pc.SyncDate.Time, now)
	case pc.Website != "":
		if u, err := url.Parse(pc.Website); err == nil && u.Host != "" {
			return strings.TrimPrefix(u.Host, "www.")
		}
	}
	return "Podcast"
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// plainText turns a feed's (often HTML) description into plain text.
func plainText(s string) string {
	s = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n", "</p>", "\n").Replace(s)
	s = html.UnescapeString(htmlTag.ReplaceAllString(s, ""))
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
