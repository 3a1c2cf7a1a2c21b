package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/ampdesk/ampdesk/client"
)

// Bookmarks returns every bookmark of the user, with the bookmarked
// objects embedded.
func (c *Core) Bookmarks(ctx context.Context) ([]client.Bookmark, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Bookmarks.List(ctx, &client.BookmarkListOptions{Include: true})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// ErrNoBookmark means the object has no bookmark on the server.
var ErrNoBookmark = errors.New("no bookmark saved for this item")

// Bookmark returns the newest bookmark of an object; ErrNoBookmark when
// there is none.
func (c *Core) Bookmark(ctx context.Context, typ client.ObjectType, id client.ID) (*client.Bookmark, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	bm, err := api.Bookmarks.ForObject(ctx, id, typ, nil)
	if errors.Is(err, client.ErrNotFound) || (err == nil && bm == nil) {
		return nil, ErrNoBookmark
	}
	return bm, err
}

// ClientName is the agent name Ampdesk records with bookmarks and plays.
const ClientName = client.DefaultClientName

// SetBookmark saves a position in an object: it edits the bookmark when
// there is one, else creates it.
func (c *Core) SetBookmark(ctx context.Context, typ client.ObjectType, id client.ID, positionSeconds int) (*client.Bookmark, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	opts := &client.BookmarkWriteOptions{Client: ClientName}
	bm, err := api.Bookmarks.Edit(ctx, id, typ, positionSeconds, opts)
	if err == nil {
		return bm, nil
	}
	if !errors.Is(err, client.ErrNotFound) && !errors.Is(err, client.ErrCommandFailed) {
		return nil, err
	}
	return api.Bookmarks.Create(ctx, id, typ, positionSeconds, opts)
}

// DeleteBookmark removes the bookmark of an object.
func (c *Core) DeleteBookmark(ctx context.Context, typ client.ObjectType, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Bookmarks.Delete(ctx, id, typ, "")
}

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
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return collect(api.Podcasts.All(ctx, nil))
}

// Episodes returns a podcast's episodes.
func (c *Core) Episodes(ctx context.Context, podcast client.ID) ([]client.PodcastEpisode, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return collect(api.Podcasts.AllEpisodes(ctx, podcast, nil))
}

// Episode returns one podcast episode.
func (c *Core) Episode(ctx context.Context, id client.ID) (*client.PodcastEpisode, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Podcasts.Episode(ctx, id)
}
