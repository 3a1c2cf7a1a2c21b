package audio

import (
	"math"

	"github.com/gopxl/beep/v2"
)

// Loudness: volume, mute and ReplayGain.
//
// The volume slider position v in [0, 1] becomes the amplitude v³. A cubic
// curve sounds even to the ear: half-way (0.5) is -18 dB, 0.1 is -60 dB,
// close to what PulseAudio and most players do.
//
// ReplayGain values are dB at the ReplayGain 2.0 reference loudness of
// -18 LUFS. R128 gains (Opus R128_TRACK_GAIN / R128_ALBUM_GAIN, and
// Ampache's r128_track_gain / r128_album_gain) are signed Q7.8 fixed point
// (dB × 256) relative to -23 LUFS, 5 dB quieter, so
//
//	ReplayGain dB = Q7.8 / 256 + 5
//
// which R128ToReplayGainDB computes.

// VolumeToAmplitude maps a volume slider position in [0, 1] to a linear
// amplitude factor on the cubic curve. Values outside [0, 1] are clamped.
func VolumeToAmplitude(v float64) float64 {
	if !(v > 0) { // also NaN
		return 0
	}
	v = math.Min(v, 1)
	return v * v * v
}

// DBToAmplitude converts a gain in dB to a linear factor: 10^(dB/20).
func DBToAmplitude(db float64) float64 { return math.Pow(10, db/20) }

// R128ToReplayGainDB converts an R128 gain in Q7.8 fixed point (relative to
// -23 LUFS) to a ReplayGain gain in dB (relative to -18 LUFS).
func R128ToReplayGainDB(q78 int) float64 { return float64(q78)/256 + 5 }

// GainInfo is what a track's tags say about its loudness. Peaks are linear
// sample peaks (1.0 = full scale); 0 means unknown.
type GainInfo struct {
	TrackGainDB, AlbumGainDB   float64
	TrackPeak, AlbumPeak       float64
	HasTrackGain, HasAlbumGain bool
}

// GainFromR128 builds GainInfo from R128 Q7.8 gains (nil = absent), as
// Ampache reports them in r128_track_gain and r128_album_gain. R128 carries
// no peaks.
func GainFromR128(track, album *int) GainInfo {
	var g GainInfo
	if track != nil {
		g.TrackGainDB, g.HasTrackGain = R128ToReplayGainDB(*track), true
	}
	if album != nil {
		g.AlbumGainDB, g.HasAlbumGain = R128ToReplayGainDB(*album), true
	}
	return g
}

// ReplayGainMode selects which gain of a track to apply.
type ReplayGainMode int

const (
	ReplayGainOff   ReplayGainMode = iota
	ReplayGainTrack                // each track at the reference loudness
	ReplayGainAlbum                // albums keep their internal dynamics
)

func (m ReplayGainMode) String() string {
	switch m {
	case ReplayGainTrack:
		return "track"
	case ReplayGainAlbum:
		return "album"
	default:
		return "off"
	}
}

// ReplayGain is the user's ReplayGain setting.
type ReplayGain struct {
	Mode ReplayGainMode
	// PreampDB is added to every track's gain (typical: 0 to +6).
	PreampDB float64
	// UntaggedDB is applied to tracks without any gain tag while ReplayGain
	// is on (typical: -6 to 0); the preamp is not added to it.
	UntaggedDB float64
	// PreventClipping lowers the gain so that the tagged peak times the
	// factor does not exceed full scale.
	PreventClipping bool
}

// Factor returns the linear factor to apply to a track with the given tags.
// In album mode a track with no album gain uses its track gain, and the
// other way round in track mode.
func (rg ReplayGain) Factor(g GainInfo) float64 {
	if rg.Mode == ReplayGainOff {
		return 1
	}
	gain, peak, ok := g.TrackGainDB, g.TrackPeak, g.HasTrackGain
	if rg.Mode == ReplayGainAlbum && g.HasAlbumGain || !ok && g.HasAlbumGain {
		gain, peak, ok = g.AlbumGainDB, g.AlbumPeak, true
	}
	if !ok {
		return DBToAmplitude(rg.UntaggedDB)
	}
	f := DBToAmplitude(gain + rg.PreampDB)
	if rg.PreventClipping && peak > 0 && f*peak > 1 {
		f = 1 / peak
	}
	return f
}

// Amplify is a stage that multiplies every sample by Factor.
type Amplify struct {
	Streamer beep.Streamer
	Factor   float64
}

// Stream streams from the wrapped streamer and scales the samples.
func (a *Amplify) Stream(samples [][2]float64) (int, bool) {
	n, ok := a.Streamer.Stream(samples)
	scale(samples[:n], a.Factor)
	return n, ok
}

// Err returns the wrapped streamer's error.
func (a *Amplify) Err() error { return a.Streamer.Err() }

func scale(samples [][2]float64, f float64) {
	if f == 1 {
		return
	}
	for i := range samples {
		samples[i][0] *= f
		samples[i][1] *= f
	}
}

// ramp scales samples by a factor moving linearly from `from` to `to` over
// the slice, so a volume change does not click.
func ramp(samples [][2]float64, from, to float64) {
	if from == to {
		scale(samples, to)
		return
	}
	n := float64(len(samples))
	for i := range samples {
		f := from + (to-from)*float64(i+1)/n
		samples[i][0] *= f
		samples[i][1] *= f
	}
}
