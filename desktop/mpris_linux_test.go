package desktop

import (
	"bytes"

	"errors"
	"math"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

// mprisClient talks to Ampdesk's MPRIS object as a media widget does and
// records every signal the object emits.
type mprisClient struct {
	t    *testing.T
	conn *dbus.Conn
	obj  dbus.BusObject

	mu      sync.Mutex
	signals []*dbus.Signal
}

func newMPRISClient(t *testing.T, addr, name string) *mprisClient {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the test bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &mprisClient{t: t, conn: conn, obj: conn.Object(name, mprisPath)}
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(mprisPath)); err != nil {
		t.Fatal(err)
	}
	ch := make(chan *dbus.Signal, 64)
	conn.Signal(ch)
	go func() {
		for sig := range ch {
			c.mu.Lock()
			c.signals = append(c.signals, sig)
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *mprisClient) get(iface, name string) any {
	c.t.Helper()
	v, err := c.obj.GetProperty(iface + "." + name)
	if err != nil {
		c.t.Fatalf("Get %s.%s: %v", iface, name, err)
	}
	return v.Value()
}

func (c *mprisClient) player(name string) any { c.t.Helper(); return c.get(ifacePlayer, name) }

func (c *mprisClient) metadata() map[string]dbus.Variant {
	c.t.Helper()
	return c.player("Metadata").(map[string]dbus.Variant)
}

func (c *mprisClient) position() time.Duration {
	c.t.Helper()
	return time.Duration(c.player("Position").(int64)) * time.Microsecond
}

func (c *mprisClient) call(method string, args ...any) error {
	return c.obj.Call(ifacePlayer+"."+method, 0, args...).Err
}

func (c *mprisClient) mustCall(method string, args ...any) {
	c.t.Helper()
	if err := c.call(method, args...); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *mprisClient) set(name string, v any) error {
	return c.obj.SetProperty(ifacePlayer+"."+name, dbus.MakeVariant(v))
}

// mark is where the signals seen so far end.
func (c *mprisClient) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.signals)
}

// changed waits for a PropertiesChanged after mark whose changes satisfy ok.
func (c *mprisClient) changed(from int, what string, ok func(map[string]dbus.Variant) bool) map[string]dbus.Variant {
	c.t.Helper()
	var found map[string]dbus.Variant
	waitFor(c.t, "PropertiesChanged: "+what, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, sig := range c.signals[from:] {
			if sig.Name != ifaceProps+".PropertiesChanged" || len(sig.Body) != 3 || sig.Body[0] != ifacePlayer {
				continue
			}
			if ch := sig.Body[1].(map[string]dbus.Variant); ok(ch) {
				found = ch
				return true
			}
		}
		return false
	})
	return found
}

// seeked waits for a Seeked signal after mark and returns its position.
func (c *mprisClient) seeked(from int) time.Duration {
	c.t.Helper()
	var pos time.Duration
	waitFor(c.t, "Seeked", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, sig := range c.signals[from:] {
			if sig.Name == ifacePlayer+".Seeked" && len(sig.Body) == 1 {
				pos = time.Duration(sig.Body[0].(int64)) * time.Microsecond
				return true
			}
		}
		return false
	})
	return pos
}

func has(ch map[string]dbus.Variant, name string, want any) bool {
	v, ok := ch[name]
	return ok && v.Value() == want
}

func titleIs(title string) func(map[string]dbus.Variant) bool {
	return func(ch map[string]dbus.Variant) bool {
		md, ok := ch["Metadata"].Value().(map[string]dbus.Variant)
		return ok && md["xesam:title"].Value() == title
	}
}

func dbusErrName(err error) string {
	var de dbus.Error
	if errors.As(err, &de) {
		return de.Name
	}
	var dp *dbus.Error
	if errors.As(err, &dp) {
		return dp.Name
	}
	return ""
}

func TestMPRIS(t *testing.T) {
	addr := startBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	e := newTestEnv(t)
	var w windowCalls
	artDir := t.TempDir()
	start(t, w.deps(Deps{
		App: newFakeApp(), Core: e.core,
		ArtPath: CachedArtPath(core.NewArtSource(e.core, nil), artDir),
	}))
	c := newMPRISClient(t, addr, mprisName)

	// Root interface.
	if got := c.get(ifaceRoot, "Identity"); got != "Ampdesk" {
		t.Errorf("Identity = %v", got)
	}
	for name, want := range map[string]any{"CanQuit": true, "CanRaise": true, "HasTrackList": false} {
		if got := c.get(ifaceRoot, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got, _ := c.get(ifaceRoot, "DesktopEntry").(string); got == "" {
		t.Error("no DesktopEntry")
	}
	var xml string
	if err := c.obj.Call("org.freedesktop.DBus.Introspectable.Introspect", 0).Store(&xml); err != nil ||
		!strings.Contains(xml, `<interface name="org.mpris.MediaPlayer2.Player">`) {
		t.Errorf("Introspect: %v, %.80q", err, xml)
	}

	// Before anything is played.
	if got := c.player("PlaybackStatus"); got != "Stopped" {
		t.Errorf("PlaybackStatus before playing = %v", got)
	}
	if md := c.metadata(); len(md) != 0 {
		t.Errorf("Metadata before playing = %v", md)
	}
	if got := c.player("CanPlay"); got != false {
		t.Errorf("CanPlay with nothing queued = %v", got)
	}
	if got := c.player("Volume"); got != 0.8 {
		t.Errorf("Volume before playing = %v, want the default 0.8", got)
	}

	// Play: Metadata and PlaybackStatus are announced.
	m := c.mark()
	e.play(t)
	first, second := e.items[0], e.items[1]
	c.changed(m, "the first song", titleIs(first.Title))
	c.changed(m, "Playing", func(ch map[string]dbus.Variant) bool { return has(ch, "PlaybackStatus", "Playing") })
	md := c.metadata()
	if got := md["mpris:trackid"].Value(); got != trackID(first) || !trackID(first).IsValid() {
		t.Errorf("mpris:trackid = %v, want the valid path %v", got, trackID(first))
	}
	if got := md["xesam:artist"].Value(); !equalStrings(got, []string{first.Artist}) {
		t.Errorf("xesam:artist = %#v, want [%q]", got, first.Artist)
	}
	if got := md["xesam:album"].Value(); got != first.Album {
		t.Errorf("xesam:album = %v, want %q", got, first.Album)
	}
	if got := md["mpris:length"].Value(); got != micros(first.Duration) || first.Duration < 90*time.Second {
		t.Errorf("mpris:length = %v, want %d µs", got, micros(first.Duration))
	}
	for _, name := range []string{"CanPlay", "CanPause", "CanSeek", "CanGoNext", "CanGoPrevious", "CanControl"} {
		if got := c.player(name); got != true {
			t.Errorf("%s while playing the first of 8 = %v", name, got)
		}
	}
	// The art arrives a little later, as a file:// URL of a real image.
	ch := c.changed(m, "mpris:artUrl", func(ch map[string]dbus.Variant) bool {
		md, ok := ch["Metadata"].Value().(map[string]dbus.Variant)
		_, has := md["mpris:artUrl"]
		return ok && has
	})
	artURL := ch["Metadata"].Value().(map[string]dbus.Variant)["mpris:artUrl"].Value().(string)
	u, err := url.Parse(artURL)
	if err != nil || u.Scheme != "file" || !strings.HasPrefix(u.Path, artDir) {
		t.Fatalf("mpris:artUrl %q is not a file in %s", artURL, artDir)
	}
	if b, err := os.ReadFile(u.Path); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("art file %s: %v (%d bytes)", u.Path, err, len(b))
	}

	// PlayPause pauses and resumes the player.
	m = c.mark()
	c.mustCall("PlayPause")
	c.changed(m, "Paused", func(ch map[string]dbus.Variant) bool { return has(ch, "PlaybackStatus", "Paused") })
	if st := e.core.Player().Status().State; st != audio.Paused {
		t.Fatalf("player state after PlayPause: %v", st)
	}
	m = c.mark()
	c.mustCall("PlayPause")
	c.changed(m, "Playing again", func(ch map[string]dbus.Variant) bool { return has(ch, "PlaybackStatus", "Playing") })

	// Next.
	m = c.mark()
	c.mustCall("Next")
	waitFor(t, "Next moves to the second song", func() bool { return e.index() == 1 })
	c.changed(m, "the second song", titleIs(second.Title))

	// SetPosition in the current track seeks, and Seeked says where.
	m = c.mark()
	c.mustCall("SetPosition", trackID(second), int64(60_000_000))
	if pos := c.seeked(m); pos < 60*time.Second || pos > 65*time.Second {
		t.Fatalf("Seeked %v after SetPosition 60 s", pos)
	}
	if pos := c.position(); pos < 60*time.Second || pos > 70*time.Second {
		t.Fatalf("Position %v after SetPosition 60 s", pos)
	}
	// SetPosition for another track, or past the end, does nothing.
	c.mustCall("SetPosition", trackID(first), int64(0))
	c.mustCall("SetPosition", trackID(second), micros(second.Duration)+1_000_000)
	time.Sleep(300 * time.Millisecond)
	if pos := c.position(); pos < 60*time.Second || e.index() != 1 {
		t.Fatalf("a SetPosition for another track or past the end moved to %v (index %d)", pos, e.index())
	}
	// Seek by an offset: back past the start goes to the start.
	m = c.mark()
	c.mustCall("Seek", int64(-100_000_000))
	if pos := c.seeked(m); pos > 5*time.Second {
		t.Fatalf("Seeked %v after Seek -100 s", pos)
	}
	m = c.mark()
	c.mustCall("Seek", int64(30_000_000))
	if pos := c.seeked(m); pos < 30*time.Second || pos > 40*time.Second {
		t.Fatalf("Seeked %v after Seek +30 s from the start", pos)
	}

	// Writable properties act on the player and are announced.
	m = c.mark()
	if err := c.set("Volume", 0.25); err != nil {
		t.Fatal(err)
	}
	if got := c.player("Volume"); got != 0.25 {
		t.Fatalf("Volume read back %v", got)
	}
	if v := e.core.Player().Status().Volume; v != 0.25 {
		t.Fatalf("player volume %v", v)
	}
	if v := e.core.Settings().Get().Volume; v == nil || *v != 0.25 {
		t.Fatalf("the volume setting is %v", v)
	}
	c.changed(m, "Volume", func(ch map[string]dbus.Variant) bool { return has(ch, "Volume", 0.25) })
	if err := c.set("Volume", 7.0); err != nil || c.player("Volume") != 1.0 {
		t.Fatalf("Volume 7 is not clamped to 1: %v, %v", err, c.player("Volume"))
	}

	m = c.mark()
	if err := c.set("Shuffle", true); err != nil || c.player("Shuffle") != true || !e.core.Player().Status().Shuffle {
		t.Fatalf("Shuffle on: %v", err)
	}
	c.changed(m, "Shuffle", func(ch map[string]dbus.Variant) bool { return has(ch, "Shuffle", true) })
	if err := c.set("Shuffle", false); err != nil || e.core.Player().Status().Shuffle {
		t.Fatalf("Shuffle off: %v", err)
	}
	for loop, want := range map[string]audio.Repeat{"Track": audio.RepeatOne, "Playlist": audio.RepeatAll, "None": audio.RepeatOff} {
		if err := c.set("LoopStatus", loop); err != nil || c.player("LoopStatus") != loop || e.core.Player().Status().Repeat != want {
			t.Fatalf("LoopStatus %s: %v; player repeat %v", loop, err, e.core.Player().Status().Repeat)
		}
	}

	// Bad writes are refused with the spec's errors.
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"LoopStatus", "Sometimes", "org.freedesktop.DBus.Error.InvalidArgs"},
		{"Volume", "loud", "org.freedesktop.DBus.Error.InvalidArgs"},
		{"Volume", math.NaN(), "org.freedesktop.DBus.Error.InvalidArgs"},
		{"Metadata", map[string]dbus.Variant{}, "org.freedesktop.DBus.Error.PropertyReadOnly"},
		{"Position", int64(0), "org.freedesktop.DBus.Error.PropertyReadOnly"},
		{"Loudness", 1.0, "org.freedesktop.DBus.Error.UnknownProperty"},
	} {
		if err := c.set(tc.name, tc.v); dbusErrName(err) != tc.want {
			t.Errorf("Set %s = %v: %v, want %s", tc.name, tc.v, err, tc.want)
		}
	}
	if err := c.obj.Call(ifaceProps+".GetAll", 0, "org.example.Nothing").Err; dbusErrName(err) != "org.freedesktop.DBus.Error.UnknownInterface" {
		t.Errorf("GetAll of an unknown interface: %v", err)
	}
	if err := c.call("OpenUri", "http://example.com/a.mp3"); dbusErrName(err) != "org.freedesktop.DBus.Error.NotSupported" {
		t.Errorf("OpenUri: %v", err)
	}

	// Stop.
	m = c.mark()
	c.mustCall("Stop")
	c.changed(m, "Stopped", func(ch map[string]dbus.Variant) bool { return has(ch, "PlaybackStatus", "Stopped") })

	// Raise and Quit reach the window.
	if err := c.obj.Call(ifaceRoot+".Raise", 0).Err; err != nil {
		t.Fatal(err)
	}
	if err := c.obj.Call(ifaceRoot+".Quit", 0).Err; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Raise shows the window and Quit quits", func() bool {
		show, _, quit := w.counts()
		return show == 1 && quit == 1
	})

	// Position is never announced (the spec: clients read it).
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, sig := range c.signals {
		if sig.Name == ifaceProps+".PropertiesChanged" {
			if _, ok := sig.Body[1].(map[string]dbus.Variant)["Position"]; ok {
				t.Fatal("PropertiesChanged carried Position")
			}
		}
	}
}

func equalStrings(v any, want []string) bool {
	got, ok := v.([]string)
	if !ok || len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestMPRISSecondInstanceTakesAnInstanceName(t *testing.T) {
	addr := startBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	e := newTestEnv(t)
	s1 := start(t, Deps{App: newFakeApp(), Core: e.core})
	s2 := start(t, Deps{App: newFakeApp(), Core: e.core})
	n1 := s1.platform.(*linuxPlatform).mpris.name
	n2 := s2.platform.(*linuxPlatform).mpris.name
	if n1 != mprisName || !strings.HasPrefix(n2, mprisName+".instance") {
		t.Fatalf("names %q and %q", n1, n2)
	}
	c := newMPRISClient(t, addr, n2)
	if got := c.get(ifaceRoot, "Identity"); got != "Ampdesk" {
		t.Fatalf("the second object answers Identity %v", got)
	}
	// Stopping releases the name.
	s1.Stop()
	var names []string
	if err := c.conn.BusObject().Call("org.freedesktop.DBus.ListNames", 0).Store(&names); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == mprisName {
			t.Fatalf("%s still owned after Stop", mprisName)
		}
	}
}

func TestTrayHostDetection(t *testing.T) {
	addr := startBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	e := newTestEnv(t)
	var w windowCalls
	s := start(t, w.deps(Deps{App: newFakeApp(), Core: e.core}))
	if s.TrayAvailable() {
		t.Fatal("a tray is reported with no StatusNotifierWatcher on the bus")
	}
	s.CloseWindow()
	if _, h, q := w.counts(); h != 0 || q != 1 {
		t.Fatalf("close with no tray host: hide %d, quit %d", h, q)
	}

	// A tray host appears.
	host, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	if reply, err := host.RequestName(watcherName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", watcherName, reply, err)
	}
	waitFor(t, "the tray host is seen", s.TrayAvailable)
	if !s.CloseToTray() {
		t.Fatal("CloseToTray is off with a tray and the default settings")
	}
	s.CloseWindow()
	if _, h, q := w.counts(); h != 1 || q != 1 {
		t.Fatalf("close with a tray host: hide %d, quit %d; want a hide", h, q)
	}

	// The setting off: closing quits.
	off := false
	if _, err := e.core.Settings().Update(func(st *storage.Settings) { st.CloseToTray = &off }); err != nil {
		t.Fatal(err)
	}
	s.CloseWindow()
	if _, h, q := w.counts(); h != 1 || q != 2 {
		t.Fatalf("close with CloseToTray off: hide %d, quit %d; want a quit", h, q)
	}

	// The host goes away.
	if _, err := host.ReleaseName(watcherName); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tray host is gone", func() bool { return !s.TrayAvailable() })
}

func TestTrackID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		item core.Item
		want dbus.ObjectPath
	}{
		{core.Item{Type: "song", ID: "42"}, "/org/ampdesk/track/song/42"},
		{core.Item{Type: "podcast_episode", ID: "7"}, "/org/ampdesk/track/podcast_5fepisode/7"},
		{core.Item{Type: "live_stream", ID: "a/b c"}, "/org/ampdesk/track/live_5fstream/a_2fb_20c"},
		{core.Item{Type: "democratic", ID: ""}, "/org/ampdesk/track/democratic/_"},
	}
	for _, tc := range tests {
		got := trackID(tc.item)
		if got != tc.want || !got.IsValid() {
			t.Errorf("trackID(%s %q) = %q (valid %v), want %q", tc.item.Type, tc.item.ID, got, got.IsValid(), tc.want)
		}
	}
}

func TestFromMicrosSaturates(t *testing.T) {
	t.Parallel()
	if got := fromMicros(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("fromMicros(max) = %v", got)
	}
	if got := fromMicros(math.MinInt64); got != math.MinInt64 {
		t.Errorf("fromMicros(min) = %v", got)
	}
	if got := fromMicros(1_500_000); got != 1500*time.Millisecond {
		t.Errorf("fromMicros(1.5e6) = %v", got)
	}
}
