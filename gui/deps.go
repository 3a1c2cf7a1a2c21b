package gui

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

// ArtFetcher returns the encoded art of an object at a pixel size
// (core.ArtSource). It blocks; the views call it off the UI goroutine.
type ArtFetcher interface {
	Art(ctx context.Context, typ client.ObjectType, id client.ID, size int) ([]byte, error)
}

// Deps is what the window needs. Tests pass a test app and window, an
// in-memory core and a Do that serialises with the test.
type Deps struct {
	Core   *core.Core
	App    fyne.App
	Window fyne.Window
	// Art fetches cover art; nil shows placeholders only.
	Art ArtFetcher
	// ArtCache is the disk cache behind Art, for the settings page (its
	// usage and limit); may be nil.
	ArtCache *storage.ArtCache
	// Do runs a UI change from another goroutine; nil uses fyne.Do.
	Do func(func())
	// Debounce is the typing pause before a search or filter runs; 0 is
	// 250 ms.
	Debounce time.Duration
	Logger   *slog.Logger

	// LocalplayEvery and DemocraticEvery are how often the localplay and
	// democratic panels refresh while shown; 0 is 2 s and 5 s.
	LocalplayEvery, DemocraticEvery time.Duration
}

// env is what every view gets: the deps plus the shared pieces of the
// window (art loader, navigation, notices, item actions).
type env struct {
	Deps
	do       func(func())
	log      *slog.Logger
	art      *artLoader
	navigate func(Route)
	notify   func(string)
	shell    *Shell
}

func (d Deps) withDefaults() Deps {
	if d.Do == nil {
		d.Do = fyne.Do
	}
	if d.Debounce <= 0 {
		d.Debounce = 250 * time.Millisecond
	}
	if d.LocalplayEvery <= 0 {
		d.LocalplayEvery = defaultLocalplayEvery
	}
	if d.DemocraticEvery <= 0 {
		d.DemocraticEvery = defaultDemocraticEvery
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return d
}

// goLoad runs fetch on a new goroutine and applies its result on the UI
// goroutine, unless ctx ended meanwhile (the page was left).
func goLoad[T any](e *env, ctx context.Context, fetch func(context.Context) (T, error), apply func(T, error)) {
	go func() {
		v, err := fetch(ctx)
		if ctx.Err() != nil {
			return
		}
		e.do(func() {
			if ctx.Err() != nil {
				return
			}
			apply(v, err)
		})
	}()
}

// goRun runs a core action on a new goroutine and reports a failure in
// plain words, or ok (when not empty) on success.
func (e *env) goRun(ok string, action func(context.Context) error) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		err := action(ctx)
		e.do(func() {
			switch {
			case err != nil:
				e.notify(core.Explain(err))
			case ok != "":
				e.notify(ok)
			}
		})
	}()
}
