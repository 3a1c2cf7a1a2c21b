package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// Library is the local copy of one server profile's library: artists,
// albums, songs, genres, playlists and their songs, podcasts and their
// episodes, with a full-text index for instant search. It lives in one
// SQLite database (WAL mode) in the cache folder: deleting it loses
// nothing that the next sync cannot bring back.
//
// Reads may run on any goroutine while a sync writes (WAL readers see the
// last committed state). Writes go through one Writer at a time. Safe for
// concurrent use.
type Library struct {
	db   *sql.DB
	path string

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared queries of searches, by text
}

// ErrNotCached means the object is not in the library cache.
var ErrNotCached = errors.New("not in the offline library")

// ErrLibraryTooNew means the cache file was written by a newer Ampdesk
// whose schema this one does not know. A cache can be deleted and synced
// again.
var ErrLibraryTooNew = errors.New("the library cache was made by a newer Ampdesk")

// LibraryFile is the path of a profile's library cache in the cache
// folder. The name is derived from the profile's name (sanitized, with a
// hash so that names differing only in unsafe characters stay apart).
func LibraryFile(cacheDir, profile string) string {
	return filepath.Join(cacheDir, "library", profileFileName(profile)+".db")
}

// profileFileName is a file-system-safe name for a profile.
func profileFileName(profile string) string {
	var b strings.Builder
	for _, r := range profile {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	sum := sha256.Sum256([]byte(profile))
	return strings.Trim(b.String(), ".") + "-" + hex.EncodeToString(sum[:4])
}

// OpenLibrary opens (creating it if needed) the library cache at path and
// brings its schema up to date.
func OpenLibrary(ctx context.Context, path string) (*Library, error) {
	return openLibrary(ctx, path, len(migrations))
}

// openLibrary opens the database and migrates it to version target (tests
// build older versions with it).
func openLibrary(ctx context.Context, path string, target int) (*Library, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("library cache: %w", err)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("library cache: unusable file name %q", path)
	}
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(0)&_pragma=temp_store(MEMORY)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("library cache %s: %w", path, err)
	}
	db.SetMaxOpenConns(6)
	db.SetMaxIdleConns(3)
	db.SetConnMaxIdleTime(5 * time.Minute)
	l := &Library{db: db, path: path}
	if err := l.migrate(ctx, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("library cache %s: %w", path, err)
	}
	if target >= 1 {
		// A bulk load that did not finish left its indexes dropped.
		tx, err := db.BeginTx(ctx, nil)
		if err == nil {
			if err = restoreIndexes(ctx, tx); err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
		}
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("library cache %s: %w", path, err)
		}
	}
	return l, nil
}

// Path is the database file.
func (l *Library) Path() string { return l.path }

// Close closes the database.
func (l *Library) Close() error {
	l.stmtMu.Lock()
	for _, st := range l.stmts {
		st.Close()
	}
	l.stmts = nil
	l.stmtMu.Unlock()
	return l.db.Close()
}

// stmt returns a query prepared once (database/sql prepares it again on
// each connection as needed).
func (l *Library) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	l.stmtMu.Lock()
	defer l.stmtMu.Unlock()
	if st, ok := l.stmts[query]; ok {
		return st, nil
	}
	st, err := l.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if l.stmts == nil {
		l.stmts = map[string]*sql.Stmt{}
	}
	l.stmts[query] = st
	return st, nil
}

// RemoveLibrary deletes a library cache file with its WAL and shared
// memory files.
func RemoveLibrary(path string) error {
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SchemaVersion is the schema version of the open database.
func (l *Library) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := l.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	return v, err
}

// migrate applies the migrations the database lacks, each in its own
// transaction with the version bump.
func (l *Library) migrate(ctx context.Context, target int) error {
	if _, err := l.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var have int
	err := l.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := l.db.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES(0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if have > len(migrations) {
		return fmt.Errorf("%w (schema %d, this version knows %d)", ErrLibraryTooNew, have, len(migrations))
	}
	for v := have; v < target; v++ {
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, stmt := range migrations[v].sql {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migrate to schema %d: %w", v+1, err)
			}
		}
		if fn := migrations[v].fn; fn != nil {
			if err := fn(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migrate to schema %d: %w", v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, v+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
	}
	return nil
}

// SyncState is what the cache remembers about its syncs.
type SyncState struct {
	// Server and User name the account the cache holds (a profile that
	// now points elsewhere needs a full sync).
	Server, User string
	// Complete is set once a full sync has finished: only then is the
	// cache the whole library.
	Complete bool
	// Since is the server's time before the last successful sync began:
	// the next incremental sync asks for changes from then on. Zero means
	// the server gave no usable time (every sync is then a full one).
	Since time.Time
	// LastSync and LastFull are when (on this computer's clock) the last
	// sync and the last full sync finished.
	LastSync, LastFull time.Time
}

// SyncState reads the sync state.
func (l *Library) SyncState(ctx context.Context) (SyncState, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'sync.%'`)
	if err != nil {
		return SyncState{}, err
	}
	defer rows.Close()
	var st SyncState
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return SyncState{}, err
		}
		switch k {
		case "sync.server":
			st.Server = v
		case "sync.user":
			st.User = v
		case "sync.complete":
			st.Complete = v == "1"
		case "sync.since":
			st.Since = parseUnix(v)
		case "sync.last":
			st.LastSync = parseUnix(v)
		case "sync.full":
			st.LastFull = parseUnix(v)
		}
	}
	return st, rows.Err()
}

// SetSyncState saves the sync state.
func (l *Library) SetSyncState(ctx context.Context, st SyncState) error {
	complete := "0"
	if st.Complete {
		complete = "1"
	}
	kv := [][2]string{
		{"sync.server", st.Server}, {"sync.user", st.User}, {"sync.complete", complete},
		{"sync.since", formatUnix(st.Since)}, {"sync.last", formatUnix(st.LastSync)}, {"sync.full", formatUnix(st.LastFull)},
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, e := range kv {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, e[0], e[1]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func formatUnix(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}

func parseUnix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Counts are the numbers of objects in the cache.
type Counts struct {
	Artists, Albums, Songs, Genres, Playlists, Podcasts, Episodes int
}

// Counts counts the cached objects.
func (l *Library) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := l.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM artists), (SELECT count(*) FROM albums), (SELECT count(*) FROM songs),
		(SELECT count(*) FROM genres), (SELECT count(*) FROM playlists), (SELECT count(*) FROM podcasts),
		(SELECT count(*) FROM episodes)`).Scan(&c.Artists, &c.Albums, &c.Songs, &c.Genres, &c.Playlists, &c.Podcasts, &c.Episodes)
	return c, err
}
