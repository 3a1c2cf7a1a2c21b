package ampachetest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func playlistSongIDs(t *testing.T, ts *testSession, id string) []int {
	t.Helper()
	_, songs := ts.items("playlist_songs", "song", "filter", id)
	var out []int
	for i, x := range songs {
		if int(x["playlisttrack"].(float64)) != i+1 {
			t.Fatalf("playlisttrack %v at position %d", x["playlisttrack"], i+1)
		}
		n, _ := strconv.Atoi(str(x["id"]))
		out = append(out, n)
	}
	return out
}

func TestPlaylistCRUDAndReorder(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	p := ts.obj("playlist_create", "name", "Road Mix", "type", "private")
	id := str(p["id"])
	if p["name"] != "Road Mix" || p["type"] != "private" || p["owner"] != "user" || p["items"].(float64) != 0 {
		t.Fatalf("playlist_create = %v", p)
	}
	for _, song := range []string{"1", "2", "3", "4"} {
		if m := ts.obj("playlist_add_song", "filter", id, "song", song); m["success"] != "song added to playlist" {
			t.Fatalf("playlist_add_song = %v", m)
		}
	}
	// A duplicate is refused only with check=1.
	if code := ts.apiErr("playlist_add_song", "filter", id, "song", "2", "check", "1"); code != "4710" {
		t.Errorf("duplicate with check: %s, want 4710", code)
	}
	// API6 playlist_add: filter is the playlist, id the object.
	ts.obj("playlist_add", "filter", id, "id", "2", "type", "album")
	album, _ := s.Album(2)
	want := append([]int{1, 2, 3, 4}, album.SongIDs...)
	if got := playlistSongIDs(t, ts, id); !slices.Equal(got, want) {
		t.Fatalf("songs = %v, want %v", got, want)
	}
	// Reorder: the whole new order as items, tracks 1..n.
	n, _ := strconv.Atoi(id)
	reordered := slices.Clone(want)
	slices.Reverse(reordered)
	var items, tracks []string
	for i, x := range reordered {
		items = append(items, strconv.Itoa(x))
		tracks = append(tracks, strconv.Itoa(i+1))
	}
	ts.obj("playlist_edit", "filter", id, "items", strings.Join(items, ","), "tracks", strings.Join(tracks, ","),
		"name", "Road Mix 2", "type", "public")
	pl, _ := s.PlaylistByID(n)
	if !slices.Equal(pl.SongIDs, reordered) || pl.Name != "Road Mix 2" || !pl.Public {
		t.Fatalf("after edit: %+v, want songs %v", pl, reordered)
	}
	// Move one song: put song 4 at position 1 and the old first at 4.
	first := strconv.Itoa(reordered[0])
	ts.obj("playlist_edit", "filter", id, "items", "4,"+first, "tracks", "1,"+strconv.Itoa(slices.Index(reordered, 4)+1))
	pl, _ = s.PlaylistByID(n)
	if pl.SongIDs[0] != 4 || pl.SongIDs[slices.Index(reordered, 4)] != reordered[0] {
		t.Fatalf("after move: %v", pl.SongIDs)
	}
	// Remove by track, then by song.
	before := len(pl.SongIDs)
	ts.obj("playlist_remove_song", "filter", id, "track", "1")
	ts.obj("playlist_remove_song", "filter", id, "song", "3")
	pl, _ = s.PlaylistByID(n)
	if len(pl.SongIDs) != before-2 || pl.SongIDs[0] == 4 || slices.Contains(pl.SongIDs, 3) {
		t.Fatalf("after removals: %v", pl.SongIDs)
	}
	if code := ts.apiErr("playlist_remove_song", "filter", id, "song", "3"); code != "4704" {
		t.Errorf("removing a song not in the playlist: %s, want 4704", code)
	}
	// playlist_hash changes with the content.
	h1 := ts.obj("playlist_hash", "filter", id)["md5"]
	ts.obj("playlist_add_song", "filter", id, "song", "5")
	if h2 := ts.obj("playlist_hash", "filter", id)["md5"]; h1 == h2 || h2 == nil {
		t.Errorf("playlist_hash did not change: %v → %v", h1, h2)
	}
	// Another user may read a public playlist but not change it.
	other := login(t, s, s.Admin, "")
	other.obj("playlist", "filter", id)
	s.AddUser("third", "pw", 25)
	third := login(t, s, Account{Username: "third", Password: "pw"}, "")
	if code := third.apiErr("playlist_edit", "filter", id, "name", "mine"); code != "4742" {
		t.Errorf("editing someone else's playlist: %s, want 4742", code)
	}
	ts.obj("playlist_delete", "filter", id)
	if _, ok := s.PlaylistByID(n); ok {
		t.Fatal("playlist still there after playlist_delete")
	}
	if code := ts.apiErr("playlist", "filter", id); code != "4704" {
		t.Errorf("deleted playlist: %s, want 4704", code)
	}
}

func TestPlaylistsListsAndSmartlists(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	total, lists := ts.items("playlists", "playlist", "limit", "none")
	own, smart := 0, 0
	for _, p := range lists {
		switch {
		case strings.HasPrefix(str(p["id"]), "smart_"):
			smart++
		case p["owner"] == "user":
			own++
		case p["type"] != "public":
			t.Errorf("someone else's private playlist listed: %v", p)
		}
	}
	if total != len(lists) || own == 0 || smart == 0 {
		t.Errorf("playlists: total %d, own %d, smart %d", total, own, smart)
	}
	if n, _ := ts.items("playlists", "playlist", "hide_search", "1"); n != total-smart {
		t.Errorf("hide_search: %d, want %d", n, total-smart)
	}
	if n, _ := ts.items("user_playlists", "playlist"); n != own {
		t.Errorf("user_playlists: %d, want %d", n, own)
	}
	// A smartlist's songs follow its rules: "Top Rated" is rating >= 4.
	_, top := ts.items("playlist_songs", "song", "filter", "smart_1", "limit", "none")
	if len(top) == 0 {
		t.Fatal("smart_1 has no songs")
	}
	for _, x := range top {
		if x["rating"] == nil || x["rating"].(float64) < 4 {
			t.Fatalf("Top Rated has a song rated %v", x["rating"])
		}
	}
	if code := ts.apiErr("playlist_add_song", "filter", "smart_1", "song", "1"); code != "4710" {
		t.Errorf("adding to a smartlist: %s, want 4710", code)
	}
}

func TestPlaylistGenerate(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	_, random := ts.items("playlist_generate", "song", "limit", "5")
	if len(random) != 5 {
		t.Errorf("random: %d songs", len(random))
	}
	_, recent := ts.items("playlist_generate", "song", "mode", "recent", "limit", "none")
	for _, x := range recent {
		id, _ := strconv.Atoi(str(x["id"]))
		if _, ok := s.LastPlayed("user", id); !ok {
			t.Fatalf("recent mode returned song %d the user never played", id)
		}
	}
	_, unplayed := ts.items("playlist_generate", "song", "mode", "unplayed", "artist", "2", "limit", "none")
	for _, x := range unplayed {
		id, _ := strconv.Atoi(str(x["id"]))
		so, _ := s.Song(id)
		if _, ok := s.LastPlayed("user", id); ok || so.ArtistID != 2 {
			t.Fatalf("unplayed by artist 2 returned song %d (artist %d)", id, so.ArtistID)
		}
	}
	body := ts.raw("playlist_generate", "format", "id", "limit", "3")
	if ids := decode(t, body).([]any); len(ids) != 3 {
		t.Errorf("format=id: %s", body)
	}
}
