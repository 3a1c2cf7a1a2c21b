package client

import (
	"context"
	"fmt"
)

// DemocraticService takes part in democratic play: users vote songs into
// a shared queue that the server streams as one audio stream.
type DemocraticService service

// Vote adds the user's vote for a song (putting it in the queue).
func (s *DemocraticService) Vote(ctx context.Context, song ID) error {
	return s.vote(ctx, "vote", song)
}

// Devote takes the user's vote for a song back.
func (s *DemocraticService) Devote(ctx context.Context, song ID) error {
	return s.vote(ctx, "devote", song)
}

func (s *DemocraticService) vote(ctx context.Context, method string, song ID) error {
	req, err := s.client.newRequest(ctx, "democratic", nil)
	if err != nil {
		return err
	}
	p, err := s.client.call(req.set("method", method).set("oid", string(song)))
	if err != nil {
		return err
	}
	var r struct {
		Method string `json:"method"`
		Result Bool   `json:"result"`
	}
	if err := decodeInto(p, &r); err != nil {
		return wrapErr(req.action, err)
	}
	if !r.Result {
		return wrapErr(req.action, fmt.Errorf("democratic %s: %w", method, ErrCommandFailed))
	}
	return nil
}

// Playlist returns the democratic queue with each song's votes.
func (s *DemocraticService) Playlist(ctx context.Context) (*Page[DemocraticSong], error) {
	req, err := s.client.newRequest(ctx, "democratic", nil)
	if err != nil {
		return nil, err
	}
	return doList[DemocraticSong](s.client, req.set("method", "playlist"), "song")
}

// PlayURL returns the URL that streams the democratic queue as ordinary
// audio. It carries a session token: treat it as a secret.
func (s *DemocraticService) PlayURL(ctx context.Context) (string, error) {
	req, err := s.client.newRequest(ctx, "democratic", nil)
	if err != nil {
		return "", err
	}
	p, err := s.client.call(req.set("method", "play"))
	if err != nil {
		return "", err
	}
	r, err := decodeOne[struct {
		URL string `json:"url"`
	}](p, "url")
	if err != nil {
		return "", wrapErr(req.action, err)
	}
	return r.URL, nil
}
