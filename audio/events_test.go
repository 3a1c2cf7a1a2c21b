package audio

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// Events on a real-time output (fake time): states, track changes when
// heard, position at least 4 times a second while playing and never while
// paused, and the end.
func TestPlayerEvents(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		a, b := memoryTrack(t, "tone1k", "flac"), memoryTrack(t, "tone440", "flac")
		p := newTestPlayer(t, 44100, Options{}, audiotest.Realtime())
		p.Load([]Track{a, b}, 0)
		start := time.Now()
		p.Play()
		time.Sleep(1500 * time.Millisecond)
		p.Pause()
		time.Sleep(2 * time.Second)
		p.Play()
		p.ev.waitFor(t, 0, "Ended", isEnded)
		elapsed := time.Since(start)
		synctest.Wait()

		evs := p.ev.events()
		var states []State
		var tracks []string
		var pausedAt, resumedAt time.Time
		var positions []timedEvent
		ended := 0
		for _, e := range evs {
			switch ev := e.ev.(type) {
			case StateChanged:
				states = append(states, ev.State)
				if ev.State == Paused {
					pausedAt = e.at
				}
				if ev.State == Playing && !pausedAt.IsZero() && resumedAt.IsZero() {
					resumedAt = e.at
				}
			case TrackChanged:
				tracks = append(tracks, ev.Track.ID)
			case PositionChanged:
				positions = append(positions, e)
			case Ended:
				ended++
			}
		}
		wantStates := []State{Buffering, Playing, Paused, Playing, Stopped}
		if !equalStates(states, wantStates) {
			t.Errorf("states %v, want %v", states, wantStates)
		}
		// Load announces the first track; it stays current when played;
		// then the second when heard; Ended rewinds to the first.
		if want := []string{a.ID, a.ID, b.ID, a.ID}; !equalStrings(tracks, want) {
			t.Errorf("track changes %v, want %v", tracks, want)
		}
		if ended != 1 {
			t.Errorf("%d Ended events, want 1", ended)
		}
		// 6 s of audio and 2 s paused.
		if elapsed < 8*time.Second-50*time.Millisecond || elapsed > 8*time.Second+500*time.Millisecond {
			t.Errorf("played for %v, want about 8 s (6 s of audio, 2 s of pause)", elapsed)
		}
		// Position rate: count per second of playing, none while paused.
		perSecond := map[int]int{}
		var last time.Duration = -1
		for _, e := range positions {
			pos := e.ev.(PositionChanged)
			if e.at.After(pausedAt) && e.at.Before(resumedAt) {
				t.Errorf("position event at %v while paused", e.at.Sub(start))
			}
			if pos.Index == 0 && pos.Position < last {
				t.Errorf("position went back from %v to %v", last, pos.Position)
			}
			if pos.Index == 0 {
				last = pos.Position
			}
			if pos.Duration != 3*time.Second {
				t.Errorf("duration %v, want 3s", pos.Duration)
			}
			perSecond[int(e.at.Sub(start)/time.Second)]++
		}
		for sec := range int(elapsed / time.Second) {
			if sec == 1 || sec == 2 || sec == 3 { // around the pause (1.5 s to 3.5 s)
				continue
			}
			if perSecond[sec] < 4 {
				t.Errorf("%d position events in second %d of playing, want at least 4", perSecond[sec], sec)
			}
		}
		st := p.Status()
		if st.State != Stopped || st.Index != 0 {
			t.Errorf("status after the end: %+v", st)
		}
	})
}

func equalStates(a, b []State) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The next track is opened about PreloadAhead before the current one ends,
// on a producer goroutine, not earlier and not at the last moment.
func TestPreloadTiming(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var opens []time.Duration
		start := time.Now()
		tune := memoryTrack(t, "tune", "flac") // 20 s
		next := memoryTrack(t, "tone1k", "wav")
		next.Source = countingOpener{before: func() { opens = append(opens, time.Since(start)) }, inner: next.Source}
		p := newTestPlayer(t, 44100, Options{PreloadAhead: 5 * time.Second}, audiotest.Realtime())
		p.Load([]Track{tune, next}, 0)
		p.Play()
		p.ev.waitFor(t, 0, "Ended", isEnded)
		synctest.Wait()
		if len(opens) != 1 {
			t.Fatalf("the next track was opened %d times, want 1", len(opens))
		}
		if opens[0] < 14800*time.Millisecond || opens[0] > 15500*time.Millisecond {
			t.Errorf("next track opened at %v, want about 15 s (5 s before the end of a 20 s track)", opens[0])
		}
	})
}

// countingOpener calls before on each Open.
type countingOpener struct {
	before func()
	inner  Opener
}

func (c countingOpener) Open(ctx context.Context, offset time.Duration) (Stream, error) {
	c.before()
	return c.inner.Open(ctx, offset)
}
