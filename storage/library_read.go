package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ListQuery narrows and orders a list read from the cache.
type ListQuery struct {
	Filter string // the name contains this text (case and accents ignored)
	Exact  bool   // the name is Filter (case and accents ignored)
	// Sort is "name" (the default; "title" for songs), "year", "rating",
	// "id" or "time"; other names are refused with ErrUnsupportedSort.
	Sort   string
	Desc   bool
	Offset int
	Limit  int // 0: all
}

// ErrUnsupportedSort means the cache cannot order a list that way.
var ErrUnsupportedSort = errors.New("the library cache cannot sort by this field")

// where builds the filter condition on sort_key.
func (q ListQuery) where() (string, []any) {
	f := strings.TrimSpace(q.Filter)
	if f == "" {
		return "", nil
	}
	if q.Exact {
		return " WHERE t.sort_key = ?", []any{Fold(f)}
	}
	return " WHERE instr(t.sort_key, ?) > 0", []any{Fold(f)}
}

// order builds ORDER BY and LIMIT for a table with the given columns.
func (q ListQuery) order(cols map[string]string) (string, error) {
	col, ok := cols[strings.ToLower(strings.TrimSpace(q.Sort))]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnsupportedSort, q.Sort)
	}
	dir := ""
	if q.Desc {
		dir = " DESC"
	}
	s := " ORDER BY " + col + dir + ", t.id" + dir
	if q.Limit > 0 {
		s += " LIMIT " + strconv.Itoa(q.Limit)
	} else if q.Offset > 0 {
		s += " LIMIT -1"
	}
	if q.Offset > 0 {
		s += " OFFSET " + strconv.Itoa(q.Offset)
	}
	return s, nil
}

var (
	nameSorts = map[string]string{"": "t.sort_key", "name": "t.sort_key", "title": "t.sort_key", "id": "t.id"}
	songSorts = map[string]string{"": "t.sort_key", "name": "t.sort_key", "title": "t.sort_key", "id": "t.id",
		"year": "t.year", "rating": "t.rating", "time": "t.time", "track": "t.track", "playcount": "t.playcount"}
	albumSorts = map[string]string{"": "t.sort_key", "name": "t.sort_key", "title": "t.sort_key", "id": "t.id",
		"year": "t.year", "rating": "t.rating", "time": "t.time", "artist": "t.artist_name"}
	artistSorts = map[string]string{"": "t.sort_key", "name": "t.sort_key", "title": "t.sort_key", "id": "t.id",
		"rating": "t.rating", "time": "t.time"}
)

// count counts a table's rows matching where.
func (l *Library) count(ctx context.Context, table, where string, args []any) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` t`+where, args...).Scan(&n)
	return n, err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

const songSelect = `SELECT t.id, t.title, t.artist_id, t.artist_name, t.album_id, t.album_name, t.album_artist_id,
	t.album_artist_name, t.disc, t.track, t.time, t.year, t.format, t.size, t.bitrate, t.has_art, t.flag, t.rating,
	t.playcount, t.extra FROM songs t`

func scanSong(r scanner) (Song, error) {
	var s Song
	var rating sql.NullInt64
	var extra []byte
	err := r.Scan(&s.ID, &s.Title, &s.Artist.ID, &s.Artist.Name, &s.Album.ID, &s.Album.Name, &s.AlbumArtist.ID,
		&s.AlbumArtist.Name, &s.Disc, &s.Track, &s.Time, &s.Year, &s.Format, &s.Size, &s.Bitrate, &s.HasArt, &s.Flag,
		&rating, &s.PlayCount, &extra)
	if err != nil {
		return s, err
	}
	s.Rating = intPtr(rating)
	s.readExtra(extra)
	return s, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

const albumSelect = `SELECT t.id, t.name, t.artist_id, t.artist_name, t.year, t.song_count, t.disc_count, t.time,
	t.has_art, t.flag, t.rating, t.extra FROM albums t`

func scanAlbum(r scanner) (Album, error) {
	var a Album
	var rating sql.NullInt64
	var extra []byte
	err := r.Scan(&a.ID, &a.Name, &a.Artist.ID, &a.Artist.Name, &a.Year, &a.SongCount, &a.DiscCount, &a.Time,
		&a.HasArt, &a.Flag, &rating, &extra)
	if err != nil {
		return a, err
	}
	a.Rating = intPtr(rating)
	a.readExtra(extra)
	return a, nil
}

const artistSelect = `SELECT t.id, t.name, t.album_count, t.song_count, t.time, t.has_art, t.flag, t.rating, t.extra FROM artists t`

func scanArtist(r scanner) (Artist, error) {
	var a Artist
	var rating sql.NullInt64
	var extra []byte
	err := r.Scan(&a.ID, &a.Name, &a.AlbumCount, &a.SongCount, &a.Time, &a.HasArt, &a.Flag, &rating, &extra)
	if err != nil {
		return a, err
	}
	a.Rating = intPtr(rating)
	a.readExtra(extra)
	return a, nil
}

const genreSelect = `SELECT t.id, t.name, t.albums, t.artists, t.songs, t.videos, t.playlists, t.live_streams, t.hidden FROM genres t`

func scanGenre(r scanner) (Genre, error) {
	var g Genre
	err := r.Scan(&g.ID, &g.Name, &g.Albums, &g.Artists, &g.Songs, &g.Videos, &g.Playlists, &g.LiveStreams, &g.Hidden)
	return g, err
}

// queryAll runs a query and scans every row.
func queryAll[T any](ctx context.Context, db *sql.DB, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryOne runs a query for one row; ErrNotCached when there is none.
func queryOne[T any](ctx context.Context, db *sql.DB, scan func(scanner) (T, error), query string, args ...any) (T, error) {
	v, err := scan(db.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotCached
	}
	return v, err
}

// list runs a ListQuery over a table: the page and the number of matches.
func list[T any](ctx context.Context, l *Library, table, sel string, sorts map[string]string, scan func(scanner) (T, error), q ListQuery) ([]T, int, error) {
	where, args := q.where()
	order, err := q.order(sorts)
	if err != nil {
		return nil, 0, err
	}
	total, err := l.count(ctx, table, where, args)
	if err != nil {
		return nil, 0, err
	}
	items, err := queryAll(ctx, l.db, scan, sel+where+order, args...)
	return items, total, err
}

// Artists lists cached artists.
func (l *Library) Artists(ctx context.Context, q ListQuery) ([]Artist, int, error) {
	return list(ctx, l, "artists", artistSelect, artistSorts, scanArtist, q)
}

// Albums lists cached albums.
func (l *Library) Albums(ctx context.Context, q ListQuery) ([]Album, int, error) {
	return list(ctx, l, "albums", albumSelect, albumSorts, scanAlbum, q)
}

// Songs lists cached songs.
func (l *Library) Songs(ctx context.Context, q ListQuery) ([]Song, int, error) {
	return list(ctx, l, "songs", songSelect, songSorts, scanSong, q)
}

// Genres lists cached genres.
func (l *Library) Genres(ctx context.Context, q ListQuery) ([]Genre, int, error) {
	return list(ctx, l, "genres", genreSelect, nameSorts, scanGenre, q)
}

// Artist returns one cached artist.
func (l *Library) Artist(ctx context.Context, id int64) (Artist, error) {
	return queryOne(ctx, l.db, scanArtist, artistSelect+` WHERE t.id = ?`, id)
}

// Album returns one cached album.
func (l *Library) Album(ctx context.Context, id int64) (Album, error) {
	return queryOne(ctx, l.db, scanAlbum, albumSelect+` WHERE t.id = ?`, id)
}

// Song returns one cached song.
func (l *Library) Song(ctx context.Context, id int64) (Song, error) {
	return queryOne(ctx, l.db, scanSong, songSelect+` WHERE t.id = ?`, id)
}

// Genre returns one cached genre.
func (l *Library) Genre(ctx context.Context, id int64) (Genre, error) {
	return queryOne(ctx, l.db, scanGenre, genreSelect+` WHERE t.id = ?`, id)
}

// SongsByID returns the cached songs among ids, in the order of ids
// (missing ones left out).
func (l *Library) SongsByID(ctx context.Context, ids []int64) ([]Song, error) {
	out := make([]Song, 0, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		got, err := queryAll(ctx, l.db, scanSong, songSelect+` WHERE t.id IN (`+placeholders(len(chunk))+`)`, int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]Song, len(got))
		for _, s := range got {
			byID[s.ID] = s
		}
		for _, id := range chunk {
			if s, ok := byID[id]; ok {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// AlbumSongs returns an album's songs by disc and track.
func (l *Library) AlbumSongs(ctx context.Context, album int64) ([]Song, error) {
	return queryAll(ctx, l.db, scanSong, songSelect+` WHERE t.album_id = ? ORDER BY t.disc, t.track, t.id`, album)
}

// ArtistAlbums returns the albums whose album artist is the artist, by
// year and name.
func (l *Library) ArtistAlbums(ctx context.Context, artist int64) ([]Album, error) {
	return queryAll(ctx, l.db, scanAlbum, albumSelect+` WHERE t.artist_id = ? ORDER BY t.year, t.sort_key, t.id`, artist)
}

// ArtistSongs returns the songs by the artist or on its albums, album by
// album in disc and track order.
func (l *Library) ArtistSongs(ctx context.Context, artist int64) ([]Song, error) {
	return queryAll(ctx, l.db, scanSong, songSelect+` LEFT JOIN albums a ON a.id = t.album_id
		WHERE t.artist_id = ?1 OR t.album_artist_id = ?1
		ORDER BY coalesce(a.year, 0), coalesce(a.sort_key, ''), t.album_id, t.disc, t.track, t.id`, artist)
}

// GenreSongs returns a page of the songs of a genre, by title, and their
// number.
func (l *Library) GenreSongs(ctx context.Context, genre int64, offset, limit int) ([]Song, int, error) {
	where := ` WHERE instr(t.genre_ids, ?) > 0`
	arg := "," + strconv.FormatInt(genre, 10) + ","
	total, err := l.count(ctx, "songs", where, []any{arg})
	if err != nil {
		return nil, 0, err
	}
	q := ListQuery{Offset: offset, Limit: limit}
	order, _ := q.order(songSorts)
	songs, err := queryAll(ctx, l.db, scanSong, songSelect+where+order, arg)
	return songs, total, err
}

// GenreAlbums returns the albums of a genre by name.
func (l *Library) GenreAlbums(ctx context.Context, genre int64) ([]Album, error) {
	return queryAll(ctx, l.db, scanAlbum, albumSelect+` WHERE instr(t.genre_ids, ?) > 0 ORDER BY t.sort_key, t.id`,
		","+strconv.FormatInt(genre, 10)+",")
}

// GenreArtists returns the artists of a genre by name.
func (l *Library) GenreArtists(ctx context.Context, genre int64) ([]Artist, error) {
	return queryAll(ctx, l.db, scanArtist, artistSelect+` WHERE instr(t.genre_ids, ?) > 0 ORDER BY t.sort_key, t.id`,
		","+strconv.FormatInt(genre, 10)+",")
}

const playlistSelect = `SELECT t.id, t.name, t.owner, t.items, t.type, t.smart, t.has_access, t.has_collaborate,
	t.has_art, t.flag, t.rating, t.md5, t.last_update, t.songs_known, t.extra FROM playlists t`

// PlaylistEntry is a cached playlist and whether its songs are cached.
type PlaylistEntry struct {
	Playlist
	SongsKnown bool
}

func scanPlaylist(r scanner) (PlaylistEntry, error) {
	var p PlaylistEntry
	var rating sql.NullInt64
	var last int64
	var extra []byte
	err := r.Scan(&p.ID, &p.Name, &p.Owner, &p.Items, &p.Type, &p.Smart, &p.HasAccess, &p.HasCollaborate,
		&p.HasArt, &p.Flag, &rating, &p.MD5, &last, &p.SongsKnown, &extra)
	if err != nil {
		return p, err
	}
	p.Rating = intPtr(rating)
	p.LastUpdate = fromUnixNano(last)
	p.readExtra(extra)
	return p, nil
}

// Playlists returns the cached playlists and smartlists by name.
func (l *Library) Playlists(ctx context.Context) ([]PlaylistEntry, error) {
	return queryAll(ctx, l.db, scanPlaylist, playlistSelect+` ORDER BY t.sort_key, t.id`)
}

// Playlist returns a cached playlist.
func (l *Library) Playlist(ctx context.Context, id string) (PlaylistEntry, error) {
	return queryOne(ctx, l.db, scanPlaylist, playlistSelect+` WHERE t.id = ?`, id)
}

// PlaylistSongs returns a playlist's cached songs in order (songs no
// longer in the library left out), each with its position.
func (l *Library) PlaylistSongs(ctx context.Context, id string) ([]Song, []int, error) {
	rows, err := l.db.QueryContext(ctx, strings.Replace(songSelect, " FROM songs t", ", p.pos FROM playlist_songs p JOIN songs t ON t.id = p.song_id", 1)+
		` WHERE p.playlist_id = ? ORDER BY p.pos`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var songs []Song
	var pos []int
	for rows.Next() {
		var p int
		s, err := scanSong(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &p)...) }))
		if err != nil {
			return nil, nil, err
		}
		songs = append(songs, s)
		pos = append(pos, p)
	}
	return songs, pos, rows.Err()
}

// PlaylistSongIDs returns a playlist's song ids as cached, in order.
func (l *Library) PlaylistSongIDs(ctx context.Context, id string) ([]int64, error) {
	return queryIDs(ctx, l.db, `SELECT song_id FROM playlist_songs WHERE playlist_id = ? ORDER BY pos`, id)
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

const podcastSelect = `SELECT t.id, t.name, t.feed_url, t.build_date, t.sync_date, t.has_art, t.flag, t.rating,
	t.episodes_known, t.extra FROM podcasts t`

// PodcastEntry is a cached podcast and whether its episodes are cached.
type PodcastEntry struct {
	Podcast
	EpisodesKnown bool
}

func scanPodcast(r scanner) (PodcastEntry, error) {
	var p PodcastEntry
	var rating sql.NullInt64
	var build, sync int64
	var extra []byte
	err := r.Scan(&p.ID, &p.Name, &p.FeedURL, &build, &sync, &p.HasArt, &p.Flag, &rating, &p.EpisodesKnown, &extra)
	if err != nil {
		return p, err
	}
	p.Rating = intPtr(rating)
	p.BuildDate, p.SyncDate = fromUnixNano(build), fromUnixNano(sync)
	p.readExtra(extra)
	return p, nil
}

// Podcasts returns the cached podcasts by name.
func (l *Library) Podcasts(ctx context.Context) ([]PodcastEntry, error) {
	return queryAll(ctx, l.db, scanPodcast, podcastSelect+` ORDER BY t.sort_key, t.id`)
}

// Podcast returns a cached podcast.
func (l *Library) Podcast(ctx context.Context, id int64) (PodcastEntry, error) {
	return queryOne(ctx, l.db, scanPodcast, podcastSelect+` WHERE t.id = ?`, id)
}

const episodeSelect = `SELECT t.id, t.podcast_id, t.podcast_name, t.title, t.pubdate, t.time, t.size, t.state,
	t.has_art, t.flag, t.rating, t.playcount, t.played, t.extra FROM episodes t`

func scanEpisode(r scanner) (Episode, error) {
	var e Episode
	var rating sql.NullInt64
	var pub int64
	var extra []byte
	err := r.Scan(&e.ID, &e.PodcastID, &e.PodcastName, &e.Title, &pub, &e.Time, &e.Size, &e.State, &e.HasArt, &e.Flag,
		&rating, &e.PlayCount, &e.Played, &extra)
	if err != nil {
		return e, err
	}
	e.Rating = intPtr(rating)
	e.PubDate = fromUnixNano(pub)
	e.readExtra(extra)
	return e, nil
}

// Episodes returns a podcast's cached episodes, newest first.
func (l *Library) Episodes(ctx context.Context, podcast int64) ([]Episode, error) {
	return queryAll(ctx, l.db, scanEpisode, episodeSelect+` WHERE t.podcast_id = ? ORDER BY t.pubdate DESC, t.id DESC`, podcast)
}

// Episode returns a cached episode.
func (l *Library) Episode(ctx context.Context, id int64) (Episode, error) {
	return queryOne(ctx, l.db, scanEpisode, episodeSelect+` WHERE t.id = ?`, id)
}

// IDs returns the ids of every cached object of a kind (not playlists).
func (l *Library) IDs(ctx context.Context, k Kind) ([]int64, error) {
	t, ok := kindTables[k]
	if !ok || k == KindPlaylist {
		return nil, fmt.Errorf("ids: unknown kind %q", k)
	}
	return queryIDs(ctx, l.db, `SELECT id FROM `+t.table+` ORDER BY id`)
}

// SetUserData records a rating (nil: none) and favourite flag of a
// song, album or artist the user changed, so the cache agrees with the
// server before the next sync.
func (l *Library) SetUserData(ctx context.Context, k Kind, id int64, rating *int, flag *bool) error {
	t, ok := kindTables[k]
	if !ok || k == KindPlaylist {
		return fmt.Errorf("user data: unknown kind %q", k)
	}
	if rating != nil {
		var v any
		if *rating > 0 {
			v = int64(*rating)
		}
		if _, err := l.db.ExecContext(ctx, `UPDATE `+t.table+` SET rating = ? WHERE id = ?`, v, id); err != nil {
			return err
		}
	}
	if flag != nil {
		if _, err := l.db.ExecContext(ctx, `UPDATE `+t.table+` SET flag = ? WHERE id = ?`, b2i(*flag), id); err != nil {
			return err
		}
	}
	return nil
}
