package gui

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
)

// loginSaved logs in as the admin through core (the secret goes to the
// harness's keyring, so that core can reconnect by itself) and waits for
// the albums page.
func loginSaved(t testing.TB, h *harness, name string) {
	t.Helper()
	_, err := h.core.Login(context.Background(), core.LoginRequest{
		Server: h.srv.URL, User: h.srv.Admin.Username, Password: h.srv.Admin.Password, Name: name,
	})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	h.waitFor("the albums page", func() bool { _, ok := h.shell.current.(*albumsPage); return ok })
}

func hostOf(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Host
}

// TestSidebarShowsSyncProgressAndOffline: a sync shows its progress in
// the sidebar; when the server goes away the window says "Offline" and
// keeps the library, Retry says when the server is still gone and brings
// the window back online once it is back.
func TestSidebarShowsSyncProgressAndOffline(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	loginSaved(t, h, "Home")
	st := h.shell.status
	h.ui(func() {
		if st.Visible() {
			t.Error("the status card shows with nothing to say")
		}
	})

	// A sync held on its songs: its progress shows.
	release := h.srv.StallNext("songs", 1)
	done := make(chan error, 1)
	go func() {
		_, err := h.core.Sync(context.Background(), core.SyncOptions{})
		done <- err
	}()
	h.waitFor("the sync's progress", func() bool {
		return st.Visible() && st.syncBox.Visible() && st.bar.Visible() && st.bar.value > 0 &&
			st.bar.value < 1 && strings.Contains(textOf(st.syncText), " of ")
	})
	release()
	if err := <-done; err != nil {
		t.Fatalf("sync: %v", err)
	}
	h.waitFor("the progress gone after the sync", func() bool { return !st.Visible() && !st.syncBox.Visible() })

	// The server goes away; a sync (the profile menu's "Sync now") finds out.
	addr := hostOf(t, h.srv.URL)
	h.srv.CloseClientConnections()
	h.srv.Close()
	h.ui(h.shell.syncNow)
	h.waitFor("Offline in the sidebar", func() bool {
		return st.Visible() && st.offBox.Visible() && strings.Contains(st.offText.Text, "does not answer")
	})
	h.ui(func() {
		if _, ok := h.shell.current.(*albumsPage); !ok {
			t.Errorf("offline shows %T, not the library", h.shell.current)
		}
		if h.shell.profile.Text != "Home" {
			t.Errorf("profile button %q", h.shell.profile.Text)
		}
	})

	// Retry while it is still gone.
	h.ui(func() { test.Tap(st.retry) })
	h.waitFor("still offline", func() bool {
		return strings.Contains(h.shell.lastNotice(), "Still offline: cannot reach the server") && !st.trying && st.offBox.Visible()
	})

	// Back at the same address: Retry brings the window online.
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{})
	if err := srv.StartOn(addr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	h.ui(func() { test.Tap(st.retry) })
	h.waitFor("online again", func() bool {
		_, _, ok := h.core.Connection()
		return ok && !st.offBox.Visible() && !st.Visible()
	})
	h.ui(func() {
		if _, ok := h.shell.current.(*albumsPage); !ok {
			t.Errorf("back online shows %T", h.shell.current)
		}
	})
}

// startShell opens a second window on a new core over the harness's
// folders, as a new start of Ampdesk, and calls Start.
func startShell(t testing.TB, h *harness) (*Shell, *core.Core) {
	t.Helper()
	c := h.newCore()
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(w.Close)
	var s *Shell
	h.ui(func() {
		art := core.NewArtSource(c, h.cache)
		t.Cleanup(art.Close)
		s = New(Deps{Core: c, App: h.app, Window: w, Art: art, Do: h.do, Debounce: h.shell.env.Debounce})
		s.Start()
	})
	t.Cleanup(s.Close)
	return s, c
}

// syncedAndClosed logs in, syncs the library and closes the core: what a
// previous run of Ampdesk leaves on this computer.
func syncedAndClosed(t testing.TB, h *harness) {
	t.Helper()
	loginSaved(t, h, "Home")
	if _, err := h.core.Sync(context.Background(), core.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	h.core.Close(context.Background())
}

// TestStartShowsTheCachedLibraryBeforeTheServerAnswers: with a synced
// library, the window shows it while the server has not answered, and
// keeps the same page once connected.
func TestStartShowsTheCachedLibraryBeforeTheServerAnswers(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	syncedAndClosed(t, h)

	deletions := h.srv.Requests("deleted_songs")
	release := h.srv.StallNext("", 1<<20) // every request waits
	defer release()
	s, c := startShell(t, h)
	var albums *albumsPage
	h.waitFor("the cached albums", func() bool {
		a, ok := s.current.(*albumsPage)
		albums = a
		return ok && a.pager.Len() > 0
	})
	if _, _, ok := c.Connection(); ok {
		t.Fatal("connected although the server answers nothing")
	}
	h.ui(func() {
		if !s.status.connBox.Visible() || !strings.Contains(textOf(s.status.connText), "Connecting to Home") {
			t.Errorf("no “Connecting” in the sidebar: %q", textOf(s.status.connText))
		}
		if s.profile.Text != "Home" {
			t.Errorf("profile button %q", s.profile.Text)
		}
	})

	release()
	h.waitFor("connected", func() bool {
		_, _, ok := c.Connection()
		return ok && !s.status.connBox.Visible()
	})
	h.ui(func() {
		if s.current != Page(albums) {
			t.Errorf("connecting replaced the albums page with %T", s.current)
		}
	})
	// Connected, the library is synced in the background (incrementally:
	// it asks for deletions since the last sync).
	h.waitFor("a background sync", func() bool { return h.srv.Requests("deleted_songs") > deletions })
}

// TestRemotePanelWaitsForTheConnection: a panel opened while the window
// shows the cached library and connects says so, and shows the server's
// player once connected.
func TestRemotePanelWaitsForTheConnection(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	syncedAndClosed(t, h)
	release := h.srv.StallNext("", 1<<20)
	defer release()
	s, _ := startShell(t, h)
	h.waitFor("the cached albums", func() bool { _, ok := s.current.(*albumsPage); return ok })
	var p *localplayPage
	h.ui(func() {
		s.env.LocalplayEvery = remoteEvery
		s.Navigate(Route{Page: PageLocalplay})
		p = s.current.(*localplayPage)
	})
	h.waitFor("the panel waiting", func() bool {
		return p.problem.Visible() && strings.Contains(p.probText.Text, "Connect to a server")
	})
	release()
	h.waitFor("the player once connected", func() bool { return p.loaded && p.body.Visible() && !p.problem.Visible() })
}

// TestStartOfflineShowsTheLibrary: with a synced library and the server
// gone, the window opens the library offline.
func TestStartOfflineShowsTheLibrary(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	syncedAndClosed(t, h)
	h.srv.CloseClientConnections()
	h.srv.Close()

	s, _ := startShell(t, h)
	h.waitFor("the library offline", func() bool {
		a, ok := s.current.(*albumsPage)
		return ok && a.pager.Len() > 0 && s.status.offBox.Visible() && !s.status.connBox.Visible()
	})
}

// TestPanelsNoticeTheServerGone: a polling panel that loses the server
// turns the window offline at once (not at the next sync) and says why it
// cannot show the player.
func TestPanelsNoticeTheServerGone(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	fastRemote(h)
	loginSaved(t, h, "Home")
	if _, err := h.core.Sync(context.Background(), core.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	p := openLocalplay(t, h)
	h.srv.CloseClientConnections()
	h.srv.Close()
	h.waitFor("Offline in the sidebar", func() bool { return h.shell.status.offBox.Visible() })
	h.waitFor("the panel saying so", func() bool {
		return p.notice.Visible() && strings.Contains(p.notice.Text, "Ampdesk is offline")
	})
}
