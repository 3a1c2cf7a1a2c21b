package gui

import (
	"context"
	"sync"
)

// writeQueue runs changes to the server one after another, in the order
// they were asked for, each on a background context: leaving a page does
// not cancel an edit already made on screen (a reorder, a removal), and a
// later edit never overtakes an earlier one.
type writeQueue struct {
	mu      sync.Mutex
	pending []func(context.Context)
	running bool
}

// add queues w; a goroutine runs the queue while it is not empty.
func (q *writeQueue) add(w func(context.Context)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, w)
	if !q.running {
		q.running = true
		go q.run()
	}
}

func (q *writeQueue) run() {
	for {
		q.mu.Lock()
		if len(q.pending) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		w := q.pending[0]
		q.pending = q.pending[1:]
		q.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		w(ctx)
		cancel()
	}
}

// idle reports whether nothing is queued or running (for tests).
func (q *writeQueue) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return !q.running && len(q.pending) == 0
}
