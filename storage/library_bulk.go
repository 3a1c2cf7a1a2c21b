package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The songs of a bulk load (see BeginBulk) are written many rows to a
// statement: a first sync writes 100,000 of them, and the cost of a
// statement — its trip through database/sql and the driver, binding,
// starting the program — was most of the cost of a row. A song whose id
// the load has not written yet cannot be in the table (it was empty), so
// it is inserted, and its search row with it; one the load already wrote
// (a server that repeats a song across pages) takes the row-by-row path.

// bulkRows is how many rows a bulk statement writes.
const bulkRows = 32

// multiRowSQL repeats the VALUES tuple of single (an INSERT with one
// "VALUES(?, ...)") n times.
func multiRowSQL(single string, n int) string {
	head, tail, ok := strings.Cut(single, " VALUES(")
	if !ok {
		panic("multiRowSQL: no VALUES in " + single)
	}
	tuple, rest, _ := strings.Cut(tail, ")")
	tuple = "(" + tuple + ")"
	return head + " VALUES" + tuple + strings.Repeat(", "+tuple, n-1) + rest
}

// ftsInsertSQL adds a row to the search index t.
func ftsInsertSQL(t string) string {
	return `INSERT INTO ` + t + `(rowid, name, other) VALUES(?, ?, ?)`
}

// bulkBatch gathers the arguments of rows for one multi-row statement.
type bulkBatch struct {
	multi  *sql.Stmt // bulkRows rows
	single *sql.Stmt // one row, for the rest
	width  int       // arguments per row
	args   []any
}

func newBulkBatch(ctx context.Context, tx *sql.Tx, single string, width int) (*bulkBatch, error) {
	b := &bulkBatch{width: width, args: make([]any, 0, bulkRows*width)}
	var err error
	if b.multi, err = tx.PrepareContext(ctx, multiRowSQL(single, bulkRows)); err != nil {
		return nil, err
	}
	if b.single, err = tx.PrepareContext(ctx, single); err != nil {
		b.multi.Close()
		return nil, err
	}
	return b, nil
}

func (b *bulkBatch) close() {
	b.multi.Close()
	b.single.Close()
}

// add queues a row, writing the batch when it is full; it returns the
// rows written.
func (b *bulkBatch) add(ctx context.Context, row ...any) (int64, error) {
	b.args = append(b.args, row...)
	if len(b.args) < bulkRows*b.width {
		return 0, nil
	}
	return b.flush(ctx)
}

// flush writes the queued rows and returns how many changed.
func (b *bulkBatch) flush(ctx context.Context) (int64, error) {
	var n int64
	if len(b.args) == bulkRows*b.width {
		res, err := b.multi.ExecContext(ctx, b.args...)
		if err != nil {
			return 0, err
		}
		n, _ = res.RowsAffected()
	} else {
		for i := 0; i < len(b.args); i += b.width {
			res, err := b.single.ExecContext(ctx, b.args[i:i+b.width]...)
			if err != nil {
				return 0, err
			}
			k, _ := res.RowsAffected()
			n += k
		}
	}
	clear(b.args)
	b.args = b.args[:0]
	return n, nil
}

// putSongsBulk writes songs in a bulk load, in tx: first the rows, then
// their search rows one by one. (A statement of many rows opens a
// statement journal, and FTS5 writes its pending rows to disk as a new
// segment whenever one opens in a transaction that wrote to it: the
// search rows come after the last such statement.)
func (w *Writer) putSongsBulk(ctx context.Context, tx *sql.Tx, songs []Song) (changed int, err error) {
	rows, err := newBulkBatch(ctx, tx, songUpsert, len(songCols))
	if err != nil {
		return 0, err
	}
	defer rows.close()
	type doc struct {
		id          int64
		name, other string
		replace     bool // the song was written before in this load
	}
	var docs []doc
	if w.index {
		docs = make([]doc, 0, len(songs))
	}
	// The extra records of a batch's rows, appended one after another:
	// each row's slice stays valid however the arena grows.
	var arena []byte
	rctx := rowContext(ctx)
	for i := range songs {
		if err := checkCancel(ctx, i); err != nil {
			return changed, err
		}
		s := &songs[i]
		gnames := genreNames(s.Genres)
		if _, again := w.bulkSongs[s.ID]; again {
			// Written before in this load: row by row, after what is queued.
			n, err := rows.flush(rctx)
			changed += int(n)
			if err != nil {
				return changed, fmt.Errorf("songs: %w", err)
			}
			if n, err = w.putSongRow(rctx, tx, s, gnames); err != nil {
				return changed, err
			}
			changed += int(n)
			if n > 0 && docs != nil {
				docs = append(docs, doc{s.ID, Fold(s.Title), Fold(songOther(s.Artist.Name, s.Album.Name, s.AlbumArtist.Name, gnames)), true})
			}
			continue
		}
		w.bulkSongs[s.ID] = struct{}{}
		if len(rows.args) == 0 {
			arena = arena[:0]
		}
		start := len(arena)
		arena = s.appendExtra(arena)
		title := Fold(s.Title)
		n, err := rows.add(rctx, s.ID, s.Title, title, s.Artist.ID, s.Artist.Name, s.Album.ID, s.Album.Name,
			s.AlbumArtist.ID, s.AlbumArtist.Name, int64(s.Disc), int64(s.Track), int64(s.Time), int64(s.Year), s.Format,
			s.Size, int64(s.Bitrate), b2i(s.HasArt), b2i(s.Flag), rating(s.Rating), int64(s.PlayCount),
			genreIDs(s.Genres), gnames, arena[start:len(arena):len(arena)])
		changed += int(n)
		if err != nil {
			return changed, fmt.Errorf("songs: %w", err)
		}
		if docs != nil {
			// Queued rows are new: each changes.
			docs = append(docs, doc{s.ID, title, Fold(songOther(s.Artist.Name, s.Album.Name, s.AlbumArtist.Name, gnames)), false})
		}
	}
	n, err := rows.flush(rctx)
	changed += int(n)
	if err != nil || len(docs) == 0 {
		return changed, err
	}
	t := kindTables[KindSong].fts
	ins, err := tx.PrepareContext(ctx, ftsInsertSQL(t))
	if err != nil {
		return changed, err
	}
	defer ins.Close()
	for i, d := range docs {
		if err := checkCancel(ctx, i); err != nil {
			return changed, err
		}
		if d.replace {
			if _, err := tx.ExecContext(rctx, `DELETE FROM `+t+` WHERE rowid = ?`, d.id); err != nil {
				return changed, err
			}
		}
		if _, err := ins.ExecContext(rctx, d.id, d.name, d.other); err != nil {
			return changed, err
		}
	}
	return changed, nil
}

// putSongRow writes one song of a bulk load that the load wrote before
// and reports whether it changed.
func (w *Writer) putSongRow(ctx context.Context, tx *sql.Tx, s *Song, gnames string) (int64, error) {
	res, err := tx.ExecContext(ctx, songUpsert, s.ID, s.Title, Fold(s.Title), s.Artist.ID, s.Artist.Name, s.Album.ID,
		s.Album.Name, s.AlbumArtist.ID, s.AlbumArtist.Name, int64(s.Disc), int64(s.Track), int64(s.Time), int64(s.Year),
		s.Format, s.Size, int64(s.Bitrate), b2i(s.HasArt), b2i(s.Flag), rating(s.Rating), int64(s.PlayCount),
		genreIDs(s.Genres), gnames, s.extra())
	if err != nil {
		return 0, fmt.Errorf("song %d: %w", s.ID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
