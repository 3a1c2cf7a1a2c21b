// Command traydemo runs Ampdesk's desktop services — the tray, MPRIS,
// notifications and the control socket — in a real Fyne app on an
// in-process demo server, playing into memory. The desktop package's
// integration test drives it with status-notifier-watcher, busctl and
// playerctl; it also shows main how to wire desktop.Start.
//
//	traydemo -config DIR [-album ID]
//
// It prints one JSON line per event on stdout: ready (with its pid and the
// queue's titles), shown, hidden, raised-other (a second start raised the
// first and exits).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/desktop"
	"github.com/ampdesk/ampdesk/storage"
)

func main() {
	configDir := flag.String("config", "", "config folder (one instance per folder)")
	album := flag.String("album", "2", "album to play (album 2 is the first generated one: songs of 95 s and more)")
	flag.Parse()
	if *configDir == "" {
		fmt.Fprintln(os.Stderr, "traydemo: -config is required")
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if err := run(*configDir, *album, log); err != nil {
		fmt.Fprintln(os.Stderr, "traydemo:", err)
		os.Exit(1)
	}
}

var printMu sync.Mutex

func event(name string, fields map[string]any) {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["event"] = name
	b, _ := json.Marshal(fields)
	printMu.Lock()
	defer printMu.Unlock()
	fmt.Println(string(b))
}

func run(configDir, albumID string, log *slog.Logger) error {
	ctx := context.Background()

	// One instance per config folder: a second start raises the first.
	inst, err := desktop.ClaimInstance(configDir)
	if errors.Is(err, desktop.ErrAlreadyRunning) {
		if err := desktop.Raise(ctx, configDir); err != nil {
			return err
		}
		event("raised-other", nil)
		return nil
	}
	if err != nil {
		return err
	}

	srv := ampachetest.NewServer(ampachetest.Options{})
	defer srv.Close()
	dirs := storage.Dirs{Config: configDir, Cache: filepath.Join(configDir, "cache"), Data: filepath.Join(configDir, "data")}
	c, err := core.New(core.Options{
		Dirs: dirs, HTTPClient: srv.Client(), Logger: log,
		Output: func() (audio.Output, error) { return audiotest.NewOutput(44100, audiotest.Realtime()), nil },
	})
	if err != nil {
		inst.Close()
		return err
	}
	closeCore := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // as main.go
		defer cancel()
		c.Close(ctx)
	}
	profile := storage.Profile{Name: "demo", URL: srv.URL, User: srv.Admin.Username, Auth: storage.AuthPassword}
	if err := c.ConnectWith(ctx, profile, client.Credentials{User: srv.Admin.Username, Password: srv.Admin.Password}); err != nil {
		closeCore()
		inst.Close()
		return err
	}

	a := app.NewWithID("io.github.ampdesk.traydemo")
	w := a.NewWindow("Ampdesk tray demo")
	w.SetContent(widget.NewLabel("Ampdesk tray demo"))
	w.Resize(fyne.NewSize(320, 120))
	guard := desktop.GuardQuit(a, 5*time.Second) // as main.go
	svc, err := desktop.Start(ctx, desktop.Deps{
		App: a, Core: c, Instance: inst, Logger: log,
		Show:    func() { w.Show(); w.RequestFocus(); event("shown", nil) },
		Hide:    func() { w.Hide(); event("hidden", nil) },
		Quit:    guard.Quit,
		ArtPath: desktop.CachedArtPath(core.NewArtSource(c, nil), filepath.Join(dirs.Cache, "mpris-art")),
	})
	if err != nil {
		closeCore()
		return err
	}
	guard.SetShutdown(func() {
		svc.Stop()
		closeCore()
	})
	w.SetCloseIntercept(svc.CloseWindow)

	go func() {
		titles, err := play(ctx, c, albumID)
		if err != nil {
			log.Error("play", "err", err)
			fyne.Do(guard.Quit)
			return
		}
		event("ready", map[string]any{"pid": os.Getpid(), "titles": titles})
	}()
	w.ShowAndRun()
	guard.Shutdown()
	return nil
}

// play plays an album and waits until it is heard.
func play(ctx context.Context, c *core.Core, albumID string) ([]string, error) {
	_, songs, err := c.Album(ctx, client.ID(albumID))
	if err != nil {
		return nil, err
	}
	if err := c.PlaySongs(songs, 0, false); err != nil {
		return nil, err
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if p := c.Player(); p != nil && p.Status().State == audio.Playing {
			titles := make([]string, len(songs))
			for i, s := range songs {
				titles[i] = s.Title
			}
			return titles, nil
		}
	}
	return nil, errors.New("the album did not start playing")
}
