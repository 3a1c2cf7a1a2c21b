package audiotest

import (
	"math"

	"github.com/gopxl/beep/v2"
)

// RMS is the root mean square of the left channel.
func RMS(frames [][2]float64) float64 {
	if len(frames) == 0 {
		return 0
	}
	var sum float64
	for _, f := range frames {
		sum += f[0] * f[0]
	}
	return math.Sqrt(sum / float64(len(frames)))
}

// Frequency estimates the frequency of a tone on the left channel from its
// rising zero crossings, interpolated between samples.
func Frequency(frames [][2]float64, rate beep.SampleRate) float64 {
	first, last, count := -1.0, -1.0, 0
	for i := 1; i < len(frames); i++ {
		a, b := frames[i-1][0], frames[i][0]
		if a < 0 && b >= 0 {
			at := float64(i-1) + a/(a-b)
			if first < 0 {
				first = at
			}
			last = at
			count++
		}
	}
	if count < 2 {
		return 0
	}
	return float64(count-1) * float64(rate) / (last - first)
}

// Offset finds where probe best matches inside ref, searching offsets
// [from, to): the offset with the least squared difference (left
// channel). It is how tests find where a seek landed.
func Offset(ref, probe [][2]float64, from, to int) int {
	best, bestErr := from, math.Inf(1)
	for off := max(from, 0); off < to && off+len(probe) <= len(ref); off++ {
		var e float64
		for i, f := range probe {
			d := ref[off+i][0] - f[0]
			e += d * d
			if e >= bestErr {
				break
			}
		}
		if e < bestErr {
			best, bestErr = off, e
		}
	}
	return best
}
