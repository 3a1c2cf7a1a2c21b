package audio

import (
	"testing"
)

func TestMP3HeaderAndLAMETag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		clip                  string
		bitrate, rate, frames int
		delay, padding        int
	}{
		{"tone1k", 320000, 44100, 116, 576, 756},
		{"tone1k-48k", 320000, 48000, 126, 576, 576},
		{"tune", 128000, 44100, 767, 576, 1008},
	}
	for _, tt := range tests {
		data := encoded(t, clipNamed(t, tt.clip), "mp3")
		at, h, ok := findMP3Frame(data)
		if !ok || at != 0 {
			t.Fatalf("%s: first frame at %d, %v", tt.clip, at, ok)
		}
		if h.bitrate != tt.bitrate || h.sampleRate != tt.rate || h.channels != 2 || h.samplesPerFrame != 1152 {
			t.Errorf("%s: header %+v", tt.clip, h)
		}
		x, ok := parseXing(h, data)
		if !ok || x.vbr || x.frames != tt.frames || !x.hasLAME || x.delay != tt.delay || x.padding != tt.padding {
			t.Errorf("%s: Info tag %+v", tt.clip, x)
		}
	}
	// Not frames: a stray sync word in data is not taken for a frame.
	junk := []byte{0, 0xFF, 0xFB, 0x90, 0x64, 1, 2, 3}
	junk = append(junk, make([]byte, 600)...)
	if at, _, ok := findMP3Frame(junk); ok && at+417 < len(junk) {
		t.Errorf("found a frame at %d in junk", at)
	}
	if _, ok := parseMP3Header([]byte{0xFF, 0xE3, 0x90, 0x64}); ok {
		t.Error("MPEG 2.5 accepted")
	}
	if _, ok := parseMP3Header([]byte{0xFF, 0xFD, 0x90, 0x64}); ok {
		t.Error("layer II accepted")
	}
}

// An MP3 without a LAME tag (the Info frame removed) still plays; it keeps
// the encoder delay, so it is longer than the PCM by at most 2 frames.
func TestMP3WithoutInfoFrame(t *testing.T) {
	t.Parallel()
	c := clipNamed(t, "tone1k")
	data := encoded(t, c, "mp3")
	_, h, _ := findMP3Frame(data)
	got, _ := decodeBytes(t, data[h.frameSize:], "audio/mpeg")
	if len(got) < c.Frames() || len(got) > c.Frames()+2*1152 {
		t.Errorf("%d frames, want %d plus the untrimmed delay and padding", len(got), c.Frames())
	}
}
