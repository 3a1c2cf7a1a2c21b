package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// These tests run the client against client/ampachetest, the in-process
// Ampache server: every method, sessions that expire, API5 and API4
// modes, and the error codes.

// start runs a server and returns a client logged in as acct(srv).
func start(t *testing.T, opts ampachetest.Options, acct func(*ampachetest.Server) ampachetest.Account, copts ...client.Option) (*ampachetest.Server, *client.Client) {
	t.Helper()
	srv := ampachetest.NewServer(opts)
	t.Cleanup(srv.Close)
	a := acct(srv)
	all := append([]client.Option{
		client.WithHTTPClient(srv.Client()),
		client.WithCredentials(client.Credentials{User: a.Username, Password: a.Password}),
	}, copts...)
	c, err := client.New(srv.URL, all...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func admin(s *ampachetest.Server) ampachetest.Account { return s.Admin }
func user(s *ampachetest.Server) ampachetest.Account  { return s.User }

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func id(n int) client.ID { return client.ID(strconv.Itoa(n)) }

func atoi(t *testing.T, id client.ID) int {
	t.Helper()
	n, err := strconv.Atoi(string(id))
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	return n
}

func all[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestIntegrationSession(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, admin)
	ctx := t.Context()
	reply := must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	eq(t, "API major", c.APIMajorVersion(), 6)
	eq(t, "API major of the reply", client.APIMajor(string(reply.API)), 6)
	eq(t, "songs count", int(reply.Songs), len(srv.Songs()))
	if reply.SessionExpire.IsZero() {
		t.Error("no session expiry")
	}
	if c.ServerVersion() == "" {
		t.Error("the server version was not learned from ping")
	}
	eq(t, "sessions", srv.SessionCount(), 1)
	p := must[*client.PingReply](t, "ping")(c.Ping(ctx))
	if p.SessionExpire.IsZero() || p.API == "" {
		t.Errorf("ping with a session: %+v", p)
	}
	ok(t, "goodbye", c.Goodbye(ctx))
	eq(t, "sessions after goodbye", srv.SessionCount(), 0)

	// API key login.
	k, err := client.New(srv.URL, client.WithHTTPClient(srv.Client()), client.WithCredentials(client.Credentials{APIKey: srv.User.APIKey}))
	ok(t, "new", err)
	must[*client.HandshakeReply](t, "API key handshake")(k.Handshake(ctx))
	me := must[*client.User](t, "user")(k.Users.Get(ctx, ""))
	eq(t, "logged in as", me.Username, srv.User.Username)
	eq(t, "access", int(me.Access), 25)

	// Wrong password, wrong key.
	for _, creds := range []client.Credentials{{User: srv.User.Username, Password: "nope"}, {APIKey: "0000"}} {
		bad, _ := client.New(srv.URL, client.WithHTTPClient(srv.Client()), client.WithCredentials(creds))
		if _, err := bad.Handshake(ctx); !errors.Is(err, client.ErrBadCredentials) {
			t.Errorf("%v: got %v, want ErrBadCredentials", creds, err)
		}
	}
}

func TestIntegrationLibrary(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, admin)
	ctx := t.Context()
	lib := c.Library

	// Artists, with paging and an iterator that reads every page.
	page := must[*client.Page[client.Artist]](t, "artists")(lib.Artists(ctx, &client.ArtistListOptions{ListOptions: client.ListOptions{Limit: 5}}))
	eq(t, "artists total", page.Total, len(srv.Artists()))
	eq(t, "artists page", len(page.Items), 5)
	artists := all(t, lib.AllArtists(ctx, &client.ArtistListOptions{ListOptions: client.ListOptions{Limit: 7}}))
	eq(t, "all artists", len(artists), len(srv.Artists()))
	want := srv.Artists()[3]
	a := must[*client.Artist](t, "artist")(lib.Artist(ctx, id(want.ID), &client.ArtistOptions{Include: []string{client.IncludeAlbums}}))
	eq(t, "artist name", a.Name, want.Name)
	eq(t, "artist albums included", len(a.Albums), len(want.AlbumIDs))
	exact := must[*client.Page[client.Artist]](t, "artists exact")(lib.Artists(ctx, &client.ArtistListOptions{Filter: want.Name, Exact: true}))
	if len(exact.Items) != 1 || exact.Items[0].ID != id(want.ID) {
		t.Errorf("exact filter %q: %+v", want.Name, exact.Items)
	}
	aa := must[*client.Page[client.Album]](t, "artist_albums")(lib.ArtistAlbums(ctx, id(want.ID), nil))
	eq(t, "artist albums", len(aa.Items), len(want.AlbumIDs))
	as := must[*client.Page[client.Song]](t, "artist_songs")(lib.ArtistSongs(ctx, id(want.ID), nil))
	if len(as.Items) == 0 || as.Items[0].Artist.ID != id(want.ID) {
		t.Errorf("artist songs: %d", len(as.Items))
	}

	// Albums and their songs.
	albums := all(t, lib.AllAlbums(ctx, nil))
	eq(t, "all albums", len(albums), len(srv.Albums()))
	wantAlbum := srv.Albums()[0] // album 1: the test tracks
	al := must[*client.Album](t, "album")(lib.Album(ctx, id(wantAlbum.ID), &client.AlbumOptions{Include: []string{client.IncludeSongs}}))
	eq(t, "album name", al.Name, wantAlbum.Name)
	eq(t, "album tracks included", len(al.Tracks), len(wantAlbum.SongIDs))
	ts := must[*client.Page[client.Song]](t, "album_songs")(lib.AlbumSongs(ctx, id(wantAlbum.ID), nil))
	eq(t, "album songs", len(ts.Items), len(wantAlbum.SongIDs))

	// Songs: the fixed test tracks report their true properties.
	songs := all(t, lib.AllSongs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 50}}))
	eq(t, "all songs", len(songs), len(srv.Songs()))
	for i, format := range []string{"mp3", "flac", "ogg", "wav"} {
		s := must[*client.Song](t, "song")(lib.Song(ctx, id(i+1)))
		srvSong, _ := srv.Song(i + 1)
		eq(t, "song format", s.Format, format)
		eq(t, "song time", int(s.Time), 3)
		eq(t, "song size", int64(s.Size), srvSong.Size)
		if s.URL == "" || s.Mime == "" || s.Rate == 0 {
			t.Errorf("song %d lacks url, mime or rate: %+v", i+1, s)
		}
	}
	one := must[*client.Song](t, "song")(lib.Song(ctx, "5"))
	back := must[*client.Song](t, "url_to_song")(lib.URLToSong(ctx, one.URL))
	eq(t, "url_to_song", back.ID, one.ID)

	// Genres.
	genres := all(t, lib.AllGenres(ctx, nil))
	used := map[string]bool{}
	for _, s := range srv.Songs() {
		for _, g := range s.Genres {
			used[g] = true
		}
	}
	for _, a := range srv.Albums() {
		for _, g := range a.Genres {
			used[g] = true
		}
	}
	listed := map[string]bool{}
	for _, g := range genres {
		listed[g.Name] = true
		if g.Songs+g.Albums+g.Artists == 0 {
			t.Errorf("genre %q is listed with nothing in it", g.Name)
		}
	}
	for name := range used {
		if !listed[name] {
			t.Errorf("genre %q of a song or album is not listed", name)
		}
	}
	i := slices.IndexFunc(genres, func(g client.Genre) bool { return g.Songs > 0 })
	if i < 0 {
		t.Fatal("no genre has songs")
	}
	g := genres[i]
	eq(t, "genre", must[*client.Genre](t, "genre")(lib.Genre(ctx, g.ID)).Name, g.Name)
	gs := must[*client.Page[client.Song]](t, "genre_songs")(lib.GenreSongs(ctx, g.ID, nil))
	eq(t, "genre songs", len(gs.Items), int(g.Songs))
	must[*client.Page[client.Album]](t, "genre_albums")(lib.GenreAlbums(ctx, g.ID, nil))
	must[*client.Page[client.Artist]](t, "genre_artists")(lib.GenreArtists(ctx, g.ID, nil))

	// Stats, similar, live streams.
	newest := must[*client.Page[client.Album]](t, "stats")(lib.StatAlbums(ctx, &client.StatsOptions{Filter: client.StatsNewest, ListOptions: client.ListOptions{Limit: 3}}))
	if len(newest.Items) != 3 {
		t.Errorf("stats newest: %d albums", len(newest.Items))
	}
	must[*client.Page[client.Song]](t, "stats songs")(lib.StatSongs(ctx, &client.StatsOptions{Filter: client.StatsRandom, ListOptions: client.ListOptions{Limit: 4}}))
	must[*client.Page[client.Artist]](t, "stats artists")(lib.StatArtists(ctx, nil))
	must[*client.Page[client.Song]](t, "get_similar songs")(lib.SimilarSongs(ctx, "9", nil))
	must[*client.Page[client.Artist]](t, "get_similar artists")(lib.SimilarArtists(ctx, id(want.ID), nil))
	streams := must[*client.Page[client.LiveStream]](t, "live_streams")(lib.LiveStreams(ctx, nil))
	if len(streams.Items) == 0 {
		t.Fatal("no live streams")
	}
	ls := must[*client.LiveStream](t, "live_stream")(lib.LiveStream(ctx, streams.Items[0].ID))
	eq(t, "live stream", ls.Name, streams.Items[0].Name)

	// Sync helpers.
	ids := all(t, lib.AllIndex(ctx, client.TypeSong, nil))
	eq(t, "index songs", len(ids), len(srv.Songs()))
	tree := must[*client.Page[client.IndexParent]](t, "index tree")(lib.IndexTree(ctx, client.TypeAlbum, &client.IndexOptions{ListOptions: client.ListOptions{Limit: 2}}))
	if len(tree.Items) != 2 || len(tree.Items[0].Children) == 0 {
		t.Errorf("index tree: %+v", tree.Items)
	}
	names := all(t, lib.AllList(ctx, client.TypeArtist, nil))
	eq(t, "list artists", len(names), len(srv.Artists()))
	since := time.Now().Add(-time.Second)
	ok(t, "delete song", srv.DeleteSong(20))
	del := must[*client.Page[client.DeletedSong]](t, "deleted_songs")(lib.DeletedSongs(ctx, nil))
	if !slices.ContainsFunc(del.Items, func(d client.DeletedSong) bool { return d.ID == "20" }) {
		t.Errorf("deleted_songs: %+v", del.Items)
	}
	if _, err := lib.Song(ctx, "20"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("deleted song: got %v, want ErrNotFound", err)
	}
	upd, err := srv.AddSong(ampachetest.NewSong{AlbumID: wantAlbum.ID, Title: "Brand New", Track: 99})
	ok(t, "add song", err)
	fresh := must[*client.Page[client.Song]](t, "songs since")(lib.Songs(ctx, &client.SongListOptions{DateFilter: client.DateFilter{AddedAfter: since}}))
	if len(fresh.Items) != 1 || fresh.Items[0].ID != id(upd.ID) {
		t.Errorf("add filter: %+v", fresh.Items)
	}
}

func TestIntegrationSearch(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	target := srv.Songs()[30]
	word := strings.Fields(target.Title)[0]
	byText := must[*client.Page[client.Song]](t, "search_songs")(c.Search.Songs(ctx, word, nil))
	if !slices.ContainsFunc(byText.Items, func(s client.Song) bool { return s.ID == id(target.ID) }) {
		t.Errorf("search_songs %q misses song %d", word, target.ID)
	}
	rules := client.Rules{Rules: []client.Rule{{Field: "title", Operator: client.TextIs, Input: target.Title}}}
	adv := must[*client.Page[client.Song]](t, "advanced_search")(c.Search.AdvancedSongs(ctx, &client.AdvancedSearch{Rules: rules}))
	if len(adv.Items) == 0 || !slices.ContainsFunc(adv.Items, func(s client.Song) bool { return s.ID == id(target.ID) }) {
		t.Errorf("advanced_search title is %q: %+v", target.Title, adv.Items)
	}
	for _, s := range adv.Items {
		if s.Title != target.Title {
			t.Errorf("advanced_search returned %q", s.Title)
		}
	}
	artist, _ := srv.Artist(target.ArtistID)
	arts := must[*client.Page[client.Artist]](t, "advanced artists")(c.Search.AdvancedArtists(ctx, &client.AdvancedSearch{
		Rules: client.Rules{Rules: []client.Rule{{Field: "title", Operator: client.TextIs, Input: artist.Name}}}}))
	if len(arts.Items) == 0 || arts.Items[0].Name != artist.Name {
		t.Errorf("advanced artists: %+v", arts.Items)
	}
	must[*client.Page[client.Album]](t, "advanced albums")(c.Search.AdvancedAlbums(ctx, &client.AdvancedSearch{
		Rules: client.Rules{Match: client.MatchAny, Rules: []client.Rule{{Field: "year", Operator: client.NumAtLeast, Input: "1900"}}}}))
	grp := must[*client.SearchResults](t, "search_group")(c.Search.Group(ctx, &client.GroupSearch{Type: client.GroupMusic,
		Rules: client.Rules{Rules: []client.Rule{{Field: "title", Operator: client.TextContains, Input: word}}}}))
	if !slices.ContainsFunc(grp.Songs, func(s client.Song) bool { return s.ID == id(target.ID) }) {
		t.Errorf("search_group misses the song: %d songs", len(grp.Songs))
	}
}

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

func TestIntegrationSessionExpiry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now() // the handshake timestamp must be near the server's clock
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv, c := start(t, ampachetest.Options{SessionLength: time.Minute, Now: clock}, user)
	ctx := t.Context()
	must[*client.Page[client.Song]](t, "songs")(c.Library.Songs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 1}}))
	eq(t, "handshakes", srv.Requests("handshake"), 1)

	advance(30 * time.Second)
	must[*client.PingReply](t, "ping")(c.Ping(ctx)) // extends the session
	advance(45 * time.Second)                       // 75 s after login, 45 s after the ping
	must[*client.Page[client.Song]](t, "songs")(c.Library.Songs(ctx, nil))
	eq(t, "handshakes after ping kept it alive", srv.Requests("handshake"), 1)

	advance(2 * time.Minute) // the session is over
	must[*client.Page[client.Song]](t, "songs after expiry")(c.Library.Songs(ctx, nil))
	eq(t, "handshakes after expiry", srv.Requests("handshake"), 2)

	srv.ExpireSessions()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Library.Albums(ctx, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	eq(t, "one shared renewal for 8 callers", srv.Requests("handshake"), 3)

	// A 4701 that keeps coming back is returned after one renewal.
	srv.FailNext("songs", 2, ampachetest.Fault{Code: 4701})
	_, err := c.Library.Songs(ctx, nil)
	if !errors.Is(err, client.ErrSessionExpired) {
		t.Errorf("got %v, want ErrSessionExpired", err)
	}
	eq(t, "handshakes", srv.Requests("handshake"), 4)
}

func TestIntegrationAPI5(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{APIVersion: 5}, user)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	eq(t, "API major", c.APIMajorVersion(), 5)
	songs := all(t, c.Library.AllSongs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 40}}))
	eq(t, "songs", len(songs), len(srv.Songs()))
	al := must[*client.Album](t, "album")(c.Library.Album(ctx, "1", nil))
	eq(t, "album", al.ID, "1")
	s := must[*client.Song](t, "song")(c.Library.Song(ctx, "1"))
	eq(t, "song format", s.Format, "mp3")
	must[*client.Page[client.Genre]](t, "genres")(c.Library.Genres(ctx, nil))
	if _, err := c.Library.Index(ctx, client.TypeSong, nil); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("index on API5: got %v, want ErrUnsupported", err)
	}
	p := must[*client.Playlist](t, "playlist")(c.Playlists.Create(ctx, "Five", ""))
	ok(t, "add (falls back to playlist_add_song)", c.Playlists.Add(ctx, p.ID, "4", client.TypeSong))
	got, _ := srv.PlaylistByID(atoi(t, p.ID))
	eq(t, "entries", len(got.SongIDs), 1)
	b := must[*client.Bookmark](t, "bookmark")(c.Bookmarks.Create(ctx, "4", client.TypeSong, 12, nil))
	eq(t, "bookmark position", int(b.Position), 12)
	target := srv.Songs()[20]
	r := must[*client.SearchResults](t, "group fallback")(c.Search.Group(ctx, &client.GroupSearch{Type: client.GroupMusic,
		Rules: client.Rules{Rules: []client.Rule{{Field: "title", Operator: client.TextIs, Input: target.Title}}}}))
	if !slices.ContainsFunc(r.Songs, func(s client.Song) bool { return s.ID == id(target.ID) }) {
		t.Errorf("group search fallback misses song %d", target.ID)
	}
	if _, err := c.Library.Song(ctx, "999999"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("missing song: got %v", err)
	}
}

func TestIntegrationAPI4(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{APIVersion: 4}, user)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	eq(t, "API major", c.APIMajorVersion(), 4)
	eq(t, "API version", c.APIVersion(), "443000")
	songs := all(t, c.Library.AllSongs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Limit: 100}}))
	eq(t, "songs", len(songs), len(srv.Songs()))
	if len(songs[0].Genres) == 0 {
		t.Error("API4 songs lost their genres")
	}
	al := must[*client.Album](t, "album")(c.Library.Album(ctx, "1", nil))
	eq(t, "album", al.ID, "1")
	ar := must[*client.Artist](t, "artist")(c.Library.Artist(ctx, "2", nil))
	eq(t, "artist", ar.ID, "2")
	pls := must[*client.Page[client.Playlist]](t, "playlists")(c.Playlists.List(ctx, nil))
	if len(pls.Items) == 0 {
		t.Error("no playlists")
	}
	g := must[*client.Page[client.Genre]](t, "genres")(c.Library.Genres(ctx, nil))
	if len(g.Items) == 0 || g.Items[0].Name == "" {
		t.Errorf("genres: %+v", g.Items)
	}
	_, err := c.Library.Song(ctx, "999999")
	var e *client.Error
	if !errors.Is(err, client.ErrNotFound) || !errors.As(err, &e) || e.LegacyCode != 404 {
		t.Errorf("missing song on API4: got %v", err)
	}
	if _, err := c.Bookmarks.List(ctx, nil); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("bookmarks on API4: got %v, want ErrUnsupported", err)
	}
	// Pinned to API4 on an API6 server, the session is API4 too.
	_, p := start(t, ampachetest.Options{}, user, client.WithAPIVersion(4))
	must[*client.HandshakeReply](t, "pinned handshake")(p.Handshake(ctx))
	eq(t, "pinned API", p.APIMajorVersion(), 4)
	must[*client.Page[client.Song]](t, "pinned songs")(p.Library.Songs(ctx, nil))
}

func TestIntegrationErrorCodes(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	ctx := t.Context()
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(ctx))
	songs := func() error { _, err := c.Library.Songs(ctx, nil); return err }
	for _, tt := range []struct {
		code int
		want error
	}{
		{4700, client.ErrAPIDisabled}, {4703, client.ErrAccessDenied}, {4704, client.ErrNotFound},
		{4705, client.ErrMissingMethod}, {4706, client.ErrDeprecated}, {4710, client.ErrBadRequest},
		{4742, client.ErrFailedAccessCheck},
	} {
		srv.FailNext("songs", 1, ampachetest.Fault{Code: tt.code})
		err := songs()
		var e *client.Error
		if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Action == "" {
			t.Errorf("fault %d: got %v", tt.code, err)
		}
	}
	// 4701 once: renewed transparently.
	hs := srv.Requests("handshake")
	srv.FailNext("songs", 1, ampachetest.Fault{Code: 4701})
	ok(t, "songs after one 4701", songs())
	eq(t, "renewal", srv.Requests("handshake"), hs+1)

	srv.FailNext("songs", 1, ampachetest.Fault{Status: 503})
	var se *client.HTTPStatusError
	if err := songs(); !errors.As(err, &se) || se.StatusCode != 503 {
		t.Errorf("503: got %v", err)
	}
	srv.FailNext("songs", 1, ampachetest.Fault{Empty: true})
	if err := songs(); !errors.Is(err, client.ErrEmptyResponse) {
		t.Errorf("empty: got %v", err)
	}
	srv.FailNext("songs", 2, ampachetest.Fault{Reset: true})
	var ue *client.UnreachableError
	if err := songs(); !errors.As(err, &ue) {
		t.Errorf("reset: got %T %v, want *UnreachableError", err, err)
	}
	ok(t, "songs after the faults", songs())

	// Real ones.
	if _, err := c.Library.Song(ctx, "999999"); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("missing song: %v", err)
	}
	if _, err := c.Podcasts.Create(ctx, "https://feeds.example.com/x.xml", "1"); !errors.Is(err, client.ErrFailedAccessCheck) {
		t.Errorf("podcast_create as a user: got %v, want ErrFailedAccessCheck", err)
	}
	if err := c.Podcasts.Delete(ctx, "1"); !errors.Is(err, client.ErrFailedAccessCheck) {
		t.Errorf("podcast_delete as a user: got %v, want ErrFailedAccessCheck", err)
	}
	if err := c.Activity.Rate(ctx, client.TypeSong, "1", 9); !errors.Is(err, client.ErrBadRequest) {
		t.Errorf("rating 9: got %v, want ErrBadRequest", err)
	}
	if _, err := c.Bookmarks.Create(ctx, "1", "banana", 5, nil); !errors.Is(err, client.ErrBadRequest) {
		t.Errorf("bookmark of a bad type: got %v, want ErrBadRequest", err)
	}
	srv.SetFeature(ampachetest.FeaturePodcast, false)
	if _, err := c.Podcasts.List(ctx, nil); !errors.Is(err, client.ErrAccessDenied) {
		t.Errorf("podcasts disabled: got %v, want ErrAccessDenied", err)
	}
	srv.SetFeature(ampachetest.FeatureShare, false)
	if _, err := c.Shares.Create(ctx, "1", client.TypeSong, "", 0); !errors.Is(err, client.ErrAccessDenied) {
		t.Errorf("shares disabled: got %v, want ErrAccessDenied", err)
	}
}

func TestIntegrationPinnedTLS(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{})
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ctx := t.Context()
	creds := client.WithCredentials(client.Credentials{User: srv.User.Username, Password: srv.User.Password})

	plain, _ := client.New(srv.URL, creds)
	_, err := plain.Handshake(ctx)
	var ce *client.CertificateError
	if !errors.As(err, &ce) {
		t.Fatalf("self-signed: got %v, want *CertificateError", err)
	}
	eq(t, "fingerprint", ce.Fingerprint, srv.CertificateFingerprint())

	pinned, err := client.New(srv.URL, creds, client.WithPinnedCertificate(ce.Fingerprint))
	ok(t, "new", err)
	must[*client.HandshakeReply](t, "pinned handshake")(pinned.Handshake(ctx))
	must[*client.Page[client.Song]](t, "pinned songs")(pinned.Library.Songs(ctx, nil))

	ok(t, "rotate", srv.RotateCertificate())
	again, _ := client.New(srv.URL, creds, client.WithPinnedCertificate(ce.Fingerprint))
	_, err = again.Handshake(ctx)
	var ce2 *client.CertificateError
	if !errors.As(err, &ce2) || ce2.Pinned == "" || ce2.Fingerprint != srv.CertificateFingerprint() {
		t.Errorf("rotated certificate: got %v", err)
	}
}

func TestIntegrationStalledServer(t *testing.T) {
	t.Parallel()
	srv, c := start(t, ampachetest.Options{}, user)
	must[*client.HandshakeReply](t, "handshake")(c.Handshake(t.Context()))
	release := srv.StallNext("songs", 1)
	defer release()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Library.Songs(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled server: got %v, want context.DeadlineExceeded", err)
	}
}

// BenchmarkSyncSongs100k reads a 100,000-song library with the iterator, as
// a first sync would (20 pages of 5000).
func BenchmarkSyncSongs100k(b *testing.B) {
	srv := ampachetest.NewServer(ampachetest.Options{Library: ampachetest.Library{Artists: 2000, AlbumsPerArtist: 5, SongsPerAlbum: 10}})
	defer srv.Close()
	c, err := client.New(srv.URL, client.WithHTTPClient(srv.Client()),
		client.WithCredentials(client.Credentials{User: srv.User.Username, Password: srv.User.Password}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Handshake(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		for _, err := range c.Library.AllSongs(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(srv.Songs()) {
			b.Fatalf("%d songs, want %d", n, len(srv.Songs()))
		}
	}
}
