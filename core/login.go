package core

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// LoginRequest is what a person types to sign in to a server.
type LoginRequest struct {
	// Server is a URL ("https://music.example/ampache", "music.example") or
	// an ampache:// connection string, which may carry the credentials.
	Server   string
	User     string
	Password string
	APIKey   string
	// Name of the profile to save; default: the server's host name.
	Name string
	// API pins the API major version (4, 5 or 6); 0 takes the newest.
	API int
	// TLSPin trusts exactly the certificate with this SHA-256 fingerprint.
	TLSPin string
}

// ErrMissingCredentials means neither a password nor an API key was given.
var ErrMissingCredentials = errors.New("give a user name and password, or an API key")

// resolve turns the request into a profile and credentials.
func (r LoginRequest) resolve() (storage.Profile, client.Credentials, error) {
	base, creds, err := client.ParseServer(strings.TrimSpace(r.Server))
	if err != nil {
		return storage.Profile{}, client.Credentials{}, err
	}
	if r.User != "" {
		creds.User = r.User
	}
	if r.Password != "" {
		creds.Password = r.Password
		creds.APIKey = ""
	}
	if r.APIKey != "" {
		creds = client.Credentials{APIKey: r.APIKey}
	}
	p := storage.Profile{Name: strings.TrimSpace(r.Name), URL: base, API: r.API, TLSPin: r.TLSPin}
	switch {
	case creds.APIKey != "":
		p.Auth = storage.AuthAPIKey
	case creds.User != "" && creds.Password != "":
		p.Auth = storage.AuthPassword
		p.User = creds.User
	default:
		return storage.Profile{}, client.Credentials{}, ErrMissingCredentials
	}
	if p.Name == "" {
		if u, err := url.Parse(base); err == nil {
			p.Name = u.Hostname()
		}
	}
	return p, creds, p.Validate()
}

func secretOf(creds client.Credentials) string {
	if creds.APIKey != "" {
		return creds.APIKey
	}
	return creds.Password
}

func credsFor(p storage.Profile, secret string) client.Credentials {
	if p.Auth == storage.AuthAPIKey {
		return client.Credentials{APIKey: secret}
	}
	return client.Credentials{User: p.User, Password: secret}
}

// dial makes a client for the profile and opens a session.
func (c *Core) dial(ctx context.Context, p storage.Profile, creds client.Credentials) (*conn, error) {
	opts := []client.Option{
		client.WithHTTPClient(c.http),
		client.WithCredentials(creds),
		client.WithLogger(c.log),
	}
	if p.API != 0 {
		opts = append(opts, client.WithAPIVersion(p.API))
	}
	if p.TLSPin != "" {
		opts = append(opts, client.WithPinnedCertificate(p.TLSPin))
	}
	cl, err := client.New(p.URL, opts...)
	if err != nil {
		return nil, err
	}
	hs, err := cl.Handshake(ctx)
	if err != nil {
		return nil, err
	}
	info := ServerInfo{
		URL:           cl.BaseURL(),
		ServerVersion: cl.ServerVersion(),
		API:           cl.APIVersion(),
		APIMajor:      cl.APIMajorVersion(),
		User:          hs.Username,
		Expires:       hs.SessionExpire.Time,
		Counts:        hs.Counts,
	}
	if info.User == "" {
		info.User = p.User
	}
	return &conn{profile: p, client: cl, info: info}, nil
}

// TestLogin checks a server and credentials without saving anything, and
// ends the session it opened.
func (c *Core) TestLogin(ctx context.Context, r LoginRequest) (ServerInfo, error) {
	p, creds, err := r.resolve()
	if err != nil {
		return ServerInfo{}, err
	}
	cn, err := c.dial(ctx, p, creds)
	if err != nil {
		return ServerInfo{}, err
	}
	_ = cn.client.Goodbye(ctx)
	return cn.info, nil
}

// Login checks the server and credentials, stores the secret in the
// keyring and the profile in the config folder, and makes it the live
// connection. When the keyring cannot be used nothing is saved.
func (c *Core) Login(ctx context.Context, r LoginRequest) (storage.Profile, error) {
	p, creds, err := r.resolve()
	if err != nil {
		return storage.Profile{}, err
	}
	cn, err := c.dial(ctx, p, creds)
	if err != nil {
		return storage.Profile{}, err
	}
	if err := c.secrets.Save(ctx, p.Name, secretOf(creds)); err != nil {
		_ = cn.client.Goodbye(ctx)
		return storage.Profile{}, err
	}
	if err := c.profiles.Put(p); err != nil {
		_ = cn.client.Goodbye(ctx)
		return storage.Profile{}, err
	}
	if err := c.setConn(ctx, cn); err != nil {
		return p, err
	}
	return p, nil
}

// Connect opens a saved profile ("" for the default one) with its secret
// from the keyring.
func (c *Core) Connect(ctx context.Context, name string) (storage.Profile, error) {
	p, err := c.profile(name)
	if err != nil {
		return storage.Profile{}, err
	}
	secret, err := c.secrets.Load(ctx, p.Name)
	if err != nil {
		return p, err
	}
	cn, err := c.dial(ctx, p, credsFor(p, secret))
	if err != nil {
		return p, err
	}
	if err := c.setConn(ctx, cn); err != nil {
		return p, err
	}
	return p, nil
}

// ConnectWith opens a profile with credentials kept only in memory: nothing
// is saved (the demo mode).
func (c *Core) ConnectWith(ctx context.Context, p storage.Profile, creds client.Credentials) error {
	cn, err := c.dial(ctx, p, creds)
	if err != nil {
		return err
	}
	return c.setConn(ctx, cn)
}

// ErrNoProfiles means there is no saved profile to use.
var ErrNoProfiles = errors.New("no server profile yet: log in first (ampdesk login URL --user NAME --password-stdin)")

func (c *Core) profile(name string) (storage.Profile, error) {
	if name != "" {
		return c.profiles.Get(name)
	}
	p, ok := c.profiles.Default()
	if !ok {
		if len(c.profiles.List()) == 0 {
			return storage.Profile{}, ErrNoProfiles
		}
		return storage.Profile{}, errors.New("several profiles are saved: choose one with --profile NAME")
	}
	return p, nil
}

func (c *Core) setConn(ctx context.Context, cn *conn) error {
	c.switching.Lock()
	defer c.switching.Unlock()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		go cn.client.Goodbye(context.WithoutCancel(ctx))
		return ErrClosed
	}
	old := c.conn
	c.conn = cn
	c.mu.Unlock()
	if old != nil {
		c.publish(Disconnected{Profile: old.profile.Name})
		go old.client.Goodbye(context.WithoutCancel(ctx))
	}
	c.attachConnection(ctx, cn)
	c.publish(Connected{Profile: cn.profile, Server: cn.info})
	return nil
}

// Logout ends the session of a profile ("" for the default one) and
// removes its secret from the keyring. The profile itself stays, so the
// next login only asks for the secret; RemoveProfile deletes it.
func (c *Core) Logout(ctx context.Context, name string) (storage.Profile, error) {
	p, err := c.profile(name)
	if err != nil {
		return storage.Profile{}, err
	}
	c.switching.Lock()
	c.mu.Lock()
	cn := c.conn
	if cn != nil && cn.profile.Name == p.Name {
		c.conn = nil
	} else {
		cn = nil
	}
	c.mu.Unlock()
	if cn != nil {
		c.publish(Disconnected{Profile: p.Name})
	}
	c.switching.Unlock()
	if cn != nil {
		_ = cn.client.Goodbye(ctx)
	}
	c.detachProfile(p.Name)
	if err := c.secrets.Delete(ctx, p.Name); err != nil {
		return p, err
	}
	return p, nil
}

// RemoveProfile logs out of a profile and forgets it.
func (c *Core) RemoveProfile(ctx context.Context, name string) error {
	p, err := c.Logout(ctx, name)
	if err != nil {
		return err
	}
	if err := c.profiles.Delete(p.Name); err != nil {
		return fmt.Errorf("remove profile: %w", err)
	}
	return nil
}

// Ping checks the live connection and extends its session.
func (c *Core) Ping(ctx context.Context) (ServerInfo, error) {
	c.mu.Lock()
	cn := c.conn
	c.mu.Unlock()
	if cn == nil {
		return ServerInfo{}, ErrNotConnected
	}
	r, err := cn.client.Ping(ctx)
	if err != nil {
		return ServerInfo{}, err
	}
	info := cn.info
	info.ServerVersion = cn.client.ServerVersion()
	if !r.SessionExpire.IsZero() {
		info.Expires = r.SessionExpire.Time
	}
	return info, nil
}
