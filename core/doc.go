// Package core holds Ampdesk's use-cases — connect a profile, browse and
// search the library, playlists, bookmarks, localplay, democratic play,
// playback — shared by every face (window, CLI, tray, MPRIS).
//
// # Connections
//
// A Core has at most one live connection, to one server profile. Login
// checks a server and saves the profile (the secret goes to the OS keyring
// only); Connect opens a saved profile with the secret from the keyring;
// ConnectWith opens a profile with credentials held only in memory (the
// demo mode). Use-case methods act on the live connection and return
// ErrNotConnected without one.
//
// # Events
//
// Subscribe returns a channel of Events, delivered one at a time in the
// order they happened. A face must drain its channel promptly: when a
// subscriber falls far behind, position events for it are dropped first,
// then any event (a Dropped event says how many). A lost connection is an
// event, never a panic.
//
// # Errors
//
// Errors keep their types from client and storage (use errors.Is/As);
// Explain turns any of them into one sentence a person can act on.
package core
