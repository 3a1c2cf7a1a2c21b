package storage

import (
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
