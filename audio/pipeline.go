package audio

import (
	"context"
	"errors"
	"time"

	"github.com/gopxl/beep/v2"
)

// resampleQuality is beep.Resample's quality: 4 is "good, on the fly".
const resampleQuality = 4

// readThroughTime: a forward seek this short decodes through rather than
// reopening a stream at an offset.
const readThroughTime = 20 * time.Second

// pipeline is one track opened for playback at the output rate: stream →
// decoder → skip → resampler. Positions are output frames from the start
// of the track. Only the track's producer goroutine uses it.
type pipeline struct {
	ctx     context.Context
	opener  Opener
	outRate beep.SampleRate

	st     Stream
	dec    *decoder
	skip   skipper       // drops source frames after an offset reopen
	out    beep.Streamer // the resampler, or the skipper
	offset int           // source frame at which the stream starts
	pos    int           // output frame of the next frame out
}

// skipper reads the decoder, dropping the first n frames, and counts the
// source frames taken from it.
type skipper struct {
	dec   *decoder
	n     int
	taken int // source frames read from the decoder, dropped ones included
	buf   [][2]float64
}

func (s *skipper) Stream(samples [][2]float64) (int, bool) {
	for s.n > 0 {
		if s.buf == nil {
			s.buf = make([][2]float64, 1024)
		}
		k, ok := s.dec.Stream(s.buf[:min(s.n, len(s.buf))])
		s.n -= k
		s.taken += k
		if !ok {
			return 0, false
		}
	}
	n, ok := s.dec.Stream(samples)
	s.taken += n
	return n, ok
}

func (s *skipper) Err() error { return s.dec.Err() }

// toSource converts an output frame index to the stream's source rate.
func (p *pipeline) toSource(out int) int {
	return int((int64(out)*int64(p.dec.rate) + int64(p.outRate)/2) / int64(p.outRate))
}

func (p *pipeline) toOutput(src int) int {
	return int((int64(src)*int64(p.outRate) + int64(p.dec.rate)/2) / int64(p.dec.rate))
}

// open (re)opens the stream so that the next frame out is output frame at.
// An opener that can start at a time offset starts at the second before;
// a seekable decoder seeks; anything else decodes and drops up to there.
func (p *pipeline) open(at int) error {
	p.close()
	offset := p.outRate.D(at).Truncate(time.Second)
	st, err := p.opener.Open(p.ctx, offset)
	if err != nil {
		return err
	}
	dec, err := openDecoder(st)
	if err != nil {
		st.Close()
		return err
	}
	p.st, p.dec = st, dec
	p.offset = dec.rate.N(st.Info().Offset)
	if st.Info().Live {
		// A live stream starts at the broadcast's "now" wherever the
		// listener was: nothing to skip, the position goes on.
		p.offset = p.toSource(at)
	}
	target := p.toSource(at) - p.offset
	p.skip = skipper{dec: dec}
	if target > 0 {
		if !dec.canSeek() {
			p.skip.n = target
		} else if err := dec.seek(target); err != nil {
			// A failed seek leaves the decoder unusable: start over and
			// decode up to the target.
			dec.close()
			p.closeStream()
			if st, err = p.opener.Open(p.ctx, offset); err != nil {
				return err
			}
			if dec, err = openDecoder(st); err != nil {
				st.Close()
				return err
			}
			p.st, p.dec = st, dec
			p.skip = skipper{dec: dec, n: target}
		} else {
			p.skip.taken = target
		}
	}
	p.pos = at
	p.chain()
	return nil
}

// chain rebuilds the stages after the skipper.
func (p *pipeline) chain() {
	if p.dec.rate == p.outRate {
		p.out = &p.skip
		return
	}
	p.out = beep.Resample(resampleQuality, p.dec.rate, p.outRate, &p.skip)
}

// seek moves so that the next frame out is output frame at: inside the
// stream when the decoder can seek, by decoding forward when that is
// cheaper than reopening, else by reopening.
func (p *pipeline) seek(at int) error {
	if p.dec != nil && p.dec.Err() == nil {
		target := p.toSource(at) - p.offset
		switch {
		case target >= 0 && p.dec.canSeek():
			if err := p.dec.seek(target); err == nil {
				p.skip = skipper{dec: p.dec, taken: target}
				p.pos = at
				p.chain()
				return nil
			}
		case target >= p.skip.taken && (!p.st.Info().OffsetReopen || target-p.skip.taken < p.dec.rate.N(readThroughTime)):
			p.skip.n = target - p.skip.taken
			p.pos = at
			p.chain()
			return nil
		}
	}
	return p.open(at)
}

// Stream reads output frames.
func (p *pipeline) Stream(buf [][2]float64) (int, bool) {
	n, ok := p.out.Stream(buf)
	p.pos += n
	return n, ok
}

// length is the track's length in output frames, -1 if unknown (always
// for a live stream).
func (p *pipeline) length() int {
	if p.dec == nil || p.dec.length < 0 || p.live() {
		return -1
	}
	return p.toOutput(p.offset + p.dec.length)
}

// failure says why the last Stream ended: nil for the end of the track,
// an error wrapping errStreamCut for a connection the stream could not
// resume, or another error.
func (p *pipeline) failure() error {
	if f, ok := p.st.(failer); ok {
		if err := f.Failure(); err != nil {
			return err
		}
	}
	if err := p.dec.Err(); err != nil {
		return err
	}
	return nil
}

func (p *pipeline) resumable(err error) bool { return errors.Is(err, errStreamCut) }

// live reports whether the open stream is a live one.
func (p *pipeline) live() bool { return p.st != nil && p.st.Info().Live }

// titles returns the titles the stream announced in the bytes read so far
// (ICY), oldest first, each at the output frame its byte maps to. The
// decoder reads ahead of what it has decoded (the format probe, its own
// buffer), so a title is placed by the stream's byte rate when it is
// known (MP3), else where the decoding has got to.
func (p *pipeline) titles() []titleMark {
	ts, ok := p.st.(titledStream)
	if !ok {
		return nil
	}
	var marks []titleMark
	for _, t := range ts.StreamTitles() {
		frame := p.pos
		if bps := p.dec.bytesPerSecond; bps > 0 {
			frame = p.toOutput(p.offset + int(t.pos*int64(p.dec.rate)/int64(bps)))
		}
		marks = append(marks, titleMark{frame: frame, title: t.title})
	}
	return marks
}

func (p *pipeline) closeStream() {
	if p.st != nil {
		p.st.Close()
		p.st = nil
	}
}

func (p *pipeline) close() {
	if p.dec != nil {
		p.dec.close()
	}
	p.closeStream()
	p.dec, p.out = nil, nil
}
