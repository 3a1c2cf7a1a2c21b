package client

import "context"

// UsersService reads user accounts.
type UsersService service

// CatalogsService reads the server's catalogs.
type CatalogsService service

// Get returns a user's public information; username "" means the
// session's own user (its name is sent when known, as servers before API6
// require it).
func (s *UsersService) Get(ctx context.Context, username string) (*User, error) {
	req, err := s.client.newRequest(ctx, "user", nil)
	if err != nil {
		return nil, err
	}
	if username == "" {
		if _, err := s.client.sessionToken(ctx); err != nil {
			return nil, wrapErr(req.action, err)
		}
		username = s.client.Username()
	}
	if username != "" {
		req.set("username", username)
	}
	return doOne[User](s.client, req, "user")
}

// List returns the ids and names of the server's users. The server does
// not page this list.
func (s *UsersService) List(ctx context.Context) (*Page[UserRef], error) {
	req, err := s.client.newRequest(ctx, "users", nil)
	if err != nil {
		return nil, err
	}
	return doList[UserRef](s.client, req, "user")
}

// CatalogListOptions are the parameters of List.
type CatalogListOptions struct {
	// Filter is a catalog type: "music", "podcast", "clip", "tvshow",
	// "movie" or "personal_video".
	Filter string `url:"filter,omitempty"`
	SortOptions
	ListOptions
}

// List lists catalogs.
func (s *CatalogsService) List(ctx context.Context, opts *CatalogListOptions) (*Page[Catalog], error) {
	req, err := s.client.newRequest(ctx, "catalogs", opts)
	if err != nil {
		return nil, err
	}
	return doList[Catalog](s.client, req, "catalog")
}

// Get returns one catalog.
func (s *CatalogsService) Get(ctx context.Context, id ID) (*Catalog, error) {
	req, err := s.client.newRequest(ctx, "catalog", nil)
	if err != nil {
		return nil, err
	}
	return doOne[Catalog](s.client, req.set("filter", string(id)), "catalog")
}
