package core_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// TestCheckServer: a live server answers; a gone one turns a synced
// profile offline at once, without waiting for a sync.
func TestCheckServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := offServer(t, "127.0.0.1:0")
	e := newOffEnv(t)
	c := e.core(t)
	if c.LibraryCached() {
		t.Fatal("a library is cached before any login")
	}
	loginHome(t, c, srv, false)
	if c.LibraryCached() {
		t.Fatal("the library counts as cached before its first sync")
	}
	if err := c.CheckServer(ctx); err != nil {
		t.Fatalf("check a live server: %v", err)
	}
	if _, err := c.Sync(ctx, core.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if !c.LibraryCached() {
		t.Fatal("the library does not count as cached after a sync")
	}
	events, stop := c.Subscribe()
	defer stop()
	srv.Close()
	err := c.CheckServer(ctx)
	var unreach *client.UnreachableError
	if !errors.As(err, &unreach) {
		t.Fatalf("check a gone server: %v", err)
	}
	offWait(t, events, "OfflineChanged", func(ev core.OfflineChanged) bool { return ev.Offline })
	if err := c.CheckServer(ctx); !errors.Is(err, core.ErrOffline) {
		t.Fatalf("check while offline: %v", err)
	}
	if !c.LibraryCached() {
		t.Fatal("the cached library is not used offline")
	}
}

// TestLibraryCachedAfterOpenCached: a new core over the folders of a
// synced profile answers from the cache before connecting.
func TestLibraryCachedAfterOpenCached(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := offServer(t, "127.0.0.1:0")
	e := newOffEnv(t)
	c := e.core(t)
	loginHome(t, c, srv, true)
	c.Close(ctx)

	c2 := e.core(t)
	if c2.LibraryCached() {
		t.Fatal("cached before OpenCached")
	}
	if _, err := c2.OpenCached(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	if !c2.LibraryCached() {
		t.Fatal("not cached after OpenCached")
	}
	before := srv.Requests("")
	if p, err := c2.Albums(ctx, nil); err != nil || len(p.Items) == 0 {
		t.Fatalf("albums from the cache: %v", err)
	}
	if n := srv.Requests(""); n != before {
		t.Fatalf("%d requests for cached albums", n-before)
	}
}
