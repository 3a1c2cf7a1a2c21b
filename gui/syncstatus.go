package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/core"
)

var (
	iconCloudOff  = materialIcon("cloud-off", "M19.35 10.04C18.67 6.59 15.64 4 12 4c-1.48 0-2.85.43-4.01 1.17l1.46 1.46C10.21 6.23 11.08 6 12 6c3.04 0 5.5 2.46 5.5 5.5v.5H19c1.66 0 3 1.34 3 3 0 1.13-.64 2.11-1.56 2.62l1.45 1.45C23.16 18.16 24 16.68 24 15c0-2.64-2.05-4.78-4.65-4.96zM3 5.27l2.75 2.74C2.56 8.15 0 10.77 0 14c0 3.31 2.69 6 6 6h11.73l2 2L21 20.73 4.27 4 3 5.27zM7.73 10l8 8H6c-2.21 0-4-1.79-4-4s1.79-4 4-4h1.73z")
	iconCloudSync = materialIcon("cloud-sync", "M19.35 10.04C18.67 6.59 15.64 4 12 4 9.11 4 6.6 5.64 5.35 8.04 2.34 8.36 0 10.91 0 14c0 3.31 2.69 6 6 6h13c2.76 0 5-2.24 5-5 0-2.64-2.05-4.78-4.65-4.96zM19 18H6c-2.21 0-4-1.79-4-4s1.79-4 4-4h.71C7.37 7.69 9.48 6 12 6c3.04 0 5.5 2.46 5.5 5.5v.5H19c1.66 0 3 1.34 3 3s-1.34 3-3 3z")
)

// libraryStatus is the sidebar's line about the library and its server:
// "Connecting…" while the start-up connection is under way (the cached
// library already shows), a progress bar while a sync runs (from core's
// SyncProgress and SyncDone), and "Offline" with Retry while the server
// cannot be reached (OfflineChanged). It is hidden when there is nothing
// to say.
type libraryStatus struct {
	widget.BaseWidget
	env *env
	// relayout lays the sidebar out again when the card shows, hides or
	// changes height.
	relayout func()

	connecting bool
	syncing    bool
	offline    bool
	trying     bool

	bg       *canvas.Rectangle
	connBox  *fyne.Container
	connText *widget.RichText
	connBusy *widget.Activity
	syncBox  *fyne.Container
	syncText *widget.RichText
	bar      *thinBar
	syncBusy *widget.Activity // the total is not known
	offBox   *fyne.Container
	offText  *widget.Label
	retry    *widget.Button
}

func newLibraryStatus(e *env) *libraryStatus {
	s := &libraryStatus{env: e}
	s.bg = canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	s.bg.CornerRadius = 8

	s.connText = countText("")
	s.connBusy = widget.NewActivity()
	s.connBox = container.NewBorder(nil, nil, s.connBusy, nil, s.connText)

	s.syncText = countText("")
	s.bar = newThinBar()
	s.syncBusy = widget.NewActivity()
	s.syncBusy.Hide()
	title := widget.NewLabel("Syncing the library")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Truncation = fyne.TextTruncateEllipsis
	s.syncBox = container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(primary(iconCloudSync)), s.syncBusy, title),
		container.New(&tightVBox{gap: -4}, s.syncText, container.NewPadded(s.bar)))

	offTitle := widget.NewLabel("Offline")
	offTitle.TextStyle = fyne.TextStyle{Bold: true}
	s.offText = widget.NewLabel("")
	s.offText.Wrapping = fyne.TextWrapWord
	s.offText.SizeName = theme.SizeNameCaptionText
	s.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), s.reconnect)
	s.offBox = container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.NewColoredResource(iconCloudOff, theme.ColorNameWarning)), nil, offTitle),
		s.offText, container.NewHBox(layout.NewSpacer(), s.retry))

	s.ExtendBaseWidget(s)
	s.update()
	return s
}

func (s *libraryStatus) CreateRenderer() fyne.WidgetRenderer {
	body := container.NewVBox(s.connBox, s.syncBox, s.offBox)
	return &statusRenderer{WidgetRenderer: widget.NewSimpleRenderer(container.NewStack(s.bg, container.NewPadded(body))), bg: s.bg}
}

// statusRenderer follows theme changes for the card's colour.
type statusRenderer struct {
	fyne.WidgetRenderer
	bg *canvas.Rectangle
}

func (r *statusRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameHover)
	r.WidgetRenderer.Refresh()
}

// apply follows core's events.
func (s *libraryStatus) apply(ev core.Event) {
	switch e := ev.(type) {
	case core.SyncProgress:
		s.showProgress(e)
	case core.SyncDone:
		s.syncing = false
		if e.Err != nil && !errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, core.ErrOffline) {
			if _, off := s.env.Core.Offline(); !off {
				s.env.notify("The library could not be synced: " + core.Explain(e.Err))
			}
		}
	case core.OfflineChanged:
		s.offline = e.Offline
		if e.Offline {
			s.connecting = false
			s.setOfflineText()
		}
	case core.Connected:
		s.connecting, s.offline = false, false
	default:
		return // the player's events (five a second) change nothing here
	}
	s.update()
}

// setConnecting shows (or ends) "Connecting to name…".
func (s *libraryStatus) setConnecting(name string, on bool) {
	s.connecting = on
	if on {
		setText(s.connText, "Connecting to "+name+"…")
	}
	s.update()
}

func (s *libraryStatus) showProgress(e core.SyncProgress) {
	s.syncing = true
	phase := syncPhase(e.Phase)
	switch {
	case e.Total > 0:
		setText(s.syncText, fmt.Sprintf("%s · %s of %s", phase, thousands(e.Done), thousands(e.Total)))
		s.bar.set(float64(min(e.Done, e.Total)) / float64(e.Total))
		s.bar.Show()
		s.syncBusy.Stop()
		s.syncBusy.Hide()
	default:
		text := "Looking for changes"
		if e.Done > 0 {
			text = fmt.Sprintf("%s · %s", phase, thousands(e.Done))
		}
		setText(s.syncText, text)
		s.bar.Hide()
		s.syncBusy.Show()
		s.syncBusy.Start()
	}
}

// setOfflineText says what offline means here; the reason (Explain)
// comes in a notice when Retry fails.
func (s *libraryStatus) setOfflineText() {
	s.offText.SetText("The server does not answer. The library saved on this computer still works.")
}

// reconnect tries the server again now.
func (s *libraryStatus) reconnect() {
	if s.trying {
		return
	}
	s.trying = true
	s.update()
	c := s.env.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		err := c.Reconnect(ctx)
		s.env.do(func() {
			s.trying = false
			if err != nil {
				s.env.notify("Still offline: " + core.Explain(err))
			}
			s.update()
		})
	}()
}

// update shows what there is to say, or hides the card.
func (s *libraryStatus) update() {
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(s.connBox, s.connecting && !s.offline)
	if s.connecting && !s.offline {
		s.connBusy.Start()
	} else {
		s.connBusy.Stop()
	}
	show(s.syncBox, s.syncing)
	if !s.syncing {
		s.syncBusy.Stop()
	}
	show(s.offBox, s.offline)
	if s.trying {
		s.retry.SetText("Trying…")
		s.retry.Disable()
	} else {
		s.retry.SetText("Retry")
		s.retry.Enable()
	}
	before := s.MinSize()
	wasShown := s.Visible()
	if s.connecting || s.syncing || s.offline {
		s.Show()
	} else {
		s.Hide()
	}
	s.Refresh()
	if s.relayout != nil && (wasShown != s.Visible() || before != s.MinSize()) {
		s.relayout()
	}
}

// syncPhase names what a sync writes, for people.
func syncPhase(p string) string {
	switch p {
	case "":
		return "Starting"
	case "deleted":
		return "Removals"
	case "search index":
		return "Search index"
	}
	return capitalize(p)
}

// thousands writes 12345 as "12,345".
func thousands(n int) string {
	s := itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// thinBar is a slim progress bar: a track and its filled part.
type thinBar struct {
	widget.BaseWidget
	value float64 // 0–1
}

func newThinBar() *thinBar {
	b := &thinBar{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *thinBar) set(v float64) {
	v = min(max(v, 0), 1)
	if v != b.value {
		b.value = v
		b.Refresh()
	}
}

func (b *thinBar) CreateRenderer() fyne.WidgetRenderer {
	r := &thinBarRenderer{bar: b, track: canvas.NewRectangle(nil), fill: canvas.NewRectangle(nil)}
	r.track.CornerRadius, r.fill.CornerRadius = 2, 2
	r.Refresh()
	return r
}

type thinBarRenderer struct {
	bar         *thinBar
	track, fill *canvas.Rectangle
}

func (r *thinBarRenderer) Layout(s fyne.Size) {
	s = fyne.NewSize(max(s.Width, 0), max(s.Height, 0)) // a squeezed parent can hand out less than nothing
	r.track.Resize(s)
	r.fill.Resize(fyne.NewSize(s.Width*float32(r.bar.value), s.Height))
}

func (r *thinBarRenderer) MinSize() fyne.Size { return fyne.NewSize(20, 4) }

func (r *thinBarRenderer) Refresh() {
	r.track.FillColor = theme.Color(theme.ColorNameInputBorder)
	r.fill.FillColor = theme.Color(theme.ColorNamePrimary)
	r.Layout(r.bar.Size())
	canvas.Refresh(r.bar)
}

func (r *thinBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.fill} }
func (r *thinBarRenderer) Destroy()                     {}
