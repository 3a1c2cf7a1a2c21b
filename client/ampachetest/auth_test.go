package ampachetest

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestPingWithoutAuthPerAPIVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		api  int
		want string
	}{{6, "6.9.2"}, {5, "5.5.6"}, {4, "443000"}} {
		s := startServer(t, Options{APIVersion: tc.api})
		_, body := rawGet(t, s.Client(), apiURL(s, "ping", nil))
		var m map[string]string
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		if m["version"] != tc.want || m["server"] != serverVersion || m["compatible"] != "350001" || len(m) != 3 {
			t.Errorf("API%d ping = %v, want version %s", tc.api, m, tc.want)
		}
	}
}

func TestHandshakeByPasswordAndKey(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	hc := s.Client()
	now := strconv.FormatInt(time.Now().Unix(), 10)
	good := sha256Hex(now + sha256Hex(s.User.Password))
	cases := []struct {
		name   string
		params url.Values
		ok     bool
	}{
		{"password", url.Values{"user": {"user"}, "timestamp": {now}, "auth": {good}}, true},
		{"api key", url.Values{"auth": {s.Admin.APIKey}}, true},
		{"wrong password", url.Values{"user": {"user"}, "timestamp": {now}, "auth": {sha256Hex(now + sha256Hex("nope"))}}, false},
		{"unknown user", url.Values{"user": {"nobody"}, "timestamp": {now}, "auth": {good}}, false},
		{"old timestamp", url.Values{"user": {"user"}, "timestamp": {"1000"}, "auth": {sha256Hex("1000" + sha256Hex(s.User.Password))}}, false},
		{"wrong key", url.Values{"auth": {"0123456789abcdef"}}, false},
	}
	for _, tc := range cases {
		_, body := rawGet(t, hc, apiURL(s, "handshake", tc.params))
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.ok {
			if m["auth"] == nil || m["api"] != "6.9.2" || m["songs"] == nil {
				t.Errorf("%s: handshake = %v", tc.name, m)
			}
			continue
		}
		e, _ := m["error"].(map[string]any)
		if e["errorCode"] != "4701" || e["errorAction"] != "handshake" || e["errorType"] != "account" {
			t.Errorf("%s: got %s, want a 4701 handshake error", tc.name, body)
		}
	}
}

func TestHandshakeVersionPicksAPI(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	for _, tc := range []struct{ version, api string }{
		{"6.9.0", "6.9.2"}, {"5.0.0", "5.5.6"}, {"440000", "443000"}, {"", "6.9.2"},
	} {
		p := url.Values{"auth": {s.User.APIKey}}
		if tc.version != "" {
			p.Set("version", tc.version)
		}
		_, body := rawGet(t, s.Client(), apiURL(s, "handshake", p))
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("version %q: %v: %s", tc.version, err, body)
		}
		if m["api"] != tc.api {
			t.Errorf("version %q: api %v, want %s", tc.version, m["api"], tc.api)
		}
	}
	// The dotted API4 version is "too old": an empty body with HTTP 200.
	resp, body := rawGet(t, s.Client(), apiURL(s, "handshake", url.Values{"auth": {s.User.APIKey}, "version": {"4.4.0"}}))
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("version 4.4.0: HTTP %d %q, want 200 and an empty body", resp.StatusCode, body)
	}
	// A server that offers API5 at most caps a request for API6.
	s5 := startServer(t, Options{APIVersion: 5})
	_, body = rawGet(t, s5.Client(), apiURL(s5, "handshake", url.Values{"auth": {s5.User.APIKey}, "version": {"6.9.0"}}))
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	if m["api"] != "5.5.6" {
		t.Errorf("API5 server asked for 6: api %v", m["api"])
	}
}

func TestSessionExpiryWithInjectedClock(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := startServer(t, Options{SessionLength: 10 * time.Minute, Now: clock.Now})
	ts := login(t, s, s.User, "")
	ts.obj("songs", "limit", "1")

	// Any call extends the session: 9 minutes, a call, 9 more minutes.
	clock.Advance(9 * time.Minute)
	ts.obj("ping")
	clock.Advance(9 * time.Minute)
	ts.obj("artists", "limit", "1")

	clock.Advance(11 * time.Minute)
	if code := ts.apiErr("songs"); code != "4701" {
		t.Fatalf("after expiry: error %s, want 4701", code)
	}
	// A ping with the dead token answers like one without a session.
	m := ts.obj("ping")
	if _, ok := m["session_expire"]; ok {
		t.Errorf("ping with an expired session reports a session: %v", m)
	}

	ts = login(t, s, s.User, "")
	s.ExpireSessions()
	if code := ts.apiErr("albums"); code != "4701" {
		t.Fatalf("after ExpireSessions: error %s, want 4701", code)
	}

	ts = login(t, s, s.User, "")
	if m := ts.obj("goodbye"); m["success"] != ts.token {
		t.Errorf("goodbye = %v", m)
	}
	if code := ts.apiErr("songs"); code != "4701" {
		t.Errorf("after goodbye: error %s, want 4701", code)
	}
}

func TestAPI4ErrorShape(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "440000")
	if code := ts.apiErr("song", "filter", "999999"); code != "404" {
		t.Errorf("API4 missing song: code %s, want 404", code)
	}
	if code := ts.apiErr("bookmarks"); code != "405" {
		t.Errorf("API4 bookmarks: code %s, want 405 (no such method in API4)", code)
	}
	s.ExpireSessions()
	if code := ts.apiErr("songs"); code != "401" {
		t.Errorf("API4 expired session: code %s, want 401", code)
	}
}
