package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLenientTypes(t *testing.T) {
	t.Parallel()
	type all struct {
		ID    ID             `json:"id"`
		Int   Int            `json:"int"`
		Float Float          `json:"float"`
		Bool  Bool           `json:"bool"`
		Time  Time           `json:"time"`
		List  List[ID]       `json:"list"`
		Count Count          `json:"count"`
		Opt   *Float         `json:"opt"`
		Refs  List[GenreRef] `json:"refs"`
	}
	tests := []struct {
		in   string
		want all
	}{
		{`{"id":"91","int":7,"float":1.5,"bool":true,"time":"2025-06-30T09:55:00+00:00","list":["1","2"],"count":3}`,
			all{ID: "91", Int: 7, Float: 1.5, Bool: true, Time: Time{date("2025-06-30T09:55:00Z")}, List: List[ID]{"1", "2"}, Count: 3}},
		{`{"id":91,"int":"100","float":"-12.160000","bool":"1","time":1670202706,"list":"5","count":[1,2]}`,
			all{ID: "91", Int: 100, Float: -12.16, Bool: true, Time: Time{time.Unix(1670202706, 0).UTC()}, Count: 2}},
		{`{"id":null,"int":null,"float":null,"bool":null,"time":null,"list":null,"count":null,"opt":null}`, all{}},
		{`{"id":"","int":"","float":"","bool":"","time":"","list":{},"count":""}`, all{}},
		{`{"bool":"true"}`, all{Bool: true}},
		{`{"bool":"false"}`, all{}},
		{`{"bool":0}`, all{}},
		{`{"bool":1}`, all{Bool: true}},
		{`{"bool":"0"}`, all{}},
		{`{"int":3.9}`, all{Int: 3}},
		{`{"int":"N/A"}`, all{}},
		{`{"int":true}`, all{Int: 1}},
		{`{"int":1e300}`, all{Int: Int(maxInt())}},
		{`{"time":"1670202706"}`, all{Time: Time{time.Unix(1670202706, 0).UTC()}}},
		{`{"time":0}`, all{}},
		{`{"time":"not a date"}`, all{}},
		{`{"time":"2020-09-16"}`, all{Time: Time{date("2020-09-16T00:00:00Z")}}},
		{`{"time":"2020-09-16 10:11:12"}`, all{Time: Time{date("2020-09-16T10:11:12Z")}}},
		{`{"list":{"id":"x"}}`, all{}}, // a single object of the wrong shape for ID is an error: see below
		{`{"refs":{"id":"1","name":"Rock"}}`, all{Refs: List[GenreRef]{{ID: "1", Name: "Rock"}}}},
		{`{"refs":[]}`, all{Refs: List[GenreRef]{}}},
		{`{"opt":"0.5"}`, all{Opt: ptr(Float(0.5))}},
		{`{"count":{"a":1,"b":2}}`, all{Count: 2}},
	}
	for _, tt := range tests {
		var got all
		err := json.Unmarshal([]byte(tt.in), &got)
		if tt.in == `{"list":{"id":"x"}}` {
			if err == nil {
				t.Errorf("%s: an object where an id belongs was accepted", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func maxInt() int { return int(^uint(0) >> 1) }

func ptr[T any](v T) *T { return &v }

func TestWrongShapesAreErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{"time":{"a":1}}`, `{"time":[1]}`, `{"id":{}}`, `{"id":[1]}`, `{"flag":{}}`, `{"rating":[]}`} {
		var s Song
		err := json.Unmarshal([]byte(in), &s)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			t.Errorf("%s: got %v, want a type error", in, err)
		}
	}
}

func TestAPI4Shapes(t *testing.T) {
	t.Parallel()
	// API4: bare arrays, "tag" genres, counts in place of lists, strings
	// for numbers, the single object as an array of one.
	songs := `[{"id":"1","title":"T","artist":{"id":"2","name":"A"},"album":{"id":"3","name":"B"},
		"tag":[{"id":"5","name":"Rock"}],"genre":[{"name":"Rock"}],"flag":0,"preciserating":null,"rating":null,
		"averagerating":"","time":"61","replaygain_track_gain":"-3.5"}]`
	p, err := parsePayload("songs", []byte(songs))
	if err != nil {
		t.Fatal(err)
	}
	page, err := decodeList[Song](p, "song")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Total", page.Total, -1)
	s := page.Items[0]
	eq(t, "Genres", fmt.Sprint(s.Genres), "[{5 Rock}]")
	eq(t, "Time", s.Time, 61)
	ptrEq(t, "gain", s.ReplayGainTrackGain, -3.5)
	isNil(t, "Rating", s.Rating)

	artists := `[{"id":"1","name":"A","albums":2,"songs":20,"albumcount":2,"songcount":20,"tag":[{"id":"9","name":"Jazz"}]}]`
	p, _ = parsePayload("artists", []byte(artists))
	ap, err := decodeList[Artist](p, "artist")
	if err != nil {
		t.Fatal(err)
	}
	a := ap.Items[0]
	eq(t, "Albums (a count in API4)", len(a.Albums), 0)
	eq(t, "AlbumCount", a.AlbumCount, 2)
	eq(t, "artist genre from tag", a.Genres[0].Name, "Jazz")

	album := `[{"id":"7","name":"X","tracks":12,"disk":2,"tag":[]}]`
	p, _ = parsePayload("album", []byte(album))
	al, err := decodeOne[Album](p, "album")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "DiskCount from disk", al.DiskCount, 2)

	pl := `[{"id":"4","name":"P","owner":"u","items":[{"id":"1","playlisttrack":1},{"id":"2","playlisttrack":2}],"type":"public","flag":1}]`
	p, _ = parsePayload("playlists", []byte(pl))
	pp, err := decodeList[Playlist](p, "playlist")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Items from a list", pp.Items[0].Items, 2)
	eq(t, "Flag", pp.Items[0].Flag, true)

	users := `{"user":{"id":"3","username":"bob","access":"100","disabled":"0","create_date":1600000000}}`
	p, _ = parsePayload("user", []byte(users))
	u, err := decodeOne[User](p, "user")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Access", u.Access, 100)
	eq(t, "Username", u.Username, "bob")

	tags := `[{"tag":[{"id":"1","name":"Rock","albums":1,"artists":2,"songs":3,"stream":4}]}]`
	p, _ = parsePayload("genres", []byte(tags))
	g, err := decodeList[Genre](p, "genre", "tag")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "genre from tags", g.Items[0].Name, "Rock")
	eq(t, "LiveStreams from stream", g.Items[0].LiveStreams, 4)
}

func TestDecodeOneShapes(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"id":"1","title":"T"}`,              // API6
		`{"song":[{"id":"1","title":"T"}]}`,   // API5
		`{"song":{"id":"1","title":"T"}}`,     // wrapped object
		`[{"id":"1","title":"T"}]`,            // API4
		`[{"song":[{"id":"1","title":"T"}]}]`, // API4 wrapper
	} {
		p, err := parsePayload("song", []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		s, err := decodeOne[Song](p, "song")
		if err != nil || s.ID != "1" || s.Title != "T" {
			t.Errorf("%s: %+v, %v", body, s, err)
		}
	}
	for _, body := range []string{`[]`, `{"song":[]}`, `"x"`, `5`} {
		p, err := parsePayload("song", []byte(body))
		if err != nil {
			continue // not JSON of an object: rejected earlier
		}
		if _, err := decodeOne[Song](p, "song"); err == nil {
			t.Errorf("%s: accepted as a song", body)
		}
	}
}

func TestDecodeListShapes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body  string
		n     int
		total int
	}{
		{`{"total_count":9,"md5":"x","song":[{"id":"1"},{"id":"2"}]}`, 2, 9},
		{`{"song":[{"id":"1"}]}`, 1, -1},
		{`{"song":{"id":"1"}}`, 1, -1},
		{`{"total_count":0,"md5":"x"}`, 0, 0},
		{`{}`, 0, -1},
		{`[]`, 0, -1},
		{`[{"id":"1"},{"id":"2"},{"id":"3"}]`, 3, -1},
		{`{"id":"1","title":"one"}`, 1, -1},
		{"\ufeff" + `{"song":[]}`, 0, -1},
	} {
		p, err := parsePayload("songs", []byte(tt.body))
		if err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		page, err := decodeList[Song](p, "song")
		if err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		if len(page.Items) != tt.n || page.Total != tt.total {
			t.Errorf("%s: %d items, total %d", tt.body, len(page.Items), page.Total)
		}
	}
	p, _ := parsePayload("songs", []byte(`{"albums":[]}`))
	var de *DecodeError
	if _, err := decodeList[Song](p, "song"); !errors.As(err, &de) || de.Field != "song" {
		t.Errorf("a reply without the list: %v", err)
	}
}

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	after := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("x", 3600))
	tests := []struct {
		opts any
		want string
	}{
		{nil, ""},
		{(*SongListOptions)(nil), ""},
		{&SongListOptions{}, ""},
		{&SongListOptions{Filter: "a b", Exact: true, ListOptions: ListOptions{Offset: 10, Limit: 5}},
			"exact=1&filter=a+b&limit=5&offset=10"},
		{&ArtistListOptions{Include: []string{IncludeAlbums, IncludeSongs}, AlbumArtist: true},
			"album_artist=1&include=albums%2Csongs"},
		{&SongListOptions{DateFilter: DateFilter{AddedAfter: after}}, "add=2024-05-06T06%3A08%3A09Z"},
		{&SongListOptions{DateFilter: DateFilter{UpdatedAfter: after, UpdatedBefore: after.Add(time.Hour)}},
			"update=2024-05-06T06%3A08%3A09Z%2F2024-05-06T07%3A08%3A09Z"},
		{&SongListOptions{DateFilter: DateFilter{AddedBefore: after}}, "add=1970-01-01T00%3A00%3A00Z%2F2024-05-06T06%3A08%3A09Z"},
		{&PlaylistEditOptions{Items: []ID{"3", "1"}, Tracks: []int{1, 2}}, "items=3%2C1&tracks=1%2C2"},
		{&ShareEditOptions{Stream: ptr(false), ExpireDays: ptr(0)}, "expires=0&stream=0"},
		{&BookmarkWriteOptions{Date: time.Unix(1700000000, 0), Include: true}, "date=1700000000&include=1"},
		{&StreamOptions{Format: "mp3", Bitrate: 128000, Offset: 30, Length: true, NoStats: true},
			"bitrate=128000&format=mp3&length=1&offset=30&stats=0"},
		{&ArtOptions{Width: 300}, "size=300x300"},
		{&AdvancedSearch{Rules: Rules{Match: MatchAny, Rules: []Rule{
			{Field: "title", Operator: TextContains, Input: "love"},
			{Field: "year", Operator: NumAtLeast, Input: "1990"},
		}}, Random: true},
			"operator=or&random=1&rule_1=title&rule_1_input=love&rule_1_operator=0&rule_2=year&rule_2_input=1990&rule_2_operator=0"},
		{&GroupSearch{Rules: Rules{Rules: []Rule{{Field: "anywhere", Input: "x", Subtype: "s"}}}, Type: GroupMusic},
			"operator=and&rule_1=anywhere&rule_1_input=x&rule_1_operator=0&rule_1_subtype=s&type=music"},
	}
	for _, tt := range tests {
		v, err := encodeQuery(tt.opts)
		if err != nil {
			t.Errorf("%#v: %v", tt.opts, err)
			continue
		}
		if got := v.Encode(); got != tt.want {
			t.Errorf("%T %+v:\n got %s\nwant %s", tt.opts, tt.opts, got, tt.want)
		}
	}
	if _, err := encodeQuery(&AdvancedSearch{}); err == nil {
		t.Error("a search without rules was accepted")
	}
	if _, err := encodeQuery(42); err == nil {
		t.Error("a non-struct was accepted")
	}
	if _, err := encodeQuery(&struct {
		M map[string]int `url:"m"`
	}{M: map[string]int{"a": 1}}); err == nil {
		t.Error("a map was accepted")
	}
	_ = url.Values{}
}

func TestParseServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		base  string
		creds Credentials
	}{
		{"https://music.example/ampache", "https://music.example/ampache", Credentials{}},
		{"https://music.example/ampache/", "https://music.example/ampache", Credentials{}},
		{"http://10.0.0.2:8080", "http://10.0.0.2:8080", Credentials{}},
		{"music.example/ampache", "https://music.example/ampache", Credentials{}},
		{"  Music.Example  ", "https://music.example", Credentials{}},
		{"https://h/ampache/server/json.server.php?action=ping&auth=x", "https://h/ampache", Credentials{}},
		{"https://h/ampache/server/xml.server.php", "https://h/ampache", Credentials{}},
		{"https://h/server/", "https://h", Credentials{}},
		{"ampache://myuser:mypwd@localhost/ampache", "http://localhost/ampache", Credentials{User: "myuser", Password: "mypwd"}},
		{"ampache://APIKEY@host:993/ampache#ssl=true", "https://host:993/ampache", Credentials{APIKey: "APIKEY"}},
		{"ampache://u:p%40ss@host/a#ssl=false", "http://host/a", Credentials{User: "u", Password: "p@ss"}},
		{"ampache://u:p@ss@host/a#ssl=1", "https://host/a", Credentials{User: "u", Password: "p@ss"}},
		{"https://bob:pw@h/a", "https://h/a", Credentials{User: "bob", Password: "pw"}},
		{"https://[::1]:8443/a", "https://[::1]:8443/a", Credentials{}},
	}
	for _, tt := range tests {
		base, creds, err := ParseServer(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		eq(t, tt.in+" base", base, tt.base)
		eq(t, tt.in+" creds", creds, tt.creds)
	}
	for _, bad := range []string{"", "   ", "ftp://h/x", "https://", "https://:80/x", "ampache://k@/a", "http://h:notaport/"} {
		if _, _, err := ParseServer(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNewTakesCredentialsFromConnectionString(t *testing.T) {
	t.Parallel()
	c, err := New("ampache://KEY123@host/a#ssl=true")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "BaseURL", c.BaseURL(), "https://host/a")
	eq(t, "creds", c.creds, Credentials{APIKey: "KEY123"})
	c, err = New("ampache://KEY123@host/a", WithCredentials(Credentials{User: "u", Password: "p"}))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "explicit creds win", c.creds, Credentials{User: "u", Password: "p"})
}

func TestCredentialsHideSecrets(t *testing.T) {
	t.Parallel()
	for _, c := range []Credentials{{User: "alice", Password: testPass}, {APIKey: testAPIKey}} {
		for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), c.LogValue().String()} {
			if strings.Contains(s, testPass) || strings.Contains(s, testAPIKey) {
				t.Errorf("%q shows a secret", s)
			}
		}
	}
	for _, bad := range []Credentials{{User: "u"}, {Password: "p"}, {APIKey: "k", User: "u"}} {
		if _, err := New("https://h/a", WithCredentials(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	for _, opt := range []Option{WithAPIVersion(3), WithAPIVersion(7), WithHTTPClient(nil), WithLogger(nil),
		WithClientName(""), WithMaxResponseSize(0)} {
		if _, err := New("https://h/a", opt); err == nil {
			t.Error("a bad option was accepted")
		}
	}
}

func TestEmptyArraysForObjects(t *testing.T) {
	t.Parallel()
	var s Song
	if err := json.Unmarshal([]byte(`{"id":"1","artist":[],"album":[{"id":"2","name":"B"}],"albumartist":null,"genre":{}}`), &s); err != nil {
		t.Fatal(err)
	}
	eq(t, "Artist", s.Artist, ArtistRef{})
	eq(t, "Album", s.Album, AlbumRef{ID: "2", Name: "B"})
	eq(t, "Genres", len(s.Genres), 0)
	var p Playlist
	if err := json.Unmarshal([]byte(`{"id":"1","user":[]}`), &p); err != nil {
		t.Fatal(err)
	}
	eq(t, "User", p.User, UserRef{})
	var e PodcastEpisode
	if err := json.Unmarshal([]byte(`{"id":"1","podcast":[]}`), &e); err != nil {
		t.Fatalf("podcast []: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"id":"1","artist":"Name"}`), &s); err == nil {
		t.Error("a string where an artist object belongs was accepted")
	}
}
