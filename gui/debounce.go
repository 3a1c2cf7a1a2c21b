package gui

import (
	"sync"
	"time"
)

// debouncer runs the last function it was given once no new one came for
// its delay; the function runs on the UI goroutine through do.
type debouncer struct {
	delay time.Duration
	do    func(func())

	mu    sync.Mutex
	timer *time.Timer
	gen   int
}

func newDebouncer(delay time.Duration, do func(func())) *debouncer {
	return &debouncer{delay: delay, do: do}
}

// call schedules fn, replacing one still waiting.
func (d *debouncer) call(fn func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	gen := d.gen
	if d.timer != nil {
		d.timer.Stop()
	}
	d.timer = time.AfterFunc(d.delay, func() {
		d.mu.Lock()
		current := gen == d.gen
		d.mu.Unlock()
		if current {
			d.do(fn)
		}
	})
}

// stop drops a function still waiting.
func (d *debouncer) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
	}
}
