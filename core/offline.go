package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// ErrOffline is returned by use-cases that need the server while the
// profile is open offline.
var ErrOffline = errors.New("offline: the server is unreachable")

// OfflineChanged: the open profile lost its server (Offline: the cached
// library, search and downloads keep working; Err says why) or got it
// back. See Core.Offline.
type OfflineChanged struct {
	Offline bool
	Profile string
	Err     error
}

func (OfflineChanged) event() {}

// Retry delays of the background reconnection while offline: the first
// tries come quickly (a server restarting), then every few minutes.
var reconnectDelays = []time.Duration{2 * time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute}

// localState is what a Core keeps on this computer for the open profile:
// its library cache and downloads, whether it is offline, and the
// background work (syncs, reconnection) that ends with Close.
type localState struct {
	mu      sync.Mutex
	profile storage.Profile // whose cache and downloads are open
	open    bool            // a profile's cache is in use (until logout or close)
	lib     *storage.Library
	libErr  error
	state   storage.SyncState // the cache's sync state as last read or written
	dl      *storage.Downloads
	dlErr   error

	offline   bool
	opening   bool // opened by OpenCached, not connected yet
	offErr    error
	creds     *client.Credentials // to reconnect with, when not in the keyring
	retrying  bool
	bgCtx     context.Context // background work; cancelled by Close
	bgCancel  context.CancelFunc
	bgSyncing bool          // the background syncer runs
	kick      chan struct{} // wakes the background syncer (reconnected)

	// sync runs one at a time; callers meanwhile share it.
	syncMu  sync.Mutex
	running *syncCall

	closed bool           // Close was called: nothing opens any more
	opens  sync.WaitGroup // openProfileLocal calls under way
}

// background returns the context of background work.
func (s *localState) background() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bgCtx == nil {
		s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	}
	return s.bgCtx
}

// notConnected is the error of a use-case with no live connection.
func (s *localState) notConnected() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.offline {
		return ErrOffline
	}
	return ErrNotConnected
}

// close stops background work and closes the cache (a later connection
// opens it again).
func (s *localState) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.opens.Wait() // an open under way ends before its cache is closed below
	s.mu.Lock()
	if s.bgCancel != nil {
		s.bgCancel()
	}
	s.bgCtx, s.bgCancel = nil, nil
	lib := s.lib
	s.lib, s.dl, s.open, s.offline = nil, nil, false, false
	s.mu.Unlock()
	if lib != nil {
		// Wait for a sync writing into it to notice the cancellation.
		s.syncMu.Lock()
		call := s.running
		s.syncMu.Unlock()
		if call != nil {
			<-call.done
		}
		lib.Close()
	}
}

// openProfileLocal opens a profile's library cache and downloads folder
// (keeping them when that profile's are already open). A cache that cannot
// be opened (damaged, from a newer Ampdesk) is deleted and made anew: it
// is only a cache.
func (c *Core) openProfileLocal(ctx context.Context, p storage.Profile) error {
	s := &c.local
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	if s.lib != nil && s.profile.Name == p.Name {
		s.profile, s.open = p, true
		s.mu.Unlock()
		return nil
	}
	s.opens.Add(1)
	defer s.opens.Done()
	old := s.lib
	s.lib, s.dl, s.libErr, s.dlErr, s.state = nil, nil, nil, nil, storage.SyncState{}
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}

	path := storage.LibraryFile(c.dirs.Cache, p.Name)
	lib, err := storage.OpenLibrary(ctx, path)
	if err != nil && ctx.Err() == nil {
		c.log.Warn("library cache unusable; starting a new one", "path", path, "err", err)
		if rmErr := storage.RemoveLibrary(path); rmErr == nil || errors.Is(rmErr, os.ErrNotExist) {
			lib, err = storage.OpenLibrary(ctx, path)
		}
	}
	var st storage.SyncState
	if err == nil {
		if st, err = lib.SyncState(ctx); err != nil {
			lib.Close()
			lib = nil
		}
	}
	dl, dlErr := storage.OpenDownloads(storage.DownloadsDir(c.dirs.Data, p.Name))

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lib != nil && s.profile.Name == p.Name {
		// Opened meanwhile by another caller: keep theirs.
		if lib != nil {
			lib.Close()
		}
		s.open = true
		return nil
	}
	if s.lib != nil {
		defer s.lib.Close()
	}
	s.profile, s.open = p, true
	s.lib, s.libErr, s.state = lib, err, st
	s.dl, s.dlErr = dl, dlErr
	if err != nil {
		return fmt.Errorf("open the library cache: %w", err)
	}
	return nil
}

// attachConnection is called when a connection becomes live: it opens the
// profile's cache and ends the offline state.
func (c *Core) attachConnection(ctx context.Context, cn *conn) {
	if err := c.openProfileLocal(context.WithoutCancel(ctx), cn.profile); err != nil {
		c.log.Warn("library cache", "err", err)
	}
	s := &c.local
	s.mu.Lock()
	was := s.offline
	s.offline, s.offErr, s.creds, s.opening = false, nil, nil, false
	kick := s.kick
	s.mu.Unlock()
	if was {
		c.publish(OfflineChanged{Offline: false, Profile: cn.profile.Name})
		if kick != nil {
			select {
			case kick <- struct{}{}:
			default:
			}
		}
	}
}

// detachProfile stops using a profile's cache (it logged out).
func (c *Core) detachProfile(name string) {
	s := &c.local
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.profile.Name == name {
		s.open, s.opening = false, false
		if s.offline {
			s.offline, s.creds = false, nil
		}
	}
}

// Offline reports whether a profile is open without its server (and
// which): its cached library, search and downloaded items work, while
// use-cases that need the server fail with ErrOffline. Core reconnects in
// the background and says so with OfflineChanged.
func (c *Core) Offline() (storage.Profile, bool) {
	s := &c.local
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.profile, s.offline
}

// OpenCached opens a saved profile's library cache ("" for the default
// profile) without contacting the server, so that a window can show the
// library at once on start-up; then connect with ConnectOrOffline. It
// opens nothing else and changes no state but the cache in use.
func (c *Core) OpenCached(ctx context.Context, name string) (storage.Profile, error) {
	p, err := c.profile(name)
	if err != nil {
		return storage.Profile{}, err
	}
	if err := c.openProfileLocal(ctx, p); err != nil {
		return p, err
	}
	c.mu.Lock()
	connected := c.conn != nil && c.conn.profile.Name == p.Name
	c.mu.Unlock()
	s := &c.local
	s.mu.Lock()
	s.opening = !connected && !s.offline
	s.mu.Unlock()
	return p, nil
}

// OpenOffline opens a saved profile ("" for the default one) from its
// library cache, without the server: the profile is offline (see Offline)
// and core tries to reconnect in the background, with the secret from the
// keyring. It fails when the profile has never been synced.
func (c *Core) OpenOffline(ctx context.Context, name string) (storage.Profile, error) {
	p, err := c.profile(name)
	if err != nil {
		return storage.Profile{}, err
	}
	return p, c.goOffline(ctx, p, nil, nil)
}

// ErrNeverSynced means a profile cannot be opened offline: its library was
// never synced to this computer.
var ErrNeverSynced = errors.New("the library of this profile has not been synced to this computer yet, so it cannot be used offline")

// goOffline makes p the open profile without a connection.
func (c *Core) goOffline(ctx context.Context, p storage.Profile, creds *client.Credentials, cause error) error {
	if err := c.openProfileLocal(ctx, p); err != nil {
		return err
	}
	s := &c.local
	s.mu.Lock()
	if !s.state.Complete {
		s.mu.Unlock()
		if cause != nil {
			return cause
		}
		return ErrNeverSynced
	}
	s.offline, s.offErr, s.creds, s.opening = true, cause, creds, false
	s.mu.Unlock()
	// The live connection, if any, is another profile's or dead.
	c.switching.Lock()
	c.mu.Lock()
	old := c.conn
	c.conn = nil
	c.mu.Unlock()
	if old != nil {
		c.publish(Disconnected{Profile: old.profile.Name})
	}
	c.publish(OfflineChanged{Offline: true, Profile: p.Name, Err: cause})
	c.switching.Unlock()
	c.startReconnecting()
	return nil
}

// ConnectOrOffline connects a saved profile as Connect does; when the
// server cannot be reached (no network, server down, a proxy answering
// 502-504) and the profile's library has been synced, it opens the profile
// offline instead, returns no error, and reconnects in the background.
// Check Offline, or watch for OfflineChanged.
func (c *Core) ConnectOrOffline(ctx context.Context, name string) (storage.Profile, error) {
	p, err := c.profile(name)
	if err != nil {
		return storage.Profile{}, err
	}
	secret, err := c.secrets.Load(ctx, p.Name)
	if err != nil {
		return p, err
	}
	creds := credsFor(p, secret)
	cn, err := c.dial(ctx, p, creds)
	if err == nil {
		if err := c.setConn(ctx, cn); err != nil {
			return p, err
		}
		return p, nil
	}
	if !isUnreachable(err) {
		return p, err
	}
	if offErr := c.goOffline(ctx, p, &creds, err); offErr != nil {
		return p, err
	}
	return p, nil
}

// isUnreachable tells a server that cannot be reached from one that
// answered with a refusal.
func isUnreachable(err error) bool {
	var unreach *client.UnreachableError
	var status *client.HTTPStatusError
	switch {
	case errors.As(err, &unreach):
		return true
	case errors.As(err, &status):
		return status.StatusCode == http.StatusBadGateway || status.StatusCode == http.StatusServiceUnavailable ||
			status.StatusCode == http.StatusGatewayTimeout
	}
	return errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled)
}

// Reconnect tries once to connect the offline profile (a "retry" button).
// It returns nil when connected, ErrNotConnected-like errors otherwise.
func (c *Core) Reconnect(ctx context.Context) error {
	s := &c.local
	s.mu.Lock()
	p, offline, creds := s.profile, s.offline, s.creds
	s.mu.Unlock()
	if !offline {
		if _, _, ok := c.Connection(); ok {
			return nil
		}
		return ErrNotConnected
	}
	var cr client.Credentials
	if creds != nil {
		cr = *creds
	} else {
		secret, err := c.secrets.Load(ctx, p.Name)
		if err != nil {
			return err
		}
		cr = credsFor(p, secret)
	}
	cn, err := c.dial(ctx, p, cr)
	if err != nil {
		s.mu.Lock()
		if s.offline {
			s.offErr = err
		}
		s.mu.Unlock()
		return err
	}
	s.mu.Lock()
	still := s.offline && s.profile.Name == p.Name
	s.mu.Unlock()
	if !still {
		go cn.client.Goodbye(context.WithoutCancel(ctx))
		return nil
	}
	return c.setConn(ctx, cn)
}

// startReconnecting retries the connection in the background while the
// profile is offline, until it connects, another profile opens, or the
// core closes.
func (c *Core) startReconnecting() {
	bg := c.local.background()
	s := &c.local
	s.mu.Lock()
	if s.retrying {
		s.mu.Unlock()
		return
	}
	s.retrying = true
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			s.retrying = false
			again := s.offline
			s.mu.Unlock()
			if again && bg.Err() == nil {
				c.startReconnecting()
			}
		}()
		for i := 0; ; i++ {
			d := reconnectDelays[min(i, len(reconnectDelays)-1)]
			t := time.NewTimer(d)
			select {
			case <-bg.Done():
				t.Stop()
				return
			case <-t.C:
			}
			if _, offline := c.Offline(); !offline {
				return
			}
			ctx, cancel := context.WithTimeout(bg, 30*time.Second)
			err := c.Reconnect(ctx)
			cancel()
			if err == nil {
				return
			}
			c.log.Debug("still offline", "err", err)
		}
	}()
}

// library returns the open cache when it holds a complete sync of the
// library of the live connection (or of the offline profile): the use-cases
// answer from it then.
func (c *Core) library() *storage.Library {
	c.mu.Lock()
	cn := c.conn
	c.mu.Unlock()
	s := &c.local
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lib == nil || !s.open || !s.state.Complete {
		return nil
	}
	if s.offline || s.opening && cn == nil {
		return s.lib
	}
	if cn == nil || cn.profile.Name != s.profile.Name || !sameServer(s.state, cn.info) {
		return nil
	}
	return s.lib
}

// cacheOpen returns the open cache, synced or not, for the live
// connection's profile (the syncer writes into it).
func (c *Core) cacheOpen(p storage.Profile) (*storage.Library, error) {
	s := &c.local
	s.mu.Lock()
	lib, err, same := s.lib, s.libErr, s.profile.Name == p.Name && s.open
	s.mu.Unlock()
	if lib != nil && same {
		return lib, nil
	}
	if err := c.openProfileLocal(context.Background(), p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lib == nil {
		return nil, err
	}
	return s.lib, nil
}

func sameServer(st storage.SyncState, info ServerInfo) bool {
	return st.Server == info.URL && st.User == info.User
}

// downloads returns the open profile's downloads folder (nil if none).
func (c *Core) downloads() *storage.Downloads {
	dl, _ := c.downloadFolder()
	return dl
}

// downloadFolder returns the open profile's downloads folder, or why
// there is none.
func (c *Core) downloadFolder() (*storage.Downloads, error) {
	s := &c.local
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !s.open:
		return nil, ErrNoDownloads
	case s.dl == nil && s.dlErr != nil:
		return nil, s.dlErr
	case s.dl == nil:
		return nil, ErrNoDownloads
	}
	return s.dl, nil
}
