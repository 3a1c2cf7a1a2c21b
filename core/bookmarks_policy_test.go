package core

import (
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
)

func TestBookmarkable(t *testing.T) {
	t.Parallel()
	const fifteen = 15 * time.Minute
	for _, tc := range []struct {
		name string
		item Item
		want bool
	}{
		{"episode", Item{Type: client.TypePodcastEpisode, ID: "1", Duration: 40 * time.Minute}, true},
		{"short episode", Item{Type: client.TypePodcastEpisode, ID: "1", Duration: 30 * time.Second}, true},
		{"episode of unknown length", Item{Type: client.TypePodcastEpisode, ID: "1"}, true},
		{"long song", Item{Type: client.TypeSong, ID: "1", Duration: 20 * time.Minute}, true},
		{"song of exactly the threshold", Item{Type: client.TypeSong, ID: "1", Duration: fifteen}, false},
		{"ordinary song", Item{Type: client.TypeSong, ID: "1", Duration: 4 * time.Minute}, false},
		{"song of unknown length", Item{Type: client.TypeSong, ID: "1"}, false},
		{"radio", Item{Type: client.TypeLiveStream, ID: "1"}, false},
		{"no id", Item{Type: client.TypePodcastEpisode, Duration: time.Hour}, false},
	} {
		if got := bookmarkable(tc.item, fifteen); got != tc.want {
			t.Errorf("%s: bookmarkable = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !bookmarkable(Item{Type: client.TypeSong, ID: "1", Duration: 6 * time.Minute}, 5*time.Minute) {
		t.Error("the threshold is not taken from the setting")
	}
}

// trackerRun drives a tracker with a fake clock.
type trackerRun struct {
	t    *testing.T
	tr   bmTracker
	now  time.Time
	acts []bmAction
}

var episode = Item{Type: client.TypePodcastEpisode, ID: "42", Title: "Ep", Duration: 60 * time.Minute}

func newTrackerRun(t *testing.T) *trackerRun {
	return &trackerRun{t: t, now: time.Unix(1_750_000_000, 0)}
}

// start makes item current as PlayItems does with a known resume point.
func (r *trackerRun) start(item Item, resumeAt time.Duration) {
	_, seq := r.tr.planStart(item, true, true)
	r.tr.resolved(seq, resumeAt, r.now)
	r.take(r.tr.track(0, item, "scope", true, r.now))
}

func (r *trackerRun) take(acts []bmAction) []bmAction {
	r.acts = append(r.acts, acts...)
	return acts
}

// play advances the clock and the position together by d, in 200 ms
// position events, from pos; it returns the new position.
func (r *trackerRun) play(pos, d time.Duration) time.Duration {
	for step := time.Duration(0); step < d; step += 200 * time.Millisecond {
		r.now = r.now.Add(200 * time.Millisecond)
		pos += 200 * time.Millisecond
		r.take(r.tr.position(pos, episode.Duration, r.now))
	}
	return pos
}

func (r *trackerRun) kinds(acts []bmAction) []bmActionKind {
	var out []bmActionKind
	for _, a := range acts {
		out = append(out, a.kind)
	}
	return out
}

func TestTrackerSavesEvery5sPushesEvery30s(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	t0 := r.now
	r.start(episode, 10*time.Minute)
	if len(r.acts) != 0 {
		t.Fatalf("a resolved start asks for %v", r.kinds(r.acts))
	}
	r.play(10*time.Minute, 65*time.Second)
	var saves, pushes []time.Duration
	for _, a := range r.acts {
		if a.kind != bmSave {
			t.Fatalf("unexpected action %v", a.kind)
		}
		saves = append(saves, a.at.Sub(t0))
		if a.push {
			pushes = append(pushes, a.at.Sub(t0))
		}
		if want := 10*time.Minute + a.at.Sub(t0); a.pos != want || a.scope != "scope" || a.item.ID != "42" {
			t.Fatalf("save %+v, want position %v", a, want)
		}
	}
	if len(saves) != 13 || saves[0] != 5*time.Second || saves[12] != 65*time.Second {
		t.Fatalf("saves at %v, want every 5 s from 5 s to 65 s", saves)
	}
	for i := 1; i < len(saves); i++ {
		if saves[i]-saves[i-1] != 5*time.Second {
			t.Fatalf("saves at %v, want every 5 s", saves)
		}
	}
	if len(pushes) != 2 || pushes[0] != 30*time.Second || pushes[1] != 60*time.Second {
		t.Fatalf("pushes at %v, want 30 s and 60 s", pushes)
	}
}

func TestTrackerPauseAndStopSaveAndPush(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 0)
	pos := r.play(0, 7*time.Second) // one save at 5 s
	r.acts = nil
	acts := r.take(r.tr.state(audio.Paused, r.now))
	if len(acts) != 1 || acts[0].kind != bmSave || !acts[0].push || acts[0].pos != pos {
		t.Fatalf("pause: %+v", acts)
	}
	// A stop right after: nothing moved, but the push is asked for again.
	acts = r.tr.state(audio.Stopped, r.now.Add(time.Second))
	if got := r.kinds(acts); len(got) != 1 || got[0] != bmPush {
		t.Fatalf("stop after pause: %v, want a push only", got)
	}
	// Buffering and playing save nothing.
	if acts := r.tr.state(audio.Buffering, r.now); len(acts) != 0 {
		t.Fatalf("buffering: %v", r.kinds(acts))
	}
}

func TestTrackerSeekSavesAtOnce(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 0)
	r.play(0, 2*time.Second)
	r.now = r.now.Add(200 * time.Millisecond)
	acts := r.tr.position(25*time.Minute, episode.Duration, r.now)
	if len(acts) != 1 || acts[0].kind != bmSave || acts[0].pos != 25*time.Minute || acts[0].push {
		t.Fatalf("seek forward: %+v", acts)
	}
	r.now = r.now.Add(200 * time.Millisecond)
	acts = r.tr.position(3*time.Minute, episode.Duration, r.now)
	if len(acts) != 1 || acts[0].pos != 3*time.Minute {
		t.Fatalf("seek back: %+v", acts)
	}
	// Small steps (merged position events) are not seeks.
	r.now = r.now.Add(time.Second)
	if acts := r.tr.position(3*time.Minute+2500*time.Millisecond, episode.Duration, r.now); len(acts) != 0 {
		t.Fatalf("a 2.5 s step saved: %+v", acts)
	}
}

func TestTrackerFinishDeletesOnce(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 56*time.Minute)
	r.play(56*time.Minute, 58*time.Second) // 56:58 < 57:00 = 95 %
	for _, a := range r.acts {
		if a.kind == bmFinish {
			t.Fatalf("finished before 95 %%: %+v", a)
		}
	}
	r.acts = nil
	r.play(56*time.Minute+58*time.Second, 20*time.Second)
	if got := r.kinds(r.acts); len(got) != 1 || got[0] != bmFinish {
		t.Fatalf("at 95 %%: %v, want one finish", got)
	}
	if a := r.acts[0]; a.pos < 57*time.Minute || a.pos > 57*time.Minute+200*time.Millisecond {
		t.Fatalf("finish at %v", a.pos)
	}
	// Pause, stop and a change of item after the end save nothing.
	r.acts = nil
	r.take(r.tr.state(audio.Paused, r.now))
	r.take(r.tr.track(1, Item{Type: client.TypeSong, ID: "1", Duration: time.Minute}, "scope", false, r.now))
	for _, a := range r.acts {
		if a.kind == bmSave {
			t.Fatalf("a finished item was saved again: %+v", a)
		}
	}
	// Seeking back from the end makes it a bookmark again.
	r2 := newTrackerRun(t)
	r2.start(episode, 58*time.Minute)
	r2.play(58*time.Minute, time.Second)
	r2.now = r2.now.Add(200 * time.Millisecond)
	acts := r2.tr.position(30*time.Minute, episode.Duration, r2.now)
	if len(acts) != 1 || acts[0].kind != bmSave || acts[0].pos != 30*time.Minute {
		t.Fatalf("seek back after the end: %+v", acts)
	}
}

func TestTrackerSavesNothingUntilResolved(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	// The queue moved to the episode: nothing planned.
	acts := r.tr.track(3, episode, "scope", true, r.now)
	if len(acts) != 1 || acts[0].kind != bmResolve || acts[0].item.ID != "42" {
		t.Fatalf("track: %+v", acts)
	}
	seq, epoch := acts[0].seq, r.tr.epoch
	if !r.tr.isCurrent(epoch, seq) {
		t.Fatal("the lookup is not current")
	}
	r.acts = nil
	r.play(0, 10*time.Second)
	r.take(r.tr.state(audio.Paused, r.now))
	if len(r.acts) != 0 {
		t.Fatalf("saved before the resume point was known: %v", r.kinds(r.acts))
	}
	// It resumes at 20:00: the jump there is not a seek to save.
	r.tr.resolved(seq, 20*time.Minute, r.now)
	r.now = r.now.Add(200 * time.Millisecond)
	if acts := r.tr.position(20*time.Minute, episode.Duration, r.now); len(acts) != 0 {
		t.Fatalf("the resume jump saved: %+v", acts)
	}
	r.play(20*time.Minute, 5*time.Second)
	if len(r.acts) != 1 || r.acts[0].pos <= 20*time.Minute+4*time.Second || r.acts[0].pos > 20*time.Minute+5*time.Second {
		t.Fatalf("after resolving: %+v, want one save 5 s after", r.acts)
	}
}

func TestTrackerPlannedStart(t *testing.T) {
	t.Parallel()
	var tr bmTracker
	now := time.Unix(1_750_000_000, 0)
	epoch, seq := tr.planStart(episode, true, true)
	// Load, then Play: two track changes to the same item, no lookup.
	for i := range 2 {
		if acts := tr.track(0, episode, "scope", true, now); len(acts) != 0 {
			t.Fatalf("track %d: %+v", i, acts)
		}
	}
	if !tr.isCurrent(epoch, seq) {
		t.Fatal("the planned start is not current")
	}
	if acts := tr.position(time.Second, 0, now.Add(6*time.Second)); len(acts) != 0 {
		t.Fatalf("saved while the lookup runs: %+v", acts)
	}
	tr.resolved(seq, 0, now.Add(6*time.Second))
	if acts := tr.position(1500*time.Millisecond, 0, now.Add(12*time.Second)); len(acts) != 1 {
		t.Fatalf("after the lookup: %+v", acts)
	}
	// A change to another item queued before the Load keeps the plan.
	var tr3 bmTracker
	epoch3, seq3 := tr3.planStart(episode, true, true)
	tr3.track(4, Item{Type: client.TypePodcastEpisode, ID: "7", Duration: time.Hour}, "scope", true, now)
	if acts := tr3.track(0, episode, "scope", true, now); len(acts) != 0 {
		t.Fatalf("the plan was lost to a stale change of item: %+v", acts)
	}
	if !tr3.isCurrent(epoch3, seq3) {
		t.Fatal("the planned start is not current after a stale change of item")
	}

	// Another PlayItems voids the lookup, even of an item without bookmarks.
	tr.planStart(Item{Type: client.TypeSong, ID: "9", Duration: time.Minute}, false, false)
	if tr.isCurrent(epoch, seq) {
		t.Fatal("a later start did not void the lookup")
	}
	// An explicit start position needs no lookup.
	var tr2 bmTracker
	tr2.planStart(episode, true, false)
	tr2.track(0, episode, "scope", true, now)
	if acts := tr2.position(7*time.Minute, 0, now.Add(5*time.Second)); len(acts) != 1 || acts[0].pos != 7*time.Minute {
		t.Fatalf("explicit start: %+v", acts)
	}
}

func TestTrackerChangeOfItemSavesThePrevious(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 0)
	pos := r.play(0, 3*time.Second)
	r.acts = nil
	next := Item{Type: client.TypePodcastEpisode, ID: "43", Duration: time.Hour}
	acts := r.tr.track(1, next, "scope", true, r.now)
	if got := r.kinds(acts); len(got) != 2 || got[0] != bmSave || got[1] != bmResolve {
		t.Fatalf("change of item: %v", got)
	}
	if acts[0].item.ID != "42" || acts[0].pos != pos || !acts[0].push || acts[1].item.ID != "43" {
		t.Fatalf("change of item: %+v", acts)
	}
}

func TestTrackerStopThenPlayLooksUpAgain(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 0)
	r.play(0, 8*time.Second)
	r.tr.state(audio.Stopped, r.now)
	// Play after stop restarts the track from 0: look the position up.
	acts := r.tr.track(0, episode, "scope", true, r.now)
	if got := r.kinds(acts); len(got) != 1 || got[0] != bmResolve {
		t.Fatalf("play after stop: %v", got)
	}
}

func TestTrackerFlushUsesThePlayerPosition(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 0)
	r.play(0, 6*time.Second)
	st := audio.Status{State: audio.Playing, Index: 0, Position: 7*time.Minute + 30*time.Second,
		Track: audio.Track{Data: episode}}
	acts := r.tr.flush(st, r.now)
	if len(acts) != 1 || acts[0].kind != bmSave || !acts[0].push || acts[0].pos != st.Position {
		t.Fatalf("flush: %+v", acts)
	}
	// Nothing tracked: nothing to save.
	var empty bmTracker
	if got := r.kinds(empty.flush(st, r.now)); len(got) != 0 {
		t.Fatalf("flush without an item: %v", got)
	}
}

func TestTrackerStartOver(t *testing.T) {
	t.Parallel()
	var tr bmTracker
	now := time.Unix(1_750_000_000, 0)
	acts := tr.track(0, episode, "scope", true, now)
	epoch, seq := tr.epoch, acts[0].seq
	tr.position(time.Second, 0, now.Add(time.Second))
	acts, ok := tr.startOver(now.Add(2 * time.Second))
	if !ok || len(acts) != 1 || acts[0].kind != bmSave || acts[0].pos != 0 || !acts[0].push {
		t.Fatalf("start over: %v %+v", ok, acts)
	}
	if tr.isCurrent(epoch, seq) {
		t.Fatal("the resume lookup still applies after Start over")
	}
	var none bmTracker
	if _, ok := none.startOver(now); ok {
		t.Fatal("start over without an item")
	}
}

// An item whose last reported position is within a second of its end
// played out when the player goes on to the next item, even if no
// position event fell into its last 5 % (a short item on a busy machine).
func TestTrackerChangeAfterTheEndFinishes(t *testing.T) {
	t.Parallel()
	short := Item{Type: client.TypePodcastEpisode, ID: "7", Duration: 3 * time.Second}
	r := newTrackerRun(t)
	r.start(short, 0)
	for _, pos := range []time.Duration{time.Second, 2100 * time.Millisecond} { // 2.1 s < 95 % of 3 s
		r.now = r.now.Add(time.Second)
		r.take(r.tr.position(pos, short.Duration, r.now))
	}
	r.acts = nil
	next := Item{Type: client.TypePodcastEpisode, ID: "8", Duration: time.Hour}
	acts := r.tr.track(1, next, "scope", true, r.now)
	if got := r.kinds(acts); len(got) != 2 || got[0] != bmFinish || acts[0].item.ID != "7" {
		t.Fatalf("change of item after the end: %+v", acts)
	}
	// Far from the end, a change of item (Next pressed) saves instead.
	r2 := newTrackerRun(t)
	r2.start(episode, 0)
	r2.play(0, 3*time.Second)
	acts = r2.tr.track(1, next, "scope", true, r2.now)
	if got := r2.kinds(acts); len(got) == 0 || got[0] != bmSave {
		t.Fatalf("Next far from the end: %v", got)
	}
}

// The queue's end finishes the current item wherever the last position
// event was.
func TestTrackerQueueEndFinishes(t *testing.T) {
	t.Parallel()
	r := newTrackerRun(t)
	r.start(episode, 0)
	r.play(0, 2*time.Second)
	acts := r.tr.ended(r.now)
	if got := r.kinds(acts); len(got) != 1 || got[0] != bmFinish || acts[0].pos != episode.Duration {
		t.Fatalf("queue end: %+v", acts)
	}
	if again := r.tr.ended(r.now); len(again) != 0 {
		t.Fatalf("a second end: %+v", again)
	}
}
