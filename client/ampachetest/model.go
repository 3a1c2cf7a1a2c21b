package ampachetest

import (
	"time"

	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// The server's internal records. All of them are guarded by Server.mu.

type artist struct {
	id          int
	name, fold  string
	albums      []*album // by year, then name
	genres      []*genre
	summary     string
	mbid        string
	yearFormed  int
	placeFormed string
	hasArt      bool
	added       int64
	updated     int64
}

type album struct {
	id          int
	name, fold  string
	artist      *artist
	year        int
	genres      []*genre
	songs       []*song // by disc, then track
	releaseType string
	mbid        string
	hasArt      bool
	added       int64
	updated     int64
}

type genre struct {
	id         int
	name, fold string
	// counts, recomputed when the library changes
	albums, artists, songs int
}

// audioSource says what a song's or episode's file is made of.
type audioSource struct {
	clip     *testaudio.Clip // shared, read-only
	format   string          // mp3, flac, ogg, wav
	exact    bool            // the embedded clip file itself (songs 1–8)
	duration time.Duration
}

type song struct {
	id          int
	title, fold string
	album       *album
	artist      *artist
	disc, track int
	year        int
	genres      []*genre
	seconds     int
	src         audioSource
	size        int64
	bitrate     int
	composer    string
	comment     string
	mbid        string
	// ReplayGain values; NaN for none.
	rgTrackGain, rgTrackPeak, rgAlbumGain, rgAlbumPeak float32
	playcount                                          int
	added                                              int64
	updated                                            int64
}

type playlist struct {
	id      int
	name    string
	fold    string
	owner   int // user id
	public  bool
	songs   []int
	updated int64
	added   int64
}

// smartlist is a saved search; its songs are computed on demand.
type smartlist struct {
	id     int
	name   string
	owner  int
	public bool
	rules  []searchRule
	match  string // "and" or "or"
	limit  int
}

type podcast struct {
	id          int
	name, fold  string
	description string
	language    string
	copyright   string
	feedURL     string
	generator   string
	website     string
	buildDate   int64
	syncDate    int64
	episodes    []*episode // newest first
	added       int64
	updated     int64
}

type episode struct {
	id          int
	title, fold string
	podcast     *podcast
	description string
	category    string
	author      string
	website     string
	pubdate     int64
	seconds     int
	src         audioSource
	size        int64
	bitrate     int
	playcount   int
	added       int64
	updated     int64
}

type liveStream struct {
	id      int
	name    string
	siteURL string
	genre   string
}

type bookmark struct {
	id         int
	owner      int
	objectType string
	objectID   int
	position   int // seconds
	client     string
	created    int64
	updated    int64
}

type share struct {
	id            int
	owner         int
	objectType    string
	objectID      int
	name          string
	description   string
	secret        string
	expireDays    int
	allowStream   bool
	allowDownload bool
	created       int64
	lastVisit     int64
	counter       int
}

type deletedSong struct {
	id        int
	title     string
	file      string
	album     int
	artist    int
	added     int64
	deleted   int64
	catalog   int
	playcount int
}

type deletedEpisode struct {
	id      int
	title   string
	file    string
	podcast int
	added   int64
	deleted int64
}

// objKey names an object of any type for ratings and flags.
type objKey struct {
	typ string
	id  int
}

// userState is what the server remembers per user.
type userState struct {
	ratings    map[objKey]int
	flags      map[objKey]bool
	lastPlayed map[int]int64 // song id → unix time
	plays      map[int]int   // song id → plays by this user
}

func newUserState() *userState {
	return &userState{
		ratings:    map[objKey]int{},
		flags:      map[objKey]bool{},
		lastPlayed: map[int]int64{},
		plays:      map[int]int{},
	}
}

type nowPlaying struct {
	songID int
	user   int
	client string
	expire int64
}
