package client

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The fixture tests decode every captured JSON reply of a real Ampache
// server (../shared/fixtures/ampache-api, API6 and API5) with the decoder
// the client uses for that method, and compare the result with golden
// files under testdata/golden (go test -run Fixture -update rewrites them).

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixturesDir finds ../shared/fixtures/ampache-api beside the repository
// root, or skips the test.
func fixturesDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("fixtures: no go.mod above the test directory")
		}
		dir = parent
	}
	fx := filepath.Join(dir, "..", "shared", "fixtures", "ampache-api")
	if _, err := os.Stat(fx); err != nil {
		t.Skipf("fixtures: %s is absent (the captured Ampache replies live beside the repository, not in it)", fx)
	}
	return fx
}

// readFixture returns the payload of api/json/name.json, e.g. ("api6", "song").
func readFixture(t *testing.T, api, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir(t), api, "json", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type fixtureDecoder func(p *payload) (any, error)

func list[T any](keys ...string) fixtureDecoder {
	return func(p *payload) (any, error) { return decodeList[T](p, keys...) }
}

func one[T any](keys ...string) fixtureDecoder {
	return func(p *payload) (any, error) { return decodeOne[T](p, keys...) }
}

func ack(p *payload) (any, error) {
	msg, err := decodeSuccess(p)
	if err == nil && msg == "" {
		err = errors.New("empty success message")
	}
	return msg, err
}

// raw decodes objects the client does not model (videos, preferences,
// licenses, social timeline): each must at least be an object.
func raw(keys ...string) fixtureDecoder {
	return func(p *payload) (any, error) {
		if len(keys) == 0 {
			v, err := decodeOne[map[string]json.RawMessage](p, "")
			if err == nil && len(*v) == 0 {
				err = errors.New("empty object")
			}
			return unmodelled{}, err
		}
		_, err := decodeList[map[string]json.RawMessage](p, keys...)
		return unmodelled{}, err
	}
}

// unmodelled marks a reply the client has no model for; it has no golden.
type unmodelled struct{}

func byType(variant string) fixtureDecoder {
	switch {
	case strings.HasPrefix(variant, "song_artist"), strings.HasPrefix(variant, "album_artist"), strings.HasPrefix(variant, "artist"):
		return list[Artist]("artist")
	case strings.HasPrefix(variant, "song"):
		return list[Song]("song")
	case strings.HasPrefix(variant, "album"):
		return list[Album]("album")
	case strings.HasPrefix(variant, "playlist"):
		return list[Playlist]("playlist")
	case strings.HasPrefix(variant, "podcast_episode"):
		return list[PodcastEpisode]("podcast_episode")
	case strings.HasPrefix(variant, "podcast"):
		return list[Podcast]("podcast")
	case strings.HasPrefix(variant, "live_stream"):
		return list[LiveStream]("live_stream")
	case strings.HasPrefix(variant, "catalog"):
		return list[Catalog]("catalog")
	case strings.HasPrefix(variant, "share"):
		return list[Share]("share")
	case strings.HasPrefix(variant, "video"):
		return raw("video")
	}
	return nil
}

// decoderFor maps a fixture's method (and variant) to the client's decoder.
func decoderFor(method, variant string) fixtureDecoder {
	switch method {
	case "ping":
		return one[PingReply]("ping")
	case "handshake":
		return one[handshakeWire]("handshake")
	case "goodbye", "rate", "flag", "record_play", "scrobble", "playlist_add", "playlist_add_song",
		"playlist_remove_song", "playlist_delete", "playlist_edit", "podcast_delete", "podcast_edit",
		"podcast_episode_delete", "update_podcast", "share_delete", "share_edit", "bookmark_delete",
		"smartlist_delete", "song_delete", "live_stream_delete", "catalog_action", "catalog_file",
		"catalog_folder", "register", "system_update", "toggle_follow", "update_art",
		"update_artist_info", "update_from_tags", "user_create", "user_delete", "user_edit",
		"user_update", "preference_delete":
		return ack
	case "artists", "genre_artists", "label_artists":
		return list[Artist]("artist")
	case "artist":
		return one[Artist]("artist")
	case "albums", "artist_albums", "genre_albums":
		return list[Album]("album")
	case "album":
		return one[Album]("album")
	case "songs", "album_songs", "artist_songs", "genre_songs", "playlist_songs", "smartlist_songs",
		"search_songs", "get_similar", "license_songs":
		return list[Song]("song")
	case "song", "url_to_song":
		return one[Song]("song")
	case "genres":
		return list[Genre]("genre", "tag")
	case "genre":
		return one[Genre]("genre", "tag")
	case "advanced_search", "search", "stats", "get_indexes":
		return byType(variant)
	case "playlists", "smartlists", "user_playlists", "user_smartlists":
		return list[Playlist]("playlist")
	case "playlist", "smartlist", "playlist_create":
		return one[Playlist]("playlist")
	case "playlist_generate":
		if variant == "id" {
			return list[ID]("id", "song")
		}
		return list[Song]("song")
	case "playlist_hash":
		return func(p *payload) (any, error) {
			var r struct {
				MD5 json.RawMessage `json:"md5"`
			}
			err := decodeInto(p, &r)
			return r, err
		}
	case "podcasts":
		return list[Podcast]("podcast")
	case "podcast", "podcast_create":
		return one[Podcast]("podcast")
	case "podcast_episodes":
		return list[PodcastEpisode]("podcast_episode")
	case "podcast_episode":
		return one[PodcastEpisode]("podcast_episode")
	case "deleted_podcast_episodes":
		return list[DeletedPodcastEpisode]("deleted_podcast_episode", "deleted_podcast_episodes")
	case "deleted_songs":
		return list[DeletedSong]("deleted_song", "deleted_songs")
	case "bookmarks":
		return list[Bookmark]("bookmark")
	case "get_bookmark":
		if variant == "show_all" {
			return list[Bookmark]("bookmark")
		}
		return one[Bookmark]("bookmark")
	case "bookmark", "bookmark_create", "bookmark_edit":
		return one[Bookmark]("bookmark")
	case "shares":
		return list[Share]("share")
	case "share", "share_create":
		return one[Share]("share")
	case "live_streams":
		return list[LiveStream]("live_stream")
	case "live_stream", "live_stream_create", "live_stream_edit":
		return one[LiveStream]("live_stream")
	case "catalogs":
		return list[Catalog]("catalog")
	case "catalog":
		return one[Catalog]("catalog")
	case "user":
		return one[User]("user")
	case "users", "followers", "following":
		return list[UserRef]("user")
	case "labels":
		return list[Label]("label")
	case "label":
		return one[Label]("label")
	case "now_playing":
		return list[NowPlaying]("now_playing")
	case "localplay":
		return func(p *payload) (any, error) {
			cmd := "stop"
			if variant == "status" {
				var st LocalplayStatus
				r, err := localplayResult(p, "status")
				if err == nil {
					err = json.Unmarshal(r, &st)
				}
				return st, err
			}
			r, err := localplayResult(p, cmd)
			if err != nil {
				return nil, err
			}
			var ok Bool
			err = json.Unmarshal(r, &ok)
			if err == nil && !ok {
				err = errors.New("localplay result is false")
			}
			return ok, err
		}
	case "democratic":
		switch variant {
		case "playlist":
			return list[DemocraticSong]("song")
		case "play":
			return one[struct {
				URL string `json:"url"`
			}]("url")
		}
		return func(p *payload) (any, error) {
			var r struct {
				Method string `json:"method"`
				Result Bool   `json:"result"`
			}
			err := decodeInto(p, &r)
			if err == nil && !r.Result {
				err = errors.New("democratic result is false")
			}
			return r, err
		}
	case "search_group":
		return one[struct {
			Search SearchResults `json:"search"`
		}]("search_group")
	case "index":
		if strings.HasSuffix(variant, "with_include") {
			return func(p *payload) (any, error) {
				return decodeIndexTree(p, strings.TrimSuffix(variant, "_with_include"))
			}
		}
		return list[ID](variant)
	case "list":
		return list[ListEntry]("list")
	case "browse":
		return func(p *payload) (any, error) {
			var r BrowseResult
			err := decodeInto(p, &r)
			return r, err
		}
	// Not modelled by the client: checked to be well-formed objects.
	case "videos", "deleted_videos":
		return raw("video", "deleted_videos", "deleted_video")
	case "video", "license", "song_tags", "system_preference", "user_preference",
		"preference_create", "preference_edit":
		return raw()
	case "licenses":
		return raw("license")
	case "system_preferences", "user_preferences":
		return raw("preference")
	case "timeline", "friends_timeline":
		return raw("activity")
	case "last_shouts":
		return raw("shout")
	case "search_rules":
		return raw("rule")
	}
	return nil
}

// expectedErrors are the fixtures that hold an error object, and its code.
var expectedErrors = map[string]int{
	"api5/podcast_delete":            4704, // captured when the podcast was gone
	"api6/catalog_action--error":     4710,
	"api6/handshake--error":          4701,
	"api6/playlist_add_song--error":  4710,
	"api6/podcast_delete--error":     4710,
	"api6/register--error":           4710,
	"api6/scrobble--error":           4704,
	"api6/share_delete--error":       4704,
	"api6/user--error":               4704,
	"api6/user_create--error":        4710,
	"api5/catalog_action--error":     4710,
	"api5/handshake--error":          4701,
	"api5/playlist_add_song--error":  4710,
	"api5/podcast_delete--error":     4704,
	"api5/scrobble--error":           4704,
	"api5/share_delete--error":       4704,
	"api5/user--error":               4704,
	"api5/user_create--error":        4710,
	"api6/user_create--access_error": 4742,
	"api6/user_delete--access_error": 4742,
	"api6/user_edit--access_error":   4742,
	"api6/user_update--access_error": 4742,
	"api5/user_create--access_error": 4742,
	"api5/user_delete--access_error": 4742,
	"api5/user_edit--access_error":   4742,
	"api5/user_update--access_error": 4742,
}

func expectedError(api, name string) (int, bool) {
	if code, ok := expectedErrors[api+"/"+name]; ok {
		return code, true
	}
	if code, ok := strings.CutPrefix(name, "error-"); ok {
		n := 0
		for _, c := range code {
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	switch name {
	case "tag", "tags", "tag_albums", "tag_artists", "tag_songs":
		return CodeDeprecated, true // removed in API5 in favour of genre*
	}
	return 0, false
}

// TestFixturesDecode decodes every JSON fixture of API6 and API5.
func TestFixturesDecode(t *testing.T) {
	fx := fixturesDir(t)
	for _, api := range []string{"api6", "api5"} {
		files, err := filepath.Glob(filepath.Join(fx, api, "json", "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) < 100 {
			t.Fatalf("%s: only %d fixtures found", api, len(files))
		}
		sort.Strings(files)
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".json")
			t.Run(api+"/"+name, func(t *testing.T) {
				t.Parallel()
				body, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				method, variant, _ := strings.Cut(name, "--")
				p, perr := parsePayload(method, body)
				if code, isErr := expectedError(api, name); isErr {
					var apiErr *Error
					if !errors.As(perr, &apiErr) {
						t.Fatalf("want an *Error %d, got %v", code, perr)
					}
					if apiErr.Code != code || apiErr.Message == "" || apiErr.Action == "" {
						t.Fatalf("got %+v, want code %d with action and message", apiErr, code)
					}
					checkGolden(t, api, name, apiErr)
					return
				}
				if perr != nil {
					t.Fatalf("parse: %v", perr)
				}
				dec := decoderFor(method, variant)
				if api+"/"+name == "api5/get_indexes--podcast_episode" {
					// The API5 server answered this request with podcasts.
					dec = list[Podcast]("podcast")
				}
				if dec == nil {
					t.Fatalf("no decoder for method %q (variant %q)", method, variant)
				}
				v, err := dec(p)
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if _, skip := v.(unmodelled); !skip {
					checkGolden(t, api, name, v)
				}
			})
		}
	}
}

// The golden record of each decoded fixture is its SHA-256 digest, kept in
// testdata/golden.sha256: the fixtures are third-party data that must not
// be copied into this repository, and the decoded models would copy them.
// A change in what a decoder produces changes the digest; to review it,
// run with -golden-dir=DIR (outside the repository) to write the decoded
// models there, before and after, and diff the two folders; -update
// accepts the new digests.
var goldenDir = flag.String("golden-dir", "", "write every decoded fixture as indented JSON under this folder (for review)")

const goldenSumFile = "testdata/golden.sha256"

var goldenSums struct {
	once  sync.Once
	mu    sync.Mutex
	m     map[string]string
	dirty bool
}

func loadGoldenSums() map[string]string {
	goldenSums.once.Do(func() {
		goldenSums.m = map[string]string{}
		b, err := os.ReadFile(goldenSumFile)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if sum, key, ok := strings.Cut(line, "  "); ok {
				goldenSums.m[key] = sum
			}
		}
	})
	return goldenSums.m
}

// TestMain writes testdata/golden.sha256 after a run with -update.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if *update && goldenSums.dirty {
		keys := make([]string, 0, len(goldenSums.m))
		for k := range goldenSums.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(goldenSums.m[k] + "  " + k + "\n")
		}
		if err := os.WriteFile(goldenSumFile, []byte(b.String()), 0o644); err != nil {
			panic(err)
		}
	}
	os.Exit(code)
}

// checkGolden compares the digest of v, as indented JSON, with its golden
// digest.
func checkGolden(t *testing.T, api, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	key := api + "/" + name
	if *goldenDir != "" {
		path := filepath.Join(*goldenDir, api, name+".json")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum := sha256.Sum256(got)
	digest := hex.EncodeToString(sum[:])
	sums := loadGoldenSums()
	goldenSums.mu.Lock()
	defer goldenSums.mu.Unlock()
	if *update {
		if sums[key] != digest {
			sums[key] = digest
			goldenSums.dirty = true
		}
		return
	}
	want, ok := sums[key]
	switch {
	case !ok:
		t.Errorf("no golden digest for %s in %s (run go test ./client -run Fixture -update)", key, goldenSumFile)
	case want != digest:
		t.Errorf("decoded %s changed (digest %.12s, golden %.12s): run with -golden-dir=DIR before and after the change to see the difference, -update to accept it", key, digest, want)
	}
}
