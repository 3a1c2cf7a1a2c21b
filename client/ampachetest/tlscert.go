package ampachetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
)

// certState is the server's self-signed TLS certificate, replaceable while
// the server runs.
type certState struct {
	mu   sync.Mutex
	cert *tls.Certificate
	leaf *x509.Certificate
}

func newSelfSigned() (*tls.Certificate, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"ampachetest"}, CommonName: "ampachetest " + serial.String()},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf, nil
}

func (c *certState) ensure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cert != nil {
		return nil
	}
	cert, leaf, err := newSelfSigned()
	if err != nil {
		return fmt.Errorf("ampachetest: making a certificate: %w", err)
	}
	c.cert, c.leaf = cert, leaf
	return nil
}

func (c *certState) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cert, nil
}

// pool returns a pool trusting the current certificate, or nil without TLS.
func (c *certState) pool() *x509.CertPool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.leaf == nil {
		return nil
	}
	p := x509.NewCertPool()
	p.AddCert(c.leaf)
	return p
}

// Certificate returns the TLS certificate the server presents (nil before
// StartTLS).
func (s *Server) Certificate() *x509.Certificate {
	s.tls.mu.Lock()
	defer s.tls.mu.Unlock()
	return s.tls.leaf
}

// CertificateFingerprint returns the SHA-256 fingerprint of the server's
// certificate (DER), as colon-separated upper-case hex pairs
// ("AB:CD:..."), the form browsers show; "" before StartTLS.
func (s *Server) CertificateFingerprint() string {
	leaf := s.Certificate()
	if leaf == nil {
		return ""
	}
	return Fingerprint(leaf)
}

// Fingerprint formats the SHA-256 fingerprint of a certificate as
// CertificateFingerprint does.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// RotateCertificate replaces the server's certificate with a new
// self-signed one (new key, new fingerprint): new connections get it, as
// when a server's certificate is changed. Clients from earlier Client calls
// no longer trust it.
func (s *Server) RotateCertificate() error {
	cert, leaf, err := newSelfSigned()
	if err != nil {
		return fmt.Errorf("ampachetest: making a certificate: %w", err)
	}
	s.tls.mu.Lock()
	s.tls.cert, s.tls.leaf = cert, leaf
	s.tls.mu.Unlock()
	s.CloseClientConnections()
	return nil
}
