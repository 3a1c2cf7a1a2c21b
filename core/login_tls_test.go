package core_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// TLS: a server's certificate is verified by default; an untrusted one is
// refused with its SHA-256 fingerprint in plain words; trusting that
// fingerprint for the profile makes everything work over it (the API,
// streams, art, downloads); a pinned profile refuses another certificate.

// relTLSCore is a core with the system's trust (the default HTTP client),
// so a self-signed test server is not trusted.
func relTLSCore(t *testing.T, dirs storage.Dirs, kr *storagetest.MemKeyring) *core.Core {
	t.Helper()
	c, err := core.New(core.Options{
		Dirs: dirs, Keyring: kr,
		Output: func() (audio.Output, error) { return audiotest.NewOutput(44100), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// relWaitPlayed waits until the queue ends, failing on a PlaybackFailed.
func relWaitPlayed(t *testing.T, events <-chan core.Event, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev := <-events:
			switch e := ev.(type) {
			case core.PlaybackFailed:
				t.Fatalf("playback failed: %v (%s)", e.Err, core.Explain(e.Err))
			case core.QueueEnded:
				return
			}
		case <-deadline:
			t.Fatalf("the queue did not end within %v", timeout)
		}
	}
}

func TestTLSUntrustedThenPinnedThenRotated(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{})
	srv.StartTLS()
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	dir := t.TempDir()
	dirs := storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")}
	kr := &storagetest.MemKeyring{}
	c := relTLSCore(t, dirs, kr)
	req := core.LoginRequest{Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "tls"}
	fp := srv.CertificateFingerprint()

	// 1. Verified by default: refused, with the fingerprint in plain words,
	// and nothing saved.
	_, err := c.Login(ctx, req)
	var ce *client.CertificateError
	if !errors.As(err, &ce) || ce.Fingerprint != fp || ce.Pinned != "" {
		t.Fatalf("login to a self-signed server: got %v, want *CertificateError with %s", err, fp)
	}
	msg := core.Explain(err)
	for _, want := range []string{"not trusted", "SHA-256", fp, "trust this certificate"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Explain = %q, missing %q", msg, want)
		}
	}
	if len(c.Profiles().List()) != 0 || kr.Len() != 0 {
		t.Error("a refused login saved a profile or a secret")
	}
	if _, err := c.TestLogin(ctx, req); !errors.As(err, &ce) {
		t.Errorf("TestLogin: got %v, want *CertificateError", err)
	}

	// 2. Trusting that certificate for this profile: login, browse, art,
	// play, download all go over the pinned certificate.
	req.TLSPin = fp
	if _, err := c.TestLogin(ctx, req); err != nil {
		t.Fatalf("TestLogin with the pin: %v", err)
	}
	p, err := c.Login(ctx, req)
	if err != nil {
		t.Fatalf("login with the pin: %v", err)
	}
	if saved, _ := c.Profiles().Get("tls"); saved.TLSPin != fp || p.TLSPin != fp {
		t.Errorf("saved profile pin %q, want %s", saved.TLSPin, fp)
	}
	if _, _, err := c.Album(ctx, "1"); err != nil {
		t.Fatalf("album over the pinned connection: %v", err)
	}
	cache, err := storage.OpenArtCache(filepath.Join(dirs.Cache, "art"), 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.NewArtSource(c, cache).Art(ctx, client.TypeAlbum, "1", 64); err != nil {
		t.Errorf("art over the pinned connection: %v (%s)", err, core.Explain(err))
	}
	events, stop := c.Subscribe()
	defer stop()
	song, err := c.Song(ctx, "1") // the 3 s tone
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PlayItems([]core.Item{core.SongItem(*song)}, 0, false, core.FromStart); err != nil {
		t.Fatal(err)
	}
	relWaitPlayed(t, events, 30*time.Second)
	if _, err := c.Download(ctx, client.TypeAlbum, "1"); err != nil {
		t.Errorf("download over the pinned connection: %v (%s)", err, core.Explain(err))
	}

	// A new process (a new core) connects with the saved pin.
	c2 := relTLSCore(t, dirs, kr)
	if _, err := c2.Connect(ctx, "tls"); err != nil {
		t.Fatalf("connect with the saved pin: %v", err)
	}

	// 3. The server shows another certificate: the pinned profile refuses
	// it, naming both fingerprints, in plain words.
	if err := srv.RotateCertificate(); err != nil {
		t.Fatal(err)
	}
	srv.CloseClientConnections() // no reuse of a connection made with the old one
	c3 := relTLSCore(t, dirs, kr)
	_, err = c3.Connect(ctx, "tls")
	if !errors.As(err, &ce) || ce.Pinned != fp || ce.Fingerprint != srv.CertificateFingerprint() {
		t.Fatalf("connect after the rotation: got %v, want *CertificateError pinned %s", err, fp)
	}
	msg = core.Explain(err)
	for _, want := range []string{"different TLS certificate", srv.CertificateFingerprint(), fp, "refusing"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Explain = %q, missing %q", msg, want)
		}
	}
	// And a login with the old pin too.
	if _, err := c3.TestLogin(ctx, req); !errors.As(err, &ce) || ce.Pinned == "" {
		t.Errorf("TestLogin with the old pin: got %v", err)
	}

	// 4. Trusting the new certificate for the saved profile, with the
	// secret the keyring holds: a wrong fingerprint saves nothing; the
	// right one saves the new pin and connects.
	newFP := srv.CertificateFingerprint()
	if _, err := c3.TrustCertificate(ctx, "tls", fp); !errors.As(err, &ce) {
		t.Errorf("trusting the old certificate again: got %v, want *CertificateError", err)
	}
	if _, err := c3.TrustCertificate(ctx, "tls", "not a fingerprint"); err == nil {
		t.Error("a malformed fingerprint was accepted")
	}
	if saved, _ := c3.Profiles().Get("tls"); saved.TLSPin != fp {
		t.Errorf("a refused trust changed the saved pin to %q", saved.TLSPin)
	}
	p, err = c3.TrustCertificate(ctx, "tls", newFP)
	if err != nil {
		t.Fatalf("trusting the new certificate: %v", err)
	}
	if saved, _ := c3.Profiles().Get("tls"); saved.TLSPin != newFP || p.TLSPin != newFP {
		t.Errorf("saved pin %q, want %s", saved.TLSPin, newFP)
	}
	if _, _, ok := c3.Connection(); !ok {
		t.Error("not connected after trusting the new certificate")
	}
	if _, err := relTLSCore(t, dirs, kr).Connect(ctx, "tls"); err != nil {
		t.Errorf("a new core connects with the new pin: %v", err)
	}
}
