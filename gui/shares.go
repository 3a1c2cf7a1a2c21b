package gui

import (
	"context"
	"fmt"
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

// shareExpiries are the choices of the share dialog; 0 leaves the expiry
// to the server's setting.
var shareExpiries = []struct {
	label string
	days  int
}{
	{"1 day", 1},
	{"7 days", 7},
	{"30 days", 30},
	{"90 days", 90},
	{"1 year", 365},
	{"The server's default", 0},
}

const defaultShareExpiry = "7 days"

// shareable reports whether the server makes public links to t's kind.
func shareable(typ client.ObjectType) bool {
	switch typ {
	case client.TypeSong, client.TypeAlbum, client.TypeArtist, client.TypePlaylist, client.TypePodcast, client.TypePodcastEpisode:
		return true
	}
	return false
}

// shareDialog asks how long a public link to t should last, makes it and
// copies it to the clipboard.
func (e *env) shareDialog(t target) {
	expiry := widget.NewSelect(nil, nil)
	for _, x := range shareExpiries {
		expiry.Options = append(expiry.Options, x.label)
	}
	expiry.SetSelected(defaultShareExpiry)
	intro := widget.NewLabel(fmt.Sprintf("Anyone with the link can play “%s” until it expires. The link is copied to the clipboard.", t.name))
	intro.Wrapping = fyne.TextWrapWord
	dlg := dialog.NewForm("Share "+kindName(t.typ), "Create link", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("", intro), widget.NewFormItem("Expires after", expiry)}, func(ok bool) {
			if !ok {
				return
			}
			days := 0
			for _, x := range shareExpiries {
				if x.label == expiry.Selected {
					days = x.days
				}
			}
			e.createShare(t, days)
		}, e.Window)
	dlg.Resize(fyne.NewSize(460, 0))
	dlg.Show()
}

// createShare makes the link and copies it.
func (e *env) createShare(t target, days int) {
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		sh, err := c.CreateShare(ctx, t.typ, t.id, days)
		e.do(func() {
			if err != nil {
				e.notify("Could not share “" + t.name + "”: " + core.Explain(err))
				return
			}
			e.App.Clipboard().SetContent(sh.PublicURL)
			e.notify("Link copied: " + sh.PublicURL)
		})
	}()
}

// kindName is an object type in words ("album", "podcast episode").
func kindName(typ client.ObjectType) string {
	switch typ {
	case client.TypePodcastEpisode:
		return "episode"
	case client.TypeLiveStream:
		return "station"
	case "":
		return "item"
	}
	return strings.ReplaceAll(string(typ), "_", " ")
}

// sharesPage lists the user's public links: what each points to, when it
// expires, how often it was opened; copy a link, delete one.
type sharesPage struct {
	widget.BaseWidget
	pageBase
	shares []client.Share
	list   *widget.List
	count  *widget.RichText
	status *widget.Label
	root   fyne.CanvasObject
}

func newSharesPage(e *env) *sharesPage {
	p := &sharesPage{pageBase: newPageBase(e)}
	p.list = widget.NewList(func() int { return len(p.shares) }, func() fyne.CanvasObject {
		r := newShareRow()
		r.copy.OnTapped = func() { p.copyLink(r.id) }
		r.del.OnTapped = func() { p.confirmDelete(r.id) }
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		o.(*shareRow).set(id, p.shares[id], time.Now())
	})
	p.list.OnSelected = func(widget.ListItemID) { p.list.UnselectAll() }
	p.count = countText("")
	p.status = widget.NewLabel("Loading your shares…")
	p.status.Wrapping = fyne.TextWrapWord
	intro := mutedText("Public links you made with “Share…”. Anyone with a link can play what it points to until it expires.")
	intro.Wrapping = fyne.TextWrapWord
	intro.Truncation = fyne.TextTruncateOff
	head := container.NewHBox(heading("Shares"), container.NewCenter(p.count))
	p.root = container.NewBorder(container.NewVBox(head, intro, p.status), nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	p.reload()
	return p
}

func (p *sharesPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *sharesPage) reload() {
	goLoad(p.env, p.ctx, p.env.Core.Shares, func(sh []client.Share, err error) {
		if err != nil {
			p.status.SetText(core.Explain(err))
			p.status.Show()
			return
		}
		p.shares = sh
		setText(p.count, plural(len(sh), "link", "links"))
		if len(sh) == 0 {
			p.status.SetText("You have not shared anything yet. “Share…” in the menu of a song, album, playlist or episode makes a link.")
			p.status.Show()
		} else {
			p.status.Hide()
		}
		p.list.Refresh()
	})
}

func (p *sharesPage) copyLink(id int) {
	if id < 0 || id >= len(p.shares) {
		return
	}
	p.env.App.Clipboard().SetContent(p.shares[id].PublicURL)
	p.env.notify("Link copied: " + p.shares[id].PublicURL)
}

func (p *sharesPage) confirmDelete(id int) {
	if id < 0 || id >= len(p.shares) {
		return
	}
	sh := p.shares[id]
	e := p.env
	d := dialog.NewConfirm("Delete this link?", fmt.Sprintf("The link to “%s” stops working for everyone who has it.", shareName(sh)), func(ok bool) {
		if !ok {
			return
		}
		c := e.Core
		e.goRunThen("Deleted the link to “"+shareName(sh)+"”", func(ctx context.Context) error {
			return c.DeleteShare(ctx, sh.ID)
		}, p.reload)
	}, e.Window)
	d.SetConfirmText("Delete")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

func (p *sharesPage) Route() Route { return Route{Page: PageShares} }

func (p *sharesPage) Save() Saved {
	p.cancel()
	e := p.env
	return savedFunc(func() Page { return newSharesPage(e) })
}

func shareName(sh client.Share) string {
	return cmpOr(strings.TrimSpace(sh.Name), cmpOr(strings.TrimSpace(sh.Description), kindName(client.ObjectType(sh.ObjectType))+" "+string(sh.ObjectID)))
}

// shareLine says what a link is, when it expires and how often it was used.
func shareLine(sh client.Share, now time.Time) string {
	parts := []string{capitalize(kindName(client.ObjectType(sh.ObjectType)))}
	switch {
	case sh.ExpireDays <= 0:
		parts = append(parts, "never expires")
	case sh.Created.IsZero():
		parts = append(parts, fmt.Sprintf("expires %s after it was made", plural(int(sh.ExpireDays), "day", "days")))
	default:
		end := sh.Created.Add(time.Duration(sh.ExpireDays) * 24 * time.Hour)
		if end.Before(now) {
			parts = append(parts, "expired "+ago(end, now))
		} else {
			parts = append(parts, "expires in "+until(end, now))
		}
	}
	parts = append(parts, plural(int(sh.Counter), "visit", "visits"))
	if !sh.Created.IsZero() {
		parts = append(parts, "made "+ago(sh.Created.Time, now))
	}
	return strings.Join(parts, " · ")
}

// shareRow is a link: its object, a muted line, the URL, copy and delete.
type shareRow struct {
	widget.BaseWidget
	id   int
	icon *widget.Icon
	name *widget.Label
	sub  *widget.RichText
	link *widget.RichText
	copy *widget.Button
	del  *widget.Button
}

func newShareRow() *shareRow {
	r := &shareRow{icon: widget.NewIcon(iconShare), name: boldLabel(""), sub: mutedText(""), link: mutedText("")}
	r.copy = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), nil)
	r.copy.Importance = widget.LowImportance
	r.del = iconButton(theme.DeleteIcon(), nil)
	r.ExtendBaseWidget(r)
	return r
}

func (r *shareRow) CreateRenderer() fyne.WidgetRenderer {
	text := container.New(&tightVBox{gap: -12}, r.name, r.sub, r.link)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewPadded(r.icon),
		container.NewCenter(container.NewHBox(r.copy, r.del)), text))
}

func (r *shareRow) set(id int, sh client.Share, now time.Time) {
	r.id = id
	r.name.SetText(shareName(sh))
	setText(r.sub, shareLine(sh, now))
	setText(r.link, sh.PublicURL)
	r.icon.SetResource(kindIcon(client.ObjectType(sh.ObjectType)))
}

// kindIcon is the placeholder icon of an object type.
func kindIcon(typ client.ObjectType) fyne.Resource {
	switch typ {
	case client.TypeAlbum:
		return iconAlbum
	case client.TypeArtist:
		return iconArtist
	case client.TypePlaylist, client.TypeSearch:
		return iconPlaylist
	case client.TypePodcast, client.TypePodcastEpisode:
		return iconPodcast
	case client.TypeLiveStream:
		return iconRadio
	}
	return iconSongs
}

// ago says how long before now t was, in words.
func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute", "minutes") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour", "hours") + " ago"
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day", "days") + " ago"
	}
	return "on " + t.Local().Format("2 Jan 2006")
}

// until says how long after now t is, in words.
func until(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d < time.Hour:
		return plural(max(int(d/time.Minute), 1), "minute", "minutes")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour", "hours")
	}
	return plural(int((d+12*time.Hour)/(24*time.Hour)), "day", "days")
}
