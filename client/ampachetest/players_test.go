package ampachetest

import (
	"strconv"
	"testing"
	"time"
)

func lpStatus(t *testing.T, ts *testSession) map[string]any {
	t.Helper()
	m := ts.obj("localplay", "command", "status")
	return m["localplay"].(map[string]any)["command"].(map[string]any)["status"].(map[string]any)
}

func lpDo(t *testing.T, ts *testSession, kv ...string) bool {
	t.Helper()
	m := ts.obj("localplay", kv...)
	return m["localplay"].(map[string]any)["command"].(map[string]any)[kv[1]].(bool)
}

func TestLocalplayStateMachine(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := startServer(t, Options{Now: clock.Now, SessionLength: 48 * time.Hour})
	ts := login(t, s, s.Admin, "")
	if lpDo(t, ts, "command", "play") {
		t.Error("play with an empty queue reported success")
	}
	album, _ := s.Album(2)
	if !lpDo(t, ts, "command", "add", "type", "album", "filter", "2", "clear", "1") {
		t.Fatal("add album failed")
	}
	lpDo(t, ts, "command", "add", "type", "song", "oid", "1")
	st := s.Localplay()
	if len(st.Queue) != len(album.SongIDs)+1 || st.State != "stop" || st.Track != 0 {
		t.Fatalf("after add: %+v", st)
	}
	lpDo(t, ts, "command", "play")
	status := lpStatus(t, ts)
	first, _ := s.Song(album.SongIDs[0])
	if status["state"] != "play" || status["track"].(float64) != 1 || status["track_title"] != first.Title {
		t.Fatalf("playing: %v", status)
	}
	lpDo(t, ts, "command", "next")
	if st := s.Localplay(); st.Track != 2 {
		t.Fatalf("after next: track %d", st.Track)
	}
	lpDo(t, ts, "command", "prev")
	// Time moves playback on: after the first song ends the second plays.
	clock.Advance(first.Duration + time.Second)
	if st := s.Localplay(); st.Track != 2 || st.State != "play" {
		t.Fatalf("after the first song's length: %+v", st)
	}
	// Pause holds the position.
	lpDo(t, ts, "command", "pause")
	clock.Advance(time.Hour)
	if st := s.Localplay(); st.Track != 2 || st.State != "pause" {
		t.Fatalf("paused an hour: %+v", st)
	}
	lpDo(t, ts, "command", "pause") // toggles back
	lpDo(t, ts, "command", "skip", "track", strconv.Itoa(len(album.SongIDs)+1))
	if st := lpStatus(t, ts); st["track_title"] != "1 kHz Tone (MP3)" {
		t.Fatalf("skip to the last entry: %v", st)
	}
	clock.Advance(4 * time.Second) // the tone is 3 s: the queue ends
	if st := s.Localplay(); st.State != "stop" || st.Track != 0 {
		t.Fatalf("after the last entry: %+v", st)
	}
	// Volume is clamped to 0–100 and reported as a string.
	for range 30 {
		lpDo(t, ts, "command", "volume_up")
	}
	if v := lpStatus(t, ts)["volume"]; v != "100" {
		t.Errorf("volume after ups: %v", v)
	}
	lpDo(t, ts, "command", "volume_down")
	if s.Localplay().Volume != 95 {
		t.Errorf("volume after down: %d", s.Localplay().Volume)
	}
	lpDo(t, ts, "command", "volume_mute")
	if s.Localplay().Volume != 0 {
		t.Errorf("volume after mute: %d", s.Localplay().Volume)
	}
	_, songs := ts.items("localplay_songs", "localplay_songs")
	if len(songs) != len(album.SongIDs)+1 || songs[0]["track"].(float64) != 1 || songs[0]["oid"] != strconv.Itoa(first.ID) {
		t.Errorf("localplay_songs = %v", songs[:1])
	}
	lpDo(t, ts, "command", "delete_all")
	if st := s.Localplay(); len(st.Queue) != 0 || st.State != "stop" {
		t.Errorf("after delete_all: %+v", st)
	}
	if code := ts.apiErr("localplay", "command", "dance"); code != "4710" {
		t.Errorf("unknown command: %s", code)
	}
	// Repeat and random are reported; API5 writes them as "0"/"1".
	s.SetLocalplayRepeat(true)
	if st := lpStatus(t, ts); st["repeat"] != true || st["random"] != false {
		t.Errorf("status repeat/random: %v", st)
	}
	ts5 := login(t, s, s.Admin, "5.5.0")
	if st := lpStatus(t, ts5); st["repeat"] != "1" {
		t.Errorf("API5 repeat: %v", st["repeat"])
	}
	// The MPD quirk: an add while stopped empties the queue first.
	s.SetLocalplayMPDQuirk(true)
	lpDo(t, ts, "command", "add", "type", "song", "oid", "1")
	lpDo(t, ts, "command", "add", "type", "song", "oid", "2")
	if st := s.Localplay(); len(st.Queue) != 1 || st.Queue[0].ID != 2 {
		t.Errorf("MPD quirk: %+v", st.Queue)
	}
}

func TestDemocraticOrdering(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	user := login(t, s, s.User, "")
	admin := login(t, s, s.Admin, "")
	user.obj("democratic", "method", "vote", "oid", "3")
	user.obj("democratic", "method", "vote", "oid", "5")
	admin.obj("democratic", "method", "vote", "oid", "7")
	admin.obj("democratic", "method", "vote", "oid", "5")
	// 5 has two votes; 3 and 7 one each, 3 voted first.
	order := func(ts *testSession) []string {
		m := ts.obj("democratic", "method", "playlist")
		var out []string
		for _, x := range m["song"].([]any) {
			e := x.(map[string]any)
			out = append(out, str(e["id"])+":"+str(e["vote"]))
		}
		return out
	}
	if got := order(user); len(got) != 3 || got[0] != "5:2" || got[1] != "3:1" || got[2] != "7:1" {
		t.Fatalf("democratic playlist = %v", got)
	}
	admin.obj("democratic", "method", "devote", "oid", "5")
	user.obj("democratic", "method", "vote", "oid", "7")
	if got := order(admin); got[0] != "7:2" || got[1] != "3:1" || got[2] != "5:1" {
		t.Fatalf("after devote and vote: %v", got)
	}
	q := s.Democratic()
	if q[0].SongID != 7 || len(q[0].Voters) != 2 {
		t.Errorf("server queue = %+v", q)
	}
	if code := user.apiErr("democratic", "method", "vote", "oid", "999999"); code != "4704" {
		t.Errorf("vote for a missing song: %s", code)
	}
	// play gives a URL that streams the queue as MP3, taking songs off it.
	u := str(user.obj("democratic", "method", "play")["url"])
	resp, body := rawGet(t, s.Client(), u)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/mpeg" || len(body) < 10000 {
		t.Fatalf("democratic stream: HTTP %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	if _, h := parseMP3Header(body); !h {
		t.Errorf("democratic stream does not start with an MP3 frame")
	}
	if left := s.Democratic(); len(left) != 0 {
		t.Errorf("after streaming, queue = %+v", left)
	}
}
