package ampachetest

import (
	"strconv"
	"testing"
	"time"
)

func TestBookmarks(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := startServer(t, Options{Now: clock.Now})
	ts := login(t, s, s.User, "")
	b := ts.obj("bookmark_create", "filter", "1", "type", "podcast_episode", "position", "600", "client", "Ampdesk")
	if b["position"].(float64) != 600 || b["object_id"] != "1" || b["owner"] != "user" || b["client"] != "Ampdesk" {
		t.Fatalf("bookmark_create = %v", b)
	}
	// The same client moves its bookmark; the date parameter is kept.
	date := clock.Now().Add(-time.Hour).Unix()
	ts.obj("bookmark_create", "filter", "1", "type", "podcast_episode", "position", "450", "client", "Ampdesk",
		"date", strconv.FormatInt(date, 10))
	got := s.Bookmarks("user")
	if len(got) != 1 || got[0].Position != 450*time.Second || got[0].Updated.Unix() != date {
		t.Fatalf("server bookmarks = %+v", got)
	}
	// Another client has its own; get_bookmark answers the newest.
	clock.Advance(time.Minute)
	ts.obj("bookmark_create", "filter", "1", "type", "podcast_episode", "position", "30", "client", "phone")
	if m := ts.obj("get_bookmark", "filter", "1", "type", "podcast_episode"); m["client"] != "phone" {
		t.Errorf("get_bookmark = %v, want the phone's (newest)", m)
	}
	if n, all := ts.items("get_bookmark", "bookmark", "filter", "1", "type", "podcast_episode", "all", "1"); n != 2 || len(all) != 2 {
		t.Errorf("get_bookmark all=1: %d", n)
	}
	if n, _ := ts.items("bookmarks", "bookmark", "client", "Ampdesk"); n != 1 {
		t.Errorf("bookmarks client=Ampdesk: %d", n)
	}
	m := ts.obj("get_bookmark", "filter", "1", "type", "podcast_episode", "include", "1")
	if eps, _ := m["podcast_episode"].([]any); len(eps) != 1 {
		t.Errorf("include=1: %v", m)
	}
	// Bookmarks are per user.
	admin := login(t, s, s.Admin, "")
	if n, _ := admin.items("bookmarks", "bookmark"); n != 0 {
		t.Errorf("admin sees %d of the user's bookmarks", n)
	}
	ts.obj("bookmark_edit", "filter", "1", "type", "podcast_episode", "position", "700", "client", "phone")
	ts.obj("bookmark_delete", "filter", "1", "type", "podcast_episode", "client", "Ampdesk")
	got = s.Bookmarks("user")
	if len(got) != 1 || got[0].Client != "phone" || got[0].Position != 700*time.Second {
		t.Fatalf("after edit and delete: %+v", got)
	}
	if code := ts.apiErr("bookmark_edit", "filter", "2", "type", "song", "position", "1"); code != "4704" {
		t.Errorf("editing a missing bookmark: %s", code)
	}
	if code := ts.apiErr("bookmark_create", "filter", "999999", "type", "song", "position", "1"); code != "4704" {
		t.Errorf("bookmarking a missing song: %s", code)
	}
}

func TestRatingsFlagsPlaysShares(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	ts.obj("rate", "type", "album", "id", "3", "rating", "4")
	ts.obj("flag", "type", "song", "id", "2", "flag", "1")
	if s.Rating("user", "album", 3) != 4 || !s.Flagged("user", "song", 2) {
		t.Error("rate/flag not stored")
	}
	if m := ts.obj("album", "filter", "3"); m["rating"].(float64) != 4 {
		t.Errorf("album rating = %v", m["rating"])
	}
	if code := ts.apiErr("rate", "type", "song", "id", "1", "rating", "6"); code != "4710" {
		t.Errorf("rating 6: %s", code)
	}
	before := s.PlayCount(5)
	ts.obj("record_play", "id", "5", "client", "Ampdesk")
	so, _ := s.Song(5)
	album, _ := s.Album(so.AlbumID)
	artist, _ := s.Artist(so.ArtistID)
	ts.obj("scrobble", "song", so.Title, "artist", artist.Name, "album", album.Name)
	if got := s.PlayCount(5); got != before+2 {
		t.Errorf("play count %d, want %d", got, before+2)
	}
	if code := ts.apiErr("scrobble", "song", "No Such Song", "artist", "x", "album", "y"); code != "4704" {
		t.Errorf("scrobble unknown: %s", code)
	}
	if code := ts.apiErr("record_play", "id", "5", "user", "admin"); code != "4742" {
		t.Errorf("record_play for another user as user: %s", code)
	}
	sh := ts.obj("share_create", "filter", "2", "type", "album", "expires", "7", "description", "for you")
	if sh["expire_days"].(float64) != 7 || sh["object_type"] != "album" || sh["allow_stream"] != true {
		t.Fatalf("share_create = %v", sh)
	}
	if n, _ := ts.items("shares", "share"); n != 1 {
		t.Errorf("shares: %d", n)
	}
	resp, _ := rawGet(t, s.Client(), str(sh["public_url"]))
	if resp.StatusCode != 200 {
		t.Errorf("share page: HTTP %d", resp.StatusCode)
	}
	ts.obj("share_delete", "filter", str(sh["id"]))
	if len(s.Shares("user")) != 0 {
		t.Error("share not deleted")
	}
	if code := ts.apiErr("share_delete", "filter", str(sh["id"])); code != "4704" {
		t.Errorf("deleting a deleted share: %s", code)
	}
}

func TestAccessLevelsAndFeatures(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	user := login(t, s, s.User, "")
	admin := login(t, s, s.Admin, "")
	for _, call := range [][]string{
		{"podcast_create", "url", "https://feeds.example.com/new.xml", "catalog", "2"},
		{"podcast_delete", "filter", "1"},
		{"update_podcast", "filter", "1"},
		{"podcast_edit", "filter", "1", "title", "x"},
		{"podcast_episode_delete", "filter", "1"},
		{"catalog_action", "task", "add_to_catalog", "catalog", "1"},
		{"user_create", "username", "x", "password", "y", "email", "x@example.com"},
		{"user_delete", "filter", "admin"},
		{"localplay", "command", "status"},
		{"localplay_songs"},
	} {
		if code := user.apiErr(call[0], call[1:]...); code != "4742" {
			t.Errorf("level 25 %s: %s, want 4742", call[0], code)
		}
	}
	// The admin may; a loopback feed is refused as the real server does.
	for _, feed := range []string{"http://127.0.0.1/feed.xml", "http://localhost:8080/x", "http://192.168.1.4/f", "http://[::1]/f"} {
		if code := admin.apiErr("podcast_create", "url", feed, "catalog", "2"); code != "4710" {
			t.Errorf("podcast_create %s: %s, want 4710", feed, code)
		}
	}
	p := admin.obj("podcast_create", "url", "https://feeds.example.com/new.xml", "catalog", "2")
	if p["feed_url"] != "https://feeds.example.com/new.xml" {
		t.Errorf("podcast_create = %v", p)
	}
	before := len(s.Episodes(1))
	if m := admin.obj("update_podcast", "filter", "1"); m["success"] != "Synced episodes for podcast: 1" {
		t.Errorf("update_podcast = %v", m)
	}
	if len(s.Episodes(1)) != before+1 {
		t.Error("update_podcast added no episode")
	}
	eps := s.Episodes(1)
	admin.obj("podcast_episode_delete", "filter", strconv.Itoa(eps[0].ID))
	if n, _ := admin.items("deleted_podcast_episodes", "deleted_podcast_episode"); n != 1 {
		t.Errorf("deleted_podcast_episodes: %d", n)
	}
	// Switched-off features answer 4703.
	s.SetFeature(FeaturePodcast, false)
	s.SetFeature(FeatureShare, false)
	s.SetFeature(FeatureDemocratic, false)
	for _, call := range [][]string{{"podcasts"}, {"share_create", "filter", "1", "type", "song"}, {"democratic", "method", "playlist"}} {
		if code := admin.apiErr(call[0], call[1:]...); code != "4703" {
			t.Errorf("disabled %s: %s, want 4703", call[0], code)
		}
	}
	if code := admin.apiErr("no_such_method"); code != "4705" {
		t.Errorf("unknown action: %s", code)
	}
	if code := admin.apiErr("tags"); code != "4706" {
		t.Errorf("tags in API6: %s, want 4706", code)
	}
	if code := admin.apiErr("song"); code != "4710" {
		t.Errorf("song without filter: %s, want 4710", code)
	}
}
