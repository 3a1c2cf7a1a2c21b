// Package gui is Ampdesk's window: login, the library with art, search,
// the now-playing bar, the queue and settings, as Fyne views over core.
//
// # Structure
//
// Shell is the window's frame: a navigation sidebar, back/forward history,
// the current Page and the now-playing bar. Pages are addressed by Route
// values and made by one switch (Shell.makePage); navItems is the registry
// of what the sidebar offers. A Page's Save cancels its loads and returns
// what Back needs to show it again as it was.
//
// # Threading
//
// Views call core only from goroutines they start; results come back to
// the UI through Deps.Do (fyne.Do in the app) in one call per load. Core's
// events are read on one goroutine and applied the same way. Nothing slow
// (network, keyring, disk, image decoding) runs on the UI goroutine.
package gui
