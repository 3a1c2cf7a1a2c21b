package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// Bookmark use-cases: the server's bookmarks as the command line shows
// them, and the Bookmarks page (server and journal merged).

// ClientName is the agent name Ampdesk records with bookmarks and plays.
const ClientName = client.DefaultClientName

// ErrNoBookmark means the object has no bookmark on the server.
var ErrNoBookmark = errors.New("no bookmark saved for this item")

// Bookmarks returns every bookmark of the user on the server, with the
// bookmarked objects embedded.
func (c *Core) Bookmarks(ctx context.Context) ([]client.Bookmark, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	p, err := api.Bookmarks.List(ctx, &client.BookmarkListOptions{Include: true})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Bookmark returns the newest bookmark of an object on the server;
// ErrNoBookmark when there is none.
func (c *Core) Bookmark(ctx context.Context, typ client.ObjectType, id client.ID) (*client.Bookmark, error) {
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	bm, err := api.Bookmarks.ForObject(ctx, id, typ, nil)
	if errors.Is(err, client.ErrNotFound) || (err == nil && bm == nil) {
		return nil, ErrNoBookmark
	}
	return bm, err
}

// SetBookmark saves a position in an object on the server, dated now (it
// edits Ampdesk's bookmark when there is one, else creates it), and on
// this computer.
func (c *Core) SetBookmark(ctx context.Context, typ client.ObjectType, id client.ID, positionSeconds int) (*client.Bookmark, error) {
	if positionSeconds < 0 {
		return nil, fmt.Errorf("a bookmark position cannot be negative (%d s)", positionSeconds)
	}
	api, err := c.api()
	if err != nil {
		return nil, err
	}
	now := c.bm.now()
	bm, err := pushPosition(ctx, api, typ, id, positionSeconds, now)
	if err != nil {
		return nil, err
	}
	if scope := c.bm.scope(); scope != "" {
		e := storage.JournalEntry{Scope: scope, ObjectType: string(typ), ObjectID: string(id),
			Position: time.Duration(positionSeconds) * time.Second, Updated: now, State: storage.JournalSynced}
		if _, err := c.bm.journal.Record(ctx, e); err != nil {
			c.log.Error("save a playback position", "err", err)
		}
	}
	c.publish(BookmarksChanged{})
	return bm, nil
}

// DeleteBookmark removes the bookmarks of an object (every agent's), on
// the server and on this computer; ErrNoBookmark when there was none.
func (c *Core) DeleteBookmark(ctx context.Context, typ client.ObjectType, id client.ID) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	scope := c.bm.scope()
	local := false
	if scope != "" {
		_, local, _ = c.bm.journal.Get(ctx, scope, string(typ), string(id))
	}
	err = deleteBookmarks(ctx, api, typ, id)
	if errors.Is(err, client.ErrNotFound) {
		if !local {
			return ErrNoBookmark
		}
		err = nil
	}
	if err != nil {
		return err
	}
	if local {
		if err := c.bm.journal.Forget(ctx, scope, string(typ), string(id)); err != nil {
			return err
		}
	}
	c.publish(BookmarksChanged{})
	return nil
}

// SyncBookmarks pushes this computer's pending positions to the server
// now, oldest first, and waits for it. (The core also does it by itself:
// at connect, every 30 s while playing, at pause, stop and quit, and
// after a failure with backoff.) It returns the error that kept a
// position from being sent; it stays pending.
func (c *Core) SyncBookmarks(ctx context.Context) error {
	if _, err := c.api(); err != nil {
		return err
	}
	return c.bm.sync(ctx)
}

// BookmarkEntry is one row of the Bookmarks page: a bookmarked item and
// where it resumes.
type BookmarkEntry struct {
	// Item is the bookmarked song or episode. From the server it carries
	// the full object; a position not yet on the server carries what the
	// journal knows (type, id, title, album, duration).
	Item     Item
	Position time.Duration
	Duration time.Duration // 0 when unknown
	// Client is the agent that saved it ("Ampdesk" or another app).
	Client  string
	Updated time.Time
	// Pending: this computer's position, newer than the server's, not
	// sent yet (offline, or within the 30 s between pushes).
	Pending bool
}

// BookmarkEntries returns every bookmark of the user, newest first, one
// per item: the server's (bookmarks with include) merged with this
// computer's newer positions. When the server cannot be asked it returns
// this computer's positions and the error.
func (c *Core) BookmarkEntries(ctx context.Context) ([]BookmarkEntry, error) {
	var local []storage.JournalEntry
	if scope := c.bm.scope(); scope != "" {
		var err error
		if local, err = c.bm.journal.All(ctx, scope); err != nil {
			return nil, err
		}
	}
	server, err := c.Bookmarks(ctx)
	return mergeBookmarks(server, local, err == nil), err
}

// mergeBookmarks keeps the newest server bookmark per object, lets a newer
// local position stand in for it, hides items finished here, and (when
// the server answered) drops synced local positions the server no longer
// has.
func mergeBookmarks(server []client.Bookmark, local []storage.JournalEntry, serverAnswered bool) []BookmarkEntry {
	byKey := map[bmKey]*BookmarkEntry{}
	var order []bmKey
	for _, bm := range server {
		k := bmKey{client.ObjectType(bm.ObjectType), bm.ObjectID}
		e := BookmarkEntry{Item: itemOfBookmark(bm), Position: time.Duration(bm.Position) * time.Second,
			Client: bm.Client, Updated: bm.Updated.Time}
		e.Duration = e.Item.Duration
		if old, ok := byKey[k]; ok {
			if e.Updated.After(old.Updated) {
				*old = e
			}
			continue
		}
		byKey[k] = &e
		order = append(order, k)
	}
	for _, l := range local {
		k := bmKey{client.ObjectType(l.ObjectType), client.ID(l.ObjectID)}
		cur, onServer := byKey[k]
		if onServer && cur.Updated.Unix() > l.Updated.Unix() {
			continue // the server's is newer
		}
		switch {
		case l.State == storage.JournalPendingDelete:
			if onServer {
				delete(byKey, k)
			}
			continue
		case l.State == storage.JournalSynced && (onServer || serverAnswered):
			continue // the server's stands (or it was deleted there)
		}
		e := BookmarkEntry{Position: l.Position, Duration: l.Duration, Client: ClientName, Updated: l.Updated,
			Pending: l.State == storage.JournalPendingSet}
		if onServer {
			e.Item = cur.Item
			if e.Duration == 0 {
				e.Duration = cur.Duration
			}
		} else {
			e.Item = Item{Type: k.typ, ID: k.id, Title: l.Title, Album: l.Album, Duration: l.Duration}
			order = append(order, k)
		}
		byKey[k] = &e
	}
	out := make([]BookmarkEntry, 0, len(byKey))
	for _, k := range order {
		if e, ok := byKey[k]; ok {
			out = append(out, *e)
			delete(byKey, k) // once per key
		}
	}
	slices.SortStableFunc(out, func(a, b BookmarkEntry) int { return b.Updated.Compare(a.Updated) })
	return out
}

func itemOfBookmark(bm client.Bookmark) Item {
	switch {
	case bm.Song != nil:
		return SongItem(*bm.Song)
	case bm.PodcastEpisode != nil:
		return EpisodeItem(*bm.PodcastEpisode)
	}
	return Item{Type: client.ObjectType(bm.ObjectType), ID: bm.ObjectID}
}

// ResumeBookmark plays a bookmarked item from where it resumes (the newest
// position, whichever device saved it). An item known only by its id is
// fetched first.
func (c *Core) ResumeBookmark(ctx context.Context, e BookmarkEntry) error {
	item := e.Item
	if item.Song == nil && item.Episode == nil {
		switch item.Type {
		case client.TypeSong:
			s, err := c.Song(ctx, item.ID)
			if err != nil {
				return err
			}
			item = SongItem(*s)
		case client.TypePodcastEpisode:
			ep, err := c.Episode(ctx, item.ID)
			if err != nil {
				return err
			}
			item = EpisodeItem(*ep)
		default:
			return fmt.Errorf("cannot play a %s", cmp.Or(string(item.Type), "bookmark without a type"))
		}
	}
	return c.PlayItems([]Item{item}, 0, false, 0)
}
