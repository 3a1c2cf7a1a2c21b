// Command ampdesk is a desktop client for the Ampache media server: with no
// arguments it opens the window, with --demo the window on an embedded demo
// server, and with a command it runs the command line (ampdesk help).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/ampdesk/ampdesk/assets"
	"github.com/ampdesk/ampdesk/cli"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/desktop"
	"github.com/ampdesk/ampdesk/gui"
	"github.com/ampdesk/ampdesk/storage"
)

// appID is the application's ID (FyneApp.toml).
const appID = "io.github.ampdesk"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if opts, ok := windowArgs(os.Args[1:]); ok {
		code := runWindow(ctx, opts)
		stop()
		os.Exit(code)
	}
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	code := cli.Run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}

// windowOptions are the flags of the window.
type windowOptions struct {
	demo      bool
	configDir string
	verbose   bool
}

// windowArgs reports whether the command line opens the window: nothing,
// or only --demo, --config-dir DIR and -v/--verbose. Anything else is the
// command line's.
func windowArgs(args []string) (windowOptions, bool) {
	var o windowOptions
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(args[i], "=")
		switch name {
		case "--demo", "-demo":
			if hasValue {
				return o, false
			}
			o.demo = true
		case "--config-dir", "-config-dir":
			if !hasValue {
				if i+1 >= len(args) {
					return o, false
				}
				i++
				value = args[i]
			}
			o.configDir = value
		case "-v", "--verbose":
			o.verbose = true
		default:
			return o, false
		}
	}
	return o, true
}

// checkDisplay says in plain words when there is no display to open the
// window on (the windowing library would only panic).
func checkDisplay() error {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios", "js":
		return nil
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); the command line works without one: ampdesk help")
	}
	return nil
}

// runWindow opens the window and runs until it is closed (or a signal
// asks to quit).
func runWindow(ctx context.Context, o windowOptions) int {
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "ampdesk: %s\n", core.Explain(err))
		return cli.ExitFailure
	}

	if err := checkDisplay(); err != nil {
		fmt.Fprintf(os.Stderr, "ampdesk: %v\n", err)
		return cli.ExitFailure
	}
	dirs, err := storage.ResolveDirs(o.configDir)
	if err != nil {
		return fail(err)
	}
	// One window per config folder: a second start raises the first.
	inst, err := desktop.ClaimInstance(dirs.Config)
	switch {
	case errors.Is(err, desktop.ErrAlreadyRunning):
		if err := desktop.Raise(ctx, dirs.Config); err != nil {
			return fail(err)
		}
		fmt.Println("Ampdesk is already running: its window was raised")
		return cli.ExitOK
	case err != nil:
		logger.Warn("no single-instance lock or control socket", "err", err)
	default:
		defer inst.Close() // Stop closes it too; closing twice is fine
	}
	c, err := core.New(core.Options{Dirs: dirs, Logger: logger})
	if err != nil {
		return fail(err)
	}
	settings := c.Settings().Get()
	cache, err := storage.OpenArtCache(filepath.Join(dirs.Cache, "art"), int64(settings.ArtCacheMB)<<20)
	if err != nil {
		logger.Warn("no art cache", "err", err)
		cache = nil
	}

	// The window's live heap is small (mostly fonts); a lower GC target
	// keeps the resident memory near it at the cost of a little CPU.
	debug.SetGCPercent(50)

	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	a.Settings().SetTheme(gui.Theme(settings.Theme))
	w := a.NewWindow("Ampdesk")
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()
	// The faces quit through the guard: it exits the process should Fyne's
	// Run not return after Quit.
	guard := desktop.GuardQuit(a, quitGrace)
	deps := gui.Deps{Core: c, App: guard, Window: w, ArtCache: cache, Logger: logger}
	art := core.NewArtSource(c, cache)
	deps.Art = art
	shell := gui.New(deps)
	// Tray, MPRIS, notifications and the control socket.
	svc, err := desktop.Start(ctx, desktop.Deps{
		App: a, Core: c, Instance: inst, Logger: logger,
		// The remote panels poll only while the window is on screen.
		Show:    func() { w.Show(); w.RequestFocus(); shell.SetWindowShown(true) },
		Hide:    func() { w.Hide(); shell.SetWindowShown(false) },
		Quit:    guard.Quit,
		ArtPath: desktop.CachedArtPath(art, filepath.Join(dirs.Cache, "mpris-art")),
	})
	if err != nil {
		return fail(err)
	}
	w.SetCloseIntercept(svc.CloseWindow)

	// The demo server starts on the connecting goroutine, so that the
	// window does not wait for its library to be generated.
	demo := make(chan *ampachetest.Server, 1)
	if o.demo {
		shell.StartConnecting("the demo server", func(ctx context.Context) error {
			srv := ampachetest.NewServer(ampachetest.Options{Library: cli.DemoLibrary()})
			demo <- srv
			return c.ConnectWith(ctx,
				storage.Profile{Name: "Demo", URL: srv.URL, User: srv.Admin.Username, Auth: storage.AuthPassword},
				client.Credentials{User: srv.Admin.Username, Password: srv.Admin.Password})
		})
	} else {
		close(demo)
		shell.Start()
	}
	guard.SetShutdown(func() {
		svc.Stop()
		shell.Close()
		art.Close()
		closeCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		c.Close(closeCtx)
		if o.demo {
			select {
			case srv := <-demo:
				srv.Close()
			case <-closeCtx.Done():
			}
		}
	})
	go func() {
		<-ctx.Done()
		fyne.Do(guard.Quit)
	}()
	w.ShowAndRun()
	guard.Shutdown()
	return cli.ExitOK
}

// quitGrace is how long Quit waits for Fyne's Run to return before the
// process shuts down and exits by itself (desktop.QuitGuard).
const quitGrace = 5 * time.Second
