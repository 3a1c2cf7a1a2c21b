package core

import (
	"context"
	"fmt"

	"github.com/ampdesk/ampdesk/client"
)

// Playlists returns the user's playlists and smartlists.
func (c *Core) Playlists(ctx context.Context) ([]client.Playlist, error) {
	if c.isOffline() {
		return c.playlistsFromCache(ctx)
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return collect(api.Playlists.All(ctx, nil))
}

// Playlist returns a playlist and its songs in order.
func (c *Core) Playlist(ctx context.Context, id client.ID) (*client.Playlist, []client.Song, error) {
	if c.isOffline() {
		return c.playlistFromCache(ctx, id)
	}
	api, err := c.api()
	if err != nil {
		return nil, nil, err
	}
	pl, err := api.Playlists.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	songs, err := collect(api.Playlists.AllSongs(ctx, id, nil))
	return pl, songs, err
}

// CreatePlaylist makes an empty playlist; public or private.
func (c *Core) CreatePlaylist(ctx context.Context, name string, public bool) (*client.Playlist, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	typ := client.PlaylistPrivate
	if public {
		typ = client.PlaylistPublic
	}
	return api.Playlists.Create(ctx, name, typ)
}

// RenamePlaylist changes a playlist's name.
func (c *Core) RenamePlaylist(ctx context.Context, id client.ID, name string) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Playlists.Edit(ctx, id, &client.PlaylistEditOptions{Name: name})
}

// SetPlaylistPublic makes a playlist public or private.
func (c *Core) SetPlaylistPublic(ctx context.Context, id client.ID, public bool) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	typ := client.PlaylistPrivate
	if public {
		typ = client.PlaylistPublic
	}
	return api.Playlists.Edit(ctx, id, &client.PlaylistEditOptions{Type: typ})
}

// DeletePlaylist deletes a playlist.
func (c *Core) DeletePlaylist(ctx context.Context, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Playlists.Delete(ctx, id)
}

// AddToPlaylist appends songs (or an album, artist or playlist's songs
// with typ) to a playlist: playlist_add on API6, playlist_add_song for
// each song before.
func (c *Core) AddToPlaylist(ctx context.Context, playlist client.ID, typ client.ObjectType, ids ...client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if api.APIMajorVersion() >= 6 {
			err = api.Playlists.Add(ctx, playlist, id, typ)
		} else if typ == client.TypeSong {
			err = api.Playlists.AddSong(ctx, playlist, id, false)
		} else {
			err = c.addSongsOf(ctx, api, playlist, typ, id)
		}
		if err != nil {
			return fmt.Errorf("add %s %s: %w", typ, id, err)
		}
	}
	return nil
}

// addSongsOf adds the songs of an album, artist or playlist one by one,
// for servers without playlist_add.
func (c *Core) addSongsOf(ctx context.Context, api *client.Client, playlist client.ID, typ client.ObjectType, id client.ID) error {
	var songs []client.Song
	var err error
	switch typ {
	case client.TypeAlbum:
		_, songs, err = c.Album(ctx, id)
	case client.TypeArtist:
		songs, err = c.ArtistSongs(ctx, id)
	case client.TypePlaylist:
		_, songs, err = c.Playlist(ctx, id)
	default:
		return fmt.Errorf("cannot add a %s to a playlist", typ)
	}
	if err != nil {
		return err
	}
	for _, s := range songs {
		if err := api.Playlists.AddSong(ctx, playlist, s.ID, false); err != nil {
			return err
		}
	}
	return nil
}

// RemoveFromPlaylist removes songs from a playlist.
func (c *Core) RemoveFromPlaylist(ctx context.Context, playlist client.ID, songs ...client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	for _, s := range songs {
		if err := api.Playlists.RemoveSong(ctx, playlist, s); err != nil {
			return fmt.Errorf("remove song %s: %w", s, err)
		}
	}
	return nil
}

// ReorderPlaylist saves a playlist in the order of songs (every song of
// the playlist, each once per entry).
func (c *Core) ReorderPlaylist(ctx context.Context, playlist client.ID, songs []client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	tracks := make([]int, len(songs))
	for i := range songs {
		tracks[i] = i + 1
	}
	return api.Playlists.Edit(ctx, playlist, &client.PlaylistEditOptions{Items: songs, Tracks: tracks})
}

// GeneratePlaylist asks the server for a quick mix of songs.
func (c *Core) GeneratePlaylist(ctx context.Context, opts *client.GenerateOptions) ([]client.Song, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Playlists.Generate(ctx, opts)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}
