package ampachetest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"
)

// oggClip is an Ogg Vorbis file split into its header pages and its audio
// pages. Windows of it renumber the pages, give them granule positions that
// match what a decoder produces from the window's first page, and recompute
// their CRCs.
//
// Vorbis packet j decodes to (bs[j-1]+bs[j])/4 samples (the first decoded
// packet to none), where bs is the packet's block size; so the positions
// follow from the block sizes, which come from the packets' mode numbers
// and the modes listed at the end of the setup header.
type oggClip struct {
	data       []byte
	head       []byte // the pages holding the three Vorbis headers
	headPages  int
	units      unitTable // audio pages
	pages      []oggPage
	sampleRate int
	gPre       []int64 // gPre[i] = samples decoded by pages [0, i) inside a loop
	first0     int64   // samples decoded by page 0 at the start of a stream
}

// oggPage is what the window arithmetic needs of an audio page.
type oggPage struct {
	hasGran  bool
	cont     bool    // the first packet completing here began on an earlier page
	bs       []int64 // block sizes of the packets completing on this page
	prevBS   int64   // block size of the packet completed before this page (wrapping)
	internal int64   // samples of packets 1.. of bs, given packet 0 is decoded
}

// gain is what the page adds when decoding runs through it.
func (p *oggPage) gain() int64 {
	if len(p.bs) == 0 {
		return 0
	}
	return (p.prevBS+p.bs[0])/4 + p.internal
}

// lastOut is what the page's last packet adds.
func (p *oggPage) lastOut() int64 {
	switch n := len(p.bs); n {
	case 0:
		return 0
	case 1:
		return (p.prevBS + p.bs[0]) / 4
	default:
		return (p.bs[n-2] + p.bs[n-1]) / 4
	}
}

// originOff is how far past the end of the previous page a decoder that
// starts at this page is when it outputs its first sample: the first
// decoded packet produces nothing, and a continued packet is skipped.
func (p *oggPage) originOff() int64 {
	if len(p.bs) == 0 {
		return 0
	}
	if !p.cont {
		return (p.prevBS + p.bs[0]) / 4
	}
	off := (p.prevBS + p.bs[0]) / 4
	if len(p.bs) > 1 {
		off += (p.bs[0] + p.bs[1]) / 4
	}
	return off
}

var oggCRCTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04c11db7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func oggCRC(b []byte) uint32 {
	var c uint32
	for _, x := range b {
		c = c<<8 ^ oggCRCTable[byte(c>>24)^x]
	}
	return c
}

// bitField reads n bits LSB-first from bit position pos.
func bitField(b []byte, pos, n int) int {
	v := 0
	for j := 0; j < n; j++ {
		i := pos + j
		v |= int(b[i>>3]>>(i&7)&1) << j
	}
	return v
}

func ilog(v int) int {
	n := 0
	for ; v > 0; v >>= 1 {
		n++
	}
	return n
}

// vorbisModes reads the block flags of the modes at the end of a setup
// header, working backwards from the framing bit.
func vorbisModes(setup []byte) ([]int, error) {
	f := -1
	for i := len(setup) - 1; i >= 0 && f < 0; i-- {
		for bit := 7; bit >= 0; bit-- {
			if setup[i]>>bit&1 == 1 {
				f = i*8 + bit
				break
			}
		}
	}
	if f < 0 {
		return nil, errors.New("no framing bit")
	}
	maxN := 0
	for {
		e := f - 41*(maxN+1)
		if e < 0 || bitField(setup, e+1, 16) != 0 || bitField(setup, e+17, 16) != 0 {
			break
		}
		maxN++
	}
	for n := maxN; n >= 1; n-- {
		e := f - 41*n
		if e-6 >= 0 && bitField(setup, e-6, 6) == n-1 {
			flags := make([]int, n)
			for k := range flags {
				flags[k] = bitField(setup, f-41*(n-k), 1)
			}
			return flags, nil
		}
	}
	return nil, errors.New("modes not found")
}

type oggPacket struct {
	startPage, endPage int
	data               []byte
}

func parseOgg(data []byte) (*oggClip, error) {
	c := &oggClip{data: data}
	type rawPage struct {
		off, size int
		gran      int64
	}
	var pages []rawPage
	var packets []oggPacket
	var cur []byte
	curStart := -1
	for pos := 0; pos < len(data); {
		if pos+27 > len(data) || string(data[pos:pos+4]) != "OggS" {
			return nil, errors.New("bad page")
		}
		nseg := int(data[pos+26])
		if pos+27+nseg > len(data) {
			return nil, errors.New("truncated page")
		}
		segs := data[pos+27 : pos+27+nseg]
		body := pos + 27 + nseg
		size := 27 + nseg
		for _, s := range segs {
			size += int(s)
		}
		if pos+size > len(data) {
			return nil, errors.New("truncated page")
		}
		pi := len(pages)
		pages = append(pages, rawPage{pos, size, int64(binary.LittleEndian.Uint64(data[pos+6:]))})
		for _, s := range segs {
			if curStart < 0 {
				curStart = pi
			}
			cur = append(cur, data[body:body+int(s)]...)
			body += int(s)
			if s < 255 {
				packets = append(packets, oggPacket{curStart, pi, cur})
				cur, curStart = nil, -1
			}
		}
		pos += size
	}
	if len(packets) < 4 {
		return nil, errors.New("too few packets")
	}
	ident, setup := packets[0].data, packets[2].data
	if len(ident) < 30 || string(ident[1:7]) != "vorbis" || setup[0] != 5 {
		return nil, errors.New("not Vorbis")
	}
	c.sampleRate = int(binary.LittleEndian.Uint32(ident[12:]))
	blockSizes := [2]int64{1 << (ident[28] & 0xF), 1 << (ident[28] >> 4)}
	modes, err := vorbisModes(setup)
	if err != nil {
		return nil, err
	}
	modeBits := ilog(len(modes) - 1)
	c.headPages = packets[2].endPage + 1
	c.head = data[:pages[c.headPages].off]
	for _, p := range pages[c.headPages:] {
		c.units.add(int64(p.off), int64(p.size))
	}
	c.units.loopN = int(c.units.n())
	c.pages = make([]oggPage, len(pages)-c.headPages)
	for i := range c.pages {
		c.pages[i].hasGran = pages[c.headPages+i].gran >= 0
	}
	for _, pk := range packets[3:] {
		if len(pk.data) == 0 || pk.data[0]&1 != 0 {
			return nil, errors.New("bad audio packet")
		}
		mode := bitField(pk.data, 1, modeBits)
		if mode >= len(modes) {
			return nil, errors.New("bad mode number")
		}
		p := &c.pages[pk.endPage-c.headPages]
		if len(p.bs) == 0 && pk.startPage < pk.endPage {
			p.cont = true
		}
		p.bs = append(p.bs, blockSizes[modes[mode]])
	}
	// Wire up the previous block sizes, wrapping around for the loop.
	var last int64
	for i := len(c.pages) - 1; i >= 0 && last == 0; i-- {
		if n := len(c.pages[i].bs); n > 0 {
			last = c.pages[i].bs[n-1]
		}
	}
	for i := range c.pages {
		p := &c.pages[i]
		p.prevBS = last
		for j := 1; j < len(p.bs); j++ {
			p.internal += (p.bs[j-1] + p.bs[j]) / 4
		}
		if n := len(p.bs); n > 0 {
			last = p.bs[n-1]
		}
	}
	c.gPre = make([]int64, len(c.pages)+1)
	for i := range c.pages {
		c.gPre[i+1] = c.gPre[i] + c.pages[i].gain()
	}
	c.first0 = c.pages[0].internal
	// Self-check: from the start, the computed positions are the encoder's.
	for i := 0; i < len(c.pages)-1; i++ {
		if c.pages[i].hasGran && c.abs(int64(i)) != pages[c.headPages+i].gran {
			return nil, fmt.Errorf("page %d: computed granule %d, file says %d", i, c.abs(int64(i)), pages[c.headPages+i].gran)
		}
	}
	return c, nil
}

// abs is the number of samples decoded by the end of absolute page i of
// the endlessly looped clip, decoding from its start.
func (c *oggClip) abs(i int64) int64 {
	if i < 0 {
		return 0
	}
	l := int64(len(c.pages))
	k, r := i/l, i%l
	return c.first0 - c.pages[0].gain() + k*c.gPre[l] + c.gPre[r+1]
}

// pageReaching returns the first absolute page whose end passes g samples.
func (c *oggClip) pageReaching(g int64, inclusive bool) int64 {
	l := int64(len(c.pages))
	period := c.gPre[l]
	k := max(0, (g-c.abs(0))/period-1)
	lo := k * l
	hi := lo + 3*l
	return lo + int64(sort.Search(int(hi-lo), func(i int) bool {
		a := c.abs(lo + int64(i))
		if inclusive {
			return a >= g
		}
		return a > g
	}))
}

// packetEnd is the number of samples decoded by the end of packet j of
// absolute page i, decoding from the clip's start.
func (c *oggClip) packetEnd(i int64, j int) int64 {
	p := &c.pages[i%int64(len(c.pages))]
	end := c.abs(i - 1)
	if i == 0 {
		// The first packet of a stream decodes to nothing.
		for k := 1; k <= j; k++ {
			end += (p.bs[k-1] + p.bs[k]) / 4
		}
		return end
	}
	end += (p.prevBS + p.bs[0]) / 4
	for k := 1; k <= j; k++ {
		end += (p.bs[k-1] + p.bs[k]) / 4
	}
	return end
}

// slicePage rebuilds an Ogg page keeping only completed packets [from, to).
// A continued packet (the first, when the page is marked continued) can
// only be kept together with the page before it, so from > 0 drops it and
// clears the continuation flag. Packets not completed on the page go too.
func slicePage(page []byte, from, to int) []byte {
	nseg := int(page[26])
	segs := page[27 : 27+nseg]
	type piece struct{ segFrom, segTo, bodyFrom, bodyTo int }
	var pieces []piece
	body := 27 + nseg
	start, startBody := 0, body
	for k, l := range segs {
		body += int(l)
		if l < 255 {
			pieces = append(pieces, piece{start, k + 1, startBody, body})
			start, startBody = k+1, body
		}
	}
	keep := pieces[from:to]
	out := append([]byte(nil), page[:26]...)
	var table, data []byte
	for _, p := range keep {
		table = append(table, segs[p.segFrom:p.segTo]...)
		data = append(data, page[p.bodyFrom:p.bodyTo]...)
	}
	if from > 0 {
		out[5] &^= 0x01
	}
	out = append(out, byte(len(table)))
	out = append(out, table...)
	return append(out, data...)
}

// slicedSize is the size slicePage(page, from, to) would have.
func slicedSize(page []byte, from, to int) int64 {
	nseg := int(page[26])
	segs := page[27 : 27+nseg]
	size, k, segCount, body := int64(27), 0, 0, 0
	for _, l := range segs {
		if k >= from && k < to {
			segCount++
			body += int(l)
		}
		if l < 255 {
			k++
		}
	}
	return size + 1 + int64(segCount) + int64(body) - 1
}

// window returns an Ogg stream of the packets covering [start, length): it
// starts at the packet boundary at or before start and ends with the packet
// that reaches length, whose surplus the last granule position trims.
func (c *oggClip) window(start, length time.Duration, loop bool) mediaFile {
	rate := int64(c.sampleRate)
	startG := int64(start) * rate / int64(time.Second)
	endG := int64(length) * rate / int64(time.Second)
	n := int64(len(c.pages))
	if !loop {
		endG = min(endG, c.abs(n-1))
	}
	if startG >= endG {
		return bytesFile(c.head)
	}
	first := c.pageReaching(startG, false)
	last := c.pageReaching(endG, true)
	fp := &c.pages[first%n]
	// The first decoded packet: the last one ending by startG, if any.
	a := 0
	if fp.cont {
		a = 1
	}
	for j := a + 1; j < len(fp.bs) && c.packetEnd(first, j) <= startG; j++ {
		a = j
	}
	origin := int64(0)
	if first > 0 || a > 0 {
		origin = c.packetEnd(first, a)
	}
	lp := &c.pages[last%n]
	b := 0
	for b < len(lp.bs)-1 && c.packetEnd(last, b) < endG {
		b++
	}
	final := endG - origin
	granule := func(i int64) int64 { // page first+i, unsliced
		if !c.pages[(first+i)%n].hasGran {
			return -1
		}
		return c.abs(first+i) - origin
	}
	count := last - first + 1
	fix := func(i int64, page []byte, g int64, eos bool) []byte {
		out := append([]byte(nil), page...)
		out[5] &^= 0x04
		if eos {
			out[5] |= 0x04
		}
		binary.LittleEndian.PutUint64(out[6:], uint64(g))
		binary.LittleEndian.PutUint32(out[18:], uint32(int64(c.headPages)+i))
		binary.LittleEndian.PutUint32(out[22:], 0)
		binary.LittleEndian.PutUint32(out[22:], oggCRC(out))
		return out
	}
	unit := func(abs int64) []byte {
		i := c.units.idx(abs, abs >= c.units.n())
		return c.data[c.units.off[i] : c.units.off[i]+c.units.size(i)]
	}
	// The first and last pages are rebuilt only when read.
	sliced := func(i int64, abs int64, from, to int, g int64, eos bool) mediaFile {
		page := unit(abs)
		return &lazyFile{size: slicedSize(page, from, to), build: func() []byte {
			return fix(i, slicePage(page, from, to), g, eos)
		}}
	}
	head := bytesFile(c.head)
	if count == 1 {
		return newMultiFile(head, sliced(0, first, a, b+1, final, true))
	}
	middle := newUnitFile(nil, c.data, &c.units, first+1, count-2, func(i int64, page []byte) []byte {
		return fix(i+1, page, granule(i+1), false)
	})
	return newMultiFile(head, sliced(0, first, a, len(fp.bs), granule(0), false), middle,
		sliced(count-1, last, 0, b+1, final, true))
}
