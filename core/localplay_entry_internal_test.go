package core

import "testing"

func TestPlayURLObject(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw, typ, oid string
	}{
		{"https://m.example/play/index.php?ssid=x&type=song&oid=12&uid=1&name=a.mp3", "song", "12"},
		{"https://m.example/ampache/play/index.php?ssid=x&type=Podcast_Episode&oid=3", "podcast_episode", "3"},
		{"https://m.example/play/index.php?ssid=x&object_type=song&object_id=7", "song", "7"},
		{"https://m.example/play/index.php?ssid=x&oid=5&uid=1", "", "5"},
		{"https://m.example/play/ssid/x/type/song/oid/44/uid/1/name/a.mp3", "song", "44"},
		{"https://m.example/play/ssid/x/type/live_stream/oid/2/name/r", "live_stream", "2"},
		{"http://radio.example:8000/stream?oid=4", "", ""},
		{"/var/music/a.mp3", "", ""},
		{"", "", ""},
		{"::not a url", "", ""},
	} {
		typ, oid := playURLObject(tc.raw)
		if typ != tc.typ || oid != tc.oid {
			t.Errorf("playURLObject(%q) = %q, %q; want %q, %q", tc.raw, typ, oid, tc.typ, tc.oid)
		}
	}
}
