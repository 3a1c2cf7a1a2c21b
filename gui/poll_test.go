package gui

import (
	"testing"
	"time"
)

// TestRemotePanelsPollOnlyWhileShown: the localplay and democratic panels
// refresh while shown, and make no request once left or while the window
// is hidden to the tray (counted on the server).
func TestRemotePanelsPollOnlyWhileShown(t *testing.T) {
	for _, tc := range []struct {
		route  PageName
		action string
	}{
		{PageLocalplay, "localplay"},
		{PageDemocratic, "democratic"},
	} {
		t.Run(tc.action, func(t *testing.T) {
			h := newHarness(t, harnessOptions{})
			fastRemote(h)
			requests := func() int { return h.srv.Requests(tc.action) }
			pollerOf := func(p Page) *poller {
				switch p := p.(type) {
				case *localplayPage:
					return p.poll
				case *democraticPage:
					return p.poll
				}
				t.Fatalf("page %T has no poller", p)
				return nil
			}
			// quiet checks that no request comes for ten intervals once the
			// poller's loop has ended.
			quiet := func(what string, pl *poller) {
				t.Helper()
				var ended <-chan struct{}
				h.ui(func() {
					if pl.running() {
						t.Fatalf("%s: still polling", what)
					}
					ended = pl.ended()
				})
				select {
				case <-ended:
				case <-time.After(15 * time.Second):
					t.Fatalf("%s: the poller did not end", what)
				}
				// A request cancelled on its way may still reach the server
				// just after the loop ended: count from a moment later.
				time.Sleep(remoteEvery)
				n := requests()
				time.Sleep(10 * remoteEvery) // the window in which a poll would show
				if got := requests(); got != n {
					t.Fatalf("%s: %d requests in %v", what, got-n, 10*remoteEvery)
				}
			}
			polling := func(what string) {
				t.Helper()
				n := requests()
				h.waitFor(what, func() bool { return requests() >= n+3 })
			}

			page := h.navigate(Route{Page: tc.route})
			pl := pollerOf(page)
			polling("refreshes while shown")

			h.navigate(Route{Page: PageAlbums})
			quiet("left for the albums", pl)

			h.ui(func() { h.shell.Back() })
			var back Page
			h.ui(func() { back = h.shell.current })
			if back.Route().Page != tc.route {
				t.Fatalf("Back shows %v", back.Route())
			}
			pl = pollerOf(back)
			polling("refreshes after Back")

			h.ui(func() { h.shell.SetWindowShown(false) })
			quiet("window hidden to the tray", pl)

			h.ui(func() { h.shell.SetWindowShown(true) })
			polling("refreshes when the window shows again")

			// A page opened while the window is hidden starts quiet.
			h.ui(func() { h.shell.SetWindowShown(false) })
			h.navigate(Route{Page: PageQueue})
			pl = pollerOf(h.navigate(Route{Page: tc.route}))
			h.ui(func() {
				if pl.running() || pl.ended() != nil {
					t.Fatal("a panel opened in a hidden window polls")
				}
			})
			h.ui(func() { h.shell.SetWindowShown(true) })
			polling("refreshes once the window shows")
		})
	}
}
