package core_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
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

// relClock is a server clock that tests move forward.
type relClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *relClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the clock by d and returns the new time.
func (c *relClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// TestSessionsExpiringEvery5s runs 1,000 mixed use-case calls (browse,
// search, bookmarks, ratings, playlists, art, playback) from 4 goroutines
// while the server ends every session every 5 s of its clock (each call
// moves the clock 250 ms; sessions also lapse after 5 s unused). No error
// may reach the caller: the client renews the session and retries.
func TestSessionsExpiringEvery5s(t *testing.T) {
	t.Parallel()
	const (
		total    = 1000
		workers  = 4
		step     = 250 * time.Millisecond
		lifetime = 5 * time.Second
	)
	clock := &relClock{now: time.Now()}
	srv := ampachetest.NewServer(ampachetest.Options{SessionLength: lifetime, Now: clock.Now})
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	dir := t.TempDir()
	dirs := storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")}
	c, err := core.New(core.Options{
		Dirs: dirs, Keyring: &storagetest.MemKeyring{}, HTTPClient: srv.Client(),
		Output: func() (audio.Output, error) { return audiotest.NewOutput(44100), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	ctx := t.Context()
	if _, err := c.Login(ctx, core.LoginRequest{Server: srv.URL, User: srv.Admin.Username, Password: srv.Admin.Password, Name: "expiry"}); err != nil {
		t.Fatal(err)
	}
	cache, err := storage.OpenArtCache(filepath.Join(dirs.Cache, "art"), 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	art := core.NewArtSource(c, cache)
	pl, err := c.CreatePlaylist(ctx, "Expiry", false)
	if err != nil {
		t.Fatal(err)
	}
	events, stop := c.Subscribe()
	defer stop()
	var playMu sync.Mutex // one playback at a time

	id := func(n int) client.ID { return client.ID(strconv.Itoa(n)) }
	calls := []struct {
		name string
		do   func(i int) error
	}{
		{"albums", func(i int) error {
			_, err := c.Albums(ctx, &client.AlbumListOptions{ListOptions: client.ListOptions{Offset: i % 50, Limit: 20}})
			return err
		}},
		{"album", func(i int) error { _, _, err := c.Album(ctx, id(1+i%70)); return err }},
		{"artists", func(i int) error { _, err := c.Artists(ctx, nil); return err }},
		{"artist", func(i int) error { _, err := c.Artist(ctx, id(1+i%24)); return err }},
		{"song", func(i int) error { _, err := c.Song(ctx, id(1+i%500)); return err }},
		{"songs", func(i int) error {
			_, err := c.Songs(ctx, &client.SongListOptions{ListOptions: client.ListOptions{Offset: i % 400, Limit: 50}})
			return err
		}},
		{"search", func(i int) error { _, err := c.Search(ctx, []string{"a", "the", "love", "sig"}[i%4], 10); return err }},
		{"genres", func(i int) error { _, err := c.Genres(ctx, nil); return err }},
		{"playlists", func(i int) error { _, err := c.Playlists(ctx); return err }},
		{"podcasts", func(i int) error { _, err := c.Podcasts(ctx); return err }},
		{"episodes", func(i int) error { _, err := c.Episodes(ctx, id(1+i%3)); return err }},
		{"set bookmark", func(i int) error { _, err := c.SetBookmark(ctx, client.TypeSong, id(9+i%20), 10+i%100); return err }},
		{"bookmark", func(i int) error {
			_, err := c.Bookmark(ctx, client.TypeSong, id(9+i%20))
			if errors.Is(err, core.ErrNoBookmark) {
				return nil // an answer: that song has no bookmark (yet)
			}
			return err
		}},
		{"rate", func(i int) error { return c.Rate(ctx, client.TypeSong, id(1+i%300), i%6) }},
		{"flag", func(i int) error { return c.Flag(ctx, client.TypeAlbum, id(1+i%60), i%2 == 0) }},
		{"add to playlist", func(i int) error { return c.AddToPlaylist(ctx, pl.ID, client.TypeSong, id(1+i%300)) }},
		{"ping", func(i int) error { _, err := c.Ping(ctx); return err }},
		{"art", func(i int) error { _, err := art.Art(ctx, client.TypeAlbum, id(1+i%70), 32+i%7); return err }},
		{"play", func(i int) error {
			playMu.Lock()
			defer playMu.Unlock()
			s, err := c.Song(ctx, id(1+i%8)) // the 3 s test tones
			if err != nil {
				return err
			}
			if err := c.PlayItems([]core.Item{core.SongItem(*s)}, 0, false, core.FromStart); err != nil {
				return err
			}
			for {
				select {
				case ev := <-events:
					switch e := ev.(type) {
					case core.PlaybackFailed:
						return fmt.Errorf("playback: %w", e.Err)
					case core.QueueEnded:
						return nil
					}
				case <-time.After(30 * time.Second):
					return fmt.Errorf("song %d did not play to its end", 1+i%8)
				}
			}
		}},
	}

	srv.ResetRequests()
	var (
		next, expirations atomic.Int64
		mu                sync.Mutex
		failures          = map[string]int{}
		firstErr          = map[string]string{}
	)
	start := clock.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				// Every 5 s of server time, every session ends.
				before := clock.Now().Sub(start)
				now := clock.advance(step).Sub(start)
				if now/lifetime != before/lifetime {
					srv.ExpireSessions()
					expirations.Add(1)
				}
				call := calls[i%len(calls)]
				if err := call.do(i); err != nil {
					mu.Lock()
					failures[call.name]++
					if firstErr[call.name] == "" {
						firstErr[call.name] = core.Explain(err)
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for name, n := range failures {
		t.Errorf("%s: %d errors reached the caller, first: %s", name, n, firstErr[name])
	}
	handshakes := srv.Requests("handshake")
	t.Logf("%d calls, %d requests to the server, %d session expirations, %d renewals (handshakes) over %v of server time",
		total, srv.Requests(""), expirations.Load(), handshakes, clock.Now().Sub(start))
	if expirations.Load() < total*int64(step)/int64(lifetime)-1 {
		t.Errorf("only %d expirations", expirations.Load())
	}
	if handshakes < int(expirations.Load()) {
		t.Errorf("%d renewals for %d expirations: the sessions did not really expire", handshakes, expirations.Load())
	}
}
