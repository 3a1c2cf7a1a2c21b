package storage

import (
	"encoding/binary"
	"math"
	"time"
)

// The extra column: a version byte, then fields in a fixed order. Fields
// are only ever appended; a record that ends early reads the missing
// fields as zero, so old rows stay readable.

const extraVersion = 1

type extraWriter struct{ b []byte }

func newExtra() *extraWriter { return &extraWriter{b: append(make([]byte, 0, 64), extraVersion)} }

// appendingExtra writes a record at the end of dst.
func appendingExtra(dst []byte) extraWriter { return extraWriter{b: append(dst, extraVersion)} }

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

func (s *Song) extra() []byte { return s.appendExtra(nil) }

// appendExtra appends the record to dst.
func (s *Song) appendExtra(dst []byte) []byte {
	w := appendingExtra(dst)
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

func (a *Album) extra() []byte { return a.appendExtra(nil) }

// appendExtra appends the record to dst.
func (a *Album) appendExtra(dst []byte) []byte {
	w := appendingExtra(dst)
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

func (a *Artist) extra() []byte { return a.appendExtra(nil) }

// appendExtra appends the record to dst.
func (a *Artist) appendExtra(dst []byte) []byte {
	w := appendingExtra(dst)
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
