package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// ErrNotConnected is returned by use-cases when no profile is connected.
var ErrNotConnected = errors.New("not connected to a server")

// ErrClosed is returned by a connection or an open that completes after
// Close: the core keeps nothing once closed.
var ErrClosed = errors.New("Ampdesk is closing")

// Options configure a Core.
type Options struct {
	Dirs storage.Dirs
	// Keyring holds the secrets; nil uses the OS keyring.
	Keyring storage.Keyring
	// HTTPClient is shared by API calls and audio streams; nil makes one
	// with connect and header timeouts (but no overall timeout, which
	// would cut long streams).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// Output opens the sound output on first play; nil opens the device.
	Output OutputFactory
	// Now is the clock of bookmark times and their save and push cadence;
	// nil is time.Now. Tests inject one.
	Now func() time.Time
}

// Core is the application's use-cases over one live connection. Safe for
// concurrent use.
type Core struct {
	dirs     storage.Dirs
	http     *http.Client
	log      *slog.Logger
	profiles *storage.Profiles
	settings *storage.SettingsStore
	secrets  *storage.Secrets
	bus      bus

	// switching serializes changes of the live connection, so that
	// their Connected and Disconnected events come out in the order of
	// the changes.
	switching sync.Mutex
	mu        sync.Mutex
	conn      *conn
	closed    bool // under switching and mu: no connection is kept any more

	pb playback

	// bm keeps playback positions: the journal and its sync worker
	// (bookmarks_*.go).
	bm *bookmarks

	// local is the open profile's library cache, downloads and offline
	// state (offline.go).
	local localState
}

// conn is a live connection to one profile.
type conn struct {
	profile storage.Profile
	client  *client.Client
	info    ServerInfo
}

// ServerInfo describes the server of a live connection.
type ServerInfo struct {
	URL           string // base URL, without secrets
	ServerVersion string // Ampache version, e.g. "7.10.2"
	API           string // API version the session speaks, e.g. "6.9.2"
	APIMajor      int
	User          string
	Expires       time.Time
	Counts        client.Counts
}

// New opens the config folders and the profile and settings files.
func New(opts Options) (*Core, error) {
	if err := opts.Dirs.Ensure(); err != nil {
		return nil, err
	}
	profiles, err := storage.OpenProfiles(opts.Dirs.Config)
	if err != nil {
		return nil, err
	}
	settings, err := storage.OpenSettings(opts.Dirs.Config)
	if err != nil {
		return nil, err
	}
	kr := opts.Keyring
	if kr == nil {
		kr = storage.SystemKeyring()
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = DefaultHTTPClient()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Core{
		dirs:     opts.Dirs,
		http:     hc,
		log:      log,
		profiles: profiles,
		settings: settings,
		secrets:  storage.NewSecrets(kr),
		pb:       playback{newOut: opts.Output},
	}
	if c.bm, err = openBookmarks(c, opts.Now); err != nil {
		return nil, err
	}
	return c, nil
}

// DefaultHTTPClient is an HTTP client with timeouts on connecting and on
// waiting for response headers, but none on reading bodies (streams are long).
func DefaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.ResponseHeaderTimeout = 30 * time.Second
	tr.MaxIdleConnsPerHost = 8
	return &http.Client{Transport: tr}
}

// Dirs are the folders this core stores into.
func (c *Core) Dirs() storage.Dirs { return c.dirs }

// HTTPClient is the client shared by API calls and streams.
func (c *Core) HTTPClient() *http.Client { return c.http }

// mediaClient is the HTTP client for the live connection's own media URLs
// (streams, art, downloads): the API client's, which trusts the profile's
// pinned certificate, else the shared one.
func (c *Core) mediaClient() *http.Client {
	if api, err := c.api(); err == nil {
		return api.HTTPClient()
	}
	return c.http
}

// Profiles are the saved server profiles.
func (c *Core) Profiles() *storage.Profiles { return c.profiles }

// Settings are the user's preferences.
func (c *Core) Settings() *storage.SettingsStore { return c.settings }

// Subscribe returns a channel of events and a function that ends the
// subscription (and closes the channel). See the package documentation.
func (c *Core) Subscribe() (<-chan Event, func()) { return c.bus.subscribe() }

func (c *Core) publish(ev Event) { c.bus.publish(ev) }

// Client returns the API client of the live connection, for faces that
// need a call core does not wrap.
func (c *Core) Client() (*client.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, c.local.notConnected()
	}
	return c.conn.client, nil
}

// Connection returns the profile and server of the live connection.
func (c *Core) Connection() (storage.Profile, ServerInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return storage.Profile{}, ServerInfo{}, false
	}
	return c.conn.profile, c.conn.info, true
}

func (c *Core) api() (*client.Client, error) { return c.Client() }

// Close saves and pushes the playing item's position (within ctx), stops
// playback, closes the bookmark journal and ends the live connection's
// session on the server (best effort).
func (c *Core) Close(ctx context.Context) error {
	c.bm.flush(ctx, c.Player()) // save and push the position first
	defer c.bm.close()
	c.closePlayer()
	c.local.close()
	c.switching.Lock()
	c.mu.Lock()
	cn := c.conn
	c.conn = nil
	c.closed = true
	c.mu.Unlock()
	if cn == nil {
		c.switching.Unlock()
		return nil
	}
	c.publish(Disconnected{Profile: cn.profile.Name})
	c.switching.Unlock()
	if err := cn.client.Goodbye(ctx); err != nil && !errors.Is(err, client.ErrNotLoggedIn) {
		return fmt.Errorf("end the session: %w", err)
	}
	return nil
}
