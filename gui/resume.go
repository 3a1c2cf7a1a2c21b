package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/core"
)

// resumeOffer is the strip over the now-playing bar after an item resumed
// from its bookmark: where it resumed, who saved the position, and Start
// over.
type resumeOffer struct {
	widget.BaseWidget
	env       *env
	text      *widget.Label
	startOver *widget.Button
	dismiss   *widget.Button
	item      core.Item
	gen       int
}

// resumeOfferTime is how long the offer stays.
const resumeOfferTime = 30 * time.Second

func newResumeOffer(e *env) *resumeOffer {
	o := &resumeOffer{env: e, text: truncLabel("")}
	o.startOver = widget.NewButtonWithIcon("Start over", iconReplay, o.doStartOver)
	o.startOver.Importance = widget.HighImportance
	o.dismiss = iconButton(theme.CancelIcon(), o.hide)
	o.ExtendBaseWidget(o)
	o.Hide()
	return o
}

func (o *resumeOffer) CreateRenderer() fyne.WidgetRenderer {
	icon := widget.NewIcon(primary(iconBookmark))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, icon,
		container.NewHBox(o.startOver, o.dismiss), o.text))
}

// offer shows the offer for an item that resumed.
func (o *resumeOffer) offer(ev core.ResumeOffered) {
	o.item = ev.Item
	o.text.SetText(resumeText(ev, time.Now()))
	o.startOver.Enable()
	o.gen++
	gen := o.gen
	o.Show()
	time.AfterFunc(resumeOfferTime, func() {
		o.env.do(func() {
			if o.gen == gen {
				o.hide()
			}
		})
	})
}

func (o *resumeOffer) hide() {
	o.gen++
	o.Hide()
}

func (o *resumeOffer) doStartOver() {
	o.startOver.Disable()
	c, e := o.env.Core, o.env
	go func() {
		err := c.StartOver()
		e.do(func() {
			if err != nil {
				e.notify(core.Explain(err))
				o.startOver.Enable()
				return
			}
			o.hide()
		})
	}()
}

// resumeText says where an item resumed and whose position it was.
func resumeText(ev core.ResumeOffered, now time.Time) string {
	s := "Resumed “" + ev.Item.Title + "” at " + clock(ev.Position)
	if ev.From == core.ResumeFromLocal {
		return s + ", where you left it"
	}
	if ev.Client != "" {
		s += ", saved by " + ev.Client
	} else {
		s += ", saved on the server"
	}
	if !ev.Updated.IsZero() {
		s += " " + ago(ev.Updated, now)
	}
	return s
}

// applyMedia shows, in the now-playing bar, what the live streams and
// bookmarks add: the station's announced title, the resume offer.
func (n *nowPlaying) applyMedia(ev core.Event) {
	n.applyLive(ev)
	switch e := ev.(type) {
	case core.ResumeOffered:
		n.offer.offer(e)
	case core.TrackChanged:
		if n.offer.Visible() && (e.Item.ID != n.offer.item.ID || e.Item.Type != n.offer.item.Type) {
			n.offer.hide()
		}
	case core.QueueChanged:
		if e.Len == 0 {
			n.offer.hide()
		}
	}
}
