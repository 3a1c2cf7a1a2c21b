package cli

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/core"
)

func init() {
	extraCommands = append(extraCommands, command{
		"sync", "[--full]",
		"bring the library cache of this computer up to date (for instant search and offline use)", cmdSync,
	})
}

// syncMemoryLimit is the soft memory limit of an `ampdesk sync` process.
const syncMemoryLimit = 100 << 20

type syncOut struct {
	Full      bool    `json:"full"`
	Added     int     `json:"added"`
	Updated   int     `json:"updated"`
	Deleted   int     `json:"deleted"`
	Seconds   float64 `json:"seconds"`
	Artists   int     `json:"artists"`
	Albums    int     `json:"albums"`
	Songs     int     `json:"songs"`
	Genres    int     `json:"genres"`
	Playlists int     `json:"playlists"`
	Podcasts  int     `json:"podcasts"`
	Episodes  int     `json:"episodes"`
}

func cmdSync(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	full := fs.Bool("full", false, "fetch the whole library, not only what changed")
	// Hidden: measurements for benchmarks.
	stats := fs.Bool("stats", false, "print the time taken and the peak memory of the process to stderr")
	pageSize := fs.Int("page-size", 0, "objects per request (default the server's maximum, 5000)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("sync takes no arguments")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A sync decodes large pages: collect garbage sooner rather than
		// let the process grow (a soft limit; GOMEMLIMIT overrides it).
		debug.SetMemoryLimit(syncMemoryLimit)
	}
	start := time.Now()
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	events, stop := c.Subscribe()
	line := &progressLine{w: env.Stderr, quiet: env.JSON}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range events {
			if p, ok := ev.(core.SyncProgress); ok {
				line.show(syncLine(p))
			}
		}
	}()
	res, err := c.Sync(ctx, core.SyncOptions{Full: *full, PageSize: *pageSize})
	stop()
	<-done
	line.end()
	if *stats {
		fmt.Fprintf(env.Stderr, "stats: elapsed %.3fs peak_rss_mb %.1f\n", time.Since(start).Seconds(), float64(peakRSS())/(1<<20))
	}
	if err != nil {
		return err
	}
	out := syncOut{Full: res.Full, Added: res.Added, Updated: res.Updated, Deleted: res.Deleted,
		Seconds: res.Duration.Seconds(), Artists: res.Counts.Artists, Albums: res.Counts.Albums, Songs: res.Counts.Songs,
		Genres: res.Counts.Genres, Playlists: res.Counts.Playlists, Podcasts: res.Counts.Podcasts, Episodes: res.Counts.Episodes}
	return env.output(out, func(w io.Writer) {
		kind := "incremental"
		if res.Full {
			kind = "full"
		}
		fmt.Fprintf(w, "%s sync in %.1f s: %d added, %d updated, %d deleted\n", kind, res.Duration.Seconds(), res.Added, res.Updated, res.Deleted)
		fmt.Fprintf(w, "library: %d artists, %d albums, %d songs, %d genres, %d playlists, %d podcasts (%d episodes)\n",
			out.Artists, out.Albums, out.Songs, out.Genres, out.Playlists, out.Podcasts, out.Episodes)
	})
}

func syncLine(p core.SyncProgress) string {
	if p.Total > 0 {
		return fmt.Sprintf("syncing %s: %d of %d (%d%%)", p.Phase, p.Done, p.Total, p.Done*100/p.Total)
	}
	return fmt.Sprintf("syncing %s: %d", p.Phase, p.Done)
}

// progressLine keeps one line of progress up to date on a terminal (or
// writes a line now and then elsewhere).
type progressLine struct {
	w     io.Writer
	quiet bool
	last  time.Time
	shown int
}

func (l *progressLine) show(s string) {
	if l.quiet || time.Since(l.last) < 200*time.Millisecond {
		return
	}
	l.last = time.Now()
	pad := ""
	if n := l.shown - len(s); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(l.w, "\r%s%s", s, pad)
	l.shown = len(s)
}

func (l *progressLine) end() {
	if l.shown > 0 {
		fmt.Fprintf(l.w, "\r%s\r", strings.Repeat(" ", l.shown))
		l.shown = 0
	}
}

// peakRSS is the process's peak resident memory (VmHWM) in bytes, or the
// memory the Go runtime got from the system where /proc is missing.
func peakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				if f := strings.Fields(rest); len(f) == 2 && f[1] == "kB" {
					if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
						return n << 10
					}
				}
			}
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.Sys)
}
