package gui

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// harness is a window on a test app over a core and an in-process server.
// The fyne test driver runs fyne.Do inline on the calling goroutine, so
// the views' Do and the test's own widget access share one lock (ui):
// nothing touches widgets concurrently.
type harness struct {
	t     testing.TB
	srv   *ampachetest.Server
	core  *core.Core
	dirs  storage.Dirs
	kr    *storagetest.MemKeyring
	cache *storage.ArtCache
	app   fyne.App
	win   fyne.Window
	shell *Shell
	mu    *sync.Mutex // uiLock
}

// uiLock stands for Fyne's one UI goroutine: every harness of the test
// binary takes it, as widgets of two windows share Fyne's text shaper and
// caches, which are not safe for concurrent use.
var uiLock sync.Mutex

type harnessOptions struct {
	library   ampachetest.Library
	noConnect bool // leave the window unconnected (login tests)
	tls       bool
}

func newHarness(t testing.TB, o harnessOptions) *harness {
	t.Helper()
	h := &harness{t: t, kr: &storagetest.MemKeyring{}, mu: &uiLock}
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{Library: o.library})
	if o.tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		// A media stream the player dropped can keep its connection for
		// seconds, and Close waits for it; the test is over, cut it.
		srv.CloseClientConnections()
		srv.Close()
	})
	h.srv = srv
	dir := t.TempDir()
	h.dirs = storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")}
	h.core = h.newCore()
	cache, err := storage.OpenArtCache(filepath.Join(h.dirs.Cache, "art"), 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	h.cache = cache

	art := core.NewArtSource(h.core, cache)
	t.Cleanup(art.Close) // after the shell's Close, before the folder goes

	h.app = test.NewTempApp(t)
	h.win = test.NewWindow(nil)
	h.win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(h.win.Close)
	h.ui(func() {
		h.shell = New(Deps{
			Core: h.core, App: h.app, Window: h.win,
			Art: art, ArtCache: cache,
			Do: h.do, Debounce: 20 * time.Millisecond,
		})
	})
	t.Cleanup(h.shell.Close)
	if !o.noConnect {
		err := h.core.ConnectWith(context.Background(),
			storage.Profile{Name: "Test", URL: srv.URL, User: srv.Admin.Username, Auth: storage.AuthPassword},
			client.Credentials{User: srv.Admin.Username, Password: srv.Admin.Password})
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		h.waitFor("the albums page after connecting", func() bool {
			_, ok := h.shell.current.(*albumsPage)
			return ok
		})
	}
	return h
}

// newCore makes a core over the harness's folders and keyring, playing
// into an in-memory output paced like a sound card.
func (h *harness) newCore() *core.Core {
	h.t.Helper()
	c, err := core.New(core.Options{
		Dirs: h.dirs, Keyring: h.kr,
		Output: func() (audio.Output, error) { return audiotest.NewOutput(44100, audiotest.Realtime()), nil },
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// do is the views' Do: a UI change under the UI lock.
func (h *harness) do(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// ui runs test code that touches widgets under the UI lock.
func (h *harness) ui(f func()) { h.do(f) }

// waitFor polls cond (under the UI lock) until it holds, failing after a
// generous deadline; never a fixed sleep.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var ok bool
		h.ui(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// navigate goes to a route and returns the page shown.
func (h *harness) navigate(r Route) Page {
	var p Page
	h.ui(func() {
		h.shell.Navigate(r)
		p = h.shell.current
	})
	return p
}

// objects walks the visible tree under o (widgets through their renderers).
func objects(o fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// find returns the visible objects of type T under o.
func find[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	for _, x := range objects(o) {
		if v, ok := x.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// overlays returns the visible objects of the window's dialogs and menus.
func (h *harness) overlays() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, o := range h.win.Canvas().Overlays().List() {
		out = append(out, objects(o)...)
	}
	return out
}

func (h *harness) adminRating(typ string, id int) int {
	return h.srv.Rating(h.srv.Admin.Username, typ, id)
}
