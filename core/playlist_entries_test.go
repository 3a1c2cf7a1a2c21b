package core_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

func serverSongs(t *testing.T, srv *ampachetest.Server, id client.ID) []int {
	t.Helper()
	for _, p := range srv.Playlists(srv.Admin.Username) {
		if strconv.Itoa(p.ID) == string(id) {
			return p.SongIDs
		}
	}
	t.Fatalf("playlist %s is not on the server", id)
	return nil
}

func TestAddSongsToPlaylistSkipsDuplicates(t *testing.T) {
	for _, api := range []int{6, 5} {
		t.Run("API"+strconv.Itoa(api), func(t *testing.T) {
			e := newEnv(t, ampachetest.Options{APIVersion: api})
			e.login(t)
			ctx := context.Background()
			pl, err := e.core.CreatePlaylist(ctx, "Mix", false)
			if err != nil {
				t.Fatal(err)
			}
			// Songs 2 and 3, then the whole album (songs 1–8) without
			// duplicates: 1 and 4–8 join, 2 and 3 are skipped.
			res, err := e.core.AddSongsToPlaylist(ctx, pl.ID, client.TypeSong, []client.ID{"2", "3", "3"}, true)
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != 2 || res.Skipped != 1 {
				t.Errorf("songs 2, 3, 3: %+v, want 2 added and 1 skipped", res)
			}
			res, err = e.core.AddSongsToPlaylist(ctx, pl.ID, client.TypeAlbum, []client.ID{"1"}, true)
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != 6 || res.Skipped != 2 {
				t.Errorf("album 1 without duplicates: %+v, want 6 added and 2 skipped", res)
			}
			if got, want := serverSongs(t, e.srv, pl.ID), []int{2, 3, 1, 4, 5, 6, 7, 8}; !slices.Equal(got, want) {
				t.Fatalf("server has %v, want %v", got, want)
			}
			// With duplicates allowed the album goes in whole.
			res, err = e.core.AddSongsToPlaylist(ctx, pl.ID, client.TypeAlbum, []client.ID{"1"}, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != 8 || res.Skipped != 0 {
				t.Errorf("album 1 with duplicates: %+v", res)
			}
			if n := len(serverSongs(t, e.srv, pl.ID)); n != 16 {
				t.Fatalf("%d entries, want 16", n)
			}
			// A smartlist's songs go in one by one (playlist_add takes no
			// smartlist).
			pls, err := e.core.Playlists(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var smart client.ID
			for _, p := range pls {
				if p.Smart {
					smart = p.ID
					break
				}
			}
			_, smartSongs, err := e.core.Playlist(ctx, smart)
			if err != nil || len(smartSongs) == 0 {
				t.Fatalf("smartlist %q: %d songs, %v", smart, len(smartSongs), err)
			}
			other, err := e.core.CreatePlaylist(ctx, "From a smartlist", false)
			if err != nil {
				t.Fatal(err)
			}
			res, err = e.core.AddSongsToPlaylist(ctx, other.ID, client.TypePlaylist, []client.ID{smart}, false)
			if err != nil || res.Added != len(smartSongs) {
				t.Fatalf("smartlist %s: %+v, %v; want %d added", smart, res, err, len(smartSongs))
			}
			if n := len(serverSongs(t, e.srv, other.ID)); n != len(smartSongs) {
				t.Fatalf("%d entries from the smartlist, want %d", n, len(smartSongs))
			}
			// Nothing new: no request adds anything.
			res, err = e.core.AddSongsToPlaylist(ctx, pl.ID, client.TypeSong, []client.ID{"1"}, true)
			if err != nil || res.Added != 0 || res.Skipped != 1 {
				t.Fatalf("a song already there: %+v, %v", res, err)
			}
		})
	}
}

func TestRemovePlaylistEntriesByPosition(t *testing.T) {
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	ctx := context.Background()
	pl, err := e.core.CreatePlaylist(ctx, "Twice", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.core.AddToPlaylist(ctx, pl.ID, client.TypeSong, "1", "2", "1", "3", "4"); err != nil {
		t.Fatal(err)
	}
	// The second "1" (position 3) and "4" (position 5), given out of order.
	if err := e.core.RemovePlaylistEntries(ctx, pl.ID, 5, 3); err != nil {
		t.Fatal(err)
	}
	if got, want := serverSongs(t, e.srv, pl.ID), []int{1, 2, 3}; !slices.Equal(got, want) {
		t.Fatalf("server has %v, want %v", got, want)
	}
	if err := e.core.RemovePlaylistEntries(ctx, pl.ID, 0); err == nil {
		t.Fatal("position 0 was accepted")
	}
	if err := e.core.RemovePlaylistEntries(ctx, pl.ID, 9); err == nil {
		t.Fatal("a position past the end was accepted")
	}
}
