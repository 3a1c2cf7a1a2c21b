//go:build linux

package desktop

import (
	"fmt"
	"math"

	"github.com/godbus/dbus/v5"

	"github.com/ampdesk/ampdesk/audio"
)

// mprisProps is org.freedesktop.DBus.Properties for both interfaces:
// Position is read live, Volume, Shuffle, LoopStatus and Rate are
// writable.
type mprisProps struct{ m *mpris }

func (p mprisProps) Get(iface, name string) (dbus.Variant, *dbus.Error) {
	all, err := p.GetAll(iface)
	if err != nil {
		return dbus.Variant{}, err
	}
	v, ok := all[name]
	if !ok {
		return dbus.Variant{}, errUnknownProperty(iface, name)
	}
	return v, nil
}

func (p mprisProps) GetAll(iface string) (map[string]dbus.Variant, *dbus.Error) {
	m := p.m
	switch iface {
	case ifaceRoot:
		return m.rootProps(), nil
	case ifacePlayer:
		sn := m.s.snapshot()
		m.mu.Lock()
		props := m.playerProps(sn)
		m.mu.Unlock()
		props["Position"] = dbus.MakeVariant(micros(sn.Position))
		return props, nil
	}
	return nil, dbus.NewError("org.freedesktop.DBus.Error.UnknownInterface", []any{"no interface " + iface})
}

func (p mprisProps) Set(iface, name string, value dbus.Variant) *dbus.Error {
	m, s := p.m, p.m.s
	if iface != ifacePlayer {
		if iface == ifaceRoot {
			if _, ok := m.rootProps()[name]; ok {
				return errReadOnly(iface, name)
			}
			return errUnknownProperty(iface, name)
		}
		return dbus.NewError("org.freedesktop.DBus.Error.UnknownInterface", []any{"no interface " + iface})
	}
	switch name {
	case "Volume":
		v, ok := value.Value().(float64)
		if !ok || math.IsNaN(v) {
			return errInvalid("Volume is a double from 0 to 1")
		}
		v = min(max(v, 0), 1)
		s.setVolume(v)
		s.waitPlayer(func(sn snapshot) bool { return math.Abs(sn.Volume-v) < 1e-9 })
	case "Shuffle":
		on, ok := value.Value().(bool)
		if !ok {
			return errInvalid("Shuffle is a boolean")
		}
		s.setShuffle(on)
		s.waitPlayer(func(sn snapshot) bool { return sn.Shuffle == on })
	case "LoopStatus":
		str, _ := value.Value().(string)
		r, ok := map[string]audio.Repeat{"None": audio.RepeatOff, "Track": audio.RepeatOne, "Playlist": audio.RepeatAll}[str]
		if !ok {
			return errInvalid("LoopStatus is None, Track or Playlist")
		}
		s.setRepeat(r)
		s.waitPlayer(func(sn snapshot) bool { return sn.Repeat == r })
	case "Rate":
		rate, ok := value.Value().(float64)
		if !ok {
			return errInvalid("Rate is a double")
		}
		if rate == 0 { // the spec: act as Pause; other rates are not supported
			s.pause()
		}
	default:
		if playerPropNames[name] {
			return errReadOnly(iface, name)
		}
		return errUnknownProperty(iface, name)
	}
	m.refresh()
	return nil
}

// playerPropNames are the Player interface's properties.
var playerPropNames = map[string]bool{
	"PlaybackStatus": true, "LoopStatus": true, "Rate": true, "Shuffle": true, "Metadata": true,
	"Volume": true, "Position": true, "MinimumRate": true, "MaximumRate": true, "CanGoNext": true,
	"CanGoPrevious": true, "CanPlay": true, "CanPause": true, "CanSeek": true, "CanControl": true,
}

func errUnknownProperty(iface, name string) *dbus.Error {
	return dbus.NewError("org.freedesktop.DBus.Error.UnknownProperty", []any{fmt.Sprintf("%s has no property %s", iface, name)})
}

func errReadOnly(iface, name string) *dbus.Error {
	return dbus.NewError("org.freedesktop.DBus.Error.PropertyReadOnly", []any{fmt.Sprintf("%s.%s is read-only", iface, name)})
}

func errInvalid(msg string) *dbus.Error {
	return dbus.NewError("org.freedesktop.DBus.Error.InvalidArgs", []any{msg})
}
