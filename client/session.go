package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// handshakeVersions is the version string the handshake sends for each API
// major version. API4 must be asked for in its numeric form: the dotted
// "4.4.0" is refused, over JSON with an empty body.
var handshakeVersions = map[int]string{
	6: "6.9.0",
	5: "5.5.6",
	4: "440000",
}

// handshakeTimeout bounds a handshake shared by several callers; it runs
// detached from any one caller's context.
const handshakeTimeout = 30 * time.Second

// session is the state of a logged-in client. The token is a secret: it is
// kept here only, never logged, and never returned.
type session struct {
	token   string
	api     string // API version the server reports ("6.9.2", "443000")
	major   int
	expires time.Time
	user    string // the session's user name, when known
}

// handshakeCall is a handshake in progress that concurrent callers share.
type handshakeCall struct {
	done  chan struct{}
	reply *HandshakeReply
	err   error
}

// Counts are the sizes of the server's catalogs, as of the handshake or
// ping. They can lag behind (playlists, podcasts); list calls are exact.
type Counts struct {
	Songs             Int `json:"songs"`
	Albums            Int `json:"albums"`
	Artists           Int `json:"artists"`
	Genres            Int `json:"genres"`
	Playlists         Int `json:"playlists"`
	Searches          Int `json:"searches"`
	PlaylistsSearches Int `json:"playlists_searches"`
	Users             Int `json:"users"`
	Catalogs          Int `json:"catalogs"`
	Videos            Int `json:"videos"`
	Podcasts          Int `json:"podcasts"`
	PodcastEpisodes   Int `json:"podcast_episodes"`
	Shares            Int `json:"shares"`
	Licenses          Int `json:"licenses"`
	LiveStreams       Int `json:"live_streams"`
	Labels            Int `json:"labels"`
}

// HandshakeReply describes a new session. The session token itself stays
// inside the Client.
type HandshakeReply struct {
	API           ID     `json:"api"` // the API version the session speaks, e.g. "6.9.2"
	SessionExpire Time   `json:"session_expire"`
	Update        Time   `json:"update"` // last catalog update
	Add           Time   `json:"add"`    // last catalog add
	Clean         Time   `json:"clean"`  // last catalog clean
	Username      string `json:"username"`
	Counts
}

// PingReply is the server's answer to ping. Without a session only Server,
// Version and Compatible are set.
type PingReply struct {
	Server        ID     `json:"server"`     // Ampache version, e.g. "7.10.2"
	Version       ID     `json:"version"`    // newest API the server offers, e.g. "6.9.2"
	Compatible    ID     `json:"compatible"` // oldest API it accepts
	API           ID     `json:"api"`        // API version of the session
	SessionExpire Time   `json:"session_expire"`
	Update        Time   `json:"update"`
	Add           Time   `json:"add"`
	Clean         Time   `json:"clean"`
	Username      string `json:"username"`
	Counts
}

// handshakeWire is the handshake reply with its token.
type handshakeWire struct {
	HandshakeReply
	Auth string `json:"auth"`
}

// APIMajor parses an API version as the server writes it ("6.9.2",
// "5.5.6", "443000", "390001") into its major number; 0 if unreadable.
func APIMajor(version string) int {
	v := strings.TrimSpace(version)
	if v == "" {
		return 0
	}
	if head, _, dotted := strings.Cut(v, "."); dotted {
		n, err := strconv.Atoi(head)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	if n >= 100000 { // numeric form: MmmPPP, e.g. 443000 → 4
		return n / 100000
	}
	return n
}

// APIVersion returns the API version the session speaks as the server
// reported it ("6.9.2", "443000"), or "" before the first handshake.
func (c *Client) APIVersion() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess.api
}

// APIMajorVersion returns the API major version of the session (4, 5, 6),
// or 0 before the first handshake.
func (c *Client) APIMajorVersion() int { return c.apiMajor() }

func (c *Client) apiMajor() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess.major
}

// ServerVersion returns the Ampache version of the server (e.g. "7.10.2")
// once a ping has told it, else "".
func (c *Client) ServerVersion() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.server
}

// SessionExpires returns when the session expires unless extended (by Ping
// or use), or the zero time without a session.
func (c *Client) SessionExpires() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess.expires
}

// LoggedIn reports whether the client holds a session token. The server
// may have expired it meanwhile; the next call renews it.
func (c *Client) LoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess.token != ""
}

// Username returns the user name of the session when known (from the
// handshake, or the credentials), else "".
func (c *Client) Username() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess.user != "" {
		return c.sess.user
	}
	return c.creds.User
}

func (c *Client) hasCredentials() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.creds.IsZero()
}

func (c *Client) token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess.token
}

// Handshake logs in with the client's credentials and starts a new
// session. Unless WithAPIVersion pinned one, it first pings the server to
// learn the newest API it offers and asks for that (6, else 5, else 4).
// A refusal of the credentials is ErrBadCredentials.
//
// Calls log in by themselves when needed; Handshake is for checking the
// credentials up front.
func (c *Client) Handshake(ctx context.Context) (*HandshakeReply, error) {
	if ctx == nil {
		return nil, wrapErr("handshake", errors.New("nil context"))
	}
	c.mu.Lock()
	stale := c.sess.token
	c.mu.Unlock()
	call, err := c.shareHandshake(ctx, stale, true)
	if err != nil {
		return nil, err
	}
	reply := *call.reply
	return &reply, nil
}

// sessionToken returns the session token, logging in first if there is
// none.
func (c *Client) sessionToken(ctx context.Context) (string, error) {
	if tok := c.token(); tok != "" {
		return tok, nil
	}
	return c.relogin(ctx, "", false)
}

// relogin replaces the session whose token was stale (or makes the first
// one) and returns the new token. Concurrent callers share one handshake;
// a caller whose stale token was already replaced gets the new one at once.
func (c *Client) relogin(ctx context.Context, stale string, force bool) (string, error) {
	tok, _, err := c.renew(ctx, stale, force)
	return tok, err
}

// renew is relogin that also tells whether a handshake was made (or
// joined) for this caller, rather than a token another caller had already
// renewed being handed back.
func (c *Client) renew(ctx context.Context, stale string, force bool) (token string, handshook bool, err error) {
	call, err := c.shareHandshake(ctx, stale, force)
	if err != nil {
		return "", false, err
	}
	if tok := c.token(); tok != "" {
		return tok, call.done != nil, nil
	}
	return "", false, ErrNotLoggedIn
}

// sendRenewing sends req with token; on a 4701 it renews the session and
// sends again. It handshakes at most once: when the token it is handed is
// one another caller had already renewed and that session has ended too,
// it renews again, this time by a handshake of its own.
func (c *Client) sendRenewing(req *request, token string) (*payload, error) {
	p, err := c.send(req, token)
	for range 3 {
		if !errors.Is(err, ErrSessionExpired) || !c.hasCredentials() {
			break
		}
		c.log.LogAttrs(req.ctx, slog.LevelDebug, "ampache session expired; handshaking again", slog.String("action", req.action))
		var handshook bool
		var rerr error
		if token, handshook, rerr = c.renew(req.ctx, token, false); rerr != nil {
			return nil, rerr
		}
		p, err = c.send(req, token)
		if handshook {
			break
		}
	}
	return p, err
}

// shareHandshake runs a handshake, or joins the one in progress. Unless
// force is set, it returns at once when the session token is no longer
// stale (another caller has renewed it).
func (c *Client) shareHandshake(ctx context.Context, stale string, force bool) (*handshakeCall, error) {
	c.mu.Lock()
	if !force && c.sess.token != "" && c.sess.token != stale {
		c.mu.Unlock()
		return &handshakeCall{}, nil
	}
	if c.creds.IsZero() {
		c.mu.Unlock()
		return nil, wrapErr("handshake", ErrNotLoggedIn)
	}
	call := c.inflight
	if call == nil {
		call = &handshakeCall{done: make(chan struct{})}
		c.inflight = call
		go func() {
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handshakeTimeout)
			defer cancel()
			call.reply, call.err = c.handshake(hctx)
			c.mu.Lock()
			c.inflight = nil
			c.mu.Unlock()
			close(call.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-call.done:
	case <-ctx.Done():
		return nil, wrapErr("handshake", ctx.Err())
	}
	if call.err != nil {
		return nil, call.err
	}
	return call, nil
}

// handshake performs one handshake and stores the new session.
func (c *Client) handshake(ctx context.Context) (*HandshakeReply, error) {
	const action = "handshake"
	c.mu.Lock()
	creds := c.creds
	c.mu.Unlock()

	version, err := c.versionToAsk(ctx)
	if err != nil {
		return nil, wrapErr(action, err)
	}
	req := &request{ctx: ctx, action: action, noAuth: true, params: make(map[string][]string)}
	if creds.APIKey != "" {
		req.set("auth", creds.APIKey)
	} else {
		ts := strconv.FormatInt(c.now().Unix(), 10)
		req.set("auth", passphrase(ts, creds.Password))
		req.set("timestamp", ts)
		req.set("user", creds.User)
	}
	req.set("version", version)
	req.set("client", c.clientName)

	p, err := c.send(req, "")
	if errors.Is(err, ErrSessionExpired) {
		// 4701 from the handshake itself: the credentials were refused.
		return nil, wrapErr(action, &credentialsError{err: err})
	}
	if err != nil {
		return nil, wrapErr(action, err)
	}
	w, err := decodeOne[handshakeWire](p, action)
	if err != nil {
		return nil, wrapErr(action, err)
	}
	if w.Auth == "" {
		return nil, wrapErr(action, &DecodeError{Method: action, Field: "auth", Offset: -1,
			Err: errors.New("the handshake reply has no session token")})
	}
	major := APIMajor(string(w.API))
	if major == 0 {
		major = APIMajor(version)
	}
	c.mu.Lock()
	c.sess = session{token: w.Auth, api: string(w.API), major: major, expires: w.SessionExpire.Time, user: w.Username}
	if c.sess.user == "" {
		c.sess.user = creds.User
	}
	if c.sess.api == "" {
		c.sess.api = version
	}
	c.mu.Unlock()
	c.log.LogAttrs(ctx, slog.LevelInfo, "ampache session started",
		slog.String("server", c.base.String()), slog.String("api", c.sess.api),
		slog.Time("expires", w.SessionExpire.Time))
	return &w.HandshakeReply, nil
}

// passphrase is the password handshake's auth value:
// hex(sha256(timestamp + hex(sha256(password)))).
func passphrase(timestamp, password string) string {
	key := sha256.Sum256([]byte(password))
	sum := sha256.Sum256([]byte(timestamp + hex.EncodeToString(key[:])))
	return hex.EncodeToString(sum[:])
}

// versionToAsk picks the version string for the handshake: the pinned API,
// or the newest of 6, 5 and 4 that the server offers.
func (c *Client) versionToAsk(ctx context.Context) (string, error) {
	c.mu.Lock()
	pinned, offered := c.pinnedAPI, c.offered
	c.mu.Unlock()
	if pinned != 0 {
		return handshakeVersions[pinned], nil
	}
	if offered == 0 {
		if _, err := c.probe(ctx); err != nil {
			return "", err
		}
		c.mu.Lock()
		offered = c.offered
		c.mu.Unlock()
	}
	switch {
	case offered >= 6:
		return handshakeVersions[6], nil
	case offered == 5:
		return handshakeVersions[5], nil
	default:
		return handshakeVersions[4], nil
	}
}

// probe pings without a session to learn the server's versions, and checks
// that the URL is an Ampache server at all.
func (c *Client) probe(ctx context.Context) (*PingReply, error) {
	req := &request{ctx: ctx, action: "ping", noAuth: true, params: make(map[string][]string)}
	p, err := c.send(req, "")
	if err != nil {
		var se *HTTPStatusError
		if errors.As(err, &se) && (se.StatusCode == 404 || se.StatusCode == 405 || se.StatusCode == 410) {
			return nil, &notAmpacheError{reason: "no API at " + c.endpoint, err: err}
		}
		return nil, err
	}
	reply, err := decodeOne[PingReply](p, "ping")
	if err != nil || (reply.Server == "" && reply.Version == "") {
		return nil, &notAmpacheError{reason: "the reply to ping names no server version", err: err}
	}
	c.rememberServer(reply)
	return reply, nil
}

func (c *Client) rememberServer(r *PingReply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Server != "" {
		c.server = string(r.Server)
	}
	if m := APIMajor(string(r.Version)); m != 0 {
		c.offered = m
	}
}

// Ping asks the server for its versions. With a session it also extends
// the session and reports its expiry; a session the server no longer knows
// is renewed (with the client's credentials) and pinged again. Without a
// session Ping makes none.
func (c *Client) Ping(ctx context.Context) (*PingReply, error) {
	const action = "ping"
	if ctx == nil {
		return nil, wrapErr(action, errors.New("nil context"))
	}
	token := c.token()
	if token == "" {
		reply, err := c.probe(ctx)
		return reply, wrapErr(action, err)
	}
	reply, err := c.pingSession(ctx, token)
	if err == nil && reply.SessionExpire.IsZero() && reply.API == "" && c.hasCredentials() {
		// The server answered as it does without a session: ours is gone.
		if token, err = c.relogin(ctx, token, false); err != nil {
			return nil, wrapErr(action, err)
		}
		reply, err = c.pingSession(ctx, token)
	}
	if err != nil {
		return nil, wrapErr(action, err)
	}
	return reply, nil
}

func (c *Client) pingSession(ctx context.Context, token string) (*PingReply, error) {
	req := &request{ctx: ctx, action: "ping", noAuth: true, params: make(map[string][]string)}
	c.mu.Lock()
	api := c.sess.api
	c.mu.Unlock()
	if api != "" {
		// A ping without version would switch the session to the
		// server's default API.
		req.set("version", versionParam(api))
	}
	p, err := c.sendRenewing(req, token)
	if err != nil {
		return nil, err
	}
	reply, err := decodeOne[PingReply](p, "ping")
	if err != nil {
		return nil, err
	}
	c.rememberServer(reply)
	if !reply.SessionExpire.IsZero() {
		c.mu.Lock()
		if c.sess.token == token {
			c.sess.expires = reply.SessionExpire.Time
		}
		c.mu.Unlock()
	}
	return reply, nil
}

// versionParam turns the API version a server reports into one it accepts
// back: the handshake string for the same major version.
func versionParam(api string) string {
	if v, ok := handshakeVersions[APIMajor(api)]; ok {
		return v
	}
	return api
}

// Goodbye ends the session on the server and forgets the session token
// and the credentials, so that the client makes no new session by itself.
// A session the server had already dropped is not an error.
func (c *Client) Goodbye(ctx context.Context) error {
	const action = "goodbye"
	if ctx == nil {
		return wrapErr(action, errors.New("nil context"))
	}
	c.mu.Lock()
	token := c.sess.token
	c.sess = session{}
	c.creds = Credentials{}
	c.mu.Unlock()
	if token == "" {
		return nil
	}
	req := &request{ctx: ctx, action: action, noAuth: true, params: make(map[string][]string)}
	p, err := c.roundTrip(req, token)
	if errors.Is(err, ErrSessionExpired) {
		return nil
	}
	if err != nil {
		return wrapErr(action, err)
	}
	if _, err := decodeSuccess(p); err != nil {
		return wrapErr(action, err)
	}
	return nil
}
