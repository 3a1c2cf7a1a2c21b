package core

import (
	"context"
	"fmt"
	"sync"

	"github.com/ampdesk/ampdesk/client"
)

// maxSyncRequests bounds the requests a sync has in flight at once.
const maxSyncRequests = 4

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
	p := &pipeline{ctx: ctx, cancel: cancel, sem: sem, jobs: make(chan func(context.Context) error, 2), written: make(chan struct{})}
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

// maxTailPages bounds the pages read one by one past the expected end.
const maxTailPages = 10000

// fetchPages reads every page of a list with pages of size items: the
// first page, then — when the server gives a total (or estimate > 0
// guesses one) — the pages up to it in parallel, then any further pages
// one at a time until a short page (totals can lag). deliver gets each
// page's items, from several goroutines at once. keyOf names an item, to
// notice a server that repeats a page instead of moving on.
func fetchPages[T any](ctx context.Context, sem chan struct{}, size, estimate int, fetch pageFunc[T], keyOf func(*T) client.ID, deliver func([]T) error) error {
	get := func(off int) (*client.Page[T], error) {
		return request(ctx, sem, func(ctx context.Context) (*client.Page[T], error) {
			return fetch(ctx, client.ListOptions{Offset: off, Limit: size})
		})
	}
	first, err := get(0)
	if err != nil {
		return err
	}
	firstKey := func(p *client.Page[T]) client.ID {
		if len(p.Items) == 0 {
			return ""
		}
		return keyOf(&p.Items[0])
	}
	prevKey := firstKey(first)
	if err := deliver(first.Items); err != nil {
		return err
	}
	if _, more := first.Next(); !more || len(first.Items) < size {
		return nil
	}
	total := first.Total
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
				if err == nil {
					err = deliver(p.Items)
				}
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if off == last && err == nil {
					lastFull = len(p.Items) >= size
					prevKey = firstKey(p)
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
		if len(p.Items) > 0 && firstKey(p) == prevKey {
			return fmt.Errorf("sync: %w", client.ErrPagingStalled)
		}
		prevKey = firstKey(p)
		if err := deliver(p.Items); err != nil {
			return err
		}
		if len(p.Items) < size {
			return nil
		}
		next += size
	}
	return fmt.Errorf("sync: more than %d pages past the server's total", maxTailPages)
}
