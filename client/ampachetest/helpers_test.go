package ampachetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func startServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// session is a logged-in test client speaking raw HTTP.
type testSession struct {
	t     testing.TB
	s     *Server
	token string
	hc    *http.Client
}

func rawGet(t testing.TB, hc *http.Client, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", u, err)
	}
	return resp, body
}

func apiURL(s *Server, action string, params url.Values) string {
	v := url.Values{}
	for k, vs := range params {
		v[k] = vs
	}
	v.Set("action", action)
	return s.URL + "/server/json.server.php?" + v.Encode()
}

// login handshakes by password with the API version given ("" for the
// server's default).
func login(t testing.TB, s *Server, acct Account, version string) *testSession {
	t.Helper()
	ts := strconv.FormatInt(s.now().Unix(), 10)
	p := url.Values{"user": {acct.Username}, "timestamp": {ts},
		"auth": {sha256Hex(ts + sha256Hex(acct.Password))}, "client": {"ampachetest-test"}}
	if version != "" {
		p.Set("version", version)
	}
	hc := s.Client()
	_, body := rawGet(t, hc, apiURL(s, "handshake", p))
	var hs map[string]any
	if err := json.Unmarshal(body, &hs); err != nil {
		t.Fatalf("handshake: %v: %s", err, body)
	}
	tok, _ := hs["auth"].(string)
	if tok == "" {
		t.Fatalf("handshake failed: %s", body)
	}
	return &testSession{t: t, s: s, token: tok, hc: hc}
}

// raw calls an action and returns the body.
func (ts *testSession) raw(action string, kv ...string) []byte {
	ts.t.Helper()
	p := url.Values{"auth": {ts.token}}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	resp, body := rawGet(ts.t, ts.hc, apiURL(ts.s, action, p))
	if resp.StatusCode != 200 {
		ts.t.Fatalf("%s: HTTP %d: %s", action, resp.StatusCode, body)
	}
	return body
}

// obj calls an action and decodes an object answer, failing on an error
// object.
func (ts *testSession) obj(action string, kv ...string) map[string]any {
	ts.t.Helper()
	body := ts.raw(action, kv...)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		ts.t.Fatalf("%s: %v: %.300s", action, err, body)
	}
	if e, ok := m["error"]; ok {
		ts.t.Fatalf("%s %v: error %v", action, kv, e)
	}
	return m
}

// apiErr calls an action that must fail and returns its error code.
func (ts *testSession) apiErr(action string, kv ...string) string {
	ts.t.Helper()
	body := ts.raw(action, kv...)
	var m struct {
		Error struct {
			Code    string `json:"errorCode"`
			Code4   string `json:"code"`
			Message string `json:"errorMessage"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &m); err != nil || m.Error.Code == "" && m.Error.Code4 == "" {
		ts.t.Fatalf("%s %v: want an error, got %.300s", action, kv, body)
	}
	if m.Error.Code4 != "" {
		return m.Error.Code4
	}
	return m.Error.Code
}

// items returns the list under key of a list answer.
func (ts *testSession) items(action, key string, kv ...string) (total int, items []map[string]any) {
	ts.t.Helper()
	m := ts.obj(action, kv...)
	raw, ok := m[key].([]any)
	if !ok {
		ts.t.Fatalf("%s: no %q list in %v", action, key, keysOf(m))
	}
	for _, x := range raw {
		items = append(items, x.(map[string]any))
	}
	tc, _ := m["total_count"].(float64)
	return int(tc), items
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func str(v any) string { return fmt.Sprint(v) }
