package desktop

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

const emptyMenu = "Nothing playing|-|Play|Next|Previous|-|Hide window|Localplay[Play/Pause|Next|Previous]|-|Quit"

func TestTrayMenu(t *testing.T) {
	noSessionBus(t)
	e := newTestEnv(t)
	app := newFakeApp()
	var w windowCalls
	s := start(t, w.deps(Deps{App: app, Core: e.core}))

	m := app.menu()
	if m == nil {
		t.Fatal("no tray menu was set")
	}
	if got := labels(m); got != emptyMenu {
		t.Fatalf("menu before playing:\n got %s\nwant %s", got, emptyMenu)
	}
	if !m.Items[0].Disabled {
		t.Error("the now-playing line is not disabled")
	}
	if app.icon == nil || len(app.icon.Content()) == 0 {
		t.Error("no tray icon")
	}
	// One Quit, marked so that Fyne adds none, calling Deps.Quit.
	quits := strings.Count(labels(m), "Quit")
	last := m.Items[len(m.Items)-1]
	if quits != 1 || !last.IsQuit {
		t.Fatalf("Quit items: %d, last IsQuit %v", quits, last.IsQuit)
	}
	last.Action()
	if _, _, q := w.counts(); q != 1 {
		t.Fatalf("Quit called Deps.Quit %d times", q)
	}

	e.play(t)
	first := e.items[0]
	wantNow := first.Title + " — " + first.Artist
	waitFor(t, "the menu shows the playing song", func() bool {
		m := app.menu()
		return m.Items[0].Label == wantNow && item(m, labelPause) != nil
	})

	// Next advances the queue; the menu follows.
	item(app.menu(), labelNext).Action()
	waitFor(t, "Next moves to the second song", func() bool { return e.index() == 1 })
	second := e.items[1].Title + " — " + e.items[1].Artist
	waitFor(t, "the menu shows the second song", func() bool { return app.menu().Items[0].Label == second })

	// Pause, and the toggle reads Play.
	item(app.menu(), labelPause).Action()
	waitFor(t, "the menu offers Play once paused", func() bool { return item(app.menu(), labelPlay) != nil })

	// Previous goes back (from the start of a song).
	e.rewind(t)
	item(app.menu(), labelPrevious).Action()
	waitFor(t, "Previous moves to the first song", func() bool { return e.index() == 0 })

	// Hide, then Show: the item flips and the window functions run.
	item(app.menu(), labelHide).Action()
	if _, h, _ := w.counts(); h != 1 {
		t.Fatalf("Hide window called Hide %d times", h)
	}
	show := item(app.menu(), labelShow)
	if show == nil {
		t.Fatalf("after hiding, the menu is %s", labels(app.menu()))
	}
	show.Action()
	if sh, _, _ := w.counts(); sh != 1 || item(app.menu(), labelHide) == nil {
		t.Fatalf("Show window: Show called %d times, menu %s", sh, labels(app.menu()))
	}
	if !s.visible.Load() {
		t.Fatal("the window is not visible after Show window")
	}
}

func TestTrayMenuWithoutShowHide(t *testing.T) {
	noSessionBus(t)
	e := newTestEnv(t)
	app := newFakeApp()
	start(t, Deps{App: app, Core: e.core}) // no Show/Hide; Quit defaults to the app's
	want := "Nothing playing|-|Play|Next|Previous|-|Localplay[Play/Pause|Next|Previous]|-|Quit"
	if got := labels(app.menu()); got != want {
		t.Fatalf("menu:\n got %s\nwant %s", got, want)
	}
}

func TestTrayLocalplay(t *testing.T) {
	noSessionBus(t)
	e := newTestEnv(t)
	app := newFakeApp()
	start(t, Deps{App: app, Core: e.core})
	ctx := t.Context()
	// Long songs, so that the server's player does not move on by itself.
	if err := e.core.LocalplayAdd(ctx, "song", true, e.items[0].ID, e.items[1].ID, e.items[2].ID); err != nil {
		t.Fatal(err)
	}
	lp := func(label string) {
		t.Helper()
		it := item(app.menu(), labelLocalplay, label)
		if it == nil {
			t.Fatalf("no Localplay > %s in %s", label, labels(app.menu()))
		}
		it.Action()
	}
	lp(labelLPToggle)
	waitFor(t, "localplay plays", func() bool { return e.srv.Localplay().State == "play" })
	start := e.srv.Localplay().Track
	lp(labelNext)
	waitFor(t, "localplay moves to the next entry", func() bool { return e.srv.Localplay().Track == start+1 })
	lp(labelPrevious)
	waitFor(t, "localplay moves back", func() bool { return e.srv.Localplay().Track == start })
	lp(labelLPToggle)
	waitFor(t, "localplay pauses", func() bool { return e.srv.Localplay().State == "pause" })

	// A server with localplay switched off: a notification in plain words.
	e.srv.SetFeature(ampachetest.FeatureLocalplay, false)
	lp(labelNext)
	waitFor(t, "a notification explains the failure", func() bool {
		for _, n := range app.notifications() {
			if n.Title == "Localplay" {
				return true
			}
		}
		return false
	})
	for _, n := range app.notifications() {
		if n.Title == "Localplay" && !strings.HasPrefix(n.Content, "this feature is disabled on the server") {
			t.Fatalf("the localplay failure reads %q, not in plain words", n.Content)
		}
	}
}

func TestNotificationsOnTrackChange(t *testing.T) {
	noSessionBus(t)
	e := newTestEnv(t)
	app := newFakeApp()
	start(t, Deps{App: app, Core: e.core})
	e.play(t)
	first := e.items[0]
	want := fyne.Notification{Title: first.Title, Content: first.Artist + " — " + first.Album}
	waitFor(t, "a notification for the first song", func() bool { return len(app.notifications()) >= 1 })
	if got := app.notifications()[0]; got != want {
		t.Fatalf("notification %+v, want %+v", got, want)
	}
	e.core.Player().Next()
	waitFor(t, "a notification for the second song", func() bool { return len(app.notifications()) >= 2 })
	if got := app.notifications()[1].Title; got != e.items[1].Title {
		t.Fatalf("second notification is for %q, want %q", got, e.items[1].Title)
	}
	if n := len(app.notifications()); n != 2 {
		t.Fatalf("%d notifications for two songs", n)
	}

	// Switched off in the settings: no more notifications.
	off := false
	if _, err := e.core.Settings().Update(func(s *storage.Settings) { s.Notifications = &off }); err != nil {
		t.Fatal(err)
	}
	e.core.Player().Next()
	waitFor(t, "the third song", func() bool { return e.index() == 2 })
	e.core.Player().Next()
	waitFor(t, "the fourth song", func() bool { return e.index() == 3 })
	if n := len(app.notifications()); n != 2 {
		t.Fatalf("%d notifications with notifications off, want still 2", n)
	}
}

func TestTrackLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		item core.Item
		want string
	}{
		{core.Item{Artist: "Björk", Album: "Homogenic"}, "Björk — Homogenic"},
		{core.Item{Artist: "Björk"}, "Björk"},
		{core.Item{Album: "A podcast"}, "A podcast"},
		{core.Item{}, ""},
	}
	for _, tc := range tests {
		if got := trackLine(tc.item); got != tc.want {
			t.Errorf("trackLine(%+v) = %q, want %q", tc.item, got, tc.want)
		}
	}
	long := snapshot{HasItem: true, Item: core.Item{Title: strings.Repeat("é", 80), Artist: "X"}}
	if got := nowPlaying(long); len([]rune(got)) != 60 || !strings.HasSuffix(got, "…") {
		t.Errorf("a long title is shown as %q (%d runes)", got, len([]rune(got)))
	}
}

func TestCloseWindowWithoutTray(t *testing.T) {
	noSessionBus(t)
	e := newTestEnv(t)
	var w windowCalls
	s := start(t, w.deps(Deps{App: newFakeApp(), Core: e.core}))
	if s.TrayAvailable() || s.CloseToTray() {
		t.Fatal("a tray is reported without a session bus")
	}
	s.CloseWindow()
	if _, h, q := w.counts(); h != 0 || q != 1 {
		t.Fatalf("closing without a tray: hide %d, quit %d; want quit", h, q)
	}
}
