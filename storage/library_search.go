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

// queryWords splits what a person typed into folded words.
func queryWords(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
	out := words[:0]
	for _, w := range words {
		if f := Fold(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// MatchQuery turns what a person typed into an FTS5 query: every word
// must match, each as the start of a word, so "beyo hal" finds "Halo" by
// "Beyoncé". Case and accents are folded (as in the index). It is "" when
// text has no word.
func MatchQuery(text string) string {
	return matchQuery(queryWords(text))
}

func matchQuery(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Words hold letters and digits only: no quote to escape.
		b.WriteString(`"` + w + `"*`)
	}
	return b.String()
}

// nameMatches reports whether every word starts a word of name, as the
// index's name column would match.
func nameMatches(name string, words []string) bool {
	nameWords := queryWords(name)
	for _, w := range words {
		found := false
		for _, nw := range nameWords {
			if strings.HasPrefix(nw, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// candidateFactor: a search fetches up to this many times limit matches
// of a kind and puts those whose name matches first.
const candidateFactor = 4

// Search finds up to limit objects of each kind whose words start with
// every word of text: songs by title, artist, album or genre; albums by
// name, artist or genre; artists, genres, playlists and podcasts by name;
// episodes by title or podcast. Objects whose own name matches come
// first. No word, no result.
func (l *Library) Search(ctx context.Context, text string, limit int) (SearchResult, error) {
	var r SearchResult
	words := queryWords(text)
	q := matchQuery(words)
	if q == "" || limit <= 0 {
		return r, nil
	}
	// The songs, by far the largest index, are searched on a goroutine
	// (and connection) of their own while the other kinds are.
	songsDone := make(chan error, 1)
	go func() {
		var err error
		r.Songs, err = searchKind(ctx, l, "songs_fts", q, words, limit, func(ids []int64) ([]Song, error) { return l.SongsByID(ctx, ids) },
			func(s Song) string { return s.Title })
		songsDone <- err
	}()
	var err error
	run := func(fn func() error) {
		if err == nil {
			err = fn()
		}
	}
	run(func() (e error) {
		r.Albums, e = searchKind(ctx, l, "albums_fts", q, words, limit, func(ids []int64) ([]Album, error) {
			return byIDs(ctx, l, scanAlbum, albumSelect, "t.id", ids, func(a Album) int64 { return a.ID })
		}, func(a Album) string { return a.Name })
		return
	})
	run(func() (e error) {
		r.Artists, e = searchKind(ctx, l, "artists_fts", q, words, limit, func(ids []int64) ([]Artist, error) {
			return byIDs(ctx, l, scanArtist, artistSelect, "t.id", ids, func(a Artist) int64 { return a.ID })
		}, func(a Artist) string { return a.Name })
		return
	})
	run(func() (e error) {
		r.Genres, e = searchKind(ctx, l, "genres_fts", q, words, limit, func(ids []int64) ([]Genre, error) {
			return byIDs(ctx, l, scanGenre, genreSelect, "t.id", ids, func(g Genre) int64 { return g.ID })
		}, func(g Genre) string { return g.Name })
		return
	})
	run(func() (e error) {
		sel := strings.Replace(playlistSelect, "SELECT ", "SELECT t.rowid, ", 1)
		var pls []rowPlaylist
		pls, e = searchKind(ctx, l, "playlists_fts", q, words, limit, func(ids []int64) ([]rowPlaylist, error) {
			return byIDs(ctx, l, func(s scanner) (rowPlaylist, error) {
				var rp rowPlaylist
				var err error
				rp.PlaylistEntry, err = scanPlaylist(scanFunc(func(dest ...any) error { return s.Scan(append([]any{&rp.rowid}, dest...)...) }))
				return rp, err
			}, sel, "t.rowid", ids, func(p rowPlaylist) int64 { return p.rowid })
		}, func(p rowPlaylist) string { return p.Name })
		for _, p := range pls {
			r.Playlists = append(r.Playlists, p.PlaylistEntry)
		}
		return
	})
	run(func() (e error) {
		r.Podcasts, e = searchKind(ctx, l, "podcasts_fts", q, words, limit, func(ids []int64) ([]PodcastEntry, error) {
			return byIDs(ctx, l, scanPodcast, podcastSelect, "t.id", ids, func(p PodcastEntry) int64 { return p.ID })
		}, func(p PodcastEntry) string { return p.Name })
		return
	})
	run(func() (e error) {
		r.Episodes, e = searchKind(ctx, l, "episodes_fts", q, words, limit, func(ids []int64) ([]Episode, error) {
			return byIDs(ctx, l, scanEpisode, episodeSelect, "t.id", ids, func(e Episode) int64 { return e.ID })
		}, func(e Episode) string { return e.Title })
		return
	})
	if songsErr := <-songsDone; err == nil {
		err = songsErr
	}
	return r, err
}

// searchKind finds up to limit objects of one kind, those whose name
// matches first. Usually one query suffices: it fetches every match when
// there are at most candidateFactor × limit of them, and the names are
// told apart here. With more matches the name matches are asked for
// first, in a second query.
func searchKind[T any](ctx context.Context, l *Library, fts, q string, words []string, limit int, load func([]int64) ([]T, error), nameOf func(T) string) ([]T, error) {
	st, err := l.stmt(ctx, `SELECT rowid FROM `+fts+` WHERE `+fts+` MATCH ? LIMIT ?`)
	if err != nil {
		return nil, err
	}
	most := candidateFactor * limit
	all, err := stmtIDs(ctx, st, q, most+1)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	if len(all) <= most {
		items, err := load(all)
		if err != nil {
			return nil, err
		}
		var first, rest []T
		for _, it := range items {
			if nameMatches(nameOf(it), words) {
				first = append(first, it)
			} else {
				rest = append(rest, it)
			}
		}
		out := append(first, rest...)
		return out[:min(len(out), limit)], nil
	}
	byName, err := stmtIDs(ctx, st, "name : ("+q+")", limit)
	if err != nil {
		return nil, err
	}
	seen := make(map[int64]bool, len(byName))
	for _, id := range byName {
		seen[id] = true
	}
	ids := byName
	for _, id := range all {
		if len(ids) >= limit {
			break
		}
		if !seen[id] {
			ids = append(ids, id)
		}
	}
	return load(ids)
}

type rowPlaylist struct {
	PlaylistEntry
	rowid int64
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
