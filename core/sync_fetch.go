package core

import (
	"context"
	"fmt"
	"sync"

	"github.com/ampdesk/ampdesk/client"
)

// maxSyncRequests bounds the requests a sync has in flight at once, and
// so the pages it holds in memory. Three keep two cores busy decoding and
// writing while a request waits on the network; a fourth only made the
// 100k sync's heap larger and its garbage collections dearer.
const maxSyncRequests = 3

// pipeline runs a sync's fetchers concurrently (their requests bounded by
// a semaphore) and applies their writes one at a time, in one writer
// goroutine, in the order they arrive. The first error cancels the rest.
type pipeline struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	sem    chan struct{}

	jobs    chan func(context.Context) error
	fetch   sync.WaitGroup
	written chan struct{}
}

func newPipeline(ctx context.Context, sem chan struct{}) *pipeline {
	ctx, cancel := context.WithCancelCause(ctx)
	p := &pipeline{ctx: ctx, cancel: cancel, sem: sem, jobs: make(chan func(context.Context) error), written: make(chan struct{})}
	go func() {
		defer close(p.written)
		for job := range p.jobs {
			if p.ctx.Err() != nil {
				continue // drain
			}
			if err := job(p.ctx); err != nil {
				p.cancel(err)
			}
		}
	}()
	return p
}

// run starts a fetcher.
func (p *pipeline) run(fn func(ctx context.Context) error) {
	p.fetch.Add(1)
	go func() {
		defer p.fetch.Done()
		if err := fn(p.ctx); err != nil {
			p.cancel(err)
		}
	}()
}

// write queues a write; it waits while the writer is busy (bounding what
// is held in memory).
func (p *pipeline) write(job func(context.Context) error) error {
	select {
	case p.jobs <- job:
		return nil
	case <-p.ctx.Done():
		return context.Cause(p.ctx)
	}
}

// wait waits for the fetchers and the writes, and returns the first error.
func (p *pipeline) wait() error {
	p.fetch.Wait()
	close(p.jobs)
	<-p.written
	err := context.Cause(p.ctx)
	p.cancel(nil)
	return err
}

// request runs one request under the semaphore.
func request[T any](ctx context.Context, sem chan struct{}, fn func(context.Context) (T, error)) (T, error) {
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
	defer func() { <-sem }()
	return fn(ctx)
}

// pageFunc fetches one page of a list.
type pageFunc[T any] func(ctx context.Context, lo client.ListOptions) (*client.Page[T], error)

// pageSummary is what fetchPages keeps of a page it handed on.
type pageSummary struct {
	n, total int
	more     bool
	first    client.ID
}

// maxTailPages bounds the pages read one by one past the expected end.
const maxTailPages = 10000

// fetchPages reads every page of a list with pages of size items: the
// first page, then — when the server gives a total (or estimate > 0
// guesses one) — the pages up to it in parallel, then any further pages
// one at a time until a short page (totals can lag). deliver gets each
// page's items, from several goroutines at once. keyOf names an item, to
// notice a server that repeats a page instead of moving on.
func fetchPages[T any](ctx context.Context, sem chan struct{}, size, estimate int, fetch pageFunc[T], keyOf func(*T) client.ID, deliver func([]T) error) error {
	// get fetches a page and hands it on while holding a slot of the
	// semaphore, so that no more than its size of pages are in memory at
	// once, waiting for the writer included. It keeps only a summary of
	// the page.
	get := func(off int) (pageSummary, error) {
		return request(ctx, sem, func(ctx context.Context) (pageSummary, error) {
			p, err := fetch(ctx, client.ListOptions{Offset: off, Limit: size})
			if err != nil {
				return pageSummary{}, err
			}
			sum := pageSummary{n: len(p.Items), total: p.Total}
			_, sum.more = p.Next()
			if len(p.Items) > 0 {
				sum.first = keyOf(&p.Items[0])
			}
			items := p.Items
			p.Items = nil
			return sum, deliver(items)
		})
	}
	first, err := get(0)
	if err != nil {
		return err
	}
	prevKey := first.first
	if !first.more || first.n < size {
		return nil
	}
	total := first.total
	if total < 0 {
		total = estimate
	}
	next := size
	if total > size {
		// The pages up to the total, in parallel.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		lastFull := false
		last := (total - 1) / size * size
		for off := size; off <= last; off += size {
			wg.Add(1)
			go func(off int) {
				defer wg.Done()
				p, err := get(off)
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if off == last && err == nil {
					lastFull = p.n >= size
					prevKey = p.first
				}
			}(off)
		}
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
		if !lastFull {
			return nil
		}
		next = last + size
	}
	// One by one past the expected end.
	for range maxTailPages {
		p, err := get(next)
		if err != nil {
			return err
		}
		if p.n > 0 && p.first == prevKey {
			return fmt.Errorf("sync: %w", client.ErrPagingStalled)
		}
		prevKey = p.first
		if p.n < size {
			return nil
		}
		next += size
	}
	return fmt.Errorf("sync: more than %d pages past the server's total", maxTailPages)
}
