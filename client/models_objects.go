package client

import (
	"encoding/json"
	"strings"
)

// This file holds the models of playlists, podcasts, bookmarks, shares,
// live streams, catalogs, users and labels.

// SmartlistPrefix starts the id of every smartlist (a saved search that
// Ampache lists among playlists), e.g. "smart_21".
const SmartlistPrefix = "smart_"

// Playlist is a playlist or a smartlist.
type Playlist struct {
	ID             ID      `json:"id"`
	Name           string  `json:"name"`
	Owner          string  `json:"owner"` // username
	User           UserRef `json:"user"`  // API6
	Items          Count   `json:"items"` // number of entries
	Type           string  `json:"type"`  // "public" or "private"
	Art            string  `json:"art"`
	HasAccess      Bool    `json:"has_access"`      // the user may edit it
	HasCollaborate Bool    `json:"has_collaborate"` // the user may add to it
	HasArt         Bool    `json:"has_art"`
	Flag           Bool    `json:"flag"`
	Rating         *Int    `json:"rating"`
	AvgRating      *Float  `json:"averagerating"`
	MD5            string  `json:"md5"` // hash of the entries when the server computed one
	LastUpdate     Time    `json:"last_update"`
	Smart          Bool    `json:"smart"` // a smartlist: its id starts with SmartlistPrefix
}

// UnmarshalJSON decodes a playlist and sets Smart from its id.
func (p *Playlist) UnmarshalJSON(b []byte) error {
	type wire Playlist
	if err := json.Unmarshal(b, (*wire)(p)); err != nil {
		return err
	}
	p.Smart = p.Smart || Bool(strings.HasPrefix(string(p.ID), SmartlistPrefix))
	if p.Owner == "" {
		p.Owner = p.User.Username
	}
	return nil
}

// Podcast is a podcast feed the server follows.
type Podcast struct {
	ID          ID                   `json:"id"`
	Name        string               `json:"name"`
	Description string               `json:"description"`
	Language    string               `json:"language"`
	Copyright   string               `json:"copyright"`
	FeedURL     string               `json:"feed_url"`
	Generator   string               `json:"generator"`
	Website     string               `json:"website"`
	BuildDate   Time                 `json:"build_date"`
	SyncDate    Time                 `json:"sync_date"`
	PublicURL   string               `json:"public_url"`
	Art         string               `json:"art"`
	HasArt      Bool                 `json:"has_art"`
	Flag        Bool                 `json:"flag"`
	Rating      *Int                 `json:"rating"`
	AvgRating   *Float               `json:"averagerating"`
	Episodes    List[PodcastEpisode] `json:"podcast_episode"` // only with include=episodes
}

// PodcastRef names the podcast of an episode. API6 sends {"id": 1, "name":
// "..."}; other places send the id alone.
type PodcastRef struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// UnmarshalJSON accepts an object, an id, or [] / null for none.
func (r *PodcastRef) UnmarshalJSON(b []byte) error {
	switch kind(b) {
	case '{', '[':
		type wire PodcastRef
		return decodeRef(b, (*wire)(r))
	}
	*r = PodcastRef{}
	return json.Unmarshal(b, &r.ID)
}

// PodcastEpisode is one episode of a podcast.
type PodcastEpisode struct {
	ID            ID         `json:"id"`
	Title         string     `json:"title"`
	Name          string     `json:"name"`
	Podcast       PodcastRef `json:"podcast"` // API6
	Description   string     `json:"description"`
	Category      string     `json:"category"`
	Author        string     `json:"author"`
	AuthorFull    string     `json:"author_full"`
	Website       string     `json:"website"`
	PubDate       Time       `json:"pubdate"`
	State         string     `json:"state"`      // download state, e.g. "completed"
	FileLength    string     `json:"filelength"` // "HH:MM:SS"
	FileSize      string     `json:"filesize"`   // human-readable, e.g. "17 MB"
	Filename      string     `json:"filename"`
	Mime          string     `json:"mime"`
	Time          Int        `json:"time"` // seconds
	Size          Int        `json:"size"` // bytes
	Bitrate       Int        `json:"bitrate"`
	StreamBitrate Int        `json:"stream_bitrate"`
	Rate          Int        `json:"rate"`
	Mode          string     `json:"mode"`
	Channels      Int        `json:"channels"`
	PublicURL     string     `json:"public_url"`
	URL           string     `json:"url"` // stream link with the session token
	Catalog       ID         `json:"catalog"`
	Art           string     `json:"art"`
	HasArt        Bool       `json:"has_art"`
	Flag          Bool       `json:"flag"`
	Rating        *Int       `json:"rating"`
	AvgRating     *Float     `json:"averagerating"`
	PlayCount     Int        `json:"playcount"`
	Played        Bool       `json:"played"`
}

// UnmarshalJSON decodes an episode; API4 sends only "name".
func (e *PodcastEpisode) UnmarshalJSON(b []byte) error {
	type wire PodcastEpisode
	if err := json.Unmarshal(b, (*wire)(e)); err != nil {
		return err
	}
	if e.Title == "" {
		e.Title = e.Name
	}
	return nil
}

// Bookmark is a saved playback position in a song, podcast episode or
// video, kept on the server so that every device can resume from it.
type Bookmark struct {
	ID         ID     `json:"id"`
	Owner      string `json:"owner"`       // username
	ObjectType string `json:"object_type"` // "song", "podcast_episode", "video"
	ObjectID   ID     `json:"object_id"`
	Position   Int    `json:"position"` // seconds
	Client     string `json:"client"`   // the agent that saved it
	Created    Time   `json:"creation_date"`
	Updated    Time   `json:"update_date"`

	// The bookmarked object, when asked for with include (nil otherwise).
	Song           *Song           `json:"song,omitempty"`
	PodcastEpisode *PodcastEpisode `json:"podcast_episode,omitempty"`
}

// UnmarshalJSON decodes a bookmark with or without its object. The object
// comes as a list of one (or an empty list) under a key named for its type.
func (bm *Bookmark) UnmarshalJSON(b []byte) error {
	type wire Bookmark
	var w struct {
		wire
		Song           List[Song]           `json:"song"`
		PodcastEpisode List[PodcastEpisode] `json:"podcast_episode"`
		User           json.RawMessage      `json:"user"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*bm = Bookmark(w.wire)
	bm.Song, bm.PodcastEpisode = nil, nil
	if len(w.Song) > 0 {
		bm.Song = &w.Song[0]
	}
	if len(w.PodcastEpisode) > 0 {
		bm.PodcastEpisode = &w.PodcastEpisode[0]
	}
	if bm.Owner == "" && len(w.User) > 0 {
		bm.Owner = userName(w.User)
	}
	return nil
}

// userName reads a user given as a name or as {"id", "username"}.
func userName(b json.RawMessage) string {
	switch kind(b) {
	case '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
	case '{':
		var u UserRef
		if json.Unmarshal(b, &u) == nil {
			return u.Username
		}
	}
	return ""
}

// Share is a public link to a song, album, playlist... that anyone can open.
type Share struct {
	ID            ID     `json:"id"`
	Name          string `json:"name"`
	Owner         string `json:"owner"`
	AllowStream   Bool   `json:"allow_stream"`
	AllowDownload Bool   `json:"allow_download"`
	Created       Time   `json:"creation_date"`
	LastVisit     Time   `json:"lastvisit_date"`
	ObjectType    string `json:"object_type"`
	ObjectID      ID     `json:"object_id"`
	ExpireDays    Int    `json:"expire_days"` // 0: never
	MaxCounter    Int    `json:"max_counter"`
	Counter       Int    `json:"counter"`
	Secret        string `json:"secret"`     // part of PublicURL
	PublicURL     string `json:"public_url"` // the link to hand out
	Description   string `json:"description"`
}

// LiveStream is an internet radio station known to the server.
type LiveStream struct {
	ID      ID     `json:"id"`
	Name    string `json:"name"`
	URL     string `json:"url"`   // the station's stream
	Codec   string `json:"codec"` // e.g. "mp3", "mp4"
	Catalog ID     `json:"catalog"`
	SiteURL string `json:"site_url"`
}

// Catalog is a collection of files the server indexes (music, podcasts...).
type Catalog struct {
	ID            ID     `json:"id"`
	Name          string `json:"name"`
	Type          string `json:"type"`         // "local", "remote", ...
	GatherTypes   string `json:"gather_types"` // "music", "podcast", ...
	Enabled       Bool   `json:"enabled"`
	LastAdd       Time   `json:"last_add"`
	LastClean     Time   `json:"last_clean"`
	LastUpdate    Time   `json:"last_update"`
	Path          string `json:"path"`
	RenamePattern string `json:"rename_pattern"`
	SortPattern   string `json:"sort_pattern"`
}

// User is an account on the server. The API key and stream token the
// server sends for one's own account are deliberately not kept.
type User struct {
	ID             ID     `json:"id"`
	Username       string `json:"username"`
	Fullname       string `json:"fullname"`
	Email          string `json:"email"`
	Access         Int    `json:"access"` // 5 guest, 25 user, 50 content manager, 75 catalog manager, 100 admin
	FullnamePublic Bool   `json:"fullname_public"`
	Disabled       Bool   `json:"disabled"`
	Created        Time   `json:"create_date"`
	LastSeen       Time   `json:"last_seen"`
	Website        string `json:"website"`
	State          string `json:"state"`
	City           string `json:"city"`
	Art            string `json:"art"`
	HasArt         Bool   `json:"has_art"`
}

// Label is a record label.
type Label struct {
	ID           ID     `json:"id"`
	Name         string `json:"name"`
	Artists      Int    `json:"artists"`
	Summary      string `json:"summary"`
	ExternalLink string `json:"external_link"`
	Address      string `json:"address"`
	Category     string `json:"category"`
	Email        string `json:"email"`
	Website      string `json:"website"`
	User         ID     `json:"user"`
}
