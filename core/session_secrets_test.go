package core_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
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

// lockedBuffer is a log sink safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}

// relScan looks for each secret, as is and URL-escaped, in every file
// under dirs (binary files too: the SQLite caches, downloads, art) and in
// extra; it returns where it found them and how many bytes it read.
func relScan(t *testing.T, secrets map[string]string, extra map[string][]byte, dirs ...string) (found []string, scanned int64, files int) {
	t.Helper()
	look := func(where string, data []byte) {
		scanned += int64(len(data))
		for name, s := range secrets {
			for _, form := range []string{s, url.QueryEscape(s)} {
				if bytes.Contains(data, []byte(form)) {
					found = append(found, name+" in "+where)
				}
			}
		}
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			look(path, data)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	for where, data := range extra {
		look(where, data)
	}
	return found, scanned, files
}

// TestNoSecretOnDiskOrInLogs runs a full session with debug logging on
// (log in with a password and with an API key, browse, search, sync the
// library, art, play, bookmarks, a download, log out) and then looks for
// the password, the API key and every session token the server issued in
// the config, cache and data folders and in the log. Logs show auth= and
// ssid= redacted; logout removes the keyring entry.
func TestNoSecretOnDiskOrInLogs(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	dir := t.TempDir()
	dirs := storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")}
	logs := &lockedBuffer{}
	kr := &storagetest.MemKeyring{}
	newCore := func() *core.Core {
		c, err := core.New(core.Options{
			Dirs: dirs, Keyring: kr, HTTPClient: srv.Client(),
			Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Output: func() (audio.Output, error) { return audiotest.NewOutput(44100), nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := t.Context()
	tokens := map[string]bool{}
	collect := func() {
		for _, tok := range srv.IssuedTokens() {
			tokens[tok] = true
		}
	}

	c := newCore()
	// Log in: with the password, then an API key profile.
	if _, err := c.Login(ctx, core.LoginRequest{Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "pw"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TestLogin(ctx, core.LoginRequest{Server: srv.URL, APIKey: srv.User.APIKey}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, core.LoginRequest{Server: srv.URL, APIKey: srv.User.APIKey, Name: "key"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connect(ctx, "pw"); err != nil {
		t.Fatal(err)
	}
	// Browse, search, sync the library cache, art.
	if _, err := c.Albums(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Album(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Search(ctx, "tone", 10); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sync(ctx, core.SyncOptions{}); err != nil {
		t.Fatalf("sync: %v", err)
	}
	cache, err := storage.OpenArtCache(filepath.Join(dirs.Cache, "art"), 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.NewArtSource(c, cache).Art(ctx, client.TypeAlbum, "1", 64); err != nil {
		t.Fatal(err)
	}
	// Play a song, and an episode long enough to get bookmarks.
	events, stop := c.Subscribe()
	song, err := c.Song(ctx, "5")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PlayItems([]core.Item{core.SongItem(*song)}, 0, false, core.FromStart); err != nil {
		t.Fatal(err)
	}
	relWaitPlayed(t, events, time.Minute)
	stop()
	eps, err := c.Episodes(ctx, "1")
	if err != nil || len(eps) == 0 {
		t.Fatalf("episodes: %v", err)
	}
	if _, err := c.SetBookmark(ctx, client.TypePodcastEpisode, eps[0].ID, 125); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BookmarkEntries(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Download(ctx, client.TypeAlbum, "1"); err != nil {
		t.Fatal(err)
	}
	collect()
	// Log out of both; the keyring entries go.
	if _, err := c.Logout(ctx, "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Logout(ctx, "key"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	collect()
	for _, p := range []string{"pw", "key"} {
		if _, err := kr.Get(storage.KeyringService, p); err == nil {
			t.Errorf("the keyring still holds the secret of %q after logout", p)
		}
	}
	if len(tokens) < 4 {
		t.Fatalf("the server issued %d session tokens; the session did not run", len(tokens))
	}

	secrets := map[string]string{"the password": srv.Admin.Password, "the API key": srv.User.APIKey}
	for tok := range tokens {
		secrets["session token "+tok[:6]+"…"] = tok
	}
	logText := logs.Bytes()
	found, scanned, files := relScan(t, secrets, map[string][]byte{"the debug log": logText}, dirs.Config, dirs.Cache, dirs.Data)
	for _, f := range found {
		t.Errorf("found %s", f)
	}
	// The log shows the URLs it logs, redacted.
	if !bytes.Contains(logText, []byte("auth=REDACTED")) {
		t.Error("the debug log has no redacted auth= (is request logging on?)")
	}
	if m := regexp.MustCompile(`(?i)\b(auth|ssid)=([^&\s"]+)`).FindAllSubmatch(logText, -1); len(m) > 0 {
		for _, x := range m {
			if string(x[2]) != "REDACTED" {
				t.Errorf("the log shows %s=%s", x[1], x[2])
			}
		}
	}
	if files < 5 {
		t.Errorf("only %d files written: the scan saw too little", files)
	}
	t.Logf("scanned %d bytes in %d files and %d bytes of debug log for %d secrets (%d session tokens): %d found",
		scanned, files, len(logText), len(secrets), len(tokens), len(found))
	if testing.Verbose() {
		t.Logf("log sample: %s", strings.SplitN(string(logText), "\n", 2)[0])
	}
}
