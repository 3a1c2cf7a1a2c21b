package ampachetest

import (
	"strconv"
	"testing"
	"time"
)

func TestPagingAndTotalCount(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{Library: Library{Artists: 30, AlbumsPerArtist: 2, SongsPerAlbum: 10, Seed: 7}})
	ts := login(t, s, s.User, "")
	const songs = 30*2*10 + 8
	seen := map[string]bool{}
	var prev string
	for offset := 0; offset < songs; offset += 97 {
		total, page := ts.items("songs", "song", "offset", strconv.Itoa(offset), "limit", "97")
		if total != songs {
			t.Fatalf("total_count = %d, want %d", total, songs)
		}
		if want := min(97, songs-offset); len(page) != want {
			t.Fatalf("offset %d: %d songs, want %d", offset, len(page), want)
		}
		for _, x := range page {
			id := str(x["id"])
			if seen[id] {
				t.Fatalf("song %s on two pages", id)
			}
			seen[id] = true
			title := fold(str(x["title"]))
			if title < prev {
				t.Fatalf("songs out of title order: %q after %q", title, prev)
			}
			prev = title
		}
	}
	if len(seen) != songs {
		t.Fatalf("paged through %d songs, want %d", len(seen), songs)
	}
	// limit=none returns everything; a limit above 5000 is capped.
	if _, all := ts.items("songs", "song", "limit", "none"); len(all) != songs {
		t.Errorf("limit=none: %d songs, want %d", len(all), songs)
	}
	// Past the end: an empty page with the right total.
	if total, none := ts.items("songs", "song", "offset", "100000"); total != songs || len(none) != 0 {
		t.Errorf("past the end: total %d, %d songs", total, len(none))
	}
}

func TestFilterExactAndAccents(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	for _, tc := range []struct{ filter, exact, want string }{
		{"beyonce", "0", "Beyoncé"},
		{"SIGUR ROS", "1", "Sigur Rós"},
		{"motley", "0", "Mötley Crüe"},
	} {
		total, items := ts.items("artists", "artist", "filter", tc.filter, "exact", tc.exact)
		if total != 1 || len(items) != 1 || items[0]["name"] != tc.want {
			t.Errorf("artists filter=%q exact=%s: total %d, %v", tc.filter, tc.exact, total, items)
		}
	}
	if total, _ := ts.items("artists", "artist", "filter", "sigur", "exact", "1"); total != 0 {
		t.Errorf("exact=1 matched a part of a name")
	}
}

func TestDateFiltersAndDeletedSongs(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := startServer(t, Options{Now: clock.Now})
	ts := login(t, s, s.Admin, "")
	since := clock.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	if total, _ := ts.items("songs", "song", "update", since); total != 0 {
		t.Fatalf("nothing changed yet, but %d songs updated since %s", total, since)
	}
	added, err := s.AddSong(NewSong{AlbumID: 2, Title: "A Brand New Song", Track: 99, Format: "flac"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateSong(9, func(x *Song) { x.Title = "Renamed Song" }); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSong(10); err != nil {
		t.Fatal(err)
	}
	_, newSongs := ts.items("songs", "song", "add", since)
	if len(newSongs) != 1 || str(newSongs[0]["id"]) != strconv.Itoa(added.ID) {
		t.Errorf("add filter: %v, want song %d", newSongs, added.ID)
	}
	_, changed := ts.items("songs", "song", "update", since)
	got := map[string]bool{}
	for _, x := range changed {
		got[str(x["id"])] = true
	}
	if !got["9"] || !got[strconv.Itoa(added.ID)] || got["10"] || len(got) != 2 {
		t.Errorf("update filter: %v, want songs 9 and %d", got, added.ID)
	}
	// A range that ends before the changes finds none.
	before := clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + "/" + clock.Now().Add(-30*time.Minute).UTC().Format(time.RFC3339)
	if total, _ := ts.items("songs", "song", "update", before); total != 0 {
		t.Errorf("update range before the changes matched %d songs", total)
	}
	total, deleted := ts.items("deleted_songs", "deleted_songs")
	if total != 1 || str(deleted[0]["id"]) != "10" {
		t.Errorf("deleted_songs = %v", deleted)
	}
	if code := ts.apiErr("song", "filter", "10"); code != "4704" {
		t.Errorf("deleted song: error %s, want 4704", code)
	}
	// The album's song list and count follow.
	m := ts.obj("album", "filter", "2")
	if int(m["songcount"].(float64)) != len(s.mustAlbum(t, 2).SongIDs) {
		t.Errorf("album songcount %v, server has %d", m["songcount"], len(s.mustAlbum(t, 2).SongIDs))
	}
}

func (s *Server) mustAlbum(t *testing.T, id int) Album {
	t.Helper()
	a, ok := s.Album(id)
	if !ok {
		t.Fatalf("no album %d", id)
	}
	return a
}

func TestSortParameter(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	_, items := ts.items("songs", "song", "sort", "id,DESC", "limit", "5")
	last := len(s.Songs())
	for i, x := range items {
		if str(x["id"]) != strconv.Itoa(last-i) {
			t.Fatalf("sort=id,DESC: item %d is song %v", i, x["id"])
		}
	}
	_, albums := ts.items("albums", "album", "sort", "year,ASC", "limit", "none")
	for i := 1; i < len(albums); i++ {
		if albums[i]["year"].(float64) < albums[i-1]["year"].(float64) {
			t.Fatalf("sort=year: %v before %v", albums[i-1]["year"], albums[i]["year"])
		}
	}
}

func TestSubListsAndGenres(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	artist, _ := s.Artist(3)
	total, albums := ts.items("artist_albums", "album", "filter", "3")
	if total != len(artist.AlbumIDs) || len(albums) != total {
		t.Errorf("artist_albums: %d, want %d", total, len(artist.AlbumIDs))
	}
	album, _ := s.Album(artist.AlbumIDs[0])
	_, songs := ts.items("album_songs", "song", "filter", strconv.Itoa(album.ID))
	for i, x := range songs {
		if str(x["id"]) != strconv.Itoa(album.SongIDs[i]) {
			t.Fatalf("album_songs out of track order")
		}
	}
	gtotal, genres := ts.items("genres", "genre", "limit", "none")
	if gtotal < 20 {
		t.Errorf("only %d genres", gtotal)
	}
	for _, g := range genres {
		if g["songs"].(float64) == 0 {
			continue
		}
		n, _ := ts.items("genre_songs", "song", "filter", str(g["id"]))
		if float64(n) != g["songs"].(float64) {
			t.Errorf("genre %v: genre_songs has %d, genre says %v", g["name"], n, g["songs"])
		}
	}
}
