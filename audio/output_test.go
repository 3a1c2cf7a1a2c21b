package audio

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ebitengine/oto/v3"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// fakeOto stands in for oto's context and player.
type fakeOto struct {
	newErr error
	ctxErr error
	ready  chan struct{}

	mu      sync.Mutex
	calls   []string
	r       io.Reader
	bufSize int
	opts    *oto.NewContextOptions
	holding int // BufferedSize: bytes oto holds
}

func (f *fakeOto) open(o *oto.NewContextOptions) (otoContext, chan struct{}, error) {
	f.opts = o
	if f.newErr != nil {
		return nil, nil, f.newErr
	}
	return f, f.ready, nil
}

func (f *fakeOto) NewPlayer(r io.Reader) otoPlayer { f.r = r; return f }
func (f *fakeOto) Err() error                      { return f.ctxErr }
func (f *fakeOto) Suspend() error                  { f.call("Suspend"); return nil }
func (f *fakeOto) Resume() error                   { f.call("Resume"); return nil }
func (f *fakeOto) Play()                           { f.call("Play") }
func (f *fakeOto) PauseAndStopReading()            { f.call("PauseAndStopReading") }
func (f *fakeOto) Reset()                          { f.call("Reset") }
func (f *fakeOto) BufferedSize() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.holding
}
func (f *fakeOto) SetBufferSize(n int) { f.bufSize = n }
func (f *fakeOto) Close() error        { f.call("Close"); return nil }

func (f *fakeOto) call(name string) {
	f.mu.Lock()
	f.calls = append(f.calls, name)
	f.mu.Unlock()
}

func (f *fakeOto) takeCalls() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := strings.Join(f.calls, " ")
	f.calls = nil
	return s
}

func readyNow() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// oto reports a missing device only through Err once ready: NewOutput must
// check it and say so plainly, never start a player that hangs.
func TestNewOutputNoDevice(t *testing.T) {
	t.Parallel()
	alsa := errors.New(`oto: initialization failed: PulseAudio: oto: PulseAudio client initialization failed: dial unix pulse/native: connect: no such file or directory; ALSA: oto: ALSA device initialization failed: "default": oto: ALSA error at snd_pcm_open: No such file or directory`)
	tests := []struct {
		name       string
		fake       *fakeOto
		timeout    time.Duration
		wantReason string
	}{
		{"error after ready", &fakeOto{ctxErr: alsa, ready: readyNow()}, 0, "no sound server (PulseAudio/PipeWire) and no usable ALSA device (restart Ampdesk after starting the sound server)"},
		{"never ready", &fakeOto{ready: make(chan struct{})}, 30 * time.Millisecond, "did not open within 30ms"},
		{"second context", &fakeOto{newErr: errors.New("oto: context is already created")}, 0, "already opened once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := newOutput(OutputOptions{ReadyTimeout: tt.timeout}, tt.fake.open, anyDevice)
			if err == nil {
				out.Close()
				t.Fatal("NewOutput succeeded without a device")
			}
			var nd *NoDeviceError
			if !errors.As(err, &nd) || !errors.Is(err, ErrNoDevice) {
				t.Fatalf("error %T %v, want *NoDeviceError", err, err)
			}
			if !strings.HasPrefix(err.Error(), "no sound device: ") || !strings.Contains(err.Error(), tt.wantReason) {
				t.Errorf("message %q, want %q", err.Error(), "no sound device: "+tt.wantReason)
			}
			if strings.Contains(err.Error(), "snd_pcm_open") {
				t.Errorf("message is not plain: %q", err.Error())
			}
			if nd.Retry || !strings.Contains(err.Error(), "restart Ampdesk after starting the sound server") {
				t.Errorf("oto was asked, so it cannot be retried: Retry %v, message %q", nd.Retry, err.Error())
			}
		})
	}
	if _, err := newOutput(OutputOptions{SampleRate: 22050}, (&fakeOto{ready: readyNow()}).open, anyDevice); err == nil {
		t.Error("22050 Hz accepted")
	}
}

// The device output drives oto from the streamer through float32 frames,
// and maps pause, flush and close to oto's player.
func TestDeviceOutputDrivesOto(t *testing.T) {
	t.Parallel()
	f := &fakeOto{ready: readyNow(), holding: 800}
	out, err := newOutput(OutputOptions{SampleRate: 48000}, f.open, anyDevice)
	if err != nil {
		t.Fatal(err)
	}
	if f.opts.SampleRate != 48000 || f.opts.ChannelCount != 2 || f.opts.Format != oto.FormatFloat32LE || f.opts.BufferSize != 200*time.Millisecond {
		t.Errorf("context options %+v", f.opts)
	}
	if f.bufSize != 48000/10*8 {
		t.Errorf("player buffer %d bytes, want 100 ms", f.bufSize)
	}
	if out.SampleRate() != 48000 {
		t.Errorf("rate %d", out.SampleRate())
	}
	src, data := audiotest.Sequential(10)
	out.Play(&Amplify{Streamer: src, Factor: 0.1}) // 0, 0.1, ... 0.9: inside full scale
	if got := f.takeCalls(); got != "Reset Resume Play" {
		t.Errorf("Play called %q", got)
	}
	buf := make([]byte, 8*4+3) // 4 frames and a partial one
	n, err := f.r.Read(buf)
	if err != nil || n != 32 {
		t.Fatalf("Read = %d, %v; want 32 bytes", n, err)
	}
	for i := range 4 {
		l := math.Float32frombits(binary.LittleEndian.Uint32(buf[i*8:]))
		r := math.Float32frombits(binary.LittleEndian.Uint32(buf[i*8+4:]))
		if l != float32(data[i][0]*0.1) || r != float32(data[i][1]*0.1) {
			t.Errorf("frame %d = %v %v, want %v", i, l, r, data[i])
		}
	}
	rest, _ := io.ReadAll(f.r)
	if len(rest) != 6*8 {
		t.Errorf("read %d more bytes, want 48", len(rest))
	}
	if b := out.Buffered(); b != 100+9600 {
		t.Errorf("Buffered = %d frames, want oto's 100 and the device's 9600 while samples flow", b)
	}
	out.reader.mu.Lock()
	out.reader.lastData = time.Now().Add(-out.flowGap - 100*time.Millisecond)
	out.reader.mu.Unlock()
	if b := out.Buffered(); b != 100+9600 {
		t.Errorf("Buffered = %d frames while oto still feeds the device, want %d: full", b, 100+9600)
	}
	// oto's buffer empties: the device drains from then on.
	f.mu.Lock()
	f.holding = 0
	f.mu.Unlock()
	out.mu.Lock()
	out.feeding = time.Now().Add(-feedGap - 100*time.Millisecond)
	out.mu.Unlock()
	if b := out.Buffered(); b > 4800 || b < 4500 {
		t.Errorf("Buffered = %d frames 100 ms after oto's buffer emptied, want the device half drained (4800)", b)
	}
	out.Pause()
	out.Pause()
	out.Flush()
	out.Resume()
	out.Flush()
	if got := f.takeCalls(); got != "PauseAndStopReading Suspend Reset Resume Play Reset Play" {
		t.Errorf("calls %q", got)
	}
	out.Close()
	out.Close()
	out.Resume()
	if got := f.takeCalls(); got != "PauseAndStopReading Close Suspend" {
		t.Errorf("close calls %q", got)
	}
	// Loud samples are clamped to full scale.
	p := make([]byte, 8)
	encodeFloat32(p, [][2]float64{{3, -7}})
	if l, r := math.Float32frombits(binary.LittleEndian.Uint32(p)), math.Float32frombits(binary.LittleEndian.Uint32(p[4:])); l != 1 || r != -1 {
		t.Errorf("clamped to %v %v", l, r)
	}
}

// oto's player buffer holds at least half the device buffer: PulseAudio
// asks for that much at once and oto would pad the rest with silence
// (a 200 ms device buffer with a 50 ms player buffer stutters).
func TestPlayerBufferCoversPulseRequests(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ device, player, want time.Duration }{
		{0, 0, 100 * time.Millisecond},
		{200 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond},
		{100 * time.Millisecond, 0, 50 * time.Millisecond},
		{100 * time.Millisecond, 80 * time.Millisecond, 80 * time.Millisecond},
	} {
		f := &fakeOto{ready: readyNow()}
		out, err := newOutput(OutputOptions{DeviceBuffer: tt.device, PlayerBuffer: tt.player}, f.open, anyDevice)
		if err != nil {
			t.Fatal(err)
		}
		if want := 44100 * int(tt.want/time.Millisecond) / 1000 * 8; f.bufSize != want {
			t.Errorf("device %v, player %v: player buffer %d bytes, want %d (%v)", tt.device, tt.player, f.bufSize, want, tt.want)
		}
		out.Close()
	}
}

// On this machine there is no sound server unless a test starts one, and
// no sound card: the real NewOutput must fail with the plain message, not
// hang. (Skipped where there is a sound server or card: then opening is
// right.)
func TestNewOutputWithoutSoundServer(t *testing.T) {
	if hasSoundDevice() {
		t.Skip("a sound server or sound card is present; this test checks the no-device path")
	}
	type result struct {
		out *DeviceOutput
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := NewOutput(OutputOptions{ReadyTimeout: 3 * time.Second})
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		if r.err == nil {
			r.out.Close()
			t.Fatal("NewOutput succeeded with no sound server or card")
		}
		if !errors.Is(r.err, ErrNoDevice) || !strings.HasPrefix(r.err.Error(), "no sound device: ") {
			t.Errorf("error %q, want a *NoDeviceError", r.err)
		}
		t.Logf("NewOutput: %v", r.err)
	case <-time.After(10 * time.Second):
		t.Fatal("NewOutput hung with no sound device")
	}
}

// hasSoundDevice reports a PulseAudio/PipeWire server or an ALSA card.
func hasSoundDevice() bool {
	found, _ := soundProbe{getenv: os.Getenv, goos: runtime.GOOS}.find()
	return found
}

// anyDevice is a probe that finds a device whatever the machine has, for
// tests with a fake oto.
var anyDevice = soundProbe{goos: "test"}
