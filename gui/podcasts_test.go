package gui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

func TestPodcastSubscribeRefusedForAUser(t *testing.T) {
	h := newHarnessAs(t, func(s *ampachetest.Server) ampachetest.Account { return s.User })
	page := h.navigate(Route{Page: PagePodcasts}).(*podcastsPage)
	h.waitFor("the podcasts", func() bool { return page.state.podcasts != nil })
	before := len(h.srv.Podcasts())
	h.ui(func() { test.Tap(page.subscribe) })
	feed := h.overlayEntry("the feed field", func(x *entry) bool { return strings.HasPrefix(x.PlaceHolder, "https://") })
	h.ui(func() { test.Type(feed, "https://feeds.example.com/show.xml") })
	h.tapOverlayButton("Subscribe")
	h.waitFor("the refusal in plain words", func() bool {
		return h.overlayText("Could not subscribe", "not allowed", "catalog manager access")
	})
	if n := len(h.srv.Podcasts()); n != before {
		t.Fatalf("%d podcasts on the server after a refusal, want %d", n, before)
	}
	if h.noOverlays() {
		t.Fatal("the dialog closed on a refusal")
	}
}

func TestPodcastSubscribeAndOpen(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	page := h.navigate(Route{Page: PagePodcasts}).(*podcastsPage)
	h.waitFor("the podcasts", func() bool { return len(page.state.podcasts) > 0 })
	before := len(h.srv.Podcasts())
	h.ui(func() {
		if n := len(find[*podcastCard](page.grid)); n != before {
			t.Errorf("%d cards for %d podcasts", n, before)
		}
		test.Tap(page.subscribe)
	})
	feed := h.overlayEntry("the feed field", func(x *entry) bool { return strings.HasPrefix(x.PlaceHolder, "https://") })
	h.ui(func() { test.Type(feed, "not a feed") })
	h.tapOverlayButton("Subscribe")
	h.waitFor("the bad address refused before asking the server", func() bool { return h.overlayText("not a web address") })
	h.ui(func() {
		feed.SetText("")
		test.Type(feed, "https://feeds.example.com/new-show.xml")
	})
	h.tapOverlayButton("Subscribe")
	var pp *podcastPage
	h.waitFor("the new podcast's page with its episodes", func() bool {
		p, ok := h.shell.current.(*podcastPage)
		pp = p
		return ok && p.state.podcast != nil && len(p.state.episodes) > 0
	})
	if n := len(h.srv.Podcasts()); n != before+1 {
		t.Fatalf("%d podcasts on the server, want %d", n, before+1)
	}
	var episodes int
	h.ui(func() {
		if !strings.Contains(textOf(pp.meta), "episode") {
			t.Errorf("meta %q", textOf(pp.meta))
		}
		episodes = len(pp.state.episodes)
		test.Tap(pp.refreshBtn)
	})
	// update_podcast finds a new episode.
	h.waitFor("the new episode after checking the feed", func() bool { return len(pp.state.episodes) == episodes+1 })

	// Unsubscribe, with confirmation.
	h.ui(func() { test.Tap(pp.unsubBtn) })
	h.tapOverlayButton("Unsubscribe")
	h.waitFor("the podcast gone from the server", func() bool { return len(h.srv.Podcasts()) == before })
	h.waitFor("the podcasts page again", func() bool {
		p, ok := h.shell.current.(*podcastsPage)
		return ok && len(p.state.podcasts) == before
	})
}

// TestEpisodeDownloadsThenPlaysWithoutTheServer downloads an episode from
// its page (the progress shows), stops the server, and plays it.
func TestEpisodeDownloadsThenPlaysWithoutTheServer(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ep, err := h.srv.AddEpisode(1, "A short talk", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	id := client.ID(strconv.Itoa(ep.ID))
	page := h.navigate(PodcastRoute("1")).(*podcastPage)
	var row *episodeRow
	h.waitFor("the new episode's row", func() bool {
		if page.state.podcast == nil {
			return false
		}
		i := page.indexOfEpisode(id)
		for _, r := range find[*episodeRow](page.list) {
			if r.id == i && r.title.Text == "A short talk" {
				row = r
				return true
			}
		}
		return false
	})
	h.ui(func() {
		if i := page.indexOfEpisode(id); i != 0 {
			t.Errorf("the newest episode is row %d, want 0", i)
		}
		if !row.download.Visible() || row.offline.Visible() {
			t.Error("a new episode shows no download button")
		}
		if line := textOf(row.line); !strings.Contains(line, "New") {
			t.Errorf("line %q", line)
		}
	})

	// Hold the file so that the progress shows, then let it through.
	release := h.srv.StallNext("play", 1)
	h.ui(func() { test.Tap(row.download) })
	h.waitFor("the progress bar", func() bool {
		return row.progressBox.Visible() && row.cancelDl.Visible() && !row.download.Visible()
	})
	release()
	h.waitFor("the episode available offline", func() bool {
		return row.offline.Visible() && row.removeDl.Visible() && !row.progressBox.Visible() &&
			strings.Contains(textOf(row.line), "Available offline")
	})
	if _, ok := h.core.DownloadState(client.TypePodcastEpisode, id); !ok {
		t.Fatal("the core does not list the download")
	}

	// No server: play from the page.
	h.srv.CloseClientConnections()
	h.srv.Close()
	h.ui(func() { test.Tap(row.play) })
	h.waitFor("the episode playing from its file", func() bool {
		items, idx := h.core.Queue()
		p := h.core.Player()
		if p == nil || idx < 0 || idx >= len(items) || items[idx].ID != id {
			return false
		}
		st := p.Status()
		return st.State == audio.Playing && st.Position >= time.Second
	})
	h.waitFor("the row marked playing", func() bool { return row.current })
}

func TestEpisodeRemoveDownloadAndDelete(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ep, err := h.srv.AddEpisode(2, "Short news", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	id := client.ID(strconv.Itoa(ep.ID))
	if _, err := h.core.Download(context.Background(), client.TypePodcastEpisode, id); err != nil {
		t.Fatal(err)
	}
	page := h.navigate(PodcastRoute("2")).(*podcastPage)
	h.waitFor("the episode shown as downloaded", func() bool {
		return page.state.podcast != nil && page.state.downloaded[id]
	})
	h.ui(func() { page.removeDownload(page.indexOfEpisode(id)) })
	h.waitFor("the download removed", func() bool { return !page.state.downloaded[id] })
	if _, ok := h.core.DownloadState(client.TypePodcastEpisode, id); ok {
		t.Fatal("the core still lists the download")
	}

	// Delete the episode (admin: allowed), with confirmation.
	h.ui(func() {
		m := page.episodeMenu(page.indexOfEpisode(id))
		menuItem(t, m, "Delete the episode…").Action()
	})
	h.tapOverlayButton("Delete")
	h.waitFor("the episode gone", func() bool { return page.indexOfEpisode(id) < 0 })
	for _, e := range h.srv.Episodes(2) {
		if e.ID == ep.ID {
			t.Fatal("the episode is still on the server")
		}
	}
}

func TestEpisodeDeleteRefusedForAUser(t *testing.T) {
	h := newHarnessAs(t, func(s *ampachetest.Server) ampachetest.Account { return s.User })
	page := h.navigate(PodcastRoute("1")).(*podcastPage)
	h.waitFor("the episodes", func() bool { return len(page.state.episodes) > 0 })
	before := len(h.srv.Episodes(1))
	h.ui(func() { menuItem(t, page.episodeMenu(0), "Delete the episode…").Action() })
	h.tapOverlayButton("Delete")
	h.waitFor("the refusal", func() bool {
		n := h.shell.lastNotice()
		return strings.Contains(n, "not allowed") && strings.Contains(n, "catalog manager access")
	})
	if n := len(h.srv.Episodes(1)); n != before {
		t.Fatalf("%d episodes, want %d", n, before)
	}
	h.ui(func() {
		if len(page.state.episodes) == 0 {
			t.Fatal("the page dropped the episode the server kept")
		}
		test.Tap(page.refreshBtn)
	})
	h.waitFor("the refusal to check the feed", func() bool {
		n := h.shell.lastNotice()
		return strings.Contains(n, "Could not check") && strings.Contains(n, "content manager access")
	})
}

func TestEpisodeLineShowsWhatWasHeard(t *testing.T) {
	t.Parallel()
	p := &podcastPage{state: podcastState{heard: map[client.ID]heardState{}, downloaded: map[client.ID]bool{}}}
	ep := client.PodcastEpisode{ID: "7", Time: 3600, State: "completed", PubDate: client.Time{Time: time.Date(2025, 3, 2, 12, 0, 0, 0, time.Local)}}
	tests := []struct {
		heard heardState
		set   bool
		want  string
	}{
		{want: "2 Mar 2025 · 1 h 0 min · New"},
		{heard: heardState{pos: 10 * time.Minute}, set: true, want: "2 Mar 2025 · 1 h 0 min · 10:00 of 1:00:00 heard · 50 min left"},
		{heard: heardState{done: true}, set: true, want: "2 Mar 2025 · 1 h 0 min · Heard"},
	}
	for _, tt := range tests {
		delete(p.state.heard, "7")
		if tt.set {
			p.state.heard["7"] = tt.heard
		}
		if got := p.episodeLine(ep); got != tt.want {
			t.Errorf("heard %+v: %q, want %q", tt.heard, got, tt.want)
		}
	}
	pending := ep
	pending.State = "pending"
	p.state.downloaded["7"] = true
	delete(p.state.heard, "7")
	if got := p.episodeLine(pending); !strings.Contains(got, "not fetched by the server yet (pending)") || !strings.HasSuffix(got, "Available offline") {
		t.Errorf("pending, downloaded: %q", got)
	}
}

func TestEpisodePlayedToItsEndShowsAsHeard(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	// 8 s: the last 5 % (finished) spans two of the player's position
	// events, which is how the core sees an episode finish.
	ep, err := h.srv.AddEpisode(1, "A very short note", 8*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	id := client.ID(strconv.Itoa(ep.ID))
	page := h.navigate(PodcastRoute("1")).(*podcastPage)
	h.waitFor("the episode", func() bool { return page.state.podcast != nil && page.indexOfEpisode(id) >= 0 })
	h.ui(func() { page.playAt(page.indexOfEpisode(id)) })
	h.waitFor("the episode shown as heard after playing to its end", func() bool {
		i := page.indexOfEpisode(id)
		for _, r := range find[*episodeRow](page.list) {
			if r.id == i {
				return strings.Contains(textOf(r.line), "Heard")
			}
		}
		return false
	})
}
