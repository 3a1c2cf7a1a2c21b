package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
)

// Helpers of the playlists, podcasts, radio, shares and bookmarks tests.

// newHarnessAs is a harness connected as another account of the server
// (the level-25 user).
func newHarnessAs(t *testing.T, account func(*ampachetest.Server) ampachetest.Account) *harness {
	t.Helper()
	h := newHarness(t, harnessOptions{noConnect: true})
	a := account(h.srv)
	err := h.core.ConnectWith(context.Background(),
		storage.Profile{Name: "Test " + a.Username, URL: h.srv.URL, User: a.Username, Auth: storage.AuthPassword},
		client.Credentials{User: a.Username, Password: a.Password})
	if err != nil {
		t.Fatalf("connect as %s: %v", a.Username, err)
	}
	h.waitFor("the albums page after connecting", func() bool {
		_, ok := h.shell.current.(*albumsPage)
		return ok
	})
	return h
}

// overlayButton waits for a visible, enabled button labelled label in the
// window's dialogs and menus.
func (h *harness) overlayButton(label string) *widget.Button {
	h.t.Helper()
	var b *widget.Button
	h.waitFor("a “"+label+"” button in a dialog", func() bool {
		for _, o := range h.overlays() {
			if x, ok := o.(*widget.Button); ok && x.Text == label && !x.Disabled() {
				b = x
				return true
			}
		}
		return false
	})
	return b
}

// tapOverlayButton taps the button labelled label in a dialog.
func (h *harness) tapOverlayButton(label string) {
	h.t.Helper()
	b := h.overlayButton(label)
	h.ui(func() { test.Tap(b) })
}

// overlayEntry waits for an entry of a dialog; match picks it.
func (h *harness) overlayEntry(what string, match func(*entry) bool) *entry {
	h.t.Helper()
	var e *entry
	h.waitFor(what, func() bool {
		for _, o := range h.overlays() {
			if x, ok := o.(*entry); ok && match(x) {
				e = x
				return true
			}
		}
		return false
	})
	return e
}

// overlayText reports whether a label of a dialog holds all of parts.
func (h *harness) overlayText(parts ...string) bool {
	for _, o := range h.overlays() {
		l, ok := o.(*widget.Label)
		if !ok {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l.Text, p)
		}
		if all {
			return true
		}
	}
	return false
}

// noOverlays reports whether every dialog is closed.
func (h *harness) noOverlays() bool { return h.win.Canvas().Overlays().Top() == nil }

// visibleRow returns the visible row of type T for which id reports index i.
func visibleRow[T fyne.CanvasObject](t *testing.T, list fyne.CanvasObject, id func(T) int, i int) T {
	t.Helper()
	for _, r := range find[T](list) {
		if id(r) == i {
			return r
		}
	}
	var zero T
	t.Fatalf("no visible row %d", i)
	return zero
}

// serverPlaylist finds the admin's playlist named name on the server.
func serverPlaylist(h *harness, name string) (ampachetest.Playlist, bool) {
	for _, p := range h.srv.Playlists(h.srv.Admin.Username) {
		if p.Name == name {
			return p, true
		}
	}
	return ampachetest.Playlist{}, false
}
