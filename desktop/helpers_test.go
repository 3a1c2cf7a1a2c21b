package desktop

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

// testEnv is a core logged in to an in-process server, playing into
// memory, and the songs of a generated album with art (of 95 s and more,
// so that no song ends during a test, however slow the machine).
type testEnv struct {
	srv     *ampachetest.Server
	core    *core.Core
	dirs    storage.Dirs
	albumID client.ID
	items   []core.Item
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	dirs := storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")}
	c, err := core.New(core.Options{
		Dirs: dirs, Keyring: &storagetest.MemKeyring{}, HTTPClient: srv.Client(),
		Output: func() (audio.Output, error) { return audiotest.NewOutput(44100, audiotest.Realtime()), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	ctx := context.Background()
	if _, err := c.Login(ctx, core.LoginRequest{Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "test"}); err != nil {
		t.Fatalf("login: %v", err)
	}
	// The first generated album with art (album 1 holds the 3 s tones).
	var songs []client.Song
	var albumID client.ID
	for i := 2; i < 40 && albumID == ""; i++ {
		id := client.ID(strconv.Itoa(i))
		album, s, err := c.Album(ctx, id)
		if err != nil {
			t.Fatalf("album %s: %v", id, err)
		}
		if album.HasArt && len(s) >= 4 {
			songs, albumID = s, id
		}
	}
	if albumID == "" {
		t.Fatal("no generated album with art and 4 songs")
	}
	for _, s := range songs {
		if s.Time < 90 {
			t.Fatalf("album %s has a song of %d s; the tests need long songs", albumID, s.Time)
		}
	}
	e := &testEnv{srv: srv, core: c, dirs: dirs, albumID: albumID}
	for _, s := range songs {
		e.items = append(e.items, core.SongItem(s))
	}
	return e
}

// play starts the album from its first song and waits until it plays.
func (e *testEnv) play(t *testing.T) {
	t.Helper()
	if err := e.core.PlayItems(e.items, 0, false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "playback starts", func() bool {
		p := e.core.Player()
		return p != nil && p.Status().State == audio.Playing
	})
}

// rewind pauses and goes back to the start of the current song, so that
// Previous moves to the song before (it restarts a song played for more
// than 3 s).
func (e *testEnv) rewind(t *testing.T) {
	t.Helper()
	p := e.core.Player()
	p.Pause()
	p.Seek(0)
	waitFor(t, "paused at the start of the song", func() bool {
		st := p.Status()
		return st.State == audio.Paused && st.Position < time.Second
	})
}

// index is the player's current index (-1 before anything played).
func (e *testEnv) index() int {
	if p := e.core.Player(); p != nil {
		return p.Status().Index
	}
	return -1
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fakeApp is a headless Fyne test app with a system tray: it keeps the
// menus and notifications it is given.
type fakeApp struct {
	fyne.App
	mu    sync.Mutex
	menus []*fyne.Menu
	icon  fyne.Resource
	notes []*fyne.Notification
}

func newFakeApp() *fakeApp { return &fakeApp{App: test.NewApp()} }

// SetSystemTrayMenu keeps a copy of the menu as it is now (the services
// change the items of one menu).
func (a *fakeApp) SetSystemTrayMenu(m *fyne.Menu) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.menus = append(a.menus, copyMenu(m))
}

func copyMenu(m *fyne.Menu) *fyne.Menu {
	c := &fyne.Menu{Label: m.Label}
	for _, it := range m.Items {
		ic := *it
		if it.ChildMenu != nil {
			ic.ChildMenu = copyMenu(it.ChildMenu)
		}
		c.Items = append(c.Items, &ic)
	}
	return c
}

func (a *fakeApp) SetSystemTrayIcon(r fyne.Resource) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.icon = r
}

func (a *fakeApp) SetSystemTrayWindow(fyne.Window) {}

func (a *fakeApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notes = append(a.notes, n)
}

func (a *fakeApp) menu() *fyne.Menu {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.menus) == 0 {
		return nil
	}
	return a.menus[len(a.menus)-1]
}

func (a *fakeApp) notifications() []fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]fyne.Notification, len(a.notes))
	for i, n := range a.notes {
		out[i] = *n
	}
	return out
}

// windowCalls counts the Show, Hide and Quit calls.
type windowCalls struct {
	mu               sync.Mutex
	show, hide, quit int
}

func (w *windowCalls) deps(d Deps) Deps {
	d.Show = func() { w.mu.Lock(); w.show++; w.mu.Unlock() }
	d.Hide = func() { w.mu.Lock(); w.hide++; w.mu.Unlock() }
	d.Quit = func() { w.mu.Lock(); w.quit++; w.mu.Unlock() }
	return d
}

func (w *windowCalls) counts() (show, hide, quit int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.show, w.hide, w.quit
}

// noSessionBus makes the test run as if there were no session bus.
func noSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
}

// start starts the services for the test and stops them at its end.
func start(t *testing.T, d Deps) *Services {
	t.Helper()
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := Start(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// shortTempDir is a temp folder with a short path (Unix socket paths are
// limited to about 100 bytes).
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ad")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// startBus runs a private D-Bus session bus for the test (no service
// activation) and returns its address; it skips when dbus-daemon is
// missing.
func startBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus-daemon): skipping the D-Bus test")
	}
	dir := shortTempDir(t)
	conf := filepath.Join(dir, "bus.conf")
	err = os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("dbus-daemon said:\n%s", stderr.String())
		}
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
		io.Copy(io.Discard, out)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon did not start")
	}
	return ""
}

// labels lists a menu's item labels ("-" for separators), submenus in
// brackets.
func labels(m *fyne.Menu) string {
	var parts []string
	for _, it := range m.Items {
		switch {
		case it.IsSeparator:
			parts = append(parts, "-")
		case it.ChildMenu != nil:
			parts = append(parts, it.Label+"["+labels(it.ChildMenu)+"]")
		default:
			parts = append(parts, it.Label)
		}
	}
	return strings.Join(parts, "|")
}

// item finds the menu item with a label (in submenus too, after parent).
func item(m *fyne.Menu, path ...string) *fyne.MenuItem {
	for _, it := range m.Items {
		if it.Label == path[0] {
			if len(path) == 1 {
				return it
			}
			if it.ChildMenu != nil {
				return item(it.ChildMenu, path[1:]...)
			}
		}
	}
	return nil
}
