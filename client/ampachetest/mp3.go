package ampachetest

import (
	"errors"
	"time"
)

// mp3Clip is an MP3 file split into its audio frames. A Xing/Info frame and
// trailing tags are left out, so windows of it are plain frame sequences.
type mp3Clip struct {
	data            []byte
	units           unitTable
	sampleRate      int
	channels        int
	samplesPerFrame int
	bitrate         int // of the first audio frame, bits per second
}

var (
	mp3Bitrates = [2][16]int{ // [MPEG1, MPEG2/2.5] layer III, kbit/s
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
	}
	mp3Rates = [3][3]int{ // [MPEG1, MPEG2, MPEG2.5]
		{44100, 48000, 32000}, {22050, 24000, 16000}, {11025, 12000, 8000},
	}
)

// mp3Header is a decoded MPEG audio layer III frame header.
type mp3Header struct {
	size, sampleRate, samplesPerFrame, bitrate, channels int
	mpeg1                                                bool
}

func parseMP3Header(b []byte) (mp3Header, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return mp3Header{}, false
	}
	version := (b[1] >> 3) & 3 // 3 MPEG1, 2 MPEG2, 0 MPEG2.5
	layer := (b[1] >> 1) & 3   // 1 = layer III
	brIdx := b[2] >> 4
	srIdx := (b[2] >> 2) & 3
	if version == 1 || layer != 1 || brIdx == 0 || brIdx == 15 || srIdx == 3 {
		return mp3Header{}, false
	}
	h := mp3Header{mpeg1: version == 3}
	vi := 0
	switch version {
	case 2:
		vi = 1
	case 0:
		vi = 2
	}
	h.sampleRate = mp3Rates[vi][srIdx]
	col := 1
	if h.mpeg1 {
		col = 0
	}
	h.bitrate = mp3Bitrates[col][brIdx] * 1000
	padding := int(b[2]>>1) & 1
	if h.mpeg1 {
		h.samplesPerFrame = 1152
		h.size = 144*h.bitrate/h.sampleRate + padding
	} else {
		h.samplesPerFrame = 576
		h.size = 72*h.bitrate/h.sampleRate + padding
	}
	h.channels = 2
	if b[3]>>6 == 3 {
		h.channels = 1
	}
	return h, true
}

// isInfoFrame reports whether the frame at b is a Xing/Info/VBRI header frame.
func isInfoFrame(b []byte, h mp3Header) bool {
	side := 17
	switch {
	case h.mpeg1 && h.channels == 2:
		side = 32
	case !h.mpeg1 && h.channels == 1:
		side = 9
	}
	at := 4 + side
	if len(b) >= at+4 {
		tag := string(b[at : at+4])
		if tag == "Xing" || tag == "Info" {
			return true
		}
	}
	return len(b) >= 40 && string(b[36:40]) == "VBRI"
}

func parseMP3(data []byte) (*mp3Clip, error) {
	c := &mp3Clip{data: data}
	pos := 0
	if len(data) >= 10 && string(data[:3]) == "ID3" {
		size := int(data[6]&0x7f)<<21 | int(data[7]&0x7f)<<14 | int(data[8]&0x7f)<<7 | int(data[9]&0x7f)
		pos = 10 + size
	}
	first := true
	for pos+4 <= len(data) {
		h, ok := parseMP3Header(data[pos:])
		if !ok || pos+h.size > len(data) {
			break // ID3v1 tag, APE tag or junk: the audio is over
		}
		if first {
			first = false
			c.sampleRate, c.channels, c.samplesPerFrame = h.sampleRate, h.channels, h.samplesPerFrame
			if isInfoFrame(data[pos:pos+h.size], h) {
				pos += h.size
				continue
			}
		}
		if c.bitrate == 0 {
			c.bitrate = h.bitrate
		}
		c.units.add(int64(pos), int64(h.size))
		pos += h.size
	}
	if c.units.n() == 0 {
		return nil, errors.New("no MPEG audio frames")
	}
	c.units.loopN = int(c.units.n())
	return c, nil
}

// window returns the frames that cover [start, length) of the clip, looped
// when loop is set and length is past the clip's end. The cut falls on the
// frame boundary nearest to start.
func (c *mp3Clip) window(start, length time.Duration, loop bool) mediaFile {
	spf := int64(c.samplesPerFrame)
	rate := int64(c.sampleRate)
	firstSample := int64(start) * rate / int64(time.Second)
	endSample := int64(length) * rate / int64(time.Second)
	first := (firstSample + spf/2) / spf
	end := (endSample + spf/2) / spf
	if !loop && end > c.units.n() {
		end = c.units.n()
	}
	if first > end {
		first = end
	}
	return newUnitFile(nil, c.data, &c.units, first, end-first, nil)
}
