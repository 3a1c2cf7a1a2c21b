package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// DefaultClientName is sent as client= with every handshake; Ampache shows
// it in its activity pages.
const DefaultClientName = "Ampdesk"

// DefaultMaxResponseSize caps the size of a reply the client reads.
const DefaultMaxResponseSize = 64 << 20

// Client talks to one Ampache server. It is safe for concurrent use.
//
// The zero value is not usable; make one with New. Calls that need a
// session log in on first use with the credentials given to New, renew an
// expired session once and retry, and share one handshake between
// concurrent callers.
type Client struct {
	base       *url.URL // server base URL, no trailing slash
	endpoint   string   // base + jsonEndpoint
	httpClient *http.Client
	log        *slog.Logger
	clientName string
	pinnedAPI  int // 4, 5 or 6; 0 negotiates
	maxBody    int64
	pin        []byte // SHA-256 of the only certificate to accept, or nil
	retry      RetryPolicy
	now        func() time.Time

	mu       sync.Mutex
	creds    Credentials
	sess     session
	offered  int    // API major the server offers (from ping), 0 if unknown
	server   string // server software version (from ping)
	inflight *handshakeCall

	common service

	Library    *LibraryService
	Search     *SearchService
	Playlists  *PlaylistsService
	Podcasts   *PodcastsService
	Bookmarks  *BookmarksService
	Activity   *ActivityService
	Shares     *SharesService
	Localplay  *LocalplayService
	Democratic *DemocraticService
	Users      *UsersService
	Catalogs   *CatalogsService
	Media      *MediaService
}

// service is what every API area shares: the client.
type service struct{ client *Client }

// Option configures a Client.
type Option func(*Client) error

// WithHTTPClient makes the client use hc (its transport, timeouts, proxy).
// The client never modifies hc; WithPinnedCertificate works on a copy.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger sends the client's debug log (each request's action, redacted
// URL, status, size and time) to l. By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("WithLogger: nil *slog.Logger")
		}
		c.log = l
		return nil
	}
}

// WithClientName sets the client= name sent with the handshake
// (default DefaultClientName).
func WithClientName(name string) Option {
	return func(c *Client) error {
		if name == "" {
			return errors.New("WithClientName: empty name")
		}
		c.clientName = name
		return nil
	}
}

// WithAPIVersion pins the API major version (4, 5 or 6) instead of asking
// for the newest the server offers.
func WithAPIVersion(major int) Option {
	return func(c *Client) error {
		if _, ok := handshakeVersions[major]; !ok {
			return fmt.Errorf("WithAPIVersion: API %d is not 4, 5 or 6", major)
		}
		c.pinnedAPI = major
		return nil
	}
}

// WithCredentials gives the user name and password, or the API key, that
// the client logs in with. They stay in memory only.
func WithCredentials(creds Credentials) Option {
	return func(c *Client) error {
		if err := creds.validate(); err != nil {
			return err
		}
		c.creds = creds
		return nil
	}
}

// WithMaxResponseSize caps the size of the replies the client reads
// (default DefaultMaxResponseSize). A larger reply fails with
// *ResponseTooLargeError.
func WithMaxResponseSize(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseSize: %d is not positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// New returns a client for the server at baseURL, which may be anything
// ParseServer accepts: "https://music.example/ampache",
// "music.example/ampache", a pasted ".../server/json.server.php" URL or an
// ampache:// connection string. Credentials in baseURL are used unless
// WithCredentials gives others.
//
// New makes no request; Handshake (or the first call) does.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, urlCreds, err := ParseServer(baseURL)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:       u,
		endpoint:   base + jsonEndpoint,
		log:        slog.New(slog.DiscardHandler),
		clientName: DefaultClientName,
		maxBody:    DefaultMaxResponseSize,
		retry:      DefaultRetryPolicy(),
		now:        time.Now,
	}
	if urlCreds.validate() == nil {
		c.creds = urlCreds
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.httpClient == nil {
		c.httpClient = &http.Client{Transport: defaultTransport()}
	}
	if c.pin != nil {
		if c.httpClient, err = pinnedClient(c.httpClient, c.pin); err != nil {
			return nil, err
		}
	}
	c.common.client = c
	c.Library = (*LibraryService)(&c.common)
	c.Search = (*SearchService)(&c.common)
	c.Playlists = (*PlaylistsService)(&c.common)
	c.Podcasts = (*PodcastsService)(&c.common)
	c.Bookmarks = (*BookmarksService)(&c.common)
	c.Activity = (*ActivityService)(&c.common)
	c.Shares = (*SharesService)(&c.common)
	c.Localplay = (*LocalplayService)(&c.common)
	c.Democratic = (*DemocraticService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Catalogs = (*CatalogsService)(&c.common)
	c.Media = (*MediaService)(&c.common)
	return c, nil
}

// defaultTransport is http.DefaultTransport's setup with a limit on the
// wait for response headers, so a server that accepts and then hangs does
// not hold a call forever when its context has no deadline.
func defaultTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	}
}

// BaseURL returns the server's base URL, e.g. "https://music.example/ampache".
func (c *Client) BaseURL() string { return c.base.String() }

// HTTPClient returns the *http.Client the API calls go through: the one
// given to WithHTTPClient, or with WithPinnedCertificate a copy that trusts
// the pinned certificate only. Fetch the media URLs (streams, downloads,
// art) with it, so that they get the same trust as the API calls.
func (c *Client) HTTPClient() *http.Client { return c.httpClient }
