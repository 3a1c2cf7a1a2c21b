package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// searchLimit is how many results of each kind a search shows.
const searchLimit = 20

// searchState is what Back restores: the text and its results, or the
// advanced search and its songs.
type searchState struct {
	text     string
	results  *client.SearchResults
	adv      *client.AdvancedSearch
	advSongs []client.Song
	offset   fyne.Position
}

// searchPage searches as one types (debounced) and shows the results
// grouped: artists, albums, songs, playlists, podcasts. Advanced search
// runs rules over songs.
type searchPage struct {
	widget.BaseWidget
	pageBase
	state searchState

	entry   *entry
	status  *widget.Label
	groups  *fyne.Container
	scroll  *container.Scroll
	deb     *debouncer
	running context.CancelFunc
	playing client.ID
	root    fyne.CanvasObject
}

func newSearchPage(e *env, st searchState) *searchPage {
	p := &searchPage{pageBase: newPageBase(e), state: st}
	p.deb = newDebouncer(e.Debounce, e.do)
	p.entry = newEntry(e)
	p.entry.SetPlaceHolder("Search songs, albums, artists, playlists and podcasts")
	p.entry.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.entry.SetText(st.text)
	p.entry.OnChanged = func(s string) { p.deb.call(func() { p.search(s) }) }
	p.entry.OnSubmitted = func(s string) {
		p.deb.stop()
		p.search(s)
	}
	adv := widget.NewButtonWithIcon("Advanced…", iconAdvancedQuery, func() {
		showAdvancedSearch(e, p.state.adv, p.runAdvanced)
	})
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.groups = container.NewVBox()
	p.scroll = container.NewVScroll(p.groups)
	top := container.NewVBox(heading("Search"), container.NewBorder(nil, nil, nil, adv, p.entry), p.status)
	p.root = container.NewBorder(top, nil, nil, nil, p.scroll)
	p.ExtendBaseWidget(p)
	if items, idx := e.Core.Queue(); idx >= 0 && idx < len(items) {
		p.playing = items[idx].ID
	}
	switch {
	case st.adv != nil && st.advSongs != nil:
		p.showAdvanced(st.advSongs, nil)
	case st.results != nil:
		p.show(st.text, st.results, nil)
	default:
		p.status.SetText("Type to search your library.")
	}
	p.scroll.Offset = st.offset
	return p
}

func (p *searchPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *searchPage) focusEntry() {
	if c := p.env.Window.Canvas(); c != nil {
		c.Focus(p.entry)
	}
}

// search runs the text search; an older one still running is cancelled.
func (p *searchPage) search(text string) {
	text = strings.TrimSpace(text)
	if p.running != nil {
		p.running()
	}
	p.state.adv, p.state.advSongs = nil, nil
	if text == "" {
		p.state.text, p.state.results = "", nil
		p.groups.RemoveAll()
		p.status.SetText("Type to search your library.")
		return
	}
	ctx, cancel := context.WithCancel(p.ctx)
	p.running = cancel
	p.status.SetText("Searching…")
	c := p.env.Core
	goLoad(p.env, ctx, func(ctx context.Context) (*client.SearchResults, error) {
		return c.Search(ctx, text, searchLimit)
	}, func(r *client.SearchResults, err error) { p.show(text, r, err) })
}

func (p *searchPage) show(text string, r *client.SearchResults, err error) {
	if err != nil {
		p.status.SetText(core.Explain(err))
		return
	}
	e := p.env
	p.state.text, p.state.results = text, r
	p.groups.RemoveAll()
	artists := r.Artists
	if len(artists) == 0 {
		artists = append(append(artists, r.AlbumArtists...), r.SongArtists...)
	}
	n := len(artists) + len(r.Albums) + len(r.Songs) + len(r.Playlists) + len(r.Podcasts)
	if n == 0 {
		p.status.SetText(fmt.Sprintf("Nothing found for “%s”.", text))
		return
	}
	p.status.SetText(fmt.Sprintf("%s for “%s”", plural(n, "result", "results"), text))
	if len(artists) > 0 {
		grid := container.NewGridWrap(fyne.NewSize(240, rowArt+16))
		for i, a := range artists {
			r := newEntityRow(e, p.ctx, iconArtist)
			r.onTap = func(int) { e.navigate(ArtistRoute(a.ID)) }
			r.onMenu = func(_ int, pos fyne.Position) { e.showActions(artistTarget(a), pos) }
			r.set(i, a.Name, artistCounts(a), client.TypeArtist, a.ID)
			grid.Add(r)
		}
		p.addGroup("Artists", grid)
	}
	if len(r.Albums) > 0 {
		grid := container.NewGridWrap(fyne.NewSize(gridCover, gridCover+58))
		for _, al := range r.Albums {
			c := newAlbumCard(e, p.ctx)
			c.onOpen = func(a client.Album) { e.navigate(AlbumRoute(a.ID)) }
			c.onPlay = func(a client.Album) { e.play(albumTarget(a), playNow) }
			c.onMenu = func(a client.Album, pos fyne.Position) { e.showActions(albumTarget(a), pos) }
			c.setAlbum(al)
			grid.Add(c)
		}
		p.addGroup("Albums", grid)
	}
	if len(r.Songs) > 0 {
		p.addGroup("Songs", p.songRows(r.Songs))
	}
	if len(r.Playlists) > 0 {
		grid := container.NewGridWrap(fyne.NewSize(240, rowArt+16))
		for i, pl := range r.Playlists {
			row := newEntityRow(e, p.ctx, iconQueue)
			t := playlistTarget(pl)
			row.onTap = func(int) { e.play(t, playNow) }
			row.onMenu = func(_ int, pos fyne.Position) { e.showActions(t, pos) }
			row.set(i, pl.Name, plural(int(pl.Items), "song", "songs"), client.TypePlaylist, pl.ID)
			grid.Add(row)
		}
		p.addGroup("Playlists", grid)
	}
	if len(r.Podcasts) > 0 {
		grid := container.NewGridWrap(fyne.NewSize(240, rowArt+16))
		for i, pc := range r.Podcasts {
			row := newEntityRow(e, p.ctx, iconSongs)
			t := target{typ: client.TypePodcast, id: pc.ID, name: pc.Name, rating: ratingOf(pc.Rating), flag: bool(pc.Flag)}
			row.onMenu = func(_ int, pos fyne.Position) { e.showActions(t, pos) }
			row.onTap = func(_ int) {
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(row)
				e.showActions(t, pos.Add(fyne.NewPos(0, row.Size().Height)))
			}
			row.set(i, pc.Name, "Podcast", client.TypePodcast, pc.ID)
			grid.Add(row)
		}
		p.addGroup("Podcasts", grid)
	}
	p.scroll.ScrollToTop()
}

func (p *searchPage) songRows(songs []client.Song) fyne.CanvasObject {
	e := p.env
	box := container.NewVBox()
	for i, s := range songs {
		r := newTrackRow(trackColumns{artist: true, album: true})
		r.onDouble = func(int) { e.playSongs(songs, i) }
		r.onMenu = func(_ int, pos fyne.Position) { e.showActions(songTarget(s), pos) }
		r.setSong(i, itoa(i+1), s, s.ID == p.playing)
		box.Add(r)
	}
	return box
}

func (p *searchPage) addGroup(title string, content fyne.CanvasObject) {
	p.groups.Add(sectionHeading(title))
	p.groups.Add(content)
}

// groupTitles lists the result groups shown (for tests).
func (p *searchPage) groupTitles() []string {
	var out []string
	for _, o := range p.groups.Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return out
}

func (p *searchPage) runAdvanced(q *client.AdvancedSearch) {
	if p.running != nil {
		p.running()
	}
	ctx, cancel := context.WithCancel(p.ctx)
	p.running = cancel
	p.state.adv = q
	p.status.SetText("Searching…")
	c := p.env.Core
	goLoad(p.env, ctx, func(ctx context.Context) ([]client.Song, error) {
		page, err := c.AdvancedSearchSongs(ctx, q)
		if err != nil {
			return nil, err
		}
		return page.Items, nil
	}, p.showAdvanced)
}

func (p *searchPage) showAdvanced(songs []client.Song, err error) {
	if err != nil {
		p.status.SetText(core.Explain(err))
		return
	}
	p.state.advSongs = songs
	p.groups.RemoveAll()
	if len(songs) == 0 {
		p.status.SetText("No song matches these rules.")
		return
	}
	p.status.SetText(plural(len(songs), "song matches", "songs match") + " the rules")
	play := widget.NewButtonWithIcon("Play all", theme.MediaPlayIcon(), func() { p.env.playSongs(songs, 0) })
	play.Importance = widget.HighImportance
	p.groups.Add(container.NewBorder(nil, nil, sectionHeading("Songs"), container.NewHBox(play)))
	p.groups.Add(p.songRows(songs))
}

func (p *searchPage) onEvent(ev core.Event) {
	if e, ok := ev.(core.TrackChanged); ok {
		p.playing = e.Item.ID
	}
}

func (p *searchPage) Route() Route { return Route{Page: PageSearch} }

func (p *searchPage) Save() Saved {
	p.cancel()
	p.deb.stop()
	st := p.state
	st.offset = p.scroll.Offset
	e := p.env
	return savedFunc(func() Page { return newSearchPage(e, st) })
}
