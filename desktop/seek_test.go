package desktop

import (
	"testing"
	"time"
)

func TestSeekTracker(t *testing.T) {
	t.Parallel()
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	t0 := time.Unix(1000, 0)
	type step struct {
		at      int // ms after t0
		playing *bool
		expect  *[2]int // index, position ms
		index   int
		pos     int // ms; -1: no position event in this step
		seeked  bool
	}
	on, off := true, false
	tests := []struct {
		name  string
		steps []step
	}{
		{"steady playback is no seek", []step{
			{at: 0, playing: &on, index: 0, pos: 0},
			{at: 200, index: 0, pos: 200},
			{at: 400, index: 0, pos: 390},
			{at: 1400, index: 0, pos: 1000}, // a stall falls behind: no seek
			{at: 1600, index: 0, pos: 1200},
		}},
		{"a jump ahead is a seek", []step{
			{at: 0, playing: &on, index: 0, pos: 0},
			{at: 200, index: 0, pos: 200},
			{at: 400, index: 0, pos: 30000, seeked: true},
			{at: 600, index: 0, pos: 30200},
		}},
		{"a jump back is a seek", []step{
			{at: 0, playing: &on, index: 0, pos: 50000},
			{at: 200, index: 0, pos: 50200},
			{at: 400, index: 0, pos: 0, seeked: true},
		}},
		{"time paused does not count as played", []step{
			{at: 0, playing: &on, index: 0, pos: 10000},
			{at: 100, playing: &off, pos: -1},
			{at: 60000, playing: &on, pos: -1},
			{at: 60200, index: 0, pos: 10300},
			{at: 60400, index: 0, pos: 14000, seeked: true},
		}},
		{"another track starts over", []step{
			{at: 0, playing: &on, index: 0, pos: 170000},
			{at: 200, index: 1, pos: 0},
			{at: 400, index: 1, pos: 200},
		}},
		{"an asked seek is reported when the player gets there", []step{
			{at: 0, playing: &on, index: 0, pos: 1000},
			{at: 100, expect: &[2]int{0, 1500}, pos: -1},
			{at: 200, index: 0, pos: 1200}, // not there yet, and no jump
			{at: 400, index: 0, pos: 1500, seeked: true},
			{at: 600, index: 0, pos: 1700},
		}},
		{"an asked seek survives the first position of a new track", []step{
			{at: 0, playing: &on, index: 0, pos: 2900},
			{at: 100, expect: &[2]int{1, 1500}, pos: -1},
			{at: 200, index: 1, pos: 1500, seeked: true},
		}},
		{"an asked seek that never happens expires", []step{
			{at: 0, playing: &on, index: 0, pos: 0},
			{at: 100, expect: &[2]int{0, 5000}, pos: -1},
			{at: 4000, index: 0, pos: 3900},
			{at: 4200, index: 0, pos: 4100},
			{at: 5200, index: 0, pos: 5100}, // reached by playing, long after: no seek
		}},
	}
	for _, tc := range tests {
		var tr seekTracker
		tr.reset(-1, 0, t0) // as the MPRIS object starts
		for i, st := range tc.steps {
			now := t0.Add(ms(st.at))
			if st.playing != nil {
				tr.setPlaying(*st.playing, now)
			}
			if st.expect != nil {
				tr.expect(st.expect[0], ms(st.expect[1]), now)
			}
			if st.pos >= 0 {
				if got := tr.observe(st.index, ms(st.pos), now); got != st.seeked {
					t.Errorf("%s: step %d (track %d at %d ms): seeked %v, want %v", tc.name, i, st.index, st.pos, got, st.seeked)
				}
			}
		}
	}
}
