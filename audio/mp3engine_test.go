package audio

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/audio/internal/mpg123"
)

func needMPG123(t testing.TB) {
	t.Helper()
	if !mpg123.Available() {
		t.Skip("libmpg123.so.0 is not installed (go-mp3 is used instead)")
	}
}

// decodeMP3With decodes a whole MP3 with one engine: seekable (a local
// file, indexed) or not (a stream).
func decodeMP3With(t testing.TB, data []byte, engine mp3Engine, seekable bool) ([][2]float64, *mp3Decoder) {
	t.Helper()
	var d *mp3Decoder
	var err error
	if seekable {
		rs := bytes.NewReader(data)
		d, err = openMP3(rs, rs, false, engine)
	} else {
		d, err = openMP3(bytes.NewReader(data), nil, false, engine)
	}
	if err != nil {
		t.Fatalf("%v: %v", engine, err)
	}
	t.Cleanup(func() { d.Close() })
	got := audiotest.Collect(d)
	if err := d.Err(); err != nil {
		t.Fatalf("%v: %v", engine, err)
	}
	return got, d
}

// maxDiff is the largest difference between two decodes, sample by sample.
func maxDiff(a, b [][2]float64) float64 {
	var m float64
	for i := range min(len(a), len(b)) {
		m = max(m, math.Abs(a[i][0]-b[i][0]), math.Abs(a[i][1]-b[i][1]))
	}
	return m
}

// differenceDB is how far below the signal ref the difference got-ref is.
func differenceDB(got, ref [][2]float64) float64 {
	var sig, diff float64
	for i := range min(len(got), len(ref)) {
		for c := range 2 {
			sig += ref[i][c] * ref[i][c]
			diff += (got[i][c] - ref[i][c]) * (got[i][c] - ref[i][c])
		}
	}
	if diff == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(sig/diff)
}

// libmpg123 and go-mp3 decode every clip to the same length, trimmed the
// same way, and to the same samples: the difference is at least 70 dB
// below the signal (75 dB for the tune, far below the codec's own noise),
// and for the pure tones within 16-bit rounding (go-mp3 gives int16,
// libmpg123 float32).
func TestMP3EnginesAgree(t *testing.T) {
	t.Parallel()
	needMPG123(t)
	for _, clip := range []string{"tone1k", "tone1k-48k", "tone440", "tune"} {
		for _, seekable := range []bool{false, true} {
			c := clipNamed(t, clip)
			data := encoded(t, c, "mp3")
			ref, rd := decodeMP3With(t, data, engineGoMP3, seekable)
			got, gd := decodeMP3With(t, data, engineMPG123, seekable)
			if len(got) != len(ref) || len(got) != c.Frames() {
				t.Errorf("%s (seekable %v): libmpg123 %d frames, go-mp3 %d, PCM %d", clip, seekable, len(got), len(ref), c.Frames())
			}
			if gd.Len() != rd.Len() {
				t.Errorf("%s (seekable %v): Len %d, go-mp3 says %d", clip, seekable, gd.Len(), rd.Len())
			}
			if db := differenceDB(got, ref); db < 70 {
				t.Errorf("%s (seekable %v): libmpg123 differs from go-mp3 by %.1f dB below the signal, want 70 dB or more", clip, seekable, db)
			}
			if d := maxDiff(got, ref); c.Frequency > 0 && d > 3.0/32768 {
				t.Errorf("%s (seekable %v): libmpg123 differs from go-mp3 by up to %.6f", clip, seekable, d)
			}
		}
	}
}

// Seeking a local file with the frame index lands exactly: what follows
// the seek is what a decode from the start has there.
func TestMP3IndexedSeekIsExact(t *testing.T) {
	t.Parallel()
	needMPG123(t)
	data := encoded(t, clipNamed(t, "tune"), "mp3")
	whole, _ := decodeMP3With(t, data, engineMPG123, true)
	rs := bytes.NewReader(data)
	d, err := openMP3(rs, rs, false, engineMPG123)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.indexed || len(d.index) != 767 {
		t.Fatalf("indexed %v with %d frames, want 767", d.indexed, len(d.index))
	}
	buf := make([][2]float64, 4096)
	for _, at := range []int{441000, 0, 1, 1152*100 + 7, 3000, len(whole) - 100} {
		if err := d.Seek(at); err != nil {
			t.Fatalf("Seek(%d): %v", at, err)
		}
		n, _ := d.Stream(buf)
		want := whole[at:min(at+len(buf), len(whole))]
		if n != len(want) {
			t.Fatalf("after Seek(%d): %d frames, want %d", at, n, len(want))
		}
		if diff := maxDiff(buf[:n], want); diff > 1e-6 {
			t.Errorf("after Seek(%d): differs from the full decode by up to %g", at, diff)
		}
	}
}

// The index finds every frame, skipping junk between frames (and a stray
// sync word in it) as the decoders do.
func TestIndexMP3(t *testing.T) {
	t.Parallel()
	data := encoded(t, clipNamed(t, "tone1k"), "mp3")
	_, h, _ := findMP3Frame(data)
	idx, err := indexMP3(bytes.NewReader(data), 0, h.sampleRate)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != 117 || idx[0] != 0 || idx[1] != int64(h.frameSize) {
		t.Fatalf("index of %d frames starting %v, want 117 from 0", len(idx), idx[:min(2, len(idx))])
	}
	// Junk with a false sync word after frame 10.
	junk := []byte{0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x55}
	var b bytes.Buffer
	b.Write(data[:idx[10]])
	b.Write(junk)
	b.Write(data[idx[10]:])
	idx2, err := indexMP3(bytes.NewReader(b.Bytes()), 0, h.sampleRate)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx2) != 117 || idx2[10] != idx[10]+int64(len(junk)) {
		t.Errorf("with junk: %d frames, frame 10 at %d; want 117, at %d", len(idx2), idx2[min(10, len(idx2)-1)], idx[10]+int64(len(junk)))
	}
	// A truncated stream: the frames up to the cut.
	idx3, err := indexMP3(bytes.NewReader(data[:idx[50]+10]), 0, h.sampleRate)
	if err != nil || len(idx3) != 51 {
		t.Errorf("truncated: %d frames (%v), want 51", len(idx3), err)
	}
}

// A stream that fails mid-way reports the failure; libmpg123's memory is
// freed by Close, and a closed decoder ends.
func TestMPG123FramesReadError(t *testing.T) {
	t.Parallel()
	needMPG123(t)
	data := encoded(t, clipNamed(t, "tune"), "mp3")
	r := io.MultiReader(bytes.NewReader(data[:len(data)/2]), errReader{io.ErrUnexpectedEOF})
	d, err := openMP3(r, nil, true, engineMPG123)
	if err != nil {
		t.Fatal(err)
	}
	got := audiotest.Collect(d)
	if d.Err() != io.ErrUnexpectedEOF {
		t.Errorf("Err = %v, want the reader's error", d.Err())
	}
	if len(got) == 0 {
		t.Error("nothing decoded before the error")
	}
	d.Close()
	if n, ok := d.Stream(make([][2]float64, 10)); n != 0 || ok {
		t.Errorf("Stream after Close = %d, %v", n, ok)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
