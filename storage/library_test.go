package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTestLibrary(t *testing.T) *Library {
	t.Helper()
	l, err := OpenLibrary(context.Background(), filepath.Join(t.TempDir(), "lib.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func writer(t *testing.T, l *Library, index bool) *Writer {
	t.Helper()
	w, err := l.Writer(context.Background(), index)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func ptr[T any](v T) *T { return &v }

// testLibrary is a small library with accented names.
func testLibrary() ([]Artist, []Album, []Song, []Genre) {
	genres := []Genre{{ID: 1, Name: "Pop", Songs: 3, Albums: 1, Artists: 1}, {ID: 2, Name: "Post-Rock", Songs: 2, Albums: 1, Artists: 1}}
	artists := []Artist{
		{ID: 1, Name: "Beyoncé", Basename: "Beyoncé", AlbumCount: 1, SongCount: 3, Time: 600, HasArt: true, Genres: []GenreRef{{1, "Pop"}}, Rating: ptr(4)},
		{ID: 2, Name: "Sigur Rós", Basename: "Sigur Rós", AlbumCount: 1, SongCount: 2, Time: 500, Genres: []GenreRef{{2, "Post-Rock"}}, Summary: "Icelandic"},
		{ID: 3, Name: "The Halo Band", Prefix: "The", Basename: "Halo Band"},
	}
	beyonce := LibRef{ID: 1, Name: "Beyoncé", Basename: "Beyoncé"}
	sigur := LibRef{ID: 2, Name: "Sigur Rós", Basename: "Sigur Rós"}
	albums := []Album{
		{ID: 10, Name: "I Am... Sasha Fierce", Basename: "I Am... Sasha Fierce", Artist: beyonce, Artists: []LibRef{beyonce}, Year: 2008, SongCount: 3, DiscCount: 1, Time: 600, Genres: []GenreRef{{1, "Pop"}}, Type: "album", AvgRating: ptr(3.5)},
		{ID: 20, Name: "Ágætis byrjun", Basename: "Ágætis byrjun", Artist: sigur, Year: 1999, SongCount: 2, DiscCount: 1, Time: 500, Genres: []GenreRef{{2, "Post-Rock"}}},
	}
	song := func(id int64, title string, al Album, track int, g GenreRef) Song {
		return Song{ID: id, Title: title, Name: title, Artist: al.Artist, Artists: []LibRef{al.Artist},
			Album: LibRef{ID: al.ID, Name: al.Name, Basename: al.Name}, AlbumArtist: al.Artist, Disc: 1, Track: track,
			Genres: []GenreRef{g}, Time: 200 + track, Year: al.Year, Format: "mp3", Mime: "audio/mpeg",
			Bitrate: 320000, Rate: 44100, Mode: "cbr", Channels: 2, Size: 8000000 + int64(id), Filename: "/m/" + title + ".mp3",
			ReplayGainTrackGain: ptr(-6.5), Catalog: "1"}
	}
	songs := []Song{
		song(100, "Halo", albums[0], 2, GenreRef{1, "Pop"}),
		song(101, "If I Were a Boy", albums[0], 1, GenreRef{1, "Pop"}),
		song(102, "Single Ladies", albums[0], 3, GenreRef{1, "Pop"}),
		song(200, "Svefn-g-englar", albums[1], 1, GenreRef{2, "Post-Rock"}),
		song(201, "Starálfur", albums[1], 2, GenreRef{2, "Post-Rock"}),
	}
	songs[0].Rating = ptr(5)
	songs[0].Flag = true
	songs[3].Lyrics = "Tjú, tjú"
	return artists, albums, songs, genres
}

func fill(t *testing.T, l *Library, index bool) {
	t.Helper()
	ctx := context.Background()
	artists, albums, songs, genres := testLibrary()
	w := writer(t, l, index)
	for _, step := range []func() (int, error){
		func() (int, error) { return w.PutGenres(ctx, genres) },
		func() (int, error) { return w.PutArtists(ctx, artists) },
		func() (int, error) { return w.PutAlbums(ctx, albums) },
		func() (int, error) { return w.PutSongs(ctx, songs) },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if !index {
		if err := w.RebuildSearch(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLibraryRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	fill(t, l, false)
	artists, albums, songs, genres := testLibrary()
	for _, want := range songs {
		got, err := l.Song(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("song %d:\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
	for _, want := range albums {
		got, err := l.Album(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("album %d: %v\n got %+v\nwant %+v", want.ID, err, got, want)
		}
	}
	for _, want := range artists {
		got, err := l.Artist(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("artist %d: %v\n got %+v\nwant %+v", want.ID, err, got, want)
		}
	}
	gotGenres, total, err := l.Genres(ctx, ListQuery{})
	if err != nil || total != 2 || !reflect.DeepEqual(gotGenres, genres) {
		t.Errorf("genres %v %d: %+v", err, total, gotGenres)
	}
	if _, err := l.Song(ctx, 999); !errors.Is(err, ErrNotCached) {
		t.Errorf("missing song: %v", err)
	}
}

func TestLibraryUpsertReportsChangesOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	fill(t, l, true)
	_, _, songs, _ := testLibrary()
	w := writer(t, l, true)
	n, err := w.PutSongs(ctx, songs)
	if err != nil || n != 0 {
		t.Fatalf("rewriting the same songs changed %d (%v)", n, err)
	}
	songs[1].Title = "If I Were a Girl"
	n, err = w.PutSongs(ctx, songs)
	if err != nil || n != 1 {
		t.Fatalf("one changed title: %d changes (%v)", n, err)
	}
	// The index follows: the old title is gone, the new one found.
	if r, _ := l.Search(ctx, "boy", 10); len(r.Songs) != 0 {
		t.Errorf("old title still found: %+v", r.Songs)
	}
	if r, _ := l.Search(ctx, "girl", 10); len(r.Songs) != 1 || r.Songs[0].ID != 101 {
		t.Errorf("new title not found: %+v", r.Songs)
	}
}

func TestLibrarySearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, index := range []bool{false, true} {
		l := openTestLibrary(t)
		fill(t, l, index)
		l.db.ExecContext(ctx, `SELECT 1`)
		w := writer(t, l, index)
		if _, err := w.PutPlaylist(ctx, Playlist{ID: "7", Name: "Beyoncé Favourites", Type: "public"}, []int64{102, 100}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.PutPodcasts(ctx, []Podcast{{ID: 3, Name: "Éclairs du Matin"}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.PutEpisodes(ctx, 3, []Episode{{ID: 30, Title: "Halo of Light", PodcastID: 3, PodcastName: "Éclairs du Matin"}}, true); err != nil {
			t.Fatal(err)
		}
		if !index {
			if err := w.RebuildSearch(ctx); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(r SearchResult) map[string][]int64 {
			m := map[string][]int64{}
			for _, s := range r.Songs {
				m["song"] = append(m["song"], s.ID)
			}
			for _, a := range r.Albums {
				m["album"] = append(m["album"], a.ID)
			}
			for _, a := range r.Artists {
				m["artist"] = append(m["artist"], a.ID)
			}
			for _, g := range r.Genres {
				m["genre"] = append(m["genre"], g.ID)
			}
			for range r.Playlists {
				m["playlist"] = append(m["playlist"], 1)
			}
			for _, p := range r.Podcasts {
				m["podcast"] = append(m["podcast"], p.ID)
			}
			for _, e := range r.Episodes {
				m["episode"] = append(m["episode"], e.ID)
			}
			return m
		}
		for _, tc := range []struct {
			q    string
			want map[string][]int64
		}{
			// Accents and case: "beyonce" finds "Beyoncé".
			{"beyonce", map[string][]int64{"song": {100, 101, 102}, "album": {10}, "artist": {1}, "playlist": {1}}},
			{"BEYONCÉ", map[string][]int64{"song": {100, 101, 102}, "album": {10}, "artist": {1}, "playlist": {1}}},
			// Prefixes; names matching first (the band's name, then the song by title).
			{"hal", map[string][]int64{"song": {100}, "artist": {3}, "episode": {30}}},
			{"sigur ros", map[string][]int64{"song": {200, 201}, "album": {20}, "artist": {2}}},
			{"agaetis", map[string][]int64{"song": {200, 201}, "album": {20}}},
			{"ÁGÆT", map[string][]int64{"song": {200, 201}, "album": {20}}},
			{"staralf", map[string][]int64{"song": {201}}},
			// Every word must match, each as a prefix, across fields.
			{"beyo halo", map[string][]int64{"song": {100}}},
			{"single lad", map[string][]int64{"song": {102}}},
			{"pop", map[string][]int64{"song": {100, 101, 102}, "album": {10}, "genre": {1}}},
			{"post rock", map[string][]int64{"song": {200, 201}, "album": {20}, "genre": {2}}},
			{"eclairs", map[string][]int64{"podcast": {3}, "episode": {30}}},
			// No match, no words.
			{"beyonce svefn", map[string][]int64{}},
			{"zzz", map[string][]int64{}},
			{"  -- ", map[string][]int64{}},
			{`"halo*`, map[string][]int64{"song": {100}, "artist": {3}, "episode": {30}}},
		} {
			r, err := l.Search(ctx, tc.q, 10)
			if err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			got := ids(r)
			for k := range got {
				slices.Sort(got[k])
			}
			for k := range tc.want {
				slices.Sort(tc.want[k])
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("index=%v %q: got %v, want %v", index, tc.q, got, tc.want)
			}
		}
		// The limit applies to each kind; name matches come first.
		r, err := l.Search(ctx, "halo", 1)
		if err != nil || len(r.Songs) != 1 || r.Songs[0].ID != 100 || len(r.Artists) != 1 {
			t.Errorf("limit 1: %v %+v", err, ids(r))
		}
	}
}

func TestMatchQuery(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"beyonce":         `"beyonce"*`,
		"  Sigur   Rós ":  `"sigur"* "ros"*`,
		`AC/DC "back"`:    `"ac"* "dc"* "back"*`,
		"don't stop":      `"don"* "t"* "stop"*`,
		"NEAR(a b) OR c":  `"near"* "a"* "b"* "or"* "c"*`,
		"":                "",
		"*-*":             "",
		"日本語 ロック":         `"日本語"* "ロック"*`,
		"cafe\u0301 noir": `"cafe"* "noir"*`,
		"Ágætis":          `"agaetis"*`,
	} {
		if got := MatchQuery(in); got != want {
			t.Errorf("MatchQuery(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Beyoncé": "beyonce", "Sigur Rós": "sigur ros", "MÖTLEY CRÜE": "motley crue", "Ærø": "aero",
		"Straße": "strasse", "Łódź": "lodz", "plain": "plain", "ÆØÅ æøå": "aeoa aeoa", "Σίγουρ": "σίγουρ",
		"cafe\u0301": "cafe",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLibraryLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	fill(t, l, true)
	names := func(as []Artist) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	as, total, err := l.Artists(ctx, ListQuery{})
	if err != nil || total != 3 || !slices.Equal(names(as), []string{"Beyoncé", "Sigur Rós", "The Halo Band"}) {
		t.Fatalf("artists %v %d %v", err, total, names(as))
	}
	as, total, _ = l.Artists(ctx, ListQuery{Filter: "ROS"})
	if total != 1 || !slices.Equal(names(as), []string{"Sigur Rós"}) {
		t.Errorf("filter: %d %v", total, names(as))
	}
	as, _, _ = l.Artists(ctx, ListQuery{Filter: "beyonce", Exact: true})
	if !slices.Equal(names(as), []string{"Beyoncé"}) {
		t.Errorf("exact: %v", names(as))
	}
	as, total, _ = l.Artists(ctx, ListQuery{Sort: "name", Desc: true, Offset: 1, Limit: 1})
	if total != 3 || !slices.Equal(names(as), []string{"Sigur Rós"}) {
		t.Errorf("page: %d %v", total, names(as))
	}
	if _, _, err := l.Artists(ctx, ListQuery{Sort: "mbid"}); !errors.Is(err, ErrUnsupportedSort) {
		t.Errorf("unsupported sort: %v", err)
	}
	songs, _ := l.AlbumSongs(ctx, 10)
	var titles []string
	for _, s := range songs {
		titles = append(titles, s.Title)
	}
	if !slices.Equal(titles, []string{"If I Were a Boy", "Halo", "Single Ladies"}) {
		t.Errorf("album songs by track: %v", titles)
	}
	if as, _ := l.ArtistSongs(ctx, 2); len(as) != 2 || as[0].ID != 200 {
		t.Errorf("artist songs: %+v", as)
	}
	if al, _ := l.ArtistAlbums(ctx, 1); len(al) != 1 || al[0].ID != 10 {
		t.Errorf("artist albums: %+v", al)
	}
	gs, n, _ := l.GenreSongs(ctx, 2, 0, 1)
	if n != 2 || len(gs) != 1 || gs[0].ID != 201 {
		t.Errorf("genre songs: %d %+v", n, gs)
	}
	if ga, _ := l.GenreAlbums(ctx, 1); len(ga) != 1 || ga[0].ID != 10 {
		t.Errorf("genre albums: %+v", ga)
	}
	if ga, _ := l.GenreArtists(ctx, 2); len(ga) != 1 || ga[0].ID != 2 {
		t.Errorf("genre artists: %+v", ga)
	}
	byID, _ := l.SongsByID(ctx, []int64{201, 999, 100})
	if len(byID) != 2 || byID[0].ID != 201 || byID[1].ID != 100 {
		t.Errorf("songs by id: %+v", byID)
	}
}

func TestLibraryDeletesAndRecounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	fill(t, l, true)
	w := writer(t, l, true)
	// A song moves from album 10 to album 20: both albums' counts follow.
	_, _, songs, _ := testLibrary()
	moved := songs[2]
	moved.Album = LibRef{ID: 20, Name: "Ágætis byrjun"}
	moved.AlbumArtist = LibRef{ID: 2, Name: "Sigur Rós"}
	moved.Artist = moved.AlbumArtist
	if n, err := w.PutSongs(ctx, []Song{moved}); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if n, err := w.Delete(ctx, KindSong, []int64{200, 999}); err != nil || n != 1 {
		t.Fatalf("delete: %d %v", n, err)
	}
	if err := w.RecountTouched(ctx); err != nil {
		t.Fatal(err)
	}
	a10, _ := l.Album(ctx, 10)
	a20, _ := l.Album(ctx, 20)
	if a10.SongCount != 2 || a10.Time != 201+202 || a20.SongCount != 2 || a20.Time != 203+202 {
		t.Errorf("album counts: %d/%d, %d/%d", a10.SongCount, a10.Time, a20.SongCount, a20.Time)
	}
	b, _ := l.Artist(ctx, 1)
	s, _ := l.Artist(ctx, 2)
	if b.SongCount != 2 || s.SongCount != 2 || b.AlbumCount != 1 {
		t.Errorf("artist counts: %+v %+v", b, s)
	}
	// Deleting an album takes its songs (and their search rows) along.
	if n, err := w.Delete(ctx, KindAlbum, []int64{10}); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if c, _ := l.Counts(ctx); c.Albums != 1 || c.Songs != 2 {
		t.Errorf("counts after album delete: %+v", c)
	}
	if r, _ := l.Search(ctx, "halo", 10); len(r.Songs) != 0 {
		t.Errorf("deleted song still found: %+v", r.Songs)
	}
	// KeepOnly drops what the server no longer lists.
	n, err := w.KeepOnly(ctx, KindArtist, map[int64]struct{}{2: {}})
	if err != nil || n != 2 {
		t.Fatalf("keep only: %d %v", n, err)
	}
	if ids, _ := l.IDs(ctx, KindArtist); !slices.Equal(ids, []int64{2}) {
		t.Errorf("artists left: %v", ids)
	}
	if r, _ := l.Search(ctx, "beyonce", 10); len(r.Artists) != 0 {
		t.Errorf("deleted artist still found")
	}
}

func TestLibraryPlaylistsAndPodcasts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	fill(t, l, true)
	w := writer(t, l, true)
	pl := Playlist{ID: "5", Name: "Mix", Owner: "admin", Items: 3, Type: "public", HasAccess: true, MD5: "abc",
		LastUpdate: time.Unix(1700000000, 0).UTC(), Rating: ptr(3)}
	if ch, err := w.PutPlaylist(ctx, pl, []int64{201, 100, 201}); err != nil || !ch {
		t.Fatal(ch, err)
	}
	smart := Playlist{ID: "smart_2", Name: "Recent", Smart: true, Type: "public"}
	if _, err := w.PutPlaylist(ctx, smart, nil); err != nil {
		t.Fatal(err)
	}
	if ch, _ := w.PutPlaylist(ctx, pl, []int64{201, 100, 201}); ch {
		t.Error("the same playlist counts as changed")
	}
	got, err := l.Playlist(ctx, "5")
	if err != nil || !got.SongsKnown || !reflect.DeepEqual(got.Playlist, pl) {
		t.Errorf("playlist: %v %+v", err, got)
	}
	if got, _ := l.Playlist(ctx, "smart_2"); got.SongsKnown || !got.Smart {
		t.Errorf("smartlist: %+v", got)
	}
	songs, pos, err := l.PlaylistSongs(ctx, "5")
	if err != nil || len(songs) != 3 || songs[0].ID != 201 || songs[1].ID != 100 || !slices.Equal(pos, []int{1, 2, 3}) {
		t.Errorf("playlist songs: %v %v %v", err, songs, pos)
	}
	// A song gone from the library drops out of the playlist's songs.
	w.Delete(ctx, KindSong, []int64{100})
	if songs, pos, _ := l.PlaylistSongs(ctx, "5"); len(songs) != 2 || !slices.Equal(pos, []int{1, 3}) {
		t.Errorf("after song delete: %v %v", songs, pos)
	}
	if n, err := w.DeletePlaylistsExcept(ctx, []string{"smart_2"}); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if _, err := l.Playlist(ctx, "5"); !errors.Is(err, ErrNotCached) {
		t.Errorf("deleted playlist: %v", err)
	}
	if ids, _ := l.PlaylistSongIDs(ctx, "5"); len(ids) != 0 {
		t.Errorf("deleted playlist's songs remain: %v", ids)
	}

	pod := Podcast{ID: 1, Name: "Talk", FeedURL: "https://x/feed", Description: "words", SyncDate: time.Unix(1700000000, 0).UTC()}
	if _, err := w.PutPodcasts(ctx, []Podcast{pod}); err != nil {
		t.Fatal(err)
	}
	eps := []Episode{
		{ID: 11, Title: "One", Name: "One", PodcastID: 1, PodcastName: "Talk", PubDate: time.Unix(1600000000, 0).UTC(), Time: 600, Size: 1e6, State: "completed", Mime: "audio/mpeg", Filename: "one.mp3"},
		{ID: 12, Title: "Two", Name: "Two", PodcastID: 1, PodcastName: "Talk", PubDate: time.Unix(1650000000, 0).UTC(), Time: 700, Size: 2e6},
	}
	if ch, del, err := w.PutEpisodes(ctx, 1, eps, true); err != nil || ch != 2 || del != 0 {
		t.Fatal(ch, del, err)
	}
	gotPod, err := l.Podcast(ctx, 1)
	if err != nil || !gotPod.EpisodesKnown || !reflect.DeepEqual(gotPod.Podcast, pod) {
		t.Errorf("podcast %v %+v", err, gotPod)
	}
	gotEps, _ := l.Episodes(ctx, 1)
	if len(gotEps) != 2 || !reflect.DeepEqual(gotEps[1], eps[0]) || gotEps[0].ID != 12 {
		t.Errorf("episodes newest first: %+v", gotEps)
	}
	// A full episode list without 11 deletes it.
	if _, del, err := w.PutEpisodes(ctx, 1, eps[1:], true); err != nil || del != 1 {
		t.Fatal(del, err)
	}
	if _, err := l.Episode(ctx, 11); !errors.Is(err, ErrNotCached) {
		t.Errorf("episode 11: %v", err)
	}
	// Deleting the podcast takes its episodes.
	w.Delete(ctx, KindPodcast, []int64{1})
	if c, _ := l.Counts(ctx); c.Podcasts != 0 || c.Episodes != 0 {
		t.Errorf("counts: %+v", c)
	}
}

func TestLibrarySyncState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	if st, err := l.SyncState(ctx); err != nil || st != (SyncState{}) {
		t.Fatalf("fresh state: %+v %v", st, err)
	}
	want := SyncState{Server: "http://x/ampache", User: "u", Complete: true, Since: time.Unix(1700000000, 0).UTC(),
		LastSync: time.Unix(1700000100, 5).UTC(), LastFull: time.Unix(1700000050, 0).UTC()}
	if err := l.SetSyncState(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.SyncState(ctx); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestLibraryMigratesFromVersion1 builds a version-1 cache (the music
// tables only), fills it, and opens it with the current code: the
// playlist and podcast tables appear, and the search index is built from
// the rows already there.
func TestLibraryMigratesFromVersion1(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := openLibrary(ctx, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != 1 {
		t.Fatalf("old schema %d", v)
	}
	// Version 1 writes as that release did: rows without search tables.
	_, err = old.db.ExecContext(ctx, `INSERT INTO artists(id, name, sort_key, album_count, song_count, time, has_art, flag, rating, genre_ids, genre_names, extra)
		VALUES(1, 'Björk', 'bjork', 1, 1, 100, 1, 0, NULL, '', '', NULL)`)
	if err == nil {
		_, err = old.db.ExecContext(ctx, `INSERT INTO songs(id, title, sort_key, artist_id, artist_name, album_id, album_name, album_artist_id, album_artist_name,
			disc, track, time, year, format, size, bitrate, has_art, flag, rating, playcount, genre_ids, genre_names, extra)
			VALUES(5, 'Jóga', 'joga', 1, 'Björk', 2, 'Homogenic', 1, 'Björk', 1, 3, 305, 1997, 'flac', 1234, 900000, 1, 0, 4, 7, ',9,', 'Electronic', NULL)`)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.ExecContext(ctx, `SELECT 1 FROM playlists`); err == nil {
		t.Fatal("version 1 has playlists")
	}
	old.Close()

	l, err := OpenLibrary(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if v, _ := l.SchemaVersion(ctx); v != len(migrations) {
		t.Fatalf("schema %d after upgrade, want %d", v, len(migrations))
	}
	s, err := l.Song(ctx, 5)
	if err != nil || s.Title != "Jóga" || s.Artist.Name != "Björk" || *s.Rating != 4 || s.PlayCount != 7 || s.Name != "Jóga" {
		t.Fatalf("song after upgrade: %v %+v", err, s)
	}
	r, err := l.Search(ctx, "bjork joga", 10)
	if err != nil || len(r.Songs) != 1 || r.Songs[0].ID != 5 {
		t.Fatalf("search after upgrade: %v %+v", err, r)
	}
	if r, _ := l.Search(ctx, "electro", 10); len(r.Songs) != 1 {
		t.Errorf("genre search after upgrade: %+v", r)
	}
	if r, _ := l.Search(ctx, "bjo", 10); len(r.Artists) != 1 {
		t.Errorf("artist search after upgrade: %+v", r)
	}
	w := writer(t, l, true)
	if _, err := w.PutPlaylist(ctx, Playlist{ID: "1", Name: "New"}, []int64{5}); err != nil {
		t.Fatalf("playlists after upgrade: %v", err)
	}
	// Opening again changes nothing.
	l.Close()
	l2, err := OpenLibrary(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if r, _ := l2.Search(ctx, "joga", 10); len(r.Songs) != 1 {
		t.Errorf("search after reopen: %+v", r)
	}
}

func TestLibraryRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	l, err := OpenLibrary(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	l.db.ExecContext(ctx, `UPDATE schema_version SET version = 99`)
	l.Close()
	if _, err := OpenLibrary(ctx, path); !errors.Is(err, ErrLibraryTooNew) {
		t.Fatalf("got %v", err)
	}
	if err := RemoveLibrary(path); err != nil {
		t.Fatal(err)
	}
	l, err = OpenLibrary(ctx, path)
	if err != nil {
		t.Fatalf("after removal: %v", err)
	}
	l.Close()
}

func TestLibraryFileNames(t *testing.T) {
	t.Parallel()
	a := LibraryFile("/c", "home server")
	b := LibraryFile("/c", "home/server")
	if a == b || filepath.Dir(a) != "/c/library" || strings.ContainsAny(filepath.Base(a), " /?#") {
		t.Errorf("%q %q", a, b)
	}
	if LibraryFile("/c", "x") != LibraryFile("/c", "x") {
		t.Error("not stable")
	}
	if got := filepath.Base(LibraryFile("/c", "../../etc")); strings.Contains(got, "/") || strings.HasPrefix(got, ".") {
		t.Errorf("unsafe: %q", got)
	}
}

func TestExtraToleratesDamage(t *testing.T) {
	t.Parallel()
	_, _, songs, _ := testLibrary()
	b := songs[0].extra()
	for cut := 0; cut < len(b); cut++ {
		var s Song
		s.readExtra(b[:cut]) // must not panic
	}
	var s Song
	s.readExtra([]byte{99, 1, 2, 3}) // an unknown version reads as empty
	if s.Mime != "" {
		t.Error("unknown version decoded")
	}
}

// TestLibraryBulkLoad: a first load drops the secondary indexes and makes
// them again; an interrupted one gets them back on the next open.
func TestLibraryBulkLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulk.db")
	l, err := OpenLibrary(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	indexes := func(l *Library) []string {
		var out []string
		rows, _ := l.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('songs', 'albums', 'artists') ORDER BY name`)
		for rows.Next() {
			var n string
			rows.Scan(&n)
			out = append(out, n)
		}
		rows.Close()
		return out
	}
	all := indexes(l)
	if len(all) != 7 {
		t.Fatalf("indexes %v", all)
	}
	w := writer(t, l, false)
	if ok, err := w.BeginBulk(ctx); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got := indexes(l); len(got) != 0 {
		t.Fatalf("still indexed: %v", got)
	}
	fill(t, l, false)
	if err := w.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if got := indexes(l); !slices.Equal(got, all) {
		t.Fatalf("after the load: %v", got)
	}
	if songs, _ := l.AlbumSongs(ctx, 10); len(songs) != 3 {
		t.Errorf("album songs after the load: %d", len(songs))
	}
	// Not empty: no bulk load.
	if ok, err := w.BeginBulk(ctx); err != nil || ok {
		t.Fatalf("bulk on a full library: %v %v", ok, err)
	}
	// Interrupted: the next open restores the indexes.
	l2, err := OpenLibrary(ctx, filepath.Join(t.TempDir(), "cut.db"))
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := l2.Writer(ctx, false)
	if ok, _ := w2.BeginBulk(ctx); !ok {
		t.Fatal("no bulk")
	}
	w2.Close()
	p2 := l2.Path()
	l2.Close()
	l3, err := OpenLibrary(ctx, p2)
	if err != nil {
		t.Fatal(err)
	}
	defer l3.Close()
	if got := indexes(l3); !slices.Equal(got, all) {
		t.Fatalf("after reopening an interrupted load: %v", got)
	}
}

// TestLibrarySearchNamesFirst: among many matches, those whose own name
// matches come first, however many others match by artist or album.
func TestLibrarySearchNamesFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	w := writer(t, l, true)
	var songs []Song
	for i := int64(1); i <= 60; i++ {
		songs = append(songs, Song{ID: i, Title: fmt.Sprintf("Track %d", i), Artist: LibRef{ID: 1, Name: "Glowing Embers"},
			Album: LibRef{ID: 1, Name: "Glow"}, AlbumArtist: LibRef{ID: 1, Name: "Glowing Embers"}})
	}
	songs = append(songs, Song{ID: 61, Title: "Glow in the Dark", Artist: LibRef{ID: 2, Name: "Other"}, Album: LibRef{ID: 2, Name: "Other"}})
	if _, err := w.PutSongs(ctx, songs); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{5, 20} {
		r, err := l.Search(ctx, "glo", limit)
		if err != nil || len(r.Songs) != limit || r.Songs[0].ID != 61 {
			t.Errorf("limit %d: %v, first %+v of %d", limit, err, r.Songs[0].Title, len(r.Songs))
		}
	}
	// Few matches: ordered here, names first too.
	r, _ := l.Search(ctx, "glow dark", 5)
	if len(r.Songs) != 1 || r.Songs[0].ID != 61 {
		t.Errorf("glow dark: %+v", r.Songs)
	}
}

// TestLibraryBulkLoadSearch: during a bulk load the search indexes of the
// songs, albums and artists do not merge; at its end (or, when it was
// interrupted, at the next open) they are merged and merge again as
// usual, and find what the load wrote.
func TestLibraryBulkLoadSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	automerge := func(l *Library) []int {
		var out []int
		for _, k := range bulkKinds {
			var v int
			if err := l.db.QueryRowContext(ctx, `SELECT v FROM `+kindTables[k].fts+`_config WHERE k = 'automerge'`).Scan(&v); err != nil {
				v = ftsAutomerge // not set: FTS5's default
			}
			out = append(out, v)
		}
		return out
	}
	load := func(l *Library, end bool) {
		t.Helper()
		artists, albums, songs, genres := testLibrary()
		w := writer(t, l, true)
		if ok, err := w.BeginBulk(ctx); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if got := automerge(l); !slices.Equal(got, []int{0, 0, 0}) {
			t.Fatalf("automerge during the load: %v", got)
		}
		if _, err := w.PutGenres(ctx, genres); err != nil {
			t.Fatal(err)
		}
		if _, err := w.PutArtists(ctx, artists); err != nil {
			t.Fatal(err)
		}
		if _, err := w.PutAlbums(ctx, albums); err != nil {
			t.Fatal(err)
		}
		for _, s := range songs { // a transaction (a segment) each
			if _, err := w.PutSongs(ctx, []Song{s}); err != nil {
				t.Fatal(err)
			}
		}
		if end {
			if err := w.EndBulk(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(l *Library, what string) {
		t.Helper()
		if got := automerge(l); !slices.Equal(got, []int{ftsAutomerge, ftsAutomerge, ftsAutomerge}) {
			t.Errorf("%s: automerge %v", what, got)
		}
		for q, want := range map[string]string{"beyonce": "Beyoncé", "sigur ros": "Sigur Rós", "agaetis": "Ágætis byrjun"} {
			r, err := l.Search(ctx, q, 10)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range r.Artists {
				found = found || a.Name == want
			}
			for _, a := range r.Albums {
				found = found || a.Name == want
			}
			if !found || len(r.Songs) == 0 {
				t.Errorf("%s: %q found %d artists, %d albums, %d songs", what, q, len(r.Artists), len(r.Albums), len(r.Songs))
			}
		}
	}

	l := openTestLibrary(t)
	load(l, true)
	check(l, "after the load")

	// Interrupted: the next open finishes it.
	path := filepath.Join(t.TempDir(), "cut.db")
	l2, err := OpenLibrary(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	load(l2, false)
	l2.Close()
	l3, err := OpenLibrary(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l3.Close()
	check(l3, "after reopening an interrupted load")
}

// TestLibraryBulkSongsMatchRowByRow: a bulk load writes songs many to a
// statement; the same puts give the same rows, counts and search results
// as row-by-row writes, songs written twice in the load (the same or
// changed, in one page or across pages) included.
func TestLibraryBulkSongsMatchRowByRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	song := func(id int64, title string) Song {
		return Song{ID: id, Title: title, Name: title, Artist: LibRef{ID: id%3 + 1, Name: fmt.Sprintf("Ärtist %d", id%3)},
			Album: LibRef{ID: id%5 + 1, Name: fmt.Sprintf("Album %d", id%5)}, AlbumArtist: LibRef{ID: 1, Name: "Ärtist 0"},
			Track: int(id), Time: 100 + int(id), Genres: []GenreRef{{ID: id%2 + 1, Name: "Gènre"}}, Format: "flac",
			Filename: fmt.Sprintf("/m/%d.flac", id), Rating: ptr(int(id % 6))}
	}
	var page1, page2 []Song
	for id := int64(1); id <= 2*bulkRows+5; id++ { // full statements and a rest
		page1 = append(page1, song(id, fmt.Sprintf("Song %d", id)))
	}
	page1 = append(page1, song(7, "Song 7"), song(8, "Eighth renamed")) // again in the same page
	for id := int64(2*bulkRows + 6); id <= 3*bulkRows; id++ {
		page2 = append(page2, song(id, fmt.Sprintf("Song %d", id)))
	}
	page2 = append(page2, song(9, "Song 9"), song(10, "Tenth renamed"), song(1000, "Last")) // again across pages
	pages := [][]Song{page1, page2}

	write := func(bulk bool) (*Library, []int) {
		l := openTestLibrary(t)
		w := writer(t, l, true)
		if bulk {
			if ok, err := w.BeginBulk(ctx); err != nil || !ok {
				t.Fatal(ok, err)
			}
		}
		var changed []int
		for _, p := range pages {
			n, err := w.PutSongs(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			changed = append(changed, n)
		}
		if bulk {
			if err := w.EndBulk(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return l, changed
	}
	bulk, bulkChanged := write(true)
	rows, rowsChanged := write(false)
	if !slices.Equal(bulkChanged, rowsChanged) {
		t.Errorf("changed: bulk %v, row by row %v", bulkChanged, rowsChanged)
	}
	all := func(l *Library) []Song {
		s, n, err := l.Songs(ctx, ListQuery{Sort: "id", Limit: 1000})
		if err != nil || n != 3*bulkRows+1 {
			t.Fatalf("%d songs, %v", n, err)
		}
		return s
	}
	if b, r := all(bulk), all(rows); !reflect.DeepEqual(b, r) {
		t.Errorf("rows differ:\nbulk %+v\nrows %+v", b, r)
	}
	for _, q := range []string{"song", "eighth", "eight", "tenth", "song 8", "song 10", "artist", "gen", "album 3", "last"} {
		b, err := bulk.Search(ctx, q, 200)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := rows.Search(ctx, q, 200)
		ids := func(s []Song) []int64 {
			out := make([]int64, len(s))
			for i := range s {
				out[i] = s[i].ID
			}
			slices.Sort(out)
			return out
		}
		if !slices.Equal(ids(b.Songs), ids(r.Songs)) {
			t.Errorf("search %q: bulk %v, row by row %v", q, ids(b.Songs), ids(r.Songs))
		}
	}
	if r, _ := bulk.Search(ctx, "eighth", 10); len(r.Songs) != 1 || r.Songs[0].ID != 8 {
		t.Errorf("eighth: %+v", r.Songs)
	}
}

// TestLibraryBulkSynchronous: a bulk load writes without syncing each
// transaction, and ends with the usual durability (synchronous NORMAL)
// and its log checkpointed into the database file.
func TestLibraryBulkSynchronous(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	w := writer(t, l, true)
	sync := func() int {
		var v int
		if err := w.conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := sync(); v != 1 {
		t.Fatalf("synchronous before the load: %d", v)
	}
	if ok, err := w.BeginBulk(ctx); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if v := sync(); v != 0 {
		t.Errorf("synchronous during the load: %d", v)
	}
	_, _, songs, _ := testLibrary()
	if _, err := w.PutSongs(ctx, songs); err != nil {
		t.Fatal(err)
	}
	if err := w.EndBulk(ctx); err != nil {
		t.Fatal(err)
	}
	if v := sync(); v != 1 {
		t.Errorf("synchronous after the load: %d", v)
	}
	var busy, logged, copied int
	if err := w.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied); err != nil {
		t.Fatal(err)
	}
	if logged != copied {
		t.Errorf("after the load %d frames of the log, %d in the database", logged, copied)
	}
}

// TestLibraryWriterConcurrent: a Writer's writes from several goroutines
// run one at a time (a sync ends its bulk load while it writes
// playlists).
func TestLibraryWriterConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := openTestLibrary(t)
	w := writer(t, l, true)
	if ok, err := w.BeginBulk(ctx); err != nil || !ok {
		t.Fatal(ok, err)
	}
	artists, albums, songs, genres := testLibrary()
	if _, err := w.PutSongs(ctx, songs); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	wg.Go(func() { errs <- w.EndBulk(ctx) })
	wg.Go(func() { _, err := w.PutArtists(ctx, artists); errs <- err })
	wg.Go(func() { _, err := w.PutAlbums(ctx, albums); errs <- err })
	wg.Go(func() { _, err := w.PutGenres(ctx, genres); errs <- err })
	for i := range 4 {
		wg.Go(func() {
			_, err := w.PutPlaylist(ctx, Playlist{ID: fmt.Sprint(i + 1), Name: fmt.Sprintf("List %d", i)}, []int64{songs[0].ID})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	c, err := l.Counts(ctx)
	if err != nil || c.Songs != len(songs) || c.Artists != len(artists) || c.Albums != len(albums) || c.Playlists != 4 {
		t.Errorf("counts %+v, %v", c, err)
	}
	if r, _ := l.Search(ctx, "list", 10); len(r.Playlists) != 4 {
		t.Errorf("playlists found: %d", len(r.Playlists))
	}
}
