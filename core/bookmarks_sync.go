package core

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/internal/backoff"
	"github.com/ampdesk/ampdesk/storage"
)

// Bookmark sync: the tracker's saves go through a coalescing queue to one
// worker goroutine, which writes them to the journal (storage.Journal) and
// pushes what is pending to the server, oldest first, unless the server
// holds a newer position from another device. The player's goroutines
// and the event forwarder only ever take a mutex and enqueue.

// retryPolicy spaces the replays after a failure.
func retryPolicy() backoff.Policy {
	return backoff.Policy{Initial: 2 * time.Second, Max: 2 * time.Minute, Multiplier: 2, Jitter: 0.3}
}

// bookmarks is the core's bookmark machinery: the tracker, the journal
// and the worker.
type bookmarks struct {
	core    *Core
	journal *storage.Journal
	now     func() time.Time
	log     *slog.Logger
	retry   backoff.Policy

	mu sync.Mutex // guards tr
	tr bmTracker

	q    bmQueue
	wake chan struct{}

	ctx    context.Context // ends at close
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// bmQueueKey names an object of an account in the queue.
type bmQueueKey struct {
	scope string
	key   bmKey
}

// bmQueue holds the work for the worker: the newest position per object
// (older ones are merged away), whether to push, and who waits.
type bmQueue struct {
	mu      sync.Mutex
	saves   map[bmQueueKey]storage.JournalEntry
	writing map[bmQueueKey]storage.JournalEntry // taken, not yet in the journal
	push    bool
	waiters []chan error
}

func (q *bmQueue) put(e storage.JournalEntry, push bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.saves == nil {
		q.saves = map[bmQueueKey]storage.JournalEntry{}
	}
	k := bmQueueKey{e.Scope, bmKey{client.ObjectType(e.ObjectType), client.ID(e.ObjectID)}}
	if old, ok := q.saves[k]; !ok || !old.Updated.After(e.Updated) {
		q.saves[k] = e
	}
	q.push = q.push || push
}

// peek returns a position queued or being written, newer than the
// journal's.
func (q *bmQueue) peek(scope string, key bmKey) (storage.JournalEntry, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := bmQueueKey{scope, key}
	if e, ok := q.saves[k]; ok {
		return e, true
	}
	e, ok := q.writing[k]
	return e, ok
}

func (q *bmQueue) requestPush() {
	q.mu.Lock()
	q.push = true
	q.mu.Unlock()
}

// take hands the queued work to the worker; peek still sees the
// positions until written says they are in the journal.
func (q *bmQueue) take() (saves []storage.JournalEntry, push bool, waiters []chan error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.saves {
		saves = append(saves, e)
	}
	q.writing, q.saves = q.saves, nil
	push, waiters = q.push, q.waiters
	q.push, q.waiters = false, nil
	return saves, push, waiters
}

func (q *bmQueue) written() {
	q.mu.Lock()
	q.writing = nil
	q.mu.Unlock()
}

// wait asks for a push and returns a channel that gets its outcome.
func (q *bmQueue) wait() chan error {
	q.mu.Lock()
	defer q.mu.Unlock()
	ch := make(chan error, 1)
	q.waiters = append(q.waiters, ch)
	q.push = true
	return ch
}

// openBookmarks opens the journal in the data folder and starts the worker.
func openBookmarks(c *Core, now func() time.Time) (*bookmarks, error) {
	j, err := storage.OpenJournal(context.Background(), storage.JournalFile(c.dirs.Data))
	if err != nil {
		return nil, err
	}
	if j.Moved() != "" {
		c.log.Warn("the bookmark journal was damaged and was moved aside; positions not yet on the server may be lost", "moved_to", j.Moved())
	}
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &bookmarks{
		core: c, journal: j, now: now, log: c.log, retry: retryPolicy(),
		wake: make(chan struct{}, 1), ctx: ctx, cancel: cancel, done: make(chan struct{}),
	}
	events, unsubscribe := c.bus.subscribe()
	go func() {
		defer unsubscribe()
		b.run(events)
	}()
	return b, nil
}

// close stops the worker (positions still queued are written first) and
// closes the journal.
func (b *bookmarks) close() {
	b.once.Do(func() {
		b.cancel()
		<-b.done
		if err := b.journal.Close(); err != nil {
			b.log.Warn("close the bookmark journal", "err", err)
		}
	})
}

func (b *bookmarks) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// scope names the account of the live connection, or of the profile
// open offline (its positions are saved, and pushed at reconnect); ""
// without either.
func (b *bookmarks) scope() string {
	if p, _, ok := b.core.Connection(); ok {
		return bookmarkScope(p)
	}
	if p, offline := b.core.Offline(); offline {
		return bookmarkScope(p)
	}
	return ""
}

// bookmarkScope names the account a profile logs in to.
func bookmarkScope(p storage.Profile) string { return p.URL + "\n" + p.User + "\n" + p.Name }

// songMinimum is the length past which songs get bookmarks.
func (b *bookmarks) songMinimum() time.Duration {
	m := b.core.settings.Get().BookmarkSongMinutes
	if m <= 0 {
		m = storage.DefaultSettings().BookmarkSongMinutes
	}
	return time.Duration(m) * time.Minute
}

// The hooks of the event forwarder: they never wait on I/O.

func (b *bookmarks) onTrack(p *audio.Player, index int, item Item) {
	scope := b.scope()
	eligible := scope != "" && index >= 0 && bookmarkable(item, b.songMinimum())
	b.mu.Lock()
	acts := b.tr.track(index, item, scope, eligible, b.now())
	epoch := b.tr.epoch
	b.mu.Unlock()
	b.dispatch(p, acts, epoch)
}

func (b *bookmarks) onPosition(p *audio.Player, pos, dur time.Duration) {
	b.mu.Lock()
	acts := b.tr.position(pos, dur, b.now())
	b.mu.Unlock()
	b.dispatch(p, acts, 0)
}

func (b *bookmarks) onEnded(p *audio.Player) {
	b.mu.Lock()
	acts := b.tr.ended(b.now())
	b.mu.Unlock()
	b.dispatch(p, acts, 0)
}

func (b *bookmarks) onState(p *audio.Player, st audio.State) {
	b.mu.Lock()
	acts := b.tr.state(st, b.now())
	b.mu.Unlock()
	b.dispatch(p, acts, 0)
}

// dispatch hands the tracker's actions to the worker (resolves run on
// their own goroutine).
func (b *bookmarks) dispatch(p *audio.Player, acts []bmAction, epoch int) {
	for _, a := range acts {
		switch a.kind {
		case bmSave:
			b.q.put(entryOf(a, storage.JournalPendingSet), a.push)
			b.signal()
		case bmFinish:
			b.q.put(entryOf(a, storage.JournalPendingDelete), true)
			b.signal()
			if a.item.Type == client.TypePodcastEpisode {
				b.core.publish(EpisodeHeard{Item: a.item})
			}
		case bmPush:
			b.q.requestPush()
			b.signal()
		case bmResolve:
			go b.resumeCurrent(p, a, epoch)
		}
	}
}

func entryOf(a bmAction, state storage.JournalState) storage.JournalEntry {
	return storage.JournalEntry{
		Scope: a.scope, ObjectType: string(a.item.Type), ObjectID: string(a.item.ID),
		Position: a.pos, Duration: a.dur, Updated: a.at, State: state,
		Title: a.item.Title, Album: a.item.Album,
	}
}

// flush saves and pushes the current position and waits for the worker
// to be done with it, or for ctx (quit).
func (b *bookmarks) flush(ctx context.Context, p *audio.Player) {
	if p != nil {
		st := p.Status()
		b.mu.Lock()
		acts := b.tr.flush(st, b.now())
		b.mu.Unlock()
		b.dispatch(p, acts, 0)
	}
	_ = b.sync(ctx)
}

// sync has the worker write what is queued and push what is pending, and
// waits for it (or ctx); it returns the error that kept a push from being
// made.
func (b *bookmarks) sync(ctx context.Context) error {
	done := b.q.wait()
	b.signal()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-b.done:
		return errBookmarksClosed
	}
}

// errBookmarksClosed: the core was closed.
var errBookmarksClosed = errors.New("the core is closed")

// run is the worker: it writes queued positions to the journal and
// replays pending ones when asked, at connect, and after a failure with
// backoff.
func (b *bookmarks) run(events <-chan Event) {
	defer close(b.done)
	var retry *time.Timer
	var retryC <-chan time.Time
	attempt := 0
	for {
		replay := false
		select {
		case <-b.ctx.Done():
			saves, _, waiters := b.q.take()
			b.write(context.Background(), saves)
			for _, w := range waiters {
				w <- errBookmarksClosed
			}
			if retry != nil {
				retry.Stop()
			}
			return
		case <-b.wake:
		case <-retryC:
			retryC, replay = nil, true
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if _, connected := ev.(Connected); !connected {
				continue
			}
			replay, attempt = true, 0
		}
		saves, push, waiters := b.q.take()
		b.write(b.ctx, saves)
		var err error
		if push || replay {
			if err = b.replay(b.ctx); err != nil {
				delay := b.retry.Delay(attempt, rand.Float64())
				attempt++
				b.log.Info("bookmarks not sent; will retry", "in", delay.Round(time.Millisecond), "err", err)
				if retry != nil {
					retry.Stop()
				}
				retry = time.NewTimer(delay)
				retryC = retry.C
			} else {
				attempt = 0
				if retry != nil {
					retry.Stop()
				}
				retryC = nil
			}
		}
		for _, w := range waiters {
			w <- err
		}
	}
}

// write records positions in the journal. They are written even when
// the core is closing.
func (b *bookmarks) write(ctx context.Context, saves []storage.JournalEntry) {
	defer b.q.written()
	ctx = context.WithoutCancel(ctx)
	for _, e := range saves {
		if _, err := b.journal.Record(ctx, e); err != nil {
			b.log.Error("save a playback position", "type", e.ObjectType, "id", e.ObjectID, "err", err)
		}
	}
}
