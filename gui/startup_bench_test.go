package gui

import (
	"context"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// BenchmarkStartShowsCachedLibrary: from a new core and window over a
// synced library to the albums page showing cached albums, while the
// server answers nothing (every request waits). Issue 9's target for the
// real window is 1 s; scripts measure that under Xvfb.
func BenchmarkStartShowsCachedLibrary(b *testing.B) {
	h := newHarness(b, harnessOptions{noConnect: true, library: ampachetest.Library{Artists: 200, AlbumsPerArtist: 5, SongsPerAlbum: 10, Seed: 4}})
	syncedAndClosed(b, h)
	release := h.srv.StallNext("", 1<<30)
	defer release()
	for b.Loop() {
		s, c := startShell(b, h)
		for shown := false; !shown; {
			h.ui(func() {
				a, ok := s.current.(*albumsPage)
				shown = ok && a.pager.Len() > 0
			})
			if !shown {
				time.Sleep(100 * time.Microsecond)
			}
		}
		b.StopTimer()
		h.ui(s.Close)
		c.Close(context.Background())
		b.StartTimer()
	}
}
