package core_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// cutter sits in front of an ampachetest server and drops the connection
// of media bodies (play URLs) at given absolute byte offsets of the file,
// each once: a response starting at byte s (Range: bytes=s-) is cut at the
// first unused point after s. Points are drawn once the file's size is
// known (from the first full response).
type cutter struct {
	srv *ampachetest.Server
	n   int
	rnd *rand.Rand

	mu       sync.Mutex
	on       bool
	points   []int64 // absolute offsets, ascending
	used     int
	requests int
	log      []string // one line per media response, for failures
}

func (c *cutter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/play/index.php") {
		c.srv.ServeHTTP(w, r)
		return
	}
	c.mu.Lock()
	c.requests++
	on := c.on
	c.mu.Unlock()
	if !on {
		c.srv.ServeHTTP(w, r)
		return
	}
	start := int64(0)
	if v, ok := strings.CutPrefix(r.Header.Get("Range"), "bytes="); ok {
		start, _ = strconv.ParseInt(strings.TrimSuffix(v, "-"), 10, 64)
	}
	c.srv.ServeHTTP(&cutWriter{ResponseWriter: w, c: c, start: start}, r)
}

// cutAfter returns how many bytes of a response starting at start to pass
// before the cut, or -1 for no cut. size is the file's size.
func (c *cutter) cutAfter(start, size int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.points == nil && size > 0 {
		for range c.n {
			c.points = append(c.points, 64+c.rnd.Int64N(size-128))
		}
		slices.Sort(c.points)
	}
	for c.used < len(c.points) && c.points[c.used] <= start {
		c.used++ // a point the client skipped (it never happens with Range)
	}
	if c.used == len(c.points) {
		return -1
	}
	p := c.points[c.used]
	c.used++
	return p - start
}

type cutWriter struct {
	http.ResponseWriter
	c     *cutter
	start int64
	left  int64 // bytes to pass before the cut; -1: none
	began bool
}

func (w *cutWriter) WriteHeader(code int) {
	size := int64(-1)
	if cr := w.Header().Get("Content-Range"); cr != "" { // bytes a-b/size
		if _, total, ok := strings.Cut(cr, "/"); ok {
			size, _ = strconv.ParseInt(total, 10, 64)
		}
	} else if cl := w.Header().Get("Content-Length"); cl != "" && w.start == 0 {
		size, _ = strconv.ParseInt(cl, 10, 64)
	}
	w.left = -1
	if code == http.StatusOK || code == http.StatusPartialContent {
		w.left = w.c.cutAfter(w.start, size)
	}
	w.c.mu.Lock()
	w.c.log = append(w.c.log, fmt.Sprintf("from byte %d: %d %s, cut after %d bytes", w.start, code, w.Header().Get("Content-Range"), w.left))
	w.c.mu.Unlock()
	w.began = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *cutWriter) Write(p []byte) (int, error) {
	if !w.began {
		w.WriteHeader(http.StatusOK)
	}
	if w.left < 0 || int64(len(p)) <= w.left {
		if w.left >= 0 {
			w.left -= int64(len(p))
		}
		return w.ResponseWriter.Write(p)
	}
	_, _ = w.ResponseWriter.Write(p[:w.left])
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler) // drop the connection mid-body
}

// TestStreamCutAt20RandomPoints plays a 2-minute podcast episode whose
// connection is dropped at 20 random points: it plays to its end, its
// length within 1 s of the episode's (in fact sample for sample the same
// audio as without the cuts). Both plays run on one core, the second
// right after the first ended: it must start from the beginning too (a
// resume looked up as the first queue ended once carried over to it).
func TestStreamCutAt20RandomPoints(t *testing.T) {
	t.Parallel()
	const (
		cuts     = 20
		duration = 2 * time.Minute
		rate     = 11025 // the episode's rate: no resampling to compare
	)
	seed := uint64(time.Now().UnixNano())
	t.Logf("cut points from seed %d", seed)
	srv := ampachetest.NewServer(ampachetest.Options{})
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	ep, err := srv.AddEpisode(1, "Cut at twenty points", duration)
	if err != nil {
		t.Fatal(err)
	}
	cut := &cutter{srv: srv, n: cuts, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	front := httptest.NewUnstartedServer(cut)
	front.Config.ErrorLog = quietLogger()
	front.Start()
	t.Cleanup(front.Close)

	var out *audiotest.Output
	dir := t.TempDir()
	c, err := core.New(core.Options{
		Dirs:    storage.Dirs{Config: filepath.Join(dir, "config"), Cache: filepath.Join(dir, "cache"), Data: filepath.Join(dir, "data")},
		Keyring: &storagetest.MemKeyring{}, HTTPClient: srv.Client(),
		Output: func() (audio.Output, error) { out = audiotest.NewOutput(rate); return out, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	ctx := t.Context()
	if _, err := c.Login(ctx, core.LoginRequest{Server: front.URL + "/ampache", User: srv.Admin.Username, Password: srv.Admin.Password, Name: "cuts"}); err != nil {
		t.Fatal(err)
	}
	e, err := c.Episode(ctx, client.ID(strconv.Itoa(ep.ID)))
	if err != nil {
		t.Fatal(err)
	}
	events, stop := c.Subscribe()
	defer stop()
	play := func() [][2]float64 {
		t.Helper()
		out0 := out
		if out0 != nil {
			out0.Reset()
		}
		if err := c.PlayItems([]core.Item{core.EpisodeItem(*e)}, 0, false, core.FromStart); err != nil {
			t.Fatal(err)
		}
		relWaitPlayed(t, events, 2*time.Minute)
		return out.Samples()
	}

	// Without cuts: the reference.
	ref := play()
	// With the cuts.
	cut.mu.Lock()
	cut.on, cut.requests = true, 0
	cut.mu.Unlock()
	got := play()

	cut.mu.Lock()
	used, requests, points := cut.used, cut.requests, slices.Clone(cut.points)
	cut.mu.Unlock()
	if used != cuts {
		t.Fatalf("%d of %d cuts happened (points %v)", used, cuts, points)
	}
	if requests < cuts+1 {
		t.Errorf("%d media requests for %d cuts: the stream did not reconnect after each", requests, cuts)
	}
	want := duration.Seconds()
	gotSec := float64(len(got)) / rate
	refSec := float64(len(ref)) / rate
	diff := gotSec - want
	t.Logf("%d cuts at bytes %v of %d; %d media requests; played %.3f s of %.0f s (error %+.3f s); without cuts %.3f s",
		cuts, points, ep.Size, requests, gotSec, want, diff, refSec)
	if diff < -1 || diff > 1 {
		t.Errorf("played %.3f s, want %.0f s ± 1 s", gotSec, want)
	}
	if t.Failed() {
		cut.mu.Lock()
		t.Logf("media responses:\n%s", strings.Join(cut.log, "\n"))
		cut.mu.Unlock()
	}
	if len(got) != len(ref) {
		t.Errorf("%d frames with cuts, %d without", len(got), len(ref))
	}
	if i := firstDiff(got, ref); i >= 0 {
		t.Errorf("the audio differs from the uncut playback at %.3f s", float64(i)/rate)
	}
}

func firstDiff(a, b [][2]float64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// quietLogger drops the server's log of the connections dropped on purpose.
func quietLogger() *log.Logger { return log.New(io.Discard, "", 0) }
