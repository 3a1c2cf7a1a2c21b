package audio

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/internal/backoff"
)

// trackStream is one track being played or preloaded. Its producer
// goroutine opens the track and decodes it, at the output rate, into a
// bounded ring of frames; the sequencer reads the ring on the audio
// goroutine without ever waiting. Seeks are requested here and carried out
// by the producer, so only the producer touches the decoder and stream.
type trackStream struct {
	entry   entry
	outRate beep.SampleRate
	cfg     streamConfig
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{} // closed when the producer has exited

	gain atomic.Uint64 // float64 bits: the ReplayGain factor

	mu       sync.Mutex
	cond     *sync.Cond
	ring     [][2]float64
	head     int // index of the oldest frame
	count    int // frames in the ring
	gen      int // bumped by each seek: frames decoded before it are stale
	seekTo   int // output frame of the pending seek
	seeking  bool
	full     bool  // the producer filled the ring and rests until it is half empty
	started  bool  // a frame or the end has arrived since the open or last seek
	eof      bool  // the producer is done; the ring holds the rest
	err      error // why it ended early; set with eof
	length   int   // output frames; -1 unknown
	base     int   // output frame where the open or the last seek started
	consumed int   // frames read since base
	closed   bool
	live     bool        // an endless live stream: no seeking
	titles   []titleMark // announced titles not yet heard, oldest first
}

// titleMark is a title a stream announced and the output frame it starts
// at.
type titleMark struct {
	frame int
	title string
}

// maxTitleMarks bounds the titles a track keeps for the Player; past it a
// new one replaces the newest (only the newest heard one is shown anyway).
const maxTitleMarks = 16

// streamConfig is what a trackStream needs from the Player's options.
type streamConfig struct {
	ringFrames int
	retry      backoff.Policy
	attempts   int    // reopens in a row without progress
	signal     func() // new frames: wakes the sequencer
	notify     func() // opened, ended, failed: wakes the player
}

const chunkFrames = 1024

func newTrackStream(parent context.Context, e entry, outRate beep.SampleRate, cfg streamConfig, start time.Duration, gain float64) *trackStream {
	ctx, cancel := context.WithCancel(parent)
	t := &trackStream{
		entry: e, outRate: outRate, cfg: cfg, ctx: ctx, cancel: cancel,
		done: make(chan struct{}), ring: make([][2]float64, max(cfg.ringFrames, 2*chunkFrames)),
		length: -1,
	}
	if d := e.track.Duration; d > 0 {
		t.length = outRate.N(d)
	}
	t.cond = sync.NewCond(&t.mu)
	t.setGain(gain)
	startFrame := max(outRate.N(start), 0)
	t.base = startFrame
	go t.run(startFrame)
	return t
}

func (t *trackStream) setGain(f float64) { t.gain.Store(math.Float64bits(f)) }

func (t *trackStream) gainFactor() float64 { return math.Float64frombits(t.gain.Load()) }

// run is the producer goroutine.
func (t *trackStream) run(start int) {
	defer close(t.done)
	p := &pipeline{ctx: t.ctx, opener: t.entry.track.Source, outRate: t.outRate}
	defer p.close()
	if p.opener == nil {
		t.fail(errors.New("track has no source"))
		return
	}
	if err := p.open(start); err != nil {
		t.fail(err)
		return
	}
	t.mu.Lock()
	if l := p.length(); l >= 0 {
		t.length = l
	}
	t.live = p.live()
	t.mu.Unlock()
	t.cfg.notify()

	buf := make([][2]float64, chunkFrames)
	reopens := 0
	for {
		t.mu.Lock()
		if len(t.ring)-t.count < chunkFrames {
			// Rest until half the ring has played, then decode it all in
			// one go: a few wakeups a second rather than one per chunk.
			t.full = true
		}
		for !t.closed && !t.seeking && (t.eof || t.full) {
			t.cond.Wait()
		}
		if t.closed {
			t.mu.Unlock()
			return
		}
		gen := t.gen
		if t.seeking {
			target := t.seekTo
			t.seeking = false
			t.mu.Unlock()
			err := p.seek(target)
			if err != nil && !t.isClosed() {
				t.endAt(gen, err)
			}
			reopens = 0
			continue
		}
		t.mu.Unlock()

		n, ok := p.Stream(buf)
		t.push(gen, buf[:n], p.titles())
		if !ok {
			err := p.failure()
			if err != nil && p.resumable(err) && reopens < t.cfg.attempts {
				// A stream without Range lost its connection: reopen it at
				// the time reached (by offset, or from the start and skip).
				if t.cfg.retry.Wait(t.ctx, reopens) != nil {
					return
				}
				reopens++
				t.mu.Lock()
				stale := gen != t.gen
				t.mu.Unlock()
				if !stale {
					if err := p.open(p.pos); err != nil && !t.isClosed() {
						t.endAt(gen, err)
					}
				}
				continue
			}
			if !t.isClosed() {
				t.endAt(gen, err)
			}
			continue
		}
		if n > 0 {
			reopens = 0
		}
	}
}

func (t *trackStream) isClosed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

// push appends frames decoded in generation gen (dropped if a seek came
// since), and the titles announced up to their end.
func (t *trackStream) push(gen int, frames [][2]float64, titles []titleMark) {
	if len(frames) == 0 && len(titles) == 0 {
		return
	}
	t.mu.Lock()
	if gen != t.gen {
		t.mu.Unlock()
		return
	}
	for _, m := range titles {
		if len(t.titles) >= maxTitleMarks {
			t.titles[len(t.titles)-1] = m
		} else {
			t.titles = append(t.titles, m)
		}
	}
	if len(frames) == 0 {
		t.mu.Unlock()
		return
	}
	size := len(t.ring)
	for _, f := range frames {
		t.ring[(t.head+t.count)%size] = f
		t.count++
	}
	first := !t.started
	t.started = true
	t.mu.Unlock()
	t.cfg.signal()
	if first {
		t.cfg.notify() // buffering is over
	}
}

// endAt marks the end of generation gen's frames, with err if it ended
// early.
func (t *trackStream) endAt(gen int, err error) {
	t.mu.Lock()
	if gen == t.gen {
		t.eof, t.err, t.started = true, err, true
	}
	t.mu.Unlock()
	t.cfg.signal()
	t.cfg.notify()
}

func (t *trackStream) fail(err error) {
	t.mu.Lock()
	t.eof, t.err, t.started = true, err, true
	t.mu.Unlock()
	t.cfg.signal()
	t.cfg.notify()
}

// read copies up to len(dst) frames without waiting. done reports that the
// track has no more frames (its end, or its failure: see failure).
func (t *trackStream) read(dst [][2]float64) (n int, done bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n = min(len(dst), t.count)
	size := len(t.ring)
	for i := range n {
		dst[i] = t.ring[(t.head+i)%size]
	}
	t.head = (t.head + n) % size
	t.count -= n
	t.consumed += n
	if t.full && t.count <= len(t.ring)/2 {
		t.full = false
		t.cond.Signal()
	}
	return n, t.eof && t.count == 0 && !t.seeking
}

// available is the number of frames ready to read.
func (t *trackStream) available() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// drained reports that read would return no frame and done.
func (t *trackStream) drained() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.eof && t.count == 0 && !t.seeking
}

// ready reports that frames (or the end) have arrived since the stream was
// opened or last sought.
func (t *trackStream) ready() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.started
}

// seek asks the producer to move to output frame at. Frames already
// decoded are dropped at once.
func (t *trackStream) seek(at int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.length >= 0 && at > t.length {
		at = t.length
	}
	at = max(at, 0)
	t.gen++
	t.seekTo, t.seeking = at, true
	t.head, t.count, t.full = 0, 0, false
	t.titles = nil
	t.base, t.consumed = at, 0
	t.eof, t.err, t.started = false, nil, false
	t.cond.Broadcast()
}

// isLive reports an endless live stream (known once it is open).
func (t *trackStream) isLive() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.live
}

// heardTitles returns, oldest first, the titles that start at or before
// output frame at (what the listener hears), and forgets them.
func (t *trackStream) heardTitles(at int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var due []string
	for len(t.titles) > 0 && t.titles[0].frame <= at {
		due = append(due, t.titles[0].title)
		t.titles = t.titles[1:]
	}
	if len(t.titles) == 0 {
		t.titles = nil
	}
	return due
}

// position is the output frame of the next frame read.
func (t *trackStream) position() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.base + t.consumed
}

// lengthFrames is the track's length in output frames, -1 if unknown.
func (t *trackStream) lengthFrames() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.length
}

// remaining is the number of frames left to read, -1 if unknown.
func (t *trackStream) remaining() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.eof {
		return t.count
	}
	if t.length < 0 {
		return -1
	}
	return max(t.length-t.base-t.consumed, 0)
}

// failure returns why the track ended early, nil while it plays or after
// a clean end.
func (t *trackStream) failure() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// close stops the producer and releases the stream. It does not wait.
func (t *trackStream) close() {
	t.mu.Lock()
	if !t.closed {
		t.closed = true
		t.cond.Broadcast()
	}
	t.mu.Unlock()
	t.cancel()
}
