package gui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// TestWindowStaysResponsiveWhileTheServerStalls opens every page of the
// main window (the sidebar's, and an album's, an artist's and a genre's)
// while the server holds every request unanswered. No UI work may wait on
// the network: each navigation returns at once, and UI callbacks posted
// every 10 ms (through the views' Do, as the views post theirs, then
// fyne.Do) keep running — the longest wait is recorded and must stay
// under a generous 250 ms while the pages load against the stalled server.
func TestWindowStaysResponsiveWhileTheServerStalls(t *testing.T) {
	const bound = 250 * time.Millisecond
	h := newHarness(t, harnessOptions{})
	before := h.srv.Requests("")
	release := h.srv.StallNext("", 1<<20) // every request, until released
	t.Cleanup(release)

	// The ticker: post a UI callback every 10 ms, record how long each
	// waited to run.
	var (
		mu      sync.Mutex
		maxWait time.Duration
		posted  int
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			t0 := time.Now()
			h.do(func() {
				fyne.Do(func() {
					w := time.Since(t0)
					mu.Lock()
					posted++
					maxWait = max(maxWait, w)
					mu.Unlock()
				})
			})
		}
	})

	routes := []Route{AlbumRoute("1"), ArtistRoute("2"), GenreRoute("1")}
	for _, n := range navItems() {
		routes = append(routes, n.route)
	}
	var slowest time.Duration
	for _, r := range routes {
		done := make(chan time.Duration, 1)
		go func() {
			t0 := time.Now()
			h.navigate(r)
			done <- time.Since(t0)
		}()
		select {
		case d := <-done:
			slowest = max(slowest, d)
			if d > bound {
				t.Errorf("opening %v took %v on the UI goroutine", r, d)
			}
		case <-time.After(10 * time.Second):
			release()
			t.Fatalf("opening %v blocked the UI goroutine on the stalled server", r)
		}
		time.Sleep(50 * time.Millisecond) // let the page start its loads
	}
	// The pages keep waiting on the server for a while; the UI goes on.
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()

	stalled := h.srv.Requests("") - before
	mu.Lock()
	t.Logf("%d pages opened against a stalled server (%d requests held): slowest navigation %v; %d UI callbacks, longest wait %v",
		len(routes), stalled, slowest.Round(time.Millisecond), posted, maxWait.Round(time.Millisecond))
	if maxWait > bound {
		t.Errorf("a UI callback waited %v (bound %v): something held the UI goroutine", maxWait, bound)
	}
	if posted < 50 {
		t.Errorf("only %d UI callbacks ran in the test", posted)
	}
	mu.Unlock()
	if stalled < len(routes)/2 {
		t.Errorf("only %d requests reached the stalled server: the pages did not load from it", stalled)
	}

	// Released, the window works on: the artists page fills.
	release()
	artists, ok := h.navigate(Route{Page: PageArtists}).(*artistsPage)
	if !ok {
		t.Fatal("the artists route shows another page")
	}
	h.waitFor("the artists once the server answers", func() bool { return artists.pager.Len() > 0 })
}
