package ampachetest

import (
	"strconv"
	"strings"
	"testing"
)

func TestAdvancedSearch(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{Library: Library{Artists: 40, AlbumsPerArtist: 3, SongsPerAlbum: 8, Seed: 3}})
	ts := login(t, s, s.User, "")
	// year >= 2000 and genre contains "rock".
	_, songs := ts.items("advanced_search", "song", "operator", "and", "type", "song", "limit", "none",
		"rule_1", "year", "rule_1_operator", "0", "rule_1_input", "2000",
		"rule_2", "genre", "rule_2_operator", "0", "rule_2_input", "rock")
	if len(songs) == 0 {
		t.Fatal("no rock songs since 2000")
	}
	for _, x := range songs {
		rock := false
		for _, g := range x["genre"].([]any) {
			rock = rock || strings.Contains(strings.ToLower(str(g.(map[string]any)["name"])), "rock")
		}
		if x["year"].(float64) < 2000 || !rock {
			t.Fatalf("song %v (%v) breaks the rules", x["title"], x["year"])
		}
	}
	// "or" widens: title starts with "a" or "b".
	nA, _ := ts.items("advanced_search", "song", "rule_1", "title", "rule_1_operator", "2", "rule_1_input", "a")
	nB, _ := ts.items("advanced_search", "song", "rule_1", "title", "rule_1_operator", "2", "rule_1_input", "b")
	nAB, _ := ts.items("advanced_search", "song", "operator", "or",
		"rule_1", "title", "rule_1_operator", "2", "rule_1_input", "a",
		"rule_2", "title", "rule_2_operator", "2", "rule_2_input", "b")
	if nAB != nA+nB || nA == 0 || nB == 0 {
		t.Errorf("or: %d, want %d + %d", nAB, nA, nB)
	}
	// The newest additions, and what the user rated 5.
	added, _ := s.AddSong(NewSong{AlbumID: 3, Title: "Fresh"})
	_, recent := ts.items("advanced_search", "song", "rule_1", "recently_added", "rule_1_operator", "0", "rule_1_input", "1")
	if len(recent) != 1 || str(recent[0]["id"]) != strconv.Itoa(added.ID) {
		t.Errorf("recently_added 1 = %v", recent)
	}
	_, fives := ts.items("advanced_search", "song", "rule_1", "myrating", "rule_1_operator", "2", "rule_1_input", "5", "limit", "none")
	for _, x := range fives {
		if x["rating"] != 5.0 {
			t.Fatalf("myrating = 5 returned a song rated %v", x["rating"])
		}
	}
	_, albums := ts.items("advanced_search", "album", "type", "album", "rule_1", "artist", "rule_1_operator", "4", "rule_1_input", "beyonce")
	if len(albums) != 3 {
		t.Errorf("albums by Beyoncé: %d, want 3", len(albums))
	}
	if code := ts.apiErr("advanced_search", "type", "song"); code != "4710" {
		t.Errorf("no rules: %s", code)
	}
	if code := ts.apiErr("advanced_search", "rule_1", "moonphase", "rule_1_operator", "0", "rule_1_input", "x"); code != "4710" {
		t.Errorf("unknown rule: %s", code)
	}
	// search_group (API6) and search_songs find accented names.
	m := ts.obj("search_group", "type", "music", "rule_1", "title", "rule_1_operator", "0", "rule_1_input", "sigur ros")
	if a := m["search"].(map[string]any)["artist"].([]any); len(a) != 1 {
		t.Errorf("search_group music sigur ros: %v", a)
	}
	if songs := m["search"].(map[string]any)["song"].([]any); len(songs) != 0 {
		t.Errorf("search_group music sigur ros: %d songs titled like it, want 0", len(songs))
	}
	// Like the real server, search_group needs rules (a filter is ignored).
	if code := ts.apiErr("search_group", "type", "all", "filter", "sigur ros"); code != "4710" {
		t.Errorf("search_group without rules: %s, want 4710", code)
	}
	if n, _ := ts.items("search_songs", "song", "filter", "motley"); n != 24 {
		t.Errorf("search_songs motley: %d, want the 24 songs of Mötley Crüe", n)
	}
}

func TestStatsSimilarNowPlaying(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	_, newest := ts.items("stats", "song", "type", "song", "filter", "newest", "limit", "3")
	if len(newest) != 3 {
		t.Fatalf("stats newest: %d", len(newest))
	}
	for _, x := range newest {
		id, _ := strconv.Atoi(str(x["id"]))
		so, _ := s.Song(id)
		for _, other := range s.Songs() {
			if other.Added.After(so.Added) && other.ID != so.ID && !containsID(newest, other.ID) {
				t.Fatalf("song %d is newer than %d but not in the top 3", other.ID, so.ID)
			}
		}
	}
	_, frequent := ts.items("stats", "album", "type", "album", "filter", "frequent", "limit", "5")
	if len(frequent) == 0 {
		t.Error("stats frequent albums: none")
	}
	_, flagged := ts.items("stats", "song", "type", "song", "filter", "flagged", "limit", "none")
	for _, x := range flagged {
		id, _ := strconv.Atoi(str(x["id"]))
		if !s.Flagged("user", "song", id) {
			t.Fatalf("flagged stats returned unflagged song %d", id)
		}
	}
	_, similar := ts.items("get_similar", "song", "type", "song", "filter", "9", "limit", "5")
	so, _ := s.Song(9)
	for _, x := range similar {
		found := false
		for _, g := range x["genre"].([]any) {
			found = found || g.(map[string]any)["name"] == so.Genres[0]
		}
		if !found {
			t.Errorf("get_similar returned %v without genre %s", x["title"], so.Genres[0])
		}
	}
	// Streaming a song shows it as now playing until its end.
	rawGet(t, ts.hc, str(ts.obj("song", "filter", "5")["url"]))
	np := ts.obj("now_playing")["now_playing"].([]any)
	if len(np) != 1 || np[0].(map[string]any)["id"] != "5" {
		t.Errorf("now_playing = %v", np)
	}
}

func containsID(items []map[string]any, id int) bool {
	for _, x := range items {
		if str(x["id"]) == strconv.Itoa(id) {
			return true
		}
	}
	return false
}
