package ampachetest

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	get := func(action string) (*http.Response, []byte, error) {
		resp, err := ts.hc.Get(apiURL(s, action, url.Values{"auth": {ts.token}, "limit": {"1"}}))
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	s.FailNext("songs", 2, Fault{Status: http.StatusServiceUnavailable})
	s.FailNext("", 1, Fault{Code: 4703, Message: "Enable: everything"})
	for i := range 2 {
		if resp, _, err := get("songs"); err != nil || resp.StatusCode != 503 {
			t.Fatalf("songs #%d: %v %v, want HTTP 503", i+1, resp, err)
		}
	}
	_, body, _ := get("albums") // the "" fault matches any action
	var e struct{ Error map[string]string }
	if err := json.Unmarshal(body, &e); err != nil || e.Error["errorCode"] != "4703" || e.Error["errorMessage"] != "Enable: everything" {
		t.Errorf("Code fault: %s", body)
	}
	if resp, body, err := get("songs"); err != nil || resp.StatusCode != 200 || len(body) < 100 {
		t.Errorf("after the faults: %v %s", err, body)
	}
	s.FailNext("artists", 1, Fault{Empty: true})
	if resp, body, err := get("artists"); err != nil || resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("Empty fault: %v %q", err, body)
	}
	// Go's Transport retries a GET once when a reused connection drops
	// before answering: reset both tries.
	s.FailNext("genres", 2, Fault{Reset: true})
	if _, _, err := get("genres"); err == nil {
		t.Error("Reset fault: the request succeeded")
	}
	if got := s.Requests("songs"); got != 3 {
		t.Errorf("Requests(songs) = %d, want 3", got)
	}
	if s.Requests("genres") != 2 || s.Requests("") < 8 {
		t.Errorf("Requests: genres %d, all %d", s.Requests("genres"), s.Requests(""))
	}
}

func TestStallAndCloseDoNotHang(t *testing.T) {
	t.Parallel()
	s := NewServer(Options{})
	ts := login(t, s, s.User, "")
	release := s.StallNext("songs", 1)
	done := make(chan error, 1)
	go func() {
		resp, err := ts.hc.Get(apiURL(s, "songs", url.Values{"auth": {ts.token}, "limit": {"1"}}))
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for s.Requests("songs") == 0 {
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("stalled request returned before release: %v", err)
	default:
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("released request: %v", err)
	}

	// A paced radio stream and a request waiting on latency must not keep
	// Close waiting.
	resp, err := s.Client().Get(s.URL + "/radio/1.mp3")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 1000)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	s.SetLatency(time.Hour)
	go func() {
		resp, err := ts.hc.Get(apiURL(s, "albums", url.Values{"auth": {ts.token}}))
		if err == nil {
			resp.Body.Close()
		}
	}()
	for s.Requests("albums") == 0 {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	<-closed // the test's own timeout catches a hang
	// The radio stream ends: it no longer delivers audio.
	n, _ := io.Copy(io.Discard, resp.Body)
	if n > 10<<20 {
		t.Errorf("radio kept streaming after Close: %d bytes", n)
	}
}

func TestCloseClientConnections(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	s.SetRadioPacing(true)
	resp, err := s.Client().Get(s.URL + "/radio/1.mp3")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	s.CloseClientConnections()
	if _, err := io.Copy(io.Discard, resp.Body); err == nil {
		t.Error("the stream ended without an error after CloseClientConnections")
	}
}

func TestTLSAndCertificateRotation(t *testing.T) {
	t.Parallel()
	s := NewUnstartedServer(Options{})
	s.StartTLS()
	t.Cleanup(s.Close)
	hc := s.Client()
	resp, err := hc.Get(apiURL(s, "ping", nil))
	if err != nil {
		t.Fatalf("ping over TLS: %v", err)
	}
	resp.Body.Close()
	fp := s.CertificateFingerprint()
	if got := Fingerprint(resp.TLS.PeerCertificates[0]); got != fp || len(fp) != 95 {
		t.Fatalf("fingerprint %q, server says %q", got, fp)
	}
	// The default client does not trust the self-signed certificate.
	if _, err := http.Get(apiURL(s, "ping", nil)); err == nil {
		t.Error("an ordinary client trusted the self-signed certificate")
	}
	if err := s.RotateCertificate(); err != nil {
		t.Fatal(err)
	}
	if s.CertificateFingerprint() == fp {
		t.Fatal("RotateCertificate kept the fingerprint")
	}
	hc.CloseIdleConnections()
	if _, err := hc.Get(apiURL(s, "ping", nil)); err == nil {
		t.Error("a client pinned to the old certificate accepted the new one")
	}
	conn, err := tls.Dial("tcp", s.URL[len("https://"):len(s.URL)-len(s.basePath)], &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := Fingerprint(conn.ConnectionState().PeerCertificates[0]); got != s.CertificateFingerprint() {
		t.Errorf("new connections get %s, want %s", got, s.CertificateFingerprint())
	}
	if resp, err := s.Client().Get(apiURL(s, "ping", nil)); err != nil {
		t.Errorf("a new Client after rotation: %v", err)
	} else {
		resp.Body.Close()
	}
}

func TestStartOnAndBasePath(t *testing.T) {
	t.Parallel()
	s := NewUnstartedServer(Options{BasePath: "/music/ampache/"})
	if err := s.StartOn("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if want := "/music/ampache"; s.URL[len(s.URL)-len(want):] != want {
		t.Fatalf("URL %s does not end in the base path", s.URL)
	}
	ts := login(t, s, s.User, "")
	m := ts.obj("song", "filter", "1")
	if resp, _ := rawGet(t, s.Client(), str(m["url"])); resp.StatusCode != 200 {
		t.Errorf("play URL under the base path: HTTP %d", resp.StatusCode)
	}
	resp, _ := rawGet(t, s.Client(), s.URL[:len(s.URL)-len("/music/ampache")]+"/server/json.server.php?action=ping")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("API outside the base path: HTTP %d, want 404", resp.StatusCode)
	}
	if err := s.StartOn("127.0.0.1:0"); err == nil {
		t.Error("a second StartOn succeeded")
	}
}
