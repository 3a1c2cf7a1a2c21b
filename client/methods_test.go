package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestMethodParameters checks the action and parameters each method sends,
// against the API documentation (see ../shared/fixtures/ampache-api/README.md
// and the API6 method pages). Replies are minimal valid ones.
func TestMethodParameters(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	song := map[string]any{"id": "1", "title": "T"}
	reply := map[string]func(q url.Values) any{}
	for _, a := range []string{"artists", "artist_albums", "albums", "genre_albums", "artist_songs", "album_songs", "songs",
		"genre_songs", "search_songs", "advanced_search", "stats", "get_similar", "genres", "genre_artists",
		"playlists", "user_playlists", "user_smartlists", "smartlists", "playlist_songs", "podcasts",
		"podcast_episodes", "deleted_podcast_episodes", "deleted_songs", "bookmarks", "shares", "live_streams",
		"catalogs", "users", "now_playing", "localplay_songs", "list", "index"} {
		reply[a] = func(url.Values) any { return map[string]any{"total_count": 0} }
	}
	for _, a := range []string{"artist", "album", "song", "url_to_song", "genre", "playlist", "playlist_create",
		"podcast", "podcast_create", "podcast_episode", "bookmark", "bookmark_create", "bookmark_edit",
		"get_bookmark", "share", "share_create", "live_stream", "catalog", "user"} {
		reply[a] = func(url.Values) any { return song }
	}
	for _, a := range []string{"playlist_edit", "playlist_delete", "playlist_add", "playlist_add_song",
		"playlist_remove_song", "podcast_delete", "podcast_edit", "update_podcast", "podcast_episode_delete",
		"bookmark_delete", "rate", "flag", "record_play", "scrobble", "share_delete", "share_edit"} {
		reply[a] = func(url.Values) any { return map[string]any{"success": "ok"} }
	}
	reply["playlist_generate"] = func(q url.Values) any {
		if q.Get("format") == "id" {
			return []int{4, 5}
		}
		return map[string]any{"song": []any{song}}
	}
	reply["playlist_hash"] = func(url.Values) any { return map[string]any{"md5": "abc"} }
	reply["search_group"] = func(url.Values) any { return map[string]any{"search": map[string]any{"song": []any{song}}} }
	reply["browse"] = func(url.Values) any { return map[string]any{"total_count": 1, "browse": []any{song}} }
	reply["localplay"] = func(q url.Values) any {
		cmd := q.Get("command")
		var v any = true
		if cmd == "status" {
			v = map[string]any{"state": "play", "volume": "50"}
		}
		return map[string]any{"localplay": map[string]any{"command": map[string]any{cmd: v}}}
	}
	reply["democratic"] = func(q url.Values) any {
		switch q.Get("method") {
		case "playlist":
			return map[string]any{"song": []any{map[string]any{"id": "1", "vote": 2}}}
		case "play":
			return map[string]any{"url": "https://h/play/index.php?demo_id=1"}
		}
		return map[string]any{"method": q.Get("method"), "result": true}
	}
	for action, r := range reply {
		f.handle(action, func(w http.ResponseWriter, q url.Values) { writeJSON(w, r(q)) })
	}
	c := f.client()
	ctx := t.Context()
	date := time.Unix(1700000000, 0)
	yes := true

	tests := []struct {
		name   string
		call   func() error
		action string
		want   map[string]string // parameters that must be sent; "" means absent
	}{
		{"Artists", func() error {
			_, err := c.Library.Artists(ctx, &ArtistListOptions{Filter: "a", AlbumArtist: true, Include: []string{IncludeAlbums},
				SortOptions: SortOptions{Sort: "name,DESC"}, ListOptions: ListOptions{Limit: 3}})
			return err
		}, "artists", map[string]string{"filter": "a", "album_artist": "1", "include": "albums", "sort": "name,DESC", "limit": "3", "offset": ""}},
		{"Artist", func() error {
			_, err := c.Library.Artist(ctx, "5", &ArtistOptions{Include: []string{IncludeSongs}})
			return err
		},
			"artist", map[string]string{"filter": "5", "include": "songs"}},
		{"ArtistAlbums", func() error {
			_, err := c.Library.ArtistAlbums(ctx, "5", &ArtistAlbumsOptions{AlbumArtist: true})
			return err
		},
			"artist_albums", map[string]string{"filter": "5", "album_artist": "1"}},
		{"ArtistSongs", func() error { _, err := c.Library.ArtistSongs(ctx, "5", &ArtistSongsOptions{Top50: true}); return err },
			"artist_songs", map[string]string{"filter": "5", "top50": "1"}},
		{"Albums", func() error {
			_, err := c.Library.Albums(ctx, &AlbumListOptions{Exact: true, Filter: "x", DateFilter: DateFilter{UpdatedAfter: date}})
			return err
		}, "albums", map[string]string{"exact": "1", "filter": "x", "update": "2023-11-14T22:13:20Z"}},
		{"Album", func() error { _, err := c.Library.Album(ctx, "6", nil); return err }, "album", map[string]string{"filter": "6", "include": ""}},
		{"AlbumSongs", func() error { _, err := c.Library.AlbumSongs(ctx, "6", nil); return err }, "album_songs", map[string]string{"filter": "6"}},
		{"Songs", func() error { _, err := c.Library.Songs(ctx, nil); return err }, "songs", map[string]string{"filter": ""}},
		{"Song", func() error { _, err := c.Library.Song(ctx, "7"); return err }, "song", map[string]string{"filter": "7"}},
		{"URLToSong", func() error { _, err := c.Library.URLToSong(ctx, "https://h/play?oid=7"); return err },
			"url_to_song", map[string]string{"url": "https://h/play?oid=7"}},
		{"Genres", func() error { _, err := c.Library.Genres(ctx, &GenreListOptions{Filter: "ro"}); return err }, "genres", map[string]string{"filter": "ro"}},
		{"Genre", func() error { _, err := c.Library.Genre(ctx, "2"); return err }, "genre", map[string]string{"filter": "2"}},
		{"GenreArtists", func() error { _, err := c.Library.GenreArtists(ctx, "2", nil); return err }, "genre_artists", map[string]string{"filter": "2"}},
		{"GenreAlbums", func() error { _, err := c.Library.GenreAlbums(ctx, "2", nil); return err }, "genre_albums", map[string]string{"filter": "2"}},
		{"GenreSongs", func() error { _, err := c.Library.GenreSongs(ctx, "2", nil); return err }, "genre_songs", map[string]string{"filter": "2"}},
		{"StatAlbums", func() error {
			_, err := c.Library.StatAlbums(ctx, &StatsOptions{Filter: StatsNewest, ListOptions: ListOptions{Limit: 10}})
			return err
		}, "stats", map[string]string{"type": "album", "filter": "newest", "limit": "10"}},
		{"StatSongs", func() error { _, err := c.Library.StatSongs(ctx, &StatsOptions{Filter: StatsFlagged}); return err },
			"stats", map[string]string{"type": "song", "filter": "flagged"}},
		{"StatArtists", func() error { _, err := c.Library.StatArtists(ctx, nil); return err }, "stats", map[string]string{"type": "artist", "filter": ""}},
		{"SimilarSongs", func() error { _, err := c.Library.SimilarSongs(ctx, "9", nil); return err }, "get_similar", map[string]string{"type": "song", "filter": "9"}},
		{"SimilarArtists", func() error { _, err := c.Library.SimilarArtists(ctx, "9", nil); return err }, "get_similar", map[string]string{"type": "artist", "filter": "9"}},
		{"LiveStreams", func() error { _, err := c.Library.LiveStreams(ctx, nil); return err }, "live_streams", nil},
		{"LiveStream", func() error { _, err := c.Library.LiveStream(ctx, "1"); return err }, "live_stream", map[string]string{"filter": "1"}},
		{"Index", func() error {
			_, err := c.Library.Index(ctx, TypeAlbumArtist, &IndexOptions{HideSearch: true})
			return err
		}, "index", map[string]string{"type": "album_artist", "hide_search": "1", "include": ""}},
		{"IndexTree", func() error { _, err := c.Library.IndexTree(ctx, TypePlaylist, nil); return err }, "index", map[string]string{"type": "playlist", "include": "1"}},
		{"List", func() error { _, err := c.Library.List(ctx, TypeSong, nil); return err }, "list", map[string]string{"type": "song"}},
		{"Browse", func() error {
			_, err := c.Library.Browse(ctx, &BrowseOptions{Filter: "3", Type: TypeArtist, Catalog: "1"})
			return err
		}, "browse", map[string]string{"filter": "3", "type": "artist", "catalog": "1"}},
		{"DeletedSongs", func() error { _, err := c.Library.DeletedSongs(ctx, &ListOptions{Offset: 5}); return err }, "deleted_songs", map[string]string{"offset": "5"}},
		{"SearchSongs", func() error { _, err := c.Search.Songs(ctx, "love", nil); return err }, "search_songs", map[string]string{"filter": "love"}},
		{"AdvancedAlbums", func() error {
			_, err := c.Search.AdvancedAlbums(ctx, &AdvancedSearch{Rules: Rules{Rules: []Rule{{Field: "title", Operator: TextStartsWith, Input: "Bl"}}}})
			return err
		}, "advanced_search", map[string]string{"type": "album", "operator": "and", "rule_1": "title", "rule_1_operator": "2", "rule_1_input": "Bl"}},
		{"Group", func() error {
			_, err := c.Search.Group(ctx, &GroupSearch{Type: GroupMusic, Rules: Rules{Match: MatchAny, Rules: []Rule{{Field: "title", Input: "x"}}}})
			return err
		}, "search_group", map[string]string{"type": "music", "operator": "or", "rule_1": "title", "rule_1_input": "x"}},
		{"Playlists", func() error {
			_, err := c.Playlists.List(ctx, &PlaylistListOptions{HideSearch: true, ShowDupes: true})
			return err
		},
			"playlists", map[string]string{"hide_search": "1", "show_dupes": "1"}},
		{"UserPlaylists", func() error { _, err := c.Playlists.UserPlaylists(ctx, nil); return err }, "user_playlists", nil},
		{"UserSmartlists", func() error { _, err := c.Playlists.UserSmartlists(ctx, nil); return err }, "user_smartlists", nil},
		{"Smartlists", func() error { _, err := c.Playlists.Smartlists(ctx, nil); return err }, "smartlists", nil},
		{"Playlist", func() error { _, err := c.Playlists.Get(ctx, "smart_3"); return err }, "playlist", map[string]string{"filter": "smart_3"}},
		{"PlaylistSongs", func() error { _, err := c.Playlists.Songs(ctx, "3", &PlaylistSongsOptions{Random: true}); return err },
			"playlist_songs", map[string]string{"filter": "3", "random": "1"}},
		{"PlaylistCreate", func() error { _, err := c.Playlists.Create(ctx, "Mix", PlaylistPrivate); return err },
			"playlist_create", map[string]string{"name": "Mix", "type": "private"}},
		{"PlaylistEdit", func() error {
			return c.Playlists.Edit(ctx, "3", &PlaylistEditOptions{Name: "New", Type: PlaylistPublic, Items: []ID{"9", "8"}, Tracks: []int{1, 2}})
		}, "playlist_edit", map[string]string{"filter": "3", "name": "New", "type": "public", "items": "9,8", "tracks": "1,2"}},
		{"PlaylistDelete", func() error { return c.Playlists.Delete(ctx, "3") }, "playlist_delete", map[string]string{"filter": "3"}},
		{"PlaylistAdd", func() error { return c.Playlists.Add(ctx, "3", "44", TypeAlbum) }, "playlist_add",
			map[string]string{"filter": "3", "id": "44", "type": "album"}},
		{"PlaylistAddSong", func() error { return c.Playlists.AddSong(ctx, "3", "44", true) }, "playlist_add_song",
			map[string]string{"filter": "3", "song": "44", "check": "1"}},
		{"PlaylistRemoveSong", func() error { return c.Playlists.RemoveSong(ctx, "3", "44") }, "playlist_remove_song",
			map[string]string{"filter": "3", "song": "44", "track": ""}},
		{"PlaylistRemoveTrack", func() error { return c.Playlists.RemoveTrack(ctx, "3", 2) }, "playlist_remove_song",
			map[string]string{"filter": "3", "track": "2", "song": ""}},
		{"Generate", func() error {
			_, err := c.Playlists.Generate(ctx, &GenerateOptions{Mode: GenerateForgotten, Artist: "2", Flag: true, ListOptions: ListOptions{Limit: 20}})
			return err
		}, "playlist_generate", map[string]string{"mode": "forgotten", "artist": "2", "flag": "1", "format": "song", "limit": "20"}},
		{"GenerateIndex", func() error { _, err := c.Playlists.GenerateIndex(ctx, nil); return err }, "playlist_generate", map[string]string{"format": "index"}},
		{"GenerateIDs", func() error {
			p, err := c.Playlists.GenerateIDs(ctx, &GenerateOptions{Album: "7"})
			if err == nil && (len(p.Items) != 2 || p.Items[0] != "4") {
				err = errors.New("ids not decoded")
			}
			return err
		}, "playlist_generate", map[string]string{"format": "id", "album": "7"}},
		{"Hash", func() error {
			h, err := c.Playlists.Hash(ctx, "3")
			if err == nil && h != "abc" {
				err = errors.New("hash not decoded")
			}
			return err
		}, "playlist_hash", map[string]string{"filter": "3"}},
		{"Podcasts", func() error {
			_, err := c.Podcasts.List(ctx, &PodcastListOptions{Include: []string{IncludeEpisodes}})
			return err
		},
			"podcasts", map[string]string{"include": "episodes"}},
		{"Podcast", func() error { _, err := c.Podcasts.Get(ctx, "1", nil); return err }, "podcast", map[string]string{"filter": "1"}},
		{"Episodes", func() error { _, err := c.Podcasts.Episodes(ctx, "1", nil); return err }, "podcast_episodes", map[string]string{"filter": "1"}},
		{"Episode", func() error { _, err := c.Podcasts.Episode(ctx, "8"); return err }, "podcast_episode", map[string]string{"filter": "8"}},
		{"PodcastCreate", func() error { _, err := c.Podcasts.Create(ctx, "https://feeds.example/x.xml", "3"); return err },
			"podcast_create", map[string]string{"url": "https://feeds.example/x.xml", "catalog": "3"}},
		{"PodcastEdit", func() error { return c.Podcasts.Edit(ctx, "1", &PodcastEditOptions{Title: "T"}) }, "podcast_edit",
			map[string]string{"filter": "1", "title": "T", "feed": ""}},
		{"PodcastDelete", func() error { return c.Podcasts.Delete(ctx, "1") }, "podcast_delete", map[string]string{"filter": "1"}},
		{"UpdatePodcast", func() error { return c.Podcasts.Update(ctx, "1") }, "update_podcast", map[string]string{"filter": "1"}},
		{"EpisodeDelete", func() error { return c.Podcasts.DeleteEpisode(ctx, "8") }, "podcast_episode_delete", map[string]string{"filter": "8"}},
		{"DeletedEpisodes", func() error { _, err := c.Podcasts.DeletedEpisodes(ctx, nil); return err }, "deleted_podcast_episodes", nil},
		{"Bookmarks", func() error {
			_, err := c.Bookmarks.List(ctx, &BookmarkListOptions{Client: "Ampdesk", Include: true})
			return err
		},
			"bookmarks", map[string]string{"client": "Ampdesk", "include": "1"}},
		{"Bookmark", func() error { _, err := c.Bookmarks.Get(ctx, "59", nil); return err }, "bookmark", map[string]string{"filter": "59"}},
		{"GetBookmark", func() error {
			_, err := c.Bookmarks.ForObject(ctx, "91", TypeSong, &BookmarkOptions{Include: true})
			return err
		},
			"get_bookmark", map[string]string{"filter": "91", "type": "song", "include": "1", "all": ""}},
		{"GetBookmarkAll", func() error { _, err := c.Bookmarks.AllForObject(ctx, "91", TypeSong, nil); return err },
			"get_bookmark", map[string]string{"filter": "91", "type": "song", "all": "1"}},
		{"BookmarkCreate", func() error {
			_, err := c.Bookmarks.Create(ctx, "91", TypePodcastEpisode, 125, &BookmarkWriteOptions{Client: "Ampdesk", Date: date})
			return err
		}, "bookmark_create", map[string]string{"filter": "91", "type": "podcast_episode", "position": "125", "client": "Ampdesk", "date": "1700000000"}},
		{"BookmarkEdit", func() error { _, err := c.Bookmarks.Edit(ctx, "91", TypeSong, 130, nil); return err },
			"bookmark_edit", map[string]string{"filter": "91", "type": "song", "position": "130", "date": ""}},
		{"BookmarkDelete", func() error { return c.Bookmarks.Delete(ctx, "91", TypeSong, "Ampdesk") },
			"bookmark_delete", map[string]string{"filter": "91", "type": "song", "client": "Ampdesk"}},
		{"Rate", func() error { return c.Activity.Rate(ctx, TypeAlbum, "4", 5) }, "rate", map[string]string{"type": "album", "id": "4", "rating": "5"}},
		{"Flag", func() error { return c.Activity.Flag(ctx, TypeSong, "4", false) }, "flag", map[string]string{"type": "song", "id": "4", "filter": "4", "flag": "0"}},
		{"RecordPlay", func() error {
			return c.Activity.RecordPlay(ctx, "4", &RecordPlayOptions{Client: "Ampdesk", Date: date})
		},
			"record_play", map[string]string{"id": "4", "filter": "4", "client": "Ampdesk", "date": "1700000000", "user": ""}},
		{"Scrobble", func() error {
			return c.Activity.Scrobble(ctx, &Scrobble{Song: "S", Artist: "A", Album: "B", SongMBID: "m", Date: date})
		}, "scrobble", map[string]string{"song": "S", "artist": "A", "album": "B", "songmbid": "m", "date": "1700000000"}},
		{"NowPlaying", func() error { _, err := c.Activity.NowPlaying(ctx); return err }, "now_playing", nil},
		{"Shares", func() error { _, err := c.Shares.List(ctx, nil); return err }, "shares", nil},
		{"Share", func() error { _, err := c.Shares.Get(ctx, "2"); return err }, "share", map[string]string{"filter": "2"}},
		{"ShareCreate", func() error { _, err := c.Shares.Create(ctx, "9", TypeAlbum, "for you", 7); return err },
			"share_create", map[string]string{"filter": "9", "type": "album", "description": "for you", "expires": "7"}},
		{"ShareEdit", func() error { return c.Shares.Edit(ctx, "2", &ShareEditOptions{Download: &yes}) }, "share_edit",
			map[string]string{"filter": "2", "download": "1", "stream": ""}},
		{"ShareDelete", func() error { return c.Shares.Delete(ctx, "2") }, "share_delete", map[string]string{"filter": "2"}},
		{"LocalplayNext", func() error { return c.Localplay.Next(ctx) }, "localplay", map[string]string{"command": "next"}},
		{"LocalplayVolumeMute", func() error { return c.Localplay.VolumeMute(ctx) }, "localplay", map[string]string{"command": "volume_mute"}},
		{"LocalplaySkipTo", func() error { return c.Localplay.SkipTo(ctx, 3) }, "localplay", map[string]string{"command": "skip", "track": "3"}},
		{"LocalplayAdd", func() error { return c.Localplay.Add(ctx, "5", TypeSong, &LocalplayAddOptions{Clear: true}) }, "localplay",
			map[string]string{"command": "add", "oid": "5", "filter": "5", "type": "song", "clear": "1"}},
		{"LocalplayStatus", func() error {
			st, err := c.Localplay.Status(ctx)
			if err == nil && (st.State != "play" || st.Volume != 50) {
				err = errors.New("status not decoded")
			}
			return err
		}, "localplay", map[string]string{"command": "status"}},
		{"LocalplaySongs", func() error { _, err := c.Localplay.Songs(ctx); return err }, "localplay_songs", nil},
		{"Vote", func() error { return c.Democratic.Vote(ctx, "5") }, "democratic", map[string]string{"method": "vote", "oid": "5"}},
		{"Devote", func() error { return c.Democratic.Devote(ctx, "5") }, "democratic", map[string]string{"method": "devote", "oid": "5"}},
		{"DemocraticPlaylist", func() error {
			p, err := c.Democratic.Playlist(ctx)
			if err == nil && (len(p.Items) != 1 || p.Items[0].Vote != 2) {
				err = errors.New("votes not decoded")
			}
			return err
		}, "democratic", map[string]string{"method": "playlist"}},
		{"DemocraticPlay", func() error {
			u, err := c.Democratic.PlayURL(ctx)
			if err == nil && !strings.Contains(u, "demo_id=1") {
				err = errors.New("url not decoded")
			}
			return err
		}, "democratic", map[string]string{"method": "play"}},
		{"Catalogs", func() error { _, err := c.Catalogs.List(ctx, &CatalogListOptions{Filter: "podcast"}); return err }, "catalogs", map[string]string{"filter": "podcast"}},
		{"Catalog", func() error { _, err := c.Catalogs.Get(ctx, "1"); return err }, "catalog", map[string]string{"filter": "1"}},
		{"User", func() error { _, err := c.Users.Get(ctx, "bob"); return err }, "user", map[string]string{"username": "bob"}},
		{"UserSelf", func() error { _, err := c.Users.Get(ctx, ""); return err }, "user", map[string]string{"username": "alice"}},
		{"Users", func() error { _, err := c.Users.List(ctx); return err }, "users", nil},
	}
	for _, tt := range tests {
		if err := tt.call(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		q := f.lastQuery(tt.action)
		if q.Get("auth") == "" {
			t.Errorf("%s: sent without auth", tt.name)
		}
		for k, v := range tt.want {
			if v == "" {
				if q.Has(k) {
					t.Errorf("%s: %s=%q sent", tt.name, k, q.Get(k))
				}
				continue
			}
			if got := q.Get(k); got != v {
				t.Errorf("%s: %s=%q, want %q", tt.name, k, got, v)
			}
		}
	}
}

func TestLocalplayCommandFailed(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("localplay", func(w http.ResponseWriter, q url.Values) {
		writeJSON(w, map[string]any{"localplay": map[string]any{"command": map[string]any{q.Get("command"): false}}})
	})
	err := f.client().Localplay.Play(t.Context())
	if !errors.Is(err, ErrCommandFailed) {
		t.Fatalf("got %v, want ErrCommandFailed", err)
	}
}

func TestForObjectWithoutBookmark(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"bookmark":[]}`, `{}`, `[]`, `{"total_count":0,"md5":"x","bookmark":[]}`} {
		f := newFake(t, "6.9.2")
		f.handle("get_bookmark", func(w http.ResponseWriter, q url.Values) { _, _ = w.Write([]byte(body)) })
		bm, err := f.client().Bookmarks.ForObject(t.Context(), "1", TypeSong, nil)
		if err != nil || bm != nil {
			t.Errorf("%s: got %v, %v; want nil, nil", body, bm, err)
		}
	}
}

func TestPlaylistAddOnAPI5(t *testing.T) {
	t.Parallel()
	f := newFake(t, "5.5.6")
	f.handle("playlist_add_song", func(w http.ResponseWriter, q url.Values) { writeJSON(w, map[string]string{"success": "added"}) })
	c := f.client()
	if err := c.Playlists.Add(t.Context(), "3", "44", TypeSong); err != nil {
		t.Fatal(err)
	}
	q := f.lastQuery("playlist_add_song")
	eq(t, "filter", q.Get("filter"), "3")
	eq(t, "song", q.Get("song"), "44")
	eq(t, "playlist_add requests", f.count("playlist_add"), 0)
	if err := c.Playlists.Add(t.Context(), "3", "7", TypeAlbum); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("adding an album on API5: got %v, want unsupported", err)
	}
}

func TestSearchGroupFallback(t *testing.T) {
	t.Parallel()
	f := newFake(t, "5.5.6")
	f.handle("advanced_search", func(w http.ResponseWriter, q url.Values) {
		switch q.Get("type") {
		case "song":
			writeJSON(w, map[string]any{"song": []any{map[string]any{"id": "1", "title": "Love"}}})
		case "album":
			writeJSON(w, map[string]any{"album": []any{map[string]any{"id": "2", "name": "Love Album"}}})
		case "artist":
			writeError(w, 4710, "advanced_search", "rule_1", "Bad Request: title") // this server cannot
		default:
			writeJSON(w, map[string]any{q.Get("type"): []any{}})
		}
	})
	c := f.client()
	r, err := c.Search.Group(t.Context(), &GroupSearch{Type: GroupMusic, Rules: Rules{Rules: []Rule{{Field: "title", Input: "love"}}}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "songs", len(r.Songs), 1)
	eq(t, "albums", len(r.Albums), 1)
	eq(t, "artists", len(r.Artists), 0)
	eq(t, "advanced_search requests", f.count("advanced_search"), 3)
	eq(t, "search_group requests", f.count("search_group"), 0)
	eq(t, "rule sent", f.lastQuery("advanced_search").Get("rule_1_input"), "love")

	f.handle("advanced_search", func(w http.ResponseWriter, q url.Values) { http.Error(w, "down", 503) })
	if _, err := c.Search.Group(t.Context(), &GroupSearch{Rules: Rules{Rules: []Rule{{Field: "title", Input: "x"}}}}); err == nil {
		t.Error("a server failure during the fallback was swallowed")
	}
}

func TestMediaURLs(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	c := f.client()
	if _, err := c.Media.StreamURL("1", TypeSong, nil); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("before login: got %v, want ErrNotLoggedIn", err)
	}
	if _, err := c.Handshake(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := f.total()
	tests := []struct {
		url  func() (string, error)
		want url.Values
	}{
		{func() (string, error) {
			return c.Media.StreamURL("12", TypeSong, &StreamOptions{Format: "mp3", Bitrate: 192000, Offset: 95, Length: true, NoStats: true})
		}, url.Values{"action": {"stream"}, "id": {"12"}, "filter": {"12"}, "type": {"song"}, "format": {"mp3"},
			"bitrate": {"192000"}, "offset": {"95"}, "length": {"1"}, "stats": {"0"}, "auth": {"tok1-deadbeefcafe"}}},
		{func() (string, error) { return c.Media.StreamURL("8", TypePodcastEpisode, nil) },
			url.Values{"action": {"stream"}, "id": {"8"}, "filter": {"8"}, "type": {"podcast_episode"}, "auth": {"tok1-deadbeefcafe"}}},
		{func() (string, error) {
			return c.Media.DownloadURL("12", TypeSong, &DownloadOptions{Format: "raw"})
		}, url.Values{"action": {"download"}, "id": {"12"}, "filter": {"12"}, "type": {"song"}, "format": {"raw"}, "auth": {"tok1-deadbeefcafe"}}},
		{func() (string, error) { return c.Media.ArtURL("3", TypeAlbum, &ArtOptions{Width: 640, Height: 480}) },
			url.Values{"action": {"get_art"}, "id": {"3"}, "filter": {"3"}, "type": {"album"}, "size": {"640x480"}, "auth": {"tok1-deadbeefcafe"}}},
	}
	for _, tt := range tests {
		raw, err := tt.url()
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "endpoint", u.Scheme+"://"+u.Host+u.Path, f.srv.URL+"/ampache/server/json.server.php")
		eq(t, "query", u.Query().Encode(), tt.want.Encode())
	}
	eq(t, "requests made", f.total(), before)
	if _, err := c.Media.StreamURL("", TypeSong, nil); err == nil {
		t.Error("an empty id was accepted")
	}
}

func TestNilContext(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	c := f.client()
	var nilCtx context.Context
	if _, err := c.Library.Songs(nilCtx, nil); err == nil {
		t.Error("nil context accepted")
	}
	if _, err := c.Handshake(nilCtx); err == nil {
		t.Error("nil context accepted by Handshake")
	}
}

func TestPlaylistEditChecksLengths(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	err := f.client().Playlists.Edit(t.Context(), "1", &PlaylistEditOptions{Items: []ID{"1", "2"}, Tracks: []int{1}})
	if err == nil {
		t.Fatal("unequal items and tracks accepted")
	}
	eq(t, "requests", f.count("playlist_edit"), 0)
}
