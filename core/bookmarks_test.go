package core_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/ampdesk/ampdesk/storage/storagetest"
)

// These tests play podcast episodes of ampachetest (WAV synthesized on
// demand) through the in-memory real-time output, so positions advance
// with the wall clock; bookmark times and the save/push cadence follow
// the core's injected clock, which a test moves forward to compress
// minutes into seconds.

// bmClock is the wall clock plus an offset a test can advance.
type bmClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *bmClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *bmClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// bmOutage fails every API request while down, as a server that went away
// would (connection refused). Media streams already open keep flowing.
type bmOutage struct {
	base http.RoundTripper
	down atomic.Bool
}

func (o *bmOutage) RoundTrip(r *http.Request) (*http.Response, error) {
	if o.down.Load() && strings.HasSuffix(r.URL.Path, "/server/json.server.php") {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	return o.base.RoundTrip(r)
}

type bmCore struct {
	core   *core.Core
	dirs   storage.Dirs
	events <-chan core.Event
}

type bmCoreOptions struct {
	now       func() time.Time
	transport http.RoundTripper
}

// newBookmarkCore makes a core over its own folders (another computer),
// logged in to srv as admin, subscribed to its events.
func newBookmarkCore(t *testing.T, srv *ampachetest.Server, o bmCoreOptions) *bmCore {
	t.Helper()
	dir := t.TempDir()
	dirs := storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}
	hc := srv.Client()
	if o.transport != nil {
		hc = &http.Client{Transport: o.transport}
	}
	c, err := core.New(core.Options{
		Dirs: dirs, Keyring: &storagetest.MemKeyring{}, HTTPClient: hc, Now: o.now,
		Output: func() (audio.Output, error) { return audiotest.NewOutput(44100, audiotest.Realtime()), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	events, unsubscribe := c.Subscribe()
	t.Cleanup(unsubscribe)
	if _, err := c.Login(context.Background(), core.LoginRequest{
		Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "test",
	}); err != nil {
		t.Fatalf("login: %v", err)
	}
	return &bmCore{core: c, dirs: dirs, events: events}
}

// bmWaitFor reads events until one of type T satisfies ok.
func bmWaitFor[T core.Event](t *testing.T, events <-chan core.Event, timeout time.Duration, ok func(T) bool) T {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, open := <-events:
			if !open {
				t.Fatal("events closed")
			}
			if e, is := ev.(T); is && ok(e) {
				return e
			}
			if f, is := ev.(core.PlaybackFailed); is {
				t.Fatalf("playback failed: %v", f.Err)
			}
		case <-deadline:
			var zero T
			t.Fatalf("no %T within %v", zero, timeout)
		}
	}
}

// bmEventually polls cond until it holds.
func bmEventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *bmCore) episode(t *testing.T, id int) core.Item {
	t.Helper()
	ep, err := b.core.Episode(context.Background(), client.ID(strconv.Itoa(id)))
	if err != nil {
		t.Fatal(err)
	}
	return core.EpisodeItem(*ep)
}

// bmServerBookmarkOf returns the user's bookmark of an episode saved by
// clientName ("" for the newest of any).
func bmServerBookmarkOf(srv *ampachetest.Server, episodeID int, clientName string) (ampachetest.Bookmark, bool) {
	var best ampachetest.Bookmark
	found := false
	for _, b := range srv.Bookmarks(srv.Admin.Username) {
		if b.ObjectType != "podcast_episode" || b.ObjectID != episodeID || (clientName != "" && b.Client != clientName) {
			continue
		}
		if !found || b.Updated.After(best.Updated) {
			best, found = b, true
		}
	}
	return best, found
}

func bmWithin(got, want, tolerance time.Duration) bool { return (got - want).Abs() <= tolerance }

func bmLongEpisode(t *testing.T, srv *ampachetest.Server) int {
	t.Helper()
	for _, p := range srv.Podcasts() {
		for _, e := range srv.Episodes(p.ID) {
			if e.Duration >= 12*time.Minute {
				return e.ID
			}
		}
	}
	t.Fatal("no episode of 12 minutes or more")
	return 0
}

// A plays an episode to 10:00 and stops; B, another computer, opens the
// episode and starts there.
func TestBookmarkResumesOnAnotherComputer(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	epID := bmLongEpisode(t, srv)
	a := newBookmarkCore(t, srv, bmCoreOptions{})
	item := a.episode(t, epID)

	if err := a.core.PlayItems([]core.Item{item}, 0, false, core.FromStart); err != nil {
		t.Fatal(err)
	}
	bmWaitFor(t, a.events, 10*time.Second, func(p core.Position) bool { return p.Position > 200*time.Millisecond })
	a.core.Player().Seek(10 * time.Minute)
	last := bmWaitFor(t, a.events, 10*time.Second, func(p core.Position) bool { return p.Position >= 10*time.Minute+2*time.Second })
	a.core.Player().Stop()
	bmWaitFor(t, a.events, 5*time.Second, func(s core.PlayerState) bool { return s.State == audio.Stopped })
	bmEventually(t, 5*time.Second, "A's position on the server", func() bool {
		b, ok := bmServerBookmarkOf(srv, epID, core.ClientName)
		return ok && bmWithin(b.Position, last.Position, 2*time.Second)
	})

	b := newBookmarkCore(t, srv, bmCoreOptions{})
	if err := b.core.PlayItems([]core.Item{b.episode(t, epID)}, 0, false, 0); err != nil {
		t.Fatal(err)
	}
	offer := bmWaitFor(t, b.events, 10*time.Second, func(core.ResumeOffered) bool { return true })
	if offer.From != core.ResumeFromServer || offer.Client != core.ClientName || offer.Item.ID != item.ID ||
		!bmWithin(offer.Position, 10*time.Minute, 5*time.Second) {
		t.Fatalf("B's resume: %+v, want 10:00 ± 5 s from the server", offer)
	}
	first := bmWaitFor(t, b.events, 10*time.Second, func(core.Position) bool { return true })
	if !bmWithin(first.Position, 10*time.Minute, 5*time.Second) {
		t.Fatalf("B started at %v, want 10:00 ± 5 s", first.Position)
	}
	if st := b.core.Player().Status(); st.State != audio.Playing && st.State != audio.Buffering {
		t.Fatalf("B is %v", st.State)
	}

	// "Start over": B goes back to 0:00, and so does the bookmark.
	if err := b.core.StartOver(); err != nil {
		t.Fatal(err)
	}
	bmWaitFor(t, b.events, 5*time.Second, func(p core.Position) bool { return p.Position < 2*time.Second })
	bmEventually(t, 5*time.Second, "the bookmark back at the start", func() bool {
		bm, ok := bmServerBookmarkOf(srv, epID, core.ClientName)
		return ok && bm.Position < 2*time.Second
	})
}

// Songs get bookmarks only past the length the settings give.
func TestBookmarkLongSongsOnly(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	var song ampachetest.Song
	for _, s := range srv.Songs() {
		if s.Duration >= 3*time.Minute {
			song = s
			break
		}
	}
	if song.ID == 0 {
		t.Fatal("no song of 3 minutes or more")
	}
	a := newBookmarkCore(t, srv, bmCoreOptions{})
	ctx := context.Background()
	s, err := a.core.Song(ctx, client.ID(strconv.Itoa(song.ID)))
	if err != nil {
		t.Fatal(err)
	}
	playAndStop := func() {
		t.Helper()
		if err := a.core.PlayItems([]core.Item{core.SongItem(*s)}, 0, false, time.Minute); err != nil {
			t.Fatal(err)
		}
		bmWaitFor(t, a.events, 10*time.Second, func(p core.Position) bool { return p.Position > time.Minute+time.Second })
		a.core.Player().Stop()
		bmWaitFor(t, a.events, 5*time.Second, func(s core.PlayerState) bool { return s.State == audio.Stopped })
		if err := a.core.SyncBookmarks(ctx); err != nil {
			t.Fatal(err)
		}
	}
	songBookmarks := func() int {
		n := 0
		for _, b := range srv.Bookmarks(srv.Admin.Username) {
			if b.ObjectType == "song" && b.ObjectID == song.ID {
				n++
			}
		}
		return n
	}
	playAndStop() // default: songs past 15 minutes
	if n := songBookmarks(); n != 0 {
		t.Fatalf("a %v song got a bookmark with the 15-minute default", song.Duration)
	}
	if _, err := a.core.Settings().Update(func(st *storage.Settings) { st.BookmarkSongMinutes = 2 }); err != nil {
		t.Fatal(err)
	}
	playAndStop()
	if n := songBookmarks(); n != 1 {
		t.Fatalf("%d bookmarks of a %v song with a 2-minute threshold, want 1", n, song.Duration)
	}
}

// bmEntryOf returns the Bookmarks page's row of an episode.
func bmEntryOf(entries []core.BookmarkEntry, item core.Item) (core.BookmarkEntry, bool) {
	for _, e := range entries {
		if e.Item.Type == item.Type && e.Item.ID == item.ID {
			return e, true
		}
	}
	return core.BookmarkEntry{}, false
}

// The server goes away for a minute while an episode plays (its API
// refuses connections; the minute is compressed by moving the core's
// clock 5 s forward for every position event, while the audio plays
// about 3 s): positions keep being saved on this computer, and when the
// server is back they are replayed so that its bookmark is the latest
// position. Then, in a second outage, another device saves a newer
// position: the replay keeps it rather than overwrite it with ours.
func TestBookmarkOfflineReplay(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	epID := bmLongEpisode(t, srv)
	clock := &bmClock{}
	net := &bmOutage{base: srv.Client().Transport}
	a := newBookmarkCore(t, srv, bmCoreOptions{now: clock.Now, transport: net})
	item := a.episode(t, epID)
	ctx := context.Background()

	if err := a.core.PlayItems([]core.Item{item}, 0, false, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	bmWaitFor(t, a.events, 10*time.Second, func(p core.Position) bool { return p.Position > 5*time.Minute })

	net.down.Store(true)
	outageStart := clock.Now()
	var during []core.BookmarkEntry
	for step := range 12 { // 12 × 5 s: a minute
		clock.Advance(5 * time.Second)
		prev := bmWaitFor(t, a.events, 5*time.Second, func(core.Position) bool { return true })
		bmWaitFor(t, a.events, 5*time.Second, func(p core.Position) bool { return p.Position > prev.Position })
		if step%4 == 3 {
			entries, err := a.core.BookmarkEntries(ctx)
			if err == nil {
				t.Fatal("BookmarkEntries reached the server during the outage")
			}
			e, ok := bmEntryOf(entries, item)
			if !ok || !e.Pending {
				t.Fatalf("step %d: no pending local position: %+v", step, entries)
			}
			during = append(during, e)
		}
	}
	for i := 1; i < len(during); i++ {
		if !during[i].Updated.After(during[i-1].Updated) || during[i].Position <= during[i-1].Position {
			t.Fatalf("positions were not saved during the outage: %+v", during)
		}
	}
	if last := during[len(during)-1]; last.Updated.Sub(outageStart) < 45*time.Second {
		t.Fatalf("the last position saved offline is dated %v after the outage began", last.Updated.Sub(outageStart))
	}
	if b, ok := bmServerBookmarkOf(srv, epID, ""); ok && b.Updated.After(outageStart) {
		t.Fatalf("the server got a bookmark during the outage: %+v", b)
	}

	// Back: the next push (30 s later, while playing) replays the journal;
	// the server's bookmark is then this computer's latest position.
	net.down.Store(false)
	clock.Advance(30 * time.Second)
	var latest core.BookmarkEntry
	var sb ampachetest.Bookmark
	bmEventually(t, 5*time.Second, "the server's bookmark at the latest position", func() bool {
		entries, err := a.core.BookmarkEntries(ctx)
		if err != nil {
			return false
		}
		var ok bool
		if latest, ok = bmEntryOf(entries, item); !ok || latest.Pending {
			return false
		}
		sb, ok = bmServerBookmarkOf(srv, epID, "")
		return ok && latest.Updated.Sub(outageStart) >= 90*time.Second &&
			sb.Position == latest.Position && sb.Updated.Unix() == latest.Updated.Unix()
	})
	if sb.Client != core.ClientName || latest.Client != core.ClientName || latest.Item.Episode == nil {
		t.Fatalf("after the outage: server %+v, page %+v", sb, latest)
	}
	if latest.Position < during[len(during)-1].Position.Truncate(time.Second) { // the server keeps seconds
		t.Fatalf("the server has %v, not past the last offline position %v", latest.Position, during[len(during)-1].Position)
	}

	// Second outage: pause here, then another device saves a newer position.
	net.down.Store(true)
	clock.Advance(5 * time.Second)
	moved := bmWaitFor(t, a.events, 5*time.Second, func(core.Position) bool { return true })
	bmWaitFor(t, a.events, 5*time.Second, func(p core.Position) bool { return p.Position > moved.Position })
	a.core.Player().Pause()
	bmWaitFor(t, a.events, 5*time.Second, func(s core.PlayerState) bool { return s.State == audio.Paused })
	ours := bmEventuallyPending(t, a, item)
	phone, err := client.New(srv.URL, client.WithHTTPClient(srv.Client()),
		client.WithCredentials(client.Credentials{User: srv.Admin.Username, Password: srv.Admin.Password}))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * time.Second)
	theirs, err := phone.Bookmarks.Create(ctx, item.ID, item.Type, 123, &client.BookmarkWriteOptions{Client: "Phone", Date: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.core.SyncBookmarks(ctx); err == nil {
		t.Fatal("SyncBookmarks succeeded during the outage")
	}
	net.down.Store(false)
	if err := a.core.SyncBookmarks(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := bmServerBookmarkOf(srv, epID, ""); b.Client != "Phone" || b.Position != 123*time.Second {
		t.Fatalf("newest server bookmark %+v, want the phone's 2:03", b)
	}
	if b, _ := bmServerBookmarkOf(srv, epID, core.ClientName); b.Position == ours.Position.Truncate(time.Second) && b.Updated.Unix() == ours.Updated.Unix() {
		t.Fatalf("the older position %v was pushed over the phone's newer one", ours.Position)
	}
	entries, _ := a.core.BookmarkEntries(ctx)
	if e, ok := bmEntryOf(entries, item); !ok || e.Client != "Phone" || e.Position != 123*time.Second || e.Pending ||
		e.Updated.Unix() != theirs.Updated.Unix() {
		t.Fatalf("bookmarks page after the conflict: %+v", e)
	}
	// This computer adopted the phone's position: a new start resumes there.
	if err := a.core.PlayItems([]core.Item{item}, 0, false, 0); err != nil {
		t.Fatal(err)
	}
	offer := bmWaitFor(t, a.events, 10*time.Second, func(core.ResumeOffered) bool { return true })
	if offer.Position != 123*time.Second || offer.Client != "Phone" {
		t.Fatalf("resume after the conflict: %+v", offer)
	}
}

// bmEventuallyPending waits until this computer's position of item is
// pending (saved, not sent) and returns it.
func bmEventuallyPending(t *testing.T, a *bmCore, item core.Item) core.BookmarkEntry {
	t.Helper()
	var e core.BookmarkEntry
	bmEventually(t, 5*time.Second, "a pending position", func() bool {
		entries, _ := a.core.BookmarkEntries(context.Background())
		var ok bool
		e, ok = bmEntryOf(entries, item)
		return ok && e.Pending
	})
	return e
}

// Playing an episode to its end deletes its bookmark on the server and
// says it was heard.
func TestBookmarkFinishedEpisodeIsDeleted(t *testing.T) {
	t.Parallel()
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(srv.Close)
	ep, err := srv.AddEpisode(srv.Podcasts()[0].ID, "Short", 6*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a := newBookmarkCore(t, srv, bmCoreOptions{})
	ctx := context.Background()
	item := a.episode(t, ep.ID)
	if _, err := a.core.SetBookmark(ctx, item.Type, item.ID, 2); err != nil {
		t.Fatal(err)
	}
	if err := a.core.PlayItems([]core.Item{item}, 0, false, 0); err != nil {
		t.Fatal(err)
	}
	offer := bmWaitFor(t, a.events, 10*time.Second, func(core.ResumeOffered) bool { return true })
	if offer.Position != 2*time.Second {
		t.Fatalf("resumed at %v, want 0:02", offer.Position)
	}
	heard := bmWaitFor(t, a.events, 15*time.Second, func(core.EpisodeHeard) bool { return true })
	if heard.Item.ID != item.ID {
		t.Fatalf("heard %+v", heard.Item)
	}
	bmEventually(t, 5*time.Second, "the bookmark deleted on the server", func() bool {
		_, ok := bmServerBookmarkOf(srv, ep.ID, "")
		return !ok
	})
	bmWaitFor(t, a.events, 10*time.Second, func(core.QueueEnded) bool { return true })
	entries, err := a.core.BookmarkEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := bmEntryOf(entries, item); ok {
		t.Fatalf("a finished episode is still listed: %+v", e)
	}
	// Played again, it starts from the beginning.
	if err := a.core.PlayItems([]core.Item{item}, 0, false, 0); err != nil {
		t.Fatal(err)
	}
	first := bmWaitFor(t, a.events, 10*time.Second, func(core.Position) bool { return true })
	if first.Position > time.Second {
		t.Fatalf("a finished episode resumed at %v", first.Position)
	}
}
