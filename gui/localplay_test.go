package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
)

// remoteEvery is the panels' refresh interval in tests.
const remoteEvery = 20 * time.Millisecond

// fastRemote makes the remote panels refresh every remoteEvery.
func fastRemote(h *harness) {
	h.ui(func() {
		h.shell.env.LocalplayEvery = remoteEvery
		h.shell.env.DemocraticEvery = remoteEvery
	})
}

func openLocalplay(t *testing.T, h *harness) *localplayPage {
	t.Helper()
	p, ok := h.navigate(Route{Page: PageLocalplay}).(*localplayPage)
	if !ok {
		t.Fatal("the localplay route shows no localplay panel")
	}
	h.waitFor("the localplay panel's first refresh", func() bool { return p.loaded || p.problem.Visible() })
	return p
}

// sendToLocalplay picks "Send to localplay" → choice in t's actions menu.
func sendToLocalplay(t *testing.T, h *harness, tg target, choice string) {
	t.Helper()
	h.ui(func() {
		menuItem(t, menuItem(t, h.shell.env.actionsMenu(tg), "Send to localplay").ChildMenu, choice).Action()
	})
}

func serverTitle(t *testing.T, h *harness, id int) string {
	t.Helper()
	s, ok := h.srv.Song(id)
	if !ok {
		t.Fatalf("no song %d on the server", id)
	}
	return s.Title
}

// TestLocalplayPanelDrivesTheServerPlayer: an album replaces the server's
// queue, play, next, volume, skip to, pause, stop and clear reach the
// server, and the panel follows the server's state.
func TestLocalplayPanelDrivesTheServerPlayer(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	fastRemote(h)
	p := openLocalplay(t, h)
	h.ui(func() {
		if !p.empty.Visible() || !p.clearBtn.Disabled() || p.title.Text != "Nothing playing" {
			t.Errorf("an empty player: empty %v, clear disabled %v, title %q", p.empty.Visible(), p.clearBtn.Disabled(), p.title.Text)
		}
	})

	// A song appended first, then an album that replaces the queue.
	sendToLocalplay(t, h, target{typ: client.TypeSong, id: "3", name: "three"}, "Add to the queue")
	h.waitFor("the song on the server's queue", func() bool { return len(h.srv.Localplay().Queue) == 1 })
	album, ok := h.srv.Album(2)
	if !ok || len(album.SongIDs) < 3 {
		t.Fatalf("album 2: %+v", album)
	}
	sendToLocalplay(t, h, albumTarget(client.Album{ID: "2", Name: album.Name}), "Replace the queue")
	h.waitFor("the album replacing the server's queue", func() bool {
		q := h.srv.Localplay().Queue
		if len(q) != len(album.SongIDs) {
			return false
		}
		for i, e := range q {
			if e.Type != "song" || e.ID != album.SongIDs[i] {
				return false
			}
		}
		return true
	})
	h.waitFor("a notice about the queue", func() bool { return strings.Contains(h.shell.lastNotice(), "server's player now has") })
	h.waitFor("the panel listing the album", func() bool { return len(p.view.entries) == len(album.SongIDs) })
	h.ui(func() {
		q := h.srv.Localplay().Queue
		for i, e := range p.view.entries {
			if e.Name != q[i].Name || int(e.Track) != i+1 {
				t.Errorf("entry %d: %q (track %d), server has %q", i, e.Name, e.Track, q[i].Name)
			}
		}
		rows := find[*trackRow](p.list)
		if len(rows) == 0 || rows[0].title.Text != q[0].Name {
			t.Errorf("first row does not show %q", q[0].Name)
		}
		if got := textOf(p.count); got != plural(len(q), "entry", "entries") {
			t.Errorf("count %q", got)
		}
		if p.empty.Visible() || p.clearBtn.Disabled() {
			t.Error("the queue looks empty")
		}
	})

	// Play: the status follows, with the album's art.
	h.ui(func() { test.Tap(p.playBtn) })
	first := serverTitle(t, h, album.SongIDs[0])
	h.waitFor("the server playing", func() bool { st := h.srv.Localplay(); return st.State == "play" && st.Track == 1 })
	h.waitFor("the panel playing the first song", func() bool {
		return textOf(p.state) == "PLAYING ON THE SERVER" && p.title.Text == first && p.cover.hasArt()
	})
	h.ui(func() {
		if !strings.Contains(textOf(p.byline), album.Name) {
			t.Errorf("byline %q lacks the album", textOf(p.byline))
		}
		if !strings.Contains(p.playBtn.Icon.Name(), "pause") {
			t.Errorf("play button shows %s while playing", p.playBtn.Icon.Name())
		}
	})

	// Next, volume up.
	h.ui(func() { test.Tap(p.next) })
	second := serverTitle(t, h, album.SongIDs[1])
	h.waitFor("the server on the second song", func() bool { return h.srv.Localplay().Track == 2 })
	h.waitFor("the panel on the second song", func() bool {
		rows := find[*trackRow](p.list)
		return p.title.Text == second && len(rows) > 1 && rows[1].current && !rows[0].current
	})
	vol := h.srv.Localplay().Volume
	h.ui(func() { test.Tap(p.volUp) })
	h.waitFor("the volume up on the server", func() bool { return h.srv.Localplay().Volume == vol+5 })
	h.waitFor("the panel's volume", func() bool {
		return p.volText.Text == itoa(vol+5)+"%" && p.volume.value == float64(vol+5)/100
	})

	// Skip to the third entry with a double tap on its row.
	h.ui(func() {
		for _, r := range find[*trackRow](p.list) {
			if r.id == 2 {
				r.DoubleTapped(&fyne.PointEvent{})
			}
		}
	})
	third := serverTitle(t, h, album.SongIDs[2])
	h.waitFor("the server on the third entry", func() bool { return h.srv.Localplay().Track == 3 })
	h.waitFor("the panel on the third song", func() bool { return p.title.Text == third })

	// Modes the server reports.
	h.srv.SetLocalplayRepeat(true)
	h.waitFor("repeat on", func() bool { return p.repeat.on && p.repeat.label.Text == "Repeat on" })
	h.ui(func() {
		if p.random.on {
			t.Error("random shows on")
		}
	})

	// Pause, mute, stop, clear.
	h.ui(func() { test.Tap(p.playBtn) })
	h.waitFor("the server paused", func() bool { return h.srv.Localplay().State == "pause" })
	h.waitFor("the panel paused", func() bool { return textOf(p.state) == "PAUSED" })
	h.ui(func() { test.Tap(p.mute) })
	h.waitFor("the server muted", func() bool { return h.srv.Localplay().Volume == 0 })
	h.ui(func() { test.Tap(p.stopBtn) })
	h.waitFor("the panel stopped", func() bool { return h.srv.Localplay().State == "stop" && textOf(p.state) == "STOPPED" })
	h.ui(func() { test.Tap(p.clearBtn) })
	h.waitFor("the server's queue cleared", func() bool { return len(h.srv.Localplay().Queue) == 0 })
	h.waitFor("the panel empty", func() bool { return p.empty.Visible() && len(p.view.entries) == 0 && p.title.Text == "Nothing playing" })

	// A command the player refuses is told in plain words.
	h.ui(func() { test.Tap(p.playBtn) })
	h.waitFor("a notice", func() bool { return strings.Contains(h.shell.lastNotice(), "server's player did not start playing") })

	// A podcast episode and a live stream go as themselves.
	sendToLocalplay(t, h, target{typ: client.TypePodcastEpisode, id: "1", name: "episode"}, "Add to the queue")
	h.waitFor("the episode on the server", func() bool { return len(h.srv.Localplay().Queue) == 1 })
	sendToLocalplay(t, h, target{typ: client.TypeLiveStream, id: "1", name: "station"}, "Add to the queue")
	h.waitFor("the station on the server", func() bool {
		q := h.srv.Localplay().Queue
		return len(q) == 2 && q[0].Type == "podcast_episode" && q[0].ID == 1 && q[1].Type == "live_stream" && q[1].ID == 1
	})
	h.waitFor("both in the panel", func() bool { return len(p.view.entries) == 2 })
}

// TestLocalplayExplainsWhatIsMissing: a server without localplay, and a
// user without access, get a plain explanation and no polling.
func TestLocalplayExplainsWhatIsMissing(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	fastRemote(h)
	h.srv.SetFeature(ampachetest.FeatureLocalplay, false)
	p := openLocalplay(t, h)
	h.ui(func() {
		msg := p.probText.Text
		if !p.problem.Visible() || p.body.Visible() || !strings.Contains(msg, "Localplay is turned off on this server") {
			t.Errorf("panel with localplay off: problem %v, body %v, %q", p.problem.Visible(), p.body.Visible(), msg)
		}
		if strings.Contains(msg, "4703") || strings.Contains(strings.ToLower(msg), "error") {
			t.Errorf("an error dump: %q", msg)
		}
		if p.poll.running() {
			t.Error("still polling a server without localplay")
		}
	})
	// The menu says the same.
	sendToLocalplay(t, h, target{typ: client.TypeSong, id: "3", name: "three"}, "Add to the queue")
	h.waitFor("the plain notice", func() bool { return strings.Contains(h.shell.lastNotice(), "Localplay is turned off") })

	// Turned on: Try again shows the player.
	h.srv.SetFeature(ampachetest.FeatureLocalplay, true)
	h.ui(func() {
		for _, b := range find[*widget.Button](p.problem) {
			if b.Text == "Try again" {
				test.Tap(b)
			}
		}
	})
	h.waitFor("the player after Try again", func() bool { return p.loaded && p.body.Visible() && !p.problem.Visible() && p.poll.running() })

	// A user whose access level is below localplay's.
	u := newHarness(t, harnessOptions{noConnect: true})
	fastRemote(u)
	err := u.core.ConnectWith(context.Background(),
		storage.Profile{Name: "Listener", URL: u.srv.URL, User: u.srv.User.Username, Auth: storage.AuthPassword},
		client.Credentials{User: u.srv.User.Username, Password: u.srv.User.Password})
	if err != nil {
		t.Fatal(err)
	}
	u.waitFor("the albums page", func() bool { _, ok := u.shell.current.(*albumsPage); return ok })
	q := openLocalplay(t, u)
	u.ui(func() {
		if msg := q.probText.Text; !q.problem.Visible() || !strings.Contains(msg, "Your account may not use localplay") {
			t.Errorf("panel for an account without access: %q", msg)
		}
	})
}
