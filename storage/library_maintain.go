package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Deletions, recounts, bulk loads and the search index's upkeep.

func queryIDs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Delete deletes objects of a kind by id (with their search rows; an
// album's songs and a podcast's episodes go with it) and returns how many
// were there. Ids that are not cached are ignored.
func (w *Writer) Delete(ctx context.Context, k Kind, ids []int64) (deleted int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.delete(ctx, k, ids)
}

func (w *Writer) delete(ctx context.Context, k Kind, ids []int64) (deleted int, err error) {
	if len(ids) == 0 {
		return 0, nil
	}
	err = w.tx(ctx, func(tx *sql.Tx) error {
		deleted, err = w.deleteIDs(ctx, tx, k, ids)
		return err
	})
	return deleted, err
}

// KeepOnly deletes the objects of a kind whose ids are not in keep (the
// server's full list of ids) and returns how many it deleted.
func (w *Writer) KeepOnly(ctx context.Context, k Kind, keep map[int64]struct{}) (deleted int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := kindTables[k]
	if !ok || k == KindPlaylist {
		return 0, fmt.Errorf("keep only: unknown kind %q", k)
	}
	have, err := queryIDs(ctx, w.conn, `SELECT id FROM `+t.table)
	if err != nil {
		return 0, err
	}
	var drop []int64
	for _, id := range have {
		if _, ok := keep[id]; !ok {
			drop = append(drop, id)
		}
	}
	return w.delete(ctx, k, drop)
}

func (w *Writer) deleteIDs(ctx context.Context, tx *sql.Tx, k Kind, ids []int64) (int, error) {
	t, ok := kindTables[k]
	if !ok || k == KindPlaylist {
		return 0, fmt.Errorf("delete: unknown kind %q", k)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	del, err := tx.PrepareContext(ctx, `DELETE FROM `+t.table+` WHERE id = ?`)
	if err != nil {
		return 0, err
	}
	defer del.Close()
	ftsDel, err := tx.PrepareContext(ctx, `DELETE FROM `+t.fts+` WHERE rowid = ?`)
	if err != nil {
		return 0, err
	}
	defer ftsDel.Close()
	var parents *sql.Stmt
	if k == KindSong {
		if parents, err = tx.PrepareContext(ctx, `SELECT album_id, artist_id, album_artist_id FROM songs WHERE id = ?`); err != nil {
			return 0, err
		}
		defer parents.Close()
	}
	n := 0
	for _, id := range ids {
		if parents != nil {
			var p songParents
			if err := parents.QueryRowContext(ctx, id).Scan(&p.album, &p.artist, &p.albumArtist); err == nil {
				w.touchSong(p)
			}
		}
		res, err := del.ExecContext(ctx, id)
		if err != nil {
			return n, err
		}
		if c, _ := res.RowsAffected(); c == 0 {
			continue
		}
		n++
		if _, err := ftsDel.ExecContext(ctx, id); err != nil {
			return n, err
		}
		switch k {
		case KindAlbum:
			songs, err := queryIDs(ctx, tx, `SELECT id FROM songs WHERE album_id = ?`, id)
			if err != nil {
				return n, err
			}
			if _, err := w.deleteIDs(ctx, tx, KindSong, songs); err != nil {
				return n, err
			}
		case KindPodcast:
			eps, err := queryIDs(ctx, tx, `SELECT id FROM episodes WHERE podcast_id = ?`, id)
			if err != nil {
				return n, err
			}
			if _, err := w.deleteIDs(ctx, tx, KindEpisode, eps); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// bulkTables are the tables whose secondary indexes a bulk load drops,
// and bulkKinds the kinds whose search index it fills without merging.
var (
	bulkTables = []string{"songs", "albums", "artists"}
	bulkKinds  = []Kind{KindSong, KindAlbum, KindArtist}
)

// FTS5's merge settings, and the defaults a bulk load puts back.
const (
	ftsAutomerge   = 4
	ftsCrisismerge = 16
	// bulkCrisismerge is past any number of segments a load writes (FTS5
	// caps it at 1999).
	bulkCrisismerge = 1999
)

// BeginBulk prepares a first load into an empty library: the secondary
// indexes of the songs, albums and artists are dropped, and their search
// indexes stop merging the segments each transaction writes. EndBulk
// makes the indexes again, sorting once, and merges each search index
// into one segment, which is much faster than keeping both up to date row
// by row (and leaves the search index at its fastest). It reports whether
// it did: only when those tables are empty. What a load owes is
// remembered in the database, so an interrupted load is finished when the
// library is next opened.
func (w *Writer) BeginBulk(ctx context.Context) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var rows int
	if err := w.conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM songs) + (SELECT count(*) FROM albums) + (SELECT count(*) FROM artists)`).Scan(&rows); err != nil {
		return false, err
	}
	if rows > 0 {
		return false, nil
	}
	err := w.tx(ctx, func(tx *sql.Tx) error {
		idx, err := secondaryIndexes(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES('bulk.indexes', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strings.Join(idx, ";\n")); err != nil {
			return err
		}
		for _, def := range idx {
			name := strings.Fields(def)[2] // CREATE INDEX name ON ...
			if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+name); err != nil {
				return err
			}
		}
		return setFTSMerge(ctx, tx, 0, bulkCrisismerge)
	})
	if err != nil {
		return false, err
	}
	// The load's own transactions need not reach the disk one by one: a
	// load that a crash cuts short leaves a cache that is not complete
	// (the next sync is a full one again), or one SQLite finds damaged
	// (and the cache starts over). EndBulk makes the whole load durable.
	if _, err := w.conn.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return false, err
	}
	w.bulk, w.bulkSongs = true, map[int64]struct{}{}
	return true, nil
}

// setFTSMerge sets the merge settings of the bulk kinds' search indexes.
func setFTSMerge(ctx context.Context, tx *sql.Tx, automerge, crisismerge int) error {
	for _, k := range bulkKinds {
		t := kindTables[k].fts
		for _, kv := range []struct {
			key string
			val int
		}{{"automerge", automerge}, {"crisismerge", crisismerge}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+`(`+t+`, rank) VALUES(?, ?)`, kv.key, kv.val); err != nil {
				return fmt.Errorf("%s %s: %w", t, kv.key, err)
			}
		}
	}
	return nil
}

// EndBulk finishes what BeginBulk started: the indexes it dropped, the
// search indexes merged, and everything on the disk.
func (w *Writer) EndBulk(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bulk, w.bulkSongs = false, nil
	if _, err := w.conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		return err
	}
	if err := w.tx(ctx, func(tx *sql.Tx) error { return restoreIndexes(ctx, tx) }); err != nil {
		return err
	}
	// A full checkpoint (it waits for readers of older states) copies the
	// whole log into the database file and syncs both, and with them
	// what the load wrote without syncing.
	_, err := w.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(FULL)`)
	return err
}

// secondaryIndexes returns the CREATE INDEX statements of bulkTables.
func secondaryIndexes(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('songs', 'albums', 'artists') ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			return nil, err
		}
		out = append(out, def)
	}
	return out, rows.Err()
}

// restoreIndexes finishes a bulk load (if one is owed): it makes the
// indexes the load dropped, merges its search indexes into one segment
// each and puts their merge settings back.
func restoreIndexes(ctx context.Context, tx *sql.Tx) error {
	var saved string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'bulk.indexes'`).Scan(&saved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, def := range strings.Split(saved, ";\n") {
		if def == "" {
			continue
		}
		def = strings.Replace(def, "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("restore index: %w", err)
		}
	}
	for _, k := range bulkKinds {
		t := kindTables[k].fts
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+t+`(`+t+`) VALUES('optimize')`); err != nil {
			return fmt.Errorf("%s optimize: %w", t, err)
		}
	}
	if err := setFTSMerge(ctx, tx, ftsAutomerge, ftsCrisismerge); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'bulk.indexes'`)
	return err
}

// RecountTouched brings the song counts, lengths and disc counts of the
// albums, and the album and song counts and lengths of the artists, whose
// songs changed in this sync up to date from the cached songs — except
// for those the server sent in this sync, whose numbers are the server's.
func (w *Writer) RecountTouched(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var albums, artists []int64
	for id := range w.touchedAlbums {
		if _, fresh := w.freshAlbums[id]; !fresh {
			albums = append(albums, id)
		}
	}
	for id := range w.touchedArtists {
		if _, fresh := w.freshArtists[id]; !fresh {
			artists = append(artists, id)
		}
	}
	if len(albums) == 0 && len(artists) == 0 {
		return nil
	}
	return w.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range albums {
			if _, err := tx.ExecContext(ctx, `UPDATE albums SET
				song_count = (SELECT count(*) FROM songs WHERE album_id = ?1),
				time = (SELECT coalesce(sum(time), 0) FROM songs WHERE album_id = ?1),
				disc_count = (SELECT max(coalesce(max(disc), 1), 1) FROM songs WHERE album_id = ?1)
				WHERE id = ?1`, id); err != nil {
				return err
			}
		}
		for _, id := range artists {
			if _, err := tx.ExecContext(ctx, `UPDATE artists SET
				album_count = (SELECT count(*) FROM albums WHERE artist_id = ?1),
				song_count = (SELECT count(*) FROM songs WHERE album_artist_id = ?1),
				time = (SELECT coalesce(sum(time), 0) FROM songs WHERE album_artist_id = ?1)
				WHERE id = ?1`, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// RebuildSearch rebuilds the whole search index from the tables, in one
// transaction.
func (w *Writer) RebuildSearch(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tx(ctx, func(tx *sql.Tx) error { return rebuildSearch(ctx, tx) })
}
