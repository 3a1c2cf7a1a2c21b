package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Text helpers for a clear hierarchy: a page heading, section headings,
// body text and muted secondary text.

func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

func sectionHeading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameSubHeadingText
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

func boldLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func truncLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// mutedText is secondary text (placeholder colour), truncated.
func mutedText(text string) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, Inline: true, SizeName: theme.SizeNameText,
	}})
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

// countText is secondary text at its full width (counts next to titles).
func countText(text string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, Inline: true, SizeName: theme.SizeNameText,
	}})
}

// captionText is small secondary text (e.g. "ALBUM" over a title).
func captionText(text string) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: theme.ColorNamePlaceHolder, Inline: true, SizeName: theme.SizeNameCaptionText,
		TextStyle: fyne.TextStyle{Bold: true},
	}})
	return rt
}

// setText changes the text of a one-segment RichText.
func setText(rt *widget.RichText, text string) {
	if seg, ok := rt.Segments[0].(*widget.TextSegment); ok && seg.Text != text {
		seg.Text = text
		rt.Refresh()
	}
}

func textOf(rt *widget.RichText) string {
	if seg, ok := rt.Segments[0].(*widget.TextSegment); ok {
		return seg.Text
	}
	return ""
}

// iconButton is a flat button with an icon only.
func iconButton(icon fyne.Resource, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon("", icon, tapped)
	b.Importance = widget.LowImportance
	return b
}

// linkText is text that acts like a link: it underlines on hover and
// calls OnTapped (artist and album names).
type linkText struct {
	widget.BaseWidget
	label    *widget.Label
	OnTapped func()
}

var (
	_ fyne.Tappable      = (*linkText)(nil)
	_ desktop.Hoverable  = (*linkText)(nil)
	_ desktop.Cursorable = (*linkText)(nil)
)

func newLinkText(text string, tapped func()) *linkText {
	l := &linkText{label: truncLabel(text), OnTapped: tapped}
	l.ExtendBaseWidget(l)
	return l
}

func (l *linkText) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(l.label) }

func (l *linkText) SetText(s string) { l.label.SetText(s) }
func (l *linkText) Text() string     { return l.label.Text }

func (l *linkText) Tapped(*fyne.PointEvent) {
	if l.OnTapped != nil {
		l.OnTapped()
	}
}

func (l *linkText) MouseIn(*desktop.MouseEvent) {
	l.label.TextStyle.Underline = l.OnTapped != nil
	l.label.Refresh()
}
func (l *linkText) MouseMoved(*desktop.MouseEvent) {}
func (l *linkText) MouseOut() {
	l.label.TextStyle.Underline = false
	l.label.Refresh()
}

func (l *linkText) Cursor() desktop.Cursor {
	if l.OnTapped == nil {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

// navButton is an entry of the sidebar: icon and label, highlighted when
// its page is shown.
type navButton struct {
	widget.BaseWidget
	item     navItem
	selected bool
	hovered  bool
	bg       *canvas.Rectangle
	icon     *widget.Icon
	label    *widget.Label
	tapped   func()
}

func newNavButton(item navItem, tapped func()) *navButton {
	b := &navButton{item: item, tapped: tapped}
	b.bg = canvas.NewRectangle(color.Transparent)
	b.bg.CornerRadius = 6
	b.icon = widget.NewIcon(item.icon)
	b.label = widget.NewLabel(item.label)
	b.ExtendBaseWidget(b)
	return b
}

func (b *navButton) CreateRenderer() fyne.WidgetRenderer {
	row := container.NewBorder(nil, nil, container.NewPadded(b.icon), nil, b.label)
	return widget.NewSimpleRenderer(container.NewStack(b.bg, row))
}

func (b *navButton) setSelected(on bool) {
	if b.selected == on {
		return
	}
	b.selected = on
	b.Refresh()
}

func (b *navButton) Refresh() {
	switch {
	case b.selected:
		c := theme.Color(theme.ColorNameSelection)
		b.bg.FillColor = c
		b.icon.SetResource(primary(b.item.icon))
		b.label.TextStyle.Bold = true
	case b.hovered:
		b.bg.FillColor = theme.Color(theme.ColorNameHover)
		b.icon.SetResource(b.item.icon)
		b.label.TextStyle.Bold = false
	default:
		b.bg.FillColor = color.Transparent
		b.icon.SetResource(b.item.icon)
		b.label.TextStyle.Bold = false
	}
	b.bg.Refresh()
	b.label.Refresh()
}

func (b *navButton) Tapped(*fyne.PointEvent) { b.tapped() }
func (b *navButton) MouseIn(*desktop.MouseEvent) {
	b.hovered = true
	b.Refresh()
}
func (b *navButton) MouseMoved(*desktop.MouseEvent) {}
func (b *navButton) MouseOut() {
	b.hovered = false
	b.Refresh()
}
func (b *navButton) Cursor() desktop.Cursor { return desktop.PointerCursor }

// stars shows a 0–5 star rating; tapping star n rates n, tapping the
// current rating clears it.
type stars struct {
	widget.BaseWidget
	rating int
	icons  [5]*tapIcon
	OnRate func(int)
}

func newStars(rating int, onRate func(int)) *stars {
	s := &stars{rating: rating, OnRate: onRate}
	for i := range s.icons {
		n := i + 1
		s.icons[i] = newTapIcon(iconStar, func() { s.tap(n) })
	}
	s.ExtendBaseWidget(s)
	s.update()
	return s
}

func (s *stars) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(s.icons))
	for i, ic := range s.icons {
		objs[i] = ic
	}
	return widget.NewSimpleRenderer(container.New(layout.NewCustomPaddedHBoxLayout(0), objs...))
}

func (s *stars) tap(n int) {
	if n == s.rating {
		n = 0
	}
	s.SetRating(n)
	if s.OnRate != nil {
		s.OnRate(n)
	}
}

// SetRating shows a rating without reporting it.
func (s *stars) SetRating(n int) {
	s.rating = n
	s.update()
}

func (s *stars) update() {
	for i, ic := range s.icons {
		if i < s.rating {
			ic.setResource(primary(iconStar))
		} else {
			ic.setResource(muted(iconStar))
		}
	}
}

// tapIcon is a small tappable icon.
type tapIcon struct {
	widget.BaseWidget
	icon   *widget.Icon
	tapped func()
	size   float32
}

func newTapIcon(res fyne.Resource, tapped func()) *tapIcon {
	t := &tapIcon{icon: widget.NewIcon(res), tapped: tapped, size: 20}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapIcon) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.icon) }
func (t *tapIcon) MinSize() fyne.Size                  { return fyne.NewSquareSize(t.size) }
func (t *tapIcon) Tapped(*fyne.PointEvent)             { t.tapped() }
func (t *tapIcon) Cursor() desktop.Cursor              { return desktop.PointerCursor }
func (t *tapIcon) setResource(r fyne.Resource)         { t.icon.SetResource(r) }
