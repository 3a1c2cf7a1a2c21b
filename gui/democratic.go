package gui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// democraticPage shows the democratic queue in the order the server plays
// it, with each song's votes; the user votes for a song or takes the vote
// back, and "Listen here" plays the democratic stream through Ampdesk's
// own player. It refreshes every Deps.DemocraticEvery while it is shown
// and the window is not hidden.
type democraticPage struct {
	widget.BaseWidget
	pageBase
	remotePanel

	songs []client.DemocraticSong

	listen *widget.Button
	count  *widget.RichText
	list   *keyList
	empty  *widget.Label
}

func newDemocraticPage(e *env, last []client.DemocraticSong) *democraticPage {
	p := &democraticPage{pageBase: newPageBase(e), remotePanel: remotePanel{feature: featureDemocratic}}
	p.poll = newPoller(e.DemocraticEvery, p.refresh)

	p.listen = widget.NewButtonWithIcon("Listen here", iconHeadphones, p.listenHere)
	p.listen.Importance = widget.HighImportance
	p.count = countText("")
	p.list = newKeyList(func() int { return len(p.songs) }, func() fyne.CanvasObject {
		r := newDemocraticRow()
		r.row.onTap = func(id int) { p.list.focusRow(e.Window.Canvas(), id) }
		r.row.onDouble = p.toggleVote
		r.row.onMenu = p.showMenu
		r.vote.OnTapped = func() { p.toggleVote(r.row.id) }
		r.more.OnTapped = func() {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.more)
			p.showMenu(r.row.id, pos.Add(fyne.NewPos(0, r.more.Size().Height)))
		}
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		s := p.songs[id]
		o.(*democraticRow).set(id, s, e.shell.votes.has(s.ID))
	})
	p.list.onActivate = p.toggleVote
	p.list.onSpace = e.shell.playPause

	intro := mutedText("Everyone's votes make one queue that the server plays, most votes first.")
	p.empty = widget.NewLabel("The democratic queue is empty. Vote for songs with “Vote for this” in their menu (⋯) to fill it.")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Hide()
	p.notice = widget.NewLabel("")
	p.notice.Wrapping = fyne.TextWrapWord
	p.notice.Importance = widget.WarningImportance
	p.notice.Hide()
	p.probText = widget.NewLabel("")
	p.probText.Wrapping = fyne.TextWrapWord
	retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), p.retry)
	p.problem = container.NewVBox(container.NewHBox(widget.NewIcon(muted(iconVote)), sectionHeading("Democratic play is not available")),
		p.probText, container.NewHBox(retry))
	p.problem.Hide()

	p.body = container.NewBorder(container.NewVBox(intro, p.notice, p.empty), nil, nil, nil, p.list)
	p.body.Hide()
	head := container.NewBorder(nil, nil, container.NewHBox(heading("Democratic"), container.NewCenter(p.count)),
		container.NewCenter(p.listen))
	p.root = container.NewBorder(container.NewVBox(head, p.problem), nil, nil, nil, p.body)
	p.ExtendBaseWidget(p)
	if last != nil {
		p.show(last)
	}
	if e.windowShown() {
		p.poll.start(p.ctx)
	}
	return p
}

func (p *democraticPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *democraticPage) refresh(ctx context.Context) {
	songs, err := p.env.Core.DemocraticQueue(ctx)
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
		p.show(songs)
	})
}

// show applies a refresh: the songs in the server's order.
func (p *democraticPage) show(songs []client.DemocraticSong) {
	p.songs, p.loaded, p.lasting = songs, true, false
	p.notice.Hide()
	switchPanel(p.root, p.body, p.problem, false)
	p.listen.Enable()
	if len(songs) == 0 {
		setText(p.count, "")
		p.empty.Show()
	} else {
		setText(p.count, plural(len(songs), "song", "songs"))
		p.empty.Hide()
	}
	p.list.Refresh()
}

func (p *democraticPage) fail(err error) {
	if p.remotePanel.fail(p.env, err) {
		p.listen.Disable()
	}
}

func (p *democraticPage) retry() {
	p.listen.Enable()
	p.resume(p.ctx, p.env)
}

// toggleVote votes for a song, or takes the user's vote back when they
// voted for it from Ampdesk.
func (p *democraticPage) toggleVote(id int) {
	if id < 0 || id >= len(p.songs) {
		return
	}
	s := p.songs[id]
	p.env.vote(s.ID, s.Title, !p.env.shell.votes.has(s.ID), nil)
}

// showMenu is a song's actions menu with the vote entries first.
func (p *democraticPage) showMenu(id int, pos fyne.Position) {
	if id < 0 || id >= len(p.songs) {
		return
	}
	s := p.songs[id]
	e := p.env
	menu := e.actionsMenu(songTarget(s.Song))
	var items []*fyne.MenuItem
	for _, it := range menu.Items {
		if it.Label != "Vote for this" {
			items = append(items, it)
		}
	}
	menu.Items = append([]*fyne.MenuItem{
		{Label: "Vote for this", Icon: iconThumbUp, Action: func() { e.vote(s.ID, s.Title, true, nil) }},
		{Label: "Remove my vote", Icon: iconThumbUpOutline, Action: func() { e.vote(s.ID, s.Title, false, nil) }},
		fyne.NewMenuItemSeparator(),
	}, items...)
	widget.ShowPopUpMenuAtPosition(menu, e.Window.Canvas(), pos)
}

// listenHere plays the democratic stream in Ampdesk's own player.
func (p *democraticPage) listenHere() {
	e := p.env
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		url, err := c.DemocraticPlayURL(ctx)
		if err == nil {
			item := core.StreamItem(client.TypeDemocratic, "democratic", "Democratic queue", url)
			item.Artist = "Everyone's votes"
			err = c.PlayItems([]core.Item{item}, 0, false, 0)
		}
		e.do(func() {
			if err != nil {
				msg, _ := featureDemocratic.problem(err)
				e.notify(msg)
				e.checkServer(err)
				return
			}
			e.notify("Playing the democratic queue here")
		})
	}()
}

func (p *democraticPage) windowShown(on bool) { p.followWindow(p.ctx, on) }

// onEvent refreshes at once when the server is back, whatever the panel
// showed meanwhile.
func (p *democraticPage) onEvent(ev core.Event) {
	if serverBack(ev) {
		p.retry()
	}
}

func (p *democraticPage) Route() Route { return Route{Page: PageDemocratic} }

func (p *democraticPage) Save() Saved {
	p.cancel()
	p.poll.stop()
	e := p.env
	var last []client.DemocraticSong
	if p.loaded {
		last = p.songs
	}
	return savedFunc(func() Page { return newDemocraticPage(e, last) })
}

// democraticRow is a song of the democratic queue: a trackRow with its
// votes, the user's vote button and the actions button last.
type democraticRow struct {
	widget.BaseWidget
	row   *trackRow
	votes *widget.Label
	vote  *widget.Button
	more  *widget.Button
	mine  bool
}

func newDemocraticRow() *democraticRow {
	r := &democraticRow{row: newTrackRow(trackColumns{artist: true, album: true}), votes: widget.NewLabel("")}
	r.votes.Alignment = fyne.TextAlignTrailing
	r.vote = widget.NewButtonWithIcon("Vote", iconThumbUpOutline, nil)
	r.vote.Importance = widget.LowImportance
	r.more = iconButton(theme.MoreHorizontalIcon(), nil)
	r.ExtendBaseWidget(r)
	return r
}

func (r *democraticRow) CreateRenderer() fyne.WidgetRenderer {
	right := container.NewHBox(withWidth(84, r.votes), withWidth(96, r.vote), r.more)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, right, r.row))
}

func (r *democraticRow) set(id int, s client.DemocraticSong, mine bool) {
	r.row.setSong(id, itoa(id+1), s.Song, false)
	r.row.more.Hide() // the row's own comes last
	r.votes.SetText(plural(int(s.Vote), "vote", "votes"))
	if mine == r.mine && r.vote.Text != "" {
		return
	}
	r.mine = mine
	if mine {
		r.vote.SetText("Voted")
		r.vote.SetIcon(primary(iconThumbUp))
	} else {
		r.vote.SetText("Vote")
		r.vote.SetIcon(iconThumbUpOutline)
	}
}
