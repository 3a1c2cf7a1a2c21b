package cli

import (
	"errors"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

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

// withTrustHint adds to a refused certificate how to trust it: a login to
// server (a URL or profile's URL) with --trust-certificate. Other errors
// are returned as they are.
func withTrustHint(err error, server, profile string) error {
	var ce *client.CertificateError
	if !errors.As(err, &ce) || ce.Fingerprint == "" {
		return err
	}
	if ce.Pinned == "" {
		return &trustHint{msg: core.Explain(err) + ": run the same login again, adding --trust-certificate " + ce.Fingerprint}
	}
	cmd := "ampdesk login " + server
	if profile != "" {
		cmd += " --name " + profile
	}
	return &trustHint{msg: core.Explain(err) + ": " + cmd + " --trust-certificate " + ce.Fingerprint +
		" (with your user name and password, or API key, as at the first login)"}
}
