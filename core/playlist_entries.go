package core

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ampdesk/ampdesk/client"
)

// PlaylistAddResult says what AddSongsToPlaylist did.
type PlaylistAddResult struct {
	Added   int // entries appended
	Skipped int // songs left out: already in the playlist, or twice in what was added
}

// AddSongsToPlaylist appends the songs of objects (songs, or albums,
// artists, playlists or genres with typ) to a playlist. With
// skipDuplicates, songs already in the playlist, and songs given twice,
// are left out. An album, artist or playlist added whole goes in one
// request per object on API6 servers (playlist_add); otherwise each song
// is added.
func (c *Core) AddSongsToPlaylist(ctx context.Context, playlist client.ID, typ client.ObjectType, ids []client.ID, skipDuplicates bool) (PlaylistAddResult, error) {
	var songs []client.ID
	for _, id := range ids {
		if typ == client.TypeSong {
			songs = append(songs, id)
			continue
		}
		of, err := c.SongsOf(ctx, typ, id)
		if err != nil {
			return PlaylistAddResult{}, err
		}
		for _, s := range of {
			songs = append(songs, s.ID)
		}
	}
	keep := songs
	if skipDuplicates {
		_, have, err := c.Playlist(ctx, playlist)
		if err != nil {
			return PlaylistAddResult{}, err
		}
		seen := make(map[client.ID]bool, len(have)+len(songs))
		for _, s := range have {
			seen[s.ID] = true
		}
		keep = make([]client.ID, 0, len(songs))
		for _, id := range songs {
			if !seen[id] {
				seen[id] = true
				keep = append(keep, id)
			}
		}
	}
	res := PlaylistAddResult{Added: len(keep), Skipped: len(songs) - len(keep)}
	if len(keep) == 0 {
		return res, nil
	}
	whole := len(keep) == len(songs) &&
		(typ == client.TypeAlbum || typ == client.TypeArtist || typ == client.TypePlaylist && !hasSmartlist(ids))
	if whole {
		return res, c.AddToPlaylist(ctx, playlist, typ, ids...)
	}
	return res, c.AddToPlaylist(ctx, playlist, client.TypeSong, keep...)
}

// hasSmartlist reports whether ids name a smartlist, which playlist_add
// cannot take whole (its songs are added one by one).
func hasSmartlist(ids []client.ID) bool {
	return slices.ContainsFunc(ids, func(id client.ID) bool { return strings.HasPrefix(string(id), client.SmartlistPrefix) })
}

// RemovePlaylistEntries removes the entries at positions (1-based, as
// listed by Playlist) from a playlist, the last first so that the
// positions still to remove do not move. A song the playlist holds twice
// loses only the entry asked for.
func (c *Core) RemovePlaylistEntries(ctx context.Context, playlist client.ID, positions ...int) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	ps := slices.Clone(positions)
	slices.Sort(ps)
	ps = slices.Compact(ps)
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i] < 1 {
			return fmt.Errorf("remove playlist entry %d: positions start at 1", ps[i])
		}
		if err := api.Playlists.RemoveTrack(ctx, playlist, ps[i]); err != nil {
			return fmt.Errorf("remove entry %d: %w", ps[i], err)
		}
	}
	return nil
}
