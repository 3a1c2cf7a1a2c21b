package desktop

import (
	"errors"
	"os"
	"sync/atomic"

	"github.com/godbus/dbus/v5"

	"github.com/ampdesk/ampdesk/core"
)

const watcherName = "org.kde.StatusNotifierWatcher"

// linuxPlatform holds a private session bus connection: MPRIS lives on it,
// and it watches for a tray host (a StatusNotifierWatcher). Fyne's tray
// uses godbus's shared connection; this one is separate so that closing it
// or its signals never touch the tray's.
type linuxPlatform struct {
	conn    *dbus.Conn
	mpris   *mpris // nil when the name could not be exported
	hasTray atomic.Bool
	signals chan *dbus.Signal
	done    chan struct{}
}

// startPlatform connects to the session bus and starts MPRIS. Without a
// session bus it logs once and returns a platform that does nothing.
func startPlatform(s *Services) platform {
	conn, err := connectSessionBus()
	if err != nil {
		s.log.Info("no D-Bus session bus: MPRIS and the tray are off", "err", err)
		return noPlatform{}
	}
	p := &linuxPlatform{conn: conn, signals: make(chan *dbus.Signal, 16), done: make(chan struct{})}
	p.watchTrayHost(s)
	if p.mpris, err = newMPRIS(conn, s); err != nil {
		s.log.Warn("MPRIS is off", "err", err)
	}
	return p
}

// connectSessionBus opens a private connection to the session bus,
// never starting one (no dbus-launch autolaunch).
func connectSessionBus() (*dbus.Conn, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" && os.Getenv("XDG_RUNTIME_DIR") == "" {
		return nil, errors.New("DBUS_SESSION_BUS_ADDRESS is not set")
	}
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// watchTrayHost follows the StatusNotifierWatcher's owner.
func (p *linuxPlatform) watchTrayHost(s *Services) {
	p.conn.Signal(p.signals)
	if err := p.conn.AddMatchSignal(
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, watcherName),
	); err != nil {
		s.log.Warn("cannot follow the tray host", "err", err)
	}
	var has bool
	if err := p.conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has); err != nil {
		s.log.Warn("cannot ask for the tray host", "err", err)
	}
	p.hasTray.Store(has)
	go func() {
		defer close(p.done)
		for sig := range p.signals {
			if sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) != 3 {
				continue
			}
			if name, _ := sig.Body[0].(string); name != watcherName {
				continue
			}
			owner, _ := sig.Body[2].(string)
			p.hasTray.Store(owner != "")
			s.log.Debug("tray host", "present", owner != "")
		}
	}()
}

func (p *linuxPlatform) refresh() {
	if p.mpris != nil {
		p.mpris.refresh()
	}
}

func (p *linuxPlatform) position(e core.Position) {
	if p.mpris != nil {
		p.mpris.position(e)
	}
}

func (p *linuxPlatform) trayHost() bool { return p.hasTray.Load() }

func (p *linuxPlatform) close() {
	if p.mpris != nil {
		p.mpris.close()
	}
	p.conn.Close() // also closes p.signals, ending the watch
	<-p.done
}

// noPlatform is the platform without a session bus.
type noPlatform struct{}

func (noPlatform) refresh()               {}
func (noPlatform) position(core.Position) {}
func (noPlatform) trayHost() bool         { return false }
func (noPlatform) close()                 {}
