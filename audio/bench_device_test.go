package audio

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// CPU of the whole test process, as a percentage of one core, while the
// Player plays (or is paused) through the real sound device: decoding,
// the pipeline, oto and the sound server's client together. Tracks are
// held in memory and looped (repeat all). Skipped without a sound server
// or card; scripts/bench/audio.sh runs it against a PulseAudio null sink.
// AMPDESK_BENCH_SECONDS sets the measured time (default 10 s).
func BenchmarkDeviceCPU(b *testing.B) {
	if !hasSoundDevice() {
		b.Skip("no sound server or card")
	}
	out, err := NewOutput(OutputOptions{ApplicationName: "ampdesk-bench"})
	if err != nil {
		b.Skipf("cannot open the sound device (once per process: run this benchmark alone): %v", err)
	}
	defer out.Close()
	measured := 10 * time.Second
	if s := os.Getenv("AMPDESK_BENCH_SECONDS"); s != "" {
		if d, err := time.ParseDuration(s + "s"); err == nil && d > 0 {
			measured = d
		}
	}
	for _, tc := range []struct {
		name, clip, format string
		paused             bool
	}{
		{"mp3-320k", "tone1k", "mp3", false},
		{"flac", "tone1k", "flac", false},
		{"paused", "tone1k", "mp3", true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := NewPlayer(out, Options{})
			defer p.Close()
			go func() {
				for range p.Events() {
				}
			}()
			p.Load([]Track{memoryTrack(b, tc.clip, tc.format)}, 0)
			p.SetRepeat(RepeatAll)
			p.Play()
			time.Sleep(time.Second)
			if tc.paused {
				p.Pause()
				time.Sleep(300 * time.Millisecond)
			}
			var cpu, wall time.Duration
			var switches int
			for b.Loop() {
				cpu0, t0, sw0 := cpuTime(), time.Now(), contextSwitches()
				time.Sleep(measured)
				cpu += cpuTime() - cpu0
				wall += time.Since(t0)
				switches += contextSwitches() - sw0
			}
			p.Stop()
			b.ReportMetric(100*float64(cpu)/float64(wall), "%core")
			b.ReportMetric(float64(switches)/wall.Seconds(), "ctxsw/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// contextSwitches counts the context switches of every thread of the
// process so far (Linux; 0 elsewhere): how often it woke up.
func contextSwitches() int {
	paths, _ := filepath.Glob("/proc/self/task/*/status")
	total := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if name, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.HasSuffix(name, "ctxt_switches") {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				total += n
			}
		}
		f.Close()
	}
	return total
}
