package audio

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// cpuTime is the CPU time the process has used (user and system), which
// other processes on the machine do not inflate as they do wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Decode CPU per second of audio, as a percentage of one core: ns of CPU
// per second of audio / 1e7 (process CPU time, garbage collection
// included).
func BenchmarkDecode(b *testing.B) {
	for _, tc := range []struct{ name, clip, format string }{
		{"mp3-320k", "tone1k", "mp3"},
		{"mp3-128k", "tune", "mp3"},
		{"flac", "tune", "flac"},
		{"vorbis", "tune", "ogg"},
		{"wav", "tune", "wav"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := clipNamed(b, tc.clip)
			data := encoded(b, c, tc.format)
			buf := make([][2]float64, chunkFrames)
			var frames int
			cpu0 := cpuTime()
			for b.Loop() {
				st, _ := Memory{Data: data}.Open(context.Background(), 0)
				d, err := openDecoder(st)
				if err != nil {
					b.Fatal(err)
				}
				for {
					n, ok := d.Stream(buf)
					frames += n
					if !ok {
						break
					}
				}
			}
			cpu := cpuTime() - cpu0
			audioSeconds := float64(frames) / float64(c.SampleRate)
			b.ReportMetric(float64(cpu.Nanoseconds())/audioSeconds/1e7, "%core")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// Resampling 48 kHz to 44.1 kHz, per second of audio.
func BenchmarkResample(b *testing.B) {
	c := clipNamed(b, "tone1k-48k")
	ref := reference(c)
	buf := make([][2]float64, chunkFrames)
	var frames int
	cpu0 := cpuTime()
	for b.Loop() {
		s := beep.Resample(resampleQuality, 48000, 44100, &sliceStreamer{data: ref})
		for {
			n, ok := s.Stream(buf)
			frames += n
			if !ok {
				break
			}
		}
	}
	cpu := cpuTime() - cpu0
	audioSeconds := float64(frames) / 44100
	b.ReportMetric(float64(cpu.Nanoseconds())/audioSeconds/1e7, "%core")
	b.ReportMetric(0, "ns/op")
}

type sliceStreamer struct {
	data [][2]float64
	pos  int
}

func (s *sliceStreamer) Stream(samples [][2]float64) (int, bool) {
	if s.pos >= len(s.data) {
		return 0, false
	}
	n := copy(samples, s.data[s.pos:])
	s.pos += n
	return n, true
}

func (s *sliceStreamer) Err() error { return nil }

// Time from Play to the first sample handed to the output, for a track
// served over loopback HTTP (target: at most 100 ms).
func BenchmarkTimeToFirstSample(b *testing.B) {
	for _, format := range []string{"mp3", "flac", "ogg"} {
		b.Run(format, func(b *testing.B) {
			tr := memoryTrack(b, "tune", format)
			srv := (&clipServer{data: tr.Source.(Memory).Data, ranges: true}).start(b)
			tr.Source = HTTP{Client: srv.Client(), URL: srv.URL}
			p := newTestPlayer(b, 44100, Options{})
			var total time.Duration
			for b.Loop() {
				p.Load([]Track{tr}, 0)
				p.out.Reset()
				start := time.Now()
				p.Play()
				if err := p.out.WaitFor(context.Background(), func(s audiotest.Stats) bool { return s.Frames > 0 }); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				p.Stop()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-sample")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// Time from Seek to the first sample of the new position handed to the
// output, while playing a track served over loopback HTTP with Range.
func BenchmarkSeekLatency(b *testing.B) {
	for _, format := range []string{"mp3", "flac", "ogg", "wav"} {
		b.Run(format, func(b *testing.B) {
			tr := memoryTrack(b, "tune", format)
			srv := (&clipServer{data: tr.Source.(Memory).Data, ranges: true}).start(b)
			tr.Source = HTTP{Client: srv.Client(), URL: srv.URL}
			p := newTestPlayer(b, 44100, Options{})
			p.Load([]Track{tr}, 0)
			p.Play()
			p.Pause()
			targets := []time.Duration{15 * time.Second, 3 * time.Second, 9 * time.Second, 17 * time.Second, 1 * time.Second}
			var total time.Duration
			i := 0
			for b.Loop() {
				flushes := p.out.Stats().Flushes
				start := time.Now()
				p.Seek(targets[i%len(targets)])
				p.Play()
				if err := p.out.WaitFor(context.Background(), func(s audiotest.Stats) bool {
					return s.Flushes > flushes && s.SinceFlush > 0
				}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				p.Pause()
				i++
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/seek")
			b.ReportMetric(0, "ns/op")
		})
	}
}
