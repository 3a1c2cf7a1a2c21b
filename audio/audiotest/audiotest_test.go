package audiotest

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gopxl/beep/v2"
)

func TestSequentialAndCollect(t *testing.T) {
	t.Parallel()
	s, data := Sequential(1000)
	if err := s.Seek(990); err != nil {
		t.Fatal(err)
	}
	got := Collect(s)
	if len(got) != 10 || got[0] != [2]float64{990, -990} || got[9] != data[999] {
		t.Errorf("after seeking to 990: %v", got)
	}
	if s.Seek(1001) == nil || s.Seek(-1) == nil {
		t.Error("seek out of range accepted")
	}
	if s.Len() != 1000 || s.Position() != 1000 {
		t.Errorf("Len %d Position %d", s.Len(), s.Position())
	}
}

func TestPCMRoundTrip(t *testing.T) {
	t.Parallel()
	pcm := []int16{0, 0, 1, -1, 32767, -32768, -12345, 23456}
	frames := FromPCM(pcm, 2)
	if frames[2] != [2]float64{32767.0 / 32768, -1} {
		t.Errorf("frame 2 = %v", frames[2])
	}
	back := ToPCM(frames)
	for i := range pcm {
		if back[i] != pcm[i] {
			t.Errorf("sample %d: %d, want %d", i, back[i], pcm[i])
		}
	}
	mono := FromPCM([]int16{16384, -16384}, 1)
	if mono[0] != [2]float64{0.5, 0.5} || mono[1] != [2]float64{-0.5, -0.5} {
		t.Errorf("mono: %v", mono)
	}
	if p := ToPCM([][2]float64{{2, -2}}); p[0] != 32767 || p[1] != -32768 {
		t.Errorf("clamping: %v", p)
	}
}

func tone(freq, amp float64, n int, rate beep.SampleRate) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		v := amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
		out[i] = [2]float64{v, v}
	}
	return out
}

func TestMeasurements(t *testing.T) {
	t.Parallel()
	x := tone(1000, 0.5, 44100, 44100)
	if f := Frequency(x, 44100); math.Abs(f-1000) > 0.1 {
		t.Errorf("Frequency = %v, want 1000", f)
	}
	if r := RMS(x); math.Abs(r-0.5/math.Sqrt2) > 1e-4 {
		t.Errorf("RMS = %v", r)
	}
	if RMS(nil) != 0 || Frequency(nil, 44100) != 0 {
		t.Error("empty input")
	}
	// A chirp has a unique position: find a window of it.
	chirp := make([][2]float64, 20000)
	for i := range chirp {
		v := math.Sin(float64(i) * float64(i) / 40000)
		chirp[i] = [2]float64{v, v}
	}
	if got := Offset(chirp, chirp[12345:12345+500], 11000, 14000); got != 12345 {
		t.Errorf("Offset = %d, want 12345", got)
	}
}

// The output collects exactly what it is handed, stops when paused (after
// any pull in flight), and drops a pull made before a Flush.
func TestOutputCollects(t *testing.T) {
	t.Parallel()
	o := NewOutput(44100, ChunkFrames(100))
	defer o.Close()
	if o.SampleRate() != 44100 || o.Buffered() != 0 {
		t.Error("rate or buffered")
	}
	s, data := Sequential(1050)
	o.Play(s)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := o.WaitFor(ctx, func(st Stats) bool { return st.Frames == 1050 }); err != nil {
		t.Fatal(err)
	}
	got := o.Samples()
	for i := range data {
		if got[i] != data[i] {
			t.Fatalf("frame %d = %v", i, got[i])
		}
	}
	o.Pause()
	if !o.Stats().Paused {
		t.Error("not paused")
	}
	o.Flush()
	o.Reset()
	if st := o.Stats(); st.Frames != 0 || st.Flushes != 1 || st.SinceFlush != 0 || len(o.FlushedAt()) != 0 {
		t.Errorf("after Flush and Reset: %+v", st)
	}
}

// A streamer with nothing ready (0, true) adds no silence; a paused output
// does not pull.
func TestOutputNothingReadyAndPause(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int64
		var ready atomic.Bool
		s := beep.StreamerFunc(func(samples [][2]float64) (int, bool) {
			calls.Add(1)
			if !ready.Load() {
				return 0, true
			}
			for i := range samples {
				samples[i] = [2]float64{1, 1}
			}
			return len(samples), true
		})
		o := NewOutput(44100, Realtime(), ChunkFrames(441))
		defer o.Close()
		o.Play(s)
		time.Sleep(100 * time.Millisecond)
		if o.Len() != 0 {
			t.Errorf("%d frames collected from a streamer with nothing", o.Len())
		}
		ready.Store(true)
		time.Sleep(time.Second)
		n := o.Len()
		if n < 44100-441 || n > 44100+2*441 {
			t.Errorf("real-time output collected %d frames in 1 s", n)
		}
		o.Pause()
		c := calls.Load()
		time.Sleep(time.Minute)
		synctest.Wait()
		if calls.Load() != c || o.Len() > n+441 {
			t.Errorf("paused output kept pulling: %d calls, %d frames", calls.Load()-c, o.Len()-n)
		}
		o.Resume()
		time.Sleep(100 * time.Millisecond)
		if o.Len() <= n {
			t.Error("resume did not pull")
		}
	})
}
