package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
)

// TestShareWithExpiryThenListAndDelete shares an episode for 30 days from
// its menu (the link lands in the clipboard), lists it on the Shares page,
// copies it again and deletes it.
func TestShareWithExpiryThenListAndDelete(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	podcast := h.navigate(PodcastRoute("1")).(*podcastPage)
	h.waitFor("the episodes", func() bool { return len(podcast.state.episodes) > 0 })
	var ep client.PodcastEpisode
	h.ui(func() {
		ep = podcast.state.episodes[0]
		menuItem(t, podcast.episodeMenu(0), "Share…").Action()
	})
	var expiry *widget.Select
	h.waitFor("the expiry choice", func() bool {
		for _, o := range h.overlays() {
			if s, ok := o.(*widget.Select); ok {
				expiry = s
				return true
			}
		}
		return false
	})
	h.ui(func() {
		if expiry.Selected != "7 days" {
			t.Errorf("default expiry %q", expiry.Selected)
		}
		expiry.SetSelected("30 days")
	})
	h.tapOverlayButton("Create link")
	h.waitFor("the link in the clipboard", func() bool { return strings.Contains(h.app.Clipboard().Content(), "share") })
	sh := h.srv.Shares(h.srv.Admin.Username)
	if len(sh) != 1 || sh[0].ObjectType != "podcast_episode" || client.ID(itoa(sh[0].ObjectID)) != ep.ID || sh[0].ExpireDays != 30 {
		t.Fatalf("server shares %+v, want one of episode %s for 30 days", sh, ep.ID)
	}

	page := h.navigate(Route{Page: PageShares}).(*sharesPage)
	var row *shareRow
	h.waitFor("the share listed", func() bool {
		rows := find[*shareRow](page.list)
		if len(page.shares) == 1 && len(rows) == 1 {
			row = rows[0]
			return true
		}
		return false
	})
	h.ui(func() {
		line := textOf(row.sub)
		if !strings.HasPrefix(line, "Episode") || !strings.Contains(line, "expires in 30 days") {
			t.Errorf("share line %q", line)
		}
		if textOf(row.link) != page.shares[0].PublicURL || page.shares[0].PublicURL == "" {
			t.Errorf("link %q", textOf(row.link))
		}
		h.app.Clipboard().SetContent("")
		test.Tap(row.copy)
		if h.app.Clipboard().Content() != page.shares[0].PublicURL {
			t.Error("Copy link did not copy the link")
		}
		test.Tap(row.del)
	})
	h.tapOverlayButton("Delete")
	h.waitFor("the share deleted on the server and the page", func() bool {
		return len(h.srv.Shares(h.srv.Admin.Username)) == 0 && len(page.shares) == 0 && page.status.Visible()
	})
}

func TestShareLine(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 5, 10, 12, 0, 0, 0, time.UTC)
	made := client.Time{Time: now.Add(-48 * time.Hour)}
	tests := []struct {
		sh   client.Share
		want string
	}{
		{client.Share{ObjectType: "album", ExpireDays: 7, Counter: 2, Created: made}, "Album · expires in 5 days · 2 visits · made 2 days ago"},
		{client.Share{ObjectType: "song", ExpireDays: 1, Counter: 1, Created: made}, "Song · expired yesterday · 1 visit · made 2 days ago"},
		{client.Share{ObjectType: "playlist", ExpireDays: 0}, "Playlist · never expires · 0 visits"},
	}
	for _, tt := range tests {
		if got := shareLine(tt.sh, now); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.sh, got, tt.want)
		}
	}
}
