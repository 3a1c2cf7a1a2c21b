package ampachetest

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Library records as tests see them. Changing a returned value changes
// nothing on the server: use the Add/Update/Delete methods.

// Song is a song of the library.
type Song struct {
	ID, AlbumID, ArtistID int
	Title                 string
	Track, Disc, Year     int
	Genres                []string
	Duration              time.Duration
	Format                string // mp3, flac, ogg or wav
	Size                  int64
	PlayCount             int
	Added, Updated        time.Time
}

// Album is an album of the library.
type Album struct {
	ID, ArtistID   int
	Name           string
	Year           int
	Genres         []string
	SongIDs        []int // by disc and track
	Added, Updated time.Time
}

// Artist is an artist of the library.
type Artist struct {
	ID             int
	Name           string
	AlbumIDs       []int
	Added, Updated time.Time
}

// NewSong describes a song to add to an album.
type NewSong struct {
	AlbumID     int
	Title       string
	Track, Disc int           // Disc 0 means 1
	Duration    time.Duration // default 3 minutes
	Format      string        // mp3 (default), flac, ogg or wav
	Genres      []string      // default: the album's
}

// ErrNotFound is returned for an id the server does not have.
var ErrNotFound = errors.New("ampachetest: no such object")

func namesOf(gs []*genre) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.name
	}
	return out
}

func (s *song) public() Song {
	return Song{ID: s.id, AlbumID: s.album.id, ArtistID: s.artist.id, Title: s.title, Track: s.track,
		Disc: s.disc, Year: s.year, Genres: namesOf(s.genres), Duration: s.src.duration,
		Format: s.src.format, Size: s.size, PlayCount: s.playcount,
		Added: time.Unix(s.added, 0), Updated: time.Unix(s.updated, 0)}
}

func (a *album) public() Album {
	return Album{ID: a.id, ArtistID: a.artist.id, Name: a.name, Year: a.year, Genres: namesOf(a.genres),
		SongIDs: ids(a.songs, songID), Added: time.Unix(a.added, 0), Updated: time.Unix(a.updated, 0)}
}

func (a *artist) public() Artist {
	return Artist{ID: a.id, Name: a.name, AlbumIDs: ids(a.albums, albumID),
		Added: time.Unix(a.added, 0), Updated: time.Unix(a.updated, 0)}
}

// Songs returns every song, by id.
func (s *Server) Songs() []Song {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Song, 0, s.lib.nSongs)
	for _, x := range s.lib.songs {
		if x != nil {
			out = append(out, x.public())
		}
	}
	return out
}

// Song returns one song.
func (s *Server) Song(id int) (Song, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if x := s.lib.song(id); x != nil {
		return x.public(), true
	}
	return Song{}, false
}

// Albums returns every album, by id.
func (s *Server) Albums() []Album {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Album, 0, s.lib.nAlbums)
	for _, x := range s.lib.albums {
		if x != nil {
			out = append(out, x.public())
		}
	}
	return out
}

// Album returns one album.
func (s *Server) Album(id int) (Album, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if x := s.lib.album(id); x != nil {
		return x.public(), true
	}
	return Album{}, false
}

// Artists returns every artist, by id.
func (s *Server) Artists() []Artist {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Artist, 0, s.lib.nArtists)
	for _, x := range s.lib.artists {
		if x != nil {
			out = append(out, x.public())
		}
	}
	return out
}

// Artist returns one artist.
func (s *Server) Artist(id int) (Artist, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if x := s.lib.artist(id); x != nil {
		return x.public(), true
	}
	return Artist{}, false
}

// GenreNames returns the genres, by name.
func (s *Server) GenreNames() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return namesOf(s.lib.genresByName)
}

// touch marks records changed now, for the update filters.
func (l *library) touch(now int64, songs []*song, albums []*album, artists []*artist) {
	for _, x := range songs {
		x.updated = now
	}
	for _, x := range albums {
		x.updated = now
	}
	for _, x := range artists {
		x.updated = now
	}
	l.lastUpdate = now
	l.genreCountsStale = true
}

// AddArtist adds an artist with no albums.
func (s *Server) AddArtist(name string) Artist {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	a := &artist{id: len(l.artists), name: name, fold: fold(name), hasArt: true, added: now, updated: now}
	l.artists = append(l.artists, a)
	l.artistsByName = insertSorted(l.artistsByName, a, artistLess)
	l.nArtists++
	l.lastAdd = now
	return a.public()
}

// AddAlbum adds an empty album by an artist.
func (s *Server) AddAlbum(artistID int, name string, year int, genres ...string) (Album, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	ar := l.artist(artistID)
	if ar == nil {
		return Album{}, fmt.Errorf("artist %d: %w", artistID, ErrNotFound)
	}
	a := &album{id: len(l.albums), name: name, fold: fold(name), artist: ar, year: year,
		releaseType: "album", hasArt: true, added: now, updated: now}
	for _, g := range genres {
		a.genres = append(a.genres, l.genreNamed(g))
	}
	if len(a.genres) == 0 {
		a.genres = ar.genres
	}
	l.albums = append(l.albums, a)
	l.albumsByName = insertSorted(l.albumsByName, a, albumLess)
	l.nAlbums++
	ar.albums = append(ar.albums, a)
	l.touch(now, nil, nil, []*artist{ar})
	l.lastAdd = now
	return a.public(), nil
}

// AddSong adds a song to an album. Its audio is the tune, looped to its
// duration, in its format.
func (s *Server) AddSong(ns NewSong) (Song, error) {
	if ns.Format == "" {
		ns.Format = "mp3"
	}
	if !transcodable(ns.Format) {
		return Song{}, fmt.Errorf("ampachetest: format %q: want mp3, flac, ogg or wav", ns.Format)
	}
	if ns.Duration <= 0 {
		ns.Duration = 3 * time.Minute
	}
	ns.Duration = ns.Duration.Truncate(time.Second)
	if ns.Disc <= 0 {
		ns.Disc = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	a := l.album(ns.AlbumID)
	if a == nil {
		return Song{}, fmt.Errorf("album %d: %w", ns.AlbumID, ErrNotFound)
	}
	tune := s.audio.clip("tune")
	x := &song{id: len(l.songs), title: ns.Title, fold: fold(ns.Title), album: a, artist: a.artist,
		disc: ns.Disc, track: ns.Track, year: a.year, genres: a.genres, seconds: int(ns.Duration / time.Second),
		src:   audioSource{clip: tune, format: ns.Format, duration: ns.Duration},
		added: now, updated: now, rgTrackGain: nan32(), rgTrackPeak: nan32(), rgAlbumGain: nan32(), rgAlbumPeak: nan32()}
	if len(ns.Genres) > 0 {
		x.genres = nil
		for _, g := range ns.Genres {
			x.genres = append(x.genres, l.genreNamed(g))
		}
	}
	finishSong(x, s.audio)
	l.songs = append(l.songs, x)
	l.songsByTitle = insertSorted(l.songsByTitle, x, songLess)
	l.nSongs++
	a.songs = append(a.songs, x)
	sortAlbumSongs(a)
	l.touch(now, nil, []*album{a}, []*artist{a.artist})
	x.updated = now
	l.lastAdd = now
	return x.public(), nil
}

func sortAlbumSongs(a *album) {
	slices.SortStableFunc(a.songs, func(x, y *song) int {
		if x.disc != y.disc {
			return x.disc - y.disc
		}
		return x.track - y.track
	})
}

// UpdateSong changes a song's title, track, disc, year or genres (the
// other fields of the Song given to fn are ignored) and marks it updated.
func (s *Server) UpdateSong(id int, fn func(*Song)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	x := l.song(id)
	if x == nil {
		return fmt.Errorf("song %d: %w", id, ErrNotFound)
	}
	v := x.public()
	fn(&v)
	if v.Title != x.title {
		l.songsByTitle = removeSorted(l.songsByTitle, x, songLess)
		x.title, x.fold = v.Title, fold(v.Title)
		l.songsByTitle = insertSorted(l.songsByTitle, x, songLess)
	}
	x.track, x.disc, x.year = v.Track, max(v.Disc, 1), v.Year
	if !slices.Equal(v.Genres, namesOf(x.genres)) {
		x.genres = nil
		for _, g := range v.Genres {
			x.genres = append(x.genres, l.genreNamed(g))
		}
	}
	sortAlbumSongs(x.album)
	finishSong(x, s.audio)
	l.touch(now, []*song{x}, []*album{x.album}, []*artist{x.artist})
	return nil
}

// removeSong takes a song out of the library, remembering it for
// deleted_songs.
func (l *library) removeSong(x *song, now int64) {
	l.songs[x.id] = nil
	l.songsByTitle = removeSorted(l.songsByTitle, x, songLess)
	l.nSongs--
	x.album.songs = slices.DeleteFunc(x.album.songs, func(y *song) bool { return y == x })
	l.democratic.devoteAll(x.id)
	l.deletedSongs = append(l.deletedSongs, deletedSong{id: x.id, title: x.title, file: x.path(),
		album: x.album.id, artist: x.artist.id, added: x.added, deleted: now, playcount: x.playcount})
	l.lastClean = now
}

func (d *democraticState) devoteAll(songID int) { delete(d.votes, songID) }

// DeleteSong deletes a song; deleted_songs then lists it.
func (s *Server) DeleteSong(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	x := l.song(id)
	if x == nil {
		return fmt.Errorf("song %d: %w", id, ErrNotFound)
	}
	l.removeSong(x, now)
	l.touch(now, nil, []*album{x.album}, []*artist{x.artist})
	return nil
}

// UpdateAlbum changes an album's name, year or genres; its songs count as
// updated too (their album changed).
func (s *Server) UpdateAlbum(id int, fn func(*Album)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	a := l.album(id)
	if a == nil {
		return fmt.Errorf("album %d: %w", id, ErrNotFound)
	}
	v := a.public()
	fn(&v)
	if v.Name != a.name {
		l.albumsByName = removeSorted(l.albumsByName, a, albumLess)
		a.name, a.fold = v.Name, fold(v.Name)
		l.albumsByName = insertSorted(l.albumsByName, a, albumLess)
	}
	a.year = v.Year
	if !slices.Equal(v.Genres, namesOf(a.genres)) {
		a.genres = nil
		for _, g := range v.Genres {
			a.genres = append(a.genres, l.genreNamed(g))
		}
	}
	for _, x := range a.songs {
		finishSong(x, s.audio)
	}
	l.touch(now, a.songs, []*album{a}, []*artist{a.artist})
	return nil
}

// DeleteAlbum deletes an album and its songs.
func (s *Server) DeleteAlbum(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	a := l.album(id)
	if a == nil {
		return fmt.Errorf("album %d: %w", id, ErrNotFound)
	}
	l.removeAlbum(a, now)
	l.touch(now, nil, nil, []*artist{a.artist})
	return nil
}

func (l *library) removeAlbum(a *album, now int64) {
	for _, x := range slices.Clone(a.songs) {
		l.removeSong(x, now)
	}
	l.albums[a.id] = nil
	l.albumsByName = removeSorted(l.albumsByName, a, albumLess)
	l.nAlbums--
	a.artist.albums = slices.DeleteFunc(a.artist.albums, func(y *album) bool { return y == a })
}

// UpdateArtist renames an artist; its albums and songs count as updated.
func (s *Server) UpdateArtist(id int, fn func(*Artist)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	a := l.artist(id)
	if a == nil {
		return fmt.Errorf("artist %d: %w", id, ErrNotFound)
	}
	v := a.public()
	fn(&v)
	if v.Name != a.name {
		l.artistsByName = removeSorted(l.artistsByName, a, artistLess)
		a.name, a.fold = v.Name, fold(v.Name)
		l.artistsByName = insertSorted(l.artistsByName, a, artistLess)
	}
	songs := artistSongs(a)
	for _, x := range songs {
		finishSong(x, s.audio)
	}
	l.touch(now, songs, a.albums, []*artist{a})
	return nil
}

// DeleteArtist deletes an artist with its albums and songs.
func (s *Server) DeleteArtist(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, now := s.lib, s.now().Unix()
	a := l.artist(id)
	if a == nil {
		return fmt.Errorf("artist %d: %w", id, ErrNotFound)
	}
	for _, al := range slices.Clone(a.albums) {
		l.removeAlbum(al, now)
	}
	l.artists[id] = nil
	l.artistsByName = removeSorted(l.artistsByName, a, artistLess)
	l.nArtists--
	l.touch(now, nil, nil, nil)
	return nil
}
