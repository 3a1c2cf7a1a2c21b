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
	ev.waitFor(t, 0, "Ended", isEnded)
	elapsed := time.Since(start)
	t.Logf("played 6 s of audio in %v", elapsed)
	if elapsed < 5900*time.Millisecond {
		t.Errorf("6 s of audio ended after %v", elapsed)
	}
}
