package client

import (
	"net/url"
	"time"
)

// ObjectType names a kind of object in parameters such as type= (rate,
// flag, share, bookmark, index, localplay add, get_art...).
type ObjectType string

// Object types the API knows.
const (
	TypeSong           ObjectType = "song"
	TypeAlbum          ObjectType = "album"
	TypeArtist         ObjectType = "artist"
	TypeAlbumArtist    ObjectType = "album_artist"
	TypeSongArtist     ObjectType = "song_artist"
	TypePlaylist       ObjectType = "playlist"
	TypeSearch         ObjectType = "search" // a smartlist
	TypePodcast        ObjectType = "podcast"
	TypePodcastEpisode ObjectType = "podcast_episode"
	TypeGenre          ObjectType = "genre"
	TypeLabel          ObjectType = "label"
	TypeLiveStream     ObjectType = "live_stream"
	TypeShare          ObjectType = "share"
	TypeCatalog        ObjectType = "catalog"
	TypeUser           ObjectType = "user"
	TypeVideo          ObjectType = "video"
	TypeBookmark       ObjectType = "bookmark"
	TypeDemocratic     ObjectType = "democratic"
)

// SortOptions orders and narrows a list (API6; older servers ignore them).
type SortOptions struct {
	// Cond adds browse filters as "filter1,value1;filter2,value2".
	Cond string `url:"cond,omitempty"`
	// Sort is a field name or "field,order", e.g. "name,DESC".
	Sort string `url:"sort,omitempty"`
}

// DateFilter keeps objects added or updated within a time range, for
// incremental sync. Zero times are open ends. The server compares with its
// own add and update times.
type DateFilter struct {
	AddedAfter    time.Time `url:"-"`
	AddedBefore   time.Time `url:"-"`
	UpdatedAfter  time.Time `url:"-"`
	UpdatedBefore time.Time `url:"-"`
}

// appendQuery sends add= and update=, as "after" or "after/before".
func (f *DateFilter) appendQuery(v url.Values) error {
	if s := dateRange(f.AddedAfter, f.AddedBefore); s != "" {
		v.Set("add", s)
	}
	if s := dateRange(f.UpdatedAfter, f.UpdatedBefore); s != "" {
		v.Set("update", s)
	}
	return nil
}

func dateRange(after, before time.Time) string {
	const layout = time.RFC3339
	switch {
	case after.IsZero() && before.IsZero():
		return ""
	case before.IsZero():
		return after.UTC().Format(layout)
	case after.IsZero():
		after = time.Unix(0, 0)
	}
	return after.UTC().Format(layout) + "/" + before.UTC().Format(layout)
}

// Include values for the include= parameter.
const (
	IncludeAlbums   = "albums"
	IncludeSongs    = "songs"
	IncludeEpisodes = "episodes"
)
