package client

import (
	"context"
	"iter"
)

// LibraryService reads the music library: artists, albums, songs, genres,
// statistics, similar items and live streams.
type LibraryService service

// ArtistListOptions are the parameters of Artists.
type ArtistListOptions struct {
	Filter      string   `url:"filter,omitempty"`       // name contains this text
	Exact       bool     `url:"exact,omitempty"`        // name is exactly Filter
	AlbumArtist bool     `url:"album_artist,omitempty"` // album artists only
	Include     []string `url:"include,omitempty"`      // IncludeAlbums, IncludeSongs
	DateFilter
	SortOptions
	ListOptions
}

// ArtistOptions are the parameters of Artist.
type ArtistOptions struct {
	Include []string `url:"include,omitempty"` // IncludeAlbums, IncludeSongs
}

// ArtistAlbumsOptions are the parameters of ArtistAlbums.
type ArtistAlbumsOptions struct {
	AlbumArtist bool `url:"album_artist,omitempty"` // only albums where the artist is the album artist
	SortOptions
	ListOptions
}

// ArtistSongsOptions are the parameters of ArtistSongs.
type ArtistSongsOptions struct {
	Top50 bool `url:"top50,omitempty"` // the artist's 50 most played songs
	SortOptions
	ListOptions
}

// AlbumListOptions are the parameters of Albums.
type AlbumListOptions struct {
	Filter  string   `url:"filter,omitempty"`
	Exact   bool     `url:"exact,omitempty"`
	Include []string `url:"include,omitempty"` // IncludeSongs
	DateFilter
	SortOptions
	ListOptions
}

// AlbumOptions are the parameters of Album.
type AlbumOptions struct {
	Include []string `url:"include,omitempty"` // IncludeSongs
}

// SongListOptions are the parameters of Songs.
type SongListOptions struct {
	Filter string `url:"filter,omitempty"` // title contains this text
	Exact  bool   `url:"exact,omitempty"`
	DateFilter
	SortOptions
	ListOptions
}

// GenreListOptions are the parameters of Genres.
type GenreListOptions struct {
	Filter string `url:"filter,omitempty"`
	Exact  bool   `url:"exact,omitempty"`
	SortOptions
	ListOptions
}

// ChildListOptions page the children of an object (an album's songs, a
// genre's artists...).
type ChildListOptions struct {
	SortOptions
	ListOptions
}

// LiveStreamListOptions are the parameters of LiveStreams.
type LiveStreamListOptions struct {
	Filter string `url:"filter,omitempty"`
	Exact  bool   `url:"exact,omitempty"`
	SortOptions
	ListOptions
}

// StatsFilter selects what Stats returns.
type StatsFilter string

// Stats filters.
const (
	StatsNewest    StatsFilter = "newest"
	StatsHighest   StatsFilter = "highest"
	StatsFrequent  StatsFilter = "frequent"
	StatsRecent    StatsFilter = "recent"
	StatsForgotten StatsFilter = "forgotten"
	StatsFlagged   StatsFilter = "flagged"
	StatsRandom    StatsFilter = "random"
)

// StatsOptions are the parameters of the Stat* methods. The server's
// default Limit is its popular_threshold (often 10); -1 asks for all.
type StatsOptions struct {
	Filter   StatsFilter `url:"filter,omitempty"` // default random
	UserID   ID          `url:"user_id,omitempty"`
	Username string      `url:"username,omitempty"`
	ListOptions
}

// Artists lists artists.
func (s *LibraryService) Artists(ctx context.Context, opts *ArtistListOptions) (*Page[Artist], error) {
	req, err := s.client.newRequest(ctx, "artists", opts)
	if err != nil {
		return nil, err
	}
	return doList[Artist](s.client, req, "artist")
}

// AllArtists iterates over every artist, page by page.
func (s *LibraryService) AllArtists(ctx context.Context, opts *ArtistListOptions) iter.Seq2[Artist, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Artist], error) { return s.Artists(ctx, o) })
}

// Artist returns one artist.
func (s *LibraryService) Artist(ctx context.Context, id ID, opts *ArtistOptions) (*Artist, error) {
	req, err := s.client.newRequest(ctx, "artist", opts)
	if err != nil {
		return nil, err
	}
	return doOne[Artist](s.client, req.set("filter", string(id)), "artist")
}

// ArtistAlbums lists the albums of an artist.
func (s *LibraryService) ArtistAlbums(ctx context.Context, id ID, opts *ArtistAlbumsOptions) (*Page[Album], error) {
	req, err := s.client.newRequest(ctx, "artist_albums", opts)
	if err != nil {
		return nil, err
	}
	return doList[Album](s.client, req.set("filter", string(id)), "album")
}

// ArtistSongs lists the songs of an artist.
func (s *LibraryService) ArtistSongs(ctx context.Context, id ID, opts *ArtistSongsOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "artist_songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("filter", string(id)), "song")
}

// Albums lists albums.
func (s *LibraryService) Albums(ctx context.Context, opts *AlbumListOptions) (*Page[Album], error) {
	req, err := s.client.newRequest(ctx, "albums", opts)
	if err != nil {
		return nil, err
	}
	return doList[Album](s.client, req, "album")
}

// AllAlbums iterates over every album, page by page.
func (s *LibraryService) AllAlbums(ctx context.Context, opts *AlbumListOptions) iter.Seq2[Album, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Album], error) { return s.Albums(ctx, o) })
}

// Album returns one album.
func (s *LibraryService) Album(ctx context.Context, id ID, opts *AlbumOptions) (*Album, error) {
	req, err := s.client.newRequest(ctx, "album", opts)
	if err != nil {
		return nil, err
	}
	return doOne[Album](s.client, req.set("filter", string(id)), "album")
}

// AlbumSongs lists the songs of an album.
func (s *LibraryService) AlbumSongs(ctx context.Context, id ID, opts *ChildListOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "album_songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("filter", string(id)), "song")
}

// Songs lists songs.
func (s *LibraryService) Songs(ctx context.Context, opts *SongListOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req, "song")
}

// AllSongs iterates over every song, page by page (MaxPageSize songs a
// request unless opts sets a Limit).
func (s *LibraryService) AllSongs(ctx context.Context, opts *SongListOptions) iter.Seq2[Song, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Song], error) { return s.Songs(ctx, o) })
}

// Song returns one song.
func (s *LibraryService) Song(ctx context.Context, id ID) (*Song, error) {
	req, err := s.client.newRequest(ctx, "song", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Song](s.client, req.set("filter", string(id)), "song")
}

// URLToSong returns the song a play URL of this server points to.
func (s *LibraryService) URLToSong(ctx context.Context, playURL string) (*Song, error) {
	req, err := s.client.newRequest(ctx, "url_to_song", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Song](s.client, req.set("url", playURL), "song")
}

// Genres lists genres.
func (s *LibraryService) Genres(ctx context.Context, opts *GenreListOptions) (*Page[Genre], error) {
	req, err := s.client.newRequest(ctx, "genres", opts)
	if err != nil {
		return nil, err
	}
	return doList[Genre](s.client, req, "genre", "tag")
}

// AllGenres iterates over every genre, page by page.
func (s *LibraryService) AllGenres(ctx context.Context, opts *GenreListOptions) iter.Seq2[Genre, error] {
	o := copyOf(opts)
	return iterate(ctx, &o.ListOptions, func(ctx context.Context) (*Page[Genre], error) { return s.Genres(ctx, o) })
}

// Genre returns one genre.
func (s *LibraryService) Genre(ctx context.Context, id ID) (*Genre, error) {
	req, err := s.client.newRequest(ctx, "genre", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Genre](s.client, req.set("filter", string(id)), "genre", "tag")
}

// GenreArtists lists the artists of a genre.
func (s *LibraryService) GenreArtists(ctx context.Context, id ID, opts *ChildListOptions) (*Page[Artist], error) {
	req, err := s.client.newRequest(ctx, "genre_artists", opts)
	if err != nil {
		return nil, err
	}
	return doList[Artist](s.client, req.set("filter", string(id)), "artist")
}

// GenreAlbums lists the albums of a genre.
func (s *LibraryService) GenreAlbums(ctx context.Context, id ID, opts *ChildListOptions) (*Page[Album], error) {
	req, err := s.client.newRequest(ctx, "genre_albums", opts)
	if err != nil {
		return nil, err
	}
	return doList[Album](s.client, req.set("filter", string(id)), "album")
}

// GenreSongs lists the songs of a genre.
func (s *LibraryService) GenreSongs(ctx context.Context, id ID, opts *ChildListOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "genre_songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("filter", string(id)), "song")
}

// StatSongs returns songs picked by opts.Filter: newest, highest rated,
// most played, recently played, forgotten, flagged or random.
func (s *LibraryService) StatSongs(ctx context.Context, opts *StatsOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "stats", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("type", string(TypeSong)), "song")
}

// StatAlbums is StatSongs for albums.
func (s *LibraryService) StatAlbums(ctx context.Context, opts *StatsOptions) (*Page[Album], error) {
	req, err := s.client.newRequest(ctx, "stats", opts)
	if err != nil {
		return nil, err
	}
	return doList[Album](s.client, req.set("type", string(TypeAlbum)), "album")
}

// StatArtists is StatSongs for artists.
func (s *LibraryService) StatArtists(ctx context.Context, opts *StatsOptions) (*Page[Artist], error) {
	req, err := s.client.newRequest(ctx, "stats", opts)
	if err != nil {
		return nil, err
	}
	return doList[Artist](s.client, req.set("type", string(TypeArtist)), "artist")
}

// SimilarSongs returns songs similar to a song (from the server's last.fm
// data; empty without it).
func (s *LibraryService) SimilarSongs(ctx context.Context, id ID, opts *ListOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "get_similar", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("type", string(TypeSong)).set("filter", string(id)), "song")
}

// SimilarArtists returns artists similar to an artist.
func (s *LibraryService) SimilarArtists(ctx context.Context, id ID, opts *ListOptions) (*Page[Artist], error) {
	req, err := s.client.newRequest(ctx, "get_similar", opts)
	if err != nil {
		return nil, err
	}
	return doList[Artist](s.client, req.set("type", string(TypeArtist)).set("filter", string(id)), "artist")
}

// LiveStreams lists the internet radio stations (API5+).
func (s *LibraryService) LiveStreams(ctx context.Context, opts *LiveStreamListOptions) (*Page[LiveStream], error) {
	req, err := s.client.newRequest(ctx, "live_streams", opts)
	if err != nil {
		return nil, err
	}
	return doList[LiveStream](s.client, req, "live_stream")
}

// LiveStream returns one internet radio station (API5+).
func (s *LibraryService) LiveStream(ctx context.Context, id ID) (*LiveStream, error) {
	req, err := s.client.newRequest(ctx, "live_stream", nil)
	if err != nil {
		return nil, err
	}
	return doOne[LiveStream](s.client, req.set("filter", string(id)), "live_stream")
}

// copyOf returns a copy of *opts (or a zero value), so an iterator can page
// without touching the caller's options.
func copyOf[T any](opts *T) *T {
	o := new(T)
	if opts != nil {
		*o = *opts
	}
	return o
}
