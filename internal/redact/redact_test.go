package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		want   string
		secret []string // must not survive
	}{
		{
			name:   "session token in API URL",
			in:     "https://music.example/ampache/server/json.server.php?action=songs&auth=0123abcdef&limit=5",
			want:   "https://music.example/ampache/server/json.server.php?action=songs&auth=REDACTED&limit=5",
			secret: []string{"0123abcdef"},
		},
		{
			name:   "handshake passphrase keeps timestamp and user",
			in:     "GET /server/json.server.php?action=handshake&auth=9f86d081884c7d65&timestamp=1700000000&user=alice&version=6.9.0",
			want:   "GET /server/json.server.php?action=handshake&auth=REDACTED&timestamp=1700000000&user=alice&version=6.9.0",
			secret: []string{"9f86d081884c7d65"},
		},
		{
			name:   "play URL ssid",
			in:     `"url": "https:\/\/m.example\/play\/index.php?ssid=cfj3f237d5&type=song&oid=91"`,
			want:   `"url": "https:\/\/m.example\/play\/index.php?ssid=REDACTED&type=song&oid=91"`,
			secret: []string{"cfj3f237d5"},
		},
		{
			name:   "encoded URL inside a parameter",
			in:     "action=url_to_song&url=https%3A%2F%2Fm.example%2Fplay%2Findex.php%3Fssid%3Dabc123%26type%3Dsong%26auth%3Ddef456&auth=tok789",
			want:   "action=url_to_song&url=https%3A%2F%2Fm.example%2Fplay%2Findex.php%3Fssid%3DREDACTED%26type%3Dsong%26auth%3DREDACTED&auth=REDACTED",
			secret: []string{"abc123", "def456", "tok789"},
		},
		{
			name:   "case and other names",
			in:     "x?AUTH=a1&Token=b2&apikey=c3&api_key=d4&password=e5&key=f6&streamtoken=g7",
			want:   "x?AUTH=REDACTED&Token=REDACTED&apikey=REDACTED&api_key=REDACTED&password=REDACTED&key=REDACTED&streamtoken=REDACTED",
			secret: []string{"a1", "b2", "c3", "d4", "e5", "f6", "g7"},
		},
		{
			name: "names inside other words are not secrets",
			in:   "x?monkey=1&author=2&keyboard=3",
			want: "x?monkey=1&author=2&keyboard=3",
		},
		{
			name:   "json members",
			in:     `{"auth": "ca132eca2e", "api": "6.9.1", "streamtoken":"s3cr3t", "username": "user"}`,
			want:   `{"auth": "REDACTED", "api": "6.9.1", "streamtoken":"REDACTED", "username": "user"}`,
			secret: []string{"ca132eca2e", "s3cr3t"},
		},
		{
			name:   "ampache connection string with password",
			in:     "ampache://alice:hunter2@music.example:8443/ampache#ssl=true",
			want:   "ampache://alice:REDACTED@music.example:8443/ampache#ssl=true",
			secret: []string{"hunter2"},
		},
		{
			name:   "ampache connection string with password containing @",
			in:     "ampache://alice:p@ss@music.example/ampache",
			want:   "ampache://alice:REDACTED@music.example/ampache",
			secret: []string{"p@ss"},
		},
		{
			name:   "ampache connection string with API key",
			in:     "dial ampache://0123456789abcdef@music.example/ampache: refused",
			want:   "dial ampache://REDACTED@music.example/ampache: refused",
			secret: []string{"0123456789abcdef"},
		},
		{
			name:   "https userinfo",
			in:     "https://bob:pw123@host/x",
			want:   "https://bob:REDACTED@host/x",
			secret: []string{"pw123"},
		},
		{
			name: "plain user in https is kept",
			in:   "https://bob@host/x",
			want: "https://bob@host/x",
		},
		{
			name:   "bearer header",
			in:     "Authorization: Bearer abc.def-123",
			want:   "Authorization: Bearer REDACTED",
			secret: []string{"abc.def-123"},
		},
		{
			name: "nothing to hide",
			in:   "connection refused",
			want: "connection refused",
		},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := String(tt.in)
			if got != tt.want {
				t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			for _, s := range tt.secret {
				if strings.Contains(got, s) {
					t.Errorf("String(%q) = %q still contains %q", tt.in, got, s)
				}
			}
			if again := String(got); again != got {
				t.Errorf("String is not idempotent: %q then %q", got, again)
			}
			if u := URL(tt.in); u != got {
				t.Errorf("URL(%q) = %q, want %q", tt.in, u, got)
			}
		})
	}
}

func FuzzString(f *testing.F) {
	f.Add("https://h/server/json.server.php?action=ping&auth=abc")
	f.Add("ampache://k@h/a#ssl=true")
	f.Add(`{"auth":"x\"y"}`)
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if String(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, String(out))
		}
		// A secret appended as a parameter never survives.
		leak := String(s + "&auth=Zq9SECRET")
		if strings.Contains(leak, "Zq9SECRET") {
			t.Fatalf("secret survived in %q", leak)
		}
	})
}
