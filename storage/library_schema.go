package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// migrations[i] takes the library schema from version i to i+1. Never
// edit a released step: add a new one.
//
// Object ids are the server's (integers for everything but playlists,
// whose ids may be "smart_N"). sort_key is the name folded for ordering
// and filtering (see Fold). Rarely used fields travel in extra, a compact
// binary record (see library_extra.go), which keeps rows narrow and writes
// fast. genre_ids is ",3,17," so a genre's objects are found with instr.
var migrations = []migration{
	// 1: the music library and the sync state.
	{sql: []string{
		`CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
		`CREATE TABLE artists(
			id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL,
			album_count INTEGER NOT NULL, song_count INTEGER NOT NULL, time INTEGER NOT NULL,
			has_art INTEGER NOT NULL, flag INTEGER NOT NULL, rating INTEGER,
			genre_ids TEXT NOT NULL, genre_names TEXT NOT NULL, extra BLOB)`,
		`CREATE INDEX artists_sort ON artists(sort_key)`,
		`CREATE TABLE albums(
			id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL,
			artist_id INTEGER NOT NULL, artist_name TEXT NOT NULL, year INTEGER NOT NULL,
			song_count INTEGER NOT NULL, disc_count INTEGER NOT NULL, time INTEGER NOT NULL,
			has_art INTEGER NOT NULL, flag INTEGER NOT NULL, rating INTEGER,
			genre_ids TEXT NOT NULL, genre_names TEXT NOT NULL, extra BLOB)`,
		`CREATE INDEX albums_sort ON albums(sort_key)`,
		`CREATE INDEX albums_artist ON albums(artist_id)`,
		`CREATE TABLE songs(
			id INTEGER PRIMARY KEY, title TEXT NOT NULL, sort_key TEXT NOT NULL,
			artist_id INTEGER NOT NULL, artist_name TEXT NOT NULL,
			album_id INTEGER NOT NULL, album_name TEXT NOT NULL,
			album_artist_id INTEGER NOT NULL, album_artist_name TEXT NOT NULL,
			disc INTEGER NOT NULL, track INTEGER NOT NULL, time INTEGER NOT NULL, year INTEGER NOT NULL,
			format TEXT NOT NULL, size INTEGER NOT NULL, bitrate INTEGER NOT NULL,
			has_art INTEGER NOT NULL, flag INTEGER NOT NULL, rating INTEGER, playcount INTEGER NOT NULL,
			genre_ids TEXT NOT NULL, genre_names TEXT NOT NULL, extra BLOB)`,
		`CREATE INDEX songs_sort ON songs(sort_key)`,
		`CREATE INDEX songs_album ON songs(album_id, disc, track)`,
		`CREATE INDEX songs_artist ON songs(artist_id)`,
		`CREATE INDEX songs_album_artist ON songs(album_artist_id)`,
		`CREATE TABLE genres(
			id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL,
			albums INTEGER NOT NULL, artists INTEGER NOT NULL, songs INTEGER NOT NULL,
			videos INTEGER NOT NULL, playlists INTEGER NOT NULL, live_streams INTEGER NOT NULL,
			hidden INTEGER NOT NULL)`,
	}},
	// 2: playlists and podcasts.
	{sql: []string{
		`CREATE TABLE playlists(
			id TEXT PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL, owner TEXT NOT NULL,
			items INTEGER NOT NULL, type TEXT NOT NULL, smart INTEGER NOT NULL,
			has_access INTEGER NOT NULL, has_collaborate INTEGER NOT NULL, has_art INTEGER NOT NULL,
			flag INTEGER NOT NULL, rating INTEGER, md5 TEXT NOT NULL, last_update INTEGER NOT NULL,
			songs_known INTEGER NOT NULL, extra BLOB)`,
		`CREATE INDEX playlists_sort ON playlists(sort_key)`,
		`CREATE TABLE playlist_songs(
			playlist_id TEXT NOT NULL, pos INTEGER NOT NULL, song_id INTEGER NOT NULL,
			PRIMARY KEY(playlist_id, pos)) WITHOUT ROWID`,
		`CREATE TABLE podcasts(
			id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL,
			feed_url TEXT NOT NULL, build_date INTEGER NOT NULL, sync_date INTEGER NOT NULL,
			has_art INTEGER NOT NULL, flag INTEGER NOT NULL, rating INTEGER,
			episodes_known INTEGER NOT NULL, extra BLOB)`,
		`CREATE INDEX podcasts_sort ON podcasts(sort_key)`,
		`CREATE TABLE episodes(
			id INTEGER PRIMARY KEY, podcast_id INTEGER NOT NULL, podcast_name TEXT NOT NULL,
			title TEXT NOT NULL, pubdate INTEGER NOT NULL, time INTEGER NOT NULL, size INTEGER NOT NULL,
			state TEXT NOT NULL, has_art INTEGER NOT NULL, flag INTEGER NOT NULL, rating INTEGER,
			playcount INTEGER NOT NULL, played INTEGER NOT NULL, extra BLOB)`,
		`CREATE INDEX episodes_podcast ON episodes(podcast_id, pubdate)`,
	}},
	// 3: full-text search. Contentless FTS5 tables keyed by the object's
	// rowid; "name" holds the object's own name, "other" what else it is
	// found by (artist, album, genres, podcast), both folded by Fold
	// (unicode61 alone keeps æ, ø, ß, ł...). unicode61 with
	// remove_diacritics 2 then folds what Fold leaves; prefix indexes make
	// short prefixes fast. The index is filled from the rows already there.
	{sql: []string{
		ftsCreate("songs_fts"),
		ftsCreate("albums_fts"),
		ftsCreate("artists_fts"),
		ftsCreate("genres_fts"),
		ftsCreate("playlists_fts"),
		ftsCreate("podcasts_fts"),
		ftsCreate("episodes_fts"),
	}, fn: rebuildSearch},
}

// migration is one step of the schema: statements, then Go code.
type migration struct {
	sql []string
	fn  func(ctx context.Context, tx *sql.Tx) error
}

func ftsCreate(table string) string {
	return `CREATE VIRTUAL TABLE ` + table + ` USING fts5(name, other, content='', contentless_delete=1,
		tokenize="unicode61 remove_diacritics 2", prefix='1 2 3')`
}

// searchSources are the documents of the search index: for each index,
// the row key, the object's name and the other text it is found by (the
// same text the writers index row by row).
var searchSources = []struct{ fts, query string }{
	{"songs_fts", `SELECT id, title, artist_name || ' ' || album_name || ' ' ||
		CASE WHEN album_artist_name = artist_name THEN '' ELSE album_artist_name END || ' ' || genre_names FROM songs`},
	{"albums_fts", `SELECT id, name, artist_name || ' ' || genre_names FROM albums`},
	{"artists_fts", `SELECT id, name, '' FROM artists`},
	{"genres_fts", `SELECT id, name, '' FROM genres`},
	{"playlists_fts", `SELECT rowid, name, '' FROM playlists`},
	{"podcasts_fts", `SELECT id, name, '' FROM podcasts`},
	{"episodes_fts", `SELECT id, title, podcast_name FROM episodes`},
}

// rebuildSearch empties the search index and fills it from the tables.
func rebuildSearch(ctx context.Context, tx *sql.Tx) error {
	type doc struct {
		id          int64
		name, other string
	}
	rctx := rowContext(ctx)
	for _, src := range searchSources {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+src.fts+`(`+src.fts+`) VALUES('delete-all')`); err != nil {
			return fmt.Errorf("clear %s: %w", src.fts, err)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO `+src.fts+`(rowid, name, other) VALUES(?, ?, ?)`)
		if err != nil {
			return err
		}
		key := "id"
		if src.fts == "playlists_fts" {
			key = "rowid"
		}
		// Read a chunk, then write it, so no read is open during writes.
		const chunk = 5000
		last := int64(math.MinInt64)
		docs := make([]doc, 0, chunk)
		for {
			docs = docs[:0]
			rows, err := tx.QueryContext(ctx, src.query+` WHERE `+key+` > ? ORDER BY `+key+` LIMIT ?`, last, chunk)
			if err != nil {
				ins.Close()
				return err
			}
			for rows.Next() {
				var d doc
				if err := rows.Scan(&d.id, &d.name, &d.other); err != nil {
					rows.Close()
					ins.Close()
					return err
				}
				docs = append(docs, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				ins.Close()
				return err
			}
			for _, d := range docs {
				if _, err := ins.ExecContext(rctx, d.id, Fold(d.name), Fold(d.other)); err != nil {
					ins.Close()
					return fmt.Errorf("fill %s: %w", src.fts, err)
				}
			}
			if len(docs) < chunk {
				break
			}
			last = docs[len(docs)-1].id
		}
		ins.Close()
	}
	return nil
}
