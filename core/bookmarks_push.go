package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// Pushing positions to the server: the replay of the journal's pending
// entries, oldest first, each checked against the server's newest
// bookmark of the object first.

const (
	// pushTimeout bounds the calls made to push one entry.
	pushTimeout = 15 * time.Second
	// maxBadAttempts: an entry the server refuses as a bad request this
	// many times is dropped (it would block nothing, but retrying forever
	// is pointless).
	maxBadAttempts = 5
)

// errBookmarksUnsupported: the server does not keep bookmarks for this
// account (API4, or the methods are refused).
var errBookmarksUnsupported = errors.New("the server does not keep bookmarks")

// serverFor returns the API client of the live connection when it is the
// account scope and its server keeps bookmarks.
func (b *bookmarks) serverFor(scope string) (*client.Client, error) {
	c := b.core
	c.mu.Lock()
	cn := c.conn
	c.mu.Unlock()
	if cn == nil || bookmarkScope(cn.profile) != scope {
		return nil, ErrNotConnected
	}
	if cn.info.APIMajor != 0 && cn.info.APIMajor < 5 {
		return nil, errBookmarksUnsupported
	}
	return cn.client, nil
}

// replay pushes the live account's pending positions, oldest first. It
// returns an error when the server could not be reached (to retry later);
// entries the server refuses for good are dropped.
func (b *bookmarks) replay(ctx context.Context) error {
	scope := b.scope()
	if scope == "" {
		return nil
	}
	api, err := b.serverFor(scope)
	if err != nil {
		return nil // not connected, or no bookmarks there: nothing to retry
	}
	pending, err := b.journal.Pending(ctx, scope)
	if err != nil {
		b.log.Error("read the bookmark journal", "err", err)
		return nil
	}
	changed := false
	defer func() {
		if changed {
			b.core.publish(BookmarksChanged{})
		}
	}()
	for _, e := range pending {
		pushed, err := b.pushOne(ctx, api, e)
		changed = changed || pushed
		switch {
		case err == nil:
		case unsupportedErr(err):
			b.log.Warn("the server refuses bookmarks; positions stay on this computer", "err", err)
			return nil
		case errors.Is(err, client.ErrBadRequest):
			if e.Attempts+1 >= maxBadAttempts {
				b.log.Warn("the server refuses a bookmark; dropped", "type", e.ObjectType, "id", e.ObjectID, "err", err)
				_, _ = b.journal.Drop(context.WithoutCancel(ctx), e)
			} else {
				_ = b.journal.MarkFailed(context.WithoutCancel(ctx), e, err)
			}
		default:
			_ = b.journal.MarkFailed(context.WithoutCancel(ctx), e, err)
			return fmt.Errorf("push the bookmark of %s %s: %w", e.ObjectType, e.ObjectID, err)
		}
	}
	return nil
}

func unsupportedErr(err error) bool {
	return errors.Is(err, client.ErrMissingMethod) || errors.Is(err, client.ErrDeprecated) ||
		errors.Is(err, client.ErrAccessDenied) || errors.Is(err, client.ErrFailedAccessCheck) ||
		errors.Is(err, errBookmarksUnsupported)
}

// pushOne brings the server up to date with e unless the server's newest
// bookmark of the object is newer (saved by another device meanwhile):
// then that one is kept, and adopted locally. It reports whether the
// server changed.
func (b *bookmarks) pushOne(ctx context.Context, api *client.Client, e storage.JournalEntry) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, pushTimeout)
	defer cancel()
	typ, id := client.ObjectType(e.ObjectType), client.ID(e.ObjectID)
	server, err := api.Bookmarks.ForObject(ctx, id, typ, nil)
	if errors.Is(err, client.ErrNotFound) {
		b.log.Info("a bookmarked item is gone from the server; its position is dropped", "type", typ, "id", id)
		_, err := b.journal.Drop(context.WithoutCancel(ctx), e)
		return false, err
	}
	if err != nil {
		return false, err
	}
	if server != nil && newerOnServer(server, e.Updated) {
		adopt := e
		adopt.Position = time.Duration(server.Position) * time.Second
		adopt.Updated, adopt.State = server.Updated.Time, storage.JournalSynced
		_, err := b.journal.Record(context.WithoutCancel(ctx), adopt)
		b.log.Info("kept a newer bookmark from another device", "type", typ, "id", id, "client", server.Client)
		return false, err
	}
	switch e.State {
	case storage.JournalPendingSet:
		_, err = pushPosition(ctx, api, typ, id, int(e.Position/time.Second), e.Updated)
	case storage.JournalPendingDelete:
		if server != nil {
			err = deleteBookmarks(ctx, api, typ, id)
			if errors.Is(err, client.ErrNotFound) {
				err = nil
			}
		}
	}
	if errors.Is(err, client.ErrNotFound) { // the object itself is gone
		_, err := b.journal.Drop(context.WithoutCancel(ctx), e)
		return false, err
	}
	if err != nil {
		return false, err
	}
	_, err = b.journal.MarkSynced(context.WithoutCancel(ctx), e)
	return true, err
}

// newerOnServer reports whether a server bookmark was updated after t.
// The server keeps whole seconds: within the same second, ours stands.
func newerOnServer(bm *client.Bookmark, t time.Time) bool {
	return bm.Updated.Unix() > t.Unix()
}

// pushPosition moves Ampdesk's bookmark of an object to seconds, dated
// updated: bookmark_edit, or bookmark_create when there is none yet (the
// real server adds a row at every create, so create is never the first
// try).
func pushPosition(ctx context.Context, api *client.Client, typ client.ObjectType, id client.ID, seconds int, updated time.Time) (*client.Bookmark, error) {
	opts := &client.BookmarkWriteOptions{Client: ClientName, Date: updated}
	bm, err := api.Bookmarks.Edit(ctx, id, typ, seconds, opts)
	if err == nil {
		return bm, nil
	}
	if !errors.Is(err, client.ErrNotFound) && !errors.Is(err, client.ErrCommandFailed) {
		return nil, err
	}
	return api.Bookmarks.Create(ctx, id, typ, seconds, opts)
}

// maxBookmarksPerObject bounds the deletions deleteBookmarks makes.
const maxBookmarksPerObject = 32

// deleteBookmarks deletes every bookmark of an object (one per agent
// that saved one): the real server deletes only the newest at each
// bookmark_delete, so it is called until there is none. It returns
// client.ErrNotFound when there was none to begin with.
func deleteBookmarks(ctx context.Context, api *client.Client, typ client.ObjectType, id client.ID) error {
	for i := range maxBookmarksPerObject {
		err := api.Bookmarks.Delete(ctx, id, typ, "")
		if errors.Is(err, client.ErrNotFound) && i > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}
