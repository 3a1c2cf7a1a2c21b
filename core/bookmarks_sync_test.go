package core

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
	"github.com/zalando/go-keyring"
)

// The worker's replay, in a synctest bubble: the server is called
// in-process (no network) and the backoff timers run on the bubble's
// fake clock.

// bmHandlerTransport serves requests with an http.Handler, or refuses them
// while down.
type bmHandlerTransport struct {
	h    http.Handler
	down *atomic.Bool
}

func (t bmHandlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.down.Load() {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

type bmKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *bmKeyring) Set(s, u, p string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[s+"/"+u] = p
	return nil
}

func (k *bmKeyring) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[s+"/"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (k *bmKeyring) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, s+"/"+u)
	return nil
}

type bmSyncEnv struct {
	srv  *ampachetest.Server
	down atomic.Bool
	dirs storage.Dirs
	kr   bmKeyring
}

func (e *bmSyncEnv) core(t *testing.T) *Core {
	t.Helper()
	c, err := New(Options{Dirs: e.dirs, Keyring: &e.kr, HTTPClient: &http.Client{Transport: bmHandlerTransport{e.srv, &e.down}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func bmEpisodeIDs(t *testing.T, srv *ampachetest.Server, n int) []client.ID {
	t.Helper()
	var ids []client.ID
	for _, p := range srv.Podcasts() {
		for _, id := range p.EpisodeIDs {
			if len(ids) < n {
				ids = append(ids, client.ID(strconv.Itoa(id)))
			}
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d episodes", len(ids))
	}
	return ids
}

func bmPendingEntry(scope string, id client.ID, pos time.Duration, at time.Time) storage.JournalEntry {
	return storage.JournalEntry{Scope: scope, ObjectType: string(client.TypePodcastEpisode), ObjectID: string(id),
		Position: pos, Updated: at, State: storage.JournalPendingSet}
}

// Positions saved while the server is unreachable are retried with
// backoff and replayed oldest first once it answers; one the server holds
// a newer bookmark for (another device) is dropped, and the newer one is
// adopted. What is left pending when the core quits is replayed by the
// next core at connect.
func TestBookmarkReplayRetriesOldestFirstAndAtConnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := &bmSyncEnv{srv: ampachetest.NewUnstartedServer(ampachetest.Options{})}
		defer e.srv.Close()
		dir := t.TempDir()
		e.dirs = storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}
		c := e.core(t)
		if _, err := c.Login(ctx, LoginRequest{Server: "http://ampache.test/ampache", User: e.srv.Admin.Username,
			Password: e.srv.Admin.Password, Name: "test"}); err != nil {
			t.Fatal(err)
		}
		events, unsubscribe := c.Subscribe()
		defer unsubscribe()
		scope := c.bm.scope()
		ids := bmEpisodeIDs(t, e.srv, 5)
		t0 := time.Now()

		// Another device saved a position in episode 4 a minute after ours.
		phone, err := client.New("http://ampache.test/ampache", client.WithHTTPClient(&http.Client{Transport: bmHandlerTransport{e.srv, new(atomic.Bool)}}),
			client.WithCredentials(client.Credentials{User: e.srv.Admin.Username, Password: e.srv.Admin.Password}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := phone.Bookmarks.Create(ctx, ids[3], client.TypePodcastEpisode, 777,
			&client.BookmarkWriteOptions{Client: "Phone", Date: t0.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}

		e.down.Store(true)
		// Queued out of order; the journal replays by update time.
		c.bm.q.put(bmPendingEntry(scope, ids[1], 20*time.Second, t0.Add(2*time.Second)), false)
		c.bm.q.put(bmPendingEntry(scope, ids[0], 10*time.Second, t0.Add(1*time.Second)), false)
		c.bm.q.put(bmPendingEntry(scope, ids[2], 30*time.Second, t0.Add(3*time.Second)), false)
		c.bm.q.put(bmPendingEntry(scope, ids[3], 40*time.Second, t0.Add(4*time.Second)), true)
		c.bm.signal()
		synctest.Wait()
		pending, err := c.bm.journal.Pending(ctx, scope)
		if err != nil || len(pending) != 4 || pending[0].Attempts != 1 || pending[0].LastError == "" {
			t.Fatalf("after a failed push: %+v %v", pending, err)
		}
		// Still down at the first retries: more attempts, nothing lost.
		time.Sleep(5 * time.Second)
		synctest.Wait()
		pending, _ = c.bm.journal.Pending(ctx, scope)
		if len(pending) != 4 || pending[0].Attempts < 2 {
			t.Fatalf("retries while down: %+v", pending)
		}

		e.down.Store(false)
		time.Sleep(retryPolicy().Max)
		synctest.Wait()
		if pending, _ := c.bm.journal.Pending(ctx, scope); len(pending) != 0 {
			t.Fatalf("still pending after the server came back: %+v", pending)
		}
		var created []string
		for _, b := range e.srv.Bookmarks(e.srv.Admin.Username) {
			if b.Client == ClientName {
				created = append(created, strconv.Itoa(b.ObjectID)+"@"+b.Position.String())
				if b.Updated.Unix() != t0.Add(time.Duration(b.Position/(10*time.Second))*time.Second).Unix() {
					t.Errorf("bookmark of %d dated %v, want the time it was taken", b.ObjectID, b.Updated)
				}
			}
		}
		want := []string{string(ids[0]) + "@10s", string(ids[1]) + "@20s", string(ids[2]) + "@30s"}
		if len(created) != 3 || created[0] != want[0] || created[1] != want[1] || created[2] != want[2] {
			t.Fatalf("server bookmarks in creation order %v, want %v (oldest first, none for the phone's episode)", created, want)
		}
		adopted, ok, _ := c.bm.journal.Get(ctx, scope, string(client.TypePodcastEpisode), string(ids[3]))
		if !ok || adopted.State != storage.JournalSynced || adopted.Position != 777*time.Second ||
			!adopted.Updated.Equal(t0.Add(time.Minute)) {
			t.Fatalf("the phone's newer position was not adopted: %+v", adopted)
		}
		if !bmSawEvent[BookmarksChanged](events) {
			t.Fatal("no BookmarksChanged event")
		}

		// A position left pending at quit (server down) is replayed by the
		// next core when it connects.
		e.down.Store(true)
		c.bm.q.put(bmPendingEntry(scope, ids[4], 50*time.Second, time.Now()), true)
		closeCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		c.Close(closeCtx)
		cancel()
		e.down.Store(false)
		if _, ok := bmServerBookmark(e.srv, ids[4]); ok {
			t.Fatal("pushed while down")
		}
		c2 := e.core(t)
		defer c2.Close(ctx)
		if _, err := c2.Connect(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if b, ok := bmServerBookmark(e.srv, ids[4]); !ok || b.Position != 50*time.Second {
			t.Fatalf("not replayed at connect: %+v %v", b, ok)
		}
		if err := c2.SyncBookmarks(ctx); err != nil {
			t.Fatal(err)
		}
		c2.Close(ctx)
		if err := c2.SyncBookmarks(ctx); !errors.Is(err, ErrNotConnected) {
			t.Fatalf("SyncBookmarks after Close: %v", err)
		}
	})
}

func bmServerBookmark(srv *ampachetest.Server, id client.ID) (ampachetest.Bookmark, bool) {
	for _, b := range srv.Bookmarks(srv.Admin.Username) {
		if strconv.Itoa(b.ObjectID) == string(id) {
			return b, true
		}
	}
	return ampachetest.Bookmark{}, false
}

func bmSawEvent[T Event](events <-chan Event) bool {
	for {
		select {
		case ev := <-events:
			if _, ok := ev.(T); ok {
				return true
			}
		default:
			return false
		}
	}
}

func TestMergeBookmarks(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_750_000_000, 0)
	ep := func(id string) *client.PodcastEpisode {
		return &client.PodcastEpisode{ID: client.ID(id), Title: "Episode " + id, Time: 3600}
	}
	bm := func(id, who string, pos int, at time.Time) client.Bookmark {
		return client.Bookmark{ObjectType: "podcast_episode", ObjectID: client.ID(id), Position: client.Int(pos),
			Client: who, Updated: client.Time{Time: at}, PodcastEpisode: ep(id)}
	}
	local := func(id string, pos time.Duration, at time.Time, st storage.JournalState) storage.JournalEntry {
		return storage.JournalEntry{ObjectType: "podcast_episode", ObjectID: id, Position: pos, Duration: time.Hour,
			Updated: at, State: st, Title: "Local " + id}
	}
	server := []client.Bookmark{
		bm("1", "Ampdesk", 100, t0),
		bm("1", "Phone", 200, t0.Add(time.Minute)), // newer of the two
		bm("2", "Ampdesk", 300, t0),
		bm("3", "Ampdesk", 400, t0),
		bm("4", "Phone", 500, t0.Add(time.Hour)),
		bm("5", "Ampdesk", 600, t0),
	}
	journal := []storage.JournalEntry{
		local("2", 333*time.Second, t0.Add(2*time.Minute), storage.JournalPendingSet), // newer here
		local("3", 0, t0.Add(3*time.Minute), storage.JournalPendingDelete),            // finished here
		local("4", 10*time.Second, t0.Add(4*time.Minute), storage.JournalPendingSet),  // older than the phone's
		local("6", 66*time.Second, t0.Add(5*time.Minute), storage.JournalPendingSet),  // not on the server yet
		local("7", 77*time.Second, t0.Add(-time.Hour), storage.JournalSynced),         // deleted on the server since
		local("5", 600*time.Second, t0, storage.JournalSynced),                        // the server's own
	}
	got := mergeBookmarks(server, journal, true)
	type row struct {
		id      string
		pos     time.Duration
		who     string
		pending bool
		title   string
	}
	var rows []row
	for _, e := range got {
		rows = append(rows, row{string(e.Item.ID), e.Position, e.Client, e.Pending, e.Item.Title})
	}
	want := []row{
		{"4", 500 * time.Second, "Phone", false, "Episode 4"},
		{"6", 66 * time.Second, "Ampdesk", true, "Local 6"},
		{"2", 333 * time.Second, "Ampdesk", true, "Episode 2"},
		{"1", 200 * time.Second, "Phone", false, "Episode 1"},
		{"5", 600 * time.Second, "Ampdesk", false, "Episode 5"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %+v\nwant %+v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Fatalf("row %d: got %+v, want %+v\nall: %+v", i, rows[i], want[i], rows)
		}
	}
	// Offline: this computer's positions only, synced ones included.
	offline := mergeBookmarks(nil, journal, false)
	var ids []string
	for _, e := range offline {
		ids = append(ids, string(e.Item.ID))
	}
	if len(ids) != 5 || ids[0] != "6" || ids[4] != "7" {
		t.Fatalf("offline: %v, want 6 4 2 5 7 (newest first, finished hidden)", ids)
	}
}

// A profile open offline keeps its positions under the same account, and
// they are pushed when it reconnects.
func TestBookmarkOfflineProfileReplaysAtReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := &bmSyncEnv{srv: ampachetest.NewUnstartedServer(ampachetest.Options{})}
		defer e.srv.Close()
		dir := t.TempDir()
		e.dirs = storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}
		c := e.core(t)
		if _, err := c.Login(ctx, LoginRequest{Server: "http://ampache.test/ampache", User: e.srv.Admin.Username,
			Password: e.srv.Admin.Password, Name: "test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Sync(ctx, SyncOptions{}); err != nil { // offline needs a synced library
			t.Fatal(err)
		}
		online := c.bm.scope()
		c.Close(ctx)

		e.down.Store(true)
		c2 := e.core(t)
		defer c2.Close(ctx)
		if _, err := c2.ConnectOrOffline(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		if _, offline := c2.Offline(); !offline {
			t.Fatal("not offline")
		}
		if got := c2.bm.scope(); got != online {
			t.Fatalf("offline scope %q, want the account's %q", got, online)
		}
		id := bmEpisodeIDs(t, e.srv, 1)[0]
		c2.bm.q.put(bmPendingEntry(online, id, 42*time.Second, time.Now()), true)
		if err := c2.bm.sync(ctx); err != nil {
			t.Fatalf("an offline push is not an error to retry: %v", err)
		}
		if _, ok := bmServerBookmark(e.srv, id); ok {
			t.Fatal("pushed while offline")
		}
		e.down.Store(false)
		if err := c2.Reconnect(ctx); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if b, ok := bmServerBookmark(e.srv, id); !ok || b.Position != 42*time.Second {
			t.Fatalf("not pushed at reconnect: %+v %v", b, ok)
		}
	})
}
