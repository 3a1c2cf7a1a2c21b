package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// AuthKind says which secret a profile keeps in the keyring.
type AuthKind string

const (
	AuthPassword AuthKind = "password"
	AuthAPIKey   AuthKind = "apikey"
)

// Profile is one Ampache server the user signs in to. It holds no secret:
// the password or API key lives in the keyring under the profile's name.
type Profile struct {
	Name string   `json:"name"`
	URL  string   `json:"url"`            // base URL, e.g. https://music.example.com/ampache
	User string   `json:"user,omitempty"` // empty for an API key
	Auth AuthKind `json:"auth"`
	// API pins the API version (4, 5 or 6); 0 takes the newest the server offers.
	API int `json:"api,omitempty"`
	// TLSPin is the SHA-256 fingerprint of a certificate the user chose to
	// trust for this server (hex with colons); empty means normal verification.
	TLSPin string `json:"tls_pin,omitempty"`
}

// Validate reports what is missing from a profile.
func (p Profile) Validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return errors.New("the profile needs a name")
	case strings.TrimSpace(p.URL) == "":
		return errors.New("the profile needs a server URL")
	case p.Auth != AuthPassword && p.Auth != AuthAPIKey:
		return fmt.Errorf("unknown sign-in kind %q (want %q or %q)", p.Auth, AuthPassword, AuthAPIKey)
	case p.Auth == AuthPassword && strings.TrimSpace(p.User) == "":
		return errors.New("a password sign-in needs a user name")
	case p.API != 0 && (p.API < 4 || p.API > 6):
		return fmt.Errorf("API version %d is not one of 4, 5, 6", p.API)
	}
	return nil
}

// ErrNoProfile is returned for a profile name that does not exist.
var ErrNoProfile = errors.New("no such profile")

// Profiles is the list of server profiles in profiles.json. Safe for
// concurrent use; every change is written to disk at once.
type Profiles struct {
	path string
	mu   sync.Mutex
	file profilesFile
}

type profilesFile struct {
	Default  string    `json:"default,omitempty"`
	Profiles []Profile `json:"profiles"`
}

// OpenProfiles reads profiles.json from the config dir (none yet is fine).
func OpenProfiles(configDir string) (*Profiles, error) {
	p := &Profiles{path: filepath.Join(configDir, "profiles.json")}
	b, err := readFileIfExists(p.path)
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &p.file); err != nil {
			return nil, fmt.Errorf("profiles file %s is damaged: %w", p.path, err)
		}
	}
	return p, nil
}

// Path is the file the profiles are kept in.
func (p *Profiles) Path() string { return p.path }

// List returns the profiles sorted by name.
func (p *Profiles) List() []Profile {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append([]Profile(nil), p.file.Profiles...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the named profile.
func (p *Profiles) Get(name string) (Profile, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.file.Profiles {
		if pr.Name == name {
			return pr, nil
		}
	}
	return Profile{}, fmt.Errorf("%w: %q", ErrNoProfile, name)
}

// Default returns the default profile: the one marked default, else the
// only one. ok is false when there is no profile to pick.
func (p *Profiles) Default() (Profile, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.file.Profiles {
		if pr.Name == p.file.Default {
			return pr, true
		}
	}
	if len(p.file.Profiles) == 1 {
		return p.file.Profiles[0], true
	}
	return Profile{}, false
}

// Put adds or replaces a profile (by name) and makes it the default.
func (p *Profiles) Put(pr Profile) error {
	if err := pr.Validate(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	replaced := false
	for i := range p.file.Profiles {
		if p.file.Profiles[i].Name == pr.Name {
			p.file.Profiles[i] = pr
			replaced = true
		}
	}
	if !replaced {
		p.file.Profiles = append(p.file.Profiles, pr)
	}
	p.file.Default = pr.Name
	return p.saveLocked()
}

// SetDefault marks a profile as the one to use when none is named.
func (p *Profiles) SetDefault(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.file.Profiles {
		if pr.Name == name {
			p.file.Default = name
			return p.saveLocked()
		}
	}
	return fmt.Errorf("%w: %q", ErrNoProfile, name)
}

// Delete removes a profile.
func (p *Profiles) Delete(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	kept := p.file.Profiles[:0]
	found := false
	for _, pr := range p.file.Profiles {
		if pr.Name == name {
			found = true
			continue
		}
		kept = append(kept, pr)
	}
	if !found {
		return fmt.Errorf("%w: %q", ErrNoProfile, name)
	}
	p.file.Profiles = kept
	if p.file.Default == name {
		p.file.Default = ""
	}
	return p.saveLocked()
}

func (p *Profiles) saveLocked() error {
	b, err := json.MarshalIndent(p.file, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p.path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save profiles: %w", err)
	}
	return nil
}
