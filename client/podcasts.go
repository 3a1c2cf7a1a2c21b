package client

import (
	"context"
	"iter"
)

// PodcastsService reads and manages podcasts and their episodes.
type PodcastsService service

// PodcastListOptions are the parameters of List.
type PodcastListOptions struct {
	Filter  string   `url:"filter,omitempty"`
	Include []string `url:"include,omitempty"` // IncludeEpisodes
	SortOptions
	ListOptions
}

// PodcastOptions are the parameters of Get.
type PodcastOptions struct {
	Include []string `url:"include,omitempty"` // IncludeEpisodes
}

// PodcastEditOptions are the changes Edit makes; empty fields are left
// alone.
type PodcastEditOptions struct {
	Feed        string `url:"feed,omitempty"`
	Title       string `url:"title,omitempty"`
	Website     string `url:"website,omitempty"`
	Description string `url:"description,omitempty"`
	Generator   string `url:"generator,omitempty"`
	Copyright   string `url:"copyright,omitempty"`
}

// List lists podcasts.
func (s *PodcastsService) List(ctx context.Context, opts *PodcastListOptions) (*Page[Podcast], error) {
	req, err := s.client.newRequest(ctx, "podcasts", opts)
	if err != nil {
		return nil, err
	}
	return doList[Podcast](s.client, req, "podcast")
}

// All iterates over every podcast, page by page.
func (s *PodcastsService) All(ctx context.Context, opts *PodcastListOptions) iter.Seq2[Podcast, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Podcast], error) { return s.List(ctx, o) })
}

// Get returns one podcast.
func (s *PodcastsService) Get(ctx context.Context, id ID, opts *PodcastOptions) (*Podcast, error) {
	req, err := s.client.newRequest(ctx, "podcast", opts)
	if err != nil {
		return nil, err
	}
	return doOne[Podcast](s.client, req.set("filter", string(id)), "podcast")
}

// Episodes lists the episodes of a podcast.
func (s *PodcastsService) Episodes(ctx context.Context, podcast ID, opts *ChildListOptions) (*Page[PodcastEpisode], error) {
	req, err := s.client.newRequest(ctx, "podcast_episodes", opts)
	if err != nil {
		return nil, err
	}
	return doList[PodcastEpisode](s.client, req.set("filter", string(podcast)), "podcast_episode")
}

// AllEpisodes iterates over the episodes of a podcast, page by page.
func (s *PodcastsService) AllEpisodes(ctx context.Context, podcast ID, opts *ChildListOptions) iter.Seq2[PodcastEpisode, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[PodcastEpisode], error) {
		return s.Episodes(ctx, podcast, o)
	})
}

// Episode returns one episode.
func (s *PodcastsService) Episode(ctx context.Context, id ID) (*PodcastEpisode, error) {
	req, err := s.client.newRequest(ctx, "podcast_episode", nil)
	if err != nil {
		return nil, err
	}
	return doOne[PodcastEpisode](s.client, req.set("filter", string(id)), "podcast_episode")
}

// Create subscribes the server to a feed, into a podcast catalog. It needs
// catalog manager access (75). The server refuses feeds on loopback or
// private addresses.
func (s *PodcastsService) Create(ctx context.Context, feedURL string, catalog ID) (*Podcast, error) {
	req, err := s.client.newRequest(ctx, "podcast_create", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Podcast](s.client, req.set("url", feedURL).set("catalog", string(catalog)), "podcast")
}

// Edit changes a podcast's details (content manager access, 50).
func (s *PodcastsService) Edit(ctx context.Context, id ID, opts *PodcastEditOptions) error {
	req, err := s.client.newRequest(ctx, "podcast_edit", opts)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// Delete unsubscribes from a podcast (catalog manager access, 75).
func (s *PodcastsService) Delete(ctx context.Context, id ID) error {
	req, err := s.client.newRequest(ctx, "podcast_delete", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// Update makes the server fetch a podcast's feed and download new episodes
// (update_podcast; content manager access, 50).
func (s *PodcastsService) Update(ctx context.Context, id ID) error {
	req, err := s.client.newRequest(ctx, "update_podcast", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// DeleteEpisode deletes an episode.
func (s *PodcastsService) DeleteEpisode(ctx context.Context, id ID) error {
	req, err := s.client.newRequest(ctx, "podcast_episode_delete", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// DeletedEpisodes lists episodes removed from the server (API5+).
func (s *PodcastsService) DeletedEpisodes(ctx context.Context, opts *ListOptions) (*Page[DeletedPodcastEpisode], error) {
	req, err := s.client.newRequest(ctx, "deleted_podcast_episodes", opts)
	if err != nil {
		return nil, err
	}
	return doList[DeletedPodcastEpisode](s.client, req, "deleted_podcast_episode", "deleted_podcast_episodes")
}
