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

// albumSort is an order of the albums grid.
type albumSort int

const (
	sortName albumSort = iota
	sortArtist
	sortYear
	sortAdded
)

var albumSorts = []struct {
	label, param string
}{
	sortName:   {"Name", "name,ASC"},
	sortArtist: {"Artist", "album_artist,ASC"},
	sortYear:   {"Year", "year,DESC"},
	sortAdded:  {"Recently added", "addition_time,DESC"},
}

// albumsState is what Back restores: order, filter and scroll.
type albumsState struct {
	sort   albumSort
	filter string
	offset float32
}

// albumsPage is the grid of every album, paged from the server, with a
// sort and a filter that runs as one types.
type albumsPage struct {
	widget.BaseWidget
	pageBase
	state albumsState

	grid   *keyGrid
	pager  *pager[client.Album]
	filter *entry
	order  *widget.Select
	count  *widget.RichText
	status *widget.Label
	deb    *debouncer
	root   fyne.CanvasObject
}

func newAlbumsPage(e *env, st albumsState) *albumsPage {
	p := &albumsPage{pageBase: newPageBase(e), state: st}
	p.deb = newDebouncer(e.Debounce, e.do)
	p.pager = newPagerSized(e, p.ctx, albumPageSize, p.fetcher())
	p.pager.onChange = p.loaded
	p.pager.onError = func(err error) { p.status.SetText(core.Explain(err)); p.status.Show() }

	p.grid = newKeyGrid(p.pager.Len, func() fyne.CanvasObject {
		c := newAlbumCard(e, p.ctx)
		c.onOpen = func(a client.Album) { e.navigate(AlbumRoute(a.ID)) }
		c.onPlay = func(a client.Album) { e.play(albumTarget(a), playNow) }
		c.onMenu = func(a client.Album, pos fyne.Position) { e.showActions(albumTarget(a), pos) }
		return c
	}, func(id widget.GridWrapItemID, o fyne.CanvasObject) {
		c := o.(*albumCard)
		if a, ok := p.pager.Get(id); ok {
			c.setAlbum(a)
		} else {
			c.setAlbum(client.Album{})
		}
	})
	p.grid.onActivate = func(id int) {
		if a, ok := p.pager.Get(id); ok {
			e.navigate(AlbumRoute(a.ID))
		}
	}
	p.grid.onSpace = e.shell.playPause

	p.filter = newEntry(e)
	p.filter.SetPlaceHolder("Filter albums")
	p.filter.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.filter.SetText(st.filter)
	p.filter.OnChanged = func(s string) {
		p.deb.call(func() { p.setFilter(s) })
	}
	labels := make([]string, len(albumSorts))
	for i, s := range albumSorts {
		labels[i] = s.label
	}
	p.order = widget.NewSelect(labels, nil)
	p.order.SetSelectedIndex(int(st.sort))
	p.order.OnChanged = func(string) {
		p.state.sort = albumSort(p.order.SelectedIndex())
		p.reload()
	}
	p.count = countText("")
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()

	title := container.NewHBox(heading("Albums"), container.NewCenter(p.count))
	tools := container.NewHBox(widget.NewLabel("Sort"), withWidth(170, p.order), withWidth(240, p.filter))
	header := container.NewBorder(nil, nil, title, container.NewCenter(tools))
	p.root = container.NewBorder(container.NewVBox(header, p.status), nil, nil, nil, p.grid)
	p.ExtendBaseWidget(p)
	p.pager.start()
	return p
}

func (p *albumsPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

func (p *albumsPage) fetcher() func(context.Context, client.ListOptions) (*client.Page[client.Album], error) {
	filter, sort := strings.TrimSpace(p.state.filter), albumSorts[p.state.sort].param
	c := p.env.Core
	return func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Album], error) {
		return c.Albums(ctx, &client.AlbumListOptions{Filter: filter, SortOptions: client.SortOptions{Sort: sort}, ListOptions: lo})
	}
}

func (p *albumsPage) setFilter(s string) {
	if s == p.state.filter {
		return
	}
	p.state.filter = s
	p.reload()
}

func (p *albumsPage) reload() {
	p.state.offset = 0
	p.pager.reset(p.fetcher())
	p.pager.start()
	p.grid.ScrollToTop()
	p.grid.Refresh()
}

// loaded runs when a page of albums arrived.
func (p *albumsPage) loaded() {
	p.status.Hide()
	n := p.pager.Len()
	switch {
	case n == 0 && p.state.filter != "":
		p.status.SetText(fmt.Sprintf("No album matches “%s”.", p.state.filter))
		p.status.Show()
	case n == 0:
		p.status.SetText("The library has no albums yet.")
		p.status.Show()
	}
	setText(p.count, plural(n, "album", "albums"))
	p.grid.Refresh()
	if p.state.offset > 0 {
		p.grid.ScrollToOffset(p.state.offset)
		p.state.offset = 0
	}
}

func (p *albumsPage) Route() Route { return Route{Page: PageAlbums} }

func (p *albumsPage) Save() Saved {
	p.cancel()
	p.deb.stop()
	st := p.state
	st.offset = p.grid.GetScrollOffset()
	return savedFunc(func() Page { return newAlbumsPage(p.env, st) })
}

// savedFunc is a Saved that rebuilds its page with a function.
type savedFunc func() Page

func (f savedFunc) Restore() Page { return f() }
