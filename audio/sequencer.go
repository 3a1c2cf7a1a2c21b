package audio

import (
	"math"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
)

// sequencer is the streamer the Output pulls: the current track, joined
// sample-exactly to the preloaded next one when it drains (or crossfaded
// into it), then the master volume. It runs on the audio goroutine and
// never blocks on I/O: the tracks are decoded ahead by their producers.
//
// Stream departs from beep.Streamer's contract in one way: when no frame is
// ready (a track still opening, a network stall, the end of the queue) it
// waits a little, then returns 0, true: "nothing yet". Outputs treat that
// as silence that is not counted as played, and ask again.
type sequencer struct {
	rate    beep.SampleRate
	maxWait time.Duration
	notify  func()        // wakes the player: a track started or the queue ended
	data    chan struct{} // producers signal new frames

	mu         sync.Mutex
	cur        *trackStream
	next       *trackStream
	expectNext bool // the player is preparing a next track: wait for it
	fading     *trackStream
	fadeLen    int
	fadePos    int
	xfade      int // crossfade in frames; 0: gapless
	handed     int64
	marks      []mark
	endAt      int64 // handed count at which the queue ended; -1: not ended
	vol        float64
	volApplied float64
	tmp        [][2]float64
}

// mark records that track ts began at handed frame at.
type mark struct {
	at int64
	ts *trackStream
}

func newSequencer(rate beep.SampleRate, notify func()) *sequencer {
	return &sequencer{
		rate: rate, maxWait: 20 * time.Millisecond, notify: notify,
		data: make(chan struct{}, 1), endAt: -1, vol: 1, volApplied: 1,
	}
}

// signal wakes a Stream waiting for frames. It never blocks.
func (s *sequencer) signal() {
	select {
	case s.data <- struct{}{}:
	default:
	}
}

// Stream fills samples from the tracks; see the type's comment.
func (s *sequencer) Stream(samples [][2]float64) (int, bool) {
	n := s.fillLocked(samples)
	if n > 0 {
		return n, true
	}
	t := time.NewTimer(s.maxWait)
	select {
	case <-s.data:
	case <-t.C:
	}
	t.Stop()
	return s.fillLocked(samples), true
}

// Err is always nil: track errors go to the player.
func (s *sequencer) Err() error { return nil }

func (s *sequencer) fillLocked(samples [][2]float64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.fill(samples)
	ramp(samples[:n], s.volApplied, s.vol)
	if n > 0 {
		s.volApplied = s.vol
	}
	s.handed += int64(n)
	return n
}

// fill reads the tracks into samples. s.mu held.
func (s *sequencer) fill(samples [][2]float64) int {
	n := 0
	for n < len(samples) && s.cur != nil {
		want := samples[n:]
		if s.fading == nil && s.xfade > 0 && s.next != nil && s.next.ready() {
			switch rem := s.cur.remaining(); {
			case rem < 0: // length unknown: join gaplessly
			case rem <= s.xfade:
				s.startFade(rem, n)
			case rem-s.xfade < len(want):
				want = want[:rem-s.xfade] // stop where the fade begins
			}
		}
		if s.fading != nil {
			// Read both tracks in step.
			k := min(len(want), s.cur.available())
			if !s.fading.drained() {
				k = min(k, s.fading.available())
			}
			want = want[:k]
		}
		k, done := s.cur.read(want)
		scale(want[:k], s.cur.gainFactor())
		if s.fading != nil {
			s.mixFade(want[:k])
		}
		n += k
		if !done {
			if k == 0 {
				break // starved: nothing ready yet
			}
			continue
		}
		if s.fading != nil {
			s.endFade()
		}
		if s.next != nil {
			s.advance(n)
			continue
		}
		if !s.expectNext && s.endAt < 0 {
			s.endAt = s.handed + int64(n)
			s.notify()
		}
		break
	}
	return n
}

// advance makes the preloaded track current; it begins at samples[n].
func (s *sequencer) advance(n int) {
	s.cur.close()
	s.cur, s.next = s.next, nil
	s.marks = append(s.marks, mark{at: s.handed + int64(n), ts: s.cur})
	s.notify()
}

// startFade moves the current track out to fade over its remaining frames
// while the next one fades in from samples[n].
func (s *sequencer) startFade(remaining, n int) {
	s.fading, s.fadeLen, s.fadePos = s.cur, max(remaining, 1), 0
	s.cur, s.next = s.next, nil
	s.marks = append(s.marks, mark{at: s.handed + int64(n), ts: s.cur})
	s.notify()
}

// mixFade mixes the outgoing track into in (the incoming track, already
// read) with equal-power gains.
func (s *sequencer) mixFade(in [][2]float64) {
	if len(s.tmp) < len(in) {
		s.tmp = make([][2]float64, len(in))
	}
	out := s.tmp[:len(in)]
	k, done := s.fading.read(out)
	g := s.fading.gainFactor()
	for i := range in {
		p := math.Min(float64(s.fadePos+i)/float64(s.fadeLen), 1)
		gin, gout := math.Sin(p*math.Pi/2), math.Cos(p*math.Pi/2)
		in[i][0] *= gin
		in[i][1] *= gin
		if i < k {
			in[i][0] += out[i][0] * g * gout
			in[i][1] += out[i][1] * g * gout
		}
	}
	s.fadePos += len(in)
	if done || s.fadePos >= s.fadeLen {
		s.endFade()
	}
}

func (s *sequencer) endFade() {
	if s.fading != nil {
		s.fading.close()
		s.fading = nil
	}
}

// play makes ts the current track (replacing any), dropping the preload
// and any end of queue.
func (s *sequencer) play(ts *trackStream) (old []*trackStream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old = []*trackStream{s.cur, s.next, s.fading}
	s.cur, s.next, s.fading = ts, nil, nil
	s.endAt = -1
	s.marks = nil // the player announces a track it starts itself
	return old
}

// setNext sets the track to join when the current one drains.
func (s *sequencer) setNext(ts *trackStream) (old *trackStream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, s.next = s.next, ts
	if ts != nil && s.endAt >= 0 && s.cur != nil && s.cur.drained() {
		// The queue had ended: carry on with this one.
		s.endAt = -1
	}
	return old
}

func (s *sequencer) setExpectNext(v bool) {
	s.mu.Lock()
	s.expectNext = v
	s.mu.Unlock()
}

func (s *sequencer) setCrossfade(frames int) {
	s.mu.Lock()
	s.xfade = max(frames, 0)
	s.mu.Unlock()
}

// setVolume sets the master amplitude. While audio flows the change is
// ramped over the next buffer so it does not click; otherwise (ramp false)
// it applies at once.
func (s *sequencer) setVolume(amp float64, ramp bool) {
	s.mu.Lock()
	s.vol = amp
	if !ramp {
		s.volApplied = amp
	}
	s.mu.Unlock()
}

// state is a snapshot for the player.
type seqState struct {
	cur, next *trackStream
	handed    int64
	endAt     int64
	marks     []mark
}

// snapshot returns the state and takes the marks.
func (s *sequencer) snapshot() seqState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := seqState{cur: s.cur, next: s.next, handed: s.handed, endAt: s.endAt, marks: s.marks}
	s.marks = nil
	return st
}

// stopFade ends a crossfade at once (a seek, or a new track).
func (s *sequencer) stopFade() {
	s.mu.Lock()
	s.endFade()
	s.mu.Unlock()
}
