// Package client speaks the Ampache JSON API: sessions, typed models,
// errors and paging.
//
// # Usage
//
//	c, err := client.New("https://music.example/ampache",
//		client.WithCredentials(client.Credentials{User: "alice", Password: pw}))
//	if err != nil { ... }
//	if _, err := c.Handshake(ctx); errors.Is(err, client.ErrBadCredentials) { ... }
//	for song, err := range c.Library.AllSongs(ctx, nil) { ... }
//
// One Client serves one server. Its services group the API by area:
// Library, Search, Playlists, Podcasts, Bookmarks, Activity, Shares,
// Localplay, Democratic, Users, Catalogs and Media (URL builders). Every
// method takes a context first, then ids, then an options struct whose nil
// value means the server's defaults.
//
// # Sessions
//
// Handshake pings the server without a session to learn the newest API it
// offers and asks for API 6, else 5, else 4 (WithAPIVersion pins one). The
// session token lives in the Client's memory only. Any call renews an
// expired session once (error 4701) and retries; concurrent callers share
// that handshake. Ping extends the session; Goodbye ends it and forgets the
// credentials.
//
// # Retries
//
// A call that only reads (lists, objects, searches, ping, the handshake) is
// sent again after a transient failure — a reset or dropped connection, a
// timeout, HTTP 500, 502, 503, 504, 408 or 429 — up to 3 attempts with
// backoff (WithRetry). A call that changes something is sent once: the
// client cannot know whether a call whose answer was lost was carried out.
//
// # Versions
//
// Replies differ between API4, API5 and API6 (bare arrays, wrapped single
// objects, ids as numbers, booleans as 0/1, "tag" for genres...). The
// models and their lenient field types (ID, Int, Float, Bool, Time, List)
// read them all. Methods newer than the session's API fail with an
// *UnsupportedError before any request; a few have fallbacks (Search.Group,
// Playlists.Add).
//
// # Errors
//
// The server's error objects are *Error (compare with the ErrNotFound,
// ErrSessionExpired... sentinels). A refused login is ErrBadCredentials, a
// URL that is not an Ampache server ErrNotAmpache, a network failure an
// *UnreachableError, a refused TLS certificate a *CertificateError (with
// the fingerprint to pin with WithPinnedCertificate), an empty body
// ErrEmptyResponse, a reply that does not fit the model a *DecodeError
// naming the field. Error messages never contain a password, API key or
// session token.
//
// # Secrets in URLs
//
// Song.URL, PodcastEpisode.URL, the Art fields, DemocraticService.PlayURL
// and every MediaService URL contain the session token. Redact them
// (internal/redact) before logging them.
package client
