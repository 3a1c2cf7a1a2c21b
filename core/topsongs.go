package core

import (
	"context"

	"github.com/ampdesk/ampdesk/client"
)

// TopSongs returns an artist's most played songs, at most limit (the
// server keeps 50 at most); servers that do not rank them return the
// artist's first songs.
func (c *Core) TopSongs(ctx context.Context, artist client.ID, limit int) ([]client.Song, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Library.ArtistSongs(ctx, artist, &client.ArtistSongsOptions{Top50: true, ListOptions: client.ListOptions{Limit: limit}})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}
