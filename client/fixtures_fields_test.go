package client

import (
	"errors"
	"testing"
	"time"
)

// Field-level checks on the fixtures that matter most to a player. The
// expected values are read off the captured replies by hand.

func decodeFixture(t *testing.T, api, name string) any {
	t.Helper()
	body := readFixture(t, api, name)
	method, variant, _ := cutVariant(name)
	p, err := parsePayload(method, body)
	if err != nil {
		t.Fatalf("%s/%s: %v", api, name, err)
	}
	v, err := decoderFor(method, variant)(p)
	if err != nil {
		t.Fatalf("%s/%s: %v", api, name, err)
	}
	return v
}

func cutVariant(name string) (method, variant string, ok bool) {
	for i := 0; i+1 < len(name); i++ {
		if name[i] == '-' && name[i+1] == '-' {
			return name[:i], name[i+2:], true
		}
	}
	return name, "", false
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func ptrEq[T comparable](t *testing.T, what string, got *T, want T) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", what, want)
		return
	}
	eq(t, what, *got, want)
}

func isNil[T any](t *testing.T, what string, got *T) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", what, *got)
	}
}

func date(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestFixtureSong(t *testing.T) {
	t.Parallel()
	s := decodeFixture(t, "api6", "song").(*Song)
	eq(t, "ID", s.ID, "91")
	eq(t, "Title", s.Title, "Home Capsules")
	eq(t, "Artist", s.Artist, ArtistRef{ID: "14", Name: "Nofi/found.", Basename: "Nofi/found."})
	eq(t, "Album.ID", s.Album.ID, "8")
	eq(t, "Album.Name", s.Album.Name, "Nofi Devices")
	eq(t, "AlbumArtist.ID", s.AlbumArtist.ID, "14")
	eq(t, "Disc", s.Disc, 1)
	eq(t, "Track", s.Track, 9)
	eq(t, "Time", s.Time, 294)
	eq(t, "Year", s.Year, 0)
	eq(t, "len(Genres)", len(s.Genres), 2)
	eq(t, "Genres[1]", s.Genres[1], GenreRef{ID: "5", Name: "Electronica"})
	eq(t, "Format", s.Format, "mp3")
	eq(t, "Mime", s.Mime, "audio/mpeg")
	eq(t, "Bitrate", s.Bitrate, 192000)
	eq(t, "Rate", s.Rate, 44100)
	eq(t, "Size", s.Size, 7076428)
	eq(t, "StreamFormat", s.StreamFormat, "mp3")
	eq(t, "StreamMime", s.StreamMime, "audio/mpeg")
	eq(t, "StreamBitrate", s.StreamBitrate, 32000)
	eq(t, "Channels", s.Channels, 2)
	eq(t, "HasArt", s.HasArt, true)
	eq(t, "Flag", s.Flag, true)
	ptrEq(t, "Rating", s.Rating, 5)
	isNil(t, "AvgRating", s.AvgRating)
	eq(t, "PlayCount", s.PlayCount, 0)
	eq(t, "Catalog", s.Catalog, "1")
	eq(t, "Composer", s.Composer, "Jeffrey Melton")
	ptrEq(t, "ReplayGainTrackGain", s.ReplayGainTrackGain, -2.97)
	ptrEq(t, "ReplayGainTrackPeak", s.ReplayGainTrackPeak, 1)
	isNil(t, "ReplayGainAlbumGain", s.ReplayGainAlbumGain)
	isNil(t, "ReplayGainAlbumPeak", s.ReplayGainAlbumPeak)
	isNil(t, "R128TrackGain", s.R128TrackGain)
	isNil(t, "R128AlbumGain", s.R128AlbumGain)
	eq(t, "URL", s.URL, "https://music.com.au/play/index.php?ssid=cfj3f237d563f479f5223k23189dbb34&type=song&oid=91&uid=4&transcode_to=mp3&bitrate=32000&player=api&name=Nofi-found.%20-%20Home%20Capsules.mp3")
	eq(t, "Filename", s.Filename, "/mnt/files-music/ampache-test/music/Nofi_found/Nofi Devices LP/09_Home_Capsules.mp3")

	// API5: booleans as 0/1, mbid fields, no stream_* fields.
	s5 := decodeFixture(t, "api5", "song").(*Song)
	eq(t, "api5 ID", s5.ID, "54")
	eq(t, "api5 Flag", s5.Flag, false)
	eq(t, "api5 ArtistMBID", s5.ArtistMBID, "1")
	eq(t, "api5 Rate", s5.Rate, 22050)
	ptrEq(t, "api5 ReplayGainTrackGain", s5.ReplayGainTrackGain, -2.88)
	isNil(t, "api5 Rating", s5.Rating)

	// API5 get_similar: gains as strings ("-12.160000").
	sim := decodeFixture(t, "api5", "get_similar").(*Page[Song])
	eq(t, "get_similar Total", sim.Total, -1)
	eq(t, "get_similar len", len(sim.Items), 5)
	ptrEq(t, "get_similar gain", sim.Items[0].ReplayGainTrackGain, -12.16)
	eq(t, "get_similar MBID", sim.Items[0].MBID, "45024040-a343-4141-9bc9-27ef0cc9163d")
}

func TestFixtureSongsPage(t *testing.T) {
	t.Parallel()
	p := decodeFixture(t, "api6", "songs").(*Page[Song])
	eq(t, "Total", p.Total, 75)
	eq(t, "len(Items)", len(p.Items), 4) // captured with limit=4: never assume len == total
	p5 := decodeFixture(t, "api5", "songs").(*Page[Song])
	eq(t, "api5 Total", p5.Total, -1)
	if len(p5.Items) == 0 {
		t.Error("api5 songs: no items")
	}
}

func TestFixtureAlbum(t *testing.T) {
	t.Parallel()
	a := decodeFixture(t, "api6", "album").(*Album)
	eq(t, "ID", a.ID, "2")
	eq(t, "Name", a.Name, "Colorsmoke EP")
	eq(t, "Artist.Name", a.Artist.Name, "Synthetic")
	eq(t, "Year", a.Year, 2007)
	eq(t, "Time", a.Time, 4568)
	eq(t, "SongCount", a.SongCount, 12)
	eq(t, "DiskCount", a.DiskCount, 1)
	eq(t, "Genres", len(a.Genres), 1)
	eq(t, "Genre", a.Genres[0].Name, "Electronic")
	eq(t, "Flag", a.Flag, true)
	ptrEq(t, "Rating", a.Rating, 5)
	ptrEq(t, "AvgRating", a.AvgRating, 3)
	eq(t, "len(Tracks)", len(a.Tracks), 0)

	// API5 wraps the single album as {"album": [ {...} ]}.
	a5 := decodeFixture(t, "api5", "album").(*Album)
	eq(t, "api5 ID", a5.ID, "2")
	eq(t, "api5 Flag", a5.Flag, true) // "flag": 1

	// With include=songs the tracks are full songs.
	ai := decodeFixture(t, "api6", "album--with_include").(*Album)
	if len(ai.Tracks) == 0 || ai.Tracks[0].ID == "" || ai.Tracks[0].Album.ID != ai.ID {
		t.Errorf("album with include: tracks %+v", ai.Tracks)
	}
}

func TestFixtureArtist(t *testing.T) {
	t.Parallel()
	a := decodeFixture(t, "api6", "artist").(*Artist)
	eq(t, "ID", a.ID, "36")
	eq(t, "Name", a.Name, "Comfort Fit")
	eq(t, "AlbumCount", a.AlbumCount, 1)
	eq(t, "SongCount", a.SongCount, 20)
	eq(t, "Genre", a.Genres[0], GenreRef{ID: "8", Name: "Hip-Hop"})
	eq(t, "MBID", a.MBID, "e6e2b787-0b4c-4267-8161-310399b101a5")
	eq(t, "Time", a.Time, 4248)
	eq(t, "HasArt", a.HasArt, true)
	isNil(t, "Rating", a.Rating)

	ai := decodeFixture(t, "api6", "artist--with_include").(*Artist)
	if len(ai.Albums) == 0 || len(ai.Songs) == 0 {
		t.Errorf("artist with include: %d albums, %d songs", len(ai.Albums), len(ai.Songs))
	}
}

func TestFixturePlaylist(t *testing.T) {
	t.Parallel()
	p := decodeFixture(t, "api6", "playlist").(*Playlist)
	eq(t, "ID", p.ID, "127")
	eq(t, "Name", p.Name, "renamejson")
	eq(t, "Owner", p.Owner, "user")
	eq(t, "User", p.User, UserRef{ID: "4", Username: "user"})
	eq(t, "Items", p.Items, 0)
	eq(t, "Type", p.Type, "private")
	eq(t, "HasAccess", p.HasAccess, true)
	eq(t, "Smart", p.Smart, false)
	eq(t, "LastUpdate", p.LastUpdate.Time, time.Unix(1771990167, 0).UTC())

	sl := decodeFixture(t, "api6", "smartlists").(*Page[Playlist])
	eq(t, "smartlists Total", sl.Total, 18)
	eq(t, "smartlist ID", sl.Items[0].ID, "smart_21")
	eq(t, "smartlist Smart", sl.Items[0].Smart, true)

	p5 := decodeFixture(t, "api5", "playlist").(*Playlist)
	eq(t, "api5 Items", p5.Items, 2)
	eq(t, "api5 Type", p5.Type, "public")
}

func TestFixturePodcastEpisode(t *testing.T) {
	t.Parallel()
	e := decodeFixture(t, "api6", "podcast_episode").(*PodcastEpisode)
	eq(t, "ID", e.ID, "3715")
	eq(t, "Title", e.Title, "Talking to the Host of Drilled about the Legal Battles around Standing Rock")
	eq(t, "Podcast", e.Podcast, PodcastRef{ID: "1", Name: "60-Second Science"}) // id is a number here
	eq(t, "PubDate", e.PubDate.Time, date("2025-06-30T09:55:00Z"))
	eq(t, "State", e.State, "completed")
	eq(t, "FileLength", e.FileLength, "00:12:06")
	eq(t, "FileSize", e.FileSize, "17 MB")
	eq(t, "Mime", e.Mime, "audio/mpeg")
	eq(t, "Time", e.Time, 726)
	eq(t, "Size", e.Size, 17827745)
	eq(t, "Bitrate", e.Bitrate, 192000)
	eq(t, "Rate", e.Rate, 44100)
	eq(t, "Catalog", e.Catalog, "3")
	eq(t, "Played", e.Played, false) // ""
	isNil(t, "Rating", e.Rating)

	e5 := decodeFixture(t, "api5", "podcast_episode").(*PodcastEpisode)
	eq(t, "api5 ID", e5.ID, "23")
	eq(t, "api5 Played", e5.Played, true) // "1"
	eq(t, "api5 Podcast", e5.Podcast, PodcastRef{})
}

func TestFixtureBookmark(t *testing.T) {
	t.Parallel()
	b := decodeFixture(t, "api6", "bookmark").(*Bookmark)
	eq(t, "ID", b.ID, "4")
	eq(t, "Owner", b.Owner, "user")
	eq(t, "ObjectType", b.ObjectType, "song")
	eq(t, "ObjectID", b.ObjectID, "64")
	eq(t, "Position", b.Position, 10)
	eq(t, "Client", b.Client, "client")
	eq(t, "Created", b.Created.Time, time.Unix(1670202706, 0).UTC())
	eq(t, "Updated", b.Updated.Time, time.Unix(1698974919, 0).UTC())
	if b.Song != nil || b.PodcastEpisode != nil {
		t.Error("bookmark without include has an object")
	}

	bi := decodeFixture(t, "api6", "bookmark--with_include").(*Bookmark)
	if bi.Song == nil || bi.Song.ID != "91" {
		t.Errorf("bookmark with include: song %+v", bi.Song)
	}

	// "podcast_episode": [] stands for "no object".
	all := decodeFixture(t, "api6", "bookmarks--with_include").(*Page[Bookmark])
	eq(t, "bookmarks Total", all.Total, 8)
	eq(t, "bookmarks[0] type", all.Items[0].ObjectType, "podcast_episode")
	if all.Items[0].PodcastEpisode != nil {
		t.Error("an empty list became an episode")
	}

	// API5 wraps a created bookmark in a list.
	b5 := decodeFixture(t, "api5", "bookmark_create").(*Bookmark)
	eq(t, "api5 ID", b5.ID, "11")
	eq(t, "api5 ObjectID", b5.ObjectID, "123")
}

func TestFixtureGetBookmarkShowAll(t *testing.T) {
	t.Parallel()
	p := decodeFixture(t, "api6", "get_bookmark--show_all").(*Page[Bookmark])
	eq(t, "Total", p.Total, 1)
	eq(t, "len", len(p.Items), 1)
	b := p.Items[0]
	eq(t, "ID", b.ID, "59")
	eq(t, "ObjectID", b.ObjectID, "91")
	eq(t, "Client", b.Client, "python3-ampache")
	eq(t, "Position", b.Position, 10)
	eq(t, "Updated", b.Updated.Time, time.Unix(1771990167, 0).UTC())
}

func TestFixtureLocalplayStatus(t *testing.T) {
	t.Parallel()
	st := decodeFixture(t, "api6", "localplay--status").(LocalplayStatus)
	eq(t, "State", st.State, "stop")
	eq(t, "Volume", st.Volume, 100) // "100"
	eq(t, "Repeat", st.Repeat, false)
	eq(t, "Random", st.Random, false)
	eq(t, "Track", st.Track, 2)
	eq(t, "TrackTitle", st.TrackTitle, "Unknown")

	st5 := decodeFixture(t, "api5", "localplay--status").(LocalplayStatus)
	eq(t, "api5 Volume", st5.Volume, 27)
	eq(t, "api5 Repeat", st5.Repeat, false) // "0"
	eq(t, "api5 Random", st5.Random, true)  // "1"
	eq(t, "api5 TrackTitle", st5.TrackTitle, "Oxford Comma")
	eq(t, "api5 TrackArtist", st5.TrackArtist, "Vampire Weekend")

	eq(t, "localplay stop", decodeFixture(t, "api6", "localplay").(Bool), true)
}

func TestFixtureDemocraticPlaylist(t *testing.T) {
	t.Parallel()
	p := decodeFixture(t, "api6", "democratic--playlist").(*Page[DemocraticSong])
	eq(t, "len", len(p.Items), 9)
	s := p.Items[0]
	eq(t, "ID", s.ID, "110")
	eq(t, "Title", s.Title, "I wanna walk through the fire")
	eq(t, "Artist", s.Artist.Name, "Manic Notion")
	eq(t, "Album", s.Album.Name, "Buried in Nausea")
	eq(t, "Format", s.Format, "m4a")
	eq(t, "Time", s.Time, 197)
	eq(t, "PlayCount", s.PlayCount, 1)
	eq(t, "Vote", s.Vote, 0)
	ptrEq(t, "Rating", s.Rating, 5)

	play := decodeFixture(t, "api6", "democratic--play").(*struct {
		URL string `json:"url"`
	})
	if play.URL == "" {
		t.Error("democratic play: no URL")
	}
}

func TestFixtureSearchGroupAll(t *testing.T) {
	t.Parallel()
	r := decodeFixture(t, "api6", "search_group--all").(*struct {
		Search SearchResults `json:"search"`
	}).Search
	eq(t, "AlbumArtists", len(r.AlbumArtists), 1)
	eq(t, "AlbumArtists[0]", r.AlbumArtists[0].Name, "Nofi/found.")
	eq(t, "Albums", len(r.Albums), 4)
	eq(t, "Albums[0].ID", r.Albums[0].ID, "12")
	eq(t, "Albums[0].Type", r.Albums[0].Type, "compilation")
	eq(t, "Artists", len(r.Artists), 3)
	eq(t, "Artists[0]", r.Artists[0].Name, "Comedown Kid")
	eq(t, "Genres", len(r.Genres), 2)
	eq(t, "Genres[0]", r.Genres[0].Name, "Dance")
	eq(t, "Genres[0].Songs", r.Genres[0].Songs, 11)
	eq(t, "Labels", len(r.Labels), 1)
	eq(t, "Labels[0]", r.Labels[0].Name, "DNA Production")
	eq(t, "Playlists", len(r.Playlists), 4)
	eq(t, "Playlists[0]", r.Playlists[0].Name, "Nofi")
	eq(t, "Podcasts", len(r.Podcasts), 1)
	eq(t, "PodcastEpisodes", len(r.PodcastEpisodes), 4)
	eq(t, "Users", len(r.Users), 4)
	eq(t, "SongArtists", len(r.SongArtists), 3)
	if len(r.Songs) == 0 || r.Songs[0].ID == "" {
		t.Errorf("songs: %+v", r.Songs)
	}
}

func TestFixtureHandshake(t *testing.T) {
	t.Parallel()
	h := decodeFixture(t, "api6", "handshake").(*handshakeWire)
	eq(t, "Auth", h.Auth, "ca132eca2e20613fca4c6bcce16a273c")
	eq(t, "API", h.API, "6.9.1")
	eq(t, "APIMajor", APIMajor(string(h.API)), 6)
	eq(t, "SessionExpire", h.SessionExpire.Time, date("2022-08-17T06:21:00Z"))
	eq(t, "Songs", h.Songs, 75)
	eq(t, "Albums", h.Albums, 9)
	eq(t, "Artists", h.Artists, 19)
	eq(t, "Podcasts", h.Podcasts, 2)
	eq(t, "Username", h.Username, "user")

	h5 := decodeFixture(t, "api5", "handshake").(*handshakeWire)
	eq(t, "api5 API", h5.API, "5.5.6")
	eq(t, "api5 APIMajor", APIMajor(string(h5.API)), 5)
}

func TestFixturePing(t *testing.T) {
	t.Parallel()
	p := decodeFixture(t, "api6", "ping").(*PingReply)
	eq(t, "Server", p.Server, "7.9.1")
	eq(t, "Version", p.Version, "6.9.1")
	eq(t, "Compatible", p.Compatible, "350001")
	eq(t, "API", p.API, "6.9.1")
	eq(t, "SessionExpire", p.SessionExpire.Time, date("2022-08-17T06:21:00Z"))
	eq(t, "Songs", p.Songs, 75)

	n := decodeFixture(t, "api6", "ping--no_auth").(*PingReply)
	eq(t, "no auth Server", n.Server, "7.9.1")
	eq(t, "no auth Version", n.Version, "6.9.1")
	if !n.SessionExpire.IsZero() || n.API != "" {
		t.Errorf("no auth ping has session data: %+v", n)
	}
	p5 := decodeFixture(t, "api5", "ping").(*PingReply)
	eq(t, "api5 Version", APIMajor(string(p5.Version)), 5)
}

func TestFixtureShare(t *testing.T) {
	t.Parallel()
	s := decodeFixture(t, "api6", "share").(*Share)
	eq(t, "ID", s.ID, "1")
	eq(t, "Name", s.Name, "Creeping Lawler 2")
	eq(t, "Owner", s.Owner, "user")
	eq(t, "AllowStream", s.AllowStream, true)
	eq(t, "AllowDownload", s.AllowDownload, false)
	eq(t, "Created", s.Created.Time, time.Unix(1670202706, 0).UTC())
	eq(t, "ObjectType", s.ObjectType, "album")
	eq(t, "ObjectID", s.ObjectID, "9")
	eq(t, "Counter", s.Counter, 1)
	eq(t, "Secret", s.Secret, "GJ7EzBPT")
	eq(t, "PublicURL", s.PublicURL, "https://music.com.au/share.php?id=1&secret=GJ7EzBPT")

	s5 := decodeFixture(t, "api5", "share").(*Share)
	eq(t, "api5 AllowStream", s5.AllowStream, true) // 1
	eq(t, "api5 AllowDownload", s5.AllowDownload, false)
}

func TestFixtureLiveStream(t *testing.T) {
	t.Parallel()
	l := decodeFixture(t, "api6", "live_stream").(*LiveStream)
	eq(t, "ID", l.ID, "1")
	eq(t, "Name", l.Name, "HBR1.com - Dream Factory")
	eq(t, "URL", l.URL, "http://ubuntu.hbr1.com:19800/ambient.aac")
	eq(t, "Codec", l.Codec, "mp4")
	eq(t, "Catalog", l.Catalog, "1")
	eq(t, "SiteURL", l.SiteURL, "http://www.hbr1.com/")
}

func TestFixtureError4701(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		api, action, typ, message string
	}{
		{"api6", "handshake", "account", "Received Invalid Handshake - Incorrect username or password"},
		{"api5", "playlist_create", "account", "Session Expired"},
	} {
		_, err := parsePayload("x", readFixture(t, tc.api, "error-4701"))
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: %v is not an *Error", tc.api, err)
		}
		eq(t, tc.api+" Code", e.Code, CodeSession)
		eq(t, tc.api+" Action", e.Action, tc.action)
		eq(t, tc.api+" Type", e.Type, tc.typ)
		eq(t, tc.api+" Message", e.Message, tc.message)
		eq(t, tc.api+" LegacyCode", e.LegacyCode, 0)
		if !errors.Is(err, ErrSessionExpired) || errors.Is(err, ErrNotFound) {
			t.Errorf("%s: errors.Is mismatch for %v", tc.api, err)
		}
	}
}

func TestFixtureIndexAndList(t *testing.T) {
	t.Parallel()
	ids := decodeFixture(t, "api6", "index--song").(*Page[ID])
	if len(ids.Items) != 4 || ids.Items[0] != "115" {
		t.Errorf("index song: %+v", ids.Items)
	}
	tree := decodeFixture(t, "api6", "index--album_with_include").(*Page[IndexParent])
	eq(t, "tree len", len(tree.Items), 4)
	eq(t, "tree[0].ID", tree.Items[0].ID, "12") // server order kept
	eq(t, "tree[0].Children[0]", tree.Items[0].Children[0], ObjectRef{ID: "107", Type: "song"})
	pl := decodeFixture(t, "api6", "index--playlist_with_include").(*Page[IndexParent])
	eq(t, "playlist tree[0]", pl.Items[0].ID, "smart_21")
	cat := decodeFixture(t, "api6", "index--catalog_with_include").(*Page[IndexParent])
	if len(cat.Items) == 0 || len(cat.Items[0].Children) != 0 {
		t.Errorf("catalog tree: %+v", cat.Items)
	}
	l := decodeFixture(t, "api6", "list--song").(*Page[ListEntry])
	eq(t, "list Total", l.Total, 75)
	eq(t, "list[0]", l.Items[0], ListEntry{ID: "115", Name: "Are we going Crazy", Basename: "Are we going Crazy"})
	gen := decodeFixture(t, "api6", "playlist_generate--id").(*Page[ID])
	eq(t, "generate ids", len(gen.Items), 4)
	eq(t, "generate ids[0]", gen.Items[0], "97")
}
