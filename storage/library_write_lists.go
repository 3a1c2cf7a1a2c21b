package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// The writes of playlists and podcasts.

// PutPlaylist writes a playlist and, when songs is not nil, replaces its
// songs (ids in playlist order). It reports whether anything changed.
func (w *Writer) PutPlaylist(ctx context.Context, p Playlist, songs []int64) (changed bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	err = w.tx(ctx, func(tx *sql.Tx) error {
		var oldKnown int64
		var oldName string
		var rowid int64
		err := tx.QueryRowContext(ctx, `SELECT rowid, name, songs_known FROM playlists WHERE id = ?`, p.ID).Scan(&rowid, &oldName, &oldKnown)
		existed := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		known := oldKnown
		if songs != nil {
			known = 1
		}
		res, err := tx.ExecContext(ctx, upsertSQL("playlists", "id", playlistCols),
			p.ID, p.Name, Fold(p.Name), p.Owner, int64(p.Items), p.Type, b2i(p.Smart), b2i(p.HasAccess),
			b2i(p.HasCollaborate), b2i(p.HasArt), b2i(p.Flag), rating(p.Rating), p.MD5, unixNano(p.LastUpdate), known, p.extra())
		if err != nil {
			return fmt.Errorf("playlist %s: %w", p.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			changed = true
		}
		if !existed || oldName != p.Name {
			if err := tx.QueryRowContext(ctx, `SELECT rowid FROM playlists WHERE id = ?`, p.ID).Scan(&rowid); err != nil {
				return err
			}
			if existed {
				if _, err := tx.ExecContext(ctx, `DELETE FROM playlists_fts WHERE rowid = ?`, rowid); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO playlists_fts(rowid, name, other) VALUES(?, ?, '')`, rowid, Fold(p.Name)); err != nil {
				return err
			}
		}
		if songs == nil {
			return nil
		}
		var old []int64
		rows, err := tx.QueryContext(ctx, `SELECT song_id FROM playlist_songs WHERE playlist_id = ? ORDER BY pos`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			old = append(old, id)
		}
		rows.Close()
		if slices.Equal(old, songs) {
			return nil
		}
		changed = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM playlist_songs WHERE playlist_id = ?`, p.ID); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO playlist_songs(playlist_id, pos, song_id) VALUES(?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, id := range songs {
			if _, err := st.ExecContext(ctx, p.ID, int64(i+1), id); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// DeletePlaylistsExcept deletes the playlists whose ids are not in keep.
func (w *Writer) DeletePlaylistsExcept(ctx context.Context, keep []string) (deleted int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	set := make(map[string]bool, len(keep))
	for _, id := range keep {
		set[id] = true
	}
	err = w.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, id FROM playlists`)
		if err != nil {
			return err
		}
		type gone struct {
			rowid int64
			id    string
		}
		var drop []gone
		for rows.Next() {
			var g gone
			if err := rows.Scan(&g.rowid, &g.id); err != nil {
				rows.Close()
				return err
			}
			if !set[g.id] {
				drop = append(drop, g)
			}
		}
		rows.Close()
		for _, g := range drop {
			for _, q := range []string{`DELETE FROM playlists WHERE id = ?`, `DELETE FROM playlist_songs WHERE playlist_id = ?`} {
				if _, err := tx.ExecContext(ctx, q, g.id); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM playlists_fts WHERE rowid = ?`, g.rowid); err != nil {
				return err
			}
		}
		deleted = len(drop)
		return nil
	})
	return deleted, err
}

// PutPodcasts writes podcasts and returns how many rows changed.
func (w *Writer) PutPodcasts(ctx context.Context, podcasts []Podcast) (changed int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	err = w.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, podcastUpsert)
		if err != nil {
			return err
		}
		defer st.Close()
		fts, err := w.ftsFor(ctx, tx, KindPodcast)
		if err != nil {
			return err
		}
		defer fts.close()
		for i := range podcasts {
			p := &podcasts[i]
			var known int64
			if err := tx.QueryRowContext(ctx, `SELECT episodes_known FROM podcasts WHERE id = ?`, p.ID).Scan(&known); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			res, err := st.ExecContext(ctx, p.ID, p.Name, Fold(p.Name), p.FeedURL, unixNano(p.BuildDate), unixNano(p.SyncDate),
				b2i(p.HasArt), b2i(p.Flag), rating(p.Rating), known, p.extra())
			if err != nil {
				return fmt.Errorf("podcast %d: %w", p.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(ctx, p.ID, p.Name, "", true); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}

// PutEpisodes writes a podcast's episodes. With all set they are every
// episode of the podcast: the others are deleted and the podcast's
// episodes count as known.
func (w *Writer) PutEpisodes(ctx context.Context, podcast int64, eps []Episode, all bool) (changed, deleted int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	err = w.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, episodeUpsert)
		if err != nil {
			return err
		}
		defer st.Close()
		fts, err := w.ftsFor(ctx, tx, KindEpisode)
		if err != nil {
			return err
		}
		defer fts.close()
		keep := make(map[int64]bool, len(eps))
		for i := range eps {
			e := &eps[i]
			keep[e.ID] = true
			res, err := st.ExecContext(ctx, e.ID, podcast, e.PodcastName, e.Title, unixNano(e.PubDate), int64(e.Time), e.Size,
				e.State, b2i(e.HasArt), b2i(e.Flag), rating(e.Rating), int64(e.PlayCount), b2i(e.Played), e.extra())
			if err != nil {
				return fmt.Errorf("episode %d: %w", e.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(ctx, e.ID, e.Title, e.PodcastName, true); err != nil {
					return err
				}
			}
		}
		if !all {
			return nil
		}
		ids, err := queryIDs(ctx, tx, `SELECT id FROM episodes WHERE podcast_id = ?`, podcast)
		if err != nil {
			return err
		}
		var drop []int64
		for _, id := range ids {
			if !keep[id] {
				drop = append(drop, id)
			}
		}
		if deleted, err = w.deleteIDs(ctx, tx, KindEpisode, drop); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE podcasts SET episodes_known = 1 WHERE id = ?`, podcast)
		return err
	})
	return changed, deleted, err
}
