package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name Ampdesk's secrets are filed under.
const KeyringService = "ampdesk"

// Keyring is the OS keyring as go-keyring sees it. SystemKeyring is the real
// one; tests may pass their own.
type Keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// SystemKeyring returns the OS keyring (Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows).
func SystemKeyring() Keyring { return systemKeyring{} }

type systemKeyring struct{}

func (systemKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (systemKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (systemKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// ErrNoSecret means the keyring works but holds no secret for the profile.
var ErrNoSecret = errors.New("no password or API key saved for this profile")

// KeyringProblem says why the keyring cannot be used.
type KeyringProblem int

const (
	KeyringNoSessionBus KeyringProblem = iota + 1 // no D-Bus session bus
	KeyringNoService                              // a bus, but no Secret Service on it
	KeyringLocked                                 // the keyring is locked
	KeyringOther
)

// KeyringError is returned when no usable keyring is there. Ampdesk never
// falls back to writing the secret into a file.
type KeyringError struct {
	Problem KeyringProblem
	Err     error
}

func (e *KeyringError) Error() string {
	switch e.Problem {
	case KeyringNoSessionBus:
		return "cannot reach the keyring: there is no D-Bus session bus (Ampdesk keeps passwords only in the desktop keyring; run it in a desktop session, or under dbus-run-session with gnome-keyring)"
	case KeyringNoService:
		return "no keyring service is running: nothing provides org.freedesktop.secrets (install and start gnome-keyring, KeePassXC or another Secret Service; Ampdesk keeps passwords only there)"
	case KeyringLocked:
		return "the keyring is locked: unlock it (for example by logging in to your desktop) and try again"
	}
	return "the keyring failed: " + e.Err.Error()
}

func (e *KeyringError) Unwrap() error { return e.Err }

// classifyKeyringError turns go-keyring's errors, which are only text at
// this boundary, into a KeyringError a person can act on.
func classifyKeyringError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNoSecret
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS"),
		strings.Contains(msg, "unable to autolaunch"),
		strings.Contains(msg, "dial unix") && strings.Contains(msg, "bus"):
		return &KeyringError{Problem: KeyringNoSessionBus, Err: err}
	case strings.Contains(msg, "org.freedesktop.secrets was not provided"),
		strings.Contains(msg, "ServiceUnknown"),
		strings.Contains(msg, "not provided by any .service files"):
		return &KeyringError{Problem: KeyringNoService, Err: err}
	case strings.Contains(msg, "failed to unlock"),
		strings.Contains(msg, "prompt"),
		strings.Contains(msg, "locked"):
		return &KeyringError{Problem: KeyringLocked, Err: err}
	}
	return &KeyringError{Problem: KeyringOther, Err: err}
}

// Secrets files each profile's password or API key in the keyring under
// the service "ampdesk" and the profile's name.
type Secrets struct {
	kr Keyring
}

// NewSecrets uses kr (SystemKeyring() for the real one).
func NewSecrets(kr Keyring) *Secrets { return &Secrets{kr: kr} }

// Save stores the secret of a profile.
func (s *Secrets) Save(ctx context.Context, profile, secret string) error {
	_, err := callKeyring(ctx, func() (string, error) {
		return "", s.kr.Set(KeyringService, profile, secret)
	})
	if err != nil {
		return fmt.Errorf("save the secret of %q: %w", profile, err)
	}
	return nil
}

// Load returns the secret of a profile, ErrNoSecret if there is none, or
// a *KeyringError.
func (s *Secrets) Load(ctx context.Context, profile string) (string, error) {
	v, err := callKeyring(ctx, func() (string, error) { return s.kr.Get(KeyringService, profile) })
	if err != nil {
		return "", fmt.Errorf("read the secret of %q: %w", profile, err)
	}
	return v, nil
}

// Delete removes the secret of a profile; a missing secret is not an error.
func (s *Secrets) Delete(ctx context.Context, profile string) error {
	_, err := callKeyring(ctx, func() (string, error) { return "", s.kr.Delete(KeyringService, profile) })
	if err != nil && !errors.Is(err, ErrNoSecret) {
		return fmt.Errorf("remove the secret of %q: %w", profile, err)
	}
	return nil
}

// callKeyring runs f on its own goroutine so that a keyring waiting for an
// unlock prompt cannot hold the caller past ctx.
func callKeyring(ctx context.Context, f func() (string, error)) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, classifyKeyringError(err)}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return "", &KeyringError{Problem: KeyringLocked, Err: fmt.Errorf("no answer from the keyring: %w", ctx.Err())}
	}
}
