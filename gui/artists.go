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

// listState is what Back restores of a filtered list: filter and scroll.
type listState struct {
	filter string
	offset float32
}

// pagedList is the frame the long lists share (artists, songs, genres):
// a heading with the count, a filter that runs as one types, and a
// virtualized list paged from the server.
type pagedList[T any] struct {
	widget.BaseWidget
	pageBase
	state  listState
	pager  *pager[T]
	list   *keyList
	filter *entry
	count  *widget.RichText
	status *widget.Label
	deb    *debouncer
	root   fyne.CanvasObject
	noun   [2]string
	fetch  func(filter string) func(context.Context, client.ListOptions) (*client.Page[T], error)
}

func newPagedList[T any](e *env, st listState, title string, noun [2]string,
	fetch func(filter string) func(context.Context, client.ListOptions) (*client.Page[T], error),
	create func() fyne.CanvasObject, update func(id int, item T, ok bool, o fyne.CanvasObject)) *pagedList[T] {
	p := &pagedList[T]{pageBase: newPageBase(e), state: st, noun: noun, fetch: fetch}
	p.deb = newDebouncer(e.Debounce, e.do)
	p.pager = newPager(e, p.ctx, fetch(strings.TrimSpace(st.filter)))
	p.pager.onChange = p.loaded
	p.pager.onError = func(err error) { p.status.SetText(core.Explain(err)); p.status.Show() }
	p.list = newKeyList(p.pager.Len, create, func(id widget.ListItemID, o fyne.CanvasObject) {
		item, ok := p.pager.Get(id)
		update(id, item, ok, o)
	})
	p.list.onSpace = e.shell.playPause

	p.filter = newEntry(e)
	p.filter.SetPlaceHolder("Filter " + noun[1])
	p.filter.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.filter.SetText(st.filter)
	p.filter.OnChanged = func(s string) { p.deb.call(func() { p.setFilter(s) }) }
	p.count = countText("")
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()

	head := container.NewBorder(nil, nil, container.NewHBox(heading(title), container.NewCenter(p.count)), container.NewCenter(withWidth(260, p.filter)))
	p.root = container.NewBorder(container.NewVBox(head, p.status), nil, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	p.pager.start()
	return p
}

func (p *pagedList[T]) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *pagedList[T]) setFilter(s string) {
	if s == p.state.filter {
		return
	}
	p.state.filter = s
	p.pager.reset(p.fetch(strings.TrimSpace(s)))
	p.pager.start()
	p.list.ScrollToTop()
	p.list.Refresh()
}

func (p *pagedList[T]) loaded() {
	p.status.Hide()
	n := p.pager.Len()
	if n == 0 {
		if p.state.filter != "" {
			p.status.SetText(fmt.Sprintf("Nothing matches “%s”.", p.state.filter))
		} else {
			p.status.SetText("The library has no " + p.noun[1] + " yet.")
		}
		p.status.Show()
	}
	setText(p.count, plural(n, p.noun[0], p.noun[1]))
	p.list.Refresh()
	if p.state.offset > 0 {
		p.list.ScrollToOffset(p.state.offset)
		p.state.offset = 0
	}
}

// saveState cancels the loads and returns the state to restore.
func (p *pagedList[T]) saveState() listState {
	p.cancel()
	p.deb.stop()
	st := p.state
	st.offset = p.list.GetScrollOffset()
	return st
}

// artistsPage lists every artist.
type artistsPage struct{ *pagedList[client.Artist] }

func newArtistsPage(e *env, st listState) *artistsPage {
	c := e.Core
	var p *artistsPage
	fetch := func(filter string) func(context.Context, client.ListOptions) (*client.Page[client.Artist], error) {
		return func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Artist], error) {
			return c.Artists(ctx, &client.ArtistListOptions{Filter: filter, ListOptions: lo})
		}
	}
	open := func(id int) {
		if a, ok := p.pager.Get(id); ok {
			e.navigate(ArtistRoute(a.ID))
		}
	}
	p = &artistsPage{}
	p.pagedList = newPagedList(e, st, "Artists", [2]string{"artist", "artists"}, fetch,
		func() fyne.CanvasObject {
			r := newEntityRow(e, p.ctx, iconArtist)
			r.onTap = open
			r.onMenu = func(id int, pos fyne.Position) {
				if a, ok := p.pager.Get(id); ok {
					e.showActions(artistTarget(a), pos)
				}
			}
			return r
		},
		func(id int, a client.Artist, ok bool, o fyne.CanvasObject) {
			r := o.(*entityRow)
			if !ok {
				r.setLoading(id)
				return
			}
			r.set(id, a.Name, artistCounts(a), client.TypeArtist, a.ID)
		})
	p.list.onActivate = open
	return p
}

func artistCounts(a client.Artist) string {
	parts := []string{plural(int(a.AlbumCount), "album", "albums")}
	if a.SongCount > 0 {
		parts = append(parts, plural(int(a.SongCount), "song", "songs"))
	}
	return strings.Join(parts, " · ")
}

func (p *artistsPage) Route() Route { return Route{Page: PageArtists} }

func (p *artistsPage) Save() Saved {
	st := p.saveState()
	e := p.env
	return savedFunc(func() Page { return newArtistsPage(e, st) })
}

// songsPage lists every song (100,000 and more: paged as one scrolls).
type songsPage struct{ *pagedList[client.Song] }

func newSongsPage(e *env, st listState) *songsPage {
	c := e.Core
	p := &songsPage{}
	fetch := func(filter string) func(context.Context, client.ListOptions) (*client.Page[client.Song], error) {
		return func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
			return c.Songs(ctx, &client.SongListOptions{Filter: filter, ListOptions: lo})
		}
	}
	play := func(id int) {
		if _, ok := p.pager.Get(id); ok {
			songs, i := p.pager.pageOf(id)
			e.playSongs(songs, i)
		}
	}
	p.pagedList = newPagedList(e, st, "Songs", [2]string{"song", "songs"}, fetch,
		func() fyne.CanvasObject {
			r := newTrackRow(trackColumns{artist: true, album: true})
			r.onTap = func(id int) { p.list.focusRow(e.Window.Canvas(), id) }
			r.onDouble = play
			r.onMenu = func(id int, pos fyne.Position) {
				if s, ok := p.pager.Get(id); ok {
					e.showActions(songTarget(s), pos)
				}
			}
			return r
		},
		func(id int, s client.Song, ok bool, o fyne.CanvasObject) {
			r := o.(*trackRow)
			if !ok {
				r.setLoading(id)
				return
			}
			r.setSong(id, itoa(id+1), s, false)
		})
	p.list.onActivate = play
	return p
}

func (p *songsPage) Route() Route { return Route{Page: PageSongs} }

func (p *songsPage) Save() Saved {
	st := p.saveState()
	e := p.env
	return savedFunc(func() Page { return newSongsPage(e, st) })
}
