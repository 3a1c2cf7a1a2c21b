package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// Journal is the durable record of playback positions: this computer's
// latest position in each bookmarked song or episode, and whether the
// server still has to be told (a new position, or the deletion of a
// finished item's bookmark). It survives a crash or SIGKILL, and is what
// the core replays when the server is reachable again.
//
// It is one SQLite database in the data folder, in WAL mode with
// synchronous=FULL: every write is one statement, committed and fsynced
// before it returns. SQLite rather than a hand-made append-only file
// because the window and the command line may run at once over the same
// folder (SQLite locks across processes), because a torn write at a crash
// is detected by the WAL checksums instead of by code of our own, and
// because rows need no compaction: the journal holds one row per object,
// however often its position changes.
//
// Every change is monotonic in the update time: a position never
// replaces one taken later (see Record). Safe for concurrent use.
type Journal struct {
	db    *sql.DB
	path  string
	moved string
}

// JournalState says what the server still has to learn about an entry.
type JournalState int

const (
	// JournalSynced: the server has this position (or a newer one); the row
	// is the last known position, kept for resuming offline.
	JournalSynced JournalState = iota
	// JournalPendingSet: the position is newer than what the server has.
	JournalPendingSet
	// JournalPendingDelete: the item was played to its end; its bookmark
	// is to be deleted on the server, then the row removed.
	JournalPendingDelete
)

func (s JournalState) String() string {
	switch s {
	case JournalSynced:
		return "synced"
	case JournalPendingSet:
		return "pending"
	case JournalPendingDelete:
		return "finished"
	}
	return fmt.Sprintf("JournalState(%d)", int(s))
}

// JournalEntry is one object's position in the journal.
type JournalEntry struct {
	// Scope names whose position it is: one server account (the core
	// derives it from the profile). Entries of other scopes are never
	// replayed to a server.
	Scope      string
	ObjectType string // "song", "podcast_episode", "video"
	ObjectID   string
	Position   time.Duration // stored to the millisecond
	Duration   time.Duration // 0 when unknown
	// Updated is when the position was taken, by this computer's clock
	// (or the server's update_date for a position adopted from it).
	Updated time.Time
	State   JournalState
	// Title and Album describe the object for lists shown offline.
	Title, Album string
	// Attempts and LastError describe failed pushes since the last success.
	Attempts  int
	LastError string
}

// ErrJournalTooNew means the journal was written by a newer Ampdesk with a
// schema this one does not know.
var ErrJournalTooNew = errors.New("the bookmark journal was made by a newer Ampdesk")

// JournalFile is the journal's path in the data folder.
func JournalFile(dataDir string) string {
	return filepath.Join(dataDir, "bookmark-journal.db")
}

const journalSchemaVersion = 1

const journalSchema = `
CREATE TABLE IF NOT EXISTS positions (
	scope       TEXT    NOT NULL,
	object_type TEXT    NOT NULL,
	object_id   TEXT    NOT NULL,
	position_ms INTEGER NOT NULL,
	duration_ms INTEGER NOT NULL DEFAULT 0,
	updated_ms  INTEGER NOT NULL,
	state       INTEGER NOT NULL,
	title       TEXT    NOT NULL DEFAULT '',
	album       TEXT    NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (scope, object_type, object_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS positions_pending ON positions (scope, updated_ms) WHERE state != 0;
`

// OpenJournal opens (creating it if needed) the journal at path. A file
// that is not a readable SQLite database (damaged by a disk fault) is
// moved aside to path + ".damaged-<unix time>" and a new journal is
// started; Journal.Moved then names the old file.
func OpenJournal(ctx context.Context, path string) (*Journal, error) {
	j, err := openJournal(ctx, path)
	if err == nil || !isCorrupt(err) {
		return j, err
	}
	aside := fmt.Sprintf("%s.damaged-%d", path, time.Now().Unix())
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if rerr := os.Rename(path+suffix, aside+suffix); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return nil, fmt.Errorf("bookmark journal %s is damaged (%v) and cannot be moved aside: %w", path, err, rerr)
		}
	}
	j, err2 := openJournal(ctx, path)
	if err2 != nil {
		return nil, err2
	}
	j.moved = aside
	return j, nil
}

func openJournal(ctx context.Context, path string) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("bookmark journal: %w", err)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("bookmark journal: unusable file name %q", path)
	}
	// synchronous=FULL: a commit returns once the WAL is on disk, so a
	// position survives a power cut, not only a crash.
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("bookmark journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(2)
	db.SetMaxIdleConns(2)
	j := &Journal{db: db, path: path}
	if err := j.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("bookmark journal %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("bookmark journal %s: %w", path, err)
	}
	return j, nil
}

func (j *Journal) migrate(ctx context.Context) error {
	var v int
	if err := j.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return err
	}
	if v > journalSchemaVersion {
		return fmt.Errorf("%w (schema %d, this version knows %d)", ErrJournalTooNew, v, journalSchemaVersion)
	}
	if v == journalSchemaVersion {
		return nil
	}
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, journalSchema); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, journalSchemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// isCorrupt reports SQLite's "database disk image is malformed" and "file
// is not a database".
func isCorrupt(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
			return true
		}
	}
	return false
}

// Path is the database file.
func (j *Journal) Path() string { return j.path }

// Moved names where a damaged journal was moved by OpenJournal ("" when
// the journal opened cleanly).
func (j *Journal) Moved() string { return j.moved }

// Close closes the database.
func (j *Journal) Close() error { return j.db.Close() }

// Record stores e as the object's position unless the journal already
// holds one taken later (by Updated, to the millisecond): an older
// position never replaces a newer one. It reports whether e was stored.
// Attempts and LastError start again from zero.
func (j *Journal) Record(ctx context.Context, e JournalEntry) (bool, error) {
	if e.Scope == "" || e.ObjectType == "" || e.ObjectID == "" {
		return false, fmt.Errorf("bookmark journal: an entry needs a scope, type and id (got %q %q %q)", e.Scope, e.ObjectType, e.ObjectID)
	}
	if e.Position < 0 || e.Duration < 0 {
		return false, fmt.Errorf("bookmark journal: negative position or duration for %s %s", e.ObjectType, e.ObjectID)
	}
	res, err := j.db.ExecContext(ctx, `
INSERT INTO positions (scope, object_type, object_id, position_ms, duration_ms, updated_ms, state, title, album, attempts, last_error)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '')
ON CONFLICT (scope, object_type, object_id) DO UPDATE SET
	position_ms = excluded.position_ms,
	duration_ms = CASE WHEN excluded.duration_ms > 0 THEN excluded.duration_ms ELSE positions.duration_ms END,
	updated_ms  = excluded.updated_ms,
	state       = excluded.state,
	title       = CASE WHEN excluded.title != '' THEN excluded.title ELSE positions.title END,
	album       = CASE WHEN excluded.album != '' THEN excluded.album ELSE positions.album END,
	attempts    = 0,
	last_error  = ''
WHERE excluded.updated_ms >= positions.updated_ms`,
		e.Scope, e.ObjectType, e.ObjectID, e.Position.Milliseconds(), e.Duration.Milliseconds(),
		e.Updated.UnixMilli(), int(e.State), e.Title, e.Album)
	if err != nil {
		return false, fmt.Errorf("bookmark journal: record %s %s: %w", e.ObjectType, e.ObjectID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("bookmark journal: record %s %s: %w", e.ObjectType, e.ObjectID, err)
	}
	return n > 0, nil
}

const entryColumns = `scope, object_type, object_id, position_ms, duration_ms, updated_ms, state, title, album, attempts, last_error`

func scanEntry(row interface{ Scan(...any) error }) (JournalEntry, error) {
	var e JournalEntry
	var pos, dur, upd int64
	var state int
	err := row.Scan(&e.Scope, &e.ObjectType, &e.ObjectID, &pos, &dur, &upd, &state, &e.Title, &e.Album, &e.Attempts, &e.LastError)
	e.Position, e.Duration = time.Duration(pos)*time.Millisecond, time.Duration(dur)*time.Millisecond
	e.Updated, e.State = time.UnixMilli(upd), JournalState(state)
	return e, err
}

// Get returns the object's entry; ok is false when there is none.
func (j *Journal) Get(ctx context.Context, scope, objectType, objectID string) (e JournalEntry, ok bool, err error) {
	row := j.db.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM positions WHERE scope = ? AND object_type = ? AND object_id = ?`,
		scope, objectType, objectID)
	e, err = scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return JournalEntry{}, false, nil
	}
	if err != nil {
		return JournalEntry{}, false, fmt.Errorf("bookmark journal: read %s %s: %w", objectType, objectID, err)
	}
	return e, true, nil
}

// Pending returns the scope's entries the server has yet to learn,
// oldest update first: the order to replay them in.
func (j *Journal) Pending(ctx context.Context, scope string) ([]JournalEntry, error) {
	return j.query(ctx, `SELECT `+entryColumns+` FROM positions WHERE scope = ? AND state != 0 ORDER BY updated_ms, object_type, object_id`, scope)
}

// All returns every entry of the scope, newest update first.
func (j *Journal) All(ctx context.Context, scope string) ([]JournalEntry, error) {
	return j.query(ctx, `SELECT `+entryColumns+` FROM positions WHERE scope = ? ORDER BY updated_ms DESC, object_type, object_id`, scope)
}

func (j *Journal) query(ctx context.Context, q string, args ...any) ([]JournalEntry, error) {
	rows, err := j.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("bookmark journal: %w", err)
	}
	defer rows.Close()
	var out []JournalEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("bookmark journal: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bookmark journal: %w", err)
	}
	return out, nil
}

// MarkSynced records that the server now has e: a pending position
// becomes synced, a finished entry is removed. It does nothing (and
// reports false) when the entry changed since e was read, so a position
// taken during the push stays pending.
func (j *Journal) MarkSynced(ctx context.Context, e JournalEntry) (bool, error) {
	var res sql.Result
	var err error
	if e.State == JournalPendingDelete {
		res, err = j.db.ExecContext(ctx, `DELETE FROM positions WHERE scope = ? AND object_type = ? AND object_id = ? AND updated_ms = ? AND state = ?`,
			e.Scope, e.ObjectType, e.ObjectID, e.Updated.UnixMilli(), int(e.State))
	} else {
		res, err = j.db.ExecContext(ctx, `UPDATE positions SET state = 0, attempts = 0, last_error = ''
WHERE scope = ? AND object_type = ? AND object_id = ? AND updated_ms = ? AND state = ?`,
			e.Scope, e.ObjectType, e.ObjectID, e.Updated.UnixMilli(), int(e.State))
	}
	if err != nil {
		return false, fmt.Errorf("bookmark journal: mark %s %s synced: %w", e.ObjectType, e.ObjectID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// MarkFailed counts a failed push of e (unless the entry changed since).
func (j *Journal) MarkFailed(ctx context.Context, e JournalEntry, cause error) error {
	msg := ""
	if cause != nil {
		msg = cause.Error()
	}
	_, err := j.db.ExecContext(ctx, `UPDATE positions SET attempts = attempts + 1, last_error = ?
WHERE scope = ? AND object_type = ? AND object_id = ? AND updated_ms = ?`,
		msg, e.Scope, e.ObjectType, e.ObjectID, e.Updated.UnixMilli())
	if err != nil {
		return fmt.Errorf("bookmark journal: mark %s %s failed: %w", e.ObjectType, e.ObjectID, err)
	}
	return nil
}

// Forget removes the object's entry, whatever its state.
func (j *Journal) Forget(ctx context.Context, scope, objectType, objectID string) error {
	_, err := j.db.ExecContext(ctx, `DELETE FROM positions WHERE scope = ? AND object_type = ? AND object_id = ?`,
		scope, objectType, objectID)
	if err != nil {
		return fmt.Errorf("bookmark journal: forget %s %s: %w", objectType, objectID, err)
	}
	return nil
}

// Drop removes e unless the entry changed since it was read (another
// position was recorded meanwhile). It reports whether e was removed.
func (j *Journal) Drop(ctx context.Context, e JournalEntry) (bool, error) {
	res, err := j.db.ExecContext(ctx, `DELETE FROM positions WHERE scope = ? AND object_type = ? AND object_id = ? AND updated_ms = ? AND state = ?`,
		e.Scope, e.ObjectType, e.ObjectID, e.Updated.UnixMilli(), int(e.State))
	if err != nil {
		return false, fmt.Errorf("bookmark journal: drop %s %s: %w", e.ObjectType, e.ObjectID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
