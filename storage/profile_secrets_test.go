package storage

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
)

// The types written to the config folder have no field that could hold a
// secret: a password, API key or session token has nowhere to go but the
// keyring. (A field added later with such a name fails here, on purpose.)
func TestStoredTypesHaveNoSecretFields(t *testing.T) {
	t.Parallel()
	secretish := []string{"password", "passwd", "secret", "token", "apikey", "api_key", "passphrase", "session", "ssid", "cookie"}
	allowed := map[string]bool{"Profile.Auth": true} // the kind of sign-in ("password" or "api_key"), not the secret
	for _, v := range []any{Profile{}, Settings{}, profilesFile{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := typ.Name() + "." + f.Name
			if allowed[name] {
				continue
			}
			words := strings.ToLower(f.Name + " " + f.Tag.Get("json"))
			for _, s := range secretish {
				if strings.Contains(words, s) {
					t.Errorf("%s (json %q) looks like it could hold a secret: secrets go to the keyring only", name, f.Tag.Get("json"))
				}
			}
		}
	}
}

// relKeyring is an in-memory OS keyring that records every secret given.
type relKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *relKeyring) Set(s, u, p string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[s+"/"+u] = p
	return nil
}

func (k *relKeyring) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *relKeyring) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[s+"/"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.m, s+"/"+u)
	return nil
}

// A pinned profile keeps its fingerprint on disk (it is not a secret),
// its secret only in the keyring; deleting the secret leaves no trace of it.
func TestPinnedProfileOnDiskSecretInKeyring(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	const (
		pin    = "74:BF:97:45:38:14:1B:2F:39:1C:DF:EB:3D:87:96:C2:2F:C6:0E:D1:F2:20:8F:D5:D6:2A:8B:09:23:10:F6:70"
		secret = "Zq9-the-password-of-home"
	)
	profiles, err := OpenProfiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	home := Profile{Name: "home", URL: "https://127.0.0.1:8443/ampache", User: "ann", Auth: AuthPassword, TLSPin: pin}
	if err := profiles.Put(home); err != nil {
		t.Fatal(err)
	}
	kr := &relKeyring{}
	secrets := NewSecrets(kr)
	if err := secrets.Save(ctx, "home", secret); err != nil {
		t.Fatal(err)
	}
	again, err := OpenProfiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := again.Get("home"); err != nil || got != home {
		t.Fatalf("reloaded %+v (%v), want %+v", got, err, home)
	}
	raw, err := os.ReadFile(again.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"tls_pin": "`+pin+`"`) && !strings.Contains(string(raw), `"tls_pin":"`+pin+`"`) {
		t.Errorf("profiles.json does not hold the pin:\n%s", raw)
	}
	if strings.Contains(string(raw), secret) {
		t.Error("profiles.json holds the password")
	}
	if got, err := secrets.Load(ctx, "home"); err != nil || got != secret {
		t.Fatalf("keyring: %q %v", got, err)
	}
	if err := secrets.Delete(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.Load(ctx, "home"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("after Delete: %v, want ErrNoSecret", err)
	}
	if len(kr.m) != 0 {
		t.Errorf("the keyring still holds %v", kr.m)
	}
}
