package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Kind names a table of the library.
type Kind string

// The kinds of objects the library holds.
const (
	KindArtist   Kind = "artist"
	KindAlbum    Kind = "album"
	KindSong     Kind = "song"
	KindGenre    Kind = "genre"
	KindPlaylist Kind = "playlist"
	KindPodcast  Kind = "podcast"
	KindEpisode  Kind = "podcast_episode"
)

var kindTables = map[Kind]struct{ table, fts string }{
	KindArtist:   {"artists", "artists_fts"},
	KindAlbum:    {"albums", "albums_fts"},
	KindSong:     {"songs", "songs_fts"},
	KindGenre:    {"genres", "genres_fts"},
	KindPodcast:  {"podcasts", "podcasts_fts"},
	KindEpisode:  {"episodes", "episodes_fts"},
	KindPlaylist: {"playlists", "playlists_fts"},
}

// Writer writes one sync into the library: each Put is one transaction
// with prepared statements, on one connection of its own. Readers keep
// reading the last committed state meanwhile. A Writer is used by one
// goroutine; Close it when done.
type Writer struct {
	l     *Library
	conn  *sql.Conn
	index bool // keep the search index up to date row by row
	bulk  bool // a first load into empty tables (see BeginBulk)

	// Albums and artists whose songs changed, and those the server sent
	// in this sync (whose counts are the server's): see RecountTouched.
	touchedAlbums, touchedArtists map[int64]struct{}
	freshAlbums, freshArtists     map[int64]struct{}
}

// Writer starts writing a sync. With index set, every Put keeps the
// search index up to date as it goes (only rows that changed cost
// anything); without it the caller rebuilds the index once at the end
// with RebuildSearch. For a first load into an empty library, BeginBulk
// makes the writes much cheaper.
func (l *Library) Writer(ctx context.Context, index bool) (*Writer, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &Writer{l: l, conn: conn, index: index,
		touchedAlbums: map[int64]struct{}{}, touchedArtists: map[int64]struct{}{},
		freshAlbums: map[int64]struct{}{}, freshArtists: map[int64]struct{}{}}, nil
}

// Close releases the writer's connection.
func (w *Writer) Close() error {
	w.conn.ExecContext(context.Background(), `PRAGMA shrink_memory`)
	return w.conn.Close()
}

// tx runs fn in one transaction.
func (w *Writer) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// upsertSQL inserts a row or updates it when any column differs (so that
// RowsAffected tells a change from a rewrite of the same values).
func upsertSQL(table, key string, cols []string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES(")
	b.WriteString(strings.Repeat("?, ", len(cols)-1) + "?)")
	b.WriteString(" ON CONFLICT(" + key + ") DO UPDATE SET ")
	var old, neu []string
	for i, c := range cols {
		if c == key {
			continue
		}
		if len(old) > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
		old = append(old, table+"."+c)
		neu = append(neu, "excluded."+c)
		_ = i
	}
	b.WriteString(" WHERE (" + strings.Join(old, ", ") + ") IS NOT (" + strings.Join(neu, ", ") + ")")
	return b.String()
}

var (
	songCols = []string{"id", "title", "sort_key", "artist_id", "artist_name", "album_id", "album_name",
		"album_artist_id", "album_artist_name", "disc", "track", "time", "year", "format", "size", "bitrate",
		"has_art", "flag", "rating", "playcount", "genre_ids", "genre_names", "extra"}
	albumCols = []string{"id", "name", "sort_key", "artist_id", "artist_name", "year", "song_count", "disc_count",
		"time", "has_art", "flag", "rating", "genre_ids", "genre_names", "extra"}
	artistCols = []string{"id", "name", "sort_key", "album_count", "song_count", "time", "has_art", "flag", "rating",
		"genre_ids", "genre_names", "extra"}
	genreCols = []string{"id", "name", "sort_key", "albums", "artists", "songs", "videos", "playlists",
		"live_streams", "hidden"}
	playlistCols = []string{"id", "name", "sort_key", "owner", "items", "type", "smart", "has_access",
		"has_collaborate", "has_art", "flag", "rating", "md5", "last_update", "songs_known", "extra"}
	podcastCols = []string{"id", "name", "sort_key", "feed_url", "build_date", "sync_date", "has_art", "flag",
		"rating", "episodes_known", "extra"}
	episodeCols = []string{"id", "podcast_id", "podcast_name", "title", "pubdate", "time", "size", "state",
		"has_art", "flag", "rating", "playcount", "played", "extra"}

	songUpsert    = upsertSQL("songs", "id", songCols)
	albumUpsert   = upsertSQL("albums", "id", albumCols)
	artistUpsert  = upsertSQL("artists", "id", artistCols)
	genreUpsert   = upsertSQL("genres", "id", genreCols)
	podcastUpsert = upsertSQL("podcasts", "id", podcastCols)
	episodeUpsert = upsertSQL("episodes", "id", episodeCols)
)

func rating(r *int) any {
	if r == nil {
		return nil
	}
	return int64(*r)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// ftsWriter keeps one kind's search index rows in step with its table.
type ftsWriter struct {
	del, ins *sql.Stmt
}

func (w *Writer) ftsFor(ctx context.Context, tx *sql.Tx, k Kind) (*ftsWriter, error) {
	if !w.index {
		return nil, nil
	}
	t := kindTables[k].fts
	del, err := tx.PrepareContext(ctx, `DELETE FROM `+t+` WHERE rowid = ?`)
	if err != nil {
		return nil, err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO `+t+`(rowid, name, other) VALUES(?, ?, ?)`)
	if err != nil {
		del.Close()
		return nil, err
	}
	return &ftsWriter{del: del, ins: ins}, nil
}

func (f *ftsWriter) put(ctx context.Context, rowid int64, name, other string, existed bool) error {
	if f == nil {
		return nil
	}
	if existed {
		if _, err := f.del.ExecContext(ctx, rowid); err != nil {
			return err
		}
	}
	_, err := f.ins.ExecContext(ctx, rowid, Fold(name), Fold(other))
	return err
}

func (f *ftsWriter) close() {
	if f != nil {
		f.del.Close()
		f.ins.Close()
	}
}

// songParents are the album and artists a song belonged to before a
// change, so that their counts follow it.
type songParents struct{ album, artist, albumArtist int64 }

func (w *Writer) touchSong(p songParents) {
	w.touchedAlbums[p.album] = struct{}{}
	w.touchedArtists[p.artist] = struct{}{}
	w.touchedArtists[p.albumArtist] = struct{}{}
}

// songOther is the text a song is found by besides its title: its
// artist, album, album artist (when another) and genres.
func songOther(artist, album, albumArtist, genres string) string {
	if albumArtist == artist {
		albumArtist = ""
	}
	return artist + " " + album + " " + albumArtist + " " + genres
}

// PutSongs writes songs (inserted, or updated where they differ) in one
// transaction and returns how many rows changed.
func (w *Writer) PutSongs(ctx context.Context, songs []Song) (changed int, err error) {
	err = w.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, songUpsert)
		if err != nil {
			return err
		}
		defer st.Close()
		fts, err := w.ftsFor(ctx, tx, KindSong)
		if err != nil {
			return err
		}
		defer fts.close()
		var parents *sql.Stmt
		if w.index && !w.bulk {
			if parents, err = tx.PrepareContext(ctx, `SELECT album_id, artist_id, album_artist_id FROM songs WHERE id = ?`); err != nil {
				return err
			}
			defer parents.Close()
		}
		args := make([]any, len(songCols))
		for i := range songs {
			s := &songs[i]
			var old songParents
			existed := false
			if parents != nil {
				err := parents.QueryRowContext(ctx, s.ID).Scan(&old.album, &old.artist, &old.albumArtist)
				switch {
				case err == nil:
					existed = true
				case !errors.Is(err, sql.ErrNoRows):
					return err
				}
			}
			gnames := genreNames(s.Genres)
			args[0], args[1], args[2] = s.ID, s.Title, Fold(s.Title)
			args[3], args[4], args[5], args[6] = s.Artist.ID, s.Artist.Name, s.Album.ID, s.Album.Name
			args[7], args[8], args[9], args[10] = s.AlbumArtist.ID, s.AlbumArtist.Name, int64(s.Disc), int64(s.Track)
			args[11], args[12], args[13], args[14] = int64(s.Time), int64(s.Year), s.Format, s.Size
			args[15], args[16], args[17], args[18] = int64(s.Bitrate), b2i(s.HasArt), b2i(s.Flag), rating(s.Rating)
			args[19], args[20], args[21], args[22] = int64(s.PlayCount), genreIDs(s.Genres), gnames, s.extra()
			res, err := st.ExecContext(ctx, args...)
			if err != nil {
				return fmt.Errorf("song %d: %w", s.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			changed++
			if w.index && !w.bulk {
				if existed {
					w.touchSong(old)
				}
				w.touchSong(songParents{s.Album.ID, s.Artist.ID, s.AlbumArtist.ID})
			}
			if err := fts.put(ctx, s.ID, s.Title, songOther(s.Artist.Name, s.Album.Name, s.AlbumArtist.Name, gnames), existed); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// PutAlbums writes albums and returns how many rows changed.
func (w *Writer) PutAlbums(ctx context.Context, albums []Album) (changed int, err error) {
	err = w.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, albumUpsert)
		if err != nil {
			return err
		}
		defer st.Close()
		fts, err := w.ftsFor(ctx, tx, KindAlbum)
		if err != nil {
			return err
		}
		defer fts.close()
		args := make([]any, len(albumCols))
		for i := range albums {
			a := &albums[i]
			w.freshAlbums[a.ID] = struct{}{}
			gnames := genreNames(a.Genres)
			args[0], args[1], args[2], args[3] = a.ID, a.Name, Fold(a.Name), a.Artist.ID
			args[4], args[5], args[6], args[7] = a.Artist.Name, int64(a.Year), int64(a.SongCount), int64(a.DiscCount)
			args[8], args[9], args[10], args[11] = int64(a.Time), b2i(a.HasArt), b2i(a.Flag), rating(a.Rating)
			args[12], args[13], args[14] = genreIDs(a.Genres), gnames, a.extra()
			res, err := st.ExecContext(ctx, args...)
			if err != nil {
				return fmt.Errorf("album %d: %w", a.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(ctx, a.ID, a.Name, a.Artist.Name+" "+gnames, !w.bulk); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}

// PutArtists writes artists and returns how many rows changed.
func (w *Writer) PutArtists(ctx context.Context, artists []Artist) (changed int, err error) {
	err = w.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, artistUpsert)
		if err != nil {
			return err
		}
		defer st.Close()
		fts, err := w.ftsFor(ctx, tx, KindArtist)
		if err != nil {
			return err
		}
		defer fts.close()
		args := make([]any, len(artistCols))
		for i := range artists {
			a := &artists[i]
			w.freshArtists[a.ID] = struct{}{}
			args[0], args[1], args[2], args[3] = a.ID, a.Name, Fold(a.Name), int64(a.AlbumCount)
			args[4], args[5], args[6], args[7] = int64(a.SongCount), int64(a.Time), b2i(a.HasArt), b2i(a.Flag)
			args[8], args[9], args[10], args[11] = rating(a.Rating), genreIDs(a.Genres), genreNames(a.Genres), a.extra()
			res, err := st.ExecContext(ctx, args...)
			if err != nil {
				return fmt.Errorf("artist %d: %w", a.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(ctx, a.ID, a.Name, "", !w.bulk); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}

// PutGenres writes genres and returns how many rows changed.
func (w *Writer) PutGenres(ctx context.Context, genres []Genre) (changed int, err error) {
	err = w.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, genreUpsert)
		if err != nil {
			return err
		}
		defer st.Close()
		fts, err := w.ftsFor(ctx, tx, KindGenre)
		if err != nil {
			return err
		}
		defer fts.close()
		for _, g := range genres {
			res, err := st.ExecContext(ctx, g.ID, g.Name, Fold(g.Name), int64(g.Albums), int64(g.Artists), int64(g.Songs),
				int64(g.Videos), int64(g.Playlists), int64(g.LiveStreams), b2i(g.Hidden))
			if err != nil {
				return fmt.Errorf("genre %d: %w", g.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(ctx, g.ID, g.Name, "", true); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}

// PutPlaylist writes a playlist and, when songs is not nil, replaces its
// songs (ids in playlist order). It reports whether anything changed.
func (w *Writer) PutPlaylist(ctx context.Context, p Playlist, songs []int64) (changed bool, err error) {
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
	return w.Delete(ctx, k, drop)
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

// bulkTables are the tables whose secondary indexes a bulk load drops.
var bulkTables = []string{"songs", "albums", "artists"}

// BeginBulk prepares a first load into an empty library: the secondary
// indexes of the songs, albums and artists are dropped (EndBulk makes
// them again, sorting once, which is much faster than keeping them up to
// date row by row). It reports whether it did: only when those tables
// are empty. The dropped indexes are remembered in the database, so an
// interrupted load gets them back when the library is next opened.
func (w *Writer) BeginBulk(ctx context.Context) (bool, error) {
	var rows int
	if err := w.conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM songs) + (SELECT count(*) FROM albums) + (SELECT count(*) FROM artists)`).Scan(&rows); err != nil {
		return false, err
	}
	if rows > 0 {
		return false, nil
	}
	err := w.tx(ctx, func(tx *sql.Tx) error {
		idx, err := secondaryIndexes(ctx, tx)
		if err != nil || len(idx) == 0 {
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
		return nil
	})
	w.bulk = err == nil
	return w.bulk, err
}

// EndBulk makes the indexes BeginBulk dropped again.
func (w *Writer) EndBulk(ctx context.Context) error {
	w.bulk = false
	return w.tx(ctx, func(tx *sql.Tx) error { return restoreIndexes(ctx, tx) })
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

// restoreIndexes makes the indexes a bulk load dropped (if any).
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
		def = strings.Replace(def, "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
		if _, err := tx.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("restore index: %w", err)
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'bulk.indexes'`)
	return err
}

// RecountTouched brings the song counts, lengths and disc counts of the
// albums, and the album and song counts and lengths of the artists, whose
// songs changed in this sync up to date from the cached songs — except
// for those the server sent in this sync, whose numbers are the server's.
func (w *Writer) RecountTouched(ctx context.Context) error {
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
	return w.tx(ctx, func(tx *sql.Tx) error { return rebuildSearch(ctx, tx) })
}

// Optimize merges the search index's segments and lets SQLite refresh
// its statistics; run it after a large sync.
func (w *Writer) Optimize(ctx context.Context) error {
	for _, t := range []string{"songs_fts", "albums_fts", "artists_fts"} {
		if _, err := w.conn.ExecContext(ctx, `INSERT INTO `+t+`(`+t+`) VALUES('optimize')`); err != nil {
			return err
		}
	}
	_, err := w.conn.ExecContext(ctx, `PRAGMA optimize`)
	return err
}
