package client_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// Integration tests of playlists, podcasts, bookmarks, activity, shares,
// localplay, democratic play and media URLs against client/ampachetest.

func TestIntegrationPlaylists(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	pl := c.Playlists
	p := must[*client.Playlist](t, "create")(pl.Create(ctx, "Road trip", client.PlaylistPrivate))
	pid := atoi(t, p.ID)
	ok(t, "add song", pl.Add(ctx, p.ID, "3", client.TypeSong))
	ok(t, "add album", pl.Add(ctx, p.ID, "1", client.TypeAlbum)) // the 8 test tracks
	ok(t, "add_song", pl.AddSong(ctx, p.ID, "10", false))
	got, _ := srv.PlaylistByID(pid)
	eq(t, "entries", len(got.SongIDs), 10)
	eq(t, "first entry", got.SongIDs[0], 3)
	songs := all(t, pl.AllSongs(ctx, p.ID, &client.PlaylistSongsOptions{ListOptions: client.ListOptions{Limit: 3}}))
	eq(t, "playlist songs", len(songs), 10)
	eq(t, "playlisttrack", int(songs[9].PlaylistTrack), 10)
	hash1 := must[string](t, "hash")(pl.Hash(ctx, p.ID))

	ok(t, "edit", pl.Edit(ctx, p.ID, &client.PlaylistEditOptions{Name: "Road trip 2", Type: client.PlaylistPublic}))
	g := must[*client.Playlist](t, "get")(pl.Get(ctx, p.ID))
	eq(t, "renamed", g.Name, "Road trip 2")
	eq(t, "type", g.Type, "public")
	eq(t, "items", int(g.Items), 10)
	// Reorder: song 10 to the front.
	ok(t, "reorder", pl.Edit(ctx, p.ID, &client.PlaylistEditOptions{Items: []client.ID{"10", "3"}, Tracks: []int{1, 10}}))
	got, _ = srv.PlaylistByID(pid)
	eq(t, "reordered first", got.SongIDs[0], 10)
	eq(t, "reordered last", got.SongIDs[9], 3)
	if h := must[string](t, "hash")(pl.Hash(ctx, p.ID)); h == hash1 {
		t.Error("playlist_hash did not change with the order")
	}
	ok(t, "remove song", pl.RemoveSong(ctx, p.ID, "10"))
	ok(t, "remove track", pl.RemoveTrack(ctx, p.ID, 1))
	got, _ = srv.PlaylistByID(pid)
	eq(t, "entries after removals", len(got.SongIDs), 8)

	mine := must[*client.Page[client.Playlist]](t, "user_playlists")(pl.UserPlaylists(ctx, nil))
	if !slices.ContainsFunc(mine.Items, func(x client.Playlist) bool { return x.ID == p.ID }) {
		t.Error("user_playlists misses the new playlist")
	}
	listed := must[*client.Page[client.Playlist]](t, "playlists")(pl.List(ctx, nil))
	if listed.Total <= 0 {
		t.Errorf("playlists total %d", listed.Total)
	}
	smart := must[*client.Page[client.Playlist]](t, "smartlists")(pl.Smartlists(ctx, nil))
	for _, s := range smart.Items {
		if !s.Smart {
			t.Errorf("smartlist %s not marked smart", s.ID)
		}
	}
	must[*client.Page[client.Playlist]](t, "user_smartlists")(pl.UserSmartlists(ctx, nil))
	gen := must[*client.Page[client.Song]](t, "generate")(pl.Generate(ctx, &client.GenerateOptions{Mode: client.GenerateRandom, ListOptions: client.ListOptions{Limit: 5}}))
	eq(t, "generated", len(gen.Items), 5)
	genIDs := must[*client.Page[client.ID]](t, "generate ids")(pl.GenerateIDs(ctx, &client.GenerateOptions{ListOptions: client.ListOptions{Limit: 4}}))
	eq(t, "generated ids", len(genIDs.Items), 4)
	must[*client.Page[client.Song]](t, "generate index")(pl.GenerateIndex(ctx, &client.GenerateOptions{ListOptions: client.ListOptions{Limit: 2}}))

	ok(t, "delete", pl.Delete(ctx, p.ID))
	if _, found := srv.PlaylistByID(pid); found {
		t.Error("playlist still on the server")
	}
	if _, err := pl.Get(ctx, p.ID); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("deleted playlist: got %v, want ErrNotFound", err)
	}
}

func TestIntegrationPodcasts(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, admin)
	ctx := t.Context()
	pc := c.Podcasts
	list := must[*client.Page[client.Podcast]](t, "podcasts")(pc.List(ctx, nil))
	eq(t, "podcasts", len(list.Items), len(srv.Podcasts()))
	p := must[*client.Podcast](t, "podcast")(pc.Get(ctx, list.Items[0].ID, &client.PodcastOptions{Include: []string{client.IncludeEpisodes}}))
	eps := all(t, pc.AllEpisodes(ctx, p.ID, &client.ChildListOptions{ListOptions: client.ListOptions{Limit: 2}}))
	eq(t, "episodes", len(eps), len(srv.Episodes(atoi(t, p.ID))))
	eq(t, "included episodes", len(p.Episodes), len(eps))
	e := must[*client.PodcastEpisode](t, "episode")(pc.Episode(ctx, eps[0].ID))
	if e.Time <= 0 || e.URL == "" || e.Podcast.ID != p.ID {
		t.Errorf("episode: %+v", e)
	}

	// The server refuses loopback feeds, as a real one does.
	if _, err := pc.Create(ctx, "http://127.0.0.1/feed.xml", "1"); !errors.Is(err, client.ErrBadRequest) {
		t.Errorf("loopback feed: got %v, want ErrBadRequest", err)
	}
	cats := must[*client.Page[client.Catalog]](t, "catalogs")(c.Catalogs.List(ctx, &client.CatalogListOptions{Filter: "podcast"}))
	if len(cats.Items) == 0 {
		t.Fatal("no podcast catalog")
	}
	np := must[*client.Podcast](t, "podcast_create")(pc.Create(ctx, "https://feeds.example.com/show.xml", cats.Items[0].ID))
	npID := atoi(t, np.ID)
	before := len(srv.Episodes(npID))
	ok(t, "update_podcast", pc.Update(ctx, np.ID))
	eq(t, "episodes after update", len(srv.Episodes(npID)), before+1)
	ok(t, "podcast_edit", pc.Edit(ctx, np.ID, &client.PodcastEditOptions{Title: "Renamed Show"}))
	eq(t, "edited", must[*client.Podcast](t, "podcast")(pc.Get(ctx, np.ID, nil)).Name, "Renamed Show")
	victim := srv.Episodes(npID)[0].ID
	ok(t, "episode delete", pc.DeleteEpisode(ctx, id(victim)))
	gone := must[*client.Page[client.DeletedPodcastEpisode]](t, "deleted episodes")(pc.DeletedEpisodes(ctx, nil))
	if !slices.ContainsFunc(gone.Items, func(d client.DeletedPodcastEpisode) bool { return d.ID == id(victim) }) {
		t.Errorf("deleted_podcast_episodes misses %d", victim)
	}
	ok(t, "podcast delete", pc.Delete(ctx, np.ID))
	if _, err := pc.Get(ctx, np.ID, nil); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("deleted podcast: got %v", err)
	}
}

func TestIntegrationBookmarks(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	bm := c.Bookmarks
	if b, err := bm.ForObject(ctx, "6", client.TypeSong, nil); err != nil || b != nil {
		t.Fatalf("no bookmark yet: %v, %v", b, err)
	}
	b := must[*client.Bookmark](t, "create")(bm.Create(ctx, "6", client.TypeSong, 42, &client.BookmarkWriteOptions{Client: "Ampdesk"}))
	eq(t, "position", int(b.Position), 42)
	eq(t, "client", b.Client, "Ampdesk")
	eq(t, "object", b.ObjectID, "6")
	got := must[*client.Bookmark](t, "get_bookmark")(bm.ForObject(ctx, "6", client.TypeSong, &client.BookmarkOptions{Include: true}))
	eq(t, "get_bookmark id", got.ID, b.ID)
	if got.Song == nil || got.Song.ID != "6" {
		t.Errorf("included song: %+v", got.Song)
	}
	byID := must[*client.Bookmark](t, "bookmark")(bm.Get(ctx, b.ID, nil))
	eq(t, "bookmark by id", byID.Position, b.Position)
	b2 := must[*client.Bookmark](t, "edit")(bm.Edit(ctx, "6", client.TypeSong, 90, &client.BookmarkWriteOptions{Client: "Ampdesk"}))
	eq(t, "edited position", int(b2.Position), 90)
	// A second device keeps its own bookmark.
	must[*client.Bookmark](t, "create other")(bm.Create(ctx, "6", client.TypeSong, 7, &client.BookmarkWriteOptions{Client: "Phone"}))
	every := must[*client.Page[client.Bookmark]](t, "all")(bm.AllForObject(ctx, "6", client.TypeSong, nil))
	eq(t, "bookmarks of the song", len(every.Items), 2)
	list := must[*client.Page[client.Bookmark]](t, "bookmarks")(bm.List(ctx, &client.BookmarkListOptions{Client: "Ampdesk"}))
	eq(t, "bookmarks of Ampdesk", len(list.Items), 1)
	eq(t, "server bookmarks", len(srv.Bookmarks(srv.User.Username)), 2)
	ok(t, "delete", bm.Delete(ctx, "6", client.TypeSong, "Ampdesk"))
	eq(t, "server bookmarks after delete", len(srv.Bookmarks(srv.User.Username)), 1)
}

func TestIntegrationActivityAndShares(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	name := srv.User.Username
	ok(t, "rate", c.Activity.Rate(ctx, client.TypeAlbum, "2", 4))
	eq(t, "rating", srv.Rating(name, "album", 2), 4)
	ok(t, "flag", c.Activity.Flag(ctx, client.TypeSong, "7", true))
	eq(t, "flagged", srv.Flagged(name, "song", 7), true)
	ok(t, "unflag", c.Activity.Flag(ctx, client.TypeSong, "7", false))
	eq(t, "unflagged", srv.Flagged(name, "song", 7), false)
	before := srv.PlayCount(7)
	ok(t, "record_play", c.Activity.RecordPlay(ctx, "7", &client.RecordPlayOptions{Client: "Ampdesk"}))
	eq(t, "plays", srv.PlayCount(7), before+1)
	s, _ := srv.Song(12)
	al, _ := srv.Album(s.AlbumID)
	ar, _ := srv.Artist(s.ArtistID)
	ok(t, "scrobble", c.Activity.Scrobble(ctx, &client.Scrobble{Song: s.Title, Artist: ar.Name, Album: al.Name, Client: "Ampdesk"}))
	eq(t, "scrobbled", srv.PlayCount(12), s.PlayCount+1)
	if err := c.Activity.Scrobble(ctx, &client.Scrobble{Song: "No Such Song", Artist: "Nobody", Album: "Nothing"}); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("scrobble of an unknown song: got %v, want ErrNotFound", err)
	}
	must[*client.Page[client.NowPlaying]](t, "now_playing")(c.Activity.NowPlaying(ctx))

	sh := must[*client.Share](t, "share_create")(c.Shares.Create(ctx, "2", client.TypeAlbum, "for you", 3))
	eq(t, "share object", sh.ObjectID, "2")
	if sh.PublicURL == "" {
		t.Error("no public URL")
	}
	eq(t, "share listed", len(must[*client.Page[client.Share]](t, "shares")(c.Shares.List(ctx, nil)).Items), 1)
	eq(t, "share get", must[*client.Share](t, "share")(c.Shares.Get(ctx, sh.ID)).Description, "for you")
	ok(t, "share_edit", c.Shares.Edit(ctx, sh.ID, &client.ShareEditOptions{Description: "changed"}))
	eq(t, "edited", srv.Shares(name)[0].Description, "changed")
	ok(t, "share_delete", c.Shares.Delete(ctx, sh.ID))
	eq(t, "shares left", len(srv.Shares(name)), 0)

	users := must[*client.Page[client.UserRef]](t, "users")(c.Users.List(ctx))
	if len(users.Items) < 2 {
		t.Errorf("users: %+v", users.Items)
	}
	cats := must[*client.Page[client.Catalog]](t, "catalogs")(c.Catalogs.List(ctx, nil))
	eq(t, "catalog", must[*client.Catalog](t, "catalog")(c.Catalogs.Get(ctx, cats.Items[0].ID)).Name, cats.Items[0].Name)
}

func TestIntegrationLocalplay(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, admin)
	ctx := t.Context()
	lp := c.Localplay
	ok(t, "add", lp.Add(ctx, "1", client.TypeSong, &client.LocalplayAddOptions{Clear: true}))
	ok(t, "add", lp.Add(ctx, "2", client.TypeSong, nil))
	ok(t, "add", lp.Add(ctx, "3", client.TypeSong, nil))
	eq(t, "queue", len(srv.Localplay().Queue), 3)
	q := must[*client.Page[client.LocalplaySong]](t, "localplay_songs")(lp.Songs(ctx))
	eq(t, "queue listed", len(q.Items), 3)
	ok(t, "play", lp.Play(ctx))
	st := must[*client.LocalplayStatus](t, "status")(lp.Status(ctx))
	eq(t, "state", st.State, "play")
	eq(t, "track", int(st.Track), 1)
	ok(t, "next", lp.Next(ctx))
	eq(t, "after next", srv.Localplay().Track, 2)
	ok(t, "prev", lp.Prev(ctx))
	eq(t, "after prev", srv.Localplay().Track, 1)
	ok(t, "skip", lp.Skip(ctx))
	ok(t, "skip to", lp.SkipTo(ctx, 3))
	eq(t, "after skip to 3", srv.Localplay().Track, 3)
	vol := srv.Localplay().Volume
	ok(t, "volume up", lp.VolumeUp(ctx))
	ok(t, "volume down", lp.VolumeDown(ctx))
	ok(t, "volume down", lp.VolumeDown(ctx))
	eq(t, "volume", srv.Localplay().Volume, max(0, vol-5))
	ok(t, "mute", lp.VolumeMute(ctx))
	eq(t, "muted", srv.Localplay().Volume, 0)
	ok(t, "pause", lp.Pause(ctx))
	eq(t, "paused", srv.Localplay().State, "pause")
	ok(t, "stop", lp.Stop(ctx))
	eq(t, "stopped", srv.Localplay().State, "stop")
	ok(t, "delete all", lp.DeleteAll(ctx))
	eq(t, "queue cleared", len(srv.Localplay().Queue), 0)

	// A plain user lacks the localplay level.
	_, u := start(t, ampachetest.Options{}, user)
	if err := u.Localplay.Play(ctx); !errors.Is(err, client.ErrFailedAccessCheck) {
		t.Errorf("localplay as a user: got %v, want ErrFailedAccessCheck", err)
	}
}

func TestIntegrationDemocratic(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	d := c.Democratic
	ok(t, "vote", d.Vote(ctx, "4"))
	ok(t, "vote", d.Vote(ctx, "5"))
	pl := must[*client.Page[client.DemocraticSong]](t, "playlist")(d.Playlist(ctx))
	eq(t, "queue", len(pl.Items), 2)
	eq(t, "votes", int(pl.Items[0].Vote), 1)
	eq(t, "server queue", len(srv.Democratic()), 2)
	ok(t, "devote", d.Devote(ctx, "5"))
	eq(t, "after devote", len(srv.Democratic()), 1)
	u := must[string](t, "play")(d.PlayURL(ctx))
	if !strings.Contains(u, "demo_id=") {
		t.Errorf("play URL %q", u)
	}
	if err := d.Vote(ctx, "999999"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("vote for a missing song: got %v, want ErrNotFound", err)
	}
}

func TestIntegrationMedia(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	get := func(u string, hdr ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	song, _ := srv.Song(2) // flac
	raw := must[string](t, "stream url")(c.Media.StreamURL("2", client.TypeSong, &client.StreamOptions{Format: "raw", NoStats: true}))
	resp := get(raw)
	body, _ := io.ReadAll(resp.Body)
	eq(t, "raw stream status", resp.StatusCode, 200)
	eq(t, "raw stream size", int64(len(body)), song.Size)
	if !bytes.HasPrefix(body, []byte("fLaC")) {
		t.Error("raw stream is not the flac file")
	}
	ranged := get(raw, "Range", "bytes=4-")
	eq(t, "range status", ranged.StatusCode, http.StatusPartialContent)

	mp3 := must[string](t, "transcode url")(c.Media.StreamURL("2", client.TypeSong, &client.StreamOptions{Format: "mp3", Bitrate: 128000, Offset: 1}))
	resp = get(mp3)
	head := make([]byte, 3)
	_, _ = io.ReadFull(resp.Body, head)
	if resp.StatusCode != 200 || !(bytes.Equal(head, []byte("ID3")) || head[0] == 0xFF) {
		t.Errorf("transcoded stream: %d %x", resp.StatusCode, head)
	}
	dl := must[string](t, "download url")(c.Media.DownloadURL("3", client.TypeSong, nil))
	eq(t, "download status", get(dl).StatusCode, 200)
	art := must[string](t, "art url")(c.Media.ArtURL("1", client.TypeAlbum, &client.ArtOptions{Width: 64, Height: 64}))
	resp = get(art)
	png := make([]byte, 8)
	_, _ = io.ReadFull(resp.Body, png)
	if !bytes.Equal(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("art is not a PNG: %x", png)
	}
	// The URLs die with the session: an HTTP error, or (as the real
	// server's API does) HTTP 200 with a JSON error object.
	srv.ExpireSessions()
	resp = get(raw)
	body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode < 400 && !(strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && bytes.Contains(body, []byte(`"4701"`))) {
		t.Errorf("stream URL of an expired session: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
