package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// bookmarksPage lists every bookmark of the user: the item, where it
// resumes out of its length, the app that saved it and when, and whether
// this computer's position still waits to reach the server; resume or
// delete one.
type bookmarksPage struct {
	widget.BaseWidget
	pageBase
	entries []core.BookmarkEntry
	list    *widget.List
	count   *widget.RichText
	status  *widget.Label
	syncBtn *widget.Button
	loads   int // reloads asked for; a slower older one is dropped
	root    fyne.CanvasObject
}

func newBookmarksPage(e *env) *bookmarksPage {
	p := &bookmarksPage{pageBase: newPageBase(e)}
	p.list = widget.NewList(func() int { return len(p.entries) }, func() fyne.CanvasObject {
		r := newBookmarkRow(e, p.ctx)
		r.resume.OnTapped = func() { p.resume(r.id) }
		r.del.OnTapped = func() { p.confirmDelete(r.id) }
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		o.(*bookmarkRow).set(id, p.entries[id], time.Now())
	})
	p.list.OnSelected = func(widget.ListItemID) { p.list.UnselectAll() }
	p.count = countText("")
	p.status = widget.NewLabel("Loading bookmarks…")
	p.status.Wrapping = fyne.TextWrapWord
	p.syncBtn = widget.NewButtonWithIcon("Sync now", theme.ViewRefreshIcon(), p.syncNow)
	intro := mutedText("Where you left podcast episodes and long songs, on this computer and your other devices. Playing one resumes it.")
	intro.Wrapping = fyne.TextWrapWord
	intro.Truncation = fyne.TextTruncateOff
	head := container.NewBorder(nil, nil, container.NewHBox(heading("Bookmarks"), container.NewCenter(p.count)),
		container.NewCenter(p.syncBtn))
	p.root = container.NewBorder(container.NewVBox(head, intro, p.status), nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	p.reload()
	return p
}

func (p *bookmarksPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *bookmarksPage) reload() {
	p.loads++
	n := p.loads
	goLoad(p.env, p.ctx, p.env.Core.BookmarkEntries, func(es []core.BookmarkEntry, err error) {
		if n != p.loads {
			return
		}
		p.show(es, err)
	})
}

func (p *bookmarksPage) show(es []core.BookmarkEntry, err error) {
	p.entries = es
	pending := 0
	for _, be := range es {
		if be.Pending {
			pending++
		}
	}
	count := plural(len(es), "bookmark", "bookmarks")
	if pending > 0 {
		count += fmt.Sprintf(" · %d not synced yet", pending)
	}
	setText(p.count, count)
	switch {
	case err != nil && len(es) > 0:
		p.status.SetText("Showing this computer's positions only: " + core.Explain(err) + ".")
		p.status.Show()
	case err != nil:
		p.status.SetText(core.Explain(err))
		p.status.Show()
	case len(es) == 0:
		p.status.SetText("No bookmarks yet. Podcast episodes, and songs longer than the threshold in the settings, get one as they play.")
		p.status.Show()
	default:
		p.status.Hide()
	}
	p.list.Refresh()
}

// syncNow sends this computer's pending positions and reads the list again.
func (p *bookmarksPage) syncNow() {
	c, e := p.env.Core, p.env
	p.syncBtn.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		err := c.SyncBookmarks(ctx)
		e.do(func() {
			p.syncBtn.Enable()
			if err != nil {
				e.notify("Some positions are not on the server yet: " + core.Explain(err))
			} else {
				e.notify("Bookmarks are in sync")
			}
			p.reload()
		})
	}()
}

func (p *bookmarksPage) resume(id int) {
	if id < 0 || id >= len(p.entries) {
		return
	}
	be := p.entries[id]
	c := p.env.Core
	p.env.goRun("", func(ctx context.Context) error { return c.ResumeBookmark(ctx, be) })
}

func (p *bookmarksPage) confirmDelete(id int) {
	if id < 0 || id >= len(p.entries) {
		return
	}
	be := p.entries[id]
	e := p.env
	name := cmpOr(be.Item.Title, kindName(be.Item.Type)+" "+string(be.Item.ID))
	d := dialog.NewConfirm("Delete this bookmark?",
		fmt.Sprintf("“%s” will play from its beginning next time, on every device.", name), func(ok bool) {
			if !ok {
				return
			}
			c := e.Core
			e.goRunThen("Deleted the bookmark of “"+name+"”", func(ctx context.Context) error {
				return c.DeleteBookmark(ctx, be.Item.Type, be.Item.ID)
			}, p.reload)
		}, e.Window)
	d.SetConfirmText("Delete")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

func (p *bookmarksPage) onEvent(ev core.Event) {
	if _, ok := ev.(core.BookmarksChanged); ok {
		p.reload()
	}
}

func (p *bookmarksPage) Route() Route { return Route{Page: PageBookmarks} }

func (p *bookmarksPage) Save() Saved {
	p.cancel()
	e := p.env
	return savedFunc(func() Page { return newBookmarksPage(e) })
}

// bookmarkLine says where a bookmark resumes, who saved it and when.
func bookmarkLine(be core.BookmarkEntry, now time.Time) string {
	var parts []string
	if by := strings.TrimSpace(cmpOr(be.Item.Artist, be.Item.Album)); by != "" {
		parts = append(parts, by)
	}
	if be.Duration > 0 {
		parts = append(parts, clock(be.Position)+" of "+clock(be.Duration))
	} else {
		parts = append(parts, "at "+clock(be.Position))
	}
	who := "saved"
	if be.Client != "" {
		who += " by " + be.Client
	}
	if !be.Updated.IsZero() {
		who += " " + ago(be.Updated, now)
	}
	return strings.Join(append(parts, who), " · ")
}

// bookmarkRow is a bookmark: art, title, its line and how far it is,
// a "not synced yet" mark, Resume and delete.
type bookmarkRow struct {
	widget.BaseWidget
	id      int
	art     *cover
	title   *widget.Label
	line    *widget.RichText
	pending *widget.RichText
	bar     *progressLine
	resume  *widget.Button
	del     *widget.Button
}

func newBookmarkRow(e *env, ctx context.Context) *bookmarkRow {
	r := &bookmarkRow{art: newCover(e, ctx, rowArt, iconBookmark), title: boldLabel(""), line: mutedText("")}
	r.pending = widget.NewRichText(&widget.TextSegment{Text: "NOT SYNCED YET", Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePrimary, Inline: true, SizeName: theme.SizeNameCaptionText, TextStyle: fyne.TextStyle{Bold: true},
	}})
	r.bar = newProgressLine()
	r.resume = widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), nil)
	r.del = iconButton(theme.DeleteIcon(), nil)
	r.ExtendBaseWidget(r)
	return r
}

func (r *bookmarkRow) CreateRenderer() fyne.WidgetRenderer {
	titleRow := container.NewBorder(nil, nil, nil, container.NewCenter(r.pending), r.title)
	text := container.New(&tightVBox{gap: -12}, titleRow, r.line)
	body := container.NewBorder(nil, container.NewPadded(r.bar), nil, nil, text)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(r.art),
		container.NewCenter(container.NewHBox(r.resume, r.del)), body))
}

func (r *bookmarkRow) set(id int, be core.BookmarkEntry, now time.Time) {
	r.id = id
	r.title.SetText(cmpOr(be.Item.Title, kindName(be.Item.Type)+" "+string(be.Item.ID)))
	setText(r.line, bookmarkLine(be, now))
	if be.Pending {
		r.pending.Show()
	} else {
		r.pending.Hide()
	}
	frac := 0.0
	if be.Duration > 0 {
		frac = min(float64(be.Position)/float64(be.Duration), 1)
	}
	r.bar.setValue(frac)
	switch {
	case be.Item.AlbumID != "" && be.Item.Type == client.TypeSong:
		r.art.set(client.TypeAlbum, be.Item.AlbumID)
	case be.Item.AlbumID != "" && be.Item.Type == client.TypePodcastEpisode:
		r.art.set(client.TypePodcast, be.Item.AlbumID)
	default:
		r.art.set("", "")
	}
}

// progressLine is a thin bar: how far into an item a bookmark is.
type progressLine struct {
	widget.BaseWidget
	value     float64
	track, on *canvas.Rectangle
}

func newProgressLine() *progressLine {
	l := &progressLine{track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBorder)), on: canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))}
	l.track.CornerRadius, l.on.CornerRadius = 1.5, 1.5
	l.ExtendBaseWidget(l)
	return l
}

func (l *progressLine) setValue(v float64) {
	if v != l.value {
		l.value = v
		l.Refresh()
	}
}

func (l *progressLine) CreateRenderer() fyne.WidgetRenderer {
	return &progressLineRenderer{l: l}
}

type progressLineRenderer struct{ l *progressLine }

func (r *progressLineRenderer) Layout(s fyne.Size) {
	r.l.track.Resize(s)
	r.l.on.Resize(fyne.NewSize(s.Width*float32(r.l.value), s.Height))
}

func (r *progressLineRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 3) }

func (r *progressLineRenderer) Refresh() {
	r.l.track.FillColor = theme.Color(theme.ColorNameInputBorder)
	r.l.on.FillColor = theme.Color(theme.ColorNamePrimary)
	r.Layout(r.l.Size())
	r.l.track.Refresh()
	r.l.on.Refresh()
}

func (r *progressLineRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.l.track, r.l.on}
}

func (r *progressLineRenderer) Destroy() {}
