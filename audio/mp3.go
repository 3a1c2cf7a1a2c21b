package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/gopxl/beep/v2"
)

// MP3 on top of a frame decoder (libmpg123 or go-mp3, see mp3engine.go),
// adding what gapless playback and seeking over HTTP need:
//
//   - Gapless: an encoder delays the audio and pads the last frame. LAME
//     (and ffmpeg) record both in the Xing/Info frame's LAME tag, e.g.
//     576 samples of delay and 756 of padding for testaudio's tone1k.mp3.
//     The decoder's own filterbank delays by 529 more. So the Info frame
//     (1152 silent samples) is skipped, delay+529 samples are dropped at
//     the start and the length is frames×1152-delay-padding: the clip
//     decodes to exactly its original 132,300 samples, not 134,784. A file
//     without a LAME tag keeps the ~1,105 samples (25 ms) of delay.
//   - Seeking: an index of every frame makes seeking exact, but over
//     HTTP it means downloading the whole file before the first sample.
//     So only local files are indexed (go-mp3 indexes them itself; for
//     libmpg123 indexMP3 reads the frame headers); a remote file with
//     Range seeks by estimate: CBR frame positions are exact (frame k starts near
//     k×144×bitrate/rate bytes), VBR uses the Xing table of contents (about
//     1 % of the track's length). Such a seek, and libmpg123's over the
//     index, starts a few frames early, since a frame borrows bits from
//     the frames before it, and discards them.

const mp3DecoderDelay = 529

// mp3Header is one MPEG audio frame header.
type mp3Header struct {
	mpeg1           bool
	crc             bool
	bitrate         int // bits per second
	sampleRate      int
	channels        int
	frameSize       int // bytes, including padding
	samplesPerFrame int
}

var (
	mp3BitratesV1 = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1}
	mp3BitratesV2 = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1}
	mp3Rates      = [4]int{44100, 48000, 32000, 0}
)

// parseMP3Header parses a layer III header; MPEG 2.5 and free format are
// refused as go-mp3 does not play them.
func parseMP3Header(b []byte) (mp3Header, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return mp3Header{}, false
	}
	version := (b[1] >> 3) & 3 // 3: MPEG1, 2: MPEG2, 0: MPEG2.5, 1: reserved
	layer := (b[1] >> 1) & 3
	if layer != 1 || version == 1 || version == 0 {
		return mp3Header{}, false
	}
	h := mp3Header{mpeg1: version == 3, crc: b[1]&1 == 0}
	bi, ri, pad := b[2]>>4, (b[2]>>2)&3, int(b[2]>>1)&1
	if h.mpeg1 {
		h.bitrate = mp3BitratesV1[bi] * 1000
		h.sampleRate = mp3Rates[ri]
		h.samplesPerFrame = 1152
	} else {
		h.bitrate = mp3BitratesV2[bi] * 1000
		h.sampleRate = mp3Rates[ri] / 2
		h.samplesPerFrame = 576
	}
	if h.bitrate <= 0 || h.sampleRate == 0 {
		return mp3Header{}, false
	}
	h.channels = 2
	if b[3]>>6 == 3 {
		h.channels = 1
	}
	h.frameSize = h.samplesPerFrame/8*h.bitrate/h.sampleRate + pad
	return h, true
}

// avgFrameSize is the mean frame size of a CBR stream at this header's
// bitrate, padding included.
func (h mp3Header) avgFrameSize() float64 {
	return float64(h.samplesPerFrame/8) * float64(h.bitrate) / float64(h.sampleRate)
}

func (h mp3Header) sideInfoSize() int {
	switch {
	case h.mpeg1 && h.channels == 1:
		return 17
	case h.mpeg1:
		return 32
	case h.channels == 1:
		return 9
	default:
		return 17
	}
}

// xingInfo is the content of a Xing/Info frame and its LAME tag.
type xingInfo struct {
	vbr            bool // "Xing"; "Info" marks CBR
	frames         int  // audio frames after this one; 0 unknown
	bytes          int  // audio bytes; 0 unknown
	toc            []byte
	hasLAME        bool
	delay, padding int
}

// parseXing looks for a Xing/Info tag in the frame at the start of frame.
func parseXing(h mp3Header, frame []byte) (xingInfo, bool) {
	off := 4 + h.sideInfoSize()
	if h.crc {
		off += 2
	}
	if len(frame) < off+8 {
		return xingInfo{}, false
	}
	tag := string(frame[off : off+4])
	if tag != "Xing" && tag != "Info" {
		return xingInfo{}, false
	}
	x := xingInfo{vbr: tag == "Xing"}
	flags := binary.BigEndian.Uint32(frame[off+4:])
	p := off + 8
	field := func(n int) []byte {
		if p+n > len(frame) {
			p = len(frame) + 1
			return nil
		}
		b := frame[p : p+n]
		p += n
		return b
	}
	if flags&1 != 0 {
		if b := field(4); b != nil {
			x.frames = int(binary.BigEndian.Uint32(b))
		}
	}
	if flags&2 != 0 {
		if b := field(4); b != nil {
			x.bytes = int(binary.BigEndian.Uint32(b))
		}
	}
	if flags&4 != 0 {
		x.toc = field(100)
	}
	if flags&8 != 0 {
		field(4)
	}
	if lame := field(24); lame != nil {
		switch string(lame[:4]) {
		case "LAME", "Lavf", "Lavc", "L3.9", "GOGO":
			v := int(lame[21])<<16 | int(lame[22])<<8 | int(lame[23])
			x.delay, x.padding, x.hasLAME = v>>12, v&0xFFF, true
		}
	}
	return x, true
}

// findMP3Frame returns the offset of the first frame header in b that is
// followed by another valid header where its size says (or by the end of
// b), so a stray 0xFFE in data is not taken for a frame.
func findMP3Frame(b []byte) (int, mp3Header, bool) {
	for i := 0; i+4 <= len(b); i++ {
		h, ok := parseMP3Header(b[i:])
		if !ok {
			continue
		}
		next := i + h.frameSize
		if next+4 > len(b) {
			return i, h, true
		}
		if h2, ok := parseMP3Header(b[next:]); ok && h2.sampleRate == h.sampleRate {
			return i, h, true
		}
	}
	return 0, mp3Header{}, false
}

const mp3ProbeSize = 8 << 10

// mp3Decoder decodes MP3 at frame accuracy with the encoder delay removed.
type mp3Decoder struct {
	engine     mp3Engine
	seeker     io.ReadSeeker // the stream from the first byte of audio, or nil
	indexed    bool          // local: every frame's position is known, seeks are exact
	index      []int64       // libmpg123: offsets of the frames (go-mp3 keeps its own)
	hdr        mp3Header
	xing       xingInfo
	hasXing    bool
	firstAudio int64 // offset (in seeker) of the first audio frame
	startTrim  int   // decoded samples to drop at the start
	length     int   // samples after trimming; -1 unknown

	dec    mp3Frames
	skip   int // decoded samples still to drop
	pos    int // position of the next sample, after trimming
	tmp    [][2]float64
	closed bool
}

// openMP3 starts decoding r (the stream from the first byte after any ID3
// tag) with engine. seeker is r as a seeker when the stream can seek;
// remote says whether a seek costs a request.
func openMP3(r io.Reader, seeker io.ReadSeeker, remote bool, engine mp3Engine) (*mp3Decoder, error) {
	probe := make([]byte, mp3ProbeSize)
	n, err := io.ReadFull(r, probe)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	probe = probe[:n]
	at, h, ok := findMP3Frame(probe)
	if !ok {
		return nil, errors.New("no MPEG layer III frame in the first 8 KiB")
	}
	d := &mp3Decoder{engine: engine, seeker: seeker, hdr: h, length: -1, firstAudio: int64(at)}
	if x, ok := parseXing(h, probe[at:]); ok {
		d.xing, d.hasXing = x, true
		d.firstAudio += int64(h.frameSize)
		if x.hasLAME {
			d.startTrim = x.delay + mp3DecoderDelay
		}
		if x.frames > 0 {
			d.length = x.frames*h.samplesPerFrame - x.delay - x.padding
			if d.length < 0 {
				d.length = -1
			}
		}
	}
	var src io.ReadCloser
	switch {
	case seeker != nil && !remote && engine == engineGoMP3:
		// go-mp3 indexes a seekable stream itself.
		if _, err := seeker.Seek(d.firstAudio, io.SeekStart); err != nil {
			return nil, err
		}
		d.indexed = true
		src = nopSeekCloser{&section{rs: seeker, base: d.firstAudio}}
	case seeker != nil:
		if !remote {
			if d.index, err = indexMP3(seeker, d.firstAudio, h.sampleRate); err != nil {
				return nil, err
			}
			d.indexed = true
		}
		if _, err := seeker.Seek(d.firstAudio, io.SeekStart); err != nil {
			return nil, err
		}
		src = nopCloser{seeker}
	case int64(len(probe)) > d.firstAudio:
		src = nopCloser{io.MultiReader(bytes.NewReader(probe[d.firstAudio:]), r)}
	default:
		if _, err := io.CopyN(io.Discard, r, d.firstAudio-int64(len(probe))); err != nil {
			return nil, err
		}
		src = nopCloser{r}
	}
	dec, err := engine.open(src)
	if err != nil {
		return nil, err
	}
	d.dec, d.skip = dec, d.startTrim
	if d.indexed && d.length < 0 {
		total := len(d.index) * h.samplesPerFrame
		if l, ok := dec.(interface{ Len() int }); ok && d.index == nil {
			total = l.Len()
		}
		d.length = max(total-d.startTrim, 0)
	}
	return d, nil
}

func (d *mp3Decoder) SampleRate() beep.SampleRate { return beep.SampleRate(d.hdr.sampleRate) }

// bytesPerSecond is the stream's byte rate: the Xing tag's average for a
// VBR file, else the first frame's bitrate.
func (d *mp3Decoder) bytesPerSecond() int {
	if d.vbrTOC() {
		seconds := float64(d.xing.frames*d.hdr.samplesPerFrame) / float64(d.hdr.sampleRate)
		return int(float64(d.xing.bytes) / seconds)
	}
	return d.hdr.bitrate / 8
}

// Len is the length after trimming, -1 when unknown.
func (d *mp3Decoder) Len() int { return d.length }

// Position is the position of the next sample.
func (d *mp3Decoder) Position() int { return d.pos }

// Stream keeps beep.Streamer's contract.
func (d *mp3Decoder) Stream(samples [][2]float64) (n int, ok bool) {
	if d.closed {
		return 0, false
	}
	for d.skip > 0 {
		if d.tmp == nil {
			d.tmp = make([][2]float64, 1152)
		}
		k, ok := d.dec.Stream(d.tmp[:min(d.skip, len(d.tmp))])
		d.skip -= k
		if !ok {
			return 0, false
		}
	}
	if d.length >= 0 && len(samples) > d.length-d.pos {
		samples = samples[:max(d.length-d.pos, 0)]
	}
	for n < len(samples) {
		k, ok := d.dec.Stream(samples[n:])
		n += k
		if !ok {
			break
		}
	}
	d.pos += n
	return n, n > 0
}

func (d *mp3Decoder) Err() error { return d.dec.Err() }

// canSeek reports whether Seek works on this stream.
func (d *mp3Decoder) canSeek() bool { return d.seeker != nil }

// Seek moves to sample p (after trimming): exactly when the frames are
// indexed, else from an estimate of where the frame is.
func (d *mp3Decoder) Seek(p int) error {
	if d.seeker == nil {
		return errors.New("mp3: stream is not seekable")
	}
	if p < 0 || d.length >= 0 && p > d.length {
		return fmt.Errorf("mp3: seek to %d outside [0, %d]", p, d.length)
	}
	raw := p + d.startTrim
	if d.indexed && d.index == nil {
		// go-mp3's own index.
		gs := d.dec.(beep.StreamSeeker)
		total := gs.Len()
		if raw >= total {
			raw, d.skip = total, 0
		}
		if err := gs.Seek(raw); err != nil {
			return err
		}
		d.skip, d.pos = 0, p
		return nil
	}
	spf := d.hdr.samplesPerFrame
	k := raw / spf
	avg := d.hdr.avgFrameSize()
	preroll := 2 + int(math.Ceil(511/avg))
	j := max(0, k-preroll)
	var frameAt int64
	if d.indexed {
		if len(d.index) == 0 {
			return errors.New("mp3: no frames")
		}
		j = min(j, len(d.index)-1)
		frameAt = d.index[j]
	} else {
		est := d.estimateOffset(j)
		from := max(d.firstAudio, d.firstAudio+est-8)
		if _, err := d.seeker.Seek(from, io.SeekStart); err != nil {
			return err
		}
		probe := make([]byte, 4096)
		n, err := io.ReadFull(d.seeker, probe)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return err
		}
		at, _, ok := findMP3Frame(probe[:n])
		if !ok {
			return errors.New("mp3: no frame near the seek position")
		}
		frameAt = from + int64(at)
		if !d.vbrTOC() {
			j = int(math.Round(float64(frameAt-d.firstAudio) / avg))
		}
	}
	if _, err := d.seeker.Seek(frameAt, io.SeekStart); err != nil {
		return err
	}
	dec, err := d.engine.open(nopCloser{d.seeker})
	if err != nil {
		return err
	}
	d.dec.Close()
	d.dec = dec
	d.skip = max(raw-j*spf, 0)
	d.pos = p
	return nil
}

func (d *mp3Decoder) vbrTOC() bool {
	return d.hasXing && d.xing.vbr && len(d.xing.toc) == 100 && d.xing.frames > 0 && d.xing.bytes > 0
}

// estimateOffset estimates where audio frame j starts, relative to the
// first audio frame.
func (d *mp3Decoder) estimateOffset(j int) int64 {
	if d.vbrTOC() {
		pct := math.Min(99.999, 100*float64(j)/float64(d.xing.frames))
		i := int(pct)
		a := float64(d.xing.toc[i])
		b := 256.0
		if i < 99 {
			b = float64(d.xing.toc[i+1])
		}
		return int64((a + (b-a)*(pct-float64(i))) / 256 * float64(d.xing.bytes))
	}
	return int64(float64(j) * d.hdr.avgFrameSize())
}

// Close frees the frame decoder (not the stream).
func (d *mp3Decoder) Close() error {
	d.closed = true
	return d.dec.Close()
}

// section is a seekable stream seen from byte base on.
type section struct {
	rs   io.ReadSeeker
	base int64
}

func (s *section) Read(p []byte) (int, error) { return s.rs.Read(p) }

func (s *section) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		off += s.base
	}
	n, err := s.rs.Seek(off, whence)
	return n - s.base, err
}

// nopCloser adds Close to a reader (and hides any Seek).
type nopCloser struct{ r io.Reader }

func (c nopCloser) Read(p []byte) (int, error) { return c.r.Read(p) }
func (nopCloser) Close() error                 { return nil }

// nopSeekCloser adds Close to a seekable reader.
type nopSeekCloser struct{ io.ReadSeeker }

func (nopSeekCloser) Close() error { return nil }
