package client

import (
	"testing"
)

// BenchmarkDecodeSongPage decodes one API6 page of 5000 songs (the largest
// page a server sends), built from the captured song.json: with the fast
// decoder (decodeList) and with encoding/json alone (decodeListJSON).
func BenchmarkDecodeSongPage(b *testing.B) {
	dir := fixturesDirIfPresent()
	if dir == "" {
		b.Skip("fixtures absent")
	}
	body := songPage(readFixtureB(b, dir, "song"), MaxPageSize)
	for _, bc := range []struct {
		name   string
		decode func(*payload) (*Page[Song], error)
	}{
		{"fast", func(p *payload) (*Page[Song], error) { return decodeList[Song](p, "song") }},
		{"json", func(p *payload) (*Page[Song], error) { return decodeListJSON[Song](p, "song") }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				p, err := parsePayload("songs", body)
				if err != nil {
					b.Fatal(err)
				}
				page, err := bc.decode(p)
				if err != nil || len(page.Items) != MaxPageSize {
					b.Fatal(err)
				}
			}
		})
	}
}
