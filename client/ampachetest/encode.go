package ampachetest

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/internal/testaudio"
)

// mediaFile is a served file: a fixed size, bytes computed on demand. The
// long ones (hours of looped or synthesized audio) never exist in memory.
type mediaFile interface {
	io.ReaderAt
	Size() int64
}

type bytesFile []byte

func (b bytesFile) Size() int64 { return int64(len(b)) }
func (b bytesFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// audioLib holds the parsed encodings of the embedded clips. Built once per
// server and read-only afterwards.
type audioLib struct {
	clips    map[string]*testaudio.Clip
	episodes *testaudio.Clip // the tune at 11025 Hz mono
	mp3      map[string]*mp3Clip
	flac     map[string]*flacClip
	ogg      map[string]*oggClip

	wavMu sync.Mutex
	wav   map[string][]byte // exact WAV files of the clips, built on first use
}

func newAudioLib() (*audioLib, error) {
	a := &audioLib{
		clips: map[string]*testaudio.Clip{},
		mp3:   map[string]*mp3Clip{},
		flac:  map[string]*flacClip{},
		ogg:   map[string]*oggClip{},
		wav:   map[string][]byte{},
	}
	ep := episodeClip()
	a.episodes = &ep
	for _, c := range testaudio.Clips {
		a.clips[c.Name] = &c
		data, err := c.Encoded("mp3")
		if err != nil {
			return nil, err
		}
		if a.mp3[c.Name], err = parseMP3(data); err != nil {
			return nil, fmt.Errorf("ampachetest: %s.mp3: %w", c.Name, err)
		}
		if data, err = c.Encoded("flac"); err != nil {
			return nil, err
		}
		if a.flac[c.Name], err = parseFLAC(data); err != nil {
			return nil, fmt.Errorf("ampachetest: %s.flac: %w", c.Name, err)
		}
		if data, err = c.Encoded("ogg"); err != nil {
			return nil, err
		}
		if a.ogg[c.Name], err = parseOgg(data); err != nil {
			return nil, fmt.Errorf("ampachetest: %s.ogg: %w", c.Name, err)
		}
	}
	return a, nil
}

// clip returns the shared record of a clip.
func (a *audioLib) clip(name string) *testaudio.Clip { return a.clips[name] }

// formatInfo gives the MIME type and file extension of an audio format.
func mimeOf(format string) string {
	switch format {
	case "mp3":
		return "audio/mpeg"
	case "flac":
		return "audio/flac"
	case "ogg":
		return "audio/ogg"
	case "wav":
		return "audio/wav"
	}
	return "application/octet-stream"
}

// transcodable reports whether the server can send audio in format.
func transcodable(format string) bool {
	switch format {
	case "mp3", "flac", "ogg", "wav":
		return true
	}
	return false
}

// raw returns the file of src as stored in the catalog.
func (a *audioLib) raw(src audioSource) (mediaFile, error) {
	if src.exact {
		if src.format == "wav" {
			return bytesFile(a.exactWAV(*src.clip)), nil
		}
		data, err := src.clip.Encoded(src.format)
		if err != nil {
			return nil, err
		}
		return bytesFile(data), nil
	}
	return a.render(src, src.format, 0)
}

func (a *audioLib) exactWAV(c testaudio.Clip) []byte {
	a.wavMu.Lock()
	defer a.wavMu.Unlock()
	if b, ok := a.wav[c.Name]; ok {
		return b
	}
	var buf bytes.Buffer
	// Writing to a bytes.Buffer cannot fail.
	_ = testaudio.WriteWAV(&buf, c.SampleRate, c.Channels, c.PCM())
	a.wav[c.Name] = buf.Bytes()
	return buf.Bytes()
}

// render returns src's audio in format, starting start into it: what a
// transcoding server would send. Encoded formats are cut and looped at
// frame (mp3, flac) or page (ogg) boundaries of the clip's embedded
// encoding; wav is synthesized sample by sample.
func (a *audioLib) render(src audioSource, format string, start time.Duration) (mediaFile, error) {
	if start < 0 {
		start = 0
	}
	if start > src.duration {
		start = src.duration
	}
	switch format {
	case "wav":
		rate := int64(src.clip.SampleRate)
		first := int64(start) * rate / int64(time.Second)
		end := int64(src.duration) * rate / int64(time.Second)
		return newWAVFile(*src.clip, first, end-first), nil
	case "mp3":
		c := a.mp3[src.clip.Name]
		if c == nil {
			return nil, fmt.Errorf("ampachetest: no mp3 of %s", src.clip.Name)
		}
		return c.window(start, src.duration, !src.exact), nil
	case "flac":
		c := a.flac[src.clip.Name]
		if c == nil {
			return nil, fmt.Errorf("ampachetest: no flac of %s", src.clip.Name)
		}
		return c.window(start, src.duration, !src.exact), nil
	case "ogg":
		c := a.ogg[src.clip.Name]
		if c == nil {
			return nil, fmt.Errorf("ampachetest: no ogg of %s", src.clip.Name)
		}
		return c.window(start, src.duration, !src.exact), nil
	}
	return nil, fmt.Errorf("ampachetest: cannot encode %q", format)
}

// unitTable indexes the units (frames or pages) of an encoded clip. A window
// that runs past the clip's end repeats units 0..loopN-1.
type unitTable struct {
	off   []int64 // offset of unit i in the clip's data
	pre   []int64 // pre[i] = total size of units [0, i)
	loopN int
}

func (t *unitTable) n() int64 { return int64(len(t.off)) }

func (t *unitTable) add(off, size int64) {
	if len(t.pre) == 0 {
		t.pre = append(t.pre, 0)
	}
	t.off = append(t.off, off)
	t.pre = append(t.pre, t.pre[len(t.pre)-1]+size)
}

// idx maps an absolute unit number to a unit of the clip.
func (t *unitTable) idx(abs int64, loop bool) int {
	if !loop {
		return int(abs)
	}
	return int(abs % int64(t.loopN))
}

func (t *unitTable) size(i int) int64 { return t.pre[i+1] - t.pre[i] }

// cum is the total size of absolute units [0, abs).
func (t *unitTable) cum(abs int64, loop bool) int64 {
	if !loop {
		return t.pre[abs]
	}
	l := int64(t.loopN)
	return abs/l*t.pre[l] + t.pre[abs%l]
}

// find returns the absolute unit that holds byte c of the unit stream.
func (t *unitTable) find(c int64, loop bool) int64 {
	upper := func(pre []int64, v int64) int64 {
		return int64(sort.Search(len(pre), func(i int) bool { return pre[i] > v })) - 1
	}
	if !loop {
		return upper(t.pre, c)
	}
	l := int64(t.loopN)
	k := c / t.pre[l]
	return k*l + upper(t.pre[:l+1], c%t.pre[l])
}

// unitFile is a header followed by n units of a clip starting at absolute
// unit first; patch, if set, rewrites unit i (counted from 0) in buf.
type unitFile struct {
	head  []byte
	data  []byte
	t     *unitTable
	first int64
	n     int64
	loop  bool
	size  int64
	patch func(i int64, unit []byte) []byte
}

func newUnitFile(head, data []byte, t *unitTable, first, n int64, patch func(int64, []byte) []byte) *unitFile {
	loop := first+n > t.n()
	f := &unitFile{head: head, data: data, t: t, first: first, n: n, loop: loop, patch: patch}
	f.size = int64(len(head)) + t.cum(first+n, loop) - t.cum(first, loop)
	return f
}

func (f *unitFile) Size() int64 { return f.size }

func (f *unitFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("ampachetest: negative offset")
	}
	total := 0
	if off < int64(len(f.head)) {
		c := copy(p, f.head[off:])
		total += c
		p = p[c:]
		off += int64(c)
	}
	base := f.t.cum(f.first, f.loop)
	for len(p) > 0 && off < f.size {
		rel := base + off - int64(len(f.head))
		abs := f.t.find(rel, f.loop)
		i := f.t.idx(abs, f.loop)
		inner := rel - f.t.cum(abs, f.loop)
		unit := f.data[f.t.off[i] : f.t.off[i]+f.t.size(i)]
		if f.patch != nil {
			unit = f.patch(abs-f.first, unit)
		}
		c := copy(p, unit[inner:])
		total += c
		p = p[c:]
		off += int64(c)
	}
	if len(p) > 0 {
		return total, io.EOF
	}
	return total, nil
}

// wavFile synthesizes a 16-bit WAV file of n frames of a clip from frame first.
type wavFile struct {
	clip  testaudio.Clip
	first int64
	n     int64
	head  []byte
}

func newWAVFile(c testaudio.Clip, first, n int64) *wavFile {
	var h bytes.Buffer
	_ = testaudio.WriteWAVHeader(&h, c.SampleRate, c.Channels, int(n)*c.Channels*2)
	return &wavFile{clip: c, first: first, n: n, head: h.Bytes()}
}

func (f *wavFile) Size() int64 {
	return int64(len(f.head)) + f.n*int64(f.clip.Channels)*2
}

func (f *wavFile) ReadAt(p []byte, off int64) (int, error) {
	total := 0
	if off < int64(len(f.head)) {
		c := copy(p, f.head[off:])
		total += c
		p = p[c:]
		off += int64(c)
	}
	frameBytes := int64(f.clip.Channels) * 2
	size := f.Size()
	for len(p) > 0 && off < size {
		rel := off - int64(len(f.head))
		frame := rel / frameBytes
		var fb [16]byte
		v := uint16(f.clip.Sample(int(f.first + frame)))
		for ch := 0; ch < f.clip.Channels; ch++ {
			fb[2*ch], fb[2*ch+1] = byte(v), byte(v>>8)
		}
		c := copy(p, fb[rel%frameBytes:frameBytes])
		total += c
		p = p[c:]
		off += int64(c)
	}
	if len(p) > 0 {
		return total, io.EOF
	}
	return total, nil
}

// multiFile is files one after the other.
type multiFile struct {
	parts []mediaFile
	start []int64 // start[i] = offset of parts[i]; start[len] = size
}

func newMultiFile(parts ...mediaFile) *multiFile {
	m := &multiFile{parts: parts, start: make([]int64, len(parts)+1)}
	for i, p := range parts {
		m.start[i+1] = m.start[i] + p.Size()
	}
	return m
}

func (m *multiFile) Size() int64 { return m.start[len(m.parts)] }

func (m *multiFile) ReadAt(p []byte, off int64) (int, error) {
	total := 0
	for len(p) > 0 && off < m.Size() {
		i := sort.Search(len(m.parts), func(i int) bool { return m.start[i+1] > off })
		n, err := m.parts[i].ReadAt(p, off-m.start[i])
		if err != nil && err != io.EOF {
			return total + n, err
		}
		total += n
		p = p[n:]
		off += int64(n)
		if n == 0 {
			break
		}
	}
	if len(p) > 0 {
		return total, io.EOF
	}
	return total, nil
}

// lazyFile is bytes of a known size built on first read.
type lazyFile struct {
	size  int64
	build func() []byte
	once  sync.Once
	data  []byte
}

func (f *lazyFile) Size() int64 { return f.size }

func (f *lazyFile) ReadAt(p []byte, off int64) (int, error) {
	f.once.Do(func() { f.data = f.build() })
	return bytesFile(f.data).ReadAt(p, off)
}
