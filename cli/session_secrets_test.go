package cli

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// TestVerboseSessionLeavesNoSecret runs the commands of a session with -v
// (login with a password and with an API key, ping, ls, search, sync,
// bookmarks, download, logout; playing needs a sound device and is in
// scripts/e2e/secrets.sh) and scans the config folder (cache and data are
// under it with --config-dir) and everything printed for the password, the
// API key and every session token the server issued.
func TestVerboseSessionLeavesNoSecret(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	dir := t.TempDir()
	kr := &storagetest.MemKeyring{}
	var printed bytes.Buffer
	run := func(stdin string, args ...string) {
		t.Helper()
		code, out, errOut := relRun(t, dir, kr, stdin, append([]string{"-v"}, args...)...)
		printed.WriteString(out)
		printed.WriteString(errOut)
		if code != ExitOK {
			t.Fatalf("ampdesk %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
	}
	run(srv.Admin.Password, "login", srv.URL, "--user", srv.Admin.Username, "--password-stdin", "--name", "pw")
	run(srv.User.APIKey, "login", srv.URL, "--api-key-stdin", "--name", "key")
	run("", "--profile", "pw", "ping")
	run("", "--profile", "key", "ls", "artists", "--limit", "3")
	run("", "--profile", "pw", "ls", "album", "1")
	run("", "--profile", "pw", "search", "tone")
	run("", "--profile", "pw", "sync")
	run("", "--profile", "pw", "bookmark", "set", "song", "9", "42")
	run("", "--profile", "pw", "bookmark", "list", "--json")
	run("", "--profile", "pw", "download", "album", "1")
	run("", "--profile", "pw", "logout")
	run("", "--profile", "key", "logout")
	if n := kr.Len(); n != 0 {
		t.Errorf("%d keyring entries left after logging out of both", n)
	}

	tokens := srv.IssuedTokens()
	if len(tokens) < 10 {
		t.Fatalf("%d session tokens issued: the session did not run", len(tokens))
	}
	secrets := append([]string{srv.Admin.Password, srv.User.APIKey}, tokens...)
	var scanned int64
	files := 0
	look := func(where string, data []byte) {
		scanned += int64(len(data))
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) || bytes.Contains(data, []byte(url.QueryEscape(s))) {
				t.Errorf("a secret (%.6s…) is in %s", s, where)
			}
		}
	}
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
	if err != nil {
		t.Fatal(err)
	}
	look("the output and -v log", printed.Bytes())
	if dbs, _ := filepath.Glob(filepath.Join(dir, "cache", "library", "*.db")); len(dbs) == 0 {
		t.Error("no library database: the sync wrote nothing to scan")
	}
	if !bytes.Contains(printed.Bytes(), []byte("auth=REDACTED")) {
		t.Error("the -v log shows no redacted auth=")
	}
	for _, m := range regexp.MustCompile(`(?i)\b(auth|ssid)=([^&\s"]+)`).FindAllSubmatch(printed.Bytes(), -1) {
		if string(m[2]) != "REDACTED" {
			t.Errorf("the -v log shows %s=%s", m[1], m[2])
		}
	}
	t.Logf("scanned %d bytes in %d files and %d bytes printed for %d secrets (%d session tokens)",
		scanned, files, printed.Len(), len(secrets), len(tokens))
}
