package desktop

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/ampdesk/ampdesk/desktop/control"
)

// TestTrayAndMPRISForReal runs internal/traydemo — the desktop services in
// a real Fyne app under Xvfb — on a private session bus with
// status-notifier-watcher as the tray host and a stand-in notification
// daemon, and drives it as a desktop does: the tray menu over dbusmenu
// (busctl), MPRIS with playerctl, and the control socket.
func TestTrayAndMPRISForReal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a Fyne app under Xvfb; skipped with -short")
	}
	for _, tool := range []string{"Xvfb", "status-notifier-watcher", "busctl", "playerctl", "dbus-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (packages xvfb, haskell-status-notifier-item-utils, systemd, playerctl, dbus-daemon): %v", tool, err)
		}
	}
	demo := buildTrayDemo(t)
	addr := startBus(t)
	display := startXvfb(t)
	rt := shortTempDir(t)
	if err := os.Chmod(rt, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", rt) // for control.Send from this test
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".cache"), 0o700); err != nil { // Fyne's cache
		t.Fatal(err)
	}
	env := append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+addr, "DISPLAY="+display,
		"XDG_RUNTIME_DIR="+rt, "HOME="+home)
	notes := startNotificationDaemon(t, addr)
	bus, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()

	startChild(t, env, "status-notifier-watcher")
	waitFor(t, "the StatusNotifierWatcher on the bus", func() bool { return nameOwned(bus, watcherName) })

	cfg := filepath.Join(t.TempDir(), "config")
	app := startChild(t, env, demo, "-config", cfg)
	ready := app.waitEvent(t, "ready")
	var titles []string
	for _, v := range ready["titles"].([]any) {
		titles = append(titles, v.(string))
	}
	pid := int(ready["pid"].(float64))
	item := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid)
	sh := func(name string, args ...string) string {
		t.Helper()
		out, err := runTool(env, name, args...)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return out
	}
	busctl := func(args ...string) string {
		t.Helper()
		return sh("busctl", append([]string{"--address=" + addr}, args...)...)
	}
	playerctl := func(args ...string) string {
		t.Helper()
		return strings.TrimSpace(sh("playerctl", append([]string{"-p", "ampdesk"}, args...)...))
	}
	status := func() control.Status {
		t.Helper()
		resp, err := control.Send(context.Background(), cfg, control.Request{Command: control.CmdStatus})
		if err != nil {
			t.Fatalf("control status: %v", err)
		}
		return *resp.Status
	}
	layoutRev := func(parent int) ([]menuEntry, int) {
		t.Helper()
		return parseLayout(t, busctl("--json=short", "call", item, "/StatusNotifierItem/menu",
			"com.canonical.dbusmenu", "GetLayout", "iias", "--", strconv.Itoa(parent), "-1", "1", "label"))
	}
	layout := func(parent int) []menuEntry { t.Helper(); m, _ := layoutRev(parent); return m }
	// click sends "clicked" to an item once the menu has stopped changing
	// (a rebuild gives the items new ids).
	click := func(label string, parent int) {
		t.Helper()
		id := -1
		waitFor(t, "a stable menu with "+label, func() bool {
			_, r1 := layoutRev(parent)
			time.Sleep(100 * time.Millisecond)
			entries, r2 := layoutRev(parent)
			for _, e := range entries {
				if e.Label == label && r1 == r2 {
					id = e.ID
					return true
				}
			}
			return false
		})
		busctl("call", item, "/StatusNotifierItem/menu", "com.canonical.dbusmenu", "Event", "isvu",
			strconv.Itoa(id), "clicked", "s", "", "0")
	}

	// The tray item registered with the watcher.
	waitFor(t, "the tray item registers", func() bool {
		out, _ := runTool(env, "busctl", "--address="+addr, "get-property", watcherName, "/StatusNotifierWatcher",
			watcherName, "RegisteredStatusNotifierItems")
		return strings.HasPrefix(out, "as ") && !strings.HasPrefix(out, "as 0")
	})

	// Its menu: the playing song (disabled), the transport, show/hide,
	// Localplay with its submenu, one Quit.
	var menu []menuEntry
	waitFor(t, "the tray menu shows the playing song", func() bool {
		menu = layout(0)
		return len(menu) > 0 && strings.HasPrefix(menu[0].Label, titles[0]+" — ")
	})
	if got, want := menuLabels(menu), "|-|Pause|Next|Previous|-|Hide window|Localplay|-|Quit"; !strings.HasSuffix(got, want) || menu[0].Enabled {
		t.Fatalf("tray menu %s (first enabled %v), want the song then %s", got, menu[0].Enabled, want)
	}
	lp := menu[7]
	if got := menuLabels(layout(lp.ID)); got != "Play/Pause|Next|Previous" {
		t.Fatalf("Localplay submenu %s", got)
	}

	// "clicked" on Next advances the queue.
	click("Next", 0)
	waitFor(t, "the tray's Next moves to the second song", func() bool { return status().Index == 1 })
	waitFor(t, "playerctl sees the second song", func() bool { return playerctl("metadata", "xesam:title") == titles[1] })
	waitFor(t, "the tray menu follows", func() bool { return strings.HasPrefix(layout(0)[0].Label, titles[1]+" — ") })

	// A notification for each song, with the title and "artist — album".
	waitFor(t, "notifications for both songs", func() bool { return len(notes.list()) >= 2 })
	if n := notes.list(); n[0].summary != titles[0] || n[1].summary != titles[1] || !strings.Contains(n[1].body, " — ") {
		t.Fatalf("notifications %+v", n)
	}

	// MPRIS through playerctl.
	if out := sh("playerctl", "-l"); !strings.Contains(out, "ampdesk") {
		t.Fatalf("playerctl -l: %q", out)
	}
	follow := startChild(t, env, "playerctl", "-p", "ampdesk", "--follow", "status")
	follow.waitLine(t, "Playing")
	md := playerctl("metadata", "--format", "{{xesam:title}}|{{xesam:album}}|{{mpris:length}}")
	if parts := strings.Split(md, "|"); len(parts) != 3 || parts[0] != titles[1] || parts[1] == "" || parts[2] == "" {
		t.Fatalf("playerctl metadata: %q", md)
	}
	playerctl("play-pause")
	follow.waitLine(t, "Paused")
	if st := status(); st.State != "paused" || playerctl("status") != "Paused" {
		t.Fatalf("after play-pause: control %s, playerctl %s", st.State, playerctl("status"))
	}
	playerctl("play-pause")
	follow.waitLine(t, "Playing")
	playerctl("next")
	waitFor(t, "playerctl next", func() bool { return status().Index == 2 && playerctl("metadata", "xesam:title") == titles[2] })
	playerctl("position", "30")
	waitFor(t, "playerctl position 30", func() bool {
		p, err := strconv.ParseFloat(playerctl("position"), 64)
		return err == nil && p >= 30 && p < 40
	})
	playerctl("volume", "0.4")
	if v := playerctl("volume"); !strings.HasPrefix(v, "0.4") || status().Volume != 40 {
		t.Fatalf("after playerctl volume 0.4: playerctl %q, control %d", v, status().Volume)
	}

	// A second start raises the first and exits.
	second := startChild(t, env, demo, "-config", cfg)
	second.waitEvent(t, "raised-other")
	if err := second.wait(); err != nil {
		t.Fatalf("the second start: %v", err)
	}
	app.waitEvent(t, "shown")

	// Hide from the tray, then Quit from the tray.
	click("Hide window", 0)
	app.waitEvent(t, "hidden")
	waitFor(t, "the menu offers Show window", func() bool {
		return menuLabels(layout(0)) != "" && strings.Contains(menuLabels(layout(0)), "|Show window|")
	})
	click("Quit", 0)
	if err := app.wait(); err != nil {
		t.Fatalf("traydemo after Quit: %v", err)
	}
	if _, err := control.Send(context.Background(), cfg, control.Request{Command: control.CmdPing}); err == nil {
		t.Fatal("the control socket still answers after Quit")
	}
}

// buildTrayDemo builds internal/traydemo (cgo, like the app).
func buildTrayDemo(t *testing.T) string {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	bin := filepath.Join(t.TempDir(), "traydemo")
	cmd := exec.Command(goTool, "build", "-o", bin, "./internal/traydemo")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build traydemo: %v\n%s", err, out)
	}
	return bin
}

// startXvfb runs an X server on a free display and returns its name.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "800x600x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
		r.Close()
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb gave no display")
		}
		return ":" + n
	case <-time.After(15 * time.Second):
		t.Fatal("Xvfb did not start")
	}
	return ""
}

// child is a process the test started, with its stdout lines kept.
type child struct {
	cmd  *exec.Cmd
	done chan error
	mu   sync.Mutex
	out  []string
	err  strings.Builder
}

func startChild(t *testing.T, env []string, name string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(name, args...), done: make(chan error, 1)}
	c.cmd.Env = env
	c.cmd.Stderr = &lockedWriter{mu: &c.mu, w: &c.err}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.mu.Lock()
			c.out = append(c.out, sc.Text())
			c.mu.Unlock()
		}
		c.done <- c.cmd.Wait()
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		c.wait()
		if t.Failed() {
			c.mu.Lock()
			t.Logf("%s said:\n%s\n%s", name, strings.Join(c.out, "\n"), c.err.String())
			c.mu.Unlock()
		}
	})
	return c
}

// wait waits (15 s at most) for the process to end.
func (c *child) wait() error {
	select {
	case err := <-c.done:
		c.done <- err // for a second wait
		return err
	case <-time.After(15 * time.Second):
		// Its goroutines, to see where it hangs (printed with its output).
		c.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case err := <-c.done:
			c.done <- err
		case <-time.After(3 * time.Second):
		}
		return fmt.Errorf("%s did not exit", c.cmd.Path)
	}
}

// waitLine waits for a line, after those already waited for.
func (c *child) waitLine(t *testing.T, want string) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%s prints %q", filepath.Base(c.cmd.Path), want), func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, l := range c.out {
			if l == want {
				c.out = c.out[i+1:]
				return true
			}
		}
		return false
	})
}

// waitEvent waits for a JSON event line of traydemo and returns it.
func (c *child) waitEvent(t *testing.T, name string) map[string]any {
	t.Helper()
	var ev map[string]any
	waitFor(t, "traydemo event "+name, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, l := range c.out {
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && m["event"] == name {
				ev, c.out = m, c.out[i+1:]
				return true
			}
		}
		return false
	})
	return ev
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func runTool(env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func nameOwned(conn *dbus.Conn, name string) bool {
	var has bool
	return conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has) == nil && has
}

// menuEntry is one item of a dbusmenu layout.
type menuEntry struct {
	ID        int
	Label     string
	Enabled   bool
	Separator bool
}

// parseLayout reads the children of the node in busctl's JSON answer to
// GetLayout, and the layout's revision.
func parseLayout(t *testing.T, out string) ([]menuEntry, int) {
	t.Helper()
	type variant struct {
		Data json.RawMessage `json:"data"`
	}
	var top struct {
		Data []json.RawMessage `json:"data"`
	}
	var node []json.RawMessage
	var children []variant
	var revision int
	if json.Unmarshal([]byte(out), &top) != nil || len(top.Data) != 2 || json.Unmarshal(top.Data[0], &revision) != nil ||
		json.Unmarshal(top.Data[1], &node) != nil || len(node) != 3 || json.Unmarshal(node[2], &children) != nil {
		t.Fatalf("cannot read the layout %q", out)
	}
	var entries []menuEntry
	for _, ch := range children {
		var fields []json.RawMessage
		var props map[string]struct {
			Data any `json:"data"`
		}
		var e menuEntry
		if json.Unmarshal(ch.Data, &fields) != nil || len(fields) != 3 ||
			json.Unmarshal(fields[0], &e.ID) != nil || json.Unmarshal(fields[1], &props) != nil {
			t.Fatalf("cannot read a layout item %s", ch.Data)
		}
		e.Label, _ = props["label"].Data.(string)
		e.Enabled = true
		if en, ok := props["enabled"].Data.(bool); ok {
			e.Enabled = en
		}
		e.Separator = props["type"].Data == "separator"
		entries = append(entries, e)
	}
	return entries, revision
}

func menuLabels(entries []menuEntry) string {
	var parts []string
	for _, e := range entries {
		if e.Separator {
			parts = append(parts, "-")
		} else {
			parts = append(parts, e.Label)
		}
	}
	return strings.Join(parts, "|")
}

// notificationDaemon stands in for a desktop's notification server.
type notificationDaemon struct {
	mu    sync.Mutex
	notes []note
}

type note struct{ summary, body string }

func (d *notificationDaemon) Notify(app string, replaces uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, note{summary, body})
	return uint32(len(d.notes)), nil
}

func (d *notificationDaemon) list() []note {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]note(nil), d.notes...)
}

func startNotificationDaemon(t *testing.T, addr string) *notificationDaemon {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := &notificationDaemon{}
	if err := conn.Export(d, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v %v", reply, err)
	}
	return d
}
