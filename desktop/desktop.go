package desktop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/desktop/control"
)

// Deps is what the desktop services work with.
type Deps struct {
	App  fyne.App
	Core *core.Core
	// Instance is the claimed single instance (ClaimInstance); its socket
	// is served until Stop, which closes it. nil: no control socket.
	Instance *control.Instance
	// Show, Hide and Quit act on the window and the app; they are called
	// on the UI goroutine. Show should also raise and focus the window.
	// A nil Show or Hide leaves the tray's Show/Hide item out; a nil Quit
	// quits the Fyne app.
	Show, Hide, Quit func()
	// ArtPath returns a local image file with the art of an item, or ""
	// when it has none. Optional (MPRIS then sends no mpris:artUrl); it may
	// block on the network and is never called on the UI goroutine. See
	// CachedArtPath.
	ArtPath func(ctx context.Context, item core.Item) (string, error)
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

// ErrAlreadyRunning is returned by ClaimInstance when another Ampdesk
// uses the same config folder: call Raise and exit.
var ErrAlreadyRunning = control.ErrAlreadyRunning

// ClaimInstance makes this process the one Ampdesk for configDir (the
// resolved storage.Dirs.Config). Pass the instance to Start in Deps.
func ClaimInstance(configDir string) (*control.Instance, error) {
	return control.Claim(configDir)
}

// Raise asks the running instance for configDir to show its window. It
// retries for a few seconds while that instance is still starting (it
// holds the lock but does not listen yet).
func Raise(ctx context.Context, configDir string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for tries := 0; ; tries++ {
		_, err := control.Send(ctx, configDir, control.Request{Command: control.CmdRaise})
		switch {
		case errors.Is(err, control.ErrNotRunning):
		case err != nil && ctx.Err() != nil && tries > 0:
			return control.ErrNotRunning // the time ran out while trying again
		default:
			return err
		}
		select {
		case <-ctx.Done():
			return control.ErrNotRunning
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Services are the running desktop integrations. Their methods are safe
// from any goroutine unless they say otherwise.
type Services struct {
	deps Deps
	core *core.Core
	log  *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	unsub  func()

	visible  atomic.Bool
	tray     *tray    // nil when the app has no system tray
	platform platform // MPRIS on Linux
	notes    *notifier
	stopOnce sync.Once
}

// platform is what differs per system: the media integration (MPRIS on
// Linux) and whether a tray host is present.
type platform interface {
	// refresh tells the media integration that the player's state may
	// have changed (called on the event goroutine, and after a command).
	refresh()
	// position hands it a position event (to detect seeks).
	position(core.Position)
	// trayHost reports whether the desktop shows tray icons now.
	trayHost() bool
	close()
}

// Start starts the tray, MPRIS, notifications and the control socket. Call
// it on the UI goroutine (before or after the app's Run). It fails only on
// missing dependencies; a missing session bus or tray host is logged and
// the rest runs.
func Start(ctx context.Context, d Deps) (*Services, error) {
	if d.App == nil || d.Core == nil {
		if d.Instance != nil {
			d.Instance.Close()
		}
		return nil, fmt.Errorf("desktop: Start needs the App and the Core")
	}
	log := d.Logger
	if log == nil {
		log = slog.Default()
	}
	if d.Quit == nil {
		d.Quit = d.App.Quit
	}
	s := &Services{deps: d, core: d.Core, log: log}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.visible.Store(true)
	s.notes = newNotifier(s.ctx, d.App)
	// The tray before the platform: MPRIS calls (Raise) may come as soon
	// as the platform is up, and they update the tray.
	s.tray = newTray(s)
	s.platform = startPlatform(s)

	events, unsub := d.Core.Subscribe()
	s.unsub = unsub
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.follow(events)
	}()
	if d.Instance != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := d.Instance.Serve(s.ctx, s.handleControl); err != nil {
				s.log.Warn("control socket stopped", "err", err)
			}
		}()
	}
	return s, nil
}

// Stop ends every service and closes the instance. Call it once the app
// has quit (it may be called more than once).
func (s *Services) Stop() {
	s.stopOnce.Do(func() {
		s.cancel()
		s.unsub()
		s.wg.Wait()
		s.platform.close()
		if s.deps.Instance != nil {
			s.deps.Instance.Close()
		}
	})
}

// Rechecks after an event: the player publishes the Status that refresh
// reads just after it emits the event, so a refresh may see the state
// before it; with no further event (after Stop, Pause) it is looked at
// again, twice.
var recheckAfter = [...]time.Duration{100 * time.Millisecond, time.Second}

// follow applies the core's events, one at a time, until the
// subscription or the services end.
func (s *Services) follow(events <-chan core.Event) {
	recheck := time.NewTimer(time.Hour)
	recheck.Stop()
	defer recheck.Stop()
	stage := len(recheckAfter) // no recheck pending
	changed := func() {
		s.platform.refresh()
		s.tray.update()
		stage = 0
		recheck.Reset(recheckAfter[0])
	}
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-recheck.C:
			s.platform.refresh()
			s.tray.update()
			if stage++; stage < len(recheckAfter) {
				recheck.Reset(recheckAfter[stage] - recheckAfter[stage-1])
			}
		case ev, ok := <-events:
			if !ok {
				return
			}
			switch e := ev.(type) {
			case core.Position:
				s.platform.position(e)
			case core.TrackChanged:
				s.notes.trackChanged(e, s.core.Settings().Get())
				changed()
			case core.PlayerState, core.QueueChanged, core.QueueEnded, core.Dropped,
				core.Connected, core.Disconnected:
				changed()
			}
		}
	}
}

// TrayAvailable reports whether the tray icon is shown now: the app has a
// system tray and (on Linux) a StatusNotifierWatcher is on the session bus.
func (s *Services) TrayAvailable() bool {
	return s.tray != nil && s.platform.trayHost()
}

// CloseToTray reports whether closing the window should hide it to the
// tray: the CloseToTray setting is on and a tray is available.
func (s *Services) CloseToTray() bool {
	st := s.core.Settings().Get()
	return (st.CloseToTray == nil || *st.CloseToTray) && s.TrayAvailable()
}

// CloseWindow is the window's close intercept: it hides the window to the
// tray (CloseToTray) or quits. Call it on the UI goroutine.
func (s *Services) CloseWindow() {
	if s.CloseToTray() && s.deps.Hide != nil {
		s.hideWindow()
		return
	}
	s.deps.Quit()
}

// ShowWindow shows and raises the window. Call it on the UI goroutine.
func (s *Services) ShowWindow() {
	if s.deps.Show != nil {
		s.deps.Show()
	}
	s.visible.Store(true)
	s.tray.update()
}

func (s *Services) hideWindow() {
	if s.deps.Hide != nil {
		s.deps.Hide()
	}
	s.visible.Store(false)
	s.tray.update()
}

// raise shows the window from any goroutine.
func (s *Services) raise() { fyne.Do(s.ShowWindow) }

// quit quits the app from any goroutine.
func (s *Services) quit() { fyne.Do(s.deps.Quit) }
