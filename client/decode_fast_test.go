package client

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// The fast list decoder (decode_fast.go) against the encoding/json path it
// stands in for: on every captured reply, on ampachetest's pages in each
// API version, on hand-made replies of every lenient form, and under the
// fuzzer, whatever the fast decoder accepts it must decode exactly as
// decodeListJSON does.

// fastCase is one list type and the keys its methods read.
type fastCase struct {
	name string
	keys []string
	// run decodes body with the fast decoder and with encoding/json, and
	// reports whether the fast one accepted it and, if so, any
	// difference.
	run func(body []byte, keys []string) (accepted bool, diff string)
}

func fastCaseOf[T any](name string, keys ...string) fastCase {
	return fastCase{name: name, keys: keys, run: compareFast[T]}
}

var fastCases = []fastCase{
	fastCaseOf[Song]("songs", "song"),
	fastCaseOf[Album]("albums", "album"),
	fastCaseOf[Artist]("artists", "artist"),
}

// compareFast decodes body both ways. The fast decoder declining is never
// a difference; accepting a reply that encoding/json refuses, or decoding
// it to other values, is.
func compareFast[T any](body []byte, keys []string) (bool, string) {
	p, err := parsePayload("test", bytes.Clone(body))
	if err != nil {
		return false, "" // neither decoder sees it
	}
	fast, ok := fastList[T](p, keys)
	if !ok {
		return false, ""
	}
	p, _ = parsePayload("test", bytes.Clone(body))
	ref, err := decodeListJSON[T](p, keys...)
	if err != nil {
		return true, fmt.Sprintf("fast decoder accepted what encoding/json refuses: %v", err)
	}
	if !reflect.DeepEqual(fast, ref) {
		return true, describeDiff(fast, ref)
	}
	return true, ""
}

// describeDiff names the first item and field where two pages differ.
func describeDiff[T any](fast, ref *Page[T]) string {
	if fast.Total != ref.Total {
		return fmt.Sprintf("total %d, want %d", fast.Total, ref.Total)
	}
	if (fast.Items == nil) != (ref.Items == nil) || len(fast.Items) != len(ref.Items) {
		return fmt.Sprintf("items %d (nil %v), want %d (nil %v)", len(fast.Items), fast.Items == nil, len(ref.Items), ref.Items == nil)
	}
	for i := range fast.Items {
		a, b := reflect.ValueOf(fast.Items[i]), reflect.ValueOf(ref.Items[i])
		for f := range a.NumField() {
			if !reflect.DeepEqual(a.Field(f).Interface(), b.Field(f).Interface()) {
				return fmt.Sprintf("item %d field %s: %#v, want %#v", i, a.Type().Field(f).Name, a.Field(f).Interface(), b.Field(f).Interface())
			}
		}
	}
	return "pages differ"
}

// TestFastPlans: the list types have plans, so their lists do take the
// fast decoder.
func TestFastPlans(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]*fastPlan{"song": plans.song, "album": plans.album, "artist": plans.artist} {
		if p == nil {
			t.Errorf("%s: no plan: its lists would always go to encoding/json", name)
			continue
		}
		for _, f := range p.fields {
			if f.kind == kindOther && f.typ.Kind() != reflect.Slice {
				t.Errorf("%s.%s (%v) goes through encoding/json field by field", name, f.name, f.typ)
			}
		}
	}
	// Fields are found by their JSON names, embedded ones too.
	if i, ok := plans.song.byName["replaygain_album_peak"]; !ok || plans.song.fields[i].kind != kindFloatPtr {
		t.Error("song plan: replaygain_album_peak")
	}
	if _, ok := plans.album.byName["disk"]; !ok {
		t.Error("album plan: API4 disk")
	}
	if _, ok := plans.artist.byName["tag"]; !ok {
		t.Error("artist plan: API4 tag")
	}
}

// TestFastListMatchesFixtures decodes every captured reply as a list of
// songs, albums and artists both ways, and checks that the list replies
// of those types do take the fast decoder.
func TestFastListMatchesFixtures(t *testing.T) {
	t.Parallel()
	dir := fixturesDirIfPresent()
	if dir == "" {
		t.Skip("fixtures absent: ../shared/fixtures/ampache-api (relative to the repository root) holds captured server replies")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "api*", "json", "*.json"))
	if len(files) == 0 {
		t.Fatal("no fixture files")
	}
	accepted := map[string]bool{}
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, file)
		for _, c := range fastCases {
			ok, diff := c.run(body, c.keys)
			if diff != "" {
				t.Errorf("%s as %s: %s", rel, c.name, diff)
			}
			if ok {
				accepted[c.name+" "+filepath.ToSlash(rel)] = true
			}
		}
	}
	for _, want := range []string{
		"songs api6/json/songs.json", "songs api5/json/songs.json", "songs api6/json/album_songs.json",
		"songs api6/json/playlist_songs.json", "albums api6/json/albums.json", "albums api5/json/albums.json",
		"artists api6/json/artists.json", "artists api5/json/artists.json",
	} {
		if _, err := os.Stat(filepath.Join(dir, strings.Fields(want)[1])); err == nil && !accepted[want] {
			t.Errorf("%s: declined by the fast decoder", want)
		}
	}
	t.Logf("the fast decoder took %d of %d replies×types", len(accepted), len(files)*len(fastCases))
}

// recordingTransport keeps the bodies of the replies to some actions.
type recordingTransport struct {
	next    http.RoundTripper
	actions map[string]bool
	mu      sync.Mutex
	bodies  map[string][][]byte
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	action := req.URL.Query().Get("action")
	if err != nil || !r.actions[action] {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.bodies[action] = append(r.bodies[action], body)
	r.mu.Unlock()
	return resp, nil
}

// TestFastListMatchesAmpachetest: ampachetest's pages of songs, albums and
// artists in API6, API5 and API4 (bare arrays, "tag" and "disk") take
// the fast decoder and decode as encoding/json decodes them.
func TestFastListMatchesAmpachetest(t *testing.T) {
	t.Parallel()
	for _, api := range []int{6, 5, 4} {
		t.Run(fmt.Sprintf("api%d", api), func(t *testing.T) {
			t.Parallel()
			srv := ampachetest.NewServer(ampachetest.Options{APIVersion: api,
				Library: ampachetest.Library{Artists: 12, AlbumsPerArtist: 3, SongsPerAlbum: 7, Seed: int64(api)}})
			t.Cleanup(srv.Close)
			rec := &recordingTransport{next: srv.Client().Transport, bodies: map[string][][]byte{},
				actions: map[string]bool{"songs": true, "albums": true, "artists": true, "album_songs": true, "artist_albums": true}}
			c, err := New(srv.URL, WithHTTPClient(&http.Client{Transport: rec}),
				WithCredentials(Credentials{User: srv.Admin.Username, Password: srv.Admin.Password}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			lo := ListOptions{Limit: 40}
			var songs []Song
			for s, err := range c.Library.AllSongs(ctx, &SongListOptions{ListOptions: lo}) {
				if err != nil {
					t.Fatal(err)
				}
				songs = append(songs, s)
			}
			for _, err := range c.Library.AllAlbums(ctx, &AlbumListOptions{ListOptions: lo}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, err := range c.Library.AllArtists(ctx, &ArtistListOptions{ListOptions: lo}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(songs) != len(srv.Songs()) {
				t.Fatalf("%d songs of %d", len(songs), len(srv.Songs()))
			}
			if _, err := c.Library.AlbumSongs(ctx, songs[0].Album.ID, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Library.ArtistAlbums(ctx, songs[0].Artist.ID, nil); err != nil {
				t.Fatal(err)
			}
			cases := map[string]fastCase{"songs": fastCases[0], "album_songs": fastCases[0],
				"albums": fastCases[1], "artist_albums": fastCases[1], "artists": fastCases[2]}
			for action, bodies := range rec.bodies {
				c := cases[action]
				for i, body := range bodies {
					ok, diff := c.run(body, c.keys)
					if diff != "" {
						t.Errorf("%s page %d: %s", action, i, diff)
					}
					if !ok {
						t.Errorf("%s page %d: declined by the fast decoder: %.300s", action, i, body)
					}
				}
			}
			if len(rec.bodies["songs"]) < 2 || len(rec.bodies["albums"]) < 1 || len(rec.bodies["artists"]) < 1 {
				t.Fatalf("recorded %d/%d/%d pages", len(rec.bodies["songs"]), len(rec.bodies["albums"]), len(rec.bodies["artists"]))
			}
		})
	}
}

// fastListCases are replies of every lenient form the models accept, and
// of forms the fast decoder must leave to encoding/json. accept says
// whether the fast decoder takes them (the declined ones as songs).
var fastListCases = []struct {
	name   string
	body   string
	accept bool
}{
	{"ids as numbers, numbers as strings", `{"total_count":"2","song":[{"id":115,"title":"a","track":"7","time":"433.9","disk":-1,
		"year":"","size":12345678901234,"bitrate":"1e3","rate":1.5e4,"channels":true,"playcount":null,"catalog":3}]}`, true},
	{"booleans of every form", `{"song":[{"id":"1","has_art":1,"flag":"true"},{"id":"2","has_art":"0","flag":"yes"},
		{"id":"3","has_art":0.0,"flag":null},{"id":"4","has_art":false,"flag":"on"},{"id":"5","has_art":"","flag":" T "}]}`, true},
	{"ratings: null, empty, number, string", `{"song":[{"id":"1","rating":null,"averagerating":null},
		{"id":"2","rating":"","averagerating":""},{"id":"3","rating":4,"averagerating":3.5},{"id":"4","rating":"5","averagerating":"-12.160000"},
		{"id":"5","replaygain_track_gain":-7.5,"r128_album_gain":"256","replaygain_album_peak":true}]}`, true},
	{"references: [], null, object, list", `{"song":[{"id":"1","artist":[],"album":null,"albumartist":{"id":"2","name":"x","prefix":null},
		"artists":[{"id":"2","name":"x"},null,[]],"genre":{}},{"id":"2","artists":{},"genre":{"id":"3","name":"Rock"}},
		{"id":"3","artists":{"id":4,"name":"y"},"genre":null},{"id":"4","artists":5,"genre":"Rock"},{"id":"5","artists":[],"genre":[]}]}`, true},
	{"API4 tag and genre names", `{"song":[{"id":"1","genre":[{"name":"Rock"}],"tag":[{"id":"3","name":"Rock"}]},
		{"id":"2","tag":[{"id":"4","name":"Jazz"}]},{"id":"3","genre":[{"id":"5","name":"Pop"}],"tag":[{"id":"6","name":"Folk"}]},{"id":"4","tag":[]}]}`, true},
	{"titles, formats and names filled in", `{"song":[{"id":"1","name":"only name","filename":"/m/a.FLAC"},{"id":"2","mime":"audio/x-flac"},
		{"id":"3","filename":"a.mp3","format":"ogg"},{"id":"4","filename":"C:\\m\\a","mime":" Audio/MPEG "}]}`, true},
	{"escapes and characters", `{"song":[{"id":" 7 ","title":"caf\u00e9 \ud83c\udfb5 \/ \"q\" \\ \b\f\n\r\t","name":"\ud800 lone \udc00 x \ud800\u0041",
		"url":"https:\/\/h\/p?a=1&b=2","artist":{"id":"\u0032","name":"Bj\u00f6rk","basename":"Björk"},"comment":"é ü 日本 🎵"}]}`, true},
	{"unknown keys of every value", `{"md5":"x","other":{"a":[1,2,{"b":null}]},"song":[{"id":"1","preciserating":null,"x_y":[true,false,{}],
		"z":{"q":"\u00e9"},"n":-0.5e-3}],"after":[[]]}`, true},
	{"empty list", `{"total_count":0,"song":[]}`, true},
	{"null total", `{"total_count":null,"song":[{"id":"1"}]}`, true},
	{"white space everywhere", " {\n\t\"song\" :\r [ { \"id\" : \"1\" , \"title\" : \"a\" } , {\"id\":2} ] , \"total_count\" : 2 } \n", true},
	{"API4 bare array", `[{"id":"1","title":"a","tag":[{"id":"3","name":"Rock"}],"disk":2},{"id":"2","title":"b"}]`, true},
	{"API4 empty bare array", `[]`, true},
	{"the list key twice", `{"song":[{"id":"1"}],"song":[{"id":"2"}],"total_count":1,"total_count":"3"}`, true},
	{"albums and artists with counts and lists", `{"album":[{"id":"1","name":"a","tracks":[],"songcount":"3","diskcount":0,"disk":"2",
		"artist":{"id":"2","name":"b"},"artists":[],"songartists":[{"id":"2","name":"b"}],"type":null,"mbid_group":"x"}],
		"artist":[{"id":"2","name":"b","albums":[],"songs":null,"albumcount":1,"yearformed":"1990","summary":"s","tag":[{"id":"1","name":"g"}]}]}`, true},
	{"artists with their albums", `{"artist":[{"id":"2","name":"b","albums":[{"id":"1","name":"a","artist":{"id":"2","name":"b"}}],
		"songs":[{"id":"9","title":"t"}]}],"album":[{"id":"1","tracks":[{"id":"9","title":"t","genre":[]}]}]}`, true},

	// Declined: encoding/json decides.
	{"a key twice in an object", `{"song":[{"id":"1","title":"a","title":"b"}]}`, false},
	{"a key twice in a reference", `{"song":[{"id":"1","artist":{"name":"a","name":"b"}}]}`, false},
	{"a key in capitals", `{"song":[{"id":"1","Title":"a"}]}`, false},
	{"a key with an escape", `{"song":[{"id":"1","t\u0069tle":"a"}]}`, false},
	{"a non-ASCII key", `{"song":[{"id":"1","tıtle":"a"}]}`, false},
	{"a list key with an escape", `{"\u0073ong":[{"id":"1"}]}`, false},
	{"a number where text belongs", `{"song":[{"id":"1","title":5}]}`, false},
	{"an object where a number belongs", `{"song":[{"id":"1","time":{}}]}`, false},
	{"a boolean id", `{"song":[{"id":true}]}`, false},
	{"a list of references where one belongs", `{"song":[{"id":"1","artist":[{"id":"2","name":"a"}]}]}`, false},
	{"a null item", `{"song":[null,{"id":"1"}]}`, false},
	{"a single object", `{"song":{"id":"1"}}`, false},
	{"no list", `{"total_count":3}`, false},
	{"one bare object", `{"id":"1","title":"a"}`, false},
	{"API4 wrapped", `[{"song":[{"id":"1"}]}]`, false},
	{"trailing text", `{"song":[{"id":"1"}]} x`, false},
	{"a trailing comma", `{"song":[{"id":"1"},]}`, false},
	{"a bad escape", `{"song":[{"id":"1","title":"a\'b"}]}`, false},
	{"a control character", "{\"song\":[{\"id\":\"1\",\"title\":\"a\tb\"}]}", false},
	{"a leading zero", `{"song":[{"id":"1","time":01}]}`, false},
	{"an unterminated string", `{"song":[{"id":"1","title":"a`, false},
	{"deep nesting", `{"song":[{"id":"1","x":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}]}`, false},
}

func TestFastListCases(t *testing.T) {
	t.Parallel()
	for _, tc := range fastListCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			anyAccepted := false
			for _, c := range fastCases {
				ok, diff := c.run([]byte(tc.body), c.keys)
				if diff != "" {
					t.Errorf("%s: %s", c.name, diff)
				}
				anyAccepted = anyAccepted || ok
				if ok && !tc.accept && c.name == "songs" {
					t.Error("the fast decoder accepted it as songs")
				}
			}
			if tc.accept && !anyAccepted {
				t.Error("no type took the fast decoder")
			}
		})
	}
}

// TestFastListInvalidUTF8: text that is not UTF-8 becomes U+FFFD as
// encoding/json makes it, with and without escapes around it.
func TestFastListInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, title := range []string{"a\xffb", "\xc3", "\xed\xa0\x80", "\\u00e9\xff", "ok \xe2\x82\xac", "\xf0\x9f\x8e"} {
		body := []byte(`{"song":[{"id":"1","title":"` + title + `","artist":{"id":"2","name":"` + title + `"}}]}`)
		ok, diff := fastCases[0].run(body, fastCases[0].keys)
		if !ok || diff != "" {
			t.Errorf("%q: accepted %v, %s", title, ok, diff)
		}
	}
}

// TestFastListBigPage: a page of MaxPageSize songs made from the captured
// song, as a sync reads them.
func TestFastListBigPage(t *testing.T) {
	t.Parallel()
	dir := fixturesDirIfPresent()
	if dir == "" {
		t.Skip("fixtures absent: ../shared/fixtures/ampache-api (relative to the repository root) holds captured server replies")
	}
	song, err := os.ReadFile(filepath.Join(dir, "api6", "json", "song.json"))
	if err != nil {
		t.Fatal(err)
	}
	body := songPage(song, MaxPageSize)
	ok, diff := fastCases[0].run(body, fastCases[0].keys)
	if !ok || diff != "" {
		t.Fatalf("accepted %v, %s", ok, diff)
	}
}

// songPage is a reply of n copies of one song.
func songPage(song []byte, n int) []byte {
	body := []byte(`{"total_count":100000,"md5":"x","song":[`)
	for i := range n {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, song...)
	}
	return append(body, "]}"...)
}

// FuzzFastListMatches: whatever the body, what the fast decoder accepts
// as a list of songs, albums or artists decodes exactly as encoding/json
// decodes it, and decodeList never panics.
func FuzzFastListMatches(f *testing.F) {
	addFixtureSeeds(f, "songs", "albums", "artists", "album_songs", "artist_songs", "artist_albums", "playlist_songs",
		"genre_songs", "advanced_search", "stats", "song", "album", "artist")
	for _, tc := range fastListCases {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, c := range fastCases {
			if _, diff := c.run(body, c.keys); diff != "" {
				t.Fatalf("%s: %s", c.name, diff)
			}
		}
	})
}
