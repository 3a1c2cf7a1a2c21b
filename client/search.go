package client

import (
	"context"
	"errors"
	"net/url"
	"strconv"
)

// SearchService searches the library: search_group (API6), search_songs,
// and advanced_search with rules.
type SearchService service

// Match joins the rules of a search.
type Match string

// How rules are joined.
const (
	MatchAll Match = "and" // every rule must match
	MatchAny Match = "or"  // one rule is enough
)

// Operators for text rules (title, artist, album, anywhere, ...).
const (
	TextContains       = 0
	TextNotContains    = 1
	TextStartsWith     = 2
	TextEndsWith       = 3
	TextIs             = 4
	TextIsNot          = 5
	TextSoundsLike     = 6
	TextNotSoundsLike  = 7
	TextMatchesRegexp  = 8
	TextNotMatchRegexp = 9
)

// Operators for numeric rules (year, rating, played_times, ...).
const (
	NumAtLeast   = 0 // >=
	NumAtMost    = 1 // <=
	NumEquals    = 2
	NumNotEquals = 3
	NumGreater   = 4
	NumLess      = 5
)

// Rule is one rule of an advanced search: rule_N, rule_N_operator and
// rule_N_input. Which fields exist depends on what is searched; see the
// Ampache advanced search documentation (e.g. "title", "artist", "album",
// "anywhere", "year", "myrating", "favorite", "played_times").
type Rule struct {
	Field    string // rule_N
	Operator int    // rule_N_operator: a Text* or Num* constant
	Input    string // rule_N_input
	Subtype  string // rule_N_subtype, for metadata rules only
}

// Rules are the rules of a search and how they are joined.
type Rules struct {
	Match Match  `url:"-"` // MatchAll (the default) or MatchAny
	Rules []Rule `url:"-"`
}

// appendQuery sends operator= and the rule_N triples.
func (r *Rules) appendQuery(v url.Values) error {
	if len(r.Rules) == 0 {
		return errors.New("a search needs at least one rule")
	}
	match := r.Match
	if match == "" {
		match = MatchAll
	}
	v.Set("operator", string(match))
	for i, rule := range r.Rules {
		n := "rule_" + strconv.Itoa(i+1)
		v.Set(n, rule.Field)
		v.Set(n+"_operator", strconv.Itoa(rule.Operator))
		v.Set(n+"_input", rule.Input)
		if rule.Subtype != "" {
			v.Set(n+"_subtype", rule.Subtype)
		}
	}
	return nil
}

// AdvancedSearch is a search with rules for one type of object.
type AdvancedSearch struct {
	Rules
	Random bool `url:"random,omitempty"` // results in random order
	ListOptions
}

// GroupType selects the object types search_group returns.
type GroupType string

// Search groups.
const (
	GroupAll         GroupType = "all"          // songs, albums, artists, playlists, podcasts, episodes, genres, users, labels
	GroupMusic       GroupType = "music"        // songs, albums, artists
	GroupSongArtist  GroupType = "song_artist"  // songs, albums, song artists
	GroupAlbumArtist GroupType = "album_artist" // songs, albums, album artists
	GroupPodcast     GroupType = "podcast"      // podcasts, episodes
)

// GroupSearch is a search over several object types at once. Offset and
// Limit apply to each type.
type GroupSearch struct {
	Rules
	Type   GroupType `url:"type,omitempty"` // default GroupAll
	Random bool      `url:"random,omitempty"`
	ListOptions
}

// Songs searches songs by text (search_songs): title, album, artist...
func (s *SearchService) Songs(ctx context.Context, text string, opts *ListOptions) (*Page[Song], error) {
	req, err := s.client.newRequest(ctx, "search_songs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Song](s.client, req.set("filter", text), "song")
}

// AdvancedSongs searches songs with rules.
func (s *SearchService) AdvancedSongs(ctx context.Context, q *AdvancedSearch) (*Page[Song], error) {
	return advanced[Song](ctx, s.client, TypeSong, q)
}

// AdvancedAlbums searches albums with rules.
func (s *SearchService) AdvancedAlbums(ctx context.Context, q *AdvancedSearch) (*Page[Album], error) {
	return advanced[Album](ctx, s.client, TypeAlbum, q)
}

// AdvancedArtists searches artists with rules.
func (s *SearchService) AdvancedArtists(ctx context.Context, q *AdvancedSearch) (*Page[Artist], error) {
	return advanced[Artist](ctx, s.client, TypeArtist, q)
}

// AdvancedPlaylists searches playlists with rules.
func (s *SearchService) AdvancedPlaylists(ctx context.Context, q *AdvancedSearch) (*Page[Playlist], error) {
	return advanced[Playlist](ctx, s.client, TypePlaylist, q)
}

// AdvancedPodcasts searches podcasts with rules (Ampache 5.5+).
func (s *SearchService) AdvancedPodcasts(ctx context.Context, q *AdvancedSearch) (*Page[Podcast], error) {
	return advanced[Podcast](ctx, s.client, TypePodcast, q)
}

// AdvancedPodcastEpisodes searches podcast episodes with rules (Ampache 5.5+).
func (s *SearchService) AdvancedPodcastEpisodes(ctx context.Context, q *AdvancedSearch) (*Page[PodcastEpisode], error) {
	return advanced[PodcastEpisode](ctx, s.client, TypePodcastEpisode, q)
}

// AdvancedGenres searches genres with rules.
func (s *SearchService) AdvancedGenres(ctx context.Context, q *AdvancedSearch) (*Page[Genre], error) {
	return advanced[Genre](ctx, s.client, TypeGenre, q)
}

func advanced[T any](ctx context.Context, c *Client, typ ObjectType, q *AdvancedSearch) (*Page[T], error) {
	req, err := c.newRequest(ctx, "advanced_search", q)
	if err != nil {
		return nil, err
	}
	return doList[T](c, req.set("type", string(typ)), string(typ), "tag")
}

// Group searches several object types at once. On API6 it is one
// search_group call; on older servers it runs advanced_search for each
// type of the group and leaves out the types whose rules that server
// rejects as bad requests.
func (s *SearchService) Group(ctx context.Context, q *GroupSearch) (*SearchResults, error) {
	const action = "search_group"
	if q == nil {
		return nil, wrapErr(action, errors.New("nil search"))
	}
	if s.client.apiMajor() == 0 {
		if _, err := s.client.sessionToken(ctx); err != nil {
			return nil, wrapErr(action, err)
		}
	}
	if s.client.apiMajor() < 6 {
		return s.groupFallback(ctx, q)
	}
	req, err := s.client.newRequest(ctx, action, q)
	if err != nil {
		return nil, err
	}
	p, err := s.client.call(req)
	if err != nil {
		return nil, err
	}
	r, err := decodeOne[struct {
		Search SearchResults `json:"search"`
	}](p, "search_group")
	if err != nil {
		return nil, wrapErr(action, err)
	}
	return &r.Search, nil
}

// groupFallback emulates search_group with one advanced_search per type.
func (s *SearchService) groupFallback(ctx context.Context, q *GroupSearch) (*SearchResults, error) {
	adv := &AdvancedSearch{Rules: q.Rules, Random: q.Random, ListOptions: q.ListOptions}
	var r SearchResults
	step := func(err error) error {
		if errors.Is(err, ErrBadRequest) || errors.Is(err, ErrMissingMethod) {
			return nil // this server cannot search this type with these rules
		}
		return err
	}
	grp := q.Type
	if grp == "" {
		grp = GroupAll
	}
	run := func(types ...ObjectType) error {
		for _, t := range types {
			var err error
			switch t {
			case TypeSong:
				var p *Page[Song]
				if p, err = s.AdvancedSongs(ctx, adv); err == nil {
					r.Songs = p.Items
				}
			case TypeAlbum:
				var p *Page[Album]
				if p, err = s.AdvancedAlbums(ctx, adv); err == nil {
					r.Albums = p.Items
				}
			case TypeArtist:
				var p *Page[Artist]
				if p, err = s.AdvancedArtists(ctx, adv); err == nil {
					r.Artists = p.Items
				}
			case TypePlaylist:
				var p *Page[Playlist]
				if p, err = s.AdvancedPlaylists(ctx, adv); err == nil {
					r.Playlists = p.Items
				}
			case TypePodcast:
				var p *Page[Podcast]
				if p, err = s.AdvancedPodcasts(ctx, adv); err == nil {
					r.Podcasts = p.Items
				}
			case TypePodcastEpisode:
				var p *Page[PodcastEpisode]
				if p, err = s.AdvancedPodcastEpisodes(ctx, adv); err == nil {
					r.PodcastEpisodes = p.Items
				}
			}
			if err = step(err); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	switch grp {
	case GroupPodcast:
		err = run(TypePodcast, TypePodcastEpisode)
	case GroupMusic, GroupSongArtist, GroupAlbumArtist:
		err = run(TypeSong, TypeAlbum, TypeArtist)
	default:
		err = run(TypeSong, TypeAlbum, TypeArtist, TypePlaylist, TypePodcast, TypePodcastEpisode)
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}
