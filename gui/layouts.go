package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Layouts the views share.

// fixedWidth gives an object a minimum width.
type fixedWidth struct{ width float32 }

func (l fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func withWidth(w float32, o fyne.CanvasObject) *fyne.Container {
	return container.New(fixedWidth{width: w}, o)
}

// maxWidth lays its objects out at most width wide, from the left.
type maxWidth struct{ width float32 }

func (l maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(min(size.Width, l.width), size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// cornerLayout puts its objects at the bottom-right corner.
type cornerLayout struct{ margin float32 }

func (l cornerLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		m := o.MinSize()
		o.Resize(m)
		o.Move(fyne.NewPos(size.Width-m.Width-l.margin, size.Height-m.Height-l.margin))
	}
}

func (l cornerLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// centerRatio centres one object at a fraction of the smaller side.
type centerRatio struct{ ratio float32 }

func (l *centerRatio) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	edge := min(size.Width, size.Height) * l.ratio
	for _, o := range objs {
		o.Resize(fyne.NewSquareSize(edge))
		o.Move(fyne.NewPos((size.Width-edge)/2, (size.Height-edge)/2))
	}
}

func (l *centerRatio) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// noticeLayout puts the notice at the bottom centre.
type noticeLayout struct{}

func (noticeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		m := o.MinSize()
		w := min(max(m.Width, 320), size.Width-40, 640)
		o.Resize(fyne.NewSize(w, 0))
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, size.Height-h-16))
	}
}

func (noticeLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

// inlineLayout places objects left to right at their natural text width,
// shrinking the widest when they do not fit.
type inlineLayout struct{}

func naturalWidth(o fyne.CanvasObject) float32 {
	var l *widget.Label
	switch x := o.(type) {
	case *widget.Label:
		l = x
	case *linkText:
		l = x.label
	}
	if l == nil || !o.Visible() {
		return 0
	}
	if l.Text == "" {
		return 0
	}
	pad := theme.Size(theme.SizeNameInnerPadding)
	return fyne.MeasureText(l.Text, theme.Size(theme.SizeNameText), l.TextStyle).Width + 2*pad + 4 // +4: rounding, or the label truncates
}

func (inlineLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Size(theme.SizeNameInnerPadding)
	widths := make([]float32, len(objs))
	var sum float32
	shown := 0
	for i, o := range objs {
		widths[i] = naturalWidth(o)
		if widths[i] > 0 {
			sum += widths[i]
			shown++
		}
	}
	// Neighbours overlap by one inner padding (labels pad both sides).
	avail := size.Width + pad*float32(max(shown-1, 0))
	for sum > avail {
		wi := 0
		for i := range widths {
			if widths[i] > widths[wi] {
				wi = i
			}
		}
		cut := min(sum-avail, widths[wi]/2+1)
		widths[wi] -= cut
		sum -= cut
	}
	x := float32(0)
	for i, o := range objs {
		if widths[i] <= 0 {
			o.Resize(fyne.NewSize(0, 0))
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(widths[i], h))
		x += widths[i] - pad
	}
}

func (inlineLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(10, h)
}

// tightVBox stacks objects with a fixed (possibly negative) gap.
type tightVBox struct{ gap float32 }

func (l *tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	total := l.MinSize(objs).Height
	y := (size.Height - total) / 2
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + l.gap
	}
}

func (l *tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
		if i > 0 {
			h += l.gap
		}
	}
	return fyne.NewSize(w, h)
}
