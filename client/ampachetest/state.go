package ampachetest

import (
	"fmt"
	"slices"
	"time"
)

// Read-back of what users did, and the remaining mutations, for tests.

// Playlist is a playlist as the server holds it.
type Playlist struct {
	ID      int
	Name    string
	Owner   string
	Public  bool
	SongIDs []int // in order, as stored (deleted songs included)
	Updated time.Time
}

func (s *Server) playlistOf(p *playlist) Playlist {
	return Playlist{ID: p.id, Name: p.name, Owner: s.usernameOf(p.owner), Public: p.public,
		SongIDs: slices.Clone(p.songs), Updated: time.Unix(p.updated, 0)}
}

// Playlists returns the playlists owned by username ("" for all), by id.
func (s *Server) Playlists(username string) []Playlist {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Playlist
	for _, p := range s.lib.playlists {
		if username == "" || s.usernameOf(p.owner) == username {
			out = append(out, s.playlistOf(p))
		}
	}
	slices.SortFunc(out, func(a, b Playlist) int { return a.ID - b.ID })
	return out
}

// PlaylistByID returns one playlist.
func (s *Server) PlaylistByID(id int) (Playlist, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.lib.playlists[id]; p != nil {
		return s.playlistOf(p), true
	}
	return Playlist{}, false
}

// AddPlaylist creates a playlist owned by an account.
func (s *Server) AddPlaylist(owner, name string, public bool, songIDs ...int) (Playlist, error) {
	a := s.accountByName(owner)
	if a == nil {
		return Playlist{}, fmt.Errorf("user %q: %w", owner, ErrNotFound)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	p := &playlist{id: l.nextPlaylist, name: name, fold: fold(name), owner: a.id, public: public,
		songs: slices.Clone(songIDs), added: now, updated: now}
	l.playlists[p.id] = p
	l.nextPlaylist++
	return s.playlistOf(p), nil
}

// UpdatePlaylist changes a playlist's name, visibility or songs.
func (s *Server) UpdatePlaylist(id int, fn func(*Playlist)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lib.playlists[id]
	if p == nil {
		return fmt.Errorf("playlist %d: %w", id, ErrNotFound)
	}
	v := s.playlistOf(p)
	fn(&v)
	p.name, p.fold, p.public, p.songs = v.Name, fold(v.Name), v.Public, slices.Clone(v.SongIDs)
	p.updated = s.now().Unix()
	return nil
}

// DeletePlaylist deletes a playlist.
func (s *Server) DeletePlaylist(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lib.playlists[id] == nil {
		return fmt.Errorf("playlist %d: %w", id, ErrNotFound)
	}
	delete(s.lib.playlists, id)
	return nil
}

// Podcast is a podcast and its episodes, newest first.
type Podcast struct {
	ID         int
	Name       string
	FeedURL    string
	EpisodeIDs []int
}

// Episode is a podcast episode.
type Episode struct {
	ID, PodcastID int
	Title         string
	Duration      time.Duration
	Published     time.Time
	Size          int64
}

// Podcasts returns the podcasts, by id.
func (s *Server) Podcasts() []Podcast {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Podcast
	for _, p := range s.lib.podcasts {
		if p != nil {
			out = append(out, Podcast{ID: p.id, Name: p.name, FeedURL: p.feedURL,
				EpisodeIDs: ids(p.episodes, func(e *episode) int { return e.id })})
		}
	}
	return out
}

func (e *episode) public() Episode {
	return Episode{ID: e.id, PodcastID: e.podcast.id, Title: e.title, Duration: e.src.duration,
		Published: time.Unix(e.pubdate, 0), Size: e.size}
}

// Episodes returns a podcast's episodes, newest first.
func (s *Server) Episodes(podcastID int) []Episode {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.lib.podcast(podcastID)
	if p == nil {
		return nil
	}
	out := make([]Episode, len(p.episodes))
	for i, e := range p.episodes {
		out[i] = e.public()
	}
	return out
}

// AddEpisode publishes a new episode of a podcast now.
func (s *Server) AddEpisode(podcastID int, title string, d time.Duration) (Episode, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lib.podcast(podcastID)
	if p == nil {
		return Episode{}, fmt.Errorf("podcast %d: %w", podcastID, ErrNotFound)
	}
	now := s.now().Unix()
	e := addEpisode(s.lib, p, title, int(d/time.Second), now, s.audio)
	p.updated, p.syncDate = now, now
	return e.public(), nil
}

// DeleteEpisode deletes an episode; deleted_podcast_episodes then lists it.
func (s *Server) DeleteEpisode(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.lib.episode(id)
	if e == nil {
		return fmt.Errorf("episode %d: %w", id, ErrNotFound)
	}
	s.lib.deleteEpisode(e, s.now().Unix())
	return nil
}

// Bookmark is a saved position.
type Bookmark struct {
	ID               int
	Owner            string
	ObjectType       string // song, podcast_episode
	ObjectID         int
	Position         time.Duration
	Client           string
	Created, Updated time.Time
}

// Bookmarks returns a user's bookmarks ("" for everyone's), by id.
func (s *Server) Bookmarks(username string) []Bookmark {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Bookmark
	for _, b := range s.lib.bookmarks {
		owner := s.usernameOf(b.owner)
		if username == "" || owner == username {
			out = append(out, Bookmark{ID: b.id, Owner: owner, ObjectType: b.objectType, ObjectID: b.objectID,
				Position: time.Duration(b.position) * time.Second, Client: b.client,
				Created: time.Unix(b.created, 0), Updated: time.Unix(b.updated, 0)})
		}
	}
	slices.SortFunc(out, func(a, b Bookmark) int { return a.ID - b.ID })
	return out
}

func (s *Server) userID(username string) int {
	if a := s.accountByName(username); a != nil {
		return a.id
	}
	return -1
}

// Rating returns a user's rating (1–5, 0 for none) of an object
// ("song", "album", "artist", "playlist", "podcast", "podcast_episode").
func (s *Server) Rating(username, objectType string, id int) int {
	uid := s.userID(username)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.lib.users[uid]; u != nil {
		return u.ratings[objKey{objectType, id}]
	}
	return 0
}

// Flagged reports whether a user flagged (favourited) an object.
func (s *Server) Flagged(username, objectType string, id int) bool {
	uid := s.userID(username)
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.lib.users[uid]
	return u != nil && u.flags[objKey{objectType, id}]
}

// PlayCount returns how often a song was played, by everyone.
func (s *Server) PlayCount(songID int) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if x := s.lib.song(songID); x != nil {
		return x.playcount
	}
	return 0
}

// LastPlayed returns when a user last played a song.
func (s *Server) LastPlayed(username string, songID int) (time.Time, bool) {
	uid := s.userID(username)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.lib.users[uid]; u != nil {
		if t, ok := u.lastPlayed[songID]; ok {
			return time.Unix(t, 0), true
		}
	}
	return time.Time{}, false
}

// Share is a public link to an object.
type Share struct {
	ID          int
	Owner       string
	ObjectType  string
	ObjectID    int
	Description string
	Secret      string
	ExpireDays  int
	Created     time.Time
	Counter     int
}

// Shares returns a user's shares ("" for everyone's), by id.
func (s *Server) Shares(username string) []Share {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Share
	for _, sh := range s.lib.shares {
		owner := s.usernameOf(sh.owner)
		if username == "" || owner == username {
			out = append(out, Share{ID: sh.id, Owner: owner, ObjectType: sh.objectType, ObjectID: sh.objectID,
				Description: sh.description, Secret: sh.secret, ExpireDays: sh.expireDays,
				Created: time.Unix(sh.created, 0), Counter: sh.counter})
		}
	}
	slices.SortFunc(out, func(a, b Share) int { return a.ID - b.ID })
	return out
}

// LocalplayEntry is an entry of the localplay queue.
type LocalplayEntry struct {
	Type string // song, podcast_episode, live_stream, democratic
	ID   int
	Name string
}

// LocalplayState is the localplay player, as of the server's clock.
type LocalplayState struct {
	State          string // "play", "pause" or "stop"
	Volume         int    // 0–100
	Repeat, Random bool
	Track          int // 1-based position of the current entry; 0 for none
	Queue          []LocalplayEntry
}

// Localplay returns the localplay player's state.
func (s *Server) Localplay() LocalplayState {
	s.mu.Lock()
	defer s.mu.Unlock()
	lp := s.lib.localplay
	lp.advance(s.now())
	st := LocalplayState{State: lp.state, Volume: lp.volume, Repeat: lp.repeat, Random: lp.random, Track: lp.current + 1}
	for _, e := range lp.queue {
		st.Queue = append(st.Queue, LocalplayEntry{Type: e.typ, ID: e.id, Name: e.name})
	}
	return st
}

// SetLocalplayRepeat and SetLocalplayRandom switch the player's modes
// (the API has no command for them; status reports them).
func (s *Server) SetLocalplayRepeat(on bool) { s.mu.Lock(); s.lib.localplay.repeat = on; s.mu.Unlock() }

// SetLocalplayRandom: see SetLocalplayRepeat.
func (s *Server) SetLocalplayRandom(on bool) { s.mu.Lock(); s.lib.localplay.random = on; s.mu.Unlock() }

// SetLocalplayMPDQuirk makes localplay behave like the MPD backend: an add
// while the player is stopped empties the queue first.
func (s *Server) SetLocalplayMPDQuirk(on bool) {
	s.mu.Lock()
	s.lib.localplay.mpdQuirk = on
	s.mu.Unlock()
}

// DemocraticEntry is a song in the democratic queue.
type DemocraticEntry struct {
	SongID int
	Votes  int
	Voters []string
}

// Democratic returns the democratic queue in play order.
func (s *Server) Democratic() []DemocraticEntry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d := s.lib.democratic
	var out []DemocraticEntry
	for _, id := range d.order() {
		e := DemocraticEntry{SongID: id, Votes: len(d.votes[id])}
		for uid := range d.votes[id] {
			e.Voters = append(e.Voters, s.usernameOf(uid))
		}
		slices.Sort(e.Voters)
		out = append(out, e)
	}
	return out
}
