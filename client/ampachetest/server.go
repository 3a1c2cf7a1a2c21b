package ampachetest

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Library sizes the generated library. The zero value asks for a small
// default library that builds in milliseconds.
type Library struct {
	Artists            int // e.g. 2000
	AlbumsPerArtist    int // e.g. 5
	SongsPerAlbum      int // e.g. 10
	Podcasts           int
	EpisodesPerPodcast int
	Playlists          int
	LiveStreams        int
	Seed               int64 // same seed, same library
}

// defaultLibrary is what the zero Library stands for.
func defaultLibrary() Library {
	return Library{
		Artists: 24, AlbumsPerArtist: 3, SongsPerAlbum: 8,
		Podcasts: 3, EpisodesPerPodcast: 6, Playlists: 4, LiveStreams: 3, Seed: 1,
	}
}

// Options configure a Server.
type Options struct {
	Library Library
	// APIVersion is the newest API the server offers: 6 (default), 5 or 4.
	APIVersion int
	// SessionLength is how long a session lives after its last use
	// (default 1h). Every authenticated call extends it, as on the real
	// server.
	SessionLength time.Duration
	// BasePath is where the server is mounted (default "/ampache").
	BasePath string
	// Now is the server's clock (default time.Now). Inject one to expire
	// sessions, shares and now-playing entries without sleeping.
	Now func() time.Time
}

// Account is a user of the server.
type Account struct {
	Username string
	Password string
	APIKey   string
	Access   int // 100 admin, 75 catalog manager, 50 content manager, 25 user, 5 guest
}

// Server is an in-process Ampache server. Its methods are safe for
// concurrent use.
type Server struct {
	// URL is the base URL of the server without a trailing slash, including
	// BasePath, e.g. http://127.0.0.1:41234/ampache.
	URL string
	// Admin (access 100) and User (access 25) are ready accounts.
	Admin Account
	User  Account

	opts     Options
	basePath string
	audio    *audioLib

	mu  sync.RWMutex // guards lib
	lib *library

	authMu   sync.Mutex // guards accounts, sessions, features
	accounts []*account // by id; slot 0 unused
	sessions map[string]*session
	issued   []string // every session token handed out (see IssuedTokens)
	features map[Feature]bool
	settings settings

	faults faults
	art    artCache
	tls    certState

	srvMu    sync.Mutex
	srv      *http.Server
	listener net.Listener
	started  bool
	closing  chan struct{}
	closed   bool
	connMu   sync.Mutex
	conns    map[net.Conn]http.ConnState
}

// settings are server-wide switches tests can flip. Guarded by authMu.
type settings struct {
	localplayLevel int
	mpdQuirk       bool
	radioPacing    bool
}

// NewServer starts a server on 127.0.0.1 with a random port.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	s.Start()
	return s
}

// NewUnstartedServer builds the server and its library but does not listen
// yet: call Start, StartTLS or StartOn.
func NewUnstartedServer(opts Options) *Server {
	if opts.APIVersion == 0 {
		opts.APIVersion = 6
	}
	if opts.APIVersion < 4 || opts.APIVersion > 6 {
		panic(fmt.Sprintf("ampachetest: APIVersion %d: want 4, 5 or 6", opts.APIVersion))
	}
	if opts.SessionLength <= 0 {
		opts.SessionLength = time.Hour
	}
	if opts.BasePath == "" {
		opts.BasePath = "/ampache"
	}
	opts.BasePath = "/" + strings.Trim(opts.BasePath, "/")
	if opts.BasePath == "/" {
		opts.BasePath = ""
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Library == (Library{}) {
		opts.Library = defaultLibrary()
	}
	audio, err := newAudioLib()
	if err != nil {
		// The clips are embedded in the binary: this is a build defect.
		panic(err)
	}
	s := &Server{
		opts:     opts,
		basePath: opts.BasePath,
		audio:    audio,
		accounts: []*account{nil},
		sessions: map[string]*session{},
		features: map[Feature]bool{
			FeaturePodcast: true, FeatureLocalplay: true, FeatureDemocratic: true,
			FeatureShare: true,
		},
		settings: settings{localplayLevel: 100, radioPacing: true},
		closing:  make(chan struct{}),
		conns:    map[net.Conn]http.ConnState{},
	}
	s.Admin = s.AddUser("admin", "admin-password", 100)
	s.User = s.AddUser("user", "user-password", 25)
	s.lib = newLibrary()
	generate(s.lib, opts.Library, s.audio, 1, 2)
	return s
}

func (s *Server) now() time.Time { return s.opts.Now() }

// Start listens on 127.0.0.1 (or [::1]) on a random port.
func (s *Server) Start() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if l, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic(fmt.Sprintf("ampachetest: failed to listen on a port: %v", err))
		}
	}
	if err := s.serve(l, false); err != nil {
		panic(err)
	}
}

// StartTLS listens like Start, with a self-signed certificate for
// 127.0.0.1, ::1 and localhost. Client trusts it; CertificateFingerprint
// names it for pinning tests; RotateCertificate replaces it.
func (s *Server) StartTLS() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("ampachetest: failed to listen on a port: %v", err))
	}
	if err := s.tls.ensure(); err != nil {
		panic(err)
	}
	if err := s.serve(tls.NewListener(l, &tls.Config{GetCertificate: s.tls.get}), true); err != nil {
		panic(err)
	}
}

// StartOn listens on addr (host:port) without TLS, for the standalone demo
// server.
func (s *Server) StartOn(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ampachetest: listen on %s: %w", addr, err)
	}
	return s.serve(l, false)
}

func (s *Server) serve(l net.Listener, isTLS bool) error {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.started || s.closed {
		_ = l.Close()
		return fmt.Errorf("ampachetest: server already started or closed")
	}
	s.started = true
	s.listener = l
	scheme := "http"
	if isTLS {
		scheme = "https"
	}
	addr := l.Addr().String()
	if tcp, ok := l.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		// Listening on every interface: name the loopback one.
		addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	s.URL = scheme + "://" + addr + s.basePath
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		ConnState:         s.trackConn,
		// Dropped and cut connections are what tests ask for: keep the
		// server's complaints about them out of test logs.
		ErrorLog:    log.New(io.Discard, "", 0),
		BaseContext: func(net.Listener) context.Context { return context.Background() },
	}
	// Serve returns http.ErrServerClosed after Close; there is no one to
	// tell about any other error of a test server.
	go func() { _ = s.srv.Serve(l) }()
	return nil
}

func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch state {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	default:
		s.conns[c] = state
	}
}

// Close shuts the server down. It waits for requests in flight to finish;
// streams, stalled requests and latency waits are cut short.
func (s *Server) Close() {
	s.srvMu.Lock()
	if s.closed {
		s.srvMu.Unlock()
		return
	}
	s.closed = true
	close(s.closing)
	srv := s.srv
	s.srvMu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
}

// Client returns an HTTP client for this server: it trusts the server's
// current TLS certificate.
func (s *Server) Client() *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     30 * time.Second,
	}
	if pool := s.tls.pool(); pool != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: tr}
}

// ServeHTTP routes a request: the JSON API, play URLs (media and the
// democratic stream), art and live radio.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if !strings.HasPrefix(path, s.basePath+"/") {
		http.NotFound(w, r)
		return
	}
	path = path[len(s.basePath):]
	switch {
	case path == "/server/json.server.php":
		s.serveAPI(w, r)
	case path == "/server/xml.server.php":
		http.Error(w, "ampachetest serves the JSON API only", http.StatusNotImplemented)
	case path == "/play/index.php":
		s.servePlay(w, r)
	case path == "/image.php":
		s.serveImage(w, r)
	case strings.HasPrefix(path, "/radio/"):
		s.serveRadio(w, r, strings.TrimPrefix(path, "/radio/"))
	case path == "/share.php":
		s.serveShare(w, r)
	default:
		http.NotFound(w, r)
	}
}

// wait sleeps d unless the request or the server ends first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.closing:
	}
	return false
}
