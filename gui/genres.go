package gui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// genresPage lists the genres with what each holds.
type genresPage struct{ *pagedList[client.Genre] }

func newGenresPage(e *env, st listState) *genresPage {
	c := e.Core
	p := &genresPage{}
	fetch := func(filter string) func(context.Context, client.ListOptions) (*client.Page[client.Genre], error) {
		return func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Genre], error) {
			return c.Genres(ctx, &client.GenreListOptions{Filter: filter, ListOptions: lo})
		}
	}
	open := func(id int) {
		if g, ok := p.pager.Get(id); ok {
			e.navigate(GenreRoute(g.ID))
		}
	}
	p.pagedList = newPagedList(e, st, "Genres", [2]string{"genre", "genres"}, fetch,
		func() fyne.CanvasObject {
			r := newEntityRow(e, p.ctx, nil)
			r.onTap = open
			r.onMenu = func(id int, pos fyne.Position) {
				if g, ok := p.pager.Get(id); ok {
					e.showActions(genreTarget(g), pos)
				}
			}
			return r
		},
		func(id int, g client.Genre, ok bool, o fyne.CanvasObject) {
			r := o.(*entityRow)
			if !ok {
				r.setLoading(id)
				return
			}
			r.set(id, g.Name, genreCounts(g), "", "")
		})
	p.list.onActivate = open
	return p
}

func genreCounts(g client.Genre) string {
	return strings.Join([]string{
		plural(int(g.Albums), "album", "albums"),
		plural(int(g.Artists), "artist", "artists"),
		plural(int(g.Songs), "song", "songs"),
	}, " · ")
}

func (p *genresPage) Route() Route { return Route{Page: PageGenres} }

func (p *genresPage) Save() Saved {
	st := p.saveState()
	e := p.env
	return savedFunc(func() Page { return newGenresPage(e, st) })
}

// genreState is what Back restores.
type genreState struct {
	id      client.ID
	genre   *client.Genre
	albums  []client.Album
	artists []client.Artist
	tab     int
}

// genrePage shows a genre's albums, artists and songs in tabs; the songs
// are paged from the server.
type genrePage struct {
	widget.BaseWidget
	pageBase
	state genreState

	name    *widget.Label
	meta    *widget.RichText
	status  *widget.Label
	tabs    *container.AppTabs
	albums  *widget.GridWrap
	artists *widget.List
	songs   *keyList
	pager   *pager[client.Song]
	root    fyne.CanvasObject
}

type genreLoad struct {
	genre   *client.Genre
	albums  []client.Album
	artists []client.Artist
}

func newGenrePage(e *env, st genreState) *genrePage {
	p := &genrePage{pageBase: newPageBase(e), state: st}
	c := e.Core
	p.name = heading("…")
	p.name.Truncation = fyne.TextTruncateEllipsis
	p.meta = mutedText("")
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()
	playBtn := widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), func() { e.play(p.target(), playNow) })
	playBtn.Importance = widget.HighImportance
	shufBtn := widget.NewButtonWithIcon("Shuffle", iconShuffle, func() { e.play(p.target(), playShuffled) })

	p.albums = widget.NewGridWrap(func() int { return len(p.state.albums) }, func() fyne.CanvasObject {
		card := newAlbumCard(e, p.ctx)
		card.onOpen = func(a client.Album) { e.navigate(AlbumRoute(a.ID)) }
		card.onPlay = func(a client.Album) { e.play(albumTarget(a), playNow) }
		card.onMenu = func(a client.Album, pos fyne.Position) { e.showActions(albumTarget(a), pos) }
		return card
	}, func(id widget.GridWrapItemID, o fyne.CanvasObject) {
		o.(*albumCard).setAlbum(p.state.albums[id])
	})
	p.artists = widget.NewList(func() int { return len(p.state.artists) }, func() fyne.CanvasObject {
		r := newEntityRow(e, p.ctx, iconArtist)
		r.onTap = func(id int) { e.navigate(ArtistRoute(p.state.artists[id].ID)) }
		r.onMenu = func(id int, pos fyne.Position) { e.showActions(artistTarget(p.state.artists[id]), pos) }
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		a := p.state.artists[id]
		o.(*entityRow).set(id, a.Name, artistCounts(a), client.TypeArtist, a.ID)
	})
	p.pager = newPager(e, p.ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
		return c.GenreSongs(ctx, st.id, lo)
	})
	p.pager.onChange = func() { p.songs.Refresh() }
	play := func(id int) {
		if _, ok := p.pager.Get(id); ok {
			songs, i := p.pager.pageOf(id)
			e.playSongs(songs, i)
		}
	}
	p.songs = newKeyList(p.pager.Len, func() fyne.CanvasObject {
		r := newTrackRow(trackColumns{artist: true, album: true})
		r.onTap = func(id int) { p.songs.focusRow(e.Window.Canvas(), id) }
		r.onDouble = play
		r.onMenu = func(id int, pos fyne.Position) {
			if s, ok := p.pager.Get(id); ok {
				e.showActions(songTarget(s), pos)
			}
		}
		return r
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		r := o.(*trackRow)
		if s, ok := p.pager.Get(id); ok {
			r.setSong(id, itoa(id+1), s, false)
		} else {
			r.setLoading(id)
		}
	})
	p.songs.onActivate = play
	p.songs.onSpace = e.shell.playPause

	p.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Albums", iconAlbum, p.albums),
		container.NewTabItemWithIcon("Artists", iconArtist, p.artists),
		container.NewTabItemWithIcon("Songs", iconSongs, p.songs),
	)
	p.tabs.SelectIndex(st.tab)
	header := container.NewVBox(captionText("GENRE"), p.name, p.meta, container.NewHBox(playBtn, shufBtn), p.status)
	p.root = container.NewBorder(header, nil, nil, nil, p.tabs)
	p.ExtendBaseWidget(p)
	p.pager.start()

	if st.genre != nil {
		p.show(genreLoad{st.genre, st.albums, st.artists}, nil)
	} else {
		goLoad(e, p.ctx, func(ctx context.Context) (genreLoad, error) {
			var l genreLoad
			cl, err := c.Client()
			if err != nil {
				return l, err
			}
			if l.genre, err = cl.Library.Genre(ctx, st.id); err != nil {
				return l, err
			}
			if l.albums, err = c.GenreAlbums(ctx, st.id); err != nil {
				return l, err
			}
			l.artists, err = c.GenreArtists(ctx, st.id)
			return l, err
		}, p.show)
	}
	return p
}

func (p *genrePage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *genrePage) target() target {
	if p.state.genre != nil {
		return genreTarget(*p.state.genre)
	}
	return genreTarget(client.Genre{ID: p.state.id, Name: "this genre"})
}

func (p *genrePage) show(l genreLoad, err error) {
	if err != nil {
		p.name.SetText("Genre")
		p.status.SetText(core.Explain(err))
		p.status.Show()
		return
	}
	p.state.genre, p.state.albums, p.state.artists = l.genre, l.albums, l.artists
	p.name.SetText(l.genre.Name)
	setText(p.meta, genreCounts(*l.genre))
	p.albums.Refresh()
	p.artists.Refresh()
}

func (p *genrePage) Route() Route { return GenreRoute(p.state.id) }

func (p *genrePage) Save() Saved {
	p.cancel()
	st := p.state
	st.tab = p.tabs.SelectedIndex()
	e := p.env
	return savedFunc(func() Page { return newGenrePage(e, st) })
}
