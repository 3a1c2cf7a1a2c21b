package cli

import (
	"fmt"
	"time"

	"github.com/ampdesk/ampdesk/client"
)

// The JSON output of the commands. These shapes are part of Ampdesk's
// interface (docs/cli.md): add fields, never rename or remove them.

type artistOut struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Albums int    `json:"albums"`
	Songs  int    `json:"songs"`
}

type albumOut struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Artist  string `json:"artist"`
	Year    int    `json:"year,omitempty"`
	Songs   int    `json:"songs"`
	Seconds int    `json:"seconds"`
}

type songOut struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Artist  string `json:"artist"`
	Album   string `json:"album"`
	Disc    int    `json:"disc,omitempty"`
	Track   int    `json:"track,omitempty"`
	Seconds int    `json:"seconds"`
	Format  string `json:"format,omitempty"`
}

type genreOut struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Albums int    `json:"albums"`
	Songs  int    `json:"songs"`
}

type playlistOut struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Owner  string `json:"owner"`
	Items  int    `json:"items"`
	Public bool   `json:"public"`
	Smart  bool   `json:"smart"`
}

type podcastOut struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Feed string `json:"feed,omitempty"`
}

type episodeOut struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Podcast string `json:"podcast,omitempty"`
	Date    string `json:"date,omitempty"`
	Seconds int    `json:"seconds"`
	State   string `json:"state,omitempty"`
}

type bookmarkOut struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	ObjectID string `json:"object_id"`
	Title    string `json:"title,omitempty"`
	Position int    `json:"position"` // seconds
	Client   string `json:"client"`
	Updated  string `json:"updated,omitempty"` // RFC 3339
}

func artistsOut(in []client.Artist) []artistOut {
	out := make([]artistOut, 0, len(in))
	for _, a := range in {
		out = append(out, artistOut{ID: string(a.ID), Name: a.Name, Albums: int(a.AlbumCount), Songs: int(a.SongCount)})
	}
	return out
}

func albumsOut(in []client.Album) []albumOut {
	out := make([]albumOut, 0, len(in))
	for _, a := range in {
		out = append(out, albumOut{ID: string(a.ID), Name: a.Name, Artist: a.Artist.Name, Year: int(a.Year), Songs: int(a.SongCount), Seconds: int(a.Time)})
	}
	return out
}

func songsOut(in []client.Song) []songOut {
	out := make([]songOut, 0, len(in))
	for _, s := range in {
		out = append(out, songOut{ID: string(s.ID), Title: s.Title, Artist: s.Artist.Name, Album: s.Album.Name,
			Disc: int(s.Disc), Track: int(s.Track), Seconds: int(s.Time), Format: s.Format})
	}
	return out
}

func genresOut(in []client.Genre) []genreOut {
	out := make([]genreOut, 0, len(in))
	for _, g := range in {
		out = append(out, genreOut{ID: string(g.ID), Name: g.Name, Albums: int(g.Albums), Songs: int(g.Songs)})
	}
	return out
}

func playlistsOut(in []client.Playlist) []playlistOut {
	out := make([]playlistOut, 0, len(in))
	for _, p := range in {
		owner := p.Owner
		if owner == "" {
			owner = p.User.Username
		}
		out = append(out, playlistOut{ID: string(p.ID), Name: p.Name, Owner: owner, Items: int(p.Items),
			Public: p.Type == client.PlaylistPublic, Smart: bool(p.Smart)})
	}
	return out
}

func podcastsOut(in []client.Podcast) []podcastOut {
	out := make([]podcastOut, 0, len(in))
	for _, p := range in {
		out = append(out, podcastOut{ID: string(p.ID), Name: p.Name, Feed: p.FeedURL})
	}
	return out
}

func episodesOut(in []client.PodcastEpisode) []episodeOut {
	out := make([]episodeOut, 0, len(in))
	for _, e := range in {
		eo := episodeOut{ID: string(e.ID), Title: e.Title, Podcast: e.Podcast.Name, Seconds: int(e.Time), State: e.State}
		if !e.PubDate.IsZero() {
			eo.Date = e.PubDate.Format("2006-01-02")
		}
		out = append(out, eo)
	}
	return out
}

func bookmarksOut(in []client.Bookmark) []bookmarkOut {
	out := make([]bookmarkOut, 0, len(in))
	for _, b := range in {
		bo := bookmarkOut{ID: string(b.ID), Type: b.ObjectType, ObjectID: string(b.ObjectID), Position: int(b.Position), Client: b.Client}
		if !b.Updated.IsZero() {
			bo.Updated = b.Updated.UTC().Format(time.RFC3339)
		}
		switch {
		case b.Song != nil:
			bo.Title = b.Song.Title
		case b.PodcastEpisode != nil:
			bo.Title = b.PodcastEpisode.Title
		}
		out = append(out, bo)
	}
	return out
}

// clock formats seconds as m:ss or h:mm:ss.
func clock(seconds int) string {
	if seconds < 0 {
		seconds = 0
	}
	h, m, s := seconds/3600, seconds/60%60, seconds%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// parsePosition reads "90", "1:30" or "1:02:03" as seconds.
func parsePosition(s string) (int, error) {
	var h, m, sec int
	var n int
	var err error
	switch {
	case countColons(s) == 2:
		n, err = fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec)
		if n != 3 {
			err = fmt.Errorf("not h:mm:ss")
		}
	case countColons(s) == 1:
		n, err = fmt.Sscanf(s, "%d:%d", &m, &sec)
		if n != 2 {
			err = fmt.Errorf("not m:ss")
		}
	default:
		n, err = fmt.Sscanf(s, "%d", &sec)
		if n != 1 {
			err = fmt.Errorf("not a number of seconds")
		}
	}
	if err != nil || h < 0 || m < 0 || sec < 0 {
		return 0, usagef("position %q: give seconds, m:ss or h:mm:ss", s)
	}
	return h*3600 + m*60 + sec, nil
}

func countColons(s string) int {
	n := 0
	for _, r := range s {
		if r == ':' {
			n++
		}
	}
	return n
}
