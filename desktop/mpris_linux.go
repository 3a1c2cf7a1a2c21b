//go:build linux

package desktop

import (
	"context"
	"fmt"
	"math"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/core"
)

// MPRIS names (https://specifications.freedesktop.org/mpris-spec/latest/).
const (
	mprisPath   dbus.ObjectPath = "/org/mpris/MediaPlayer2"
	mprisName                   = "org.mpris.MediaPlayer2.ampdesk"
	ifaceRoot                   = "org.mpris.MediaPlayer2"
	ifacePlayer                 = "org.mpris.MediaPlayer2.Player"
	ifaceProps                  = "org.freedesktop.DBus.Properties"
)

// artFetchTimeout bounds fetching one item's art for mpris:artUrl.
const artFetchTimeout = 30 * time.Second

// mpris is Ampdesk's MPRIS object on the session bus: the root and Player
// interfaces and their properties, kept in step with the player by
// refresh and position (called on the event goroutine) and driven by
// D-Bus calls (on godbus's goroutines).
type mpris struct {
	conn         *dbus.Conn
	s            *Services
	name         string // the bus name held
	desktopEntry string

	mu     sync.Mutex
	last   map[string]dbus.Variant // Player properties as last announced
	seek   seekTracker
	art    map[string]string // item key → art file ("" for none)
	asked  map[string]bool   // art being fetched
	closed bool
	wg     sync.WaitGroup // art fetches
}

// newMPRIS exports the object and takes the bus name (or, if another
// process has it, an instance name as the spec allows).
func newMPRIS(conn *dbus.Conn, s *Services) (*mpris, error) {
	m := &mpris{conn: conn, s: s, desktopEntry: "ampdesk", art: map[string]string{}, asked: map[string]bool{}}
	if id := s.deps.App.Metadata().ID; id != "" {
		m.desktopEntry = id
	}
	sn := s.snapshot()
	m.last = m.playerProps(sn)
	m.seek.reset(sn.Index, sn.Position, time.Now())
	exports := []export{
		{mprisRoot{m}, nil, ifaceRoot},
		{mprisPlayer{m}, map[string]string{"SeekBy": "Seek"}, ifacePlayer},
		{mprisProps{m}, nil, ifaceProps},
		{introspect.Introspectable(mprisIntrospection), nil, "org.freedesktop.DBus.Introspectable"},
	}
	for _, e := range exports {
		if err := conn.ExportWithMap(e.v, e.renamed, mprisPath, e.iface); err != nil {
			return nil, fmt.Errorf("export %s: %w", e.iface, err)
		}
	}
	for _, name := range []string{mprisName, fmt.Sprintf("%s.instance%d", mprisName, os.Getpid())} {
		reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
		if err != nil {
			m.unexport(exports)
			return nil, fmt.Errorf("request the name %s: %w", name, err)
		}
		if reply == dbus.RequestNameReplyPrimaryOwner {
			m.name = name
			return m, nil
		}
	}
	m.unexport(exports)
	return nil, fmt.Errorf("the name %s is taken", mprisName)
}

// export is one interface of the object: a Go value and the methods it
// exports under another name.
type export struct {
	v       any
	renamed map[string]string
	iface   string
}

// unexport withdraws the object after a failed start.
func (m *mpris) unexport(exports []export) {
	for _, e := range exports {
		m.conn.Export(nil, mprisPath, e.iface)
	}
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.wg.Wait()
}

func (m *mpris) close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.wg.Wait()
	m.conn.ReleaseName(m.name)
}

// refresh announces the Player properties that changed since the last
// call (PropertiesChanged; Position is never announced, per the spec).
func (m *mpris) refresh() {
	sn := m.s.snapshot()
	m.mu.Lock()
	defer m.mu.Unlock() // held while emitting, so announcements keep their order
	if m.closed {
		return
	}
	m.seek.setPlaying(sn.State == audio.Playing, time.Now())
	props := m.playerProps(sn)
	changed := map[string]dbus.Variant{}
	for k, v := range props {
		if old, ok := m.last[k]; !ok || !reflect.DeepEqual(old.Value(), v.Value()) {
			changed[k] = v
		}
	}
	m.last = props
	if len(changed) == 0 {
		return
	}
	if err := m.conn.Emit(mprisPath, ifaceProps+".PropertiesChanged", ifacePlayer, changed, []string{}); err != nil {
		m.s.log.Debug("MPRIS PropertiesChanged", "err", err)
	}
}

// position emits Seeked when the position jumped, then refreshes (the
// volume has no event of its own and is picked up here while playing).
func (m *mpris) position(e core.Position) {
	m.mu.Lock()
	if !m.closed && m.seek.observe(e.Index, e.Position, time.Now()) {
		if err := m.conn.Emit(mprisPath, ifacePlayer+".Seeked", micros(e.Position)); err != nil {
			m.s.log.Debug("MPRIS Seeked", "err", err)
		}
	}
	m.mu.Unlock()
	m.refresh()
}

// seekTo seeks in track index and expects the position there, to announce
// Seeked when the player reaches it.
func (m *mpris) seekTo(index int, pos time.Duration) {
	m.mu.Lock()
	m.seek.expect(index, pos, time.Now())
	m.mu.Unlock()
	m.s.seek(pos)
}

// playerProps are the Player properties but Position. Call with m.mu held.
func (m *mpris) playerProps(sn snapshot) map[string]dbus.Variant {
	status := "Stopped"
	switch sn.State {
	case audio.Playing, audio.Buffering:
		status = "Playing"
	case audio.Paused:
		status = "Paused"
	}
	loop := "None"
	switch sn.Repeat {
	case audio.RepeatAll:
		loop = "Playlist"
	case audio.RepeatOne:
		loop = "Track"
	}
	return map[string]dbus.Variant{
		"PlaybackStatus": dbus.MakeVariant(status),
		"LoopStatus":     dbus.MakeVariant(loop),
		"Rate":           dbus.MakeVariant(1.0),
		"MinimumRate":    dbus.MakeVariant(1.0),
		"MaximumRate":    dbus.MakeVariant(1.0),
		"Shuffle":        dbus.MakeVariant(sn.Shuffle),
		"Metadata":       dbus.MakeVariant(metadata(sn, m.artPath(sn))),
		"Volume":         dbus.MakeVariant(sn.Volume),
		"CanGoNext":      dbus.MakeVariant(sn.hasNext()),
		"CanGoPrevious":  dbus.MakeVariant(sn.QueueLen > 0),
		"CanPlay":        dbus.MakeVariant(sn.QueueLen > 0),
		"CanPause":       dbus.MakeVariant(sn.QueueLen > 0),
		"CanSeek":        dbus.MakeVariant(sn.canSeek()),
		"CanControl":     dbus.MakeVariant(true),
	}
}

func (m *mpris) rootProps() map[string]dbus.Variant {
	return map[string]dbus.Variant{
		"CanQuit":             dbus.MakeVariant(true),
		"CanRaise":            dbus.MakeVariant(m.s.deps.Show != nil),
		"HasTrackList":        dbus.MakeVariant(false),
		"Identity":            dbus.MakeVariant("Ampdesk"),
		"DesktopEntry":        dbus.MakeVariant(m.desktopEntry),
		"SupportedUriSchemes": dbus.MakeVariant([]string{}),
		"SupportedMimeTypes":  dbus.MakeVariant([]string{}),
	}
}

// artPath returns the art file of the current item when it is known, and
// otherwise starts fetching it (refreshing once it is there). Call with
// m.mu held.
func (m *mpris) artPath(sn snapshot) string {
	get := m.s.deps.ArtPath
	if !sn.HasItem || !sn.Item.HasArt || get == nil {
		return ""
	}
	key := itemKey(sn.Item)
	if p, ok := m.art[key]; ok {
		return p
	}
	if m.asked[key] || m.closed {
		return ""
	}
	m.asked[key] = true
	item := sn.Item
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.s.ctx, artFetchTimeout)
		defer cancel()
		p, err := get(ctx, item)
		if err != nil {
			m.s.log.Debug("no art for MPRIS", "item", key, "err", err)
			p = "" // not asked again in this run
		}
		m.mu.Lock()
		delete(m.asked, key)
		if len(m.art) >= 256 {
			clear(m.art)
		}
		m.art[key] = p
		m.mu.Unlock()
		if p != "" {
			m.refresh()
		}
	}()
	return ""
}

func itemKey(it core.Item) string { return string(it.Type) + "/" + string(it.ID) }

// mprisRoot is the org.mpris.MediaPlayer2 interface.
type mprisRoot struct{ m *mpris }

func (r mprisRoot) Raise() *dbus.Error {
	if r.m.s.deps.Show != nil {
		r.m.s.raise()
	}
	return nil
}

func (r mprisRoot) Quit() *dbus.Error {
	r.m.s.quit()
	return nil
}

// mprisPlayer is the org.mpris.MediaPlayer2.Player interface.
type mprisPlayer struct{ m *mpris }

func (p mprisPlayer) Next() *dbus.Error      { p.m.s.next(); return nil }
func (p mprisPlayer) Previous() *dbus.Error  { p.m.s.previous(); return nil }
func (p mprisPlayer) Pause() *dbus.Error     { p.m.s.pause(); return nil }
func (p mprisPlayer) PlayPause() *dbus.Error { p.m.s.playPause(); return nil }
func (p mprisPlayer) Stop() *dbus.Error      { p.m.s.stopPlayback(); return nil }
func (p mprisPlayer) Play() *dbus.Error      { p.m.s.play(); return nil }

// SeekBy is the Player's Seek method (exported under that name; Go's vet
// reserves Seek for io.Seeker): it moves by offset µs, to the start when
// before it, to the next track when past the end.
func (p mprisPlayer) SeekBy(offset int64) *dbus.Error {
	sn := p.m.s.snapshot()
	if !sn.canSeek() {
		return nil
	}
	target := sn.Position + fromMicros(offset)
	if offset > 0 && target < sn.Position { // overflow
		target = sn.Duration + 1
	}
	switch {
	case target > sn.Duration:
		p.m.s.next()
	default:
		p.m.seekTo(sn.Index, max(target, 0))
	}
	return nil
}

// SetPosition seeks to pos µs in the track named, if it is still current
// and pos is inside it.
func (p mprisPlayer) SetPosition(track dbus.ObjectPath, pos int64) *dbus.Error {
	sn := p.m.s.snapshot()
	if !sn.canSeek() || track != trackID(sn.Item) || pos < 0 || fromMicros(pos) > sn.Duration {
		return nil
	}
	p.m.seekTo(sn.Index, fromMicros(pos))
	return nil
}

func (p mprisPlayer) OpenUri(string) *dbus.Error {
	return dbus.NewError("org.freedesktop.DBus.Error.NotSupported", []any{"Ampdesk plays from its library, not from URIs"})
}

// micros converts a duration to the µs MPRIS counts in.
func micros(d time.Duration) int64 { return int64(d / time.Microsecond) }

// fromMicros converts µs to a duration, saturating instead of overflowing.
func fromMicros(us int64) time.Duration {
	const limit = math.MaxInt64 / int64(time.Microsecond)
	switch {
	case us > limit:
		return math.MaxInt64
	case us < -limit:
		return math.MinInt64
	}
	return time.Duration(us) * time.Microsecond
}

// mprisIntrospection describes the object for clients that introspect.
const mprisIntrospection = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg name="data" direction="out" type="s"/></method>
  </interface>
  <interface name="org.freedesktop.DBus.Properties">
    <method name="Get">
      <arg name="interface" direction="in" type="s"/><arg name="name" direction="in" type="s"/>
      <arg name="value" direction="out" type="v"/>
    </method>
    <method name="GetAll">
      <arg name="interface" direction="in" type="s"/><arg name="props" direction="out" type="a{sv}"/>
    </method>
    <method name="Set">
      <arg name="interface" direction="in" type="s"/><arg name="name" direction="in" type="s"/>
      <arg name="value" direction="in" type="v"/>
    </method>
    <signal name="PropertiesChanged">
      <arg name="interface" type="s"/><arg name="changed" type="a{sv}"/><arg name="invalidated" type="as"/>
    </signal>
  </interface>
  <interface name="org.mpris.MediaPlayer2">
    <method name="Raise"/>
    <method name="Quit"/>
    <property name="CanQuit" type="b" access="read"/>
    <property name="CanRaise" type="b" access="read"/>
    <property name="HasTrackList" type="b" access="read"/>
    <property name="Identity" type="s" access="read"/>
    <property name="DesktopEntry" type="s" access="read"/>
    <property name="SupportedUriSchemes" type="as" access="read"/>
    <property name="SupportedMimeTypes" type="as" access="read"/>
  </interface>
  <interface name="org.mpris.MediaPlayer2.Player">
    <method name="Next"/>
    <method name="Previous"/>
    <method name="Pause"/>
    <method name="PlayPause"/>
    <method name="Stop"/>
    <method name="Play"/>
    <method name="Seek"><arg name="Offset" direction="in" type="x"/></method>
    <method name="SetPosition">
      <arg name="TrackId" direction="in" type="o"/><arg name="Position" direction="in" type="x"/>
    </method>
    <method name="OpenUri"><arg name="Uri" direction="in" type="s"/></method>
    <signal name="Seeked"><arg name="Position" type="x"/></signal>
    <property name="PlaybackStatus" type="s" access="read"/>
    <property name="LoopStatus" type="s" access="readwrite"/>
    <property name="Rate" type="d" access="readwrite"/>
    <property name="Shuffle" type="b" access="readwrite"/>
    <property name="Metadata" type="a{sv}" access="read"/>
    <property name="Volume" type="d" access="readwrite"/>
    <property name="Position" type="x" access="read">
      <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="false"/>
    </property>
    <property name="MinimumRate" type="d" access="read"/>
    <property name="MaximumRate" type="d" access="read"/>
    <property name="CanGoNext" type="b" access="read"/>
    <property name="CanGoPrevious" type="b" access="read"/>
    <property name="CanPlay" type="b" access="read"/>
    <property name="CanPause" type="b" access="read"/>
    <property name="CanSeek" type="b" access="read"/>
    <property name="CanControl" type="b" access="read">
      <annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="false"/>
    </property>
  </interface>
</node>`
