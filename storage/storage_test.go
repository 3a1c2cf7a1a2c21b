package storage

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestResolveDirs(t *testing.T) {
	dir := t.TempDir()
	d, err := ResolveDirs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Config != dir || d.Cache != filepath.Join(dir, "cache") || d.Data != filepath.Join(dir, "data") {
		t.Fatalf("override: got %+v", d)
	}
	t.Setenv(EnvConfigDir, filepath.Join(dir, "env"))
	d, err = ResolveDirs("")
	if err != nil {
		t.Fatal(err)
	}
	if d.Config != filepath.Join(dir, "env") {
		t.Fatalf("env override: got %+v", d)
	}
	t.Setenv(EnvConfigDir, "")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xc"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "xk"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "xd"))
	d, err = ResolveDirs("")
	if err != nil {
		t.Fatal(err)
	}
	want := Dirs{filepath.Join(dir, "xc", "ampdesk"), filepath.Join(dir, "xk", "ampdesk"), filepath.Join(dir, "xd", "ampdesk")}
	if d != want {
		t.Fatalf("XDG: got %+v want %+v", d, want)
	}
	if err := d.Ensure(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(d.Config)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("config dir mode: %v %v", st.Mode(), err)
	}
}

func TestProfilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p, err := OpenProfiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Default(); ok {
		t.Fatal("default on empty profiles")
	}
	home := Profile{Name: "home", URL: "https://music.example.com/ampache", User: "ann", Auth: AuthPassword, API: 5}
	work := Profile{Name: "work", URL: "http://10.0.0.2", Auth: AuthAPIKey}
	for _, pr := range []Profile{home, work} {
		if err := p.Put(pr); err != nil {
			t.Fatal(err)
		}
	}
	again, err := OpenProfiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := again.List()
	if len(got) != 2 || got[0] != home || got[1] != work {
		t.Fatalf("reloaded %+v", got)
	}
	if d, ok := again.Default(); !ok || d.Name != "work" {
		t.Fatalf("default after Put = %+v %v, want work", d, ok)
	}
	if err := again.SetDefault("home"); err != nil {
		t.Fatal(err)
	}
	if d, _ := again.Default(); d.Name != "home" {
		t.Fatalf("default = %q", d.Name)
	}
	if err := again.Delete("home"); err != nil {
		t.Fatal(err)
	}
	if d, ok := again.Default(); !ok || d.Name != "work" {
		t.Fatalf("only profile should be default, got %+v %v", d, ok)
	}
	if _, err := again.Get("home"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("Get deleted: %v", err)
	}
	if err := again.Delete("nope"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("Delete missing: %v", err)
	}
	st, err := os.Stat(p.Path())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("profiles.json mode: %v %v", st, err)
	}
}

func TestProfileValidate(t *testing.T) {
	for _, tc := range []struct {
		p    Profile
		want string
	}{
		{Profile{URL: "u", Auth: AuthAPIKey}, "name"},
		{Profile{Name: "n", Auth: AuthAPIKey}, "URL"},
		{Profile{Name: "n", URL: "u", Auth: "token"}, "sign-in kind"},
		{Profile{Name: "n", URL: "u", Auth: AuthPassword}, "user name"},
		{Profile{Name: "n", URL: "u", Auth: AuthAPIKey, API: 3}, "API version"},
	} {
		err := tc.p.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want mention of %q", tc.p, err, tc.want)
		}
	}
}

func TestDamagedProfilesFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "profiles.json"), []byte("{not json"), 0o600)
	_, err := OpenProfiles(dir)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("got %v", err)
	}
}

func TestSettingsPersist(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Get(); got.Theme != "system" || got.ReplayGain != "track" || *got.Notifications != true || *got.Volume != 0.8 {
		t.Fatalf("defaults: %+v", got)
	}
	off := false
	if _, err := st.Update(func(s *Settings) {
		s.Theme = "dark"
		s.MaxBitrateKbps = 192
		s.CrossfadeSeconds = 4
		s.Notifications = &off
	}); err != nil {
		t.Fatal(err)
	}
	again, err := OpenSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := again.Get()
	if got.Theme != "dark" || got.MaxBitrateKbps != 192 || got.CrossfadeSeconds != 4 || *got.Notifications || got.ArtCacheMB != 200 {
		t.Fatalf("reloaded: %+v", got)
	}
}

// memKeyring is an in-memory keyring that can be told to fail like the
// real ones do.
type memKeyring struct {
	mu   sync.Mutex
	m    map[string]string
	err  error
	wait chan struct{}
}

func (k *memKeyring) Set(s, u, p string) error {
	if k.wait != nil {
		<-k.wait
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return k.err
	}
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[s+"/"+u] = p
	return nil
}

func (k *memKeyring) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return "", k.err
	}
	v, ok := k.m[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return k.err
	}
	if _, ok := k.m[s+"/"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.m, s+"/"+u)
	return nil
}

func TestSecrets(t *testing.T) {
	ctx := context.Background()
	kr := &memKeyring{}
	s := NewSecrets(kr)
	if _, err := s.Load(ctx, "home"); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Load before Save: %v", err)
	}
	if err := s.Save(ctx, "home", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if kr.m["ampdesk/home"] != "s3cret" {
		t.Fatalf("keyring holds %v", kr.m)
	}
	if v, err := s.Load(ctx, "home"); err != nil || v != "s3cret" {
		t.Fatalf("Load = %q, %v", v, err)
	}
	if err := s.Delete(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "home"); err != nil {
		t.Fatalf("Delete of a missing secret: %v", err)
	}
}

// The texts below are what go-keyring returns on Linux in each situation
// (recorded in ../shared/docs/toolchain.md).
func TestKeyringErrorsInPlainWords(t *testing.T) {
	for _, tc := range []struct {
		raw     string
		problem KeyringProblem
		words   string
	}{
		{`exec: "dbus-launch": executable file not found in $PATH`, KeyringNoSessionBus, "no D-Bus session bus"},
		{`The name org.freedesktop.secrets was not provided by any .service files`, KeyringNoService, "no keyring service"},
		{`failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'`, KeyringLocked, "keyring is locked"},
		{`something else`, KeyringOther, "keyring failed"},
	} {
		s := NewSecrets(&memKeyring{err: errors.New(tc.raw)})
		err := s.Save(context.Background(), "p", "secret-value")
		var ke *KeyringError
		if !errors.As(err, &ke) || ke.Problem != tc.problem {
			t.Errorf("%q: got %v, want problem %d", tc.raw, err, tc.problem)
			continue
		}
		if !strings.Contains(err.Error(), tc.words) {
			t.Errorf("%q: message %q lacks %q", tc.raw, err, tc.words)
		}
		if strings.Contains(err.Error(), "secret-value") {
			t.Errorf("secret leaked into %q", err)
		}
	}
}

func TestKeyringThatNeverAnswers(t *testing.T) {
	kr := &memKeyring{wait: make(chan struct{})}
	defer close(kr.wait)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := NewSecrets(kr).Save(ctx, "p", "x")
	var ke *KeyringError
	if !errors.As(err, &ke) || ke.Problem != KeyringLocked {
		t.Fatalf("got %v", err)
	}
}

func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, bad := range []string{"fyne.io/fyne", "github.com/ebitengine/oto", "github.com/gopxl/beep", "github.com/ampdesk/ampdesk/client", "github.com/ampdesk/ampdesk/audio", "github.com/ampdesk/ampdesk/core", "github.com/ampdesk/ampdesk/gui"} {
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, bad) {
				t.Errorf("storage imports %s", line)
			}
		}
	}
}
