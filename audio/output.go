package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/audio/internal/alsaquiet"
)

// Output is where the Player's samples go: the sound device (NewOutput) or,
// in tests, audiotest.Output. The output pulls from the streamer on its own
// goroutine, at its own pace.
//
// A streamer may return 0, true: nothing is ready yet (a track still
// opening, a stalled network). The output then plays silence that does not
// count as played, and asks again.
type Output interface {
	// SampleRate is the fixed rate the output plays at; the Player
	// resamples every track to it.
	SampleRate() beep.SampleRate
	// Play starts pulling from s, replacing the previous streamer, and
	// plays (resuming if paused).
	Play(s beep.Streamer)
	// Pause stops playing and pulling; what was pulled and not yet heard
	// is kept for Resume. It returns once no pull is in flight.
	Pause()
	// Resume continues after Pause.
	Resume()
	// Flush drops what was pulled but not yet heard, so that the next
	// sound is what the streamer gives next (after a seek).
	Flush()
	// Buffered is the number of frames pulled but not yet heard.
	Buffered() int
	// Close stops the output and releases the device.
	Close() error
}

// OutputOptions configure NewOutput.
type OutputOptions struct {
	// SampleRate: 44100 (the default) or 48000.
	SampleRate int
	// DeviceBuffer is the sound server's or device's buffer; pause takes
	// effect after it plays out. 0 means 200 ms. A smaller buffer makes
	// the process wake up more often: 100 ms costs about half a percent
	// of a core more than 200 ms with PulseAudio.
	DeviceBuffer time.Duration
	// PlayerBuffer is what oto pulls ahead of the device; a seek or volume
	// change is heard after it and DeviceBuffer. 0 means half of
	// DeviceBuffer, which is also the least: PulseAudio asks for up to
	// that much at once, and oto fills what its buffer lacks with silence.
	PlayerBuffer time.Duration
	// ReadyTimeout bounds the wait for the device to open. 0 means 3 s.
	ReadyTimeout time.Duration
	// ApplicationName is shown by the sound server (pavucontrol).
	ApplicationName string
}

// DeviceOutput plays through the sound device with oto: one context and one
// player for the whole process, float32 stereo at a fixed rate. It owns
// them and their lock; there is no package state.
//
// Latency: pause is heard after DeviceBuffer (200 ms by default); a seek
// after DeviceBuffer plus PlayerBuffer plus the time to decode the first
// frames at the new position; a volume change after both buffers (300 ms).
// While paused the oto player is paused and not read: nothing is decoded
// and the CPU is idle.
//
// oto allows one context per process, and a failed one counts: once oto
// has been asked, NewOutput cannot succeed again in this process. So
// NewOutput first looks for a sound server or card without touching oto;
// when there is none it fails with a NoDeviceError whose Retry is true,
// and a later call (after the sound server started) can still succeed.
type DeviceOutput struct {
	rate     beep.SampleRate
	ctx      otoContext
	device   int // frames in the device buffer
	mu       sync.Mutex
	player   otoPlayer
	reader   *pullReader
	playing  bool
	closed   bool
	hasAudio bool
	// flowGap is the longest pause between reads while samples flow:
	// after it the device buffer is taken to be draining.
	flowGap time.Duration
	// feeding is when oto was last seen holding samples: until its buffer
	// is empty it keeps the device's full.
	feeding time.Time
}

// otoContext and otoPlayer are the parts of oto that DeviceOutput uses, so
// tests can stand in for a device.
type otoContext interface {
	NewPlayer(r io.Reader) otoPlayer
	Err() error
	Suspend() error
	Resume() error
}

type otoPlayer interface {
	Play()
	PauseAndStopReading()
	Reset()
	BufferedSize() int
	SetBufferSize(bytes int)
	Close() error
}

type newOtoContext func(*oto.NewContextOptions) (otoContext, chan struct{}, error)

type realOtoContext struct{ c *oto.Context }

func (r realOtoContext) NewPlayer(rd io.Reader) otoPlayer { return r.c.NewPlayer(rd) }
func (r realOtoContext) Err() error                       { return r.c.Err() }
func (r realOtoContext) Suspend() error                   { return r.c.Suspend() }
func (r realOtoContext) Resume() error                    { return r.c.Resume() }

func openOto(o *oto.NewContextOptions) (otoContext, chan struct{}, error) {
	alsaquiet.Silence() // before oto loads alsa-lib and tries its devices
	c, ready, err := oto.NewContext(o)
	if err != nil {
		return nil, nil, err
	}
	return realOtoContext{c}, ready, nil
}

const bytesPerFrame = 8 // float32 stereo

// NewOutput opens the sound device. With no sound server and no sound card
// it fails at once with *NoDeviceError (Retry true: try again later);
// with one that does not work, within ReadyTimeout (Retry false: oto
// cannot be asked again in this process). It never hangs, and alsa-lib's
// own error lines are kept off stderr.
func NewOutput(opts OutputOptions) (*DeviceOutput, error) {
	return newOutput(opts, openOto, soundProbe{getenv: os.Getenv, goos: runtime.GOOS})
}

func newOutput(opts OutputOptions, open newOtoContext, probe soundProbe) (*DeviceOutput, error) {
	if opts.SampleRate == 0 {
		opts.SampleRate = 44100
	}
	if opts.SampleRate != 44100 && opts.SampleRate != 48000 {
		return nil, fmt.Errorf("audio: output rate %d Hz: want 44100 or 48000", opts.SampleRate)
	}
	if opts.DeviceBuffer <= 0 {
		opts.DeviceBuffer = 200 * time.Millisecond
	}
	opts.PlayerBuffer = max(opts.PlayerBuffer, opts.DeviceBuffer/2)
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = 3 * time.Second
	}
	rate := beep.SampleRate(opts.SampleRate)
	if found, _ := probe.find(); !found {
		return nil, &NoDeviceError{Reason: noSoundReason, Retry: true}
	}
	ctx, ready, err := open(&oto.NewContextOptions{
		SampleRate: opts.SampleRate, ChannelCount: 2, Format: oto.FormatFloat32LE,
		BufferSize: opts.DeviceBuffer, ApplicationName: opts.ApplicationName,
	})
	if err != nil {
		return nil, &NoDeviceError{Reason: plainReason(err), Err: err}
	}
	timer := time.NewTimer(opts.ReadyTimeout)
	defer timer.Stop()
	select {
	case <-ready:
	case <-timer.C:
		return nil, &NoDeviceError{Reason: fmt.Sprintf("the sound device did not open within %v", opts.ReadyTimeout)}
	}
	// With no device oto still becomes ready; the failure is only here.
	if err := ctx.Err(); err != nil {
		return nil, &NoDeviceError{Reason: plainReason(err), Err: err}
	}
	o := &DeviceOutput{rate: rate, ctx: ctx, device: rate.N(opts.DeviceBuffer), reader: &pullReader{},
		flowGap: opts.PlayerBuffer + 20*time.Millisecond}
	o.player = ctx.NewPlayer(o.reader)
	o.player.SetBufferSize(rate.N(opts.PlayerBuffer) * bytesPerFrame)
	return o, nil
}

// plainReason says in a few words why oto could not open a device.
func plainReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "PulseAudio") && strings.Contains(msg, "ALSA"):
		return "no sound server (PulseAudio/PipeWire) and no usable ALSA device"
	case strings.Contains(msg, "already created"):
		return "the sound output was already opened once in this process"
	}
	if i := strings.IndexAny(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 160 {
		msg = msg[:160] + "…"
	}
	return msg
}

func (o *DeviceOutput) SampleRate() beep.SampleRate { return o.rate }

// Play starts pulling from s.
func (o *DeviceOutput) Play(s beep.Streamer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return
	}
	o.player.Reset() // waits for a read in flight, drops old samples
	o.reader.set(s)
	o.hasAudio = true
	o.resumeLocked()
}

// Pause pauses the oto player, so it stops reading the streamer, and
// suspends the context, so the device stops asking for silence: nothing
// runs while paused.
func (o *DeviceOutput) Pause() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || !o.playing {
		return
	}
	o.player.PauseAndStopReading()
	o.ctx.Suspend()
	o.playing = false
}

// Resume plays again after Pause.
func (o *DeviceOutput) Resume() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || o.playing || !o.hasAudio {
		return
	}
	o.resumeLocked()
}

func (o *DeviceOutput) resumeLocked() {
	if !o.playing {
		o.ctx.Resume()
	}
	o.player.Play()
	o.playing = true
}

// Flush drops the samples oto holds.
func (o *DeviceOutput) Flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return
	}
	o.player.Reset()
	if o.playing {
		o.player.Play()
	}
}

// Buffered counts oto's buffer and an estimate of the device's: full
// while samples flow into it, draining at the sample rate once they stop
// (the end of the queue, a stall). The device is fed from oto's buffer
// until that is empty, not only until the last read: counting the drain
// from the last read would end the queue up to PlayerBuffer early, and a
// program exiting then would cut the end of the last track.
func (o *DeviceOutput) Buffered() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0
	}
	n := o.player.BufferedSize() / bytesPerFrame
	if o.playing {
		now := time.Now()
		if n > 0 {
			o.feeding = now
		}
		drainFrom := o.reader.lastDataAt().Add(o.flowGap)
		if f := o.feeding.Add(feedGap); f.After(drainFrom) {
			drainFrom = f
		}
		n += max(o.device-o.rate.N(max(now.Sub(drainFrom), 0)), 0)
	}
	return n
}

// feedGap: after oto's buffer was last seen holding samples, the device
// is taken to be full this much longer (how stale that sighting may be is
// covered by the callers' polling; this is the hand-over's own delay).
const feedGap = 20 * time.Millisecond

// Close stops playback and suspends the device. oto cannot close its
// context, so the process cannot open another output.
func (o *DeviceOutput) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	o.player.PauseAndStopReading()
	err := o.player.Close()
	return errors.Join(err, o.ctx.Suspend())
}

// pullReader turns a beep.Streamer into the float32 bytes oto reads.
type pullReader struct {
	mu       sync.Mutex
	s        beep.Streamer
	buf      [][2]float64
	lastData time.Time // when a read last returned samples
}

func (r *pullReader) lastDataAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastData
}

func (r *pullReader) set(s beep.Streamer) {
	r.mu.Lock()
	r.s = s
	r.mu.Unlock()
}

// Read fills p with whole frames. It returns 0, nil when the streamer has
// nothing yet, and io.EOF once it is drained.
func (r *pullReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.s == nil {
		return 0, io.EOF
	}
	frames := len(p) / bytesPerFrame
	if frames == 0 {
		return 0, nil
	}
	if cap(r.buf) < frames {
		r.buf = make([][2]float64, frames)
	}
	buf := r.buf[:frames]
	n, ok := r.s.Stream(buf)
	encodeFloat32(p, buf[:n])
	if n > 0 {
		r.lastData = time.Now()
	}
	if !ok && n == 0 {
		r.s = nil
		return 0, io.EOF
	}
	return n * bytesPerFrame, nil
}

// encodeFloat32 writes frames as little-endian float32 pairs, clamped to
// full scale.
func encodeFloat32(p []byte, frames [][2]float64) {
	for i, f := range frames {
		for c := range 2 {
			v := math.Max(-1, math.Min(1, f[c]))
			binary.LittleEndian.PutUint32(p[i*8+c*4:], math.Float32bits(float32(v)))
		}
	}
}
