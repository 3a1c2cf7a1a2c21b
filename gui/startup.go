package gui

import (
	"context"
	"errors"
	"time"

	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

// windowPage is a page that wants to know when the window is hidden to
// the tray or shown again (the remote panels poll only while it shows).
type windowPage interface{ windowShown(on bool) }

// SetWindowShown tells the window whether it is on screen: the remote
// panels stop polling while it is hidden to the tray and refresh when it
// is back. Call it on the UI goroutine.
func (s *Shell) SetWindowShown(on bool) {
	if s.hidden == !on {
		return
	}
	s.hidden = !on
	if p, ok := s.current.(windowPage); ok {
		p.windowShown(on)
	}
}

// openProfile shows a saved profile's library at once from this
// computer's cache, when it has one, then connects — or opens the profile
// offline when the server cannot be reached — without ever making the
// window wait on the disk, the keyring or the network.
func (s *Shell) openProfile(p storage.Profile) {
	s.resetTo(newConnectingPage(s.env, p.Name))
	s.status.setConnecting(p.Name, true)
	c := s.env.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := c.OpenCached(ctx, p.Name); err == nil && c.LibraryCached() {
			s.env.do(func() { s.showCached(p) })
		}
		_, err := c.ConnectOrOffline(ctx, p.Name)
		s.env.do(func() {
			s.status.setConnecting(p.Name, false)
			if err == nil {
				return
			}
			msg := core.Explain(err)
			if _, _, ok := c.Connection(); ok {
				s.notify(msg)
				return
			}
			s.shownLib = ""
			s.resetTo(newWelcomePage(s.env, msg))
			s.showLogin(p, msg)
		})
	}()
}

// showCached shows the cached library of p while it connects, unless the
// user went elsewhere meanwhile.
func (s *Shell) showCached(p storage.Profile) {
	if s.current != nil && s.current.Route().Page != PageWelcome {
		return
	}
	if _, _, ok := s.env.Core.Connection(); ok {
		return // connected already: Connected shows the library
	}
	s.shownLib = p.Name
	s.profile.SetText(p.Name)
	s.env.Window.SetTitle("Ampdesk — " + p.Name)
	s.resetTo(s.makePage(Route{Page: PageAlbums}))
}

// startSync keeps the library cache in step in the background once a
// profile is connected, when the window was started with Start: a sync
// now, then every few minutes (core.StartBackgroundSync); a profile
// switched to later gets a sync of its own at once.
func (s *Shell) startSync(p storage.Profile) {
	if !s.autoSync || s.synced == p.Name {
		return
	}
	first := s.synced == ""
	s.synced = p.Name
	c := s.env.Core
	if first {
		c.StartBackgroundSync(context.Background())
		return
	}
	s.syncNow()
}

// syncNow syncs the library now (the profile menu); progress shows in the
// sidebar and a failure in a notice.
func (s *Shell) syncNow() {
	c := s.env.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		_, err := c.Sync(ctx, core.SyncOptions{})
		if errors.Is(err, core.ErrOffline) {
			s.env.do(func() { s.notify("The library cannot be synced while offline.") })
		}
	}()
}
