package audio

import (
	"math"
	"testing"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestVolumeCurve(t *testing.T) {
	t.Parallel()
	tests := []struct{ v, wantDB float64 }{
		{1, 0}, {0.5, -18.06}, {0.1, -60}, {0.75, -7.5},
	}
	for _, tt := range tests {
		db := 20 * math.Log10(VolumeToAmplitude(tt.v))
		if !near(db, tt.wantDB, 0.05) {
			t.Errorf("volume %v = %.2f dB, want %.2f", tt.v, db, tt.wantDB)
		}
	}
	for _, v := range []float64{0, -1, math.NaN()} {
		if a := VolumeToAmplitude(v); a != 0 {
			t.Errorf("VolumeToAmplitude(%v) = %v, want 0", v, a)
		}
	}
	if a := VolumeToAmplitude(3); a != 1 {
		t.Errorf("VolumeToAmplitude(3) = %v, want 1 (clamped)", a)
	}
	prev := -1.0
	for v := 0.0; v <= 1; v += 0.01 {
		a := VolumeToAmplitude(v)
		if a < prev {
			t.Fatalf("curve not monotonic at %v", v)
		}
		prev = a
	}
}

func TestR128Conversion(t *testing.T) {
	t.Parallel()
	// -23 LUFS reference to -18: +5 dB. Q7.8: 256 per dB.
	tests := []struct {
		q78  int
		want float64
	}{{0, 5}, {-2048, -3}, {256, 6}, {-1280, 0}, {-3456, -8.5}}
	for _, tt := range tests {
		if got := R128ToReplayGainDB(tt.q78); !near(got, tt.want, 1e-12) {
			t.Errorf("R128ToReplayGainDB(%d) = %v, want %v", tt.q78, got, tt.want)
		}
	}
	track, album := -2048, -1280
	g := GainFromR128(&track, &album)
	if !g.HasTrackGain || !g.HasAlbumGain || g.TrackGainDB != -3 || g.AlbumGainDB != 0 || g.TrackPeak != 0 {
		t.Errorf("GainFromR128 = %+v", g)
	}
	if g := GainFromR128(nil, nil); g.HasTrackGain || g.HasAlbumGain {
		t.Errorf("GainFromR128(nil, nil) = %+v", g)
	}
}

func TestReplayGainFactor(t *testing.T) {
	t.Parallel()
	tagged := GainInfo{TrackGainDB: -6, TrackPeak: 0.9, AlbumGainDB: -3, AlbumPeak: 0.99, HasTrackGain: true, HasAlbumGain: true}
	loud := GainInfo{TrackGainDB: 4, TrackPeak: 0.8, HasTrackGain: true}
	trackOnly := GainInfo{TrackGainDB: -8, HasTrackGain: true}
	albumOnly := GainInfo{AlbumGainDB: -2, HasAlbumGain: true}
	tests := []struct {
		name   string
		rg     ReplayGain
		g      GainInfo
		wantDB float64
	}{
		{"off", ReplayGain{Mode: ReplayGainOff, PreampDB: 6}, tagged, 0},
		{"track", ReplayGain{Mode: ReplayGainTrack}, tagged, -6},
		{"album", ReplayGain{Mode: ReplayGainAlbum}, tagged, -3},
		{"preamp", ReplayGain{Mode: ReplayGainTrack, PreampDB: 2}, tagged, -4},
		{"album falls back to track", ReplayGain{Mode: ReplayGainAlbum}, trackOnly, -8},
		{"track falls back to album", ReplayGain{Mode: ReplayGainTrack}, albumOnly, -2},
		{"untagged", ReplayGain{Mode: ReplayGainTrack, PreampDB: 3, UntaggedDB: -5}, GainInfo{}, -5},
		// +4 dB on a 0.8 peak would clip (0.8 × 1.585 = 1.27): limited to 1/0.8.
		{"clipping prevented", ReplayGain{Mode: ReplayGainTrack, PreventClipping: true}, loud, 20 * math.Log10(1/0.8)},
		{"clipping allowed", ReplayGain{Mode: ReplayGainTrack}, loud, 4},
		{"no peak, no limit", ReplayGain{Mode: ReplayGainTrack, PreventClipping: true, PreampDB: 10}, trackOnly, 2},
	}
	for _, tt := range tests {
		got := 20 * math.Log10(tt.rg.Factor(tt.g))
		if !near(got, tt.wantDB, 1e-9) {
			t.Errorf("%s: %.4f dB, want %.4f", tt.name, got, tt.wantDB)
		}
	}
}

func TestAmplifyAndRamp(t *testing.T) {
	t.Parallel()
	src, data := audiotest.Sequential(1000)
	got := audiotest.Collect(beep.Take(300, &Amplify{Streamer: src, Factor: 0.5}))
	if len(got) != 300 {
		t.Fatalf("%d frames", len(got))
	}
	for i, f := range got {
		if f[0] != data[i][0]*0.5 || f[1] != data[i][1]*0.5 {
			t.Fatalf("frame %d = %v, want half of %v", i, f, data[i])
		}
	}
	frames := make([][2]float64, 4)
	for i := range frames {
		frames[i] = [2]float64{1, -1}
	}
	ramp(frames, 0, 1)
	want := []float64{0.25, 0.5, 0.75, 1}
	for i, f := range frames {
		if !near(f[0], want[i], 1e-12) || !near(f[1], -want[i], 1e-12) {
			t.Errorf("ramp frame %d = %v, want ±%v", i, f, want[i])
		}
	}
}

// Volume, mute and ReplayGain reach the samples the output gets.
func TestPlayerGainReachesOutput(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone1k")
	tr := memoryTrack(t, "tone1k", "wav")
	tr.Gain = GainInfo{TrackGainDB: -6.0206, HasTrackGain: true} // ×0.5
	p := newTestPlayer(t, 44100, Options{ReplayGain: ReplayGain{Mode: ReplayGainTrack}})
	p.SetVolume(0.5) // ×0.125
	p.Load([]Track{tr}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Ended", isEnded)
	got := p.out.Samples()
	ref := reference(c)
	if len(got) != len(ref) {
		t.Fatalf("%d frames, want %d", len(got), len(ref))
	}
	// Set before playing: no ramp, exact from the first frame.
	for i := 0; i < len(ref); i += 97 {
		want := ref[i][0] * 0.125 * DBToAmplitude(-6.0206)
		if !near(got[i][0], want, 1e-12) {
			t.Fatalf("frame %d = %v, want %v", i, got[i][0], want)
		}
	}

	p.SetMuted(true)
	p.Load([]Track{tr}, 0)
	p.out.Reset()
	p.Play()
	p.ev.waitFor(t, len(p.ev.events()), "Ended", isEnded)
	for i, f := range p.out.Samples() {
		if f[0] != 0 {
			t.Fatalf("frame %d = %v while muted", i, f)
		}
	}
}
