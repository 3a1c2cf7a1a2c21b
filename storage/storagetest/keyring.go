// Package storagetest provides test doubles for package storage: an
// in-memory OS keyring.
package storagetest

import (
	"sync"

	"github.com/zalando/go-keyring"
)

// MemKeyring is an in-memory OS keyring (storage.Keyring) that answers as
// go-keyring does: keyring.ErrNotFound for a secret it does not hold. The
// zero value is empty and ready; it is safe for concurrent use.
type MemKeyring struct {
	mu sync.Mutex
	m  map[string]string // service + "/" + user → secret
}

// Set stores a secret.
func (k *MemKeyring) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[service+"/"+user] = secret
	return nil
}

// Get returns a secret, or keyring.ErrNotFound.
func (k *MemKeyring) Get(service, user string) (string, error) {
	if v, ok := k.Secret(service, user); ok {
		return v, nil
	}
	return "", keyring.ErrNotFound
}

// Delete removes a secret, or returns keyring.ErrNotFound.
func (k *MemKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[service+"/"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.m, service+"/"+user)
	return nil
}

// Secret returns the secret stored for service and user, for a test to
// check.
func (k *MemKeyring) Secret(service, user string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[service+"/"+user]
	return v, ok
}

// Len returns how many secrets the keyring holds.
func (k *MemKeyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}
