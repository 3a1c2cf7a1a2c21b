package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

func init() {
	extraCommands = append(extraCommands, command{
		"trust", "SHA256",
		"trust the server's new TLS certificate for the profile (after it changed), keeping the saved password or API key", cmdTrust,
	})
}

// cmdTrust pins the chosen profile to the certificate with the given
// fingerprint, checking it by connecting with the keyring's secret.
func cmdTrust(ctx context.Context, env *Env, args []string) error {
	if len(args) != 1 {
		return usagef("give the SHA-256 fingerprint the refusal printed")
	}
	c, err := env.openCore()
	if err != nil {
		return err
	}
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	p, err := c.TrustCertificate(tctx, env.Profile, args[0])
	if err != nil {
		return withTrustHint(err, p.Name, false)
	}
	return env.output(map[string]any{"profile": p.Name, "url": p.URL, "tls_pin": p.TLSPin}, func(w io.Writer) {
		fmt.Fprintf(w, "profile %q now trusts the certificate %s of %s, and no other\n", p.Name, p.TLSPin, p.URL)
	})
}

// trustFlagUsage documents login's --trust-certificate.
const trustFlagUsage = "trust the server's TLS certificate with this SHA-256 fingerprint for this profile " +
	"(a login to a server whose certificate this computer does not trust prints it); the profile then accepts that certificate and no other"

// trustHint is a refused TLS certificate, explained with the command that
// trusts it. It does not unwrap: Run prints its text as it is, where
// core.Explain would print the face-neutral sentence.
type trustHint struct {
	msg string
}

func (e *trustHint) Error() string { return e.msg }

// withTrustHint adds to a refused certificate how to trust it: in a login,
// the same login with --trust-certificate; otherwise `ampdesk trust` for
// the profile, which keeps its saved secret. Other errors are returned as
// they are.
func withTrustHint(err error, profile string, inLogin bool) error {
	var ce *client.CertificateError
	if !errors.As(err, &ce) || ce.Fingerprint == "" {
		return err
	}
	if inLogin {
		return &trustHint{msg: core.Explain(err) + ": run the same login again, adding --trust-certificate " + ce.Fingerprint}
	}
	cmd := "ampdesk trust " + ce.Fingerprint
	if profile != "" {
		cmd = "ampdesk --profile " + profile + " trust " + ce.Fingerprint
	}
	return &trustHint{msg: core.Explain(err) + ": " + cmd}
}
