//go:build !linux

package desktop

import "github.com/ampdesk/ampdesk/core"

// startPlatform is the seam for macOS Now Playing (MPNowPlayingInfoCenter,
// MPRemoteCommandCenter) and Windows media controls
// (SystemMediaTransportControls): until they are written, the tray, the
// notifications and the control socket work and media keys do not.
func startPlatform(*Services) platform { return otherPlatform{} }

type otherPlatform struct{}

func (otherPlatform) refresh()               {}
func (otherPlatform) position(core.Position) {}

// trayHost: macOS and Windows always show tray (menu bar) icons.
func (otherPlatform) trayHost() bool { return true }
func (otherPlatform) close()         {}
