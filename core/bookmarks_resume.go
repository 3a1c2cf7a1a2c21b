package core

import (
	"context"
	"errors"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// Resume: an item that gets bookmarks starts where it was left, on this
// computer or on another device, whichever is newer.

// FromStart, given as the position to PlayItems, plays the start item
// from its beginning even when it has a bookmark (0 resumes from it).
const FromStart time.Duration = -1

// resolveTimeout bounds the wait for the server's bookmark before a start:
// past it, the start uses this computer's position.
const resolveTimeout = 3 * time.Second

// Bookmark events.
type (
	// ResumeOffered: Item started from its bookmark at Position instead of
	// its beginning. From is "server" (the server's bookmark, saved by
	// Client on any device) or "local" (this computer's journal, newer or
	// not yet sent). A face offers "Start over" (Core.StartOver).
	ResumeOffered struct {
		Item     Item
		Position time.Duration
		From     string // "server" or "local"
		Client   string // the agent that saved it
		Updated  time.Time
	}
	// EpisodeHeard: a podcast episode was played to its end (95 %); its
	// bookmark is being deleted. The scrobbler records the play itself.
	EpisodeHeard struct{ Item Item }
	// BookmarksChanged: bookmarks on the server changed (positions pushed
	// or deleted); a bookmarks list should be read again.
	BookmarksChanged struct{}
)

func (ResumeOffered) event()    {}
func (EpisodeHeard) event()     {}
func (BookmarksChanged) event() {}

// Where a resume position came from.
const (
	ResumeFromServer = "server"
	ResumeFromLocal  = "local"
)

// resumePoint is where an item resumes.
type resumePoint struct {
	pos     time.Duration
	from    string
	client  string
	updated time.Time
}

// resumePointFor looks up where item resumes: the newer of this
// computer's position (the queue, then the journal) and the server's
// newest bookmark. ok is false to start from the beginning (no position,
// a finished item, or a position at the very start or end).
func (b *bookmarks) resumePointFor(ctx context.Context, scope string, item Item) (resumePoint, bool) {
	key := keyOf(item)
	var local *storage.JournalEntry
	if e, ok := b.q.peek(scope, key); ok {
		local = &e
	} else if e, ok, err := b.journal.Get(ctx, scope, string(item.Type), string(item.ID)); err != nil {
		b.log.Error("read the bookmark journal", "err", err)
	} else if ok {
		local = &e
	}
	var server *client.Bookmark
	asked := false
	if api, err := b.serverFor(scope); err == nil {
		sctx, cancel := context.WithTimeout(ctx, resolveTimeout)
		bm, err := api.Bookmarks.ForObject(sctx, item.ID, item.Type, nil)
		cancel()
		if err != nil {
			b.log.Info("no bookmark from the server; using this computer's", "type", item.Type, "id", item.ID, "err", err)
		} else {
			server, asked = bm, true
		}
	}
	var pt resumePoint
	switch {
	case server != nil && (local == nil || newerOnServer(server, local.Updated) ||
		local.State == storage.JournalSynced && server.Updated.Unix() == local.Updated.Unix()):
		// (A synced position of the same second is the server's own.)
		pt = resumePoint{pos: time.Duration(server.Position) * time.Second, from: ResumeFromServer,
			client: server.Client, updated: server.Updated.Time}
		adopt := storage.JournalEntry{Scope: scope, ObjectType: string(item.Type), ObjectID: string(item.ID),
			Position: pt.pos, Duration: item.Duration, Updated: pt.updated, State: storage.JournalSynced,
			Title: item.Title, Album: item.Album}
		if _, err := b.journal.Record(ctx, adopt); err != nil {
			b.log.Error("save a playback position", "err", err)
		}
	case local != nil && local.State == storage.JournalPendingDelete:
		return resumePoint{}, false // finished here, and nothing newer elsewhere
	case local != nil && local.State == storage.JournalSynced && asked && server == nil:
		// It was on the server and is gone: finished or deleted elsewhere.
		if _, err := b.journal.Drop(ctx, *local); err != nil {
			b.log.Error("update the bookmark journal", "err", err)
		}
		return resumePoint{}, false
	case local != nil:
		pt = resumePoint{pos: local.Position, from: ResumeFromLocal, client: ClientName, updated: local.Updated}
	default:
		return resumePoint{}, false
	}
	d := item.Duration
	if d <= 0 && local != nil {
		d = local.Duration
	}
	if pt.pos < time.Second || finishedAt(pt.pos, d) {
		return resumePoint{}, false
	}
	return pt, true
}

// bmStart is what PlayItems does about the start item's bookmark.
type bmStart struct {
	b            *bookmarks
	scope        string
	item         Item
	epoch, seq   int
	lookUpResume bool
}

// planStart is called by PlayItems before it loads items: it voids
// resumes looked up for earlier starts and says whether start's position
// is to be looked up (at 0 on an item that gets bookmarks).
func (b *bookmarks) planStart(item Item, at time.Duration) bmStart {
	scope := b.scope()
	eligible := scope != "" && bookmarkable(item, b.songMinimum())
	resolving := eligible && at == 0
	b.mu.Lock()
	epoch, seq := b.tr.planStart(item, eligible, resolving)
	b.mu.Unlock()
	return bmStart{b: b, scope: scope, item: item, epoch: epoch, seq: seq, lookUpResume: resolving}
}

// resumeAndPlay looks the position up, seeks there and plays, unless
// another start came first. It runs on its own goroutine.
func (s bmStart) resumeAndPlay(p *audio.Player) {
	b := s.b
	ctx, cancel := context.WithTimeout(b.ctx, resolveTimeout+2*time.Second)
	defer cancel()
	pt, ok := b.resumePointFor(ctx, s.scope, s.item)
	// Seek and Play are queued under the lock, so that a later PlayItems
	// (which plans under it before loading) cannot come between.
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tr.epoch != s.epoch {
		return // a later PlayItems starts the player
	}
	if !b.tr.isCurrent(s.epoch, s.seq) {
		p.Play() // the queue moved on meanwhile: play where it is
		return
	}
	if ok {
		b.tr.resolved(s.seq, pt.pos, b.now())
		p.Seek(pt.pos)
		b.core.publish(ResumeOffered{Item: s.item, Position: pt.pos, From: pt.from, Client: pt.client, Updated: pt.updated})
	} else {
		b.tr.resolved(s.seq, 0, b.now())
	}
	p.Play()
}

// resumeCurrent looks up where an item the queue moved to resumes, and
// seeks there if it is still current.
func (b *bookmarks) resumeCurrent(p *audio.Player, a bmAction, epoch int) {
	ctx, cancel := context.WithTimeout(b.ctx, resolveTimeout+2*time.Second)
	defer cancel()
	pt, ok := b.resumePointFor(ctx, a.scope, a.item)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.tr.isCurrent(epoch, a.seq) || p == nil {
		return
	}
	if !ok {
		b.tr.resolved(a.seq, 0, b.now())
		return
	}
	b.tr.resolved(a.seq, pt.pos, b.now())
	p.Seek(pt.pos)
	b.core.publish(ResumeOffered{Item: a.item, Position: pt.pos, From: pt.from, Client: pt.client, Updated: pt.updated})
}

// ErrNotPlaying means there is no current item to act on.
var ErrNotPlaying = errors.New("nothing is playing")

// StartOver plays the current item from its beginning and moves its
// bookmark there (the "Start over" a face offers on ResumeOffered).
func (c *Core) StartOver() error {
	p := c.Player()
	if p == nil {
		return ErrNotPlaying
	}
	b := c.bm
	b.mu.Lock()
	acts, tracked := b.tr.startOver(b.now())
	p.Seek(0)
	b.mu.Unlock()
	if !tracked {
		if p.Status().Index < 0 {
			return ErrNotPlaying
		}
		return nil
	}
	b.dispatch(p, acts, 0)
	return nil
}
