package ampachetest

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// TestRenderWindows checks every format's windows: reading in odd chunks
// gives the same bytes as one read, the size is exact, and the audio
// decodes to the window's length.
func TestRenderWindows(t *testing.T) {
	t.Parallel()
	a, err := newAudioLib()
	if err != nil {
		t.Fatal(err)
	}
	tune, _ := testaudio.ByName("tune")
	tone, _ := testaudio.ByName("tone440")
	exact := audioSource{clip: &tone, format: "mp3", exact: true, duration: 3 * time.Second}
	looped := audioSource{clip: &tune, format: "flac", duration: 26 * time.Second} // 1.3 loops of the tune
	for _, tc := range []struct {
		src       audioSource
		format    string
		start     time.Duration
		tolerance time.Duration
	}{
		{exact, "mp3", time.Second, 30 * time.Millisecond},
		{exact, "flac", time.Second, 50 * time.Millisecond},
		{exact, "ogg", time.Second, 30 * time.Millisecond},
		{exact, "wav", time.Second, time.Millisecond},
		{looped, "mp3", 0, 30 * time.Millisecond},
		{looped, "flac", 0, 50 * time.Millisecond},
		{looped, "ogg", 0, 30 * time.Millisecond},
		{looped, "ogg", 17 * time.Second, 30 * time.Millisecond},
		{looped, "flac", 19 * time.Second, 100 * time.Millisecond},
		{looped, "mp3", 15 * time.Second, 60 * time.Millisecond},
	} {
		f, err := a.render(tc.src, tc.format, tc.start)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
		if err != nil || int64(len(whole)) != f.Size() {
			t.Fatalf("%s: read %d of %d bytes: %v", tc.format, len(whole), f.Size(), err)
		}
		var chunked []byte
		buf := make([]byte, 777)
		for off := int64(0); off < f.Size(); {
			n, _ := f.ReadAt(buf, off)
			chunked = append(chunked, buf[:n]...)
			off += int64(n)
		}
		if !bytes.Equal(chunked, whole) {
			t.Fatalf("%s from %v: chunked reads differ from one read", tc.format, tc.start)
		}
		got, peak := decodeAudio(t, tc.format, whole)
		want := tc.src.duration - tc.start
		if d := got - want; d < -tc.tolerance || d > tc.tolerance || peak < 0.3 {
			t.Errorf("%s of %s from %v: decodes to %v (peak %.2f), want %v ± %v", tc.format, tc.src.clip.Name,
				tc.start, got, peak, want, tc.tolerance)
		}
	}
}
