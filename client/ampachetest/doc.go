// Package ampachetest is an in-process Ampache server for tests,
// benchmarks and the demo mode, shaped like net/http/httptest.
//
// It answers Ampache's JSON API with the real server's shapes, errors and
// semantics (Ampache 7.10.2: API 6.9.2 by default, API 5.5.6 and API4
// "443000" on request) over a generated library, and serves real encoded
// audio, PNG art and live radio. It does not import the client package
// (so client tests against it test real decoding) nor package testing (so
// "ampdesk --demo" and "ampdesk demo-server" run on it).
//
// # Usage
//
//	srv := ampachetest.NewServer(ampachetest.Options{})
//	defer srv.Close()
//	// srv.URL is e.g. http://127.0.0.1:41234/ampache; the API is
//	// srv.URL + "/server/json.server.php".
//	c, err := client.New(srv.URL, client.WithHTTPClient(srv.Client()))
//
// NewUnstartedServer builds the server without listening; then Start,
// StartTLS (a self-signed certificate; Client trusts it,
// CertificateFingerprint names it, RotateCertificate replaces it) or
// StartOn(addr) for a standalone server. Close waits for requests in
// flight but cuts streams, stalls and latency waits short.
//
// # Accounts
//
// Server.Admin ("admin" / "admin-password", access 100) and Server.User ("user" /
// "user-password", access 25) exist from the start, each with an API key;
// AddUser adds more (75 catalog manager, 50 content manager, 5 guest).
// Handshake by password (user, timestamp within 30 minutes of the
// server's clock, auth = sha256(timestamp + sha256(password))) or by API
// key (auth alone). The version parameter picks the API of the session:
// "6.x" → 6, "5.x" → 5, the numeric "440000" → 4, none → 6; capped by
// Options.APIVersion. The dotted "4.4.0" is "too old": an empty body with
// HTTP 200, as the real server answers over JSON. Sessions last
// Options.SessionLength after their last use (every authenticated call
// extends them, as the real server's gatekeeper does; ping with auth
// answers the session summary); expired or unknown sessions answer 4701.
// Options.Now injects the clock. A bearer token (Authorization: Bearer)
// works like auth.
//
// # The library
//
// The zero Library is small (24 artists × 3 albums × 8 songs, 3 podcasts,
// 4 playlists, 3 stations); Library{Artists: 2000, AlbumsPerArtist: 5,
// SongsPerAlbum: 10} builds 100,000 songs in about half a second (see
// BenchmarkGenerate100k). The same Seed gives the same library. Names come
// from combinatorial word lists; the first artists are real accented names
// (Beyoncé, Sigur Rós, Mötley Crüe, Björk, ...) for accent-insensitive
// search tests. Filters, sorting and search fold case and accents as
// MySQL's unicode collation does.
//
// Artist 1 / album 1 holds the fixed test tracks, songs 1–8 of every
// library: a 3 s 1 kHz tone (peak 0.5, 44.1 kHz stereo) as mp3, flac, ogg
// and wav (songs 1–4), then the same at 440 Hz (songs 5–8). Their objects
// report the true time, format, mime and size; raw streams send the exact
// files of internal/testaudio. The generated artists follow, with exact
// counts (so a 2000×5×10 library has 2001 artists, 10001 albums and
// 100008 songs). Generated songs last 95–420 s, are mp3 (70%), flac,
// ogg or wav, and their audio is the testaudio tune looped to their
// length. Podcast episodes last 12–76 minutes: WAV at 11025 Hz mono
// synthesized on demand (any range of it is computed from testaudio's
// Sample, nothing is held in memory).
//
// Tests change the library with AddArtist, AddAlbum, AddSong, UpdateSong,
// UpdateAlbum, UpdateArtist, DeleteSong, DeleteAlbum, DeleteArtist,
// AddPlaylist, UpdatePlaylist, DeletePlaylist, AddEpisode and
// DeleteEpisode; changes set the update times the add/update filters use,
// and deletions feed deleted_songs and deleted_podcast_episodes. They read
// the server's state back with Songs, Albums, Artists, Playlists,
// Bookmarks, Rating, Flagged, PlayCount, LastPlayed, Shares, Localplay,
// Democratic, Podcasts and Episodes.
//
// # Methods
//
// All methods Ampdesk uses, per API version as the real server lists them:
// browsing (artists, albums, songs, genres and their sub-lists, with
// offset/limit — default and maximum 5000, "none" for all — total_count,
// filter/exact, add/update date filters and sort), search_songs,
// advanced_search (rules title, album, artist, album_artist, genre, year,
// time, rating/myrating, averagerating, played_times, played, myplayed,
// favorite, added, updated, recent_played, recent_added; operator and/or),
// search_group, stats, get_similar, playlists (CRUD, playlist_edit
// items/tracks reorder, playlist_add, playlist_add_song,
// playlist_remove_song by song or track, playlist_generate,
// playlist_hash, user_playlists, user_smartlists, read-only smartlists),
// podcasts and episodes (podcast_create refuses loopback and private
// feed URLs with 4710 as the real server does and does not fetch the feed:
// it makes three episodes; update_podcast adds one), bookmarks, rate, flag,
// record_play, scrobble, shares, live_streams, localplay and
// localplay_songs, democratic, catalogs, users, deleted_songs,
// deleted_podcast_episodes, url_to_song, now_playing, index and list.
// get_indexes, videos, labels, licenses and preferences are not served
// (4705). The XML API is not served. Where the captures show a quirk, the
// server keeps it: API5 wraps a single album in {"album":[...]} and the
// users list in an array, API5 get_similar is a bare array, API6
// playlist_add to a playlist that does not exist still answers success.
// get_bookmark without a bookmark answers {"bookmark":[]}; genres nothing
// is tagged with are not listed.
//
// Access levels follow the server: podcast_create, podcast_delete and
// podcast_episode_delete need 75, update_podcast and podcast_edit 50,
// catalog_action 75, user_create/edit/delete 100, localplay the localplay
// level (100 unless SetLocalplayLevel lowers it); users does not check.
// Others answer 4742 "Require: N". SetFeature switches podcasts,
// localplay, democratic play and shares off (4703 "Enable: …").
//
// # Media
//
// stream and download answer with a redirect to the object's play URL
// (BasePath + "/play/index.php?ssid=…"), which carries the session: an
// expired session answers 403 there. Without format (or format=raw, or
// the file's own format without offset) the stored file is sent with
// Content-Length, Accept-Ranges and Range support (206, 416). Any other of
// mp3, flac, ogg and wav "transcodes": the same audio in that encoding
// from offset seconds on, with no Range and no Content-Length (length=1
// asks for one). Windows fall on frame boundaries (mp3: 26 ms, flac:
// 93 ms, nearest boundary; ogg: packet boundaries, the last granule trims
// the end; wav: exact); an mp3 cut's first frame may decode as noise, its
// bit reservoir being in frames not sent. get_art and the art URLs serve a
// PNG at size=WxH (default 300x300), coloured by object; objects without
// art get a grey placeholder.
//
// Live streams play at BasePath + "/radio/N.mp3": endless 128 kbit/s MP3
// with ICY metadata (icy-metaint IcyMetaInt) when asked with
// "Icy-MetaData: 1", the StreamTitle changing every RadioTitleEvery of
// audio (RadioTitle gives the titles). It is paced to real time after
// RadioBurst; SetRadioPacing(false) sends as fast as the client reads.
//
// Localplay is a player: add (type song, album, artist, playlist,
// podcast_episode, live_stream; filter or oid; clear), play, pause
// (toggles), stop, next, prev, skip (track), volume_up/down (±5),
// volume_mute, delete_all, status. While it plays, the server's clock
// moves it through the queue. SetLocalplayMPDQuirk imitates MPD (an add
// while stopped empties the queue). Democratic play orders songs by votes,
// then earliest vote; method=play gives a URL streaming the queue as MP3,
// each song leaving the queue as it starts.
//
// # Faults
//
// ExpireSessions ends every session. FailNext(action, n, Fault) fails the
// next n requests of an API action (or "play", "art", "radio", "share";
// "" for any) with an HTTP status, an Ampache error object, an empty body
// or a dropped connection. StallNext holds requests until released.
// SetLatency delays every response. CutStreams(afterBytes, times) drops
// the next media bodies after afterBytes. CloseClientConnections drops
// every connection. Requests(action) counts the requests seen per action
// ("play" counts media fetches on play URLs, "stream" the API calls).
package ampachetest
