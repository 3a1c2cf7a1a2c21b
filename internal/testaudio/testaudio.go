// Package testaudio holds the audio the in-process server streams and the
// tests measure: small encoded clips (mp3, flac, ogg vorbis) embedded in the
// binary, and the exact PCM they were encoded from, synthesized on demand.
package testaudio

import (
	"bytes"
	"embed"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"time"
)

//go:embed clips/*
var clips embed.FS

// Clip describes one piece of test audio. The PCM it was encoded from is
// produced by PCM; the lossless encodings (flac, wav) decode to exactly it.
type Clip struct {
	Name       string // "tone1k", "tone440", "tune"
	SampleRate int
	Channels   int
	Duration   time.Duration
	// Tone frequency in Hz for pure tones; 0 for the tune.
	Frequency float64
	// Peak amplitude of a tone as a fraction of full scale.
	Amplitude float64
}

// Clips are the clips embedded in every format.
var Clips = []Clip{
	{Name: "tone1k", SampleRate: 44100, Channels: 2, Duration: 3 * time.Second, Frequency: 1000, Amplitude: 0.5},
	{Name: "tone440", SampleRate: 44100, Channels: 2, Duration: 3 * time.Second, Frequency: 440, Amplitude: 0.5},
	{Name: "tone1k-48k", SampleRate: 48000, Channels: 2, Duration: 3 * time.Second, Frequency: 1000, Amplitude: 0.5},
	{Name: "tune", SampleRate: 44100, Channels: 2, Duration: 20 * time.Second},
}

// Formats are the encodings embedded for every clip. "wav" is not embedded:
// WAV writes the PCM directly.
var Formats = []string{"mp3", "flac", "ogg"}

// ByName returns the clip with that name.
func ByName(name string) (Clip, bool) {
	for _, c := range Clips {
		if c.Name == name {
			return c, true
		}
	}
	return Clip{}, false
}

// Frames is the number of sample frames in the clip.
func (c Clip) Frames() int {
	return int(int64(c.SampleRate) * int64(c.Duration) / int64(time.Second))
}

// Encoded returns the embedded encoding of the clip in format ("mp3",
// "flac", "ogg"), or the WAV file built from its PCM for "wav".
func (c Clip) Encoded(format string) ([]byte, error) {
	if format == "wav" {
		var b bytes.Buffer
		if err := WriteWAV(&b, c.SampleRate, c.Channels, c.PCM()); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	data, err := clips.ReadFile("clips/" + c.Name + "." + format)
	if err != nil {
		return nil, fmt.Errorf("testaudio: no %s encoding of %s: %w", format, c.Name, err)
	}
	return data, nil
}

// PCM returns the clip's interleaved 16-bit samples, the exact input of the
// encoders.
func (c Clip) PCM() []int16 {
	n := c.Frames()
	out := make([]int16, n*c.Channels)
	for i := 0; i < n; i++ {
		v := c.Sample(i)
		for ch := 0; ch < c.Channels; ch++ {
			out[i*c.Channels+ch] = v
		}
	}
	return out
}

// Sample returns frame i of the clip (all channels carry the same value).
// It is defined for any i ≥ 0, so a clip can be extended to any length.
func (c Clip) Sample(i int) int16 {
	t := float64(i) / float64(c.SampleRate)
	var v float64
	if c.Frequency > 0 {
		v = c.Amplitude * math.Sin(2*math.Pi*c.Frequency*t)
	} else {
		v = tune(t)
	}
	return int16(math.Round(v * 32767))
}

// tune is a gentle arpeggio over I–V–vi–IV in C major, eight notes a bar,
// each note a sine with its octave and a soft attack and decay.
func tune(t float64) float64 {
	chords := [][3]float64{
		{261.63, 329.63, 392.00}, // C
		{196.00, 246.94, 293.66}, // G
		{220.00, 261.63, 329.63}, // Am
		{174.61, 220.00, 261.63}, // F
	}
	const note = 0.25 // seconds
	idx := int(t / note)
	chord := chords[(idx/8)%len(chords)]
	pattern := [8]int{0, 1, 2, 1, 0, 2, 1, 2}
	f := chord[pattern[idx%8]]
	if idx%8 >= 4 {
		f *= 2
	}
	local := t - float64(idx)*note
	env := math.Min(1, local/0.01) * math.Exp(-local*6)
	bass := 0.18 * math.Sin(2*math.Pi*chord[0]/2*t)
	return 0.35*env*(math.Sin(2*math.Pi*f*t)+0.3*math.Sin(4*math.Pi*f*t)) + bass
}

// WriteWAV writes a canonical 16-bit PCM WAV file.
func WriteWAV(w io.Writer, sampleRate, channels int, pcm []int16) error {
	dataLen := len(pcm) * 2
	if err := WriteWAVHeader(w, sampleRate, channels, dataLen); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, pcm)
}

// WAVHeaderSize is the size of the header WriteWAVHeader writes.
const WAVHeaderSize = 44

// WriteWAVHeader writes the 44-byte header of a 16-bit PCM WAV file whose
// data chunk holds dataLen bytes.
func WriteWAVHeader(w io.Writer, sampleRate, channels, dataLen int) error {
	h := make([]byte, WAVHeaderSize)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+dataLen))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], uint16(channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(sampleRate))
	binary.LittleEndian.PutUint32(h[28:], uint32(sampleRate*channels*2))
	binary.LittleEndian.PutUint16(h[32:], uint16(channels*2))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(dataLen))
	_, err := w.Write(h)
	return err
}
