package ampachetest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

const (
	serverVersion = "7.10.2"
	api6Version   = "6.9.2"
	api5Version   = "5.5.6"
	api4Version   = "443000"
	compatible    = "350001"
)

func apiVersionString(api int) string {
	switch api {
	case 4:
		return api4Version
	case 5:
		return api5Version
	}
	return api6Version
}

// Feature is a server feature an administrator can switch off. A method
// that needs a disabled feature answers 4703 "Enable: <feature>".
type Feature string

const (
	FeaturePodcast    Feature = "podcast"
	FeatureLocalplay  Feature = "localplay"
	FeatureDemocratic Feature = "democratic"
	FeatureShare      Feature = "share"
)

type account struct {
	id       int
	username string
	password string
	apiKey   string
	access   int
	email    string
	fullname string
	created  int64
	lastSeen int64
	disabled bool
}

func (a *account) public() Account {
	return Account{Username: a.username, Password: a.password, APIKey: a.apiKey, Access: a.access}
}

type session struct {
	token   string
	user    *account
	api     int
	client  string
	expires time.Time
}

// AddUser creates an account with that access level (100 admin, 75 catalog
// manager, 50 content manager, 25 user, 5 guest) and returns it with its
// API key. A name already taken gets its password and level replaced.
func (s *Server) AddUser(name, password string, access int) Account {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	if a := s.accountByNameLocked(name); a != nil {
		a.password, a.access = password, access
		return a.public()
	}
	sum := sha256.Sum256([]byte("ampachetest api key:" + name))
	a := &account{
		id:       len(s.accounts),
		username: name,
		password: password,
		apiKey:   hex.EncodeToString(sum[:16]),
		access:   access,
		email:    name + "@ampdesk.test",
		created:  s.now().Unix(),
	}
	s.accounts = append(s.accounts, a)
	return a.public()
}

func (s *Server) accountByNameLocked(name string) *account {
	for _, a := range s.accounts {
		if a != nil && a.username == name {
			return a
		}
	}
	return nil
}

// accountByID and accountByName return a copy of the account: a snapshot
// safe to read without the lock. Changes go through the *Locked lookups.
func (s *Server) accountByID(id int) *account {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	if id <= 0 || id >= len(s.accounts) || s.accounts[id] == nil {
		return nil
	}
	cp := *s.accounts[id]
	return &cp
}

func (s *Server) accountByName(name string) *account {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	if a := s.accountByNameLocked(name); a != nil {
		cp := *a
		return &cp
	}
	return nil
}

func (s *Server) usernameOf(id int) string {
	if a := s.accountByID(id); a != nil {
		return a.username
	}
	return ""
}

// ExpireSessions ends every session now: the next call with any of them
// answers 4701 and play URLs carrying them answer 403.
func (s *Server) ExpireSessions() {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	for _, ss := range s.sessions {
		ss.expires = time.Time{}
	}
}

// SessionCount returns the number of live sessions.
func (s *Server) SessionCount() int {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	now := s.now()
	n := 0
	for _, ss := range s.sessions {
		if now.Before(ss.expires) {
			n++
		}
	}
	return n
}

// SetFeature switches a feature on or off (all are on at first).
func (s *Server) SetFeature(f Feature, on bool) {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	s.features[f] = on
}

func (s *Server) featureOn(f Feature) bool {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return s.features[f]
}

// SetLocalplayLevel sets the access level localplay needs (default 100, as
// on a real server, whose "localplay_level" fails closed at admin).
func (s *Server) SetLocalplayLevel(level int) {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	s.settings.localplayLevel = level
}

func (s *Server) setting() settings {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return s.settings
}

// liveSession returns the session for token, extending it, or nil when it
// is unknown or expired; known reports whether the token was ever valid
// (its API version then shapes the error).
func (s *Server) liveSession(token string, extend bool) (ss *session, known *session) {
	if token == "" {
		return nil, nil
	}
	s.authMu.Lock()
	defer s.authMu.Unlock()
	ss = s.sessions[token]
	if ss == nil {
		return nil, nil
	}
	now := s.now()
	if !now.Before(ss.expires) {
		return nil, ss
	}
	if extend {
		ss.expires = now.Add(s.opts.SessionLength)
		ss.user.lastSeen = now.Unix()
	}
	cp := *ss
	acct := *ss.user
	cp.user = &acct
	return &cp, ss
}

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// requestedAPI reads the API major version a client asks for: the first
// digit of "6.9.0" or "440000", as the real server reads it.
func requestedAPI(version string) int {
	if version == "" {
		return 6
	}
	d := int(version[0] - '0')
	switch {
	case d < 3 || d > 9:
		return 6
	case d == 3 || d >= 7:
		// API3 has no JSON; the server answers API6 instead.
		return 6
	}
	return d
}

func iso(t int64) string { return time.Unix(t, 0).UTC().Format("2006-01-02T15:04:05-07:00") }

// handshake starts a session: by password (user, timestamp and
// auth = sha256(timestamp + sha256(password))) or by API key (auth alone).
func handshake(c *call) *apiError {
	version := c.str("version")
	requested := requestedAPI(version)
	c.api = min(requested, c.s.opts.APIVersion)
	if requested == 4 {
		// API4 wants the numeric form; "4.4.0" reads as 4, "too old",
		// and the JSON answer is an empty body.
		n, err := strconv.Atoi(version)
		if err != nil || n < 350001 {
			c.emptyBody = true
			return nil
		}
	}
	bad := &apiError{code: 4701, typ: "account", msg: "Received Invalid Handshake - Incorrect username or password", v4code: "401"}
	auth := c.str("auth")
	if auth == "" {
		return bad
	}
	s := c.s
	var acct *account
	if user := c.str("user"); user != "" {
		ts, err := strconv.ParseInt(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, c.str("timestamp")), 10, 64)
		now := c.now.Unix()
		if err != nil || ts < now-1800 || ts > now+1800 {
			return &apiError{code: 4701, typ: "account", v4code: "401",
				msg: "Received Invalid Handshake - Login failed, timestamp is out of range"}
		}
		s.authMu.Lock()
		a := s.accountByNameLocked(user)
		var password, key string
		if a != nil {
			password, key = a.password, a.apiKey
		}
		s.authMu.Unlock()
		if a == nil {
			return bad
		}
		want := sha256Hex(strconv.FormatInt(ts, 10) + sha256Hex(password))
		// An API key with the user's name is accepted too.
		if subtle.ConstantTimeCompare([]byte(strings.ToLower(auth)), []byte(want)) != 1 &&
			subtle.ConstantTimeCompare([]byte(auth), []byte(key)) != 1 {
			return bad
		}
		acct = a
	} else {
		s.authMu.Lock()
		for _, a := range s.accounts {
			if a != nil && subtle.ConstantTimeCompare([]byte(a.apiKey), []byte(auth)) == 1 {
				acct = a
			}
		}
		s.authMu.Unlock()
	}
	if acct == nil {
		return bad
	}
	s.authMu.Lock()
	disabled := acct.disabled
	s.authMu.Unlock()
	if disabled {
		return bad
	}
	ss := &session{token: newToken(), user: acct, api: c.api, client: c.str("client"),
		expires: c.now.Add(s.opts.SessionLength)}
	s.authMu.Lock()
	s.sessions[ss.token] = ss
	s.issued = append(s.issued, ss.token)
	acct.lastSeen = c.now.Unix()
	snapshot := *acct
	s.authMu.Unlock()
	c.user, c.sess = &snapshot, ss
	s.mu.RLock()
	defer s.mu.RUnlock()
	c.l = s.lib
	writeServerInfo(c, ss, true)
	return nil
}

// writeServerInfo writes the session and catalog summary of handshake and
// ping replies.
func writeServerInfo(c *call, ss *session, isHandshake bool) {
	w := &c.out
	l := c.l
	expire := iso(ss.expires.Unix())
	counts := c.s.countsFor(l, ss.user)
	w.objStart()
	if isHandshake {
		w.kstr("auth", ss.token)
		if c.api >= 6 {
			w.knull("streamtoken")
		}
		w.kstr("api", apiVersionString(c.api))
		w.kstr("session_expire", expire)
	} else {
		w.kstr("session_expire", expire)
		w.kstr("server", serverVersion)
		w.kstr("version", apiVersionString(c.api))
		w.kstr("compatible", compatible)
		if c.api >= 5 {
			w.kstr("auth", ss.token)
		}
		if c.api >= 6 {
			w.knull("streamtoken")
		}
		w.kstr("api", apiVersionString(c.api))
	}
	w.kstr("update", iso(l.lastUpdate))
	w.kstr("add", iso(l.lastAdd))
	w.kstr("clean", iso(l.lastClean))
	if c.api >= 6 {
		w.kint("max_song", len(l.songs)-1)
		w.kint("max_album", len(l.albums)-1)
		w.kint("max_artist", len(l.artists)-1)
		w.kint("max_video", 0)
		w.kint("max_podcast", len(l.podcasts)-1)
		w.kint("max_podcast_episode", len(l.episodes)-1)
	}
	w.kint("songs", l.nSongs)
	w.kint("albums", l.nAlbums)
	w.kint("artists", l.nArtists)
	if c.api >= 5 {
		w.kint("genres", len(l.genresByName))
		w.kint("playlists", counts.playlists)
		w.kint("searches", counts.searches)
		w.kint("playlists_searches", counts.playlists+counts.searches)
		w.kint("users", counts.users)
		w.kint("catalogs", 2)
		w.kint("videos", 0)
	} else {
		w.kint("playlists", counts.playlists+counts.searches)
		w.kint("videos", 0)
		w.kint("catalogs", 2)
		w.kint("users", counts.users)
		w.kint("tags", len(l.genresByName))
	}
	w.kint("podcasts", l.nPodcasts)
	w.kint("podcast_episodes", l.nEpisodes)
	w.kint("shares", counts.shares)
	w.kint("licenses", 0)
	w.kint("live_streams", len(l.liveStreams)-1)
	w.kint("labels", 0)
	if c.api >= 6 {
		w.kstr("username", ss.user.username)
	}
	w.objEnd()
}

type serverCounts struct{ playlists, searches, users, shares int }

func (s *Server) countsFor(l *library, u *account) serverCounts {
	var n serverCounts
	for _, p := range l.playlists {
		if p.public || p.owner == u.id {
			n.playlists++
		}
	}
	for _, sl := range l.smartlists {
		if sl.public || sl.owner == u.id {
			n.searches++
		}
	}
	for _, sh := range l.shares {
		if sh.owner == u.id {
			n.shares++
		}
	}
	s.authMu.Lock()
	for _, a := range s.accounts {
		if a != nil && !a.disabled {
			n.users++
		}
	}
	s.authMu.Unlock()
	return n
}

// ping answers without a session (server, version, compatible) or, with a
// live one, extends it and adds the session summary.
func ping(c *call) *apiError {
	ss, _ := c.s.liveSession(c.token, true)
	if ss == nil {
		c.api = min(requestedAPI(c.str("version")), c.s.opts.APIVersion)
		if c.str("version") == "" {
			c.api = c.s.opts.APIVersion
		}
		w := &c.out
		w.objStart()
		w.kstr("server", serverVersion)
		w.kstr("version", apiVersionString(c.api))
		w.kstr("compatible", compatible)
		w.objEnd()
		return nil
	}
	c.api, c.sess, c.user = ss.api, ss, ss.user
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	c.l = c.s.lib
	writeServerInfo(c, ss, false)
	return nil
}

// goodbye ends the session.
func goodbye(c *call) *apiError {
	c.s.authMu.Lock()
	delete(c.s.sessions, c.sess.token)
	c.s.authMu.Unlock()
	c.success(c.sess.token)
	return nil
}
