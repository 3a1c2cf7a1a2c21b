package ampachetest

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// API4 has no captured fixtures here; these shapes follow the server's
// Json4_Data: bare arrays for lists and single objects, "tag" for genres.
func TestAPI4Shapes(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{APIVersion: 4})
	_, body := rawGet(t, s.Client(), apiURL(s, "handshake", url.Values{"auth": {s.Admin.APIKey}, "version": {"440000"}}))
	var hs map[string]any
	if err := json.Unmarshal(body, &hs); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"auth", "api", "session_expire", "update", "add", "clean", "songs", "albums", "artists",
		"playlists", "videos", "catalogs", "users", "tags", "podcasts", "podcast_episodes", "shares", "licenses", "live_streams", "labels"} {
		if _, ok := hs[k]; !ok {
			t.Errorf("API4 handshake lacks %q", k)
		}
	}
	if hs["api"] != "443000" || hs["genres"] != nil {
		t.Errorf("API4 handshake: api %v, genres %v", hs["api"], hs["genres"])
	}
	ts := &testSession{t: t, s: s, token: hs["auth"].(string), hc: s.Client()}
	arr := func(action string, kv ...string) []map[string]any {
		t.Helper()
		var v []map[string]any
		if err := json.Unmarshal(ts.raw(action, kv...), &v); err != nil {
			t.Fatalf("%s: want a bare array: %v", action, err)
		}
		return v
	}
	songs := arr("songs", "limit", "2")
	if len(songs) != 2 {
		t.Fatalf("songs: %d", len(songs))
	}
	keys := make([]string, 0, len(songs[0]))
	for k := range songs[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	joined := strings.Join(keys, ",")
	for _, k := range []string{"tag", "genre", "preciserating", "album_mbid", "flag"} {
		if !strings.Contains(","+joined+",", ","+k+",") {
			t.Errorf("API4 song lacks %q: %s", k, joined)
		}
	}
	for _, k := range []string{"format", "stream_format", "has_art", "artists", "lyrics"} {
		if _, ok := songs[0][k]; ok {
			t.Errorf("API4 song has the newer field %q", k)
		}
	}
	if _, ok := songs[0]["flag"].(float64); !ok {
		t.Errorf("API4 flag should be 0/1, got %v", songs[0]["flag"])
	}
	if album := arr("album", "filter", "2"); len(album) != 1 || album[0]["tracks"] == nil {
		t.Errorf("API4 album = %v", album)
	} else if _, ok := album[0]["tracks"].(float64); !ok {
		t.Errorf("API4 album tracks should be a count, got %v", album[0]["tracks"])
	}
	genres := arr("genres", "limit", "3")
	if tags, _ := genres[0]["tag"].([]any); len(genres) != 1 || len(tags) != 3 {
		t.Errorf("API4 genres = %v, want [{\"tag\":[...3]}]", genres)
	}
	eps := ts.obj("podcast_episodes", "filter", "1")
	if list, _ := eps["podcast_episode"].([]any); len(list) == 0 {
		t.Errorf("API4 podcast_episodes = %v", eps)
	}
	if u := ts.obj("user", "username", "admin"); u["user"] == nil {
		t.Errorf("API4 user = %v", u)
	}
	status := ts.obj("localplay", "command", "status")["localplay"].(map[string]any)["command"].(map[string]any)["status"].(map[string]any)
	if status["repeat"] != "0" || status["volume"] != "80" {
		t.Errorf("API4 localplay status = %v", status)
	}
	if code := ts.apiErr("song"); code != "401" {
		t.Errorf("API4 missing parameter: %s, want 401", code)
	}
	body = ts.raw("song")
	if !strings.Contains(string(body), "Missing mandatory parameter 'filter'") {
		t.Errorf("API4 missing parameter message: %s", body)
	}
	if code := ts.apiErr("search_group", "filter", "a"); code != "405" {
		t.Errorf("API4 search_group: %s, want 405", code)
	}
	// A ping without a session answers the API4 version.
	_, body = rawGet(t, s.Client(), apiURL(s, "ping", nil))
	if !strings.Contains(string(body), `"version":"443000"`) {
		t.Errorf("API4 ping: %s", body)
	}
}
