package audio

import (
	"fmt"
	"testing"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// decodeAt decodes a track on its own and resamples it to rate as the
// player does: the reference a gapless join must reproduce.
func decodeAt(t *testing.T, tr Track, rate beep.SampleRate) [][2]float64 {
	t.Helper()
	st, err := tr.Source.Open(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := openDecoder(st)
	if err != nil {
		t.Fatal(err)
	}
	var s beep.Streamer = d
	if d.rate != rate {
		s = beep.Resample(resampleQuality, d.rate, rate, d)
	}
	return audiotest.Collect(s)
}

// Two tracks played through the whole player (queue, preload, sequencer,
// output) come out as the concatenation of their separately decoded
// audio, sample for sample: no silence between them, nothing dropped.
func TestGaplessJoinIsExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string // clip.format
		http bool
	}{
		{"tone1k.flac", "tone440.flac", false},
		{"tone440.wav", "tone1k.mp3", false},
		{"tone1k.mp3", "tone440.mp3", true},
		{"tone1k.ogg", "tone1k-48k.flac", false}, // the second is resampled
		{"tone440.flac", "tone1k.wav", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s+%s http=%v", tt.a, tt.b, tt.http), func(t *testing.T) {
			t.Parallel()
			tracks := []Track{clipTrack(t, tt.a, tt.http), clipTrack(t, tt.b, tt.http)}
			var want [][2]float64
			for _, tr := range tracks {
				want = append(want, decodeAt(t, tr, 44100)...)
			}
			p := newTestPlayer(t, 44100, Options{})
			p.Load(tracks, 0)
			p.Play()
			p.ev.waitFor(t, 0, "Ended", isEnded)
			sameFrames(t, p.out.Samples(), want)
			if i := p.ev.waitFor(t, 0, "TrackChanged "+tt.b, isTrack(tt.b)); i < 0 {
				t.Error("no TrackChanged for the second track")
			}
		})
	}
}

// clipTrack is "clip.format" in memory, or served over HTTP with Range.
func clipTrack(t *testing.T, name string, overHTTP bool) Track {
	t.Helper()
	var clip, format string
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			clip, format = name[:i], name[i+1:]
			break
		}
	}
	tr := memoryTrack(t, clip, format)
	tr.ID, tr.Title = name, name
	if overHTTP {
		srv := (&clipServer{data: tr.Source.(Memory).Data, ranges: true, contentType: contentTypes[format]}).start(t)
		tr.Source = HTTP{Client: srv.Client(), URL: srv.URL + "/" + name, Backoff: fastRetry}
	}
	return tr
}
