package storage

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Benchmarks of the library cache alone (no server, no decoding), over a
// synthetic library the size of the 100k target: 2,000 artists, 10,000
// albums, 100,000 songs named from a vocabulary of a few hundred words.
//
//	go test -run '^$' -bench Library -benchtime 1x ./storage/

var benchWords = strings.Fields(`amber violet echo drift neon river stone glass hollow crimson velvet silent
golden paper iron winter summer autumn spring morning evening midnight dawn dusk shadow light fire water
earth wind storm rain snow thunder lightning ocean sea lake mountain valley forest desert island city street
road bridge tower castle garden house home room door window mirror dream sleep wake heart soul mind love
hate hope fear joy sorrow tears smile kiss dance song music rhythm melody harmony chorus verse ballad anthem
hymn lullaby requiem overture prelude nocturne serenade sonata symphony concerto blues jazz rock soul funk
disco metal punk folk country electric acoustic digital analog static signal wave pulse beat drum bass
guitar piano violin cello trumpet saxophone voice whisper scream cry call answer question secret story
tale legend myth memory ghost angel devil saint sinner king queen prince princess knight soldier sailor
pilot driver runner stranger lover friend enemy brother sister mother father child baby girl boy woman man
people world universe galaxy star planet moon sun sky cloud horizon line circle square spiral mirror
crystal diamond gold silver copper velvet satin silk cotton wool leather blood bone skin hand eye
Beyoncé Björk Sigur Rós Mötley Crüe Ágætis Zoë Łódź Ærø Straße café naïve`)

func benchName(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[r.IntN(len(benchWords))]
		if i == 0 {
			w[i] = strings.ToUpper(w[i][:1]) + w[i][1:]
		}
	}
	return strings.Join(w, " ")
}

// benchLibrary writes the synthetic library into a new cache.
func benchLibrary(b *testing.B) *Library {
	b.Helper()
	ctx := context.Background()
	l, err := OpenLibrary(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	if err := fillBench(ctx, l); err != nil {
		b.Fatal(err)
	}
	return l
}

func fillBench(ctx context.Context, l *Library) error {
	// A sync's context can be cancelled: so can this one.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := rand.New(rand.NewPCG(3, 4))
	w, err := l.Writer(ctx, true)
	if err != nil {
		return err
	}
	defer w.Close()
	if _, err := w.BeginBulk(ctx); err != nil {
		return err
	}
	genres := []GenreRef{{1, "Rock"}, {2, "Pop"}, {3, "Jazz"}, {4, "Electronic"}, {5, "Folk"}, {6, "Post-Rock"}}
	var artists []Artist
	var albums []Album
	songs := make([]Song, 0, 5000)
	flush := func() error {
		_, err := w.PutSongs(ctx, songs)
		songs = songs[:0]
		return err
	}
	sid := int64(0)
	for a := int64(1); a <= 2000; a++ {
		ar := Artist{ID: a, Name: benchName(r, 1+r.IntN(2)), Genres: genres[a%6 : a%6+1]}
		artists = append(artists, ar)
		ref := LibRef{ID: a, Name: ar.Name, Basename: ar.Name}
		for k := int64(0); k < 5; k++ {
			al := Album{ID: a*5 + k, Name: benchName(r, 1+r.IntN(3)), Artist: ref, Year: 1960 + r.IntN(60), Genres: ar.Genres}
			albums = append(albums, al)
			for t := 1; t <= 10; t++ {
				sid++
				songs = append(songs, Song{ID: sid, Title: benchName(r, 1+r.IntN(4)), Name: "", Artist: ref,
					Album: LibRef{ID: al.ID, Name: al.Name}, AlbumArtist: ref, Disc: 1, Track: t, Genres: al.Genres,
					Time: 100 + r.IntN(300), Year: al.Year, Format: "mp3", Mime: "audio/mpeg", Bitrate: 320000,
					Size: int64(3e6 + r.IntN(5e6)), Filename: "/music/x.mp3"})
				if len(songs) == cap(songs) {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if _, err := w.PutArtists(ctx, artists); err != nil {
		return err
	}
	if _, err := w.PutAlbums(ctx, albums); err != nil {
		return err
	}
	if _, err := w.PutGenres(ctx, []Genre{{ID: 1, Name: "Rock"}, {ID: 2, Name: "Pop"}, {ID: 3, Name: "Jazz"}, {ID: 4, Name: "Electronic"}, {ID: 5, Name: "Folk"}, {ID: 6, Name: "Post-Rock"}}); err != nil {
		return err
	}
	return w.EndBulk(ctx)
}

// BenchmarkLibraryFill100k writes 100,000 songs, 10,000 albums and 2,000
// artists into an empty cache (the storage part of a first sync).
func BenchmarkLibraryFill100k(b *testing.B) {
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		l, err := OpenLibrary(ctx, filepath.Join(b.TempDir(), "fill.db"))
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := processCPU()
		if err := fillBench(ctx, l); err != nil {
			b.Fatal(err)
		}
		cpu += processCPU() - cpu0
		l.Close()
	}
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/fill")
	}
}

// BenchmarkLibrarySearch100k runs 1,000 searches typed as a person types
// them (one to three words, each the first 1 to 6 letters of a word) and
// reports latency percentiles.
func BenchmarkLibrarySearch100k(b *testing.B) {
	l := benchLibrary(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	queries := make([]string, 1000)
	for i := range queries {
		var q []string
		for range 1 + r.IntN(3) {
			w := []rune(benchWords[r.IntN(len(benchWords))])
			q = append(q, string(w[:min(len(w), 1+r.IntN(6))]))
		}
		queries[i] = strings.Join(q, " ")
	}
	var lat []time.Duration
	var cpu time.Duration
	found := 0
	for b.Loop() {
		lat, found = lat[:0], 0
		cpu0 := processCPU()
		for _, q := range queries {
			t := time.Now()
			res, err := l.Search(ctx, q, 20)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
			if len(res.Songs) > 0 {
				found++
			}
		}
		cpu = processCPU() - cpu0
	}
	if found < len(queries)/2 {
		b.Fatalf("only %d searches found songs", found)
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	if cpu > 0 {
		b.ReportMetric(ms(cpu/time.Duration(len(queries))), "cpu-ms/search")
	}
}
