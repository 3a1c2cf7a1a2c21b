package storage

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"
)

// The records of the library cache. They mirror the server's objects
// (package client's models) without the links that carry a session token
// (stream and art URLs): core converts between the two.

// LibRef names an artist or album inside another object.
type LibRef struct {
	ID                     int64
	Name, Prefix, Basename string
}

// GenreRef names a genre inside another object.
type GenreRef struct {
	ID   int64
	Name string
}

// Artist is a cached artist.
type Artist struct {
	ID                          int64
	Name, Prefix, Basename      string
	AlbumCount, SongCount, Time int
	Genres                      []GenreRef
	HasArt, Flag                bool
	Rating                      *int // nil: unrated
	AvgRating                   *float64
	MBID, Summary, PlaceFormed  string
	YearFormed                  int
}

// Album is a cached album.
type Album struct {
	ID                     int64
	Name, Prefix, Basename string
	Artist                 LibRef // the album artist
	Artists, SongArtists   []LibRef
	Time, Year             int
	SongCount, DiscCount   int
	Type                   string // release type
	Genres                 []GenreRef
	HasArt, Flag           bool
	Rating                 *int
	AvgRating              *float64
	MBID, MBIDGroup        string
}

// Song is a cached song.
type Song struct {
	ID                           int64
	Title, Name                  string
	Artist                       LibRef
	Artists                      []LibRef
	Album                        LibRef
	AlbumArtist                  LibRef
	Disc                         int
	DiscSubtitle                 string
	Track                        int
	Filename                     string
	Genres                       []GenreRef
	Time, Year                   int
	Format, Mime                 string
	Bitrate, Rate                int
	Mode                         string
	Channels                     int
	Size                         int64
	StreamFormat, StreamMime     string
	StreamBitrate                int
	HasArt, Flag                 bool
	Rating                       *int
	AvgRating                    *float64
	PlayCount                    int
	Catalog                      string
	Composer, Comment, License   string
	Publisher, Language, Lyrics  string
	MBID, AlbumMBID              string
	ArtistMBID, AlbumArtistMBID  string
	ReplayGainTrackGain          *float64
	ReplayGainTrackPeak          *float64
	ReplayGainAlbumGain          *float64
	ReplayGainAlbumPeak          *float64
	R128TrackGain, R128AlbumGain *float64
}

// Genre is a cached genre with its counts.
type Genre struct {
	ID                                        int64
	Name                                      string
	Albums, Artists, Songs, Videos, Playlists int
	LiveStreams                               int
	Hidden                                    bool
}

// Playlist is a cached playlist or smartlist.
type Playlist struct {
	ID, Name, Owner string
	OwnerID         string // the owner as a user reference (API6)
	OwnerName       string
	Items           int
	Type            string // "public" or "private"
	Smart           bool
	HasAccess       bool
	HasCollaborate  bool
	HasArt, Flag    bool
	Rating          *int
	AvgRating       *float64
	MD5             string
	LastUpdate      time.Time
}

// Podcast is a cached podcast.
type Podcast struct {
	ID                            int64
	Name, Description, Language   string
	Copyright, FeedURL, Generator string
	Website, PublicURL            string
	BuildDate, SyncDate           time.Time
	HasArt, Flag                  bool
	Rating                        *int
	AvgRating                     *float64
}

// Episode is a cached podcast episode.
type Episode struct {
	ID                            int64
	Title, Name                   string
	PodcastID                     int64
	PodcastName                   string
	Description, Category, Author string
	AuthorFull, Website           string
	PubDate                       time.Time
	State, FileLength, FileSize   string
	Filename, Mime                string
	Time                          int
	Size                          int64
	Bitrate, StreamBitrate, Rate  int
	Mode                          string
	Channels                      int
	PublicURL, Catalog            string
	HasArt, Flag                  bool
	Rating                        *int
	AvgRating                     *float64
	PlayCount                     int
	Played                        bool
}

// genreIDs is ",3,17," for instr lookups; genreNames joins the names for
// the search index.
func genreIDs(gs []GenreRef) string {
	if len(gs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, g := range gs {
		b.WriteString(strconv.FormatInt(g.ID, 10))
		b.WriteByte(',')
	}
	return b.String()
}

func genreNames(gs []GenreRef) string {
	switch len(gs) {
	case 0:
		return ""
	case 1:
		return gs[0].Name
	}
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Name
	}
	return strings.Join(names, "; ")
}

// The extra column: a version byte, then fields in a fixed order. Fields
// are only ever appended; a record that ends early reads the missing
// fields as zero, so old rows stay readable.

const extraVersion = 1

type extraWriter struct{ b []byte }

func newExtra() *extraWriter { return &extraWriter{b: append(make([]byte, 0, 64), extraVersion)} }

func (w *extraWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *extraWriter) int(n int64) { w.b = binary.AppendVarint(w.b, n) }

func (w *extraWriter) optFloat(f *float64) {
	if f == nil {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(*f))
}

func (w *extraWriter) refs(rs []LibRef) {
	w.int(int64(len(rs)))
	for _, r := range rs {
		w.ref(r)
	}
}

func (w *extraWriter) ref(r LibRef) {
	w.int(r.ID)
	w.str(r.Name)
	w.str(r.Prefix)
	w.str(r.Basename)
}

func (w *extraWriter) genres(gs []GenreRef) {
	w.int(int64(len(gs)))
	for _, g := range gs {
		w.int(g.ID)
		w.str(g.Name)
	}
}

type extraReader struct {
	b   []byte
	bad bool
}

func readExtra(b []byte) *extraReader {
	if len(b) == 0 || b[0] != extraVersion {
		return &extraReader{bad: len(b) > 0}
	}
	return &extraReader{b: b[1:]}
}

func (r *extraReader) str() string {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || uint64(len(r.b)-k) < n {
		r.b = nil
		return ""
	}
	s := string(r.b[k : k+int(n)])
	r.b = r.b[k+int(n):]
	return s
}

func (r *extraReader) int() int64 {
	n, k := binary.Varint(r.b)
	if k <= 0 {
		r.b = nil
		return 0
	}
	r.b = r.b[k:]
	return n
}

func (r *extraReader) optFloat() *float64 {
	if len(r.b) == 0 || r.b[0] == 0 {
		if len(r.b) > 0 {
			r.b = r.b[1:]
		}
		return nil
	}
	if len(r.b) < 9 {
		r.b = nil
		return nil
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b[1:9]))
	r.b = r.b[9:]
	return &f
}

func (r *extraReader) refs() []LibRef {
	n := r.int()
	if n <= 0 || n > int64(len(r.b)) {
		return nil
	}
	out := make([]LibRef, 0, n)
	for range n {
		out = append(out, r.ref())
	}
	return out
}

func (r *extraReader) ref() LibRef {
	return LibRef{ID: r.int(), Name: r.str(), Prefix: r.str(), Basename: r.str()}
}

func (r *extraReader) genres() []GenreRef {
	n := r.int()
	if n <= 0 || n > int64(len(r.b)) {
		return nil
	}
	out := make([]GenreRef, 0, n)
	for range n {
		out = append(out, GenreRef{ID: r.int(), Name: r.str()})
	}
	return out
}

func (r *extraReader) time() time.Time {
	n := r.int()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Extra records of each type. The album artist, artist and album of a
// song keep their names in columns; their prefixes and basenames are here.

func (s *Song) extra() []byte {
	w := newExtra()
	name := s.Name
	if name == s.Title {
		name = ""
	}
	w.str(name)
	w.str(s.Artist.Prefix)
	w.str(s.Artist.Basename)
	w.refs(s.Artists)
	w.str(s.Album.Prefix)
	w.str(s.Album.Basename)
	w.str(s.AlbumArtist.Prefix)
	w.str(s.AlbumArtist.Basename)
	w.str(s.DiscSubtitle)
	w.str(s.Filename)
	w.genres(s.Genres)
	w.str(s.Mime)
	w.int(int64(s.Rate))
	w.str(s.Mode)
	w.int(int64(s.Channels))
	w.str(s.StreamFormat)
	w.str(s.StreamMime)
	w.int(int64(s.StreamBitrate))
	w.optFloat(s.AvgRating)
	w.str(s.Catalog)
	w.str(s.Composer)
	w.str(s.Comment)
	w.str(s.License)
	w.str(s.Publisher)
	w.str(s.Language)
	w.str(s.Lyrics)
	w.str(s.MBID)
	w.str(s.AlbumMBID)
	w.str(s.ArtistMBID)
	w.str(s.AlbumArtistMBID)
	w.optFloat(s.ReplayGainTrackGain)
	w.optFloat(s.ReplayGainTrackPeak)
	w.optFloat(s.ReplayGainAlbumGain)
	w.optFloat(s.ReplayGainAlbumPeak)
	w.optFloat(s.R128TrackGain)
	w.optFloat(s.R128AlbumGain)
	return w.b
}

func (s *Song) readExtra(b []byte) {
	r := readExtra(b)
	s.Name = r.str()
	if s.Name == "" {
		s.Name = s.Title
	}
	s.Artist.Prefix, s.Artist.Basename = r.str(), r.str()
	s.Artists = r.refs()
	s.Album.Prefix, s.Album.Basename = r.str(), r.str()
	s.AlbumArtist.Prefix, s.AlbumArtist.Basename = r.str(), r.str()
	s.DiscSubtitle = r.str()
	s.Filename = r.str()
	s.Genres = r.genres()
	s.Mime = r.str()
	s.Rate = int(r.int())
	s.Mode = r.str()
	s.Channels = int(r.int())
	s.StreamFormat, s.StreamMime = r.str(), r.str()
	s.StreamBitrate = int(r.int())
	s.AvgRating = r.optFloat()
	s.Catalog = r.str()
	s.Composer, s.Comment, s.License = r.str(), r.str(), r.str()
	s.Publisher, s.Language, s.Lyrics = r.str(), r.str(), r.str()
	s.MBID, s.AlbumMBID, s.ArtistMBID, s.AlbumArtistMBID = r.str(), r.str(), r.str(), r.str()
	s.ReplayGainTrackGain, s.ReplayGainTrackPeak = r.optFloat(), r.optFloat()
	s.ReplayGainAlbumGain, s.ReplayGainAlbumPeak = r.optFloat(), r.optFloat()
	s.R128TrackGain, s.R128AlbumGain = r.optFloat(), r.optFloat()
}

func (a *Album) extra() []byte {
	w := newExtra()
	w.str(a.Prefix)
	w.str(a.Basename)
	w.ref(a.Artist)
	w.refs(a.Artists)
	w.refs(a.SongArtists)
	w.str(a.Type)
	w.genres(a.Genres)
	w.optFloat(a.AvgRating)
	w.str(a.MBID)
	w.str(a.MBIDGroup)
	return w.b
}

func (a *Album) readExtra(b []byte) {
	r := readExtra(b)
	a.Prefix, a.Basename = r.str(), r.str()
	id, name := a.Artist.ID, a.Artist.Name
	a.Artist = r.ref()
	a.Artist.ID, a.Artist.Name = id, name
	a.Artists = r.refs()
	a.SongArtists = r.refs()
	a.Type = r.str()
	a.Genres = r.genres()
	a.AvgRating = r.optFloat()
	a.MBID, a.MBIDGroup = r.str(), r.str()
}

func (a *Artist) extra() []byte {
	w := newExtra()
	w.str(a.Prefix)
	w.str(a.Basename)
	w.genres(a.Genres)
	w.optFloat(a.AvgRating)
	w.str(a.MBID)
	w.str(a.Summary)
	w.int(int64(a.YearFormed))
	w.str(a.PlaceFormed)
	return w.b
}

func (a *Artist) readExtra(b []byte) {
	r := readExtra(b)
	a.Prefix, a.Basename = r.str(), r.str()
	a.Genres = r.genres()
	a.AvgRating = r.optFloat()
	a.MBID, a.Summary = r.str(), r.str()
	a.YearFormed = int(r.int())
	a.PlaceFormed = r.str()
}

func (p *Playlist) extra() []byte {
	w := newExtra()
	w.str(p.OwnerID)
	w.optFloat(p.AvgRating)
	w.str(p.OwnerName)
	return w.b
}

func (p *Playlist) readExtra(b []byte) {
	r := readExtra(b)
	p.OwnerID = r.str()
	p.AvgRating = r.optFloat()
	p.OwnerName = r.str()
}

func (p *Podcast) extra() []byte {
	w := newExtra()
	w.str(p.Description)
	w.str(p.Language)
	w.str(p.Copyright)
	w.str(p.Generator)
	w.str(p.Website)
	w.str(p.PublicURL)
	w.optFloat(p.AvgRating)
	return w.b
}

func (p *Podcast) readExtra(b []byte) {
	r := readExtra(b)
	p.Description, p.Language, p.Copyright = r.str(), r.str(), r.str()
	p.Generator, p.Website, p.PublicURL = r.str(), r.str(), r.str()
	p.AvgRating = r.optFloat()
}

func (e *Episode) extra() []byte {
	w := newExtra()
	name := e.Name
	if name == e.Title {
		name = ""
	}
	w.str(name)
	w.str(e.Description)
	w.str(e.Category)
	w.str(e.Author)
	w.str(e.AuthorFull)
	w.str(e.Website)
	w.str(e.FileLength)
	w.str(e.FileSize)
	w.str(e.Filename)
	w.str(e.Mime)
	w.int(int64(e.Bitrate))
	w.int(int64(e.StreamBitrate))
	w.int(int64(e.Rate))
	w.str(e.Mode)
	w.int(int64(e.Channels))
	w.str(e.PublicURL)
	w.str(e.Catalog)
	w.optFloat(e.AvgRating)
	return w.b
}

func (e *Episode) readExtra(b []byte) {
	r := readExtra(b)
	e.Name = r.str()
	if e.Name == "" {
		e.Name = e.Title
	}
	e.Description, e.Category, e.Author = r.str(), r.str(), r.str()
	e.AuthorFull, e.Website = r.str(), r.str()
	e.FileLength, e.FileSize, e.Filename, e.Mime = r.str(), r.str(), r.str(), r.str()
	e.Bitrate, e.StreamBitrate, e.Rate = int(r.int()), int(r.int()), int(r.int())
	e.Mode = r.str()
	e.Channels = int(r.int())
	e.PublicURL, e.Catalog = r.str(), r.str()
	e.AvgRating = r.optFloat()
}
