package desktop

import "time"

// Tolerances of seek detection: positions come several times a second and
// are handled a little late, and a stalled stream falls behind the clock
// but never runs ahead of it or backwards.
const (
	seekBackTolerance  = 500 * time.Millisecond
	seekAheadTolerance = 1500 * time.Millisecond
	seekExpectWindow   = 3 * time.Second
	// An asked seek has arrived when the position is this close to it
	// (it only moves on from there).
	seekWantBefore = 250 * time.Millisecond
	seekWantAfter  = 600 * time.Millisecond
)

// seekTracker tells a seek from normal playback in the stream of position
// events (the core has no seek event): a position behind the last one, or
// further ahead than the time played since, is a seek. A seek asked for
// (expect) is reported when the player reaches it.
type seekTracker struct {
	index   int
	pos     time.Duration // the last position seen
	at      time.Time     // when it was seen (or when playing started)
	playing bool

	// A seek asked of the player: to want in track wantIndex.
	want      time.Duration
	wantIndex int
	wanted    bool
	wantedAt  time.Time
}

// reset starts over in another track. A seek asked for stays expected:
// it may have been asked for the new track before its first position.
func (t *seekTracker) reset(index int, pos time.Duration, now time.Time) {
	t.index, t.pos, t.at = index, pos, now
}

// setPlaying records whether the position moves with the clock.
func (t *seekTracker) setPlaying(on bool, now time.Time) {
	if on == t.playing {
		return
	}
	if t.playing {
		t.pos += now.Sub(t.at)
	}
	t.at, t.playing = now, on
}

// expect notes a seek to pos in track index that was just asked of the
// player.
func (t *seekTracker) expect(index int, pos time.Duration, now time.Time) {
	t.want, t.wantIndex, t.wanted, t.wantedAt = pos, index, true, now
}

// observe takes a position event and reports whether it shows a seek.
func (t *seekTracker) observe(index int, pos time.Duration, now time.Time) bool {
	seeked := false
	if index != t.index {
		t.reset(index, pos, now)
	} else {
		ahead := t.pos
		if t.playing {
			ahead += now.Sub(t.at)
		}
		seeked = pos < t.pos-seekBackTolerance || pos > ahead+seekAheadTolerance
	}
	if t.wanted {
		if d := pos - t.want; index == t.wantIndex && d >= -seekWantBefore && d <= seekWantAfter {
			seeked, t.wanted = true, false
		} else if now.Sub(t.wantedAt) > seekExpectWindow {
			t.wanted = false
		}
	}
	t.pos, t.at = pos, now
	return seeked
}
