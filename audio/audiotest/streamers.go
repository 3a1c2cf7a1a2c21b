package audiotest

import (
	"errors"
	"math"

	"github.com/gopxl/beep/v2"
)

// Collect reads s until it is drained and returns every sample.
func Collect(s beep.Streamer) [][2]float64 {
	var out [][2]float64
	buf := make([][2]float64, 512)
	for {
		n, ok := s.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			return out
		}
	}
}

// Sequential returns a seekable streamer of n frames whose frame i is
// {i, -i}, so any dropped, repeated or shifted frame shows, and the frames
// it streams.
func Sequential(n int) (beep.StreamSeeker, [][2]float64) {
	data := make([][2]float64, n)
	for i := range data {
		data[i] = [2]float64{float64(i), -float64(i)}
	}
	return &sequential{data: data}, data
}

type sequential struct {
	data [][2]float64
	pos  int
}

func (s *sequential) Stream(samples [][2]float64) (int, bool) {
	if s.pos >= len(s.data) {
		return 0, false
	}
	n := copy(samples, s.data[s.pos:])
	s.pos += n
	return n, true
}

func (s *sequential) Err() error    { return nil }
func (s *sequential) Len() int      { return len(s.data) }
func (s *sequential) Position() int { return s.pos }

func (s *sequential) Seek(p int) error {
	if p < 0 || p > len(s.data) {
		return errors.New("sequential: seek out of range")
	}
	s.pos = p
	return nil
}

// FromPCM converts interleaved 16-bit samples (1 or 2 channels) to frames,
// dividing by 32768 as the decoders do: exact, and ToPCM undoes it.
func FromPCM(pcm []int16, channels int) [][2]float64 {
	if channels < 1 {
		channels = 1
	}
	out := make([][2]float64, len(pcm)/channels)
	for i := range out {
		l := float64(pcm[i*channels]) / 32768
		r := l
		if channels > 1 {
			r = float64(pcm[i*channels+1]) / 32768
		}
		out[i] = [2]float64{l, r}
	}
	return out
}

// ToPCM converts frames to interleaved stereo 16-bit samples, rounding and
// clamping.
func ToPCM(frames [][2]float64) []int16 {
	out := make([]int16, 2*len(frames))
	for i, f := range frames {
		for c := range 2 {
			v := math.Round(f[c] * 32768)
			out[2*i+c] = int16(math.Max(-32768, math.Min(32767, v)))
		}
	}
	return out
}
