package audio

import (
	"os"
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
			for b.Loop() {
				cpu0, t0 := cpuTime(), time.Now()
				time.Sleep(measured)
				cpu += cpuTime() - cpu0
				wall += time.Since(t0)
			}
			p.Stop()
			b.ReportMetric(100*float64(cpu)/float64(wall), "%core")
			b.ReportMetric(0, "ns/op")
		})
	}
}
