package client

import (
	"context"
	"strconv"
)

// SharesService manages public links to songs, albums, playlists...
type SharesService service

// ShareListOptions are the parameters of List.
type ShareListOptions struct {
	Filter string `url:"filter,omitempty"`
	Exact  bool   `url:"exact,omitempty"`
	SortOptions
	ListOptions
}

// ShareEditOptions are the changes Edit makes; nil and empty fields are
// left alone.
type ShareEditOptions struct {
	Stream      *bool  `url:"stream"`   // allow streaming
	Download    *bool  `url:"download"` // allow downloading
	ExpireDays  *int   `url:"expires"`  // days from now; 0 never
	Description string `url:"description,omitempty"`
}

// List lists the shares the user may see.
func (s *SharesService) List(ctx context.Context, opts *ShareListOptions) (*Page[Share], error) {
	req, err := s.client.newRequest(ctx, "shares", opts)
	if err != nil {
		return nil, err
	}
	return doList[Share](s.client, req, "share")
}

// Get returns one share.
func (s *SharesService) Get(ctx context.Context, id ID) (*Share, error) {
	req, err := s.client.newRequest(ctx, "share", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Share](s.client, req.set("filter", string(id)), "share")
}

// Create makes a public link to an object. description "" lets the server
// fill one in; expireDays 0 uses the server's default.
func (s *SharesService) Create(ctx context.Context, object ID, typ ObjectType, description string, expireDays int) (*Share, error) {
	req, err := s.client.newRequest(ctx, "share_create", nil)
	if err != nil {
		return nil, err
	}
	req.set("filter", string(object)).set("type", string(typ))
	if description != "" {
		req.set("description", description)
	}
	if expireDays > 0 {
		req.set("expires", strconv.Itoa(expireDays))
	}
	return doOne[Share](s.client, req, "share")
}

// Edit changes a share.
func (s *SharesService) Edit(ctx context.Context, id ID, opts *ShareEditOptions) error {
	req, err := s.client.newRequest(ctx, "share_edit", opts)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}

// Delete deletes a share.
func (s *SharesService) Delete(ctx context.Context, id ID) error {
	req, err := s.client.newRequest(ctx, "share_delete", nil)
	if err != nil {
		return err
	}
	return doAck(s.client, req.set("filter", string(id)))
}
