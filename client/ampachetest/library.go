package ampachetest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// library is the server's whole state apart from accounts and sessions.
// Records are indexed by id (slot 0 unused, nil for a deleted id) and kept
// in slices sorted the way list methods return them, so a page costs no
// sorting. Guarded by Server.mu.
type library struct {
	artists []*artist
	albums  []*album
	songs   []*song
	genres  []*genre

	artistsByName []*artist
	albumsByName  []*album
	songsByTitle  []*song
	genresByName  []*genre
	genreByFold   map[string]*genre

	nArtists, nAlbums, nSongs int
	genreCountsStale          bool

	playlists    map[int]*playlist
	nextPlaylist int
	smartlists   []*smartlist

	podcasts       []*podcast
	podcastsByName []*podcast
	episodes       []*episode
	nPodcasts      int
	nEpisodes      int
	liveStreams    []*liveStream

	bookmarks    map[int]*bookmark
	nextBookmark int
	shares       map[int]*share
	nextShare    int

	deletedSongs    []deletedSong
	deletedEpisodes []deletedEpisode

	users      map[int]*userState
	nowPlaying map[int]nowPlaying // by user id

	localplay  *localplayState
	democratic *democraticState

	lastAdd, lastUpdate, lastClean int64
}

func newLibrary() *library {
	return &library{
		artists:      []*artist{nil},
		albums:       []*album{nil},
		songs:        []*song{nil},
		genres:       []*genre{nil},
		genreByFold:  map[string]*genre{},
		playlists:    map[int]*playlist{},
		nextPlaylist: 1,
		podcasts:     []*podcast{nil},
		episodes:     []*episode{nil},
		liveStreams:  []*liveStream{nil},
		bookmarks:    map[int]*bookmark{},
		nextBookmark: 1,
		shares:       map[int]*share{},
		nextShare:    1,
		users:        map[int]*userState{},
		nowPlaying:   map[int]nowPlaying{},
		localplay:    newLocalplay(),
		democratic:   newDemocratic(),
	}
}

func (l *library) user(id int) *userState {
	u := l.users[id]
	if u == nil {
		u = newUserState()
		l.users[id] = u
	}
	return u
}

func lookup[T any](s []*T, id int) *T {
	if id <= 0 || id >= len(s) {
		return nil
	}
	return s[id]
}

func (l *library) song(id int) *song       { return lookup(l.songs, id) }
func (l *library) album(id int) *album     { return lookup(l.albums, id) }
func (l *library) artist(id int) *artist   { return lookup(l.artists, id) }
func (l *library) genre(id int) *genre     { return lookup(l.genres, id) }
func (l *library) podcast(id int) *podcast { return lookup(l.podcasts, id) }
func (l *library) episode(id int) *episode { return lookup(l.episodes, id) }
func (l *library) live(id int) *liveStream { return lookup(l.liveStreams, id) }

// Orderings: by folded name, then id.
func artistLess(a, b *artist) bool { return a.fold < b.fold || a.fold == b.fold && a.id < b.id }
func albumLess(a, b *album) bool   { return a.fold < b.fold || a.fold == b.fold && a.id < b.id }
func songLess(a, b *song) bool     { return a.fold < b.fold || a.fold == b.fold && a.id < b.id }
func genreLess(a, b *genre) bool   { return a.fold < b.fold || a.fold == b.fold && a.id < b.id }
func podcastLess(a, b *podcast) bool {
	return a.fold < b.fold || a.fold == b.fold && a.id < b.id
}

func cmpOf[T any](less func(a, b T) bool) func(a, b T) int {
	return func(a, b T) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	}
}

// insertSorted puts v into the sorted slice s.
func insertSorted[T any](s []T, v T, less func(a, b T) bool) []T {
	i, _ := slices.BinarySearchFunc(s, v, cmpOf(less))
	return slices.Insert(s, i, v)
}

// removeSorted takes v, found by its sort key, out of the sorted slice s.
func removeSorted[T comparable](s []T, v T, less func(a, b T) bool) []T {
	i, found := slices.BinarySearchFunc(s, v, cmpOf(less))
	if found && s[i] == v {
		return slices.Delete(s, i, i+1)
	}
	// The key changed under us; fall back to a scan.
	if j := slices.Index(s, v); j >= 0 {
		return slices.Delete(s, j, j+1)
	}
	return s
}

// genreNamed returns the genre with that name, creating it.
func (l *library) genreNamed(name string) *genre {
	f := fold(name)
	if g := l.genreByFold[f]; g != nil {
		return g
	}
	g := &genre{id: len(l.genres), name: name, fold: f}
	l.genres = append(l.genres, g)
	l.genreByFold[f] = g
	l.genresByName = insertSorted(l.genresByName, g, genreLess)
	return g
}

// refreshGenreCounts recomputes the per-genre counts if the library changed.
func (l *library) refreshGenreCounts() {
	if !l.genreCountsStale {
		return
	}
	for _, g := range l.genresByName {
		g.albums, g.artists, g.songs = 0, 0, 0
	}
	for _, s := range l.songs {
		if s == nil {
			continue
		}
		for _, g := range s.genres {
			g.songs++
		}
	}
	for _, a := range l.albums {
		if a == nil {
			continue
		}
		for _, g := range a.genres {
			g.albums++
		}
	}
	for _, a := range l.artists {
		if a == nil {
			continue
		}
		for _, g := range a.genres {
			g.artists++
		}
	}
	l.genreCountsStale = false
}

// fold makes the key names are sorted and searched by: lower case, without
// accents, as MySQL's utf8mb4_unicode_ci collation compares them.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteByte(byte(unicode.ToLower(r)))
			continue
		}
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// foldTable maps accented Latin letters to their base letters.
var foldTable = func() map[rune]string {
	m := map[rune]string{}
	groups := map[string]string{
		"a":  "àáâãäåāăąÀÁÂÃÄÅĀĂĄ",
		"c":  "çćĉċčÇĆĈĊČ",
		"d":  "ďđĎĐ",
		"e":  "èéêëēĕėęěÈÉÊËĒĔĖĘĚ",
		"g":  "ĝğġģĜĞĠĢ",
		"h":  "ĥħĤĦ",
		"i":  "ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ",
		"j":  "ĵĴ",
		"k":  "ķĶ",
		"l":  "ĺļľŀłĹĻĽĿŁ",
		"n":  "ñńņňÑŃŅŇ",
		"o":  "òóôõöøōŏőÒÓÔÕÖØŌŎŐ",
		"r":  "ŕŗřŔŖŘ",
		"s":  "śŝşšŚŜŞŠ",
		"t":  "ţťŧŢŤŦ",
		"u":  "ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ",
		"w":  "ŵŴ",
		"y":  "ýÿŷÝŸŶ",
		"z":  "źżžŹŻŽ",
		"ae": "æÆ",
		"oe": "œŒ",
		"ss": "ß",
		"th": "þÞ",
	}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// prefixOf splits the article the server shows as "prefix" off a name.
func prefixOf(name string) (prefix, base string) {
	for _, p := range []string{"The ", "A ", "An "} {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			return strings.TrimSpace(p), name[len(p):]
		}
	}
	return "", name
}
