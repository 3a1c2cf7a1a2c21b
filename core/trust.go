package core

import (
	"context"
	"strings"

	"github.com/ampdesk/ampdesk/storage"
)

// TrustCertificate makes a saved profile ("" for the default one) trust
// exactly the TLS certificate with this SHA-256 fingerprint — the one a
// refused connection's *client.CertificateError reports, e.g. after the
// server's certificate was renewed — and connects with it, using the
// profile's secret from the keyring. The new pin is saved only when the
// connection works. (A first login pins with LoginRequest.TLSPin.)
func (c *Core) TrustCertificate(ctx context.Context, name, fingerprint string) (storage.Profile, error) {
	p, err := c.profile(name)
	if err != nil {
		return storage.Profile{}, err
	}
	secret, err := c.secrets.Load(ctx, p.Name)
	if err != nil {
		return p, err
	}
	p.TLSPin = strings.TrimSpace(fingerprint)
	cn, err := c.dial(ctx, p, credsFor(p, secret))
	if err != nil {
		return p, err
	}
	def, hadDefault := c.profiles.Default()
	if err := c.profiles.Put(p); err != nil {
		_ = cn.client.Goodbye(ctx)
		return p, err
	}
	if hadDefault && def.Name != p.Name {
		_ = c.profiles.SetDefault(def.Name) // trusting is not choosing
	}
	if err := c.setConn(ctx, cn); err != nil {
		return p, err
	}
	return p, nil
}
