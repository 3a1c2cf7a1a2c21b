// Package audiotest runs the audio package without a sound device: an
// Output that collects the samples it is handed, and helpers that build,
// collect and measure streamers in tests.
package audiotest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
)

// Output is an in-memory audio output (it satisfies audio.Output): it pulls
// from the streamer on its own goroutine and keeps every sample. By default
// it pulls as fast as the streamer delivers; with Realtime it paces itself
// by the clock, which with testing/synctest costs no real time.
//
// A streamer returning 0, true ("nothing ready yet") adds nothing: the
// samples are what was handed over, with no silence inserted.
type Output struct {
	rate     beep.SampleRate
	chunk    int
	realtime bool

	mu         sync.Mutex
	cond       *sync.Cond
	s          beep.Streamer
	paused     bool
	pulling    bool // inside the streamer's Stream
	closed     bool
	gen        int // bumped by Flush and Play: a chunk pulled before is dropped
	samples    [][2]float64
	flushes    int
	flushedAt  []int
	sinceFlush int
	changed    chan struct{}
	done       chan struct{}
}

// Option configures an Output.
type Option func(*Output)

// Realtime paces the pulls at the sample rate (chunk by chunk).
func Realtime() Option { return func(o *Output) { o.realtime = true } }

// ChunkFrames sets how many frames each pull asks for (default 512).
func ChunkFrames(n int) Option { return func(o *Output) { o.chunk = max(n, 1) } }

// NewOutput starts an output at rate. Close it when done.
func NewOutput(rate beep.SampleRate, opts ...Option) *Output {
	o := &Output{rate: rate, chunk: 512, paused: true, changed: make(chan struct{}), done: make(chan struct{})}
	for _, opt := range opts {
		opt(o)
	}
	o.cond = sync.NewCond(&o.mu)
	go o.run()
	return o
}

func (o *Output) run() {
	defer close(o.done)
	buf := make([][2]float64, o.chunk)
	for {
		o.mu.Lock()
		for !o.closed && (o.paused || o.s == nil) {
			o.cond.Wait()
		}
		if o.closed {
			o.mu.Unlock()
			return
		}
		s, gen := o.s, o.gen
		o.pulling = true
		o.mu.Unlock()

		n, ok := s.Stream(buf)

		o.mu.Lock()
		o.pulling = false
		o.cond.Broadcast()
		if gen == o.gen { // not flushed or replaced meanwhile
			if n > 0 {
				o.samples = append(o.samples, buf[:n]...)
				o.sinceFlush += n
				o.notifyLocked()
			}
			if !ok {
				o.s = nil
				o.notifyLocked()
			}
		}
		o.mu.Unlock()
		switch {
		case o.realtime:
			time.Sleep(o.rate.D(max(n, o.chunk/4)))
		case n == 0 && ok:
			time.Sleep(time.Millisecond) // a streamer with nothing ready
		}
	}
}

func (o *Output) notifyLocked() {
	close(o.changed)
	o.changed = make(chan struct{})
}

// SampleRate returns the rate given to NewOutput.
func (o *Output) SampleRate() beep.SampleRate { return o.rate }

// Play starts pulling from s and unpauses.
func (o *Output) Play(s beep.Streamer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.s, o.paused = s, false
	o.gen++
	o.cond.Broadcast()
}

// Pause stops pulling. It returns once a pull in flight has finished (its
// samples are kept), as oto's PauseAndStopReading does.
func (o *Output) Pause() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.paused = true
	for o.pulling {
		o.cond.Wait()
	}
	o.notifyLocked()
}

// Resume pulls again.
func (o *Output) Resume() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.paused = false
	o.cond.Broadcast()
	o.notifyLocked()
}

// Flush drops a chunk being pulled, and counts the flush. The samples
// collected so far stay.
func (o *Output) Flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.gen++
	o.flushes++
	o.flushedAt = append(o.flushedAt, len(o.samples))
	o.sinceFlush = 0
	o.notifyLocked()
}

// Buffered is 0: what is pulled counts as heard at once.
func (o *Output) Buffered() int { return 0 }

// Close stops the output's goroutine and waits for it.
func (o *Output) Close() error {
	o.mu.Lock()
	if !o.closed {
		o.closed = true
		o.cond.Broadcast()
	}
	o.mu.Unlock()
	<-o.done
	return nil
}

// Samples returns a copy of every sample collected.
func (o *Output) Samples() [][2]float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.samples)
}

// Len is the number of frames collected.
func (o *Output) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.samples)
}

// FlushedAt returns, for each Flush, how many frames had been collected
// when it came: where the audio after a seek begins in Samples.
func (o *Output) FlushedAt() []int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.flushedAt)
}

// Reset forgets the samples collected.
func (o *Output) Reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.samples, o.flushedAt = nil, nil
	o.sinceFlush = 0
}

// Stats is what Output counted.
type Stats struct {
	Frames     int  // collected in all
	Flushes    int  // calls to Flush
	SinceFlush int  // frames collected since the last Flush
	Paused     bool // paused (or never played)
}

// Stats returns the counts now.
func (o *Output) Stats() Stats {
	o.mu.Lock()
	defer o.mu.Unlock()
	return Stats{Frames: len(o.samples), Flushes: o.flushes, SinceFlush: o.sinceFlush, Paused: o.paused}
}

// WaitFor waits until cond holds for the Stats, or ctx is done.
func (o *Output) WaitFor(ctx context.Context, cond func(Stats) bool) error {
	for {
		o.mu.Lock()
		st := Stats{Frames: len(o.samples), Flushes: o.flushes, SinceFlush: o.sinceFlush, Paused: o.paused}
		ch := o.changed
		o.mu.Unlock()
		if cond(st) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}
