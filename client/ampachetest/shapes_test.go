package ampachetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// fixtureDir finds ../shared/fixtures/ampache-api next to the repository
// root, or skips the test.
func fixtureDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory; cannot find the fixtures")
		}
		dir = parent
	}
	fx := filepath.Join(dir, "..", "shared", "fixtures", "ampache-api")
	if _, err := os.Stat(fx); err != nil {
		t.Skipf("fixtures not found at %s (../shared is absent): skipping shape checks", fx)
	}
	return fx
}

func loadFixture(t *testing.T, dir, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return v
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// sameShape compares our value with the fixture's: the same keys at every
// object level, and the same JSON kinds where neither side is null. Arrays
// compare their first elements when both have one.
func sameShape(t *testing.T, path string, ours, theirs any) {
	t.Helper()
	ok, tk := jsonKind(ours), jsonKind(theirs)
	if ok == "null" || tk == "null" {
		return
	}
	if ok != tk {
		t.Errorf("%s: ours is %s, the real server's is %s", path, ok, tk)
		return
	}
	switch th := theirs.(type) {
	case map[string]any:
		om := ours.(map[string]any)
		if idKeyed(th) && idKeyed(om) {
			// Keys are object ids (index with include): compare one value.
			for _, tv := range th {
				for _, ov := range om {
					sameShape(t, path+"[id]", ov, tv)
					return
				}
			}
			return
		}
		var missing, extra []string
		for k := range th {
			if _, found := om[k]; !found {
				missing = append(missing, k)
			}
		}
		for k := range om {
			if _, found := th[k]; !found {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("%s: keys missing %v, extra %v", path, missing, extra)
		}
		for k, v := range th {
			if ov, found := om[k]; found {
				sameShape(t, path+"."+k, ov, v)
			}
		}
	case []any:
		oa := ours.([]any)
		if len(oa) > 0 && len(th) > 0 {
			sameShape(t, path+"[0]", oa[0], th[0])
		}
	}
}

func idKeyed(m map[string]any) bool {
	for k := range m {
		if _, err := strconv.Atoi(k); err != nil {
			return false
		}
	}
	return len(m) > 0
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	return v
}

func TestShapesMatchFixtures(t *testing.T) {
	t.Parallel()
	dir := fixtureDir(t)
	for _, api := range []string{"api6", "api5"} {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, Options{})
			version := "6.9.0"
			if api == "api5" {
				version = "5.5.0"
			}
			admin := login(t, s, s.Admin, version)
			share := admin.obj("share_create", "filter", "9", "type", "song", "expires", "7")
			if api == "api6" {
				admin.obj("bookmark_create", "filter", "9", "type", "song", "position", "10")
			}
			admin.obj("localplay", "command", "add", "type", "song", "oid", "9")
			admin.obj("democratic", "method", "vote", "oid", "9")
			cases := []struct {
				fixture string
				action  []string
				only    string // "" for both versions
			}{
				{"song.json", []string{"song", "filter", "9"}, ""},
				{"songs.json", []string{"songs", "limit", "3"}, ""},
				{"album.json", []string{"album", "filter", "2"}, ""},
				{"album--with_include.json", []string{"album", "filter", "2", "include", "songs"}, ""},
				{"albums.json", []string{"albums", "limit", "3"}, ""},
				{"artist.json", []string{"artist", "filter", "3"}, ""},
				{"artist--with_include_songs_albums.json", []string{"artist", "filter", "3", "include", "songs,albums"}, ""},
				{"artists.json", []string{"artists", "limit", "3"}, ""},
				{"genre.json", []string{"genre", "filter", "1"}, ""},
				{"genres.json", []string{"genres", "limit", "3"}, ""},
				{"playlist.json", []string{"playlist", "filter", "1"}, ""},
				{"playlists.json", []string{"playlists", "limit", "3"}, ""},
				{"playlist_songs.json", []string{"playlist_songs", "filter", "1"}, ""},
				{"podcast.json", []string{"podcast", "filter", "1"}, ""},
				{"podcast--include_episodes.json", []string{"podcast", "filter", "1", "include", "episodes"}, ""},
				{"podcast_episode.json", []string{"podcast_episode", "filter", "1"}, ""},
				{"podcast_episodes.json", []string{"podcast_episodes", "filter", "1"}, ""},
				{"share.json", []string{"share", "filter", str(share["id"])}, ""},
				{"shares.json", []string{"shares"}, ""},
				{"live_stream.json", []string{"live_stream", "filter", "1"}, ""},
				{"live_streams.json", []string{"live_streams"}, ""},
				{"catalog.json", []string{"catalog", "filter", "1"}, ""},
				{"catalogs.json", []string{"catalogs"}, ""},
				{"user.json", []string{"user", "username", "admin"}, ""},
				{"ping.json", []string{"ping"}, ""},
				{"localplay--status.json", []string{"localplay", "command", "status"}, ""},
				{"localplay.json", []string{"localplay", "command", "stop"}, ""},
				{"democratic--playlist.json", []string{"democratic", "method", "playlist"}, ""},
				{"democratic--vote.json", []string{"democratic", "method", "vote", "oid", "10"}, ""},
				{"democratic--play.json", []string{"democratic", "method", "play"}, ""},
				{"bookmarks.json", []string{"bookmarks"}, ""},
				{"get_bookmark--show_all.json", []string{"get_bookmark", "filter", "9", "type", "song", "all", "1"}, "api6"},
				{"get_bookmark.json", []string{"get_bookmark", "filter", "9", "type", "song"}, "api6"},
				{"bookmark_create.json", []string{"bookmark_create", "filter", "10", "type", "song", "position", "5"}, ""},
				{"search_songs.json", []string{"search_songs", "filter", "a", "limit", "2"}, ""},
				{"advanced_search--song.json", []string{"advanced_search", "rule_1", "title", "rule_1_operator", "0", "rule_1_input", "a", "limit", "2"}, ""},
				{"stats--song.json", []string{"stats", "type", "song", "filter", "newest"}, ""},
				{"rate.json", []string{"rate", "type", "song", "id", "9", "rating", "4"}, ""},
				{"flag.json", []string{"flag", "type", "song", "id", "9", "flag", "1"}, ""},
				{"record_play.json", []string{"record_play", "id", "9"}, ""},
				{"playlist_create.json", []string{"playlist_create", "name", "Shapes", "type", "private"}, ""},
				{"deleted_songs.json", []string{"deleted_songs"}, ""},
				{"deleted_podcast_episodes.json", []string{"deleted_podcast_episodes"}, ""},
				{"now_playing.json", []string{"now_playing"}, ""},
				{"users.json", []string{"users"}, ""},
				{"url_to_song.json", []string{"url_to_song", "url", s.URL + "/play/index.php?type=song&oid=9"}, ""},
				{"search_group--all.json", []string{"search_group", "type", "all", "rule_1", "title", "rule_1_operator", "0", "rule_1_input", "e", "limit", "2"}, "api6"},
				{"search_group--music.json", []string{"search_group", "type", "music", "rule_1", "title", "rule_1_operator", "0", "rule_1_input", "e", "limit", "2"}, "api6"},
				{"list--song.json", []string{"list", "type", "song", "limit", "3"}, "api6"},
				{"index--song.json", []string{"index", "type", "song", "limit", "3"}, "api6"},
				{"index--album_with_include.json", []string{"index", "type", "album", "include", "1", "limit", "3"}, "api6"},
				{"user_playlists.json", []string{"user_playlists"}, "api6"},
				{"smartlists.json", []string{"smartlists"}, "api6"},
				{"playlist_hash.json", []string{"playlist_hash", "filter", "1"}, "api6"},
				{"error-4704.json", []string{"user", "username", "missing_user"}, "api6"},
			}
			for _, tc := range cases {
				if tc.only != "" && tc.only != api {
					continue
				}
				name := api + "/json/" + tc.fixture
				if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
					continue // this version has no such capture
				}
				theirs := loadFixture(t, dir, name)
				ours := decode(t, admin.raw(tc.action[0], tc.action[1:]...))
				sameShape(t, name, ours, theirs)
			}
			// Our own list of methods covered must not shrink silently.
			if n := len(cases); n < 50 {
				t.Fatalf("only %d shape cases", n)
			}
		})
	}
	t.Run("handshake", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct{ api, version string }{{"api6", "6.9.0"}, {"api5", "5.5.0"}} {
			s := startServer(t, Options{})
			_, body := rawGet(t, s.Client(), apiURL(s, "handshake", map[string][]string{"auth": {s.User.APIKey}, "version": {tc.version}}))
			name := tc.api + "/json/handshake.json"
			sameShape(t, name, decode(t, body), loadFixture(t, dir, name))
			_, body = rawGet(t, s.Client(), apiURL(s, "ping", map[string][]string{"version": {tc.version}}))
			name = tc.api + "/json/ping--no_auth.json"
			sameShape(t, name, decode(t, body), loadFixture(t, dir, name))
		}
	})
}
