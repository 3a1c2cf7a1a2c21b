package core

import (
	"context"

	"github.com/ampdesk/ampdesk/client"
)

// Share makes a public link to a song, album, artist, playlist or podcast
// (episode); the link to hand out is the returned Share's PublicURL. The
// server decides the expiry (its default) and the description.
func (c *Core) Share(ctx context.Context, typ client.ObjectType, id client.ID) (*client.Share, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	return api.Shares.Create(ctx, id, typ, "", 0)
}
