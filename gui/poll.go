package gui

import (
	"context"
	"time"
)

// poller refreshes a page now and then every interval, on one goroutine
// of its own, while the page is shown and the window is not hidden: the
// page starts and stops it as those change, and the page's context ends
// it for good. A refresh never overlaps the previous one; now asks for
// one at once (after a command). There is no ticker while it is stopped.
type poller struct {
	every   time.Duration
	refresh func(ctx context.Context)
	kick    chan struct{}

	// Owned by the UI goroutine.
	cancel context.CancelFunc
	done   chan struct{} // closed when the loop has ended
}

func newPoller(every time.Duration, refresh func(ctx context.Context)) *poller {
	return &poller{every: every, refresh: refresh, kick: make(chan struct{}, 1)}
}

// start runs the loop under parent unless it runs already.
func (p *poller) start(parent context.Context) {
	if p.cancel != nil || parent.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	p.cancel, p.done = cancel, done
	go func() {
		defer close(done)
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			p.refresh(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-p.kick:
			}
		}
	}()
}

// stop ends the loop (a refresh under way is cancelled).
func (p *poller) stop() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

// running reports whether the loop was started and not stopped.
func (p *poller) running() bool { return p.cancel != nil }

// now asks for a refresh at once; safe from any goroutine.
func (p *poller) now() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// ended is closed once the last loop started has ended (nil before any
// start). For tests.
func (p *poller) ended() <-chan struct{} { return p.done }
