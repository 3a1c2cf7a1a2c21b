package audio

import (
	"math"
	"testing"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// A 48 kHz track played at 44.1 kHz keeps its frequency, its loudness and
// its length.
func TestResampleKeepsFrequencyAndLength(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone1k-48k")
	for _, format := range []string{"flac", "wav", "mp3", "ogg"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			p := newTestPlayer(t, 44100, Options{})
			p.Load([]Track{memoryTrack(t, "tone1k-48k", format)}, 0)
			p.Play()
			p.ev.waitFor(t, 0, "Ended", isEnded)
			got := p.out.Samples()
			want := 44100 * 3
			if math.Abs(float64(len(got)-want)) > 2 {
				t.Errorf("%d frames at 44.1 kHz, want %d (3 s)", len(got), want)
			}
			mid := got[len(got)/10 : len(got)*9/10]
			if f := audiotest.Frequency(mid, 44100); math.Abs(f-c.Frequency) > 1 {
				t.Errorf("frequency %.2f Hz, want %.0f", f, c.Frequency)
			}
			if r, want := audiotest.RMS(mid), c.Amplitude/math.Sqrt2; math.Abs(r-want) > want*0.02 {
				t.Errorf("RMS %.4f, want %.4f", r, want)
			}
		})
	}
	// And the other way round: 44.1 kHz played at 48 kHz.
	p := newTestPlayer(t, 48000, Options{})
	p.Load([]Track{memoryTrack(t, "tone440", "flac")}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Ended", isEnded)
	got := p.out.Samples()
	if math.Abs(float64(len(got)-144000)) > 2 {
		t.Errorf("%d frames at 48 kHz, want 144000", len(got))
	}
	if f := audiotest.Frequency(got[10000:130000], 48000); math.Abs(f-440) > 0.5 {
		t.Errorf("frequency %.2f Hz, want 440", f)
	}
}
