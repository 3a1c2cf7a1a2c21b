package storage

import (
	"context"
	"database/sql/driver"
	"errors"
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

// rawTx is a transaction on the writer's connection driven through the
// driver's own interfaces (database/sql/driver), for the rows of a bulk
// load: database/sql's work around each statement — converting and
// checking every argument into a new slice, locking, wrapping the result
// — cost as much as the driver's.
type rawTx struct {
	conn  driver.ConnPrepareContext
	stmts []*rawStmt
}

// rawTx runs fn in one transaction driven by the driver directly. Its
// statements run under a context that cannot be cancelled (see
// rowContext): fn checks ctx itself.
func (w *Writer) rawTx(ctx context.Context, fn func(t *rawTx) error) error {
	rctx := rowContext(ctx)
	return w.conn.Raw(func(dc any) error {
		begin, ok := dc.(driver.ConnBeginTx)
		prep, ok2 := dc.(driver.ConnPrepareContext)
		if !ok || !ok2 {
			return fmt.Errorf("storage: the SQLite driver (%T) has no transactions or statements with contexts", dc)
		}
		tx, err := begin.BeginTx(rctx, driver.TxOptions{})
		if err != nil {
			return err
		}
		t := &rawTx{conn: prep}
		err = fn(t)
		for _, st := range t.stmts {
			if cerr := st.st.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil {
				return errors.Join(err, rerr)
			}
			return err
		}
		return tx.Commit()
	})
}

// rawStmt is a prepared statement of a rawTx.
type rawStmt struct {
	st   driver.Stmt
	exec driver.StmtExecContext
	args []driver.NamedValue // reused: the driver copies what it binds
}

// prepare prepares query for the transaction (closed with it).
func (t *rawTx) prepare(ctx context.Context, query string) (*rawStmt, error) {
	st, err := t.conn.PrepareContext(rowContext(ctx), query)
	if err != nil {
		return nil, err
	}
	exec, ok := st.(driver.StmtExecContext)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("storage: the SQLite driver's statements (%T) take no context", st)
	}
	s := &rawStmt{st: st, exec: exec}
	t.stmts = append(t.stmts, s)
	return s, nil
}

// run executes the statement with values (each an int64, string, []byte
// or nil, as the driver takes them) and returns how many rows changed.
func (s *rawStmt) run(ctx context.Context, values []any) (int64, error) {
	if cap(s.args) < len(values) {
		s.args = make([]driver.NamedValue, len(values))
	}
	args := s.args[:len(values)]
	for i, v := range values {
		args[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	res, err := s.exec.ExecContext(ctx, args)
	clear(args) // keep no value alive
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// bulkBatch gathers the arguments of rows for one multi-row statement.
type bulkBatch struct {
	multi  *rawStmt // bulkRows rows
	single *rawStmt // one row, for the rest
	width  int      // arguments per row
	args   []any
}

func newBulkBatch(ctx context.Context, t *rawTx, single string, width int) (*bulkBatch, error) {
	b := &bulkBatch{width: width, args: make([]any, 0, bulkRows*width)}
	var err error
	if b.multi, err = t.prepare(ctx, multiRowSQL(single, bulkRows)); err != nil {
		return nil, err
	}
	if b.single, err = t.prepare(ctx, single); err != nil {
		return nil, err
	}
	return b, nil
}

// added writes the batch when the row appended to b.args filled it; it
// returns the rows written.
func (b *bulkBatch) added(ctx context.Context) (int64, error) {
	if len(b.args) < bulkRows*b.width {
		return 0, nil
	}
	return b.flush(ctx)
}

// flush writes the queued rows and returns how many changed.
func (b *bulkBatch) flush(ctx context.Context) (int64, error) {
	var n int64
	if len(b.args) == bulkRows*b.width {
		var err error
		if n, err = b.multi.run(ctx, b.args); err != nil {
			return 0, err
		}
	} else {
		for i := 0; i < len(b.args); i += b.width {
			k, err := b.single.run(ctx, b.args[i:i+b.width])
			if err != nil {
				return 0, err
			}
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
func (w *Writer) putSongsBulk(ctx context.Context, t *rawTx, songs []Song) (changed int, err error) {
	rows, err := newBulkBatch(ctx, t, songUpsert, len(songCols))
	if err != nil {
		return 0, err
	}
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
			if n, err = rows.single.run(rctx, appendSongArgs(nil, s, gnames, s.extra())); err != nil {
				return changed, fmt.Errorf("song %d: %w", s.ID, err)
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
		rows.args = appendSongArgs(rows.args, s, gnames, arena[start:len(arena):len(arena)])
		n, err := rows.added(rctx)
		changed += int(n)
		if err != nil {
			return changed, fmt.Errorf("songs: %w", err)
		}
		if docs != nil {
			// Queued rows are new: each changes.
			docs = append(docs, doc{s.ID, Fold(s.Title), Fold(songOther(s.Artist.Name, s.Album.Name, s.AlbumArtist.Name, gnames)), false})
		}
	}
	n, err := rows.flush(rctx)
	changed += int(n)
	if err != nil || len(docs) == 0 {
		return changed, err
	}
	fts := kindTables[KindSong].fts
	ins, err := t.prepare(ctx, ftsInsertSQL(fts))
	if err != nil {
		return changed, err
	}
	del, err := t.prepare(ctx, `DELETE FROM `+fts+` WHERE rowid = ?`)
	if err != nil {
		return changed, err
	}
	for i, d := range docs {
		if err := checkCancel(ctx, i); err != nil {
			return changed, err
		}
		if d.replace {
			if _, err := del.run(rctx, []any{d.id}); err != nil {
				return changed, err
			}
		}
		if _, err := ins.run(rctx, []any{d.id, d.name, d.other}); err != nil {
			return changed, err
		}
	}
	return changed, nil
}

// appendSongArgs appends the values of songCols for s.
func appendSongArgs(dst []any, s *Song, gnames string, extra []byte) []any {
	return append(dst, s.ID, s.Title, Fold(s.Title), s.Artist.ID, s.Artist.Name, s.Album.ID, s.Album.Name,
		s.AlbumArtist.ID, s.AlbumArtist.Name, int64(s.Disc), int64(s.Track), int64(s.Time), int64(s.Year), s.Format,
		s.Size, int64(s.Bitrate), b2i(s.HasArt), b2i(s.Flag), rating(s.Rating), int64(s.PlayCount),
		genreIDs(s.Genres), gnames, extra)
}
