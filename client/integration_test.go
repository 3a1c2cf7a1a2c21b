package client_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
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
