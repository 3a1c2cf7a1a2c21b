package client

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeServer is a small Ampache double for unit tests: it checks
// handshakes, hands out tokens, and answers data actions through handlers
// the test sets. (The full in-process server is client/ampachetest; these
// tests need to shape replies byte by byte.)
type fakeServer struct {
	t       *testing.T
	srv     *httptest.Server
	version string // what an unauthenticated ping reports
	server  string
	user    string
	pass    string
	apiKey  string

	mu          sync.Mutex
	tokens      map[string]string // token -> API version of the session
	next        int
	calls       map[string]int
	queries     map[string][]url.Values
	handlers    map[string]func(w http.ResponseWriter, q url.Values)
	hsGate      chan struct{}       // when set, handshakes wait on it
	hsRejectAll bool                // refuse every handshake
	onExpired   func(action string) // called after a 4701 for an unknown token
}

const (
	testUser   = "alice"
	testPass   = "s3cr3t-Pa55word"
	testAPIKey = "0123456789abcdef0123456789abcdef"
)

// newFake starts a fake server under /ampache offering API version.
func newFake(t *testing.T, version string) *fakeServer {
	t.Helper()
	f := &fakeServer{
		t: t, version: version, server: "7.10.2",
		user: testUser, pass: testPass, apiKey: testAPIKey,
		tokens:   map[string]string{},
		calls:    map[string]int{},
		queries:  map[string][]url.Values{},
		handlers: map[string]func(http.ResponseWriter, url.Values){},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/server/json.server.php", f.serve)
	f.srv = httptest.NewServer(http.StripPrefix("/ampache", mux))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a client for the fake server with opts, logged in with
// the test password unless opts give other credentials.
func (f *fakeServer) client(opts ...Option) *Client {
	f.t.Helper()
	all := append([]Option{WithHTTPClient(f.srv.Client()), WithCredentials(Credentials{User: testUser, Password: testPass})}, opts...)
	c, err := New(f.srv.URL+"/ampache", all...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fakeServer) handle(action string, h func(w http.ResponseWriter, q url.Values)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[action] = h
}

func (f *fakeServer) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

func (f *fakeServer) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func (f *fakeServer) lastQuery(action string) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	qs := f.queries[action]
	if len(qs) == 0 {
		f.t.Fatalf("no %s request seen", action)
	}
	return qs[len(qs)-1]
}

// expireAll forgets every session.
func (f *fakeServer) expireAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]string{}
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	action := q.Get("action")
	f.mu.Lock()
	f.calls[action]++
	f.queries[action] = append(f.queries[action], q)
	h := f.handlers[action]
	f.mu.Unlock()
	switch action {
	case "ping":
		if h != nil {
			h(w, q)
			return
		}
		f.ping(w, q)
	case "handshake":
		if h != nil {
			h(w, q)
			return
		}
		f.handshake(w, q)
	case "goodbye":
		f.mu.Lock()
		delete(f.tokens, q.Get("auth"))
		f.mu.Unlock()
		writeJSON(w, map[string]any{"success": "goodbye: " + q.Get("auth")})
	default:
		if !f.valid(q.Get("auth")) {
			writeError(w, 4701, action, "account", "Session Expired")
			f.mu.Lock()
			hook := f.onExpired
			f.mu.Unlock()
			if hook != nil {
				hook(action)
			}
			return
		}
		if h == nil {
			writeError(w, 4705, action, "system", "Invalid Request")
			return
		}
		h(w, q)
	}
}

func (f *fakeServer) valid(token string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.tokens[token]
	return ok
}

func (f *fakeServer) ping(w http.ResponseWriter, q url.Values) {
	reply := map[string]any{"server": f.server, "version": f.version, "compatible": "350001"}
	if tok := q.Get("auth"); tok != "" && f.valid(tok) {
		reply["session_expire"] = "2030-01-02T03:04:05+00:00"
		reply["api"] = f.version
		reply["songs"] = 3
	}
	writeJSON(w, reply)
}

func (f *fakeServer) handshake(w http.ResponseWriter, q url.Values) {
	f.mu.Lock()
	gate, reject := f.hsGate, f.hsRejectAll
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	ok := false
	switch {
	case reject:
	case q.Get("user") == "":
		ok = q.Get("auth") == f.apiKey
	default:
		ok = q.Get("user") == f.user && q.Get("auth") == hashPass(q.Get("timestamp"), f.pass)
	}
	if !ok {
		writeError(w, 4701, "handshake", "account", "Received Invalid Handshake - Incorrect username or password")
		return
	}
	api := q.Get("version")
	f.mu.Lock()
	f.next++
	tok := "tok" + strconv.Itoa(f.next) + "-deadbeefcafe"
	f.tokens[tok] = api
	f.mu.Unlock()
	writeJSON(w, map[string]any{
		"auth": tok, "api": answerVersion(api), "session_expire": "2030-01-02T03:04:05+00:00",
		"songs": 3, "albums": 1, "artists": 1, "username": f.user,
	})
}

// answerVersion is what a real server reports for a requested version.
func answerVersion(v string) string {
	switch APIMajor(v) {
	case 6:
		return "6.9.2"
	case 5:
		return "5.5.6"
	case 4:
		return "443000"
	}
	return v
}

func hashPass(ts, pass string) string {
	k := sha256.Sum256([]byte(pass))
	s := sha256.Sum256([]byte(ts + hex.EncodeToString(k[:])))
	return hex.EncodeToString(s[:])
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, code int, action, typ, msg string) {
	writeJSON(w, map[string]any{"error": map[string]string{
		"errorCode": strconv.Itoa(code), "errorAction": action, "errorType": typ, "errorMessage": msg,
	}})
}

// songsJSON is an API6 songs reply with songs ids first..first+n-1.
func songsJSON(total, first, n int) map[string]any {
	songs := make([]map[string]any, n)
	for i := range songs {
		id := first + i
		songs[i] = map[string]any{"id": strconv.Itoa(id), "title": fmt.Sprintf("Song %d", id), "time": 60 + id}
	}
	reply := map[string]any{"md5": "x", "song": songs}
	if total >= 0 {
		reply["total_count"] = total
	}
	return reply
}

// fixedClock returns a clock stuck at unix time sec.
func fixedClock(sec int64) func() time.Time {
	return func() time.Time { return time.Unix(sec, 0) }
}
