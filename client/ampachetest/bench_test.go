package ampachetest

import (
	"io"
	"net/url"
	"strconv"
	"testing"
)

var bigLibrary = Library{Artists: 2000, AlbumsPerArtist: 5, SongsPerAlbum: 10, Podcasts: 10, EpisodesPerPodcast: 20,
	Playlists: 50, LiveStreams: 5, Seed: 42}

// BenchmarkGenerate100k builds the 100,000-song library issue 9 measures.
func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		s := NewUnstartedServer(Options{Library: bigLibrary})
		if n := len(s.lib.songsByTitle); n != 100008 {
			b.Fatalf("%d songs", n)
		}
	}
}

// benchPages pages through a list of total items 5000 at a time.
func benchPages(b *testing.B, total int, action string, extra ...string) {
	s := startServer(b, Options{Library: bigLibrary})
	ts := login(b, s, s.User, "")
	hc := s.Client()
	b.ResetTimer()
	offset := 0
	for b.Loop() {
		p := url.Values{"auth": {ts.token}, "offset": {strconv.Itoa(offset)}, "limit": {"5000"}}
		for i := 0; i+1 < len(extra); i += 2 {
			p.Set(extra[i], extra[i+1])
		}
		resp, err := hc.Get(apiURL(s, action, p))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		b.SetBytes(n)
		offset = (offset + 5000) % total
	}
}

// BenchmarkSongsPage5000 serves pages of 5000 songs of the 100k library.
func BenchmarkSongsPage5000(b *testing.B) { benchPages(b, 100000, "songs") }

// BenchmarkSongsFiltered5000 pages through a filtered song list.
func BenchmarkSongsFiltered5000(b *testing.B) { benchPages(b, 40000, "songs", "filter", "e") }

// BenchmarkAlbumsPage5000 serves pages of 5000 albums.
func BenchmarkAlbumsPage5000(b *testing.B) { benchPages(b, 10000, "albums") }

// BenchmarkIndexSongs serves the API6 index of all song ids.
func BenchmarkIndexSongs(b *testing.B) { benchPages(b, 1, "index", "type", "song", "limit", "none") }
