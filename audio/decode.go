package audio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/flac"
	"github.com/gopxl/beep/v2/vorbis"
	"github.com/gopxl/beep/v2/wav"
)

// decoder is one format decoder over one opened stream, at the stream's
// own sample rate, always stereo (mono is doubled). It keeps
// beep.Streamer's contract; a decoder that panics on bad data fails with
// *DecodeError instead of taking the program down.
type decoder struct {
	format      string
	contentType string
	rate        beep.SampleRate
	length      int // frames; -1 unknown
	inner       beep.Streamer
	seeker      interface{ Seek(int) error } // nil: cannot seek in place
	err         error
	// bytesPerSecond is the stream's byte rate when the format says it
	// (MP3's bitrate), else 0.
	bytesPerSecond int
}

// openDecoder detects the format of st and starts its decoder.
func openDecoder(st Stream) (*decoder, error) {
	info := st.Info()
	var seeker io.ReadSeeker
	if info.Seekable {
		seeker, _ = st.(io.ReadSeeker)
	}
	probe, start, err := readProbe(st, seeker)
	if err != nil {
		return nil, streamFailure(st, err, &DecodeError{Kind: ErrCorruptStream, ContentType: info.ContentType, Err: err})
	}
	format, ok := detectFormat(probe, info.ContentType)
	if !ok {
		return nil, &DecodeError{Kind: ErrUnsupportedFormat, Format: format, ContentType: info.ContentType}
	}
	// The decoder reads from the audio start: a section of the seekable
	// stream, or the probe followed by the rest.
	var r io.Reader
	var rs io.ReadSeeker
	if seeker != nil {
		if _, err := seeker.Seek(start, io.SeekStart); err != nil {
			return nil, streamFailure(st, err, err)
		}
		rs = &section{rs: seeker, base: start}
		r = rs
	} else {
		r = io.MultiReader(bytes.NewReader(probe), st)
	}
	d := &decoder{format: format, contentType: info.ContentType, length: -1}
	fail := func(err error) (*decoder, error) {
		kind := ErrCorruptStream
		if strings.Contains(err.Error(), "unsupported") {
			kind = ErrUnsupportedFormat
		}
		return nil, streamFailure(st, err, &DecodeError{Kind: kind, Format: format, ContentType: info.ContentType, Err: err})
	}
	var s beep.StreamSeekCloser
	var f beep.Format
	err = safely(func() error {
		switch format {
		case formatWAV:
			if rs != nil {
				s, f, err = wav.Decode(fullReadSeeker{rs})
			} else {
				s, f, err = wav.Decode(fullReader{r})
			}
		case formatFLAC:
			if rs != nil {
				s, f, err = flac.Decode(rs)
			} else {
				s, f, err = flac.Decode(nopCloser{r})
			}
		case formatVorbis:
			if rs != nil {
				s, f, err = vorbis.Decode(nopSeekCloser{rs})
			} else {
				s, f, err = vorbis.Decode(nopCloser{r})
			}
		case formatMP3:
			var m *mp3Decoder
			m, err = openMP3(r, rs, info.Remote, defaultMP3Engine())
			if err == nil {
				s, f = m, beep.Format{SampleRate: m.SampleRate(), NumChannels: 2, Precision: 2}
				d.bytesPerSecond = m.bytesPerSecond()
				if m.canSeek() {
					d.seeker = m
				}
			}
		}
		return err
	})
	if err != nil {
		return fail(err)
	}
	if f.SampleRate <= 0 || f.NumChannels <= 0 {
		return fail(fmt.Errorf("bad format: %d Hz, %d channels", f.SampleRate, f.NumChannels))
	}
	d.inner, d.rate = s, f.SampleRate
	if l := s.Len(); l > 0 {
		d.length = l
	}
	if rs != nil && format != formatMP3 {
		d.seeker = s
	}
	return d, nil
}

// readProbe reads the first bytes of the audio, skipping an ID3v2 tag. It
// returns them and the offset of the audio in the stream.
func readProbe(r io.Reader, seeker io.ReadSeeker) ([]byte, int64, error) {
	const probeSize = 64
	head := make([]byte, probeSize)
	n, err := io.ReadFull(r, head)
	if n == 0 {
		if err == nil || err == io.EOF {
			err = errors.New("empty stream")
		}
		return nil, 0, err
	}
	head = head[:n]
	tag := id3Size(head)
	if tag == 0 {
		return head, 0, nil
	}
	if seeker != nil {
		if _, err := seeker.Seek(tag, io.SeekStart); err != nil {
			return nil, 0, err
		}
	} else if _, err := io.CopyN(io.Discard, r, tag-int64(n)); err != nil {
		return nil, 0, fmt.Errorf("in the ID3 tag: %w", err)
	}
	head = make([]byte, probeSize)
	n, err = io.ReadFull(r, head)
	if n == 0 {
		if err == nil || err == io.EOF {
			err = errors.New("nothing after the ID3 tag")
		}
		return nil, 0, err
	}
	return head[:n], tag, nil
}

// streamFailure prefers the stream's own failure (a network error) over
// what a decoder made of it.
func streamFailure(st Stream, err, otherwise error) error {
	if f, ok := st.(failer); ok {
		if ferr := f.Failure(); ferr != nil {
			return ferr
		}
	}
	if errors.Is(err, ErrClosed) {
		return ErrClosed
	}
	return otherwise
}

// safely runs f, turning a panic into an error.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return f()
}

// Stream streams decoded samples; a panic becomes Err.
func (d *decoder) Stream(samples [][2]float64) (n int, ok bool) {
	if d.err != nil {
		return 0, false
	}
	defer func() {
		if r := recover(); r != nil {
			d.err = &DecodeError{Kind: ErrCorruptStream, Format: d.format, ContentType: d.contentType, Err: fmt.Errorf("decoder panic: %v", r)}
			n, ok = 0, false
		}
	}()
	n, ok = d.inner.Stream(samples)
	if !ok {
		if err := d.inner.Err(); err != nil {
			d.err = &DecodeError{Kind: ErrCorruptStream, Format: d.format, ContentType: d.contentType, Err: err}
		}
	}
	return n, ok
}

// Err returns the decoding error, if any.
func (d *decoder) Err() error { return d.err }

// close frees the decoder's resources (libmpg123's memory); the stream is
// closed by its owner.
func (d *decoder) close() {
	if c, ok := d.inner.(interface{ Close() error }); ok {
		safely(c.Close)
	}
}

// canSeek reports whether seek can work without reopening the stream.
func (d *decoder) canSeek() bool { return d.seeker != nil }

// seek moves to frame p. After an error the decoder must not be used.
func (d *decoder) seek(p int) error {
	if d.seeker == nil {
		return errors.New("not seekable")
	}
	if d.length >= 0 {
		p = min(p, d.length)
	}
	return safely(func() error { return d.seeker.Seek(p) })
}

// fullReader reads whole buffers: beep's WAV decoder loses the rest of a
// sample frame when a read ends in the middle of one, as network reads do.
type fullReader struct{ r io.Reader }

func (f fullReader) Read(p []byte) (int, error) {
	n, err := io.ReadFull(f.r, p)
	if err == io.ErrUnexpectedEOF {
		err = nil // a short last read; the next one says EOF
	}
	return n, err
}

type fullReadSeeker struct{ rs io.ReadSeeker }

func (f fullReadSeeker) Read(p []byte) (int, error) { return fullReader{f.rs}.Read(p) }

func (f fullReadSeeker) Seek(off int64, whence int) (int64, error) { return f.rs.Seek(off, whence) }
