package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// The playlist and podcast steps of a sync, after the music library.

// playlistsAndPodcasts brings playlists (and their songs) and podcasts
// (and their episodes) up to date. Playlists whose md5, update time or
// size changed get their songs again; smartlists when the library
// changed; podcasts whose feed was synced again get their episodes.
func (sy *syncer) playlistsAndPodcasts(ctx context.Context, libraryChanged bool) error {
	if err := sy.playlists(ctx, libraryChanged); err != nil {
		return err
	}
	return sy.podcasts(ctx)
}

func (sy *syncer) playlists(ctx context.Context, libraryChanged bool) error {
	var lists []client.Playlist
	err := fetchPages(ctx, sy.sem, sy.size, 0, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Playlist], error) {
		return sy.api.Playlists.List(ctx, &client.PlaylistListOptions{ListOptions: lo})
	}, func(p *client.Playlist) client.ID { return p.ID }, func(items []client.Playlist) error {
		lists = append(lists, items...)
		return nil
	})
	if err != nil {
		return err
	}
	cached, err := sy.lib.Playlists(ctx)
	if err != nil {
		return err
	}
	old := make(map[string]storage.PlaylistEntry, len(cached))
	for _, p := range cached {
		old[p.ID] = p
	}
	api6 := sy.api.APIMajorVersion() >= 6
	var stale []int
	ids := make([]string, 0, len(lists))
	for i := range lists {
		p := &lists[i]
		ids = append(ids, string(p.ID))
		if api6 && p.MD5 == "" && !bool(p.Smart) && int(p.Items) > 0 {
			// No md5 in the list: ask for the playlist's hash.
			if h, err := request(ctx, sy.sem, func(ctx context.Context) (string, error) { return sy.api.Playlists.Hash(ctx, p.ID) }); err == nil {
				p.MD5 = h
			}
		}
		o, known := old[string(p.ID)]
		need := sy.full || !known || !o.SongsKnown || o.MD5 != p.MD5 || !o.LastUpdate.Equal(p.LastUpdate.Time) ||
			o.Items != int(p.Items) || (bool(p.Smart) && libraryChanged)
		if need {
			stale = append(stale, i)
			continue
		}
		if changed, err := sy.w.PutPlaylist(ctx, playlistRecord(p), nil); err != nil {
			return err
		} else if changed {
			sy.changed++
		}
	}
	if len(stale) > 0 {
		songsOf, err := sy.playlistSongs(ctx, lists, stale, api6)
		if err != nil {
			return err
		}
		for _, i := range stale {
			p := &lists[i]
			songs := songsOf[string(p.ID)]
			if songs == nil {
				songs = []int64{}
			}
			changed, err := sy.w.PutPlaylist(ctx, playlistRecord(p), songs)
			if err != nil {
				return err
			}
			if changed {
				sy.changed++
			}
			sy.done++
		}
	}
	n, err := sy.w.DeletePlaylistsExcept(ctx, ids)
	sy.deleted += n
	sy.progress("playlists", true)
	return err
}

// playlistSongs fetches the song ids of the stale playlists: on API6 one
// index of every playlist with its songs, else each playlist's songs.
func (sy *syncer) playlistSongs(ctx context.Context, lists []client.Playlist, stale []int, api6 bool) (map[string][]int64, error) {
	out := map[string][]int64{}
	if api6 {
		err := fetchPages(ctx, sy.sem, sy.size, 0, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.IndexParent], error) {
			return sy.api.Library.IndexTree(ctx, client.TypePlaylist, &client.IndexOptions{ListOptions: lo})
		}, func(p *client.IndexParent) client.ID { return p.ID }, func(items []client.IndexParent) error {
			for _, parent := range items {
				ids := make([]int64, 0, len(parent.Children))
				for _, ch := range parent.Children {
					if id, err := numID(ch.ID); err == nil && (ch.Type == "" || ch.Type == string(client.TypeSong)) {
						ids = append(ids, id)
					}
				}
				out[string(parent.ID)] = ids
			}
			return nil
		})
		if err == nil {
			return out, nil
		}
		if !errors.Is(err, client.ErrBadRequest) && !errors.Is(err, client.ErrMissingMethod) {
			return nil, err
		}
		// This server does not index playlists: ask each one.
	}
	for _, i := range stale {
		p := lists[i]
		var ids []int64
		for s, err := range sy.api.Playlists.AllSongs(ctx, p.ID, &client.PlaylistSongsOptions{ListOptions: client.ListOptions{Limit: sy.size}}) {
			if err != nil {
				return nil, fmt.Errorf("playlist %s: %w", p.ID, err)
			}
			if id, err := numID(s.ID); err == nil {
				ids = append(ids, id)
			}
		}
		out[string(p.ID)] = ids
	}
	return out, nil
}

func (sy *syncer) podcasts(ctx context.Context) error {
	var pods []client.Podcast
	err := fetchPages(ctx, sy.sem, sy.size, 0, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Podcast], error) {
		return sy.api.Podcasts.List(ctx, &client.PodcastListOptions{ListOptions: lo})
	}, func(p *client.Podcast) client.ID { return p.ID }, func(items []client.Podcast) error {
		pods = append(pods, items...)
		return nil
	})
	if errors.Is(err, client.ErrAccessDenied) {
		return nil // podcasts are switched off on this server
	}
	if err != nil {
		return err
	}
	cached, err := sy.lib.Podcasts(ctx)
	if err != nil {
		return err
	}
	old := make(map[int64]storage.PodcastEntry, len(cached))
	for _, p := range cached {
		old[p.ID] = p
	}
	recs, err := convertAll(pods, podcastRecord)
	if err != nil {
		return err
	}
	n, err := sy.w.PutPodcasts(ctx, recs)
	if err != nil {
		return err
	}
	sy.changed += n
	keep := map[int64]struct{}{}
	for _, rec := range recs {
		keep[rec.ID] = struct{}{}
		o, known := old[rec.ID]
		if !sy.full && known && o.EpisodesKnown && o.SyncDate.Equal(rec.SyncDate) && o.BuildDate.Equal(rec.BuildDate) {
			continue
		}
		var eps []storage.Episode
		for e, err := range sy.api.Podcasts.AllEpisodes(ctx, cid(rec.ID), &client.ChildListOptions{ListOptions: client.ListOptions{Limit: sy.size}}) {
			if err != nil {
				return fmt.Errorf("podcast %d: %w", rec.ID, err)
			}
			er, err := episodeRecord(&e, rec)
			if err != nil {
				return err
			}
			eps = append(eps, er)
		}
		changed, deleted, err := sy.w.PutEpisodes(ctx, rec.ID, eps, true)
		if err != nil {
			return err
		}
		sy.changed += changed
		sy.deleted += deleted
		sy.done += len(eps)
		sy.progress("podcasts", false)
	}
	if sy.api.APIMajorVersion() >= 5 && !sy.full {
		gone, err := allPages(ctx, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.DeletedPodcastEpisode], error) {
			return sy.api.Podcasts.DeletedEpisodes(ctx, &lo)
		})
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(gone))
		for _, d := range gone {
			if id, err := numID(d.ID); err == nil {
				ids = append(ids, id)
			}
		}
		n, err := sy.w.Delete(ctx, storage.KindEpisode, ids)
		if err != nil {
			return err
		}
		sy.deleted += n
	}
	n, err = sy.w.KeepOnly(ctx, storage.KindPodcast, keep)
	sy.deleted += n
	sy.progress("podcasts", true)
	return err
}
