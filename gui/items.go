package gui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
)

// Sizes of the library's items.
const (
	gridCover   = 164 // album cover in grids
	rowArt      = 40  // art in list rows
	headerCover = 208 // cover on an album or artist page
)

// albumCard is an album in a grid: cover, title and artist, a play button
// over the cover on hover, the actions menu on secondary tap.
type albumCard struct {
	widget.BaseWidget
	cover  *cover
	title  *widget.Label
	artist *widget.RichText
	play   *widget.Button
	album  client.Album
	// byline says what the line under the title shows: the artist and
	// year (grids of many artists) or the year and length (an artist page).
	byline func(client.Album) string

	onOpen func(client.Album)
	onPlay func(client.Album)
	onMenu func(client.Album, fyne.Position)
}

var (
	_ fyne.Tappable          = (*albumCard)(nil)
	_ fyne.SecondaryTappable = (*albumCard)(nil)
	_ desktop.Hoverable      = (*albumCard)(nil)
)

func newAlbumCard(e *env, ctx context.Context) *albumCard {
	c := &albumCard{cover: newCover(e, ctx, gridCover, iconAlbum), title: boldLabel(""), artist: mutedText("")}
	c.play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), func() {
		if c.onPlay != nil && c.album.ID != "" {
			c.onPlay(c.album)
		}
	})
	c.play.Importance = widget.HighImportance
	c.play.Hide()
	c.ExtendBaseWidget(c)
	return c
}

func (c *albumCard) CreateRenderer() fyne.WidgetRenderer {
	art := container.NewStack(c.cover, container.New(cornerLayout{margin: 8}, c.play))
	text := container.New(layout.NewCustomPaddedVBoxLayout(-10), c.title, c.artist)
	return widget.NewSimpleRenderer(container.NewBorder(art, nil, nil, nil, text))
}

func (c *albumCard) setAlbum(a client.Album) {
	c.album = a
	c.title.SetText(a.Name)
	by := artistAndYear
	if c.byline != nil {
		by = c.byline
	}
	if a.ID == "" {
		by = func(client.Album) string { return "" }
	}
	setText(c.artist, by(a))
	c.cover.set(client.TypeAlbum, a.ID)
}

func (c *albumCard) Tapped(*fyne.PointEvent) {
	if c.onOpen != nil && c.album.ID != "" {
		c.onOpen(c.album)
	}
}

func (c *albumCard) TappedSecondary(ev *fyne.PointEvent) {
	if c.onMenu != nil && c.album.ID != "" {
		c.onMenu(c.album, ev.AbsolutePosition)
	}
}

func (c *albumCard) MouseIn(*desktop.MouseEvent)    { c.play.Show() }
func (c *albumCard) MouseMoved(*desktop.MouseEvent) {}
func (c *albumCard) MouseOut()                      { c.play.Hide() }
func (c *albumCard) Cursor() desktop.Cursor         { return desktop.PointerCursor }

func artistAndYear(a client.Album) string {
	var parts []string
	if a.Artist.Name != "" {
		parts = append(parts, a.Artist.Name)
	}
	if a.Year > 0 {
		parts = append(parts, itoa(int(a.Year)))
	}
	return strings.Join(parts, " · ")
}

func yearAndSongs(a client.Album) string {
	var parts []string
	if a.Year > 0 {
		parts = append(parts, itoa(int(a.Year)))
	}
	if a.SongCount > 0 {
		parts = append(parts, plural(int(a.SongCount), "song", "songs"))
	}
	return strings.Join(parts, " · ")
}

// trackColumns say which columns a trackRow shows.
type trackColumns struct {
	artist, album bool
}

// trackRow is a song in a list: number, title, artist, album, length and
// the actions button. Tap selects, double tap plays, secondary tap opens
// the actions menu.
type trackRow struct {
	widget.BaseWidget
	cols   trackColumns
	num    *widget.Label
	title  *widget.Label
	artist *widget.Label
	album  *widget.Label
	length *widget.Label
	more   *widget.Button

	id      int
	current bool

	onTap    func(id int)
	onDouble func(id int)
	onMenu   func(id int, pos fyne.Position)
}

var (
	_ fyne.Tappable          = (*trackRow)(nil)
	_ fyne.DoubleTappable    = (*trackRow)(nil)
	_ fyne.SecondaryTappable = (*trackRow)(nil)
)

func newTrackRow(cols trackColumns) *trackRow {
	r := &trackRow{cols: cols, num: widget.NewLabel(""), title: truncLabel(""), artist: truncLabel(""),
		album: truncLabel(""), length: widget.NewLabel("")}
	r.num.Alignment = fyne.TextAlignTrailing
	r.num.Importance = widget.LowImportance
	r.length.Alignment = fyne.TextAlignTrailing
	r.length.Importance = widget.LowImportance
	r.artist.Importance = widget.LowImportance
	r.album.Importance = widget.LowImportance
	r.more = iconButton(theme.MoreHorizontalIcon(), func() {
		if r.onMenu != nil && r.id >= 0 {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.more)
			r.onMenu(r.id, pos.Add(fyne.NewPos(0, r.more.Size().Height)))
		}
	})
	r.ExtendBaseWidget(r)
	return r
}

func (r *trackRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&trackLayout{row: r},
		r.num, r.title, r.artist, r.album, r.length, r.more))
}

// setSong shows a song; num is the track number or position shown.
func (r *trackRow) setSong(id int, num string, s client.Song, current bool) {
	r.id = id
	r.num.SetText(num)
	r.title.SetText(s.Title)
	r.artist.SetText(s.Artist.Name)
	r.album.SetText(s.Album.Name)
	r.length.SetText(seconds(int(s.Time)))
	r.setCurrent(current)
	r.more.Show()
}

// setLoading shows a row whose song is still on its way.
func (r *trackRow) setLoading(id int) {
	r.id = id
	r.num.SetText("")
	r.title.SetText("…")
	r.artist.SetText("")
	r.album.SetText("")
	r.length.SetText("")
	r.setCurrent(false)
	r.more.Hide()
}

func (r *trackRow) setCurrent(on bool) {
	if r.current == on {
		return
	}
	r.current = on
	if on {
		r.title.Importance = widget.HighImportance
		r.title.TextStyle.Bold = true
	} else {
		r.title.Importance = widget.MediumImportance
		r.title.TextStyle.Bold = false
	}
	r.title.Refresh()
}

func (r *trackRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap(r.id)
	}
}

func (r *trackRow) DoubleTapped(*fyne.PointEvent) {
	if r.onDouble != nil {
		r.onDouble(r.id)
	}
}

func (r *trackRow) TappedSecondary(ev *fyne.PointEvent) {
	if r.onMenu != nil {
		r.onMenu(r.id, ev.AbsolutePosition)
	}
}

// trackLayout lays out num, title, artist, album, length, more.
type trackLayout struct{ row *trackRow }

const (
	numWidth    = 48
	lengthWidth = 64
)

func (l *trackLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	num, title, artist, album, length, more := objs[0], objs[1], objs[2], objs[3], objs[4], objs[5]
	moreW := more.MinSize().Width
	h := size.Height
	place := func(o fyne.CanvasObject, x, w float32) {
		oh := o.MinSize().Height
		o.Move(fyne.NewPos(x, (h-oh)/2))
		o.Resize(fyne.NewSize(max(w, 0), oh))
	}
	place(num, 0, numWidth)
	place(more, size.Width-moreW, moreW)
	place(length, size.Width-moreW-lengthWidth, lengthWidth)
	rest := size.Width - numWidth - moreW - lengthWidth
	x := float32(numWidth)
	cols := l.row.cols
	artist.Hide()
	album.Hide()
	switch {
	case cols.artist && cols.album:
		place(title, x, rest*0.44)
		place(artist, x+rest*0.44, rest*0.28)
		place(album, x+rest*0.72, rest*0.28)
		artist.Show()
		album.Show()
	case cols.artist:
		place(title, x, rest*0.6)
		place(artist, x+rest*0.6, rest*0.4)
		artist.Show()
	default:
		place(title, x, rest)
	}
}

func (l *trackLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(numWidth+lengthWidth+200, h)
}

// entityRow is an artist, genre, playlist or podcast in a list: optional
// art, a name, a muted line and the actions button.
type entityRow struct {
	widget.BaseWidget
	art    *cover
	name   *widget.Label
	sub    *widget.RichText
	more   *widget.Button
	id     int
	onTap  func(id int)
	onMenu func(id int, pos fyne.Position)
}

var (
	_ fyne.Tappable          = (*entityRow)(nil)
	_ fyne.SecondaryTappable = (*entityRow)(nil)
)

// newEntityRow makes a row; placeholder nil means no art column.
func newEntityRow(e *env, ctx context.Context, placeholder fyne.Resource) *entityRow {
	r := &entityRow{name: boldLabel(""), sub: mutedText("")}
	if placeholder != nil {
		r.art = newCover(e, ctx, rowArt, placeholder)
		r.art.round = rowArt / 2
		r.art.bg.CornerRadius = rowArt / 2
		r.art.img.CornerRadius = rowArt / 2
	}
	r.more = iconButton(theme.MoreHorizontalIcon(), func() {
		if r.onMenu != nil {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.more)
			r.onMenu(r.id, pos.Add(fyne.NewPos(0, r.more.Size().Height)))
		}
	})
	r.ExtendBaseWidget(r)
	return r
}

func (r *entityRow) CreateRenderer() fyne.WidgetRenderer {
	text := container.New(layout.NewCustomPaddedVBoxLayout(-12), r.name, r.sub)
	var left fyne.CanvasObject
	if r.art != nil {
		left = container.NewCenter(r.art)
	}
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, left, container.NewCenter(r.more), text))
}

func (r *entityRow) set(id int, name, sub string, typ client.ObjectType, artID client.ID) {
	r.id = id
	r.name.SetText(name)
	setText(r.sub, sub)
	if r.art != nil {
		r.art.set(typ, artID)
	}
	r.more.Show()
}

func (r *entityRow) setLoading(id int) {
	r.id = id
	r.name.SetText("…")
	setText(r.sub, "")
	if r.art != nil {
		r.art.set("", "")
	}
	r.more.Hide()
}

func (r *entityRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap(r.id)
	}
}

func (r *entityRow) TappedSecondary(ev *fyne.PointEvent) {
	if r.onMenu != nil {
		r.onMenu(r.id, ev.AbsolutePosition)
	}
}

func (r *entityRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

// keyList is a List that plays/pauses on space and activates the
// highlighted row on Enter (arrows move the highlight as usual).
type keyList struct {
	widget.List
	highlighted int
	onActivate  func(id int)
	onSpace     func()
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.OnHighlighted = func(id widget.ListItemID) { l.highlighted = id }
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyList) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace:
		if l.onSpace != nil {
			l.onSpace()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if l.onActivate != nil && l.highlighted >= 0 && l.highlighted < l.Length() {
			l.onActivate(l.highlighted)
		}
	default:
		l.List.TypedKey(ev)
	}
}

// focusRow selects and highlights a row and gives the list the keyboard.
func (l *keyList) focusRow(c fyne.Canvas, id int) {
	l.Highlight(id) // arrows move on from here
	l.Select(id)
	if c != nil {
		c.Focus(l)
	}
}

// keyGrid is a GridWrap with the same keys as keyList.
type keyGrid struct {
	widget.GridWrap
	highlighted int
	onActivate  func(id int)
	onSpace     func()
}

func newKeyGrid(length func() int, create func() fyne.CanvasObject, update func(widget.GridWrapItemID, fyne.CanvasObject)) *keyGrid {
	g := &keyGrid{}
	g.Length, g.CreateItem, g.UpdateItem = length, create, update
	g.OnHighlighted = func(id widget.GridWrapItemID) { g.highlighted = id }
	g.ExtendBaseWidget(g)
	return g
}

func (g *keyGrid) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace:
		if g.onSpace != nil {
			g.onSpace()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if g.onActivate != nil && g.highlighted >= 0 && g.highlighted < g.Length() {
			g.onActivate(g.highlighted)
		}
	default:
		g.GridWrap.TypedKey(ev)
	}
}
