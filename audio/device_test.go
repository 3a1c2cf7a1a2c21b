package audio

import (
	"testing"
	"time"
)

// With a sound server or card present, two tracks play through the real
// device, gaplessly, to the end (scripts/e2e records and measures the
// sound; this checks the Player and DeviceOutput together). Skipped
// where there is no device.
func TestDeviceOutputPlays(t *testing.T) {
	if !hasSoundDevice() {
		t.Skip("no sound server or card (TestNewOutputWithoutSoundServer covers that case)")
	}
	out, err := NewOutput(OutputOptions{ApplicationName: "ampdesk-test"})
	if err != nil {
		t.Fatalf("NewOutput with a sound device present: %v", err)
	}
	defer out.Close()
	p := NewPlayer(out, Options{})
	defer p.Close()
	ev := recordEvents(p)
	p.Load([]Track{memoryTrack(t, "tone1k", "flac"), memoryTrack(t, "tone440", "mp3")}, 0)
	start := time.Now()
	p.Play()
	time.Sleep(time.Second)
	cpu0, t0 := cpuTime(), time.Now()
	time.Sleep(time.Second)
	playing := float64(cpuTime()-cpu0) / float64(time.Since(t0)) * 100
	p.Pause()
	time.Sleep(200 * time.Millisecond)
	cpu0, t0 = cpuTime(), time.Now()
	time.Sleep(2 * time.Second)
	paused := float64(cpuTime()-cpu0) / float64(time.Since(t0)) * 100
	t.Logf("CPU while playing %.2f %% of a core, while paused %.2f %%", playing, paused)
	p.Play()
	ev.waitFor(t, 0, "Ended", isEnded)
	elapsed := time.Since(start)
	t.Logf("played 6 s of audio with a 2.2 s pause in %v", elapsed)
	if elapsed < 8100*time.Millisecond {
		t.Errorf("6 s of audio and 2.2 s of pause ended after %v", elapsed)
	}
}
