package gui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

const topSongs = 10

// artistState is what Back restores.
type artistState struct {
	id      client.ID
	artist  *client.Artist
	albums  []client.Album
	top     []client.Song
	similar []client.Artist
	loaded  bool
	offset  fyne.Position
}

// artistPage shows an artist: albums, top songs and similar artists.
type artistPage struct {
	widget.BaseWidget
	pageBase
	state artistState

	art      *cover
	name     *widget.Label
	meta     *widget.RichText
	stars    *stars
	playBtn  *widget.Button
	shufBtn  *widget.Button
	favBtn   *widget.Button
	moreBtn  *widget.Button
	status   *widget.Label
	albums   *fyne.Container
	top      *fyne.Container
	similar  *fyne.Container
	sections *fyne.Container
	scroll   *container.Scroll
	playing  client.ID
	root     fyne.CanvasObject
}

type artistLoad struct {
	artist  *client.Artist
	albums  []client.Album
	top     []client.Song
	similar []client.Artist
}

func newArtistPage(e *env, st artistState) *artistPage {
	p := &artistPage{pageBase: newPageBase(e), state: st}
	p.art = newCover(e, p.ctx, headerCover, iconArtist)
	p.art.round = headerCover / 2
	p.art.bg.CornerRadius = headerCover / 2
	p.art.img.CornerRadius = headerCover / 2
	p.art.set(client.TypeArtist, st.id)
	p.name = heading("…")
	p.name.Truncation = fyne.TextTruncateEllipsis
	p.meta = mutedText("")
	p.stars = newStars(0, nil)
	p.playBtn = widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), func() {
		if t, ok := p.target(); ok {
			e.play(t, playNow)
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

	p.albums = container.NewGridWrap(fyne.NewSize(gridCover, gridCover+58))
	p.top = container.NewVBox()
	p.similar = container.NewGridWrap(fyne.NewSize(220, rowArt+16))
	p.sections = container.NewVBox()

	buttons := container.NewHBox(p.playBtn, p.shufBtn, p.favBtn, p.moreBtn)
	info := container.NewVBox(layout.NewSpacer(), captionText("ARTIST"), p.name, p.meta, container.NewHBox(p.stars), buttons)
	header := container.NewBorder(nil, nil, container.NewVBox(p.art), nil, container.NewPadded(info))
	p.scroll = container.NewVScroll(container.NewVBox(header, p.status, p.sections))
	p.root = p.scroll
	p.ExtendBaseWidget(p)
	if items, idx := e.Core.Queue(); idx >= 0 && idx < len(items) {
		p.playing = items[idx].ID
	}

	if st.loaded {
		p.show(artistLoad{st.artist, st.albums, st.top, st.similar}, nil)
		p.scroll.Offset = st.offset
	} else {
		c := e.Core
		goLoad(e, p.ctx, func(ctx context.Context) (artistLoad, error) {
			var l artistLoad
			var err error
			if l.artist, err = c.Artist(ctx, st.id); err != nil {
				return l, err
			}
			if l.albums, err = c.ArtistAlbums(ctx, st.id); err != nil {
				return l, err
			}
			if l.top, err = c.TopSongs(ctx, st.id, topSongs); err != nil {
				return l, err
			}
			// Similar artists need the server's last.fm data: their absence
			// is no error.
			l.similar, _ = c.SimilarArtists(ctx, st.id, 12)
			return l, nil
		}, p.show)
	}
	return p
}

func (p *artistPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *artistPage) show(l artistLoad, err error) {
	if err != nil {
		p.name.SetText("Artist")
		p.status.SetText(core.Explain(err))
		p.status.Show()
		return
	}
	e := p.env
	p.state.artist, p.state.albums, p.state.top, p.state.similar, p.state.loaded = l.artist, l.albums, l.top, l.similar, true
	a := l.artist
	p.name.SetText(a.Name)
	meta := []string{plural(len(l.albums), "album", "albums")}
	if a.SongCount > 0 {
		meta = append(meta, plural(int(a.SongCount), "song", "songs"))
	}
	var genres []string
	for _, g := range a.Genres {
		genres = append(genres, g.Name)
	}
	if len(genres) > 0 {
		meta = append(meta, strings.Join(genres, ", "))
	}
	setText(p.meta, strings.Join(meta, " · "))
	p.stars.SetRating(ratingOf(a.Rating))
	p.stars.OnRate = func(n int) {
		if t, ok := p.target(); ok {
			e.rate(t, n)
		}
	}
	p.updateFav()

	p.sections.RemoveAll()
	if len(l.albums) > 0 {
		p.albums.RemoveAll()
		for _, al := range l.albums {
			c := newAlbumCard(e, p.ctx)
			c.byline = yearAndSongs
			c.onOpen = func(a client.Album) { e.navigate(AlbumRoute(a.ID)) }
			c.onPlay = func(a client.Album) { e.play(albumTarget(a), playNow) }
			c.onMenu = func(a client.Album, pos fyne.Position) { e.showActions(albumTarget(a), pos) }
			c.setAlbum(al)
			p.albums.Add(c)
		}
		p.sections.Add(sectionHeading("Albums"))
		p.sections.Add(p.albums)
	}
	if len(l.top) > 0 {
		p.top.RemoveAll()
		for i, s := range l.top {
			r := newTrackRow(trackColumns{album: false})
			r.onDouble = func(int) { e.playSongs(l.top, i) }
			r.onMenu = func(_ int, pos fyne.Position) { e.showActions(songTarget(s), pos) }
			r.setSong(i, itoa(i+1), s, s.ID == p.playing)
			p.top.Add(r)
		}
		p.sections.Add(sectionHeading("Top songs"))
		p.sections.Add(p.top)
	}
	if len(l.similar) > 0 {
		p.similar.RemoveAll()
		for i, sa := range l.similar {
			r := newEntityRow(e, p.ctx, iconArtist)
			r.more.Hide()
			r.onTap = func(int) { e.navigate(ArtistRoute(sa.ID)) }
			r.onMenu = func(_ int, pos fyne.Position) { e.showActions(artistTarget(sa), pos) }
			r.set(i, sa.Name, plural(int(sa.AlbumCount), "album", "albums"), client.TypeArtist, sa.ID)
			r.more.Hide()
			p.similar.Add(r)
		}
		p.sections.Add(sectionHeading("Similar artists"))
		p.sections.Add(p.similar)
	}
	p.playBtn.Enable()
	p.shufBtn.Enable()
}

func (p *artistPage) updateFav() {
	if p.state.artist != nil && bool(p.state.artist.Flag) {
		p.favBtn.SetIcon(primary(iconHeart))
	} else {
		p.favBtn.SetIcon(iconHeartOutline)
	}
}

func (p *artistPage) target() (target, bool) {
	a := p.state.artist
	if a == nil {
		return target{}, false
	}
	t := artistTarget(*a)
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

func (p *artistPage) onEvent(ev core.Event) {
	e, ok := ev.(core.TrackChanged)
	if !ok || e.Item.ID == p.playing {
		return
	}
	p.playing = e.Item.ID
	for _, o := range p.top.Objects {
		if r, ok := o.(*trackRow); ok && r.id < len(p.state.top) {
			r.setCurrent(p.state.top[r.id].ID == p.playing)
		}
	}
}

func (p *artistPage) Route() Route { return ArtistRoute(p.state.id) }

func (p *artistPage) Save() Saved {
	p.cancel()
	st := p.state
	st.offset = p.scroll.Offset
	e := p.env
	return savedFunc(func() Page { return newArtistPage(e, st) })
}
