package core

import (
	"context"
	"errors"
	"strings"

	"github.com/ampdesk/ampdesk/client"
)

// ErrNoPodcastCatalog means the server has no catalog to put podcasts in.
var ErrNoPodcastCatalog = errors.New("the server has no podcast catalog: its administrator must add one before podcasts can be subscribed to")

// SubscribePodcast subscribes the server to a feed, in its first podcast
// catalog. It needs catalog manager access on the server; a refusal comes
// back as client.ErrFailedAccessCheck (Explain words it).
func (c *Core) SubscribePodcast(ctx context.Context, feedURL string) (*client.Podcast, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	feedURL = strings.TrimSpace(feedURL)
	if feedURL == "" {
		return nil, errors.New("give the feed's URL")
	}
	cats, err := api.Catalogs.List(ctx, &client.CatalogListOptions{Filter: "podcast"})
	if err != nil {
		return nil, err
	}
	var catalog client.ID
	for _, cat := range cats.Items {
		if cat.GatherTypes == "" || strings.Contains(cat.GatherTypes, "podcast") {
			catalog = cat.ID
			break
		}
	}
	if catalog == "" {
		return nil, ErrNoPodcastCatalog
	}
	return api.Podcasts.Create(ctx, feedURL, catalog)
}

// RefreshPodcast asks the server to fetch a podcast's feed again.
func (c *Core) RefreshPodcast(ctx context.Context, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Podcasts.Update(ctx, id)
}

// DeletePodcast unsubscribes the server from a podcast.
func (c *Core) DeletePodcast(ctx context.Context, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Podcasts.Delete(ctx, id)
}

// DeleteEpisode deletes a podcast episode on the server.
func (c *Core) DeleteEpisode(ctx context.Context, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Podcasts.DeleteEpisode(ctx, id)
}

// Podcast returns a podcast.
func (c *Core) Podcast(ctx context.Context, id client.ID) (*client.Podcast, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Podcasts.Get(ctx, id, nil)
}

// Shares returns the user's public links.
func (c *Core) Shares(ctx context.Context) ([]client.Share, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Shares.List(ctx, nil)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// CreateShare makes a public link to a song, album, playlist or podcast
// episode that expires after days (0: the server's default).
func (c *Core) CreateShare(ctx context.Context, typ client.ObjectType, id client.ID, days int) (*client.Share, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Shares.Create(ctx, id, typ, "", days)
}

// DeleteShare removes a public link.
func (c *Core) DeleteShare(ctx context.Context, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	return api.Shares.Delete(ctx, id)
}

// LiveStreams returns the internet radio stations the server knows.
func (c *Core) LiveStreams(ctx context.Context) ([]client.LiveStream, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Library.LiveStreams(ctx, nil)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// RadioItem makes the Item of a radio station: an endless stream played
// from the station's own URL.
func RadioItem(ls client.LiveStream) Item {
	it := StreamItem(client.TypeLiveStream, ls.ID, ls.Name, ls.URL)
	it.Format = ls.Codec
	return it
}
