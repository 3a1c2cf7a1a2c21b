package client

import (
	"crypto/sha256"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// tlsAmpache is an Ampache double behind a self-signed certificate.
func tlsAmpache(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.StripPrefix("/ampache", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"server": "7.10.2", "version": "6.9.2", "compatible": "350001"})
	})))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point here
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestCertificateErrorCarriesFingerprint(t *testing.T) {
	t.Parallel()
	srv := tlsAmpache(t)
	want := Fingerprint(srv.Certificate())
	// A client that does not trust the test certificate (no WithHTTPClient).
	c, err := New(srv.URL + "/ampache")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(t.Context())
	var ce *CertificateError
	if !errors.As(err, &ce) {
		t.Fatalf("got %T %v, want *CertificateError", err, err)
	}
	eq(t, "Fingerprint", ce.Fingerprint, want)
	eq(t, "Pinned", ce.Pinned, "")
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q lacks the fingerprint", err)
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		t.Error("a certificate problem is reported as unreachable")
	}
}

func TestPinnedCertificate(t *testing.T) {
	t.Parallel()
	srv := tlsAmpache(t)
	fp := Fingerprint(srv.Certificate())

	for _, form := range []string{fp, strings.ToLower(strings.ReplaceAll(fp, ":", "")), "  " + fp + " "} {
		c, err := New(srv.URL+"/ampache", WithPinnedCertificate(form))
		if err != nil {
			t.Fatal(err)
		}
		reply, err := c.Ping(t.Context())
		if err != nil {
			t.Fatalf("pinned %q: %v", form, err)
		}
		eq(t, "Server", string(reply.Server), "7.10.2")
	}

	// Another certificate is refused, with both fingerprints named.
	other := sha256.Sum256([]byte("another certificate"))
	otherFP := formatFingerprint(other[:])
	c, err := New(srv.URL+"/ampache", WithPinnedCertificate(otherFP))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(t.Context())
	var ce *CertificateError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want *CertificateError", err)
	}
	eq(t, "Fingerprint", ce.Fingerprint, fp)
	eq(t, "Pinned", ce.Pinned, otherFP)

	// The pin is this client's alone: a client without it still refuses.
	plain, _ := New(srv.URL + "/ampache")
	if _, err := plain.Ping(t.Context()); !errors.As(err, &ce) {
		t.Errorf("an unpinned client accepted the certificate: %v", err)
	}
	// And the caller's http.Client is not modified.
	hc := &http.Client{}
	if _, err := New(srv.URL+"/ampache", WithHTTPClient(hc), WithPinnedCertificate(fp)); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil {
		t.Error("WithPinnedCertificate changed the caller's http.Client")
	}
}

func TestPinnedCertificateBadInput(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "AB:CD", "zz" + strings.Repeat("0", 62), strings.Repeat("0", 66)} {
		if _, err := New("https://h/a", WithPinnedCertificate(bad)); err == nil {
			t.Errorf("fingerprint %q accepted", bad)
		}
	}
	type otherRT struct{ http.RoundTripper }
	_, err := New("https://h/a", WithHTTPClient(&http.Client{Transport: otherRT{}}), WithPinnedCertificate(strings.Repeat("ab", 32)))
	if err == nil {
		t.Error("pinning with a non-*http.Transport was accepted")
	}
}
