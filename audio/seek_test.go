package audio

import (
	"fmt"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// A seek lands within 50 ms of its target, in every format and over every
// kind of source: in memory (decoder seek; exact MP3 index), HTTP with
// Range (decoder seek over Range requests; MP3 by bitrate), HTTP without
// Range (reopened at an offset URL, or decoded forward). Where it landed
// is found by matching the audio after the seek against the tune's PCM.
func TestSeekLandsNearTarget(t *testing.T) {
	t.Parallel()
	tune := clipNamed(t, "tune")
	ref := reference(tune)
	type source int
	const (
		memory source = iota
		httpRange
		httpNoRange
		httpOffset
	)
	names := map[source]string{memory: "memory", httpRange: "http-range", httpNoRange: "http-no-range", httpOffset: "http-offset-url"}
	tests := []struct {
		format string
		src    source
		exact  bool
	}{
		{"flac", memory, true}, {"wav", memory, true}, {"ogg", memory, false}, {"mp3", memory, false},
		{"flac", httpRange, true}, {"wav", httpRange, true}, {"ogg", httpRange, false}, {"mp3", httpRange, false},
		{"mp3", httpNoRange, false}, {"flac", httpNoRange, true},
		{"wav", httpOffset, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.format, names[tt.src]), func(t *testing.T) {
			t.Parallel()
			tr := memoryTrack(t, "tune", tt.format)
			data := tr.Source.(Memory).Data
			switch tt.src {
			case httpRange:
				srv := (&clipServer{data: data, ranges: true}).start(t)
				tr.Source = HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry}
			case httpNoRange:
				srv := (&clipServer{data: data, chunked: true}).start(t)
				tr.Source = HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry}
			case httpOffset:
				cs := &clipServer{data: data, chunked: true, offsetWAV: &tune}
				srv := cs.start(t)
				tr.Source = HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry,
					OffsetURL: func(d time.Duration) string { return fmt.Sprintf("%s/?offset=%d", srv.URL, int(d/time.Second)) }}
				defer func() {
					if len(cs.offsets) == 0 {
						t.Error("the offset URL was never used")
					}
				}()
			}
			p := newTestPlayer(t, 44100, Options{})
			p.Load([]Track{tr}, 0)
			p.Play()
			if err := p.out.WaitFor(t.Context(), func(s audiotest.Stats) bool { return s.Frames > 44100 }); err != nil {
				t.Fatal(err)
			}
			p.Pause()
			last := p.ev.waitFor(t, 0, "Paused", isState(Paused))
			for _, target := range []time.Duration{12340 * time.Millisecond, 4 * time.Second} {
				flushes := len(p.out.FlushedAt())
				p.Seek(target)
				p.Play()
				if err := p.out.WaitFor(t.Context(), func(s audiotest.Stats) bool {
					return s.Flushes > flushes && s.SinceFlush > 30000
				}); err != nil {
					t.Fatal(err)
				}
				p.Pause()
				last = p.ev.waitFor(t, last+1, "Paused", isState(Paused))
				before := p.out.Len()
				pos := p.Status().Position
				samples := p.out.Samples()
				at := p.out.FlushedAt()[flushes]
				probe := samples[at : at+4096]
				want := tune.SampleRate * int(target/time.Millisecond) / 1000
				got := audiotest.Offset(ref, probe, want-tune.SampleRate/5, want+tune.SampleRate/5)
				off := ms(got-want, 44100)
				t.Logf("seek to %v landed %d samples (%v) off", target, got-want, off)
				if off < -50*time.Millisecond || off > 50*time.Millisecond {
					t.Errorf("seek to %v landed at %v (%v off)", target, ms(got, 44100), off)
				}
				if tt.exact && got != want {
					t.Errorf("seek to %v landed %d samples off, want exact", target, got-want)
				}
				if tt.exact {
					sameFrames(t, probe, ref[want:want+len(probe)])
				}
				// Position counts from the target what was played since.
				lo, hi := target+ms(before-at, 44100)-time.Millisecond, target+ms(len(samples)-at+512, 44100)+time.Millisecond
				if pos < lo || pos > hi {
					t.Errorf("Status().Position = %v after seeking to %v, want in [%v, %v]", pos, target, lo, hi)
				}
			}
		})
	}
}
