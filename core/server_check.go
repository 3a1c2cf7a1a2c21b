package core

import "context"

// LibraryCached reports whether the library use-cases (Albums, Artists,
// Songs, Search…) answer from this computer's cache now: the open
// profile's library has been synced completely. A window calls it after
// OpenCached to know whether it can show the library before connecting.
func (c *Core) LibraryCached() bool { return c.library() != nil }

// CheckServer asks the server whether it still answers (ping). When it
// cannot be reached and the profile's library is synced, the profile goes
// offline as a sync that finds the server gone does (OfflineChanged, then
// reconnection in the background). A face calls it when a request failed
// for want of an answer, so that "offline" shows without waiting for the
// next sync. While offline it returns ErrOffline at once.
func (c *Core) CheckServer(ctx context.Context) error {
	if c.isOffline() {
		return ErrOffline
	}
	_, err := c.Ping(ctx)
	if err != nil {
		c.lostServer(ctx, err)
	}
	return err
}
