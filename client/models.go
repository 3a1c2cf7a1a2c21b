package client

import (
	"encoding/json"
	"reflect"
	"strings"
)

// This file holds the music models: artists, albums, songs and genres.

// ArtistRef names an artist inside another object (a song's artist, an
// album's album artist).
type ArtistRef struct {
	ID       ID     `json:"id"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix"`   // e.g. "The"; empty before API6
	Basename string `json:"basename"` // Name without Prefix
}

// AlbumRef names an album inside another object.
type AlbumRef struct {
	ID       ID     `json:"id"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix"`
	Basename string `json:"basename"`
}

// GenreRef names a genre (Ampache also calls them tags) inside another
// object. API4 sends only the name in some places, so ID can be empty.
type GenreRef struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// UserRef names a user inside another object.
type UserRef struct {
	ID       ID     `json:"id"`
	Username string `json:"username"`
}

// UnmarshalJSON accepts an object, or [] / null for none.
func (r *ArtistRef) UnmarshalJSON(b []byte) error {
	type wire ArtistRef
	return decodeRef(b, (*wire)(r))
}

// UnmarshalJSON accepts an object, or [] / null for none.
func (r *AlbumRef) UnmarshalJSON(b []byte) error {
	type wire AlbumRef
	return decodeRef(b, (*wire)(r))
}

// UnmarshalJSON accepts an object, or [] / null for none.
func (r *UserRef) UnmarshalJSON(b []byte) error {
	type wire UserRef
	return decodeRef(b, (*wire)(r))
}

// decodeRef decodes a reference object into v (a pointer to a struct
// without methods). PHP encodes an empty array as [], so [] (or null) means
// "none"; a list of objects gives its first.
func decodeRef(b []byte, v any) error {
	switch kind(b) {
	case '{':
		return json.Unmarshal(b, v)
	case 'n':
		return nil
	case '[':
		var l []json.RawMessage
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		if len(l) == 0 {
			return nil
		}
		return decodeRef(l[0], v)
	}
	return typeError(b, reflect.TypeOf(v).Elem())
}

// Artist is an artist of the library.
type Artist struct {
	ID          ID             `json:"id"`
	Name        string         `json:"name"`
	Prefix      string         `json:"prefix"`
	Basename    string         `json:"basename"`
	Albums      List[Album]    `json:"albums"` // only with include=albums
	AlbumCount  Int            `json:"albumcount"`
	Songs       List[Song]     `json:"songs"` // only with include=songs
	SongCount   Int            `json:"songcount"`
	Genres      List[GenreRef] `json:"genre"` // API4 sends "tag"
	Art         string         `json:"art"`   // art URL; it may carry the session token
	HasArt      Bool           `json:"has_art"`
	Flag        Bool           `json:"flag"`          // the user's favourite
	Rating      *Int           `json:"rating"`        // the user's rating 0-5; nil when unrated
	AvgRating   *Float         `json:"averagerating"` // nil when nobody rated it
	MBID        string         `json:"mbid"`
	Summary     string         `json:"summary"`
	Time        Int            `json:"time"` // seconds, all songs together
	YearFormed  Int            `json:"yearformed"`
	PlaceFormed string         `json:"placeformed"`
}

// UnmarshalJSON decodes an artist of any API version (API4 "tag" genres).
func (a *Artist) UnmarshalJSON(b []byte) error {
	type wire Artist
	var w struct {
		wire
		Tag List[GenreRef] `json:"tag"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = Artist(w.wire)
	if len(a.Genres) == 0 {
		a.Genres = w.Tag
	}
	return nil
}

// Album is an album of the library.
type Album struct {
	ID          ID              `json:"id"`
	Name        string          `json:"name"`
	Prefix      string          `json:"prefix"`
	Basename    string          `json:"basename"`
	Artist      ArtistRef       `json:"artist"` // the album artist
	Artists     List[ArtistRef] `json:"artists"`
	SongArtists List[ArtistRef] `json:"songartists"`
	Time        Int             `json:"time"` // seconds
	Year        Int             `json:"year"`
	Tracks      List[Song]      `json:"tracks"` // only with include=songs
	SongCount   Int             `json:"songcount"`
	DiskCount   Int             `json:"diskcount"` // API4 sends "disk"
	Type        string          `json:"type"`      // release type, e.g. "compilation"
	Genres      List[GenreRef]  `json:"genre"`     // API4 sends "tag"
	Art         string          `json:"art"`
	HasArt      Bool            `json:"has_art"`
	Flag        Bool            `json:"flag"`
	Rating      *Int            `json:"rating"`
	AvgRating   *Float          `json:"averagerating"`
	MBID        string          `json:"mbid"`
	MBIDGroup   string          `json:"mbid_group"`
}

// UnmarshalJSON decodes an album of any API version.
func (a *Album) UnmarshalJSON(b []byte) error {
	type wire Album
	var w struct {
		wire
		Tag  List[GenreRef] `json:"tag"`
		Disk Int            `json:"disk"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = Album(w.wire)
	if len(a.Genres) == 0 {
		a.Genres = w.Tag
	}
	if a.DiskCount == 0 {
		a.DiskCount = w.Disk
	}
	return nil
}

// Song is a song with everything a player needs: what to show, where to
// stream it from, what it is encoded in, and its loudness.
//
// URL and Art are links with the session token in them: treat them as
// secrets (they must not be logged unredacted) and expect them to stop
// working when the session ends.
type Song struct {
	ID              ID              `json:"id"`
	Title           string          `json:"title"`
	Name            string          `json:"name"`
	Artist          ArtistRef       `json:"artist"`
	Artists         List[ArtistRef] `json:"artists"`
	Album           AlbumRef        `json:"album"`
	AlbumArtist     ArtistRef       `json:"albumartist"`
	Disc            Int             `json:"disk"`
	DiscSubtitle    string          `json:"disksubtitle"`
	Track           Int             `json:"track"`
	Filename        string          `json:"filename"`
	Genres          List[GenreRef]  `json:"genre"`         // API4 also sends "tag"
	PlaylistTrack   Int             `json:"playlisttrack"` // position in a playlist or result
	Time            Int             `json:"time"`          // length in seconds
	Year            Int             `json:"year"`
	Format          string          `json:"format"`  // of the file, e.g. "flac"
	Mime            string          `json:"mime"`    // of the file
	Bitrate         Int             `json:"bitrate"` // of the file, bits per second
	Rate            Int             `json:"rate"`    // sample rate, Hz
	Mode            string          `json:"mode"`    // "cbr", "vbr"
	Channels        Int             `json:"channels"`
	Size            Int             `json:"size"` // bytes of the file
	StreamFormat    string          `json:"stream_format"`
	StreamMime      string          `json:"stream_mime"`
	StreamBitrate   Int             `json:"stream_bitrate"` // what URL sends after transcoding
	URL             string          `json:"url"`            // stream link with the session token
	Art             string          `json:"art"`
	HasArt          Bool            `json:"has_art"`
	Flag            Bool            `json:"flag"`
	Rating          *Int            `json:"rating"`
	AvgRating       *Float          `json:"averagerating"`
	PlayCount       Int             `json:"playcount"`
	Catalog         ID              `json:"catalog"`
	Composer        string          `json:"composer"`
	Comment         string          `json:"comment"`
	License         string          `json:"license"`
	Publisher       string          `json:"publisher"`
	Language        string          `json:"language"`
	Lyrics          string          `json:"lyrics"`
	MBID            string          `json:"mbid"`
	AlbumMBID       string          `json:"album_mbid"`
	ArtistMBID      string          `json:"artist_mbid"`
	AlbumArtistMBID string          `json:"albumartist_mbid"`

	// Loudness. nil means the file has no such tag (common).
	ReplayGainTrackGain *Float `json:"replaygain_track_gain"` // dB
	ReplayGainTrackPeak *Float `json:"replaygain_track_peak"` // linear, 1.0 = full scale
	ReplayGainAlbumGain *Float `json:"replaygain_album_gain"`
	ReplayGainAlbumPeak *Float `json:"replaygain_album_peak"`
	R128TrackGain       *Float `json:"r128_track_gain"` // as stored by the server (Q7.8 of dB)
	R128AlbumGain       *Float `json:"r128_album_gain"`
}

// songFields is Song without its methods, so that songWire decodes in one
// pass: a type with an UnmarshalJSON method makes encoding/json read its
// text twice more, which shows on pages of 5000 songs.
type songFields Song

// songWire is a song as any API version sends it (API4 adds "tag").
type songWire struct {
	songFields
	Tag List[GenreRef] `json:"tag"`
}

// song finishes decoding: API4 genres, and the title and format that old
// servers leave out.
func (w *songWire) song() Song {
	s := Song(w.songFields)
	if len(w.Tag) > 0 && (len(s.Genres) == 0 || s.Genres[0].ID == "") {
		// API4 sends "tag" with ids and "genre" with names only.
		s.Genres = w.Tag
	}
	if s.Title == "" {
		s.Title = s.Name
	}
	if s.Format == "" {
		// API4/5 send no format: take it from the file name or the mime.
		s.Format = formatOf(s.Filename, s.Mime)
	}
	return s
}

// UnmarshalJSON decodes a song of any API version.
func (s *Song) UnmarshalJSON(b []byte) error {
	var w songWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = w.song()
	return nil
}

// mimeFormats maps audio mime types to the format names Ampache uses.
var mimeFormats = map[string]string{
	"audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/flac": "flac", "audio/x-flac": "flac",
	"audio/ogg": "ogg", "audio/vorbis": "ogg", "application/ogg": "ogg", "audio/opus": "opus",
	"audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/mp4": "m4a",
	"audio/x-m4a": "m4a", "audio/aac": "aac", "audio/x-ms-wma": "wma",
}

// formatOf guesses a file's format from its name, else from its mime type.
func formatOf(filename, mime string) string {
	if i := strings.LastIndexByte(filename, '.'); i >= 0 && i > strings.LastIndexAny(filename, "/\\") {
		if ext := strings.ToLower(filename[i+1:]); ext != "" && len(ext) <= 5 {
			return ext
		}
	}
	return mimeFormats[strings.ToLower(strings.TrimSpace(mime))]
}

// Genre is a genre (a tag) with the number of objects that carry it.
type Genre struct {
	ID          ID     `json:"id"`
	Name        string `json:"name"`
	Albums      Int    `json:"albums"`
	Artists     Int    `json:"artists"`
	Songs       Int    `json:"songs"`
	Videos      Int    `json:"videos"`
	Playlists   Int    `json:"playlists"`
	LiveStreams Int    `json:"live_streams"` // API4 sends "stream"
	Hidden      Bool   `json:"is_hidden"`
}

// UnmarshalJSON decodes a genre of any API version.
func (g *Genre) UnmarshalJSON(b []byte) error {
	type wire Genre
	var w struct {
		wire
		Stream Int `json:"stream"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*g = Genre(w.wire)
	if g.LiveStreams == 0 {
		g.LiveStreams = w.Stream
	}
	return nil
}
