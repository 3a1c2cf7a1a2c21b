package client

import "encoding/json"

// This file holds the models of control replies (localplay, democratic),
// search results and the sync helpers (index, list, deleted objects).

// LocalplayStatus is the state of the server's localplay player.
type LocalplayStatus struct {
	State       string `json:"state"`  // "play", "pause", "stop"
	Volume      Int    `json:"volume"` // 0-100
	Repeat      Bool   `json:"repeat"`
	Random      Bool   `json:"random"`
	Track       Int    `json:"track"` // position of the current entry in the queue
	TrackTitle  string `json:"track_title"`
	TrackArtist string `json:"track_artist"`
	TrackAlbum  string `json:"track_album"`
}

// LocalplaySong is an entry of the localplay player's queue.
type LocalplaySong struct {
	ID    ID     `json:"id"`    // the entry's id in the player
	Raw   string `json:"raw"`   // what the player was given (often a stream URL)
	Track Int    `json:"track"` // position in the queue
	Name  string `json:"name"`
	Link  string `json:"link"`
	OID   ID     `json:"oid"`  // the Ampache object, when known
	VLID  ID     `json:"vlid"` // the VLC playlist id (VLC backend)
}

// DemocraticSong is a song of the democratic queue with its vote count.
type DemocraticSong struct {
	Song
	Vote Int `json:"vote"`
}

// UnmarshalJSON decodes the song and its vote count.
func (d *DemocraticSong) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &d.Song); err != nil {
		return err
	}
	var v struct {
		Vote Int `json:"vote"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d.Vote = v.Vote
	return nil
}

// SearchResults are the grouped results of search_group: one list per
// object type. Which lists are filled depends on the search type.
type SearchResults struct {
	Songs           List[Song]           `json:"song"`
	Albums          List[Album]          `json:"album"`
	Artists         List[Artist]         `json:"artist"`
	SongArtists     List[Artist]         `json:"song_artist"`
	AlbumArtists    List[Artist]         `json:"album_artist"`
	Playlists       List[Playlist]       `json:"playlist"`
	Podcasts        List[Podcast]        `json:"podcast"`
	PodcastEpisodes List[PodcastEpisode] `json:"podcast_episode"`
	Genres          List[Genre]          `json:"genre"`
	Labels          List[Label]          `json:"label"`
	Users           List[UserRef]        `json:"user"`
}

// NowPlaying is something a user is playing right now.
type NowPlaying struct {
	ID     ID      `json:"id"`
	Type   string  `json:"type"` // "song", "podcast_episode", "video"
	Client string  `json:"client"`
	Expire Time    `json:"expire"`
	User   UserRef `json:"user"`
}

// DeletedSong is a song removed from the server's catalog, for
// incremental sync.
type DeletedSong struct {
	ID         ID     `json:"id"`
	Added      Time   `json:"addition_time"`
	Deleted    Time   `json:"delete_time"`
	Updated    Time   `json:"update_time"`
	Title      string `json:"title"`
	File       string `json:"file"`
	Catalog    ID     `json:"catalog"`
	TotalCount Int    `json:"total_count"` // plays
	TotalSkip  Int    `json:"total_skip"`
	Album      ID     `json:"album"`
	Artist     ID     `json:"artist"`
}

// DeletedPodcastEpisode is a podcast episode removed from the server.
type DeletedPodcastEpisode struct {
	ID         ID     `json:"id"`
	Added      Time   `json:"addition_time"`
	Deleted    Time   `json:"delete_time"`
	Title      string `json:"title"`
	File       string `json:"file"`
	Catalog    ID     `json:"catalog"`
	TotalCount Int    `json:"total_count"`
	TotalSkip  Int    `json:"total_skip"`
	Podcast    ID     `json:"podcast"`
}

// ListEntry is an id and name, the cheap form of an object that list and
// browse return.
type ListEntry struct {
	ID       ID     `json:"id"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix"`
	Basename string `json:"basename"`
}

// ObjectRef is an object given by type and id.
type ObjectRef struct {
	ID   ID     `json:"id"`
	Type string `json:"type"`
}

// IndexParent is an object of an index with its children (albums of an
// artist, songs of an album or playlist, episodes of a podcast).
type IndexParent struct {
	ID       ID          `json:"id"`
	Children []ObjectRef `json:"children"`
}

// BrowseResult is one level of the folder-style browse: the children of a
// catalog, artist, album or podcast.
type BrowseResult struct {
	CatalogID  ID          `json:"catalog_id"`
	ParentID   ID          `json:"parent_id"`
	ParentType string      `json:"parent_type"`
	ChildType  string      `json:"child_type"`
	Children   []ListEntry `json:"browse"`
	Total      int         `json:"total_count"` // -1 when unknown
}

// UnmarshalJSON decodes a browse reply.
func (r *BrowseResult) UnmarshalJSON(b []byte) error {
	var w struct {
		CatalogID  ID              `json:"catalog_id"`
		ParentID   ID              `json:"parent_id"`
		ParentType string          `json:"parent_type"`
		ChildType  string          `json:"child_type"`
		Children   List[ListEntry] `json:"browse"`
		Total      *Int            `json:"total_count"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = BrowseResult{CatalogID: w.CatalogID, ParentID: w.ParentID, ParentType: w.ParentType,
		ChildType: w.ChildType, Children: w.Children, Total: -1}
	if w.Total != nil {
		r.Total = int(*w.Total)
	}
	return nil
}
