package core

import (
	"context"
	"net/url"
	"strings"

	"github.com/ampdesk/ampdesk/client"
)

// LocalplayEntrySong finds the library song that an entry of the localplay
// queue plays, for its art and links (from the cache when the library is
// synced). The server gives its player stream URLs of its own, whose type
// and oid name the object: as query parameters, or as /type/song/oid/N
// path segments when the server writes "beautiful" URLs; a play URL that
// names no type is a song's, as on the server. An entry that is not a
// song of this server (a live stream, a podcast episode, a file given to
// the player) gives nil and no error. The entry's URL carries a session
// token: it is never logged.
func (c *Core) LocalplayEntrySong(ctx context.Context, e client.LocalplaySong) (*client.Song, error) {
	typ, oid := playURLObject(e.Raw)
	if oid == "" || typ != "" && typ != string(client.TypeSong) {
		return nil, nil
	}
	return c.Song(ctx, client.ID(oid))
}

// playURLObject reads the object type (lower case, "" when not named) and
// id that a play URL of an Ampache server names; oid is "" for any other
// URL.
func playURLObject(raw string) (typ, oid string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || !strings.Contains(u.Path+"/", "/play/") {
		return "", ""
	}
	q := u.Query()
	typ = firstOf(q.Get("type"), q.Get("object_type"))
	oid = firstOf(q.Get("oid"), q.Get("object_id"))
	if typ == "" || oid == "" {
		// /play/ssid/…/type/song/oid/123/uid/…/name/…
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		for i := 0; i+1 < len(parts); i++ {
			switch parts[i] {
			case "type":
				typ = firstOf(typ, parts[i+1])
			case "oid":
				oid = firstOf(oid, parts[i+1])
			}
		}
	}
	return strings.ToLower(typ), oid
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
