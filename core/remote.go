package core

import (
	"context"
	"fmt"

	"github.com/ampdesk/ampdesk/client"
)

// LocalplayStatus returns the state of the server's own player.
func (c *Core) LocalplayStatus(ctx context.Context) (*client.LocalplayStatus, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Localplay.Status(ctx)
}

// LocalplaySongs returns the queue of the server's player.
func (c *Core) LocalplaySongs(ctx context.Context) ([]client.LocalplaySong, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Localplay.Songs(ctx)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// LocalplayCommand runs a plain command (play, pause, stop, next, prev,
// volume_up, volume_down, volume_mute, delete_all) on the server's player.
func (c *Core) LocalplayCommand(ctx context.Context, cmd client.LocalplayCommand) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Localplay.Command(ctx, cmd)
}

// LocalplaySkipTo jumps to an entry of the server player's queue.
func (c *Core) LocalplaySkipTo(ctx context.Context, track int) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Localplay.SkipTo(ctx, track)
}

// LocalplayAdd sends objects to the server's player; with clear it
// replaces the queue, else appends.
func (c *Core) LocalplayAdd(ctx context.Context, typ client.ObjectType, clear bool, ids ...client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	for i, id := range ids {
		if err := api.Localplay.Add(ctx, id, typ, &client.LocalplayAddOptions{Clear: clear && i == 0}); err != nil {
			return fmt.Errorf("add %s %s: %w", typ, id, err)
		}
	}
	return nil
}

// DemocraticQueue returns the democratic playlist in the order the server
// plays it, with votes.
func (c *Core) DemocraticQueue(ctx context.Context) ([]client.DemocraticSong, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Democratic.Playlist(ctx)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Vote adds the user's vote for a song in the democratic queue; Devote
// removes it.
func (c *Core) Vote(ctx context.Context, song client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Democratic.Vote(ctx, song)
}

func (c *Core) Devote(ctx context.Context, song client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Democratic.Devote(ctx, song)
}

// DemocraticPlayURL returns the URL that streams the democratic queue.
func (c *Core) DemocraticPlayURL(ctx context.Context) (string, error) {
	api, err := c.api()
	if err != nil {
		return "", err
	}
	return api.Democratic.PlayURL(ctx)
}

// Podcasts returns the subscribed podcasts.
func (c *Core) Podcasts(ctx context.Context) ([]client.Podcast, error) {
	if c.isOffline() {
		return c.podcastsFromCache(ctx)
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return collect(api.Podcasts.All(ctx, nil))
}

// Episodes returns a podcast's episodes.
func (c *Core) Episodes(ctx context.Context, podcast client.ID) ([]client.PodcastEpisode, error) {
	if c.isOffline() {
		return c.episodesFromCache(ctx, podcast)
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return collect(api.Podcasts.AllEpisodes(ctx, podcast, nil))
}

// Episode returns one podcast episode.
func (c *Core) Episode(ctx context.Context, id client.ID) (*client.PodcastEpisode, error) {
	if c.isOffline() {
		return c.episodeFromCache(ctx, id)
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Podcasts.Episode(ctx, id)
}
