// Package desktop joins Ampdesk to the desktop it runs on: the system tray
// menu, MPRIS on Linux (media keys, desktop media widgets, playerctl),
// notifications on track change, and the single instance with its local
// control socket (package control).
//
// Main claims the instance before it opens the window (ClaimInstance; a
// second start calls Raise and exits), then calls Start with the Fyne app,
// the core and the window's show/hide/quit functions, and Stop when the
// app has quit. Everything here follows the core's event stream on one
// goroutine and never waits on the UI goroutine or blocks the audio.
//
// # Other systems
//
// MPRIS is Linux only (mpris_linux.go). platform_other.go is the seam for
// macOS (MPNowPlayingInfoCenter and MPRemoteCommandCenter) and Windows
// (SystemMediaTransportControls): each implements the platform interface
// (refresh, position, trayHost, close) from the same snapshot.
package desktop
