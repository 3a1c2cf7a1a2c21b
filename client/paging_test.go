package client

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// serveSongs answers songs like a server with n songs that reports total
// as total_count (-1: none), honouring offset and limit.
func serveSongs(f *fakeServer, n, total int) {
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		offset, _ := strconv.Atoi(q.Get("offset"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit <= 0 || limit > MaxPageSize {
			limit = MaxPageSize
		}
		count := min(limit, max(0, n-offset))
		writeJSON(w, songsJSON(total, offset+1, count))
	})
}

func collectSongs(t *testing.T, c *Client, opts *SongListOptions) ([]Song, error) {
	t.Helper()
	var got []Song
	for s, err := range c.Library.AllSongs(t.Context(), opts) {
		if err != nil {
			return got, err
		}
		got = append(got, s)
	}
	return got, nil
}

func TestIteratorPaging(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		songs     int
		total     int // what total_count says; -1 none
		limit     int
		wantCalls int
	}{
		{"exact total", 25, 25, 10, 3},
		{"total lags low", 25, 10, 10, 3},  // full pages go on past it; the short one ends
		{"total too high", 25, 100, 10, 4}, // an empty page ends it
		{"no total_count", 25, -1, 10, 4},  // only an empty page ends it
		{"exact multiple, no total", 20, -1, 10, 3},
		{"exact multiple with total", 20, 20, 10, 3}, // a full last page costs one more request
		{"empty library", 0, 0, 10, 1},
		{"default page size", 12000, 12000, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, "6.9.2")
			serveSongs(f, tt.songs, tt.total)
			c := f.client()
			got, err := collectSongs(t, c, &SongListOptions{ListOptions: ListOptions{Limit: tt.limit}})
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "songs", len(got), tt.songs)
			for i, s := range got {
				if s.ID != ID(strconv.Itoa(i+1)) {
					t.Fatalf("song %d has id %s: order or duplicates wrong", i, s.ID)
				}
			}
			eq(t, "requests", f.count("songs"), tt.wantCalls)
			if tt.limit == 0 {
				eq(t, "default limit", f.lastQuery("songs").Get("limit"), "5000")
			}
		})
	}
}

func TestIteratorStartsAtOffsetAndKeepsOptions(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	serveSongs(f, 30, 30)
	c := f.client()
	opts := &SongListOptions{Filter: "x", ListOptions: ListOptions{Offset: 20, Limit: 5}}
	got, err := collectSongs(t, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "songs", len(got), 10)
	eq(t, "first", got[0].ID, "21")
	eq(t, "caller's offset untouched", opts.Offset, 20)
	eq(t, "filter sent", f.lastQuery("songs").Get("filter"), "x")
}

func TestIteratorStopsEarly(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	serveSongs(f, 100, 100)
	c := f.client()
	n := 0
	for _, err := range c.Library.AllSongs(t.Context(), &SongListOptions{ListOptions: ListOptions{Limit: 10}}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 15 {
			break
		}
	}
	eq(t, "requests", f.count("songs"), 2)
}

func TestIteratorStalledServer(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		writeJSON(w, songsJSON(-1, 1, 10)) // ignores offset, no total
	})
	got, err := collectSongs(t, f.client(), &SongListOptions{ListOptions: ListOptions{Limit: 10}})
	if !errors.Is(err, ErrPagingStalled) {
		t.Fatalf("got %v, want ErrPagingStalled", err)
	}
	eq(t, "songs before stopping", len(got), 10)
	eq(t, "requests", f.count("songs"), 2)
}

func TestIteratorError(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	f.handle("songs", func(w http.ResponseWriter, q url.Values) {
		if q.Get("offset") == "10" {
			writeError(w, 4710, "songs", "offset", "Bad Request")
			return
		}
		writeJSON(w, songsJSON(30, 1, 10))
	})
	got, err := collectSongs(t, f.client(), &SongListOptions{ListOptions: ListOptions{Limit: 10}})
	if !errors.Is(err, ErrBadRequest) {
		t.Fatalf("got %v, want ErrBadRequest", err)
	}
	eq(t, "songs before the error", len(got), 10)
}

func TestPageNext(t *testing.T) {
	t.Parallel()
	items := func(n int) []int { return make([]int, n) }
	tests := []struct {
		page     Page[int]
		wantNext int
		wantOK   bool
	}{
		{Page[int]{Items: items(10), Total: 25, Offset: 0, Limit: 10}, 10, true},
		{Page[int]{Items: items(5), Total: 25, Offset: 20, Limit: 10}, 25, false},
		{Page[int]{Items: items(10), Total: 20, Offset: 10, Limit: 10}, 20, true}, // full: ask once more
		{Page[int]{Items: items(3), Total: 100, Offset: 0, Limit: 10}, 3, true},   // short but total says more
		{Page[int]{Items: nil, Total: 100, Offset: 30, Limit: 10}, 30, false},
		{Page[int]{Items: items(3), Total: -1, Offset: 0, Limit: 10}, 3, true},
		{Page[int]{Items: items(3), Total: 3, Offset: 0, Limit: 0}, 3, false},
	}
	for i, tt := range tests {
		next, ok := tt.page.Next()
		if next != tt.wantNext || ok != tt.wantOK {
			t.Errorf("%d: Next() = %d, %v; want %d, %v", i, next, ok, tt.wantNext, tt.wantOK)
		}
	}
}

func TestPageCarriesOffsetAndLimit(t *testing.T) {
	t.Parallel()
	f := newFake(t, "6.9.2")
	serveSongs(f, 30, 30)
	p, err := f.client().Library.Songs(t.Context(), &SongListOptions{ListOptions: ListOptions{Offset: 5, Limit: 7}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Offset", p.Offset, 5)
	eq(t, "Limit", p.Limit, 7)
	eq(t, "Total", p.Total, 30)
	eq(t, "first", p.Items[0].ID, "6")
}
