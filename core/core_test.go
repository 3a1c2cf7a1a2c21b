package core_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

type env struct {
	srv  *ampachetest.Server
	core *core.Core
	kr   *storagetest.MemKeyring
	dirs storage.Dirs
	out  *audiotest.Output
}

func newEnv(t *testing.T, opts ampachetest.Options) *env {
	t.Helper()
	srv := ampachetest.NewServer(opts)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, kr: &storagetest.MemKeyring{}}
	dir := t.TempDir()
	e.dirs = storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}
	e.core = e.newCore(t)
	return e
}

func (e *env) newCore(t *testing.T) *core.Core {
	t.Helper()
	c, err := core.New(core.Options{
		Dirs: e.dirs, Keyring: e.kr, HTTPClient: e.srv.Client(),
		Output: func() (audio.Output, error) {
			e.out = audiotest.NewOutput(44100, audiotest.Realtime())
			return e.out, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func (e *env) login(t *testing.T) storage.Profile {
	t.Helper()
	p, err := e.core.Login(context.Background(), core.LoginRequest{
		Server: e.srv.URL, User: e.srv.Admin.Username, Password: e.srv.Admin.Password, Name: "test",
	})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return p
}

func TestLoginSavesProfileAndSecret(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	p := e.login(t)
	if p.Name != "test" || p.Auth != storage.AuthPassword || p.User != e.srv.Admin.Username {
		t.Fatalf("profile %+v", p)
	}
	if got, _ := e.kr.Secret(storage.KeyringService, "test"); got != e.srv.Admin.Password {
		t.Fatalf("keyring holds %q", got)
	}
	_, info, ok := e.core.Connection()
	if !ok || info.APIMajor != 6 || info.User != e.srv.Admin.Username {
		t.Fatalf("connection %+v %v", info, ok)
	}

	// A new core (a new process) connects with the secret from the keyring.
	c2 := e.newCore(t)
	if _, err := c2.Connect(context.Background(), ""); err != nil {
		t.Fatalf("connect: %v", err)
	}
	page, err := c2.Artists(context.Background(), &client.ArtistListOptions{ListOptions: client.ListOptions{Limit: 3}})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("artists: %v %v", page, err)
	}

	// Logout removes the secret; Connect then says to log in again.
	if _, err := c2.Logout(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.kr.Secret(storage.KeyringService, "test"); ok {
		t.Fatal("secret still in the keyring")
	}
	c3 := e.newCore(t)
	_, err = c3.Connect(context.Background(), "")
	if !errors.Is(err, storage.ErrNoSecret) || !strings.Contains(core.Explain(err), "log in again") {
		t.Fatalf("connect after logout: %v (%s)", err, core.Explain(err))
	}
}

func TestLoginWithAPIKeyAndConnectionString(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	u := strings.Replace(e.srv.URL, "http://", "ampache://"+e.srv.Admin.APIKey+"@", 1)
	p, err := e.core.Login(context.Background(), core.LoginRequest{Server: u})
	if err != nil {
		t.Fatal(err)
	}
	if p.Auth != storage.AuthAPIKey || p.Name != "127.0.0.1" || p.URL != e.srv.URL {
		t.Fatalf("profile %+v", p)
	}
	if got, _ := e.kr.Secret(storage.KeyringService, "127.0.0.1"); got != e.srv.Admin.APIKey {
		t.Fatal("API key not in the keyring")
	}
}

func TestLoginErrorsInPlainWords(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>It works!</body></html>"))
	}))
	defer html.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()

	for _, tc := range []struct {
		name  string
		req   core.LoginRequest
		fault *ampachetest.Fault
		want  string
	}{
		{"wrong password", core.LoginRequest{Server: e.srv.URL, User: "admin", Password: "nope"}, nil, "wrong user name, password or API key"},
		{"unreachable", core.LoginRequest{Server: deadURL, User: "admin", Password: "x"}, nil, "cannot reach the server at " + deadURL},
		{"not ampache", core.LoginRequest{Server: html.URL, User: "admin", Password: "x"}, nil, "does not answer like an Ampache server"},
		{"api disabled", core.LoginRequest{Server: e.srv.URL, User: "admin", Password: e.srv.Admin.Password}, &ampachetest.Fault{Code: 4700, Message: "Access Denied"}, "API is switched off"},
		{"no credentials", core.LoginRequest{Server: e.srv.URL}, nil, "give a user name and password, or an API key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fault != nil {
				e.srv.FailNext("", 2, *tc.fault)
			}
			_, err := e.core.TestLogin(context.Background(), tc.req)
			if err == nil {
				t.Fatal("no error")
			}
			if got := core.Explain(err); !strings.Contains(got, tc.want) {
				t.Fatalf("Explain = %q, want it to say %q", got, tc.want)
			}
			if strings.Contains(core.Explain(err), e.srv.Admin.Password) {
				t.Fatal("password in the message")
			}
		})
	}
	if len(e.core.Profiles().List()) != 0 {
		t.Fatal("TestLogin saved a profile")
	}
}

func TestAccessLevelMessage(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	if _, err := e.core.Login(context.Background(), core.LoginRequest{Server: e.srv.URL, User: e.srv.User.Username, Password: e.srv.User.Password}); err != nil {
		t.Fatal(err)
	}
	api, _ := e.core.Client()
	_, err := api.Podcasts.Create(context.Background(), "https://podcasts.example.com/feed.xml", "1")
	if !errors.Is(err, client.ErrFailedAccessCheck) {
		t.Fatalf("podcast_create as a level-25 user: %v", err)
	}
	if got := core.Explain(err); !strings.Contains(got, "not allowed") {
		t.Fatalf("Explain = %q", got)
	}
}

func TestSearchGroupsResults(t *testing.T) {
	for _, api := range []int{6, 5, 4} {
		t.Run(map[int]string{6: "api6", 5: "api5", 4: "api4"}[api], func(t *testing.T) {
			e := newEnv(t, ampachetest.Options{APIVersion: api})
			e.login(t)
			res, err := e.core.Search(context.Background(), "Tone", 50)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Songs) < 8 {
				t.Fatalf("songs: %d", len(res.Songs))
			}
			var wrong []string
			for _, s := range res.Songs {
				if !strings.Contains(strings.ToLower(s.Title), "tone") {
					wrong = append(wrong, s.Title)
				}
			}
			if len(wrong) > 0 {
				t.Errorf("%d of %d songs do not match, e.g. %q", len(wrong), len(res.Songs), wrong[0])
			}
			if len(res.Albums) != 1 || res.Albums[0].Name != "Test Tones" {
				t.Errorf("%d albums, want only Test Tones", len(res.Albums))
			}
		})
	}
}

func TestPlaylistUseCases(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	ctx := context.Background()
	pl, err := e.core.CreatePlaylist(ctx, "Mine", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.core.AddToPlaylist(ctx, pl.ID, client.TypeSong, "1", "2", "3"); err != nil {
		t.Fatal(err)
	}
	if err := e.core.ReorderPlaylist(ctx, pl.ID, []client.ID{"3", "1", "2"}); err != nil {
		t.Fatal(err)
	}
	_, songs, err := e.core.Playlist(ctx, pl.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range songs {
		ids = append(ids, string(s.ID))
	}
	if strings.Join(ids, ",") != "3,1,2" {
		t.Fatalf("order %v", ids)
	}
	if err := e.core.RemoveFromPlaylist(ctx, pl.ID, "1"); err != nil {
		t.Fatal(err)
	}
	if err := e.core.RenamePlaylist(ctx, pl.ID, "Renamed"); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range e.srv.Playlists(e.srv.Admin.Username) {
		if p.Name == "Renamed" {
			found = true
			if len(p.SongIDs) != 2 {
				t.Fatalf("server playlist %+v", p)
			}
		}
	}
	if !found {
		t.Fatal("renamed playlist not on the server")
	}
}

func TestRateAndFlagReachTheServer(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	ctx := context.Background()
	if err := e.core.Rate(ctx, client.TypeSong, "5", 4); err != nil {
		t.Fatal(err)
	}
	if err := e.core.Flag(ctx, client.TypeAlbum, "1", true); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.Rating(e.srv.Admin.Username, "song", 5); got != 4 {
		t.Fatalf("rating %d", got)
	}
	if !e.srv.Flagged(e.srv.Admin.Username, "album", 1) {
		t.Fatal("not flagged")
	}
}

func TestEventsOnConnect(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	events, stop := e.core.Subscribe()
	defer stop()
	e.login(t)
	select {
	case ev := <-events:
		c, ok := ev.(core.Connected)
		if !ok || c.Profile.Name != "test" {
			t.Fatalf("first event %#v", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no Connected event")
	}
}

// Connections changed from several goroutines announce themselves in the
// order they happened: the last Connected event names the live profile.
func TestConnectedEventsFollowTheSwitches(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	ctx := context.Background()
	for _, name := range []string{"one", "two"} {
		if _, err := e.core.Login(ctx, core.LoginRequest{
			Server: e.srv.URL, User: e.srv.Admin.Username, Password: e.srv.Admin.Password, Name: name,
		}); err != nil {
			t.Fatal(err)
		}
	}
	events, unsubscribe := e.core.Subscribe()
	defer unsubscribe()
	for round := range 20 {
		var wg sync.WaitGroup
		for _, name := range []string{"one", "two"} {
			wg.Go(func() {
				if _, err := e.core.Connect(ctx, name); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		last := ""
	drain:
		for {
			select {
			case ev := <-events:
				if c, ok := ev.(core.Connected); ok {
					last = c.Profile.Name
				}
			default:
				break drain
			}
		}
		p, _, ok := e.core.Connection()
		if !ok || last != p.Name {
			t.Fatalf("round %d: the last Connected event names %q, the live connection is %q", round, last, p.Name)
		}
	}
}

// A connection that completes after Close is dropped: the core keeps no
// session and opens no cache once closed.
func TestConnectFinishingAfterCloseKeepsNothing(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	e.core.Close(context.Background()) // its cache files are closed
	c := e.newCore(t)
	release := e.srv.StallNext("handshake", 1)
	defer release()
	done := make(chan error, 1)
	go func() {
		_, err := c.Connect(context.Background(), "test")
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.Requests("handshake") < 2 && time.Now().Before(deadline) { // the login's, then this one's
		time.Sleep(5 * time.Millisecond)
	}
	c.Close(context.Background())
	lib := storage.LibraryFile(e.dirs.Cache, "test")
	before, _ := filepath.Glob(lib + "*")
	release()
	if err := <-done; !errors.Is(err, core.ErrClosed) {
		t.Fatalf("Connect finishing after Close: %v, want ErrClosed", err)
	}
	if _, _, ok := c.Connection(); ok {
		t.Error("a closed core holds a connection")
	}
	after, _ := filepath.Glob(lib + "*")
	if len(after) != len(before) {
		t.Errorf("cache files after Close: %v, before: %v", after, before)
	}
}
