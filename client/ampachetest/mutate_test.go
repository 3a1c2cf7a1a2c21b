package ampachetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestMutationsAndIncrementalSync(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := startServer(t, Options{Now: clock.Now, SessionLength: 24 * time.Hour})
	ts := login(t, s, s.Admin, "")
	since := clock.Now().Add(-time.Second).UTC().Format(time.RFC3339)
	clock.Advance(time.Minute)

	if err := s.UpdateAlbum(3, func(a *Album) { a.Name = "Renamed Album" }); err != nil {
		t.Fatal(err)
	}
	_, albums := ts.items("albums", "album", "update", since)
	if len(albums) != 1 || albums[0]["name"] != "Renamed Album" {
		t.Errorf("albums updated: %v", albums)
	}
	a3, _ := s.Album(3)
	if n, _ := ts.items("songs", "song", "update", since, "limit", "none"); n != len(a3.SongIDs) {
		t.Errorf("songs updated by the album rename: %d, want %d", n, len(a3.SongIDs))
	}
	artist := s.AddArtist("Zoë & the Newcomers")
	al, err := s.AddAlbum(artist.ID, "First Light", 2026, "Indie Rock")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := s.AddSong(NewSong{AlbumID: al.ID, Title: "Track " + strconv.Itoa(i), Track: i, Duration: 90 * time.Second, Format: "ogg"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := ts.items("artists", "artist", "add", since); n != 1 {
		t.Errorf("artists added: %d", n)
	}
	if n, _ := ts.items("album_songs", "song", "filter", strconv.Itoa(al.ID)); n != 3 {
		t.Errorf("new album songs: %d", n)
	}
	victim, _ := s.Artist(2)
	victimSongs := 0
	for _, id := range victim.AlbumIDs {
		a, _ := s.Album(id)
		victimSongs += len(a.SongIDs)
	}
	if err := s.DeleteArtist(2); err != nil {
		t.Fatal(err)
	}
	if n, _ := ts.items("deleted_songs", "deleted_songs"); n != victimSongs {
		t.Errorf("deleted_songs: %d, want %d", n, victimSongs)
	}
	if code := ts.apiErr("artist", "filter", "2"); code != "4704" {
		t.Errorf("deleted artist: %s", code)
	}
	if err := s.DeleteSong(999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteSong of a missing song: %v", err)
	}
	p, err := s.AddPlaylist("user", "Made by the test", false, 1, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	user := login(t, s, s.User, "")
	if n, _ := user.items("playlist_songs", "song", "filter", strconv.Itoa(p.ID)); n != 3 {
		t.Errorf("playlist from AddPlaylist: %d songs", n)
	}
	before := user.obj("playlist_hash", "filter", strconv.Itoa(p.ID))["md5"]
	if err := s.UpdatePlaylist(p.ID, func(x *Playlist) { x.SongIDs = append(x.SongIDs, 4) }); err != nil {
		t.Fatal(err)
	}
	if after := user.obj("playlist_hash", "filter", strconv.Itoa(p.ID))["md5"]; after == before {
		t.Error("playlist_hash did not change after UpdatePlaylist")
	}
	ep, err := s.AddEpisode(1, "Breaking News", 20*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := ts.items("podcast_episodes", "podcast_episode", "filter", "1", "add", since); n != 1 {
		t.Errorf("new episodes: %d", n)
	}
	if err := s.DeleteEpisode(ep.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := ts.items("deleted_podcast_episodes", "deleted_podcast_episode"); n != 1 {
		t.Errorf("deleted episodes: %d", n)
	}
}

// TestConcurrentUse runs requests and mutations at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts := login(t, s, s.Admin, "")
			for i := range 15 {
				ts.raw("songs", "limit", "20", "offset", strconv.Itoa(i*10))
				ts.raw("playlist_create", "name", "p"+strconv.Itoa(g*100+i))
				ts.raw("localplay", "command", "add", "type", "song", "oid", strconv.Itoa(1+i%8))
				ts.raw("democratic", "method", "vote", "oid", strconv.Itoa(1+i%8))
				ts.raw("bookmark_create", "filter", "1", "type", "song", "position", strconv.Itoa(i))
				ts.raw("genres")
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 15 {
			_, _ = s.AddSong(NewSong{AlbumID: 2, Title: "Concurrent " + strconv.Itoa(i)})
			_ = s.UpdateSong(9+i, func(x *Song) { x.Year = 1999 })
			_ = s.Localplay()
			_ = s.Democratic()
			s.ExpireSessions()
		}
	}()
	wg.Wait()
}
