package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
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
// reading the last committed state meanwhile. A Writer is safe for
// concurrent use: its writes run one at a time. Close it when done.
type Writer struct {
	l     *Library
	mu    sync.Mutex // held by each write; guards everything below
	conn  *sql.Conn
	index bool // keep the search index up to date row by row
	bulk  bool // a first load into empty tables (see BeginBulk)
	// bulkSongs are the songs a bulk load wrote (see putSongsBulk).
	bulkSongs map[int64]struct{}

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
	w.mu.Lock()
	defer w.mu.Unlock()
	ctx := context.Background()
	if w.bulk {
		// A load that did not end: the connection goes back to the pool
		// with the usual durability (the next open finishes the load).
		w.conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`)
	}
	w.conn.ExecContext(ctx, `PRAGMA shrink_memory`)
	return w.conn.Close()
}

// rowContext is the context of the statements of one row: not
// cancellable, because the driver watches a cancellable context with a
// goroutine per statement, which costs more than a small statement. The
// writes check the caller's context every checkEvery rows instead.
func rowContext(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// checkEvery is how many rows a write goes between looks at its context.
const checkEvery = 256

// checkCancel returns ctx's error every checkEvery rows.
func checkCancel(ctx context.Context, i int) error {
	if i%checkEvery == 0 {
		return ctx.Err()
	}
	return nil
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
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.bulk {
		err = w.rawTx(ctx, func(t *rawTx) error {
			changed, err = w.putSongsBulk(ctx, t, songs)
			return err
		})
		return changed, err
	}
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
		var extra []byte // reused: the driver copies what it binds
		rctx := rowContext(ctx)
		for i := range songs {
			if err := checkCancel(ctx, i); err != nil {
				return err
			}
			s := &songs[i]
			var old songParents
			existed := false
			if parents != nil {
				err := parents.QueryRowContext(rctx, s.ID).Scan(&old.album, &old.artist, &old.albumArtist)
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
			args[19], args[20], args[21], args[22] = int64(s.PlayCount), genreIDs(s.Genres), gnames, nil
			extra = s.appendExtra(extra[:0])
			args[22] = extra
			res, err := st.ExecContext(rctx, args...)
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
			if err := fts.put(rctx, s.ID, s.Title, songOther(s.Artist.Name, s.Album.Name, s.AlbumArtist.Name, gnames), existed); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// PutAlbums writes albums and returns how many rows changed.
func (w *Writer) PutAlbums(ctx context.Context, albums []Album) (changed int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
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
		var extra []byte // reused: the driver copies what it binds
		rctx := rowContext(ctx)
		for i := range albums {
			if err := checkCancel(ctx, i); err != nil {
				return err
			}
			a := &albums[i]
			w.freshAlbums[a.ID] = struct{}{}
			gnames := genreNames(a.Genres)
			args[0], args[1], args[2], args[3] = a.ID, a.Name, Fold(a.Name), a.Artist.ID
			args[4], args[5], args[6], args[7] = a.Artist.Name, int64(a.Year), int64(a.SongCount), int64(a.DiscCount)
			args[8], args[9], args[10], args[11] = int64(a.Time), b2i(a.HasArt), b2i(a.Flag), rating(a.Rating)
			extra = a.appendExtra(extra[:0])
			args[12], args[13], args[14] = genreIDs(a.Genres), gnames, extra
			res, err := st.ExecContext(rctx, args...)
			if err != nil {
				return fmt.Errorf("album %d: %w", a.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(rctx, a.ID, a.Name, a.Artist.Name+" "+gnames, !w.bulk); err != nil {
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
	w.mu.Lock()
	defer w.mu.Unlock()
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
		var extra []byte // reused: the driver copies what it binds
		rctx := rowContext(ctx)
		for i := range artists {
			if err := checkCancel(ctx, i); err != nil {
				return err
			}
			a := &artists[i]
			w.freshArtists[a.ID] = struct{}{}
			args[0], args[1], args[2], args[3] = a.ID, a.Name, Fold(a.Name), int64(a.AlbumCount)
			args[4], args[5], args[6], args[7] = int64(a.SongCount), int64(a.Time), b2i(a.HasArt), b2i(a.Flag)
			extra = a.appendExtra(extra[:0])
			args[8], args[9], args[10], args[11] = rating(a.Rating), genreIDs(a.Genres), genreNames(a.Genres), extra
			res, err := st.ExecContext(rctx, args...)
			if err != nil {
				return fmt.Errorf("artist %d: %w", a.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(rctx, a.ID, a.Name, "", !w.bulk); err != nil {
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
	w.mu.Lock()
	defer w.mu.Unlock()
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
		rctx := rowContext(ctx)
		for i, g := range genres {
			if err := checkCancel(ctx, i); err != nil {
				return err
			}
			res, err := st.ExecContext(rctx, g.ID, g.Name, Fold(g.Name), int64(g.Albums), int64(g.Artists), int64(g.Songs),
				int64(g.Videos), int64(g.Playlists), int64(g.LiveStreams), b2i(g.Hidden))
			if err != nil {
				return fmt.Errorf("genre %d: %w", g.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
				if err := fts.put(rctx, g.ID, g.Name, "", true); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}
