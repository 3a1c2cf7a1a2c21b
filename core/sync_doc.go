package core

// The library cache, offline mode and downloads, for the faces.
//
// # Library cache
//
// Each profile has a library cache on this computer (a SQLite database in
// the cache folder, storage.Library): artists, albums, songs, genres,
// playlists and their songs, podcasts and episodes, with a full-text
// index. Once a first sync has completed, Artists, Albums, Songs, Genres,
// Song, Artist, Album, ArtistAlbums, ArtistSongs, Genre* and Search answer
// from it — at once, without a request — and from the server otherwise.
// Rate and Flag update it too.
//
// Sync brings it up to date (full the first time, then incremental) on
// the caller's goroutine; StartBackgroundSync runs syncs at start-up and
// every SyncIntervalMinutes on its own goroutine. A window's start-up:
//
//	c.OpenCached(ctx, name)            // the cached library answers now
//	go func() {
//		c.ConnectOrOffline(ctx, name)  // online, or offline if unreachable
//		c.StartBackgroundSync(ctx)     // returns at once
//	}()
//
// Events for a progress bar: SyncProgress{Phase, Done, Total, Full}
// (Total 0: unknown — show an indefinite bar; these may be dropped for a
// slow subscriber) and one SyncDone{SyncResult, Err} per sync.
//
// # Offline
//
// ConnectOrOffline (or OpenOffline) opens a synced profile without its
// server when the server cannot be reached; so does a sync that finds the
// server gone. Offline reports the state, OfflineChanged announces each
// change (Err says why it went offline), and core reconnects in the
// background (Reconnect tries at once). Offline, the library, search and
// downloaded items work; use-cases that need the server fail with
// ErrOffline, which Explain words as "offline: the server is unreachable".
//
// # Downloads
//
// Download makes an album, playlist, song or podcast episode available
// offline (original files in the data folder, checked for size, within
// the OfflineLimitMB of the settings: a *storage.SpaceError otherwise),
// publishing DownloadProgress{Kind, ID, Name, Item, Items, Bytes,
// TotalBytes} and one DownloadDone. Downloads lists them, DownloadState
// tells whether an object is downloaded, RemoveDownload deletes one
// (DownloadRemoved), OfflineStorage gives the space used and the limit.
// The player plays a downloaded song or episode from its file (also
// online); LocalItem tells whether an item has one, and DownloadedItems
// gives a download's items ready to play (offline, with no cache needed).
