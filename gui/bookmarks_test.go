package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// TestBookmarksListResumeStartOverDelete: the page lists the bookmarks
// another device and this one saved; Resume plays from the position and
// the bar offers Start over, which plays from the beginning; delete asks
// and removes the bookmark from the server.
func TestBookmarksListResumeStartOverDelete(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	ctx := context.Background()
	api, err := h.core.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Bookmarks.Create(ctx, "1", client.TypePodcastEpisode, 600, &client.BookmarkWriteOptions{Client: "Phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.SetBookmark(ctx, client.TypePodcastEpisode, "2", 95); err != nil {
		t.Fatal(err)
	}
	page := h.navigate(Route{Page: PageBookmarks}).(*bookmarksPage)
	rowFor := func(id client.ID) *bookmarkRow {
		for _, r := range find[*bookmarkRow](page.list) {
			if r.id < len(page.entries) && page.entries[r.id].Item.ID == id {
				return r
			}
		}
		return nil
	}
	h.waitFor("both bookmarks listed", func() bool { return len(page.entries) == 2 && rowFor("1") != nil && rowFor("2") != nil })
	h.ui(func() {
		if got := textOf(page.count); got != "2 bookmarks" {
			t.Errorf("count %q", got)
		}
		one, two := textOf(rowFor("1").line), textOf(rowFor("2").line)
		if !strings.Contains(one, "10:00 of ") || !strings.Contains(one, "saved by Phone") {
			t.Errorf("episode 1's line %q", one)
		}
		if !strings.Contains(two, "1:35 of ") || !strings.Contains(two, "saved by "+core.ClientName) {
			t.Errorf("episode 2's line %q", two)
		}
		if rowFor("1").pending.Visible() {
			t.Error("a bookmark from the server is marked as not synced")
		}
		if rowFor("1").title.Text == "" || rowFor("1").bar.value <= 0 {
			t.Error("the row lacks its title or progress")
		}
		test.Tap(rowFor("1").resume)
	})

	// Resume: from 10:00, with the offer.
	h.waitFor("episode 1 playing from 10:00", func() bool {
		p := h.core.Player()
		if p == nil {
			return false
		}
		st := p.Status()
		items, idx := h.core.Queue()
		return idx >= 0 && idx < len(items) && items[idx].ID == "1" && st.State == audio.Playing &&
			st.Position >= 600*time.Second && st.Position < 610*time.Second
	})
	offer := h.shell.bar.offer
	h.waitFor("the Start over offer", func() bool {
		return offer.Visible() && strings.Contains(offer.text.Text, "at 10:00") && strings.Contains(offer.text.Text, "saved by Phone")
	})
	h.ui(func() { test.Tap(offer.startOver) })
	h.waitFor("episode 1 from its beginning, the offer gone", func() bool {
		st := h.core.Player().Status()
		return st.Position < 5*time.Second && st.State == audio.Playing && !offer.Visible()
	})

	// Delete episode 2's bookmark.
	h.waitFor("episode 2's row", func() bool { return rowFor("2") != nil })
	h.ui(func() { test.Tap(rowFor("2").del) })
	h.tapOverlayButton("Delete")
	h.waitFor("the bookmark gone from the server", func() bool {
		for _, b := range h.srv.Bookmarks(h.srv.Admin.Username) {
			if b.ObjectType == "podcast_episode" && b.ObjectID == 2 {
				return false
			}
		}
		return true
	})
	h.waitFor("the page without it", func() bool {
		for _, be := range page.entries {
			if be.Item.ID == "2" {
				return false
			}
		}
		return true
	})
}

func TestBookmarkPendingMarkAndLine(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	page := h.navigate(Route{Page: PageBookmarks}).(*bookmarksPage)
	now := time.Now()
	pending := core.BookmarkEntry{
		Item:     core.Item{Type: client.TypePodcastEpisode, ID: "3", Title: "Talk", Album: "Show"},
		Position: 90 * time.Second, Duration: 30 * time.Minute, Client: core.ClientName,
		Updated: now.Add(-2 * time.Hour), Pending: true,
	}
	h.waitFor("the first load", func() bool { return page.status.Text != "Loading bookmarks…" })
	h.ui(func() {
		page.show([]core.BookmarkEntry{pending}, nil)
		if got := textOf(page.count); got != "1 bookmark · 1 not synced yet" {
			t.Errorf("count %q", got)
		}
		r := newBookmarkRow(h.shell.env, page.ctx)
		r.set(0, pending, now)
		if !r.pending.Visible() {
			t.Error("a pending position is not marked")
		}
		if got, want := textOf(r.line), "Show · 1:30 of 30:00 · saved by Ampdesk 2 hours ago"; got != want {
			t.Errorf("line %q, want %q", got, want)
		}
		if r.bar.value != 0.05 {
			t.Errorf("progress %v, want 0.05", r.bar.value)
		}
	})
}

func TestResumeText(t *testing.T) {
	t.Parallel()
	now := time.Now()
	it := core.Item{Title: "Ep"}
	tests := []struct {
		ev   core.ResumeOffered
		want string
	}{
		{core.ResumeOffered{Item: it, Position: 75 * time.Second, From: core.ResumeFromLocal}, "Resumed “Ep” at 1:15, where you left it"},
		{core.ResumeOffered{Item: it, Position: 600 * time.Second, From: core.ResumeFromServer, Client: "Phone", Updated: now.Add(-3 * time.Hour)}, "Resumed “Ep” at 10:00, saved by Phone 3 hours ago"},
		{core.ResumeOffered{Item: it, Position: 60 * time.Second, From: core.ResumeFromServer, Client: core.ClientName}, "Resumed “Ep” at 1:00, saved by Ampdesk"},
		{core.ResumeOffered{Item: it, Position: 60 * time.Second, From: core.ResumeFromServer}, "Resumed “Ep” at 1:00, saved on the server"},
	}
	for _, tt := range tests {
		if got := resumeText(tt.ev, now); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.ev, got, tt.want)
		}
	}
}
