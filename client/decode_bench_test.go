package client

import (
	"testing"
)

// BenchmarkDecodeSongPage decodes one API6 page of 5000 songs (the largest
// page a server sends), built from the captured song.json.
func BenchmarkDecodeSongPage(b *testing.B) {
	dir := fixturesDirIfPresent()
	if dir == "" {
		b.Skip("fixtures absent")
	}
	song := readFixtureB(b, dir, "song")
	body := []byte(`{"total_count":100000,"md5":"x","song":[`)
	for i := range MaxPageSize {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, song...)
	}
	body = append(body, "]}"...)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := parsePayload("songs", body)
		if err != nil {
			b.Fatal(err)
		}
		page, err := decodeList[Song](p, "song")
		if err != nil || len(page.Items) != MaxPageSize {
			b.Fatal(err)
		}
	}
}
