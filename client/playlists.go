package client

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"strconv"
	"strings"
)

// PlaylistsService reads and edits playlists and reads smartlists.
type PlaylistsService service

// PlaylistListOptions are the parameters of List.
type PlaylistListOptions struct {
	Filter     string `url:"filter,omitempty"`
	Exact      bool   `url:"exact,omitempty"`
	HideSearch bool   `url:"hide_search,omitempty"` // leave smartlists out
	ShowDupes  bool   `url:"show_dupes,omitempty"`  // ignore the server's api_hide_dupe_searches
	DateFilter
	SortOptions
	ListOptions
}

// UserPlaylistOptions are the parameters of UserPlaylists, UserSmartlists
// and Smartlists.
type UserPlaylistOptions struct {
	Filter string `url:"filter,omitempty"`
	Exact  bool   `url:"exact,omitempty"`
	DateFilter
	SortOptions
	ListOptions
}

// PlaylistSongsOptions are the parameters of Songs.
type PlaylistSongsOptions struct {
	Random bool `url:"random,omitempty"` // random songs of the playlist, up to Limit
	ListOptions
}

// Playlist types.
const (
	PlaylistPublic  = "public"
	PlaylistPrivate = "private"
)

// PlaylistEditOptions are the changes Edit makes; zero fields are left
// alone. Items and Tracks reorder the playlist: Items[i] (a song id) is put
// at position Tracks[i]; both must have the same length.
type PlaylistEditOptions struct {
	Name   string `url:"name,omitempty"`
	Type   string `url:"type,omitempty"`  // PlaylistPublic or PlaylistPrivate
	Owner  ID     `url:"owner,omitempty"` // a user id; "-1" makes it a system playlist
	Items  []ID   `url:"items,omitempty"`
	Tracks []int  `url:"tracks,omitempty"`
}

// GenerateMode selects the songs Generate picks.
type GenerateMode string

// Generate modes.
const (
	GenerateRandom    GenerateMode = "random"
	GenerateRecent    GenerateMode = "recent"    // played within the server's popular threshold
	GenerateForgotten GenerateMode = "forgotten" // played before it
	GenerateUnplayed  GenerateMode = "unplayed"
)

// GenerateOptions are the parameters of Generate.
type GenerateOptions struct {
	Mode   GenerateMode `url:"mode,omitempty"`   // default GenerateRandom
	Filter string       `url:"filter,omitempty"` // title contains this text
	Album  ID           `url:"album,omitempty"`
	Artist ID           `url:"artist,omitempty"`
	Flag   bool         `url:"flag,omitempty"` // favourites only
	ListOptions
}

// List lists playlists, smartlists included unless HideSearch is set.
func (s *PlaylistsService) List(ctx context.Context, opts *PlaylistListOptions) (*Page[Playlist], error) {
	req, err := s.client.newRequest(ctx, "playlists", opts)
	if err != nil {
		return nil, err
	}
	return doList[Playlist](s.client, req, "playlist")
}

// All iterates over every playlist, page by page.
func (s *PlaylistsService) All(ctx context.Context, opts *PlaylistListOptions) iter.Seq2[Playlist, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Playlist], error) { return s.List(ctx, o) })
}

// UserPlaylists lists the user's own playlists, without smartlists (API6).
func (s *PlaylistsService) UserPlaylists(ctx context.Context, opts *UserPlaylistOptions) (*Page[Playlist], error) {
	req, err := s.client.newRequest(ctx, "user_playlists", opts)
	if err != nil {
		return nil, err
	}
	return doList[Playlist](s.client, req, "playlist")
}

// UserSmartlists lists the user's own smartlists (API6).
func (s *PlaylistsService) UserSmartlists(ctx context.Context, opts *UserPlaylistOptions) (*Page[Playlist], error) {
	req, err := s.client.newRequest(ctx, "user_smartlists", opts)
	if err != nil {
		return nil, err
	}
	return doList[Playlist](s.client, req, "playlist")
}

// Smartlists lists the smartlists the user may see (API6).
func (s *PlaylistsService) Smartlists(ctx context.Context, opts *UserPlaylistOptions) (*Page[Playlist], error) {
	req, err := s.client.newRequest(ctx, "smartlists", opts)
	if err != nil {
		return nil, err
	}
	return doList[Playlist](s.client, req, "playlist")
}

// Get returns one playlist or smartlist (an id with SmartlistPrefix).
func (s *PlaylistsService) Get(ctx context.Context, id ID) (*Playlist, error) {
	req, err := s.client.newRequest(ctx, "playlist", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Playlist](s.client, req.set("filter", string(id)), "playlist")
}

// Songs lists the songs of a playlist or smartlist; PlaylistTrack is each
// song's position.
func (s *PlaylistsService) Songs(ctx context.Context, id ID, opts *PlaylistSongsOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "playlist_songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("filter", string(id)), "song")
}

// AllSongs iterates over the songs of a playlist, page by page.
func (s *PlaylistsService) AllSongs(ctx context.Context, id ID, opts *PlaylistSongsOptions) iter.Seq2[Song, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Song], error) { return s.Songs(ctx, id, o) })
}

// Create makes a new, empty playlist. typ is PlaylistPublic or
// PlaylistPrivate ("" for the server's default).
func (s *PlaylistsService) Create(ctx context.Context, name, typ string) (*Playlist, error) {
	req, err := s.client.newRequest(ctx, "playlist_create", nil)
	if err != nil {
		return nil, err
	}
	req.set("name", name)
	if typ != "" {
		req.set("type", typ)
	}
	return doOne[Playlist](s.client, req, "playlist")
}

// Edit renames, retypes, hands over or reorders a playlist.
func (s *PlaylistsService) Edit(ctx context.Context, id ID, opts *PlaylistEditOptions) error {
	if opts != nil && len(opts.Items) != len(opts.Tracks) {
		return wrapErr("playlist_edit", errors.New("items and tracks must have the same length"))
	}
	req, err := s.client.newRequest(ctx, "playlist_edit", opts)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// Delete deletes a playlist.
func (s *PlaylistsService) Delete(ctx context.Context, id ID) error {
	req, err := s.client.newRequest(ctx, "playlist_delete", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// Add appends an object to a playlist: a song, or every song of an album,
// artist or playlist. On API6 it is playlist_add; older servers can only
// add songs (playlist_add_song), and other types give an *UnsupportedError.
func (s *PlaylistsService) Add(ctx context.Context, playlist, object ID, typ ObjectType) error {
	if s.client.apiMajor() == 0 {
		if _, err := s.client.sessionToken(ctx); err != nil {
			return wrapErr("playlist_add", err)
		}
	}
	if major := s.client.apiMajor(); major < 6 {
		if typ != TypeSong {
			return wrapErr("playlist_add", &UnsupportedError{Method: "playlist_add type " + string(typ), Need: 6, Have: major})
		}
		return s.AddSong(ctx, playlist, object, false)
	}
	req, err := s.client.newRequest(ctx, "playlist_add", nil)
	if err != nil {
		return err
	}
	// filter is the playlist and id the object: swapped, the server still
	// reports success and writes junk rows.
	return doAck(s.client, req.set("filter", string(playlist)).set("id", string(object)).set("type", string(typ)))
}

// AddSong appends a song to a playlist (playlist_add_song, every API; API6
// deprecates it for Add). With check set the server skips a song already
// in the playlist.
func (s *PlaylistsService) AddSong(ctx context.Context, playlist, song ID, check bool) error {
	req, err := s.client.newRequest(ctx, "playlist_add_song", nil)
	if err != nil {
		return err
	}
	req.set("filter", string(playlist)).set("song", string(song))
	if check {
		req.set("check", "1")
	}
	return doAck(s.client, req)
}

// RemoveSong removes a song from a playlist.
func (s *PlaylistsService) RemoveSong(ctx context.Context, playlist, song ID) error {
	req, err := s.client.newRequest(ctx, "playlist_remove_song", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(playlist)).set("song", string(song)))
}

// RemoveTrack removes the entry at a position (1-based) from a playlist.
func (s *PlaylistsService) RemoveTrack(ctx context.Context, playlist ID, track int) error {
	req, err := s.client.newRequest(ctx, "playlist_remove_song", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(playlist)).set("track", strconv.Itoa(track)))
}

// Generate returns songs picked by the server (random, recent, forgotten
// or unplayed), as full song objects.
func (s *PlaylistsService) Generate(ctx context.Context, opts *GenerateOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "playlist_generate", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("format", "song"), "song")
}

// GenerateIndex is Generate returning the short "index" form of the songs
// (id, title, artist, album).
func (s *PlaylistsService) GenerateIndex(ctx context.Context, opts *GenerateOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "playlist_generate", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("format", "index"), "song")
}

// GenerateIDs is Generate returning song ids only.
func (s *PlaylistsService) GenerateIDs(ctx context.Context, opts *GenerateOptions) (*Page[ID], error) {
	req, err := s.client.newRequest(ctx, "playlist_generate", opts)
	if err != nil {
		return nil, err
	}
	return doList[ID](s.client, req.set("format", "id"), "id", "song")
}

// Hash returns a hash of a playlist's songs (API6): when it has not
// changed, neither has the playlist. It is "" when the server has none.
func (s *PlaylistsService) Hash(ctx context.Context, id ID) (string, error) {
	req, err := s.client.newRequest(ctx, "playlist_hash", nil)
	if err != nil {
		return "", err
	}
	p, err := s.client.call(req.set("filter", string(id)))
	if err != nil {
		return "", err
	}
	var r struct {
		MD5 json.RawMessage `json:"md5"`
	}
	if err := decodeInto(p, &r); err != nil {
		return "", wrapErr(req.action, err)
	}
	var h string
	if kind(r.MD5) == '"' {
		_ = json.Unmarshal(r.MD5, &h)
	}
	return strings.TrimSpace(h), nil
}
