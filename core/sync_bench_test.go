package core

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
)

// The library cache benchmarks (docs/benchmarks.md, "Library cache"):
//
//	go test -run '^$' -bench 'Sync|Search|Startup' -benchtime 1x ./core/
//
// ampachetest serves 100,000 songs / 10,000 albums / 2,000 artists on
// loopback from this process. The full sync and the start-up run in a
// child process (this test binary again, see TestBenchChild), so that
// their time and memory are the client's alone.

var benchLibrary = ampachetest.Library{Artists: 2000, AlbumsPerArtist: 5, SongsPerAlbum: 10,
	Podcasts: 3, EpisodesPerPodcast: 10, Playlists: 10, LiveStreams: 2, Seed: 1}

const benchChildEnv = "AMPDESK_BENCH_CHILD"

// benchServer is the 100k server, shared by the benchmarks of one run
// (building it takes a while).
var (
	benchOnce sync.Once
	benchSrv  *ampachetest.Server
)

func sharedServer() *ampachetest.Server {
	benchOnce.Do(func() { benchSrv = ampachetest.NewServer(ampachetest.Options{Library: benchLibrary}) })
	return benchSrv
}

func benchProfile(srv *ampachetest.Server) storage.Profile {
	return storage.Profile{Name: "bench", URL: srv.URL, User: srv.Admin.Username, Auth: storage.AuthPassword}
}

// syncedDirs makes folders with a cache synced from the 100k server (in
// a client process).
func syncedDirs(b *testing.B, srv *ampachetest.Server) storage.Dirs {
	b.Helper()
	dir := b.TempDir()
	dirs := storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"}
	if _, err := runBenchChild("fullsync", srv, dirs); err != nil {
		b.Fatal(err)
	}
	return dirs
}

// runBenchChild runs this test binary as a client process and returns
// the numbers it prints.
func runBenchChild(mode string, srv *ampachetest.Server, dirs storage.Dirs) (map[string]float64, error) {
	spec, _ := json.Marshal(map[string]string{"mode": mode, "url": srv.URL, "user": srv.Admin.Username,
		"password": srv.Admin.Password, "config": dirs.Config, "cache": dirs.Cache, "data": dirs.Data})
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), benchChildEnv+"="+string(spec))
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("child %s: %v\n%s%s", mode, err, out.String(), stderr.String())
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "BENCH "); ok {
			var m map[string]float64
			if err := json.Unmarshal([]byte(rest), &m); err != nil {
				return nil, err
			}
			return m, nil
		}
	}
	return nil, fmt.Errorf("child %s printed no result:\n%s%s", mode, out.String(), stderr.String())
}

// TestBenchChild is the client process of the benchmarks; it does nothing
// in a normal test run.
func TestBenchChild(t *testing.T) {
	raw := os.Getenv(benchChildEnv)
	if raw == "" {
		t.Skip("the client process of the library cache benchmarks")
	}
	var spec map[string]string
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dirs := storage.Dirs{Config: spec["config"], Cache: spec["cache"], Data: spec["data"]}
	start := time.Now()
	c, err := New(Options{Dirs: dirs, Keyring: &syncKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	p := storage.Profile{Name: "bench", URL: spec["url"], User: spec["user"], Auth: storage.AuthPassword}
	result := map[string]float64{}
	switch spec["mode"] {
	case "fullsync":
		// As `ampdesk sync` does (cli/sync.go): a soft memory limit.
		debug.SetMemoryLimit(100 << 20)
		stopProfiles := startBenchProfiles(t)
		defer stopProfiles()
		if err := c.profiles.Put(p); err != nil {
			t.Fatal(err)
		}
		if err := c.ConnectWith(ctx, p, client.Credentials{User: spec["user"], Password: spec["password"]}); err != nil {
			t.Fatal(err)
		}
		res, err := c.Sync(ctx, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		result["cpu_seconds"] = processCPU().Seconds()
		result["seconds"] = time.Since(start).Seconds()
		result["sync_seconds"] = res.Duration.Seconds()
		result["songs"] = float64(res.Counts.Songs)
		result["peak_rss_mb"] = float64(procStatus("VmHWM")) / (1 << 20)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		result["gc_cycles"] = float64(ms.NumGC)
		result["alloc_mb"] = float64(ms.TotalAlloc) / (1 << 20)
	case "startup":
		// What a window does first: open the cache, read the first page of
		// artists and albums, and search.
		if _, err := c.OpenCached(ctx, "bench"); err != nil {
			t.Fatal(err)
		}
		artists, err := c.Artists(ctx, &client.ArtistListOptions{ListOptions: client.ListOptions{Limit: 100}})
		if err != nil || len(artists.Items) != 100 {
			t.Fatalf("artists: %v", err)
		}
		if _, err := c.Albums(ctx, &client.AlbumListOptions{ListOptions: client.ListOptions{Limit: 100}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Search(ctx, "be", 20); err != nil {
			t.Fatal(err)
		}
		result["seconds"] = time.Since(start).Seconds()
		runtime.GC()
		time.Sleep(time.Second)
		result["idle_rss_mb"] = float64(procStatus("VmRSS")) / (1 << 20)
		result["peak_rss_mb"] = float64(procStatus("VmHWM")) / (1 << 20)
	default:
		qf, ok := strings.CutPrefix(spec["mode"], "search:")
		if !ok {
			t.Fatalf("mode %q", spec["mode"])
		}
		childSearch(t, c, qf, result)
	}
	b, _ := json.Marshal(result)
	fmt.Printf("BENCH %s\n", b)
}

// startBenchProfiles starts the profiles the environment asks for:
// AMPDESK_BENCH_CPUPROFILE and AMPDESK_BENCH_MEMPROFILE name files for a
// CPU profile and an allocation profile of the client process (see
// docs/benchmarks.md).
func startBenchProfiles(t *testing.T) (stop func()) {
	t.Helper()
	cpuFile, memFile := os.Getenv("AMPDESK_BENCH_CPUPROFILE"), os.Getenv("AMPDESK_BENCH_MEMPROFILE")
	var cpu *os.File
	if cpuFile != "" {
		var err error
		if cpu, err = os.Create(cpuFile); err != nil {
			t.Fatal(err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			t.Fatal(err)
		}
	}
	if memFile != "" {
		runtime.MemProfileRate = 64 << 10
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if memFile != "" {
			f, err := os.Create(memFile)
			if err != nil {
				t.Error(err)
				return
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				t.Error(err)
			}
		}
	}
}

// procStatus reads a memory figure of /proc/self/status in bytes (0
// where there is no /proc).
func procStatus(key string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			if f := strings.Fields(rest); len(f) == 2 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// BenchmarkFullSync100k is a first sync of 100,000 songs into an empty
// cache, in a separate client process: its time, peak RSS and CPU time.
func BenchmarkFullSync100k(b *testing.B) {
	srv := sharedServer()
	var secs, rss, cpu, gcs, alloc float64
	for b.Loop() {
		dir := b.TempDir()
		m, err := runBenchChild("fullsync", srv, storage.Dirs{Config: dir + "/config", Cache: dir + "/cache", Data: dir + "/data"})
		if err != nil {
			b.Fatal(err)
		}
		if int(m["songs"]) != len(srv.Songs()) {
			b.Fatalf("synced %v songs", m["songs"])
		}
		secs, rss, cpu = max(secs, m["sync_seconds"]), max(rss, m["peak_rss_mb"]), max(cpu, m["cpu_seconds"])
		gcs, alloc = max(gcs, m["gc_cycles"]), max(alloc, m["alloc_mb"])
	}
	b.ReportMetric(secs, "s/sync")
	b.ReportMetric(cpu, "cpu-s/sync")
	b.ReportMetric(rss, "peak-RSS-MB")
	b.ReportMetric(gcs, "GCs/sync")
	b.ReportMetric(alloc, "alloc-MB/sync")
}

// openBenchCore opens a synced 100k cache in this process.
func openBenchCore(b *testing.B) (*Core, *ampachetest.Server) {
	b.Helper()
	srv := sharedServer()
	c, err := New(Options{Dirs: syncedDirs(b, srv), Keyring: &syncKeyring{}, HTTPClient: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(context.Background()) })
	if err := c.ConnectWith(context.Background(), benchProfile(srv), client.Credentials{User: srv.Admin.Username, Password: srv.Admin.Password}); err != nil {
		b.Fatal(err)
	}
	if c.library() == nil {
		b.Fatal("the cache is not synced")
	}
	return c, srv
}

// BenchmarkIncrementalSyncNoChanges100k is a sync of the 100k library
// when nothing changed on the server.
func BenchmarkIncrementalSyncNoChanges100k(b *testing.B) {
	c, _ := openBenchCore(b)
	ctx := context.Background()
	for b.Loop() {
		res, err := c.Sync(ctx, SyncOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Full || res.Added+res.Updated+res.Deleted != 0 {
			b.Fatalf("%+v", res)
		}
	}
}

// benchQueries are 1,000 searches as a person types them: one to three
// words, each the first 1 to 6 letters of a word of an artist, album or
// song name of the library.
func benchQueries(srv *ampachetest.Server) []string {
	r := rand.New(rand.NewPCG(1, 2))
	var names []string
	for _, a := range srv.Artists() {
		names = append(names, a.Name)
	}
	albums := srv.Albums()
	for i := 0; i < len(albums); i += 7 {
		names = append(names, albums[i].Name)
	}
	songs := srv.Songs()
	for i := 0; i < len(songs); i += 31 {
		names = append(names, songs[i].Title)
	}
	out := make([]string, 0, 1000)
	for len(out) < 1000 {
		words := strings.Fields(names[r.IntN(len(names))])
		if len(words) == 0 {
			continue
		}
		n := 1 + r.IntN(min(3, len(words)))
		first := r.IntN(len(words) - n + 1)
		var q []string
		for _, w := range words[first : first+n] {
			runes := []rune(w)
			q = append(q, string(runes[:min(len(runes), 1+r.IntN(6))]))
		}
		out = append(out, strings.Join(q, " "))
	}
	return out
}

// BenchmarkSearch100k runs 1,000 searches over the 100k cache (20 results
// of each kind, as the search view asks) in a client process of its own
// (this process holds the server, whose large heap would slow searches
// here with its garbage collections) and reports the latency percentiles
// of one search and its CPU time.
func BenchmarkSearch100k(b *testing.B) {
	srv := sharedServer()
	dirs := syncedDirs(b, srv)
	qf := filepath.Join(b.TempDir(), "queries.json")
	qb, _ := json.Marshal(benchQueries(srv))
	if err := os.WriteFile(qf, qb, 0o600); err != nil {
		b.Fatal(err)
	}
	var m map[string]float64
	for b.Loop() {
		var err error
		if m, err = runBenchChild("search:"+qf, srv, dirs); err != nil {
			b.Fatal(err)
		}
	}
	for _, k := range []string{"p50-ms", "p99-ms", "max-ms", "cpu-ms/search"} {
		b.ReportMetric(m[k], k)
	}
}

// childSearch is the client process of BenchmarkSearch100k.
func childSearch(t *testing.T, c *Core, queryFile string, result map[string]float64) {
	ctx := context.Background()
	var queries []string
	b, err := os.ReadFile(queryFile)
	if err == nil {
		err = json.Unmarshal(b, &queries)
	}
	if err != nil || len(queries) == 0 {
		t.Fatalf("queries: %v", err)
	}
	if _, err := c.OpenCached(ctx, "bench"); err != nil {
		t.Fatal(err)
	}
	lat := make([]time.Duration, 0, len(queries))
	cpu0 := processCPU()
	for _, q := range queries {
		t0 := time.Now()
		if _, err := c.Search(ctx, q, 20); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	cpu := processCPU() - cpu0
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	result["p50-ms"] = ms(lat[len(lat)/2])
	result["p99-ms"] = ms(lat[len(lat)*99/100])
	result["max-ms"] = ms(lat[len(lat)-1])
	if cpu > 0 {
		result["cpu-ms/search"] = ms(cpu / time.Duration(len(queries)))
	}
}

// BenchmarkStartupCachedLibrary100k starts a client process over the
// synced cache: from nothing to the first page of artists and albums and
// a search answered (the core's part of a window's start-up), and the
// process's memory once idle.
func BenchmarkStartupCachedLibrary100k(b *testing.B) {
	srv := sharedServer()
	dirs := syncedDirs(b, srv)
	var secs, idle float64
	for b.Loop() {
		m, err := runBenchChild("startup", srv, dirs)
		if err != nil {
			b.Fatal(err)
		}
		secs, idle = max(secs, m["seconds"]), max(idle, m["idle_rss_mb"])
	}
	b.ReportMetric(secs*1000, "ms/startup")
	b.ReportMetric(idle, "idle-RSS-MB")
}
