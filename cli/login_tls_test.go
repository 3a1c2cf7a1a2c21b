package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// relOutput is a buffer safe for concurrent writers, as os.Stdout and
// os.Stderr are (a sync's progress line and the -v log share stderr).
type relOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *relOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *relOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// relRun runs one ampdesk command line and returns its exit code, stdout
// and stderr.
func relRun(t *testing.T, configDir string, kr storage.Keyring, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut relOutput
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, ConfigDir: configDir, Keyring: kr}
	code := Run(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

// TestLoginTrustCertificate: ampdesk login refuses a self-signed server
// and says how to trust it; --trust-certificate with that fingerprint
// saves a pinned profile that works; a new certificate is refused by the
// pinned profile in plain words, and trusting it again works.
func TestLoginTrustCertificate(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{})
	srv.StartTLS()
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	dir := t.TempDir()
	kr := &storagetest.MemKeyring{}
	pw := srv.Admin.Password + "\n"
	login := []string{"login", srv.URL, "--user", srv.Admin.Username, "--password-stdin", "--name", "tls"}
	fp := srv.CertificateFingerprint()

	// Refused, with the fingerprint and the flag to trust it, on one line.
	code, _, stderr := relRun(t, dir, kr, pw, login...)
	if code != ExitFailure {
		t.Fatalf("login to a self-signed server: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"is not trusted", "SHA-256", fp, "--trust-certificate " + fp} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
		t.Errorf("the refusal takes %d lines: %q", n+1, stderr)
	}
	if kr.Len() != 0 {
		t.Error("a refused login saved the secret")
	}
	if code, out, _ := relRun(t, dir, kr, "", "profiles", "--json"); code != 0 || strings.Contains(out, `"tls"`) {
		t.Errorf("a refused login saved the profile: %s", out)
	}

	// A fingerprint that is not one is a plain error.
	code, _, stderr = relRun(t, dir, kr, pw, append(login, "--trust-certificate", "12:34")...)
	if code != ExitFailure || !strings.Contains(stderr, "not a SHA-256 fingerprint") {
		t.Errorf("a bad fingerprint: exit %d, %q", code, stderr)
	}

	// Trusted for this profile: login, then other commands, work.
	code, stdout, stderr := relRun(t, dir, kr, pw, append(login, "--trust-certificate", fp)...)
	if code != ExitOK {
		t.Fatalf("login trusting %s: exit %d, %q", fp, code, stderr)
	}
	if !strings.Contains(stdout, "logged in") {
		t.Errorf("stdout %q", stdout)
	}
	profiles, err := storage.OpenProfiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := profiles.Get("tls"); err != nil || p.TLSPin != fp {
		t.Fatalf("saved profile %+v (%v), want the pin %s", p, err, fp)
	}
	if code, _, stderr := relRun(t, dir, kr, "", "--profile", "tls", "ping"); code != ExitOK {
		t.Fatalf("ping with the pinned profile: exit %d, %q", code, stderr)
	}
	if code, out, stderr := relRun(t, dir, kr, "", "--profile", "tls", "ls", "albums", "--limit", "3"); code != ExitOK || out == "" {
		t.Fatalf("ls albums with the pinned profile: exit %d, %q", code, stderr)
	}

	// Another certificate: the pinned profile refuses it, names both, and
	// says what to type to trust the new one.
	if err := srv.RotateCertificate(); err != nil {
		t.Fatal(err)
	}
	srv.CloseClientConnections()
	newFP := srv.CertificateFingerprint()
	code, _, stderr = relRun(t, dir, kr, "", "--profile", "tls", "ping")
	if code != ExitFailure {
		t.Fatalf("ping after the certificate changed: exit %d, %q", code, stderr)
	}
	hint := "ampdesk --profile tls trust " + newFP
	for _, want := range []string{"different TLS certificate", newFP, fp, hint} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	// Logging in with the old pin is refused the same way.
	if code, _, stderr := relRun(t, dir, kr, pw, append(login, "--trust-certificate", fp)...); code != ExitFailure || !strings.Contains(stderr, newFP) {
		t.Errorf("login with the old pin: exit %d, %q", code, stderr)
	}
	// `ampdesk trust` with the old fingerprint is refused; with the one
	// the hint gives, the profile (and its saved password) works again.
	if code, _, stderr := relRun(t, dir, kr, "", "--profile", "tls", "trust", fp); code != ExitFailure || !strings.Contains(stderr, hint) {
		t.Errorf("trust with the old fingerprint: exit %d, %q", code, stderr)
	}
	code, stdout, stderr = relRun(t, dir, kr, "", "--profile", "tls", "trust", newFP)
	if code != ExitOK || !strings.Contains(stdout, newFP) {
		t.Fatalf("trust %s: exit %d, %q %q", newFP, code, stdout, stderr)
	}
	if code, _, stderr := relRun(t, dir, kr, "", "--profile", "tls", "ping"); code != ExitOK {
		t.Errorf("ping after trusting the new certificate: exit %d, %q", code, stderr)
	}
	// And a login trusting it works too.
	if code, _, stderr := relRun(t, dir, kr, pw, append(login, "--trust-certificate", newFP)...); code != ExitOK {
		t.Fatalf("login trusting the new certificate: exit %d, %q", code, stderr)
	}
}
