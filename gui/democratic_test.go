package gui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

func openDemocratic(t *testing.T, h *harness) *democraticPage {
	t.Helper()
	p, ok := h.navigate(Route{Page: PageDemocratic}).(*democraticPage)
	if !ok {
		t.Fatal("the democratic route shows no democratic panel")
	}
	h.waitFor("the democratic panel's first refresh", func() bool { return p.loaded || p.problem.Visible() })
	return p
}

// serverOrder is the democratic queue on the server: song ids in play
// order.
func serverOrder(h *harness) []int {
	var ids []int
	for _, e := range h.srv.Democratic() {
		ids = append(ids, e.SongID)
	}
	return ids
}

// panelOrder is the queue as the panel shows it.
func panelOrder(p *democraticPage) []int {
	var ids []int
	for _, s := range p.songs {
		ids = append(ids, atoi(string(s.ID)))
	}
	return ids
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// demoRow finds the visible row of a song.
func demoRow(p *democraticPage, id int) *democraticRow {
	for _, r := range find[*democraticRow](p.list) {
		if r.row.id >= 0 && r.row.id < len(p.songs) && atoi(string(p.songs[r.row.id].ID)) == id {
			return r
		}
	}
	return nil
}

// TestDemocraticVotesOrderTheQueue: votes from the actions menu and the
// panel reach the server, the panel shows its order and counts, and
// taking a vote back moves the song down.
func TestDemocraticVotesOrderTheQueue(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	fastRemote(h)
	p := openDemocratic(t, h)
	h.ui(func() {
		if !p.empty.Visible() || len(p.songs) != 0 {
			t.Error("an empty democratic queue does not say so")
		}
	})
	const a, b = 10, 11

	// "Vote for this" from a song's menu, for a, then b.
	for i, id := range []int{a, b} {
		h.ui(func() {
			menuItem(t, h.shell.env.actionsMenu(target{typ: client.TypeSong, id: client.ID(itoa(id)), name: "song"}), "Vote for this").Action()
		})
		h.waitFor("the vote on the server", func() bool { return len(serverOrder(h)) == i+1 })
	}
	h.waitFor("both songs voted on the server", func() bool { return slices.Equal(serverOrder(h), []int{a, b}) })
	h.waitFor("the panel in the server's order", func() bool { return slices.Equal(panelOrder(p), []int{a, b}) })
	h.ui(func() {
		for _, id := range []int{a, b} {
			r := demoRow(p, id)
			if r == nil || r.votes.Text != "1 vote" || r.vote.Text != "Voted" {
				t.Fatalf("row of song %d: %+v", id, r)
			}
		}
		if got := textOf(p.count); got != "2 songs" {
			t.Errorf("count %q", got)
		}
	})

	// Another listener votes for b: it leads with two votes.
	other := h.newCore()
	if err := other.ConnectWith(context.Background(),
		storage.Profile{Name: "Other", URL: h.srv.URL, User: h.srv.User.Username, Auth: storage.AuthPassword},
		client.Credentials{User: h.srv.User.Username, Password: h.srv.User.Password}); err != nil {
		t.Fatal(err)
	}
	if err := other.Vote(context.Background(), client.ID(itoa(b))); err != nil {
		t.Fatal(err)
	}
	h.waitFor("b first in the panel", func() bool { return slices.Equal(panelOrder(p), []int{b, a}) })
	h.ui(func() {
		if r := demoRow(p, b); r == nil || r.votes.Text != "2 votes" {
			t.Errorf("b's votes: %+v", r)
		}
	})

	// Taking my vote for b back (its button) puts a first again: a's vote
	// is the older of the two single votes.
	h.ui(func() { test.Tap(demoRow(p, b).vote) })
	h.waitFor("b devoted on the server", func() bool { return slices.Equal(serverOrder(h), []int{a, b}) })
	h.waitFor("a first in the panel", func() bool { return slices.Equal(panelOrder(p), []int{a, b}) })
	h.waitFor("b's button offering a vote", func() bool { r := demoRow(p, b); return r != nil && r.vote.Text == "Vote" })
	h.ui(func() {
		if e := h.srv.Democratic(); e[1].Votes != 1 || !slices.Equal(e[1].Voters, []string{h.srv.User.Username}) {
			t.Errorf("b's voters on the server: %+v", e[1])
		}
	})

	// Voting again (the button) puts b back on top.
	h.ui(func() { test.Tap(demoRow(p, b).vote) })
	h.waitFor("b first again", func() bool {
		return slices.Equal(serverOrder(h), []int{b, a}) && slices.Equal(panelOrder(p), []int{b, a})
	})

	// "Remove my vote" from a row's menu.
	h.ui(func() { h.shell.env.vote(client.ID(itoa(a)), "a", false, nil) })
	h.waitFor("a gone", func() bool { return slices.Equal(serverOrder(h), []int{b}) && slices.Equal(panelOrder(p), []int{b}) })
}

// TestDemocraticListenHere plays the democratic stream in Ampdesk's own
// player.
func TestDemocraticListenHere(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	fastRemote(h)
	for _, id := range []client.ID{"2", "3"} {
		if err := h.core.Vote(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	p := openDemocratic(t, h)
	h.waitFor("the queue", func() bool { return len(p.songs) == 2 })
	events, stop := h.core.Subscribe()
	defer stop()
	h.ui(func() { test.Tap(p.listen) })
	var changed core.TrackChanged
	h.waitFor("TrackChanged to the democratic stream", func() bool {
		for {
			select {
			case ev := <-events:
				if tc, ok := ev.(core.TrackChanged); ok && tc.Item.Type == client.TypeDemocratic {
					changed = tc
					return true
				}
			default:
				return false
			}
		}
	})
	if changed.Index != 0 || changed.Item.Title == "" {
		t.Errorf("track changed to %+v", changed)
	}
	h.waitFor("the player playing", func() bool {
		pl := h.core.Player()
		return pl != nil && pl.Status().State == audio.Playing
	})
	h.waitFor("the bar showing the stream", func() bool { return h.shell.bar.title.Text == changed.Item.Title })
	// The server plays the queue: its first song left the queue.
	h.waitFor("the stream taking songs off the queue", func() bool { return len(h.srv.Democratic()) < 2 })
	h.waitFor("a notice", func() bool { return strings.Contains(h.shell.lastNotice(), "democratic queue here") })
}

// TestDemocraticExplainsWhatIsMissing: democratic play switched off gets
// a plain explanation, no polling, and Listen here is disabled.
func TestDemocraticExplainsWhatIsMissing(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	fastRemote(h)
	h.srv.SetFeature(ampachetest.FeatureDemocratic, false)
	p := openDemocratic(t, h)
	h.ui(func() {
		if msg := p.probText.Text; !p.problem.Visible() || !strings.Contains(msg, "Democratic play is turned off on this server") || strings.Contains(msg, "4703") {
			t.Errorf("panel with democratic play off: %q", msg)
		}
		if p.poll.running() || !p.listen.Disabled() {
			t.Errorf("polling %v, listen enabled %v", p.poll.running(), !p.listen.Disabled())
		}
	})
	h.ui(func() {
		menuItem(t, h.shell.env.actionsMenu(target{typ: client.TypeSong, id: "4", name: "four"}), "Vote for this").Action()
	})
	h.waitFor("the plain notice", func() bool { return strings.Contains(h.shell.lastNotice(), "Democratic play is turned off") })
}
