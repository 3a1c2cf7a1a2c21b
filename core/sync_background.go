package core

import (
	"context"
	"time"
)

// lostServer turns a connection whose server stopped answering into the
// offline state (with background reconnection), when the library is
// synced; other errors change nothing.
func (c *Core) lostServer(ctx context.Context, err error) {
	if !isUnreachable(err) {
		return
	}
	c.mu.Lock()
	cn := c.conn
	c.mu.Unlock()
	if cn == nil {
		return
	}
	if offErr := c.goOffline(context.WithoutCancel(ctx), cn.profile, nil, err); offErr != nil {
		c.log.Debug("server unreachable, library not synced: staying connected", "err", offErr)
	}
}

// StartBackgroundSync keeps the library cache in step in the background:
// it syncs at once, then every SyncIntervalMinutes of the settings (read
// anew each time), and at once whenever an offline profile gets its
// server back. It returns immediately; the syncs run on a goroutine of
// their own (never the caller's) and report through SyncProgress and
// SyncDone. It stops when ctx ends or the core closes; calling it while
// it runs does nothing.
func (c *Core) StartBackgroundSync(ctx context.Context) {
	s := &c.local
	bg := s.background()
	s.mu.Lock()
	if s.bgSyncing {
		s.mu.Unlock()
		return
	}
	s.bgSyncing = true
	if s.kick == nil {
		s.kick = make(chan struct{}, 1)
	}
	kick := s.kick
	s.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(bg, cancel)
	go func() {
		defer func() {
			stop()
			cancel()
			s.mu.Lock()
			s.bgSyncing = false
			s.mu.Unlock()
		}()
		for {
			if _, _, online := c.Connection(); online {
				if _, err := c.Sync(ctx, SyncOptions{}); err != nil && ctx.Err() == nil {
					c.log.Warn("background sync failed", "err", err)
				}
			}
			minutes := c.settings.Get().SyncIntervalMinutes
			if minutes <= 0 {
				minutes = 30
			}
			t := time.NewTimer(time.Duration(minutes) * time.Minute)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-kick:
				t.Stop()
			case <-t.C:
			}
		}
	}()
}
