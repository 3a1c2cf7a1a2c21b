package desktop

import (
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// QuitGuard is the app as the faces see it, with a Quit that cannot hang
// the process. With Fyne v2.8.1, Run sometimes never returns after Quit:
// once its main loop has ended it waits for the lifecycle event queue,
// whose last item waits for that main loop (seen about once in a hundred
// quits under load). Quit therefore arms a timer: if the process is still
// there after the grace period, the timer runs the shutdown — what main
// does after Run returns: save, push the bookmark, end the session — and
// exits with status 0.
type QuitGuard struct {
	fyne.App
	grace time.Duration
	exit  func(code int)

	mu       sync.Mutex
	shutdown func()
	armed    bool
	once     sync.Once
}

// GuardQuit wraps a. Give the result to the faces as their App, and set
// the shutdown with SetShutdown once what it closes exists.
func GuardQuit(a fyne.App, grace time.Duration) *QuitGuard {
	return &QuitGuard{App: a, grace: grace, exit: os.Exit}
}

// SetShutdown sets what Shutdown runs.
func (g *QuitGuard) SetShutdown(f func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shutdown = f
}

// Quit quits the app, and exits the process after the grace period if
// the app has not returned from Run by then.
func (g *QuitGuard) Quit() {
	g.mu.Lock()
	arm := !g.armed
	g.armed = true
	g.mu.Unlock()
	if arm {
		time.AfterFunc(g.grace, func() {
			g.Shutdown()
			g.exit(0)
		})
	}
	g.App.Quit()
}

// Shutdown runs the shutdown once; a second call (main's, after Run
// returns, and the timer's) waits for the first to finish.
func (g *QuitGuard) Shutdown() {
	g.once.Do(func() {
		g.mu.Lock()
		f := g.shutdown
		g.mu.Unlock()
		if f != nil {
			f()
		}
	})
}
