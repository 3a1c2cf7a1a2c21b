package gui

import (
	"context"

	"github.com/ampdesk/ampdesk/client"
)

// pager shows a long server list (100,000 songs) through a window of
// pages: it loads the page of each row being drawn (and the next or
// previous one near a page's edge) and forgets the pages farthest from
// the rows last drawn, so memory stays bounded however far one scrolls.
// All its methods run on the UI goroutine.
type pager[T any] struct {
	env      *env
	parent   context.Context
	ctx      context.Context
	cancel   context.CancelFunc
	pageSize int
	keep     int
	fetch    func(ctx context.Context, lo client.ListOptions) (*client.Page[T], error)
	// onChange runs after a page arrived (refresh the list).
	onChange func()
	// onError runs when a page fails.
	onError func(error)

	total   int // -1: unknown (the server sent no total_count)
	known   int // rows known to exist when total is unknown
	more    bool
	pages   map[int][]T
	loading map[int]bool
	use     []int // page numbers, most recently drawn last
	err     error
}

const (
	defaultPageSize = 500
	defaultKeep     = 8
	// albumPageSize is smaller: album objects are larger and the first
	// screen needs only a few dozen.
	albumPageSize = 200
)

func newPager[T any](e *env, parent context.Context, fetch func(context.Context, client.ListOptions) (*client.Page[T], error)) *pager[T] {
	return newPagerSized(e, parent, defaultPageSize, fetch)
}

func newPagerSized[T any](e *env, parent context.Context, size int, fetch func(context.Context, client.ListOptions) (*client.Page[T], error)) *pager[T] {
	p := &pager[T]{env: e, parent: parent, pageSize: size, keep: defaultKeep, fetch: fetch}
	p.reset(fetch)
	return p
}

// reset forgets everything and lists with fetch from the start.
func (p *pager[T]) reset(fetch func(context.Context, client.ListOptions) (*client.Page[T], error)) {
	if p.cancel != nil {
		p.cancel()
	}
	p.ctx, p.cancel = context.WithCancel(p.parent)
	p.fetch = fetch
	p.total, p.known, p.more, p.err = -1, 0, false, nil
	p.pages = map[int][]T{}
	p.loading = map[int]bool{}
	p.use = nil
}

// start loads the first page.
func (p *pager[T]) start() {
	p.load(0)
}

// Len is the number of rows to show: the server's total, or the rows seen
// so far plus one "loading" row while more may follow.
func (p *pager[T]) Len() int {
	if p.total >= 0 {
		return p.total
	}
	if p.more {
		return p.known + 1
	}
	return p.known
}

// Get returns row i if its page is here, else asks for the page.
func (p *pager[T]) Get(i int) (T, bool) {
	var zero T
	if i < 0 {
		return zero, false
	}
	n := i / p.pageSize
	p.touch(n)
	within := i % p.pageSize
	if within > p.pageSize*3/4 {
		p.want(n + 1)
	} else if within < p.pageSize/4 && n > 0 {
		p.want(n - 1)
	}
	items, ok := p.pages[n]
	if !ok {
		p.want(n)
		return zero, false
	}
	if within >= len(items) {
		return zero, false
	}
	return items[within], true
}

// pageOf returns the loaded rows of i's page and i's index among them.
func (p *pager[T]) pageOf(i int) ([]T, int) {
	items := p.pages[i/p.pageSize]
	return items, i % p.pageSize
}

func (p *pager[T]) want(n int) {
	if n < 0 || p.loading[n] {
		return
	}
	if _, ok := p.pages[n]; ok {
		return
	}
	if p.total >= 0 && n*p.pageSize >= p.total {
		return
	}
	if p.total < 0 && n*p.pageSize > p.known {
		return
	}
	p.load(n)
}

func (p *pager[T]) touch(n int) {
	if len(p.use) > 0 && p.use[len(p.use)-1] == n {
		return
	}
	for i, u := range p.use {
		if u == n {
			p.use = append(p.use[:i], p.use[i+1:]...)
			break
		}
	}
	p.use = append(p.use, n)
	if len(p.use) > 4*p.keep {
		p.use = p.use[len(p.use)-2*p.keep:]
	}
}

func (p *pager[T]) load(n int) {
	p.loading[n] = true
	ctx, fetch := p.ctx, p.fetch
	lo := client.ListOptions{Offset: n * p.pageSize, Limit: p.pageSize}
	goLoad(p.env, ctx, func(ctx context.Context) (*client.Page[T], error) {
		return fetch(ctx, lo)
	}, func(page *client.Page[T], err error) {
		if ctx != p.ctx { // reset meanwhile
			return
		}
		delete(p.loading, n)
		if err != nil {
			p.err = err
			if p.onError != nil {
				p.onError(err)
			}
			return
		}
		p.err = nil
		p.pages[n] = page.Items
		if page.Total >= 0 {
			p.total = page.Total
		} else {
			p.known = max(p.known, lo.Offset+len(page.Items))
			p.more = len(page.Items) == p.pageSize
			if !p.more {
				p.known = lo.Offset + len(page.Items)
			}
		}
		p.evict()
		if p.onChange != nil {
			p.onChange()
		}
	})
}

// evict forgets the pages farthest from the page drawn last.
func (p *pager[T]) evict() {
	for len(p.pages) > p.keep {
		anchor := 0
		if len(p.use) > 0 {
			anchor = p.use[len(p.use)-1]
		}
		far, dist := -1, -1
		for n := range p.pages {
			d := n - anchor
			if d < 0 {
				d = -d
			}
			if d > dist {
				far, dist = n, d
			}
		}
		delete(p.pages, far)
	}
}

// loadedPages is the number of pages held (for tests).
func (p *pager[T]) loadedPages() int { return len(p.pages) }
