package ampachetest

import (
	"encoding/binary"
	"errors"
	"io"
	"time"
)

// flacClip is a FLAC file split into metadata and frames. Windows of it
// renumber the frames from 0 and recompute their CRCs, so a cut or looped
// stream is a valid fixed-blocksize FLAC stream.
type flacClip struct {
	data       []byte
	streamInfo []byte // the 34-byte STREAMINFO body
	comment    []byte // the VORBIS_COMMENT body, if any
	units      unitTable
	numLen     []int   // length of each frame's coded frame number
	basePre    []int64 // basePre[i] = size of frames [0, i) without frame numbers
	blockSize  int
	sampleRate int
}

var (
	crc8Table  = makeCRC8Table()
	crc16Table = makeCRC16Table()
)

func makeCRC8Table() (t [256]byte) {
	for i := range t {
		c := byte(i)
		for range 8 {
			if c&0x80 != 0 {
				c = c<<1 ^ 0x07
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}

func makeCRC16Table() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x8005
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}

func crc8(b []byte) byte {
	var c byte
	for _, x := range b {
		c = crc8Table[c^x]
	}
	return c
}

func crc16(b []byte) uint16 {
	var c uint16
	for _, x := range b {
		c = c<<8 ^ crc16Table[byte(c>>8)^x]
	}
	return c
}

// utf8Len is the length of FLAC's UTF-8-like coding of v.
func utf8Len(v int64) int {
	switch {
	case v < 0x80:
		return 1
	case v < 0x800:
		return 2
	case v < 0x10000:
		return 3
	case v < 0x200000:
		return 4
	case v < 0x4000000:
		return 5
	case v < 0x80000000:
		return 6
	}
	return 7
}

func appendUTF8Num(b []byte, v int64) []byte {
	n := utf8Len(v)
	if n == 1 {
		return append(b, byte(v))
	}
	lead := byte(0xFF << (8 - n))
	out := make([]byte, n)
	for i := n - 1; i > 0; i-- {
		out[i] = 0x80 | byte(v&0x3F)
		v >>= 6
	}
	out[0] = lead | byte(v)
	return append(b, out...)
}

// utf8LenSum is the total coded length of frame numbers [0, n).
func utf8LenSum(n int64) int64 {
	bounds := []int64{0x80, 0x800, 0x10000, 0x200000, 0x4000000, 0x80000000}
	var total, lo int64
	for i, hi := range bounds {
		if n <= lo {
			return total
		}
		total += (min(n, hi) - lo) * int64(i+1)
		lo = hi
	}
	if n > lo {
		total += (n - lo) * 7
	}
	return total
}

// flacHeaderLen parses a frame header at b and returns its length including
// the CRC-8, where the frame number starts and its length.
func flacHeaderLen(b []byte) (hlen, numAt, numLen int, ok bool) {
	if len(b) < 6 || b[0] != 0xFF || b[1] != 0xF8 {
		return 0, 0, 0, false
	}
	n := 1
	switch lead := b[4]; {
	case lead < 0x80:
	case lead&0xE0 == 0xC0:
		n = 2
	case lead&0xF0 == 0xE0:
		n = 3
	case lead&0xF8 == 0xF0:
		n = 4
	case lead&0xFC == 0xF8:
		n = 5
	case lead&0xFE == 0xFC:
		n = 6
	default:
		return 0, 0, 0, false
	}
	pos := 4 + n
	switch b[2] >> 4 {
	case 6:
		pos++
	case 7:
		pos += 2
	}
	switch b[2] & 0xF {
	case 12:
		pos++
	case 13, 14:
		pos += 2
	}
	if pos+1 > len(b) || crc8(b[:pos]) != b[pos] {
		return 0, 0, 0, false
	}
	return pos + 1, 4, n, true
}

func parseFLAC(data []byte) (*flacClip, error) {
	if len(data) < 8 || string(data[:4]) != "fLaC" {
		return nil, errors.New("not a FLAC stream")
	}
	c := &flacClip{data: data}
	pos := 4
	for {
		if pos+4 > len(data) {
			return nil, errors.New("truncated metadata")
		}
		last := data[pos]&0x80 != 0
		typ := data[pos] & 0x7F
		size := int(data[pos+1])<<16 | int(data[pos+2])<<8 | int(data[pos+3])
		body := data[pos+4 : pos+4+size]
		switch typ {
		case 0:
			c.streamInfo = body
		case 4:
			c.comment = body
		}
		pos += 4 + size
		if last {
			break
		}
	}
	if len(c.streamInfo) != 34 {
		return nil, errors.New("no STREAMINFO")
	}
	c.blockSize = int(binary.BigEndian.Uint16(c.streamInfo[2:]))
	c.sampleRate = int(binary.BigEndian.Uint32(c.streamInfo[10:]) >> 12)
	for pos < len(data) {
		hlen, _, nlen, ok := flacHeaderLen(data[pos:])
		if !ok {
			return nil, errors.New("bad frame header")
		}
		end := len(data)
		for cand := pos + hlen + 2; cand+6 <= len(data); cand++ {
			if data[cand] != 0xFF || data[cand+1] != 0xF8 {
				continue
			}
			if _, _, _, ok := flacHeaderLen(data[cand:]); !ok {
				continue
			}
			if crc16(data[pos:cand-2]) == binary.BigEndian.Uint16(data[cand-2:]) {
				end = cand
				break
			}
		}
		c.units.add(int64(pos), int64(end-pos))
		c.numLen = append(c.numLen, nlen)
		pos = end
	}
	if c.units.n() == 0 {
		return nil, errors.New("no frames")
	}
	c.basePre = make([]int64, len(c.units.pre))
	var nums int64
	for i := range c.units.pre {
		c.basePre[i] = c.units.pre[i] - nums
		if i < len(c.numLen) {
			nums += int64(c.numLen[i])
		}
	}
	// Loop only over whole blocks: the last frame is usually shorter.
	c.units.loopN = int(c.units.n()) - 1
	if c.units.loopN == 0 {
		c.units.loopN = 1
	}
	return c, nil
}

// window returns a FLAC stream of the frames covering [start, length).
func (c *flacClip) window(start, length time.Duration, loop bool) mediaFile {
	bs := int64(c.blockSize)
	rate := int64(c.sampleRate)
	firstSample := int64(start) * rate / int64(time.Second)
	endSample := int64(length) * rate / int64(time.Second)
	first := (firstSample + bs/2) / bs
	end := (endSample + bs/2) / bs
	if !loop && end > c.units.n() {
		end = c.units.n()
	}
	if first > end {
		first = end
	}
	n := end - first
	isLoop := end > c.units.n()
	samples := n * bs
	if !isLoop && end == c.units.n() {
		totalClip := int64(binary.BigEndian.Uint64(c.streamInfo[10:]) & (1<<36 - 1))
		samples = totalClip - first*bs
	}
	head := c.head(samples)
	f := &flacFile{clip: c, head: head, first: first, n: n, loop: isLoop}
	f.size = int64(len(head)) + f.offset(n)
	return f
}

// head builds the metadata for a stream of total samples: STREAMINFO with
// frame sizes, total and MD5 unknown, then the clip's Vorbis comment.
func (c *flacClip) head(total int64) []byte {
	si := append([]byte(nil), c.streamInfo...)
	for i := 4; i < 10; i++ {
		si[i] = 0 // min/max frame size unknown
	}
	v := binary.BigEndian.Uint64(si[10:])
	v = v&^(1<<36-1) | uint64(total)&(1<<36-1)
	binary.BigEndian.PutUint64(si[10:], v)
	for i := 18; i < 34; i++ {
		si[i] = 0 // MD5 unknown
	}
	b := []byte("fLaC")
	block := func(typ byte, body []byte, last bool) {
		if last {
			typ |= 0x80
		}
		b = append(b, typ, byte(len(body)>>16), byte(len(body)>>8), byte(len(body)))
		b = append(b, body...)
	}
	block(0, si, c.comment == nil)
	if c.comment != nil {
		block(4, c.comment, true)
	}
	return b
}

type flacFile struct {
	clip  *flacClip
	head  []byte
	first int64
	n     int64
	loop  bool
	size  int64
}

func (f *flacFile) Size() int64 { return f.size }

// offset is where frame i (renumbered) starts after the head.
func (f *flacFile) offset(i int64) int64 {
	return f.baseCum(f.first+i) - f.baseCum(f.first) + utf8LenSum(i)
}

// baseCum sums the sizes of absolute frames [0, abs) without their frame
// numbers.
func (f *flacFile) baseCum(abs int64) int64 {
	bp := f.clip.basePre
	if !f.loop {
		return bp[abs]
	}
	l := int64(f.clip.units.loopN)
	return abs/l*bp[l] + bp[abs%l]
}

func (f *flacFile) frame(i int64) []byte {
	c := f.clip
	idx := f.clip.units.idx(f.first+i, f.loop)
	raw := c.data[c.units.off[idx] : c.units.off[idx]+c.units.size(idx)]
	hlen, numAt, nlen, _ := flacHeaderLen(raw)
	out := make([]byte, 0, len(raw)+4)
	out = append(out, raw[:numAt]...)
	out = appendUTF8Num(out, i)
	out = append(out, raw[numAt+nlen:hlen-1]...)
	out = append(out, crc8(out))
	out = append(out, raw[hlen:len(raw)-2]...)
	return binary.BigEndian.AppendUint16(out, crc16(out))
}

func (f *flacFile) ReadAt(p []byte, off int64) (int, error) {
	total := 0
	if off < int64(len(f.head)) {
		c := copy(p, f.head[off:])
		total += c
		p = p[c:]
		off += int64(c)
	}
	for len(p) > 0 && off < f.size {
		rel := off - int64(len(f.head))
		// Binary search for the frame holding rel.
		lo, hi := int64(0), f.n-1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if f.offset(mid) <= rel {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		fr := f.frame(lo)
		c := copy(p, fr[rel-f.offset(lo):])
		total += c
		p = p[c:]
		off += int64(c)
	}
	if len(p) > 0 {
		return total, io.EOF
	}
	return total, nil
}
