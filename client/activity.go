package client

import (
	"context"
	"strconv"
	"time"
)

// ActivityService records what the user does: ratings, favourites, plays
// and scrobbles, and shows what everyone is playing.
type ActivityService service

// RecordPlayOptions are the optional parameters of RecordPlay.
type RecordPlayOptions struct {
	User   ID        `url:"user,omitempty"`      // another user (admin only); default the session's
	Client string    `url:"client,omitempty"`    // the agent name to record
	Date   time.Time `url:"date,omitempty,unix"` // when it was played; default now
}

// Scrobble describes a play by its tags, for Scrobble.
type Scrobble struct {
	Song       string    `url:"song"`
	Artist     string    `url:"artist"`
	Album      string    `url:"album"`
	SongMBID   string    `url:"songmbid,omitempty"`
	ArtistMBID string    `url:"artistmbid,omitempty"`
	AlbumMBID  string    `url:"albummbid,omitempty"`
	Date       time.Time `url:"date,omitempty,unix"`
	Client     string    `url:"client,omitempty"`
}

// Rate sets the user's rating of an object, 0 (none) to 5.
func (s *ActivityService) Rate(ctx context.Context, typ ObjectType, id ID, rating int) error {
	req, err := s.client.newRequest(ctx, "rate", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("type", string(typ)).set("id", string(id)).set("rating", strconv.Itoa(rating)))
}

// Flag marks an object as a favourite (flag true) or not.
func (s *ActivityService) Flag(ctx context.Context, typ ObjectType, id ID, flag bool) error {
	req, err := s.client.newRequest(ctx, "flag", nil)
	if err != nil {
		return err
	}
	v := "0"
	if flag {
		v = "1"
	}
	// id for every server, filter for Ampache 7.9+ where id is deprecated.
	return doAck(s.client, req.set("type", string(typ)).set("id", string(id)).set("filter", string(id)).set("flag", v))
}

// RecordPlay records a play of a song (record_play).
func (s *ActivityService) RecordPlay(ctx context.Context, id ID, opts *RecordPlayOptions) error {
	req, err := s.client.newRequest(ctx, "record_play", opts)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("id", string(id)).set("filter", string(id)))
}

// Scrobble records a play of a song found by its tags.
func (s *ActivityService) Scrobble(ctx context.Context, play *Scrobble) error {
	req, err := s.client.newRequest(ctx, "scrobble", play)
	if err != nil {
		return err
	}
	return doAck(s.client, req)
}

// NowPlaying lists what users are playing now (API6).
func (s *ActivityService) NowPlaying(ctx context.Context) (*Page[NowPlaying], error) {
	req, err := s.client.newRequest(ctx, "now_playing", nil)
	if err != nil {
		return nil, err
	}
	return doList[NowPlaying](s.client, req, "now_playing")
}
