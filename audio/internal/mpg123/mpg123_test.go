package mpg123

import (
	"errors"
	"math"
	"testing"

	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// decodeAll feeds data in chunks of chunk bytes and collects every float.
func decodeAll(t *testing.T, data []byte, chunk int) ([]float32, int) {
	t.Helper()
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out []float32
	buf := make([]float32, 4096)
	for {
		n, err := d.Read(buf)
		out = append(out, buf[:n]...)
		switch {
		case errors.Is(err, ErrNeedMore):
			if len(data) == 0 {
				return out, d.Rate()
			}
			k := min(chunk, len(data))
			if err := d.Feed(data[:k]); err != nil {
				t.Fatal(err)
			}
			data = data[k:]
		case err != nil:
			t.Fatal(err)
		}
	}
}

// Every frame of the stream comes out, the Info frame included (as
// silence: trimming is the caller's job), as stereo at the stream's rate,
// whatever the size of the pieces it is fed in.
func TestDecodeTone(t *testing.T) {
	if !Available() {
		t.Skip("libmpg123.so.0 is not installed")
	}
	for _, name := range []string{"tone1k", "tone1k-48k"} {
		c, _ := testaudio.ByName(name)
		data, err := c.Encoded("mp3")
		if err != nil {
			t.Fatal(err)
		}
		whole, rate := decodeAll(t, data, len(data))
		if rate != c.SampleRate {
			t.Errorf("%s: rate %d, want %d", name, rate, c.SampleRate)
		}
		frames := len(whole) / 2
		t.Logf("%s: %d frames (%d MPEG frames)", name, frames, frames/1152)
		if frames%1152 != 0 || frames < c.Frames() || frames > c.Frames()+3*1152 {
			t.Errorf("%s: %d frames, want whole MPEG frames just above %d", name, frames, c.Frames())
		}
		var sum float64
		mid := whole[len(whole)/4 : len(whole)*3/4]
		for _, v := range mid {
			sum += float64(v) * float64(v)
		}
		if rms := math.Sqrt(sum / float64(len(mid))); math.Abs(rms-c.Amplitude/math.Sqrt2) > 0.01 {
			t.Errorf("%s: RMS %.4f, want %.4f", name, rms, c.Amplitude/math.Sqrt2)
		}
		small, _ := decodeAll(t, data, 333)
		if len(small) != len(whole) {
			t.Fatalf("%s: fed in 333-byte pieces: %d floats, want %d", name, len(small), len(whole))
		}
		for i := range small {
			if small[i] != whole[i] {
				t.Fatalf("%s: fed in pieces, float %d = %v, want %v", name, i, small[i], whole[i])
			}
		}
	}
}

// Garbage is not audio: no output and no crash.
func TestDecodeGarbage(t *testing.T) {
	if !Available() {
		t.Skip("libmpg123.so.0 is not installed")
	}
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i*7 + i>>8)
	}
	out, _ := decodeAll(t, junk, 4096)
	if len(out) != 0 {
		t.Errorf("decoded %d floats from junk", len(out))
	}
}

func TestClosedDecoder(t *testing.T) {
	if !Available() {
		t.Skip("libmpg123.so.0 is not installed")
	}
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	d.Close()
	if err := d.Feed([]byte{1}); err == nil {
		t.Error("Feed after Close succeeded")
	}
	if _, err := d.Read(make([]float32, 8)); err == nil {
		t.Error("Read after Close succeeded")
	}
}
