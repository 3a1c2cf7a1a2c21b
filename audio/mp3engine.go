package audio

import (
	"bufio"
	"errors"
	"io"
	"os"

	"github.com/gopxl/beep/v2/mp3"

	"github.com/ampdesk/ampdesk/audio/internal/mpg123"
)

// MP3 frames are decoded by one of two engines behind mp3Decoder, which
// does the trimming and seeking for both:
//
//   - libmpg123, the system's MP3 decoder, loaded at run time when it is
//     installed (it is on any desktop with PulseAudio or PipeWire, through
//     libsndfile): about ten times faster than go-mp3.
//   - go-mp3 (through beep), pure Go, when libmpg123 is missing or
//     AMPDESK_MP3_DECODER=go asks for it.
//
// Both decode the frames they are given, an Info frame included, with
// the same 529-sample filterbank delay, so the trimming is the same.

// mp3Engine names a frame decoder.
type mp3Engine int

const (
	engineGoMP3 mp3Engine = iota
	engineMPG123
)

func (e mp3Engine) String() string {
	if e == engineMPG123 {
		return "libmpg123"
	}
	return "go-mp3"
}

// defaultMP3Engine is libmpg123 when it can be loaded, unless the
// environment asks for go-mp3.
func defaultMP3Engine() mp3Engine {
	if os.Getenv("AMPDESK_MP3_DECODER") != "go" && mpg123.Available() {
		return engineMPG123
	}
	return engineGoMP3
}

// mp3Frames is a stream of decoded frames, stereo at the stream's rate.
type mp3Frames interface {
	Stream(samples [][2]float64) (int, bool)
	Err() error
	Close() error
}

// open starts decoding MPEG frames from r (positioned on a frame).
func (e mp3Engine) open(r io.ReadCloser) (mp3Frames, error) {
	if e == engineMPG123 {
		d, err := mpg123.New()
		if err != nil {
			return nil, err
		}
		// Small reads: a live stream's titles are placed by how far the
		// decoder has read, so it should not read far ahead.
		return &mpg123Frames{r: r, dec: d, in: make([]byte, 2<<10), buf: make([]float32, 2*1152*2)}, nil
	}
	dec, _, err := mp3.Decode(r)
	if err != nil {
		return nil, err
	}
	return dec, nil
}

// mpg123Frames feeds libmpg123 from a reader and converts its float32
// output.
type mpg123Frames struct {
	r       io.ReadCloser
	dec     *mpg123.Decoder
	in      []byte
	buf     []float32 // decoded floats; buf[at:filled] not yet handed out
	at      int
	filled  int
	srcDone bool // r is at its end
	drained bool // and the decoder has given all it had
	err     error
}

func (m *mpg123Frames) Stream(samples [][2]float64) (n int, ok bool) {
	for n < len(samples) {
		if m.at < m.filled {
			k := min(len(samples)-n, (m.filled-m.at)/2)
			src := m.buf[m.at : m.at+2*k]
			dst := samples[n : n+k]
			for i := range dst {
				dst[i] = [2]float64{float64(src[2*i]), float64(src[2*i+1])}
			}
			n += k
			m.at += 2 * k
			continue
		}
		if m.dec == nil || m.err != nil || m.drained {
			break
		}
		k, err := m.dec.Read(m.buf)
		m.at, m.filled = 0, k
		switch {
		case errors.Is(err, mpg123.ErrNeedMore):
			if k > 0 {
				break
			}
			if m.srcDone {
				m.drained = true
			} else {
				m.fill()
			}
		case err != nil:
			m.err = err
		}
	}
	return n, n > 0
}

// fill feeds the decoder the next bytes of the stream.
func (m *mpg123Frames) fill() {
	got, err := m.r.Read(m.in)
	if got > 0 {
		if ferr := m.dec.Feed(m.in[:got]); ferr != nil {
			m.err = ferr
			return
		}
	}
	switch {
	case err == io.EOF:
		m.srcDone = true
	case err != nil:
		m.err = err
	}
}

func (m *mpg123Frames) Err() error { return m.err }

// Close frees the decoder (not the reader, which belongs to the stream).
func (m *mpg123Frames) Close() error {
	if m.dec != nil {
		m.dec.Close()
		m.dec = nil
	}
	return nil
}

// indexMP3 returns the offsets of the frames of a seekable stream, from its
// first audio frame (at from) to its end, for exact seeking. It reads the
// headers only, skipping junk between frames as the decoders do.
func indexMP3(rs io.ReadSeeker, from int64, sampleRate int) ([]int64, error) {
	if _, err := rs.Seek(from, io.SeekStart); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rs, 64<<10)
	var index []int64
	pos := from
	for {
		head, err := br.Peek(4)
		if len(head) < 4 {
			if err == io.EOF || err == io.ErrUnexpectedEOF || err == nil {
				return index, nil
			}
			return index, err
		}
		h, ok := parseMP3Header(head)
		if ok && h.sampleRate == sampleRate {
			// A header counts only if another follows it (or the stream
			// ends), as findMP3Frame does: a stray sync word in junk is
			// not a frame.
			next, _ := br.Peek(h.frameSize + 4)
			if len(next) == h.frameSize+4 {
				h2, ok2 := parseMP3Header(next[h.frameSize:])
				ok = ok2 && h2.sampleRate == sampleRate
			}
		}
		if !ok || h.sampleRate != sampleRate {
			br.Discard(1)
			pos++
			continue
		}
		index = append(index, pos)
		skipped, err := br.Discard(h.frameSize)
		pos += int64(skipped)
		if err != nil {
			if err == io.EOF {
				return index, nil
			}
			return index, err
		}
	}
}
