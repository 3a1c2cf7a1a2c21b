package client

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Fingerprint returns the SHA-256 fingerprint of a certificate as
// upper-case hex pairs separated by colons ("AB:CD:..."), the form
// CertificateError reports and WithPinnedCertificate accepts.
func Fingerprint(cert *x509.Certificate) string {
	if cert == nil {
		return ""
	}
	sum := sha256.Sum256(cert.Raw)
	return formatFingerprint(sum[:])
}

func formatFingerprint(sum []byte) string {
	h := strings.ToUpper(hex.EncodeToString(sum))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// parseFingerprint reads a SHA-256 fingerprint written as 64 hex digits,
// with or without colons or spaces, in either case.
func parseFingerprint(s string) ([]byte, error) {
	clean := strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(s))
	clean = strings.TrimPrefix(strings.ToLower(clean), "sha256")
	sum, err := hex.DecodeString(clean)
	if err != nil || len(sum) != sha256.Size {
		return nil, fmt.Errorf("%q is not a SHA-256 fingerprint (64 hex digits)", s)
	}
	return sum, nil
}

// WithPinnedCertificate makes this client trust exactly the TLS
// certificate with the given SHA-256 fingerprint (as CertificateError
// reports it) and no other: a server presenting a different certificate
// is refused with a *CertificateError, even one the system trusts. It is
// meant for servers with a self-signed certificate that the user has
// chosen to trust. Other clients are not affected.
func WithPinnedCertificate(fingerprint string) Option {
	return func(c *Client) error {
		sum, err := parseFingerprint(fingerprint)
		if err != nil {
			return fmt.Errorf("WithPinnedCertificate: %w", err)
		}
		c.pin = sum
		return nil
	}
}

// pinnedClient returns a copy of hc whose transport accepts only the
// certificate whose SHA-256 is pin.
func pinnedClient(hc *http.Client, pin []byte) (*http.Client, error) {
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	t, ok := rt.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("WithPinnedCertificate needs an *http.Transport, not %T", rt)
	}
	t = t.Clone()
	cfg := &tls.Config{}
	if t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	pinned := formatFingerprint(pin)
	// The usual chain and host name checks are replaced by the pin, which
	// is stricter: only this one certificate is accepted.
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return &CertificateError{Host: cs.ServerName, Pinned: pinned, Err: errors.New("no certificate")}
		}
		leaf := cs.PeerCertificates[0]
		sum := sha256.Sum256(leaf.Raw)
		if !bytes.Equal(sum[:], pin) {
			return &CertificateError{Host: cs.ServerName, Fingerprint: formatFingerprint(sum[:]), Pinned: pinned}
		}
		return nil
	}
	cfg.VerifyPeerCertificate = nil
	t.TLSClientConfig = cfg
	out := *hc
	out.Transport = t
	return &out, nil
}

// certificateError finds a refused certificate in err and reports it as a
// *CertificateError with the server's fingerprint, or returns nil.
func certificateError(host string, err error) *CertificateError {
	var ce *CertificateError
	if errors.As(err, &ce) {
		if ce.Host == "" {
			ce.Host = host
		}
		return ce
	}
	var leaf *x509.Certificate
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var he x509.HostnameError
	var cie x509.CertificateInvalidError
	switch {
	case errors.As(err, &cve):
		if len(cve.UnverifiedCertificates) > 0 {
			leaf = cve.UnverifiedCertificates[0]
		}
		err = cve.Err
	case errors.As(err, &uae):
		leaf = uae.Cert
		err = uae
	case errors.As(err, &he):
		leaf = he.Certificate
		err = he
	case errors.As(err, &cie):
		leaf = cie.Cert
		err = cie
	default:
		return nil
	}
	return &CertificateError{Host: host, Fingerprint: Fingerprint(leaf), Err: err}
}
