package core

import (
	"context"
	"fmt"

	"github.com/ampdesk/ampdesk/client"
)

// SongsOf returns the songs an object stands for, in its order: a song
// itself, an album's tracks, an artist's songs, a playlist's entries or a
// genre's songs. Faces use it for "play", "play next" and "add to queue"
// on anything.
func (c *Core) SongsOf(ctx context.Context, typ client.ObjectType, id client.ID) ([]client.Song, error) {
	switch typ {
	case client.TypeSong:
		s, err := c.Song(ctx, id)
		if err != nil {
			return nil, err
		}
		return []client.Song{*s}, nil
	case client.TypeAlbum:
		_, songs, err := c.Album(ctx, id)
		return songs, err
	case client.TypeArtist, client.TypeAlbumArtist, client.TypeSongArtist:
		return c.ArtistSongs(ctx, id)
	case client.TypePlaylist, client.TypeSearch:
		_, songs, err := c.Playlist(ctx, id)
		return songs, err
	case client.TypeGenre:
		api, err := c.api()
		if err != nil {
			return nil, err
		}
		return allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
			return api.Library.GenreSongs(ctx, id, &client.ChildListOptions{ListOptions: lo})
		})
	}
	return nil, fmt.Errorf("a %s has no songs to play", typ)
}

// SongItems makes the Items of songs.
func SongItems(songs []client.Song) []Item {
	items := make([]Item, len(songs))
	for i, s := range songs {
		items[i] = SongItem(s)
	}
	return items
}
