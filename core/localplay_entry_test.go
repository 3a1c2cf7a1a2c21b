package core_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// TestLocalplayEntrySong: the queue's entries lead back to their songs
// (art, links); a live stream or an episode is no song.
func TestLocalplayEntrySong(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, ampachetest.Options{Library: ampachetest.Library{Artists: 3, AlbumsPerArtist: 1, SongsPerAlbum: 3,
		Podcasts: 1, EpisodesPerPodcast: 1, LiveStreams: 1, Seed: 9}})
	e.login(t)
	c := e.core
	if err := c.LocalplayAdd(ctx, client.TypeSong, true, "2", "3"); err != nil {
		t.Fatal(err)
	}
	if err := c.LocalplayAdd(ctx, client.TypeLiveStream, false, "1"); err != nil {
		t.Fatal(err)
	}
	if err := c.LocalplayAdd(ctx, client.TypePodcastEpisode, false, "1"); err != nil {
		t.Fatal(err)
	}
	entries, err := c.LocalplaySongs(ctx)
	if err != nil || len(entries) != 4 {
		t.Fatalf("localplay songs: %d, %v", len(entries), err)
	}
	for i, want := range []client.ID{"2", "3", "", ""} {
		s, err := c.LocalplayEntrySong(ctx, entries[i])
		switch {
		case err != nil:
			t.Errorf("entry %d: %v", i, err)
		case want == "" && s != nil:
			t.Errorf("entry %d (%s) gave song %s", i, entries[i].Name, s.ID)
		case want != "" && (s == nil || s.ID != want):
			t.Errorf("entry %d gave %+v, want song %s", i, s, want)
		}
	}

	// A play URL that names no type is a song's.
	song, err := c.Song(ctx, "3")
	if err != nil {
		t.Fatal(err)
	}
	typeless := strings.Replace(song.URL, "&type=song", "", 1)
	if typeless == song.URL {
		t.Fatalf("no type in %s", song.URL)
	}
	if got, err := c.LocalplayEntrySong(ctx, client.LocalplaySong{Raw: typeless}); err != nil || got == nil || got.ID != "3" {
		t.Fatalf("typeless play URL: %+v, %v", got, err)
	}
}
