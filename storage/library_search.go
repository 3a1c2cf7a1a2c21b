package storage

import (
	"context"
	"database/sql"
	"strings"
	"unicode"
)

// SearchResult is what Search finds, grouped by kind, best matches first.
type SearchResult struct {
	Songs     []Song
	Albums    []Album
	Artists   []Artist
	Genres    []Genre
	Playlists []PlaylistEntry
	Podcasts  []PodcastEntry
	Episodes  []Episode
}

// MatchQuery turns what a person typed into an FTS5 query: every word
// must match, each as the start of a word, so "beyo hal" finds "Halo" by
// "Beyoncé". Case and accents are folded (as in the index). It is "" when
// text has no word.
func MatchQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Words hold letters and digits only: no quote to escape. They
		// are folded as the indexed text is.
		b.WriteString(`"` + Fold(w) + `"*`)
	}
	return b.String()
}

// Search finds up to limit objects of each kind whose words start with
// every word of text: songs by title, artist, album or genre; albums by
// name, artist or genre; artists, genres, playlists and podcasts by name;
// episodes by title or podcast. Objects whose own name matches come
// first. No word, no result.
func (l *Library) Search(ctx context.Context, text string, limit int) (SearchResult, error) {
	var r SearchResult
	q := MatchQuery(text)
	if q == "" || limit <= 0 {
		return r, nil
	}
	// The songs, by far the largest index, are searched on a goroutine
	// (and connection) of their own while the other kinds are.
	songsDone := make(chan error, 1)
	go func() {
		ids, err := l.match(ctx, "songs_fts", q, limit)
		if err == nil && len(ids) > 0 {
			r.Songs, err = l.SongsByID(ctx, ids)
		}
		songsDone <- err
	}()
	var err error
	ids := func(fts string) []int64 {
		if err != nil {
			return nil
		}
		var out []int64
		out, err = l.match(ctx, fts, q, limit)
		return out
	}
	load := func(fn func([]int64) error, ids []int64) {
		if err == nil && len(ids) > 0 {
			err = fn(ids)
		}
	}
	load(func(ids []int64) (e error) {
		r.Albums, e = byIDs(ctx, l, scanAlbum, albumSelect, "t.id", ids, func(a Album) int64 { return a.ID })
		return
	}, ids("albums_fts"))
	load(func(ids []int64) (e error) {
		r.Artists, e = byIDs(ctx, l, scanArtist, artistSelect, "t.id", ids, func(a Artist) int64 { return a.ID })
		return
	}, ids("artists_fts"))
	load(func(ids []int64) (e error) {
		r.Genres, e = byIDs(ctx, l, scanGenre, genreSelect, "t.id", ids, func(g Genre) int64 { return g.ID })
		return
	}, ids("genres_fts"))
	load(func(ids []int64) (e error) {
		sel := strings.Replace(playlistSelect, "SELECT ", "SELECT t.rowid, ", 1)
		var pls []rowPlaylist
		pls, e = byIDs(ctx, l, func(s scanner) (rowPlaylist, error) {
			var rp rowPlaylist
			var err error
			rp.PlaylistEntry, err = scanPlaylist(scanFunc(func(dest ...any) error { return s.Scan(append([]any{&rp.rowid}, dest...)...) }))
			return rp, err
		}, sel, "t.rowid", ids, func(p rowPlaylist) int64 { return p.rowid })
		for _, p := range pls {
			r.Playlists = append(r.Playlists, p.PlaylistEntry)
		}
		return
	}, ids("playlists_fts"))
	load(func(ids []int64) (e error) {
		r.Podcasts, e = byIDs(ctx, l, scanPodcast, podcastSelect, "t.id", ids, func(p PodcastEntry) int64 { return p.ID })
		return
	}, ids("podcasts_fts"))
	load(func(ids []int64) (e error) {
		r.Episodes, e = byIDs(ctx, l, scanEpisode, episodeSelect, "t.id", ids, func(e Episode) int64 { return e.ID })
		return
	}, ids("episodes_fts"))
	if songsErr := <-songsDone; err == nil {
		err = songsErr
	}
	return r, err
}

type rowPlaylist struct {
	PlaylistEntry
	rowid int64
}

// match returns up to limit rowids of an FTS table matching q: those
// whose name matches first, then the others.
func (l *Library) match(ctx context.Context, fts, q string, limit int) ([]int64, error) {
	st, err := l.stmt(ctx, `SELECT rowid FROM `+fts+` WHERE `+fts+` MATCH ? LIMIT ?`)
	if err != nil {
		return nil, err
	}
	byName, err := stmtIDs(ctx, st, "name : ("+q+")", limit)
	if err != nil || len(byName) >= limit {
		return byName, err
	}
	seen := make(map[int64]bool, len(byName))
	for _, id := range byName {
		seen[id] = true
	}
	// The second pass may repeat every first-pass hit: ask for enough.
	more, err := stmtIDs(ctx, st, q, limit+len(byName))
	if err != nil {
		return nil, err
	}
	out := byName
	for _, id := range more {
		if len(out) >= limit {
			break
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// byIDs loads the rows with the given keys, in the order of ids.
func byIDs[T any](ctx context.Context, l *Library, scan func(scanner) (T, error), sel, key string, ids []int64, idOf func(T) int64) ([]T, error) {
	got, err := queryAll(ctx, l.db, scan, sel+` WHERE `+key+` IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]T, len(got))
	for _, v := range got {
		byID[idOf(v)] = v
	}
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// stmtIDs runs a prepared query of ids.
func stmtIDs(ctx context.Context, st *sql.Stmt, args ...any) ([]int64, error) {
	rows, err := st.QueryContext(ctx, args...)
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
