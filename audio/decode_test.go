package audio

import (
	"errors"
	"math"
	"testing"

	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// Lossless formats decode to exactly the PCM they were made from: int16 to
// float by /32768, and back by ×32768, sample for sample.
func TestDecodeLosslessExact(t *testing.T) {
	t.Parallel()
	for _, c := range testaudio.Clips {
		for _, format := range []string{"flac", "wav"} {
			t.Run(c.Name+"."+format, func(t *testing.T) {
				t.Parallel()
				got, rate := decodeBytes(t, encoded(t, c, format), contentTypes[format])
				if int(rate) != c.SampleRate {
					t.Errorf("rate %d, want %d", rate, c.SampleRate)
				}
				sameFrames(t, got, reference(c))
				if pcm := audiotest.ToPCM(got); !equalInt16(pcm, c.PCM()) {
					t.Errorf("PCM round trip differs")
				}
			})
		}
	}
}

// The same holds when the stream cannot seek (a transcoded HTTP stream):
// the decoders must not rely on Seek, and short reads must not lose
// bytes (beep's WAV decoder would drop the rest of a frame).
func TestDecodeLosslessExactNotSeekable(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone440")
	for _, format := range []string{"flac", "wav"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			st := &choppy{Stream: nonSeekableStream(encoded(t, c, format), contentTypes[format])}
			got, _ := decodeStream(t, st)
			sameFrames(t, got, reference(c))
		})
	}
}

// choppy returns at most 333 bytes per Read, as a network does.
type choppy struct{ Stream }

func (c *choppy) Read(p []byte) (int, error) { return c.Stream.Read(p[:min(len(p), 333)]) }

func equalInt16(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Lossy formats: the length is exact for Vorbis (granule positions) and
// for LAME MP3s (the encoder delay of 576+529 samples and the padding are
// removed using the LAME tag), the tone keeps its frequency and its RMS
// (amplitude 0.5: RMS 0.3536) within 2 %, and the tune lines up with its
// PCM at offset 0.
func TestDecodeLossy(t *testing.T) {
	t.Parallel()
	for _, c := range testaudio.Clips {
		for _, format := range []string{"mp3", "ogg"} {
			t.Run(c.Name+"."+format, func(t *testing.T) {
				t.Parallel()
				got, rate := decodeBytes(t, encoded(t, c, format), contentTypes[format])
				if int(rate) != c.SampleRate {
					t.Errorf("rate %d, want %d", rate, c.SampleRate)
				}
				if len(got) != c.Frames() {
					t.Errorf("length %d frames, want %d", len(got), c.Frames())
				}
				ref := reference(c)
				if c.Frequency > 0 {
					mid := got[len(got)/10 : len(got)*9/10]
					if f := audiotest.Frequency(mid, rate); math.Abs(f-c.Frequency) > c.Frequency*0.002 {
						t.Errorf("frequency %.2f Hz, want %.0f", f, c.Frequency)
					}
					want := c.Amplitude / math.Sqrt2
					if r := audiotest.RMS(mid); math.Abs(r-want) > want*0.02 {
						t.Errorf("RMS %.4f, want %.4f ±2%%", r, want)
					}
					return
				}
				// The tune: where does a window from 5 s match the PCM?
				at := 5 * c.SampleRate
				probe := got[at : at+4096]
				if off := audiotest.Offset(ref, probe, at-3000, at+3000); off != at {
					t.Errorf("decoded audio is shifted by %d samples from its PCM", off-at)
				}
			})
		}
	}
}

// A stream declared as one thing but carrying another is decoded by its
// bytes; an unsupported or broken one gives a *DecodeError, never a panic.
func TestDecodeDetectionByBytes(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone1k")
	flacData := encoded(t, c, "flac")
	mp3Data := encoded(t, c, "mp3")
	withID3 := append(id3Tag(300), flacData...)
	tests := []struct {
		name, contentType string
		data              []byte
		wantFormat        string
		wantErr           error
	}{
		{"flac served as mpeg", "audio/mpeg", flacData, formatFLAC, nil},
		{"mp3 served as octet-stream", "application/octet-stream", mp3Data, formatMP3, nil},
		{"ogg with no content type", "", encoded(t, c, "ogg"), formatVorbis, nil},
		{"flac behind an ID3 tag", "", withID3, formatFLAC, nil},
		{"mp3 behind an ID3 tag", "audio/mpeg", append(id3Tag(1000), mp3Data...), formatMP3, nil},
		{"html error page", "text/html", []byte("<html><body>Session expired</body></html>"), "not audio (text/html)", ErrUnsupportedFormat},
		{"json error", "audio/mpeg", []byte(`{"error":{"errorCode":"4701"}}`), "", ErrCorruptStream},
		{"opus", "audio/ogg", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead\x01\x02"), "opus", ErrUnsupportedFormat},
		{"aac in mp4", "audio/mp4", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), "mp4/aac", ErrUnsupportedFormat},
		{"truncated flac", "audio/flac", flacData[:30], formatFLAC, ErrCorruptStream},
		{"garbage after fLaC", "audio/flac", append([]byte("fLaC"), make([]byte, 5000)...), formatFLAC, ErrCorruptStream},
		{"empty", "audio/mpeg", nil, "", ErrCorruptStream},
		{"random bytes", "", []byte("this is not audio at all, just words"), "unknown", ErrUnsupportedFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, _ := Memory{Data: tt.data, ContentType: tt.contentType}.Open(t.Context(), 0)
			d, err := openDecoder(st)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("openDecoder: %v", err)
				}
				if d.format != tt.wantFormat {
					t.Errorf("format %q, want %q", d.format, tt.wantFormat)
				}
				if got := audiotest.Collect(d); len(got) != c.Frames() {
					t.Errorf("decoded %d frames, want %d", len(got), c.Frames())
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("openDecoder error = %v, want %v", err, tt.wantErr)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError", err)
			}
			if tt.wantFormat != "" && de.Format != tt.wantFormat {
				t.Errorf("DecodeError.Format = %q, want %q", de.Format, tt.wantFormat)
			}
			if de.Error() == "" {
				t.Error("empty error message")
			}
		})
	}
}

// id3Tag builds an ID3v2.3 tag with a body of n bytes.
func id3Tag(n int) []byte {
	b := []byte{'I', 'D', '3', 3, 0, 0, byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}
	return append(b, make([]byte, n)...)
}

// Corrupt data in the middle of a stream ends the track with an error (or
// cleanly), without a panic.
func TestDecodeCorruptMiddle(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone1k")
	for _, format := range []string{"mp3", "flac", "ogg", "wav"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			data := encoded(t, c, format)
			for i := len(data) / 3; i < len(data)/3+2000 && i < len(data); i++ {
				data[i] ^= byte(i*7 + 3)
			}
			st, _ := Memory{Data: data}.Open(t.Context(), 0)
			d, err := openDecoder(st)
			if err != nil {
				return // refused up front: fine
			}
			got := audiotest.Collect(d)
			if len(got) > c.Frames()+4096 {
				t.Errorf("decoded %d frames from a %d-frame clip", len(got), c.Frames())
			}
			if err := d.Err(); err != nil && !errors.Is(err, ErrCorruptStream) {
				t.Errorf("error %v is not ErrCorruptStream", err)
			}
		})
	}
}
