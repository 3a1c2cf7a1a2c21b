package audio

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/internal/testaudio"
)

var _ Output = (*audiotest.Output)(nil)
var _ Output = (*DeviceOutput)(nil)

func clipNamed(t testing.TB, name string) testaudio.Clip {
	t.Helper()
	c, ok := testaudio.ByName(name)
	if !ok {
		t.Fatalf("no test clip %q", name)
	}
	return c
}

func encoded(t testing.TB, c testaudio.Clip, format string) []byte {
	t.Helper()
	data, err := c.Encoded(format)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// reference is the exact PCM of a clip as frames.
func reference(c testaudio.Clip) [][2]float64 {
	return audiotest.FromPCM(c.PCM(), c.Channels)
}

var contentTypes = map[string]string{"mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg", "wav": "audio/wav"}

// memoryTrack is a Track held in memory.
func memoryTrack(t testing.TB, clip, format string) Track {
	t.Helper()
	c := clipNamed(t, clip)
	return Track{ID: clip + "." + format, Title: clip + "." + format, Duration: c.Duration,
		Source: Memory{Data: encoded(t, c, format), ContentType: contentTypes[format]}}
}

// decodeStream decodes everything from an opened stream at its own rate.
func decodeStream(t testing.TB, st Stream) ([][2]float64, beep.SampleRate) {
	t.Helper()
	d, err := openDecoder(st)
	if err != nil {
		t.Fatalf("openDecoder: %v", err)
	}
	frames := audiotest.Collect(d)
	if err := d.Err(); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	return frames, d.rate
}

func decodeBytes(t testing.TB, data []byte, contentType string) ([][2]float64, beep.SampleRate) {
	t.Helper()
	st, err := Memory{Data: data, ContentType: contentType}.Open(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return decodeStream(t, st)
}

// nonSeekable hides Seek, as a transcoded HTTP stream does.
type nonSeekable struct {
	r    *bytes.Reader
	info StreamInfo
}

func (n *nonSeekable) Read(p []byte) (int, error) { return n.r.Read(p) }
func (n *nonSeekable) Close() error               { return nil }
func (n *nonSeekable) Info() StreamInfo           { return n.info }

func nonSeekableStream(data []byte, contentType string) Stream {
	return &nonSeekable{r: bytes.NewReader(data), info: StreamInfo{ContentType: contentType, Size: -1}}
}

// sameFrames fails unless got equals want frame for frame.
func sameFrames(t testing.TB, got, want [][2]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d frames, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("frame %d = %v, want %v (first difference)", i, got[i], want[i])
		}
	}
}

func ms(frames int, rate beep.SampleRate) time.Duration { return rate.D(frames) }

func asTrackError(err error, te **TrackError) bool { return errors.As(err, te) }
