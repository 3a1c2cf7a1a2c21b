package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// albumState is what Back restores: the album already loaded and the
// scroll position.
type albumState struct {
	id     client.ID
	album  *client.Album
	songs  []client.Song
	offset float32
}

// albumRow is a row of the tracklist: a disc heading or a song.
type albumRow struct {
	disc int // > 0: the heading of this disc
	song int // index into songs
}

// albumPage shows an album: cover, title, artist, year, genre, length,
// Play and Shuffle, and the tracklist with disc numbers and durations.
type albumPage struct {
	widget.BaseWidget
	pageBase
	state albumState

	cover   *cover
	title   *widget.Label
	artist  *linkText
	meta    *widget.RichText
	stars   *stars
	playBtn *widget.Button
	shufBtn *widget.Button
	favBtn  *widget.Button
	moreBtn *widget.Button
	list    *keyList
	status  *widget.Label
	rows    []albumRow
	cols    trackColumns
	playing client.ID
	root    fyne.CanvasObject
}

func newAlbumPage(e *env, st albumState) *albumPage {
	p := &albumPage{pageBase: newPageBase(e), state: st}
	p.cover = newCover(e, p.ctx, headerCover, iconAlbum)
	p.cover.set(client.TypeAlbum, st.id)
	p.title = heading("…")
	p.title.Wrapping = fyne.TextWrapWord
	p.title.Truncation = fyne.TextTruncateOff
	p.artist = newLinkText("", nil)
	p.artist.label.TextStyle.Bold = true
	p.meta = mutedText("")
	p.stars = newStars(0, nil)
	p.playBtn = widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), func() {
		if len(p.state.songs) > 0 {
			e.playSongs(p.state.songs, 0)
		}
	})
	p.playBtn.Importance = widget.HighImportance
	p.shufBtn = widget.NewButtonWithIcon("Shuffle", iconShuffle, func() {
		if t, ok := p.target(); ok {
			e.play(t, playShuffled)
		}
	})
	p.favBtn = iconButton(iconHeartOutline, func() {
		if t, ok := p.target(); ok {
			e.favourite(t, !t.flag)
		}
	})
	p.moreBtn = iconButton(theme.MoreHorizontalIcon(), func() {
		if t, ok := p.target(); ok {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.moreBtn)
			e.showActions(t, pos.Add(fyne.NewPos(0, p.moreBtn.Size().Height)))
		}
	})
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()
	p.setButtons(false)

	p.list = newKeyList(func() int { return len(p.rows) }, func() fyne.CanvasObject {
		disc := sectionHeading("")
		row := newTrackRow(p.cols)
		row.onTap = func(id int) { p.list.focusRow(e.Window.Canvas(), id) }
		row.onDouble = p.playFrom
		row.onMenu = func(id int, pos fyne.Position) {
			if s, ok := p.songAt(id); ok {
				e.showActions(p.songTarget(s), pos)
			}
		}
		return container.NewStack(disc, row)
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		objs := o.(*fyne.Container).Objects
		disc, row := objs[0].(*widget.Label), objs[1].(*trackRow)
		r := p.rows[id]
		if r.disc > 0 {
			disc.SetText(fmt.Sprintf("Disc %d", r.disc))
			disc.Show()
			row.Hide()
			return
		}
		disc.Hide()
		row.Show()
		s := p.state.songs[r.song]
		row.cols = p.cols
		row.setSong(id, itoa(int(s.Track)), s, s.ID == p.playing)
	})
	p.list.onActivate = p.playFrom
	p.list.onSpace = e.shell.playPause

	buttons := container.NewHBox(p.playBtn, p.shufBtn, p.favBtn, p.moreBtn)
	info := container.NewVBox(layout.NewSpacer(), captionText("ALBUM"), p.title, p.artist, p.meta,
		container.NewHBox(p.stars), buttons)
	header := container.NewBorder(nil, nil, container.NewVBox(p.cover), nil, container.NewPadded(info))
	p.root = container.NewBorder(container.NewVBox(header, p.status, widget.NewSeparator()), nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	if items, idx := e.Core.Queue(); idx >= 0 && idx < len(items) {
		p.playing = items[idx].ID
	}

	if st.album != nil {
		p.show(st.album, st.songs, nil)
	} else {
		c := e.Core
		goLoad(e, p.ctx, func(ctx context.Context) (albumLoad, error) {
			a, songs, err := c.Album(ctx, st.id)
			return albumLoad{a, songs}, err
		}, func(l albumLoad, err error) { p.show(l.album, l.songs, err) })
	}
	return p
}

type albumLoad struct {
	album *client.Album
	songs []client.Song
}

func (p *albumPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *albumPage) setButtons(on bool) {
	for _, b := range []*widget.Button{p.playBtn, p.shufBtn, p.favBtn, p.moreBtn} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (p *albumPage) show(a *client.Album, songs []client.Song, err error) {
	if err != nil {
		p.title.SetText("Album")
		p.status.SetText(core.Explain(err))
		p.status.Show()
		return
	}
	p.state.album, p.state.songs = a, songs
	p.title.SetText(a.Name)
	p.artist.SetText(a.Artist.Name)
	if a.Artist.ID != "" {
		id := a.Artist.ID
		p.artist.OnTapped = func() { p.env.navigate(ArtistRoute(id)) }
	}
	var meta []string
	if a.Year > 0 {
		meta = append(meta, itoa(int(a.Year)))
	}
	var genres []string
	for _, g := range a.Genres {
		genres = append(genres, g.Name)
	}
	if len(genres) > 0 {
		meta = append(meta, strings.Join(genres, ", "))
	}
	total := 0
	for _, s := range songs {
		total += int(s.Time)
	}
	meta = append(meta, plural(len(songs), "song", "songs"))
	if total > 0 {
		meta = append(meta, longDuration(total))
	}
	setText(p.meta, strings.Join(meta, " · "))
	p.stars.SetRating(ratingOf(a.Rating))
	p.stars.OnRate = func(n int) {
		if t, ok := p.target(); ok {
			p.env.rate(t, n)
		}
	}
	p.updateFav()

	// Disc headings when there is more than one disc; the artist column
	// when songs are by others than the album artist.
	p.rows = p.rows[:0]
	discs := map[int]bool{}
	for _, s := range songs {
		discs[int(s.Disc)] = true
		if s.Artist.Name != "" && s.Artist.Name != a.Artist.Name {
			p.cols.artist = true
		}
	}
	disc := -1
	for i, s := range songs {
		if len(discs) > 1 && int(s.Disc) != disc {
			disc = int(s.Disc)
			p.rows = append(p.rows, albumRow{disc: max(disc, 1)})
		}
		p.rows = append(p.rows, albumRow{song: i})
	}
	if len(songs) == 0 {
		p.status.SetText("This album has no songs.")
		p.status.Show()
	}
	p.setButtons(len(songs) > 0)
	p.list.Refresh()
	if p.state.offset > 0 {
		p.list.ScrollToOffset(p.state.offset)
	}
}

func (p *albumPage) updateFav() {
	if p.state.album != nil && bool(p.state.album.Flag) {
		p.favBtn.SetIcon(primary(iconHeart))
	} else {
		p.favBtn.SetIcon(iconHeartOutline)
	}
}

// target is the album, with the page kept in step with changes.
func (p *albumPage) target() (target, bool) {
	a := p.state.album
	if a == nil {
		return target{}, false
	}
	t := albumTarget(*a)
	t.songs = p.state.songs
	t.onRated = func(n int) {
		v := client.Int(n)
		a.Rating = &v
		p.stars.SetRating(n)
	}
	t.onFlagged = func(on bool) {
		a.Flag = client.Bool(on)
		p.updateFav()
	}
	return t, true
}

func (p *albumPage) songAt(row int) (client.Song, bool) {
	if row < 0 || row >= len(p.rows) || p.rows[row].disc > 0 {
		return client.Song{}, false
	}
	return p.state.songs[p.rows[row].song], true
}

func (p *albumPage) songTarget(s client.Song) target {
	t := songTarget(s)
	t.onRated = func(n int) {
		for i := range p.state.songs {
			if p.state.songs[i].ID == s.ID {
				v := client.Int(n)
				p.state.songs[i].Rating = &v
			}
		}
	}
	t.onFlagged = func(on bool) {
		for i := range p.state.songs {
			if p.state.songs[i].ID == s.ID {
				p.state.songs[i].Flag = client.Bool(on)
			}
		}
	}
	return t
}

// playFrom plays the album from a row's song.
func (p *albumPage) playFrom(row int) {
	if row < 0 || row >= len(p.rows) || p.rows[row].disc > 0 {
		return
	}
	p.env.playSongs(p.state.songs, p.rows[row].song)
}

func (p *albumPage) onEvent(ev core.Event) {
	if e, ok := ev.(core.TrackChanged); ok && e.Item.ID != p.playing {
		p.playing = e.Item.ID
		p.list.Refresh()
	}
}

func (p *albumPage) Route() Route { return AlbumRoute(p.state.id) }

func (p *albumPage) Save() Saved {
	p.cancel()
	st := p.state
	st.offset = p.list.GetScrollOffset()
	return savedFunc(func() Page { return newAlbumPage(p.env, st) })
}
