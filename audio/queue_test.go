package audio

import (
	"slices"
	"strings"
	"testing"
)

func tracksNamed(names string) []Track {
	var ts []Track
	for _, n := range strings.Fields(names) {
		ts = append(ts, Track{ID: n})
	}
	return ts
}

func ids(q *Queue) string {
	var s []string
	for i, t := range q.Tracks() {
		if i == q.Index() {
			s = append(s, "["+t.ID+"]")
		} else {
			s = append(s, t.ID)
		}
	}
	return strings.Join(s, " ")
}

func TestQueueOperations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		do   func(q *Queue)
		want string
	}{
		{"set", func(q *Queue) { q.Set(tracksNamed("a b c"), 1) }, "a [b] c"},
		{"set out of range: no current", func(q *Queue) { q.Set(tracksNamed("a b"), 5) }, "a b"},
		{"append to empty makes current", func(q *Queue) { q.Append(tracksNamed("a b")...) }, "[a] b"},
		{"append", func(q *Queue) { q.Set(tracksNamed("a b"), 0); q.Append(tracksNamed("c d")...) }, "[a] b c d"},
		{"play next", func(q *Queue) { q.Set(tracksNamed("a b c"), 1); q.PlayNext(tracksNamed("x y")...) }, "a [b] x y c"},
		{"play next on empty", func(q *Queue) { q.PlayNext(tracksNamed("x")...) }, "[x]"},
		{"play now", func(q *Queue) { q.Set(tracksNamed("a b c"), 0); q.PlayNow(tracksNamed("x y")...) }, "a [x] y b c"},
		{"play now nothing", func(q *Queue) { q.Set(tracksNamed("a b"), 0); q.PlayNow() }, "[a] b"},
		{"remove before current", func(q *Queue) { q.Set(tracksNamed("a b c"), 2); q.Remove(0) }, "b [c]"},
		{"remove after current", func(q *Queue) { q.Set(tracksNamed("a b c"), 0); q.Remove(2) }, "[a] b"},
		{"remove current: next becomes current", func(q *Queue) { q.Set(tracksNamed("a b c"), 1); q.Remove(1) }, "a [c]"},
		{"remove current last: none", func(q *Queue) { q.Set(tracksNamed("a b"), 1); q.Remove(1) }, "a"},
		{"remove out of range", func(q *Queue) { q.Set(tracksNamed("a b"), 0); q.Remove(7); q.Remove(-1) }, "[a] b"},
		{"move down, current follows", func(q *Queue) { q.Set(tracksNamed("a b c d"), 0); q.Move(0, 2) }, "b c [a] d"},
		{"move across current", func(q *Queue) { q.Set(tracksNamed("a b c d"), 1); q.Move(3, 0) }, "d a [b] c"},
		{"move out of range", func(q *Queue) { q.Set(tracksNamed("a b"), 0); q.Move(0, 9) }, "[a] b"},
		{"clear", func(q *Queue) { q.Set(tracksNamed("a b"), 0); q.Clear() }, ""},
		{"jump", func(q *Queue) { q.Set(tracksNamed("a b c"), 0); q.Jump(2) }, "a b [c]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := NewQueue(1)
			tt.do(q)
			if got := ids(q); got != tt.want {
				t.Errorf("queue %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQueueRepeat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		repeat               Repeat
		at                   int
		next, skip, previous int // -1: none
	}{
		{RepeatOff, 0, 1, 1, -1},
		{RepeatOff, 2, -1, -1, 1},
		{RepeatAll, 2, 0, 0, 1},
		{RepeatAll, 0, 1, 1, 2},
		{RepeatOne, 1, 1, 2, 0},
		{RepeatOne, 2, 2, 0, 1},
	}
	for _, tt := range tests {
		q := NewQueue(1)
		q.Set(tracksNamed("a b c"), tt.at)
		q.SetRepeat(tt.repeat)
		check := func(what string, f func() (int, bool), want int) {
			i, ok := f()
			if !ok {
				i = -1
			}
			if i != want {
				t.Errorf("repeat %v at %d: %s = %d, want %d", tt.repeat, tt.at, what, i, want)
			}
		}
		check("NextIndex", q.NextIndex, tt.next)
		check("SkipIndex", q.SkipIndex, tt.skip)
		check("PreviousIndex", q.PreviousIndex, tt.previous)
	}
	q := NewQueue(1)
	q.Set(tracksNamed("a b"), 1)
	if q.Advance() || q.Index() != -1 {
		t.Errorf("Advance at the end with repeat off: index %d", q.Index())
	}
	var empty Queue
	empty.cur = -1
	if _, ok := empty.NextIndex(); ok {
		t.Error("empty queue has a next track")
	}
}

func TestQueueShuffle(t *testing.T) {
	t.Parallel()
	names := "a b c d e f g h i j k l"
	q := NewQueue(42)
	q.Set(tracksNamed(names), 4) // e
	q.SetShuffle(true)
	if !q.Shuffled() {
		t.Fatal("not shuffled")
	}
	if cur, _ := q.Current(); cur.ID != "e" || q.Index() != 0 {
		t.Errorf("after shuffling the current track is %q at %d, want e first", cur.ID, q.Index())
	}
	order := ids(q)
	if order == "[e] a b c d f g h i j k l" {
		t.Errorf("shuffle kept the order: %s", order)
	}
	got := slices.Sorted(slices.Values(strings.Fields(strings.NewReplacer("[", "", "]", "").Replace(order))))
	if strings.Join(got, " ") != names {
		t.Errorf("shuffle lost or duplicated tracks: %s", order)
	}
	// The same seed gives the same order.
	q2 := NewQueue(42)
	q2.Set(tracksNamed(names), 4)
	q2.SetShuffle(true)
	if ids(q2) != order {
		t.Errorf("same seed, different order: %s vs %s", ids(q2), order)
	}

	// Changes while shuffled survive unshuffling in the original order.
	q.Jump(3)
	cur, _ := q.Current()
	q.Append(tracksNamed("z")...)
	q.Remove(q.Len() - 2) // some shuffled track, not the current one
	q.PlayNext(tracksNamed("n")...)
	q.SetShuffle(false)
	if q.Shuffled() {
		t.Fatal("still shuffled")
	}
	now, _ := q.Current()
	if now.ID != cur.ID {
		t.Errorf("unshuffle changed the current track from %q to %q", cur.ID, now.ID)
	}
	plain := strings.NewReplacer("[", "", "]", "").Replace(ids(q))
	// n comes right after the current track, z at the end, the removed one
	// is gone, the rest in the original order.
	var want []string
	for _, n := range strings.Fields(names) {
		if strings.Contains(plain, n) {
			want = append(want, n)
		}
		if n == cur.ID {
			want = append(want, "n")
		}
	}
	want = append(want, "z")
	if plain != strings.Join(want, " ") {
		t.Errorf("unshuffled %q, want %q", plain, strings.Join(want, " "))
	}
	if q.Len() != 13 {
		t.Errorf("%d tracks, want 13 (12 + z + n - 1 removed)", q.Len())
	}
}

func TestQueueShuffleWithoutCurrentAndDuplicates(t *testing.T) {
	t.Parallel()
	q := NewQueue(7)
	q.Set(tracksNamed("a a a b"), -1)
	q.SetShuffle(true)
	q.SetShuffle(false)
	if got := ids(q); got != "a a a b" {
		t.Errorf("unshuffled %q", got)
	}
	q.Set(tracksNamed("a a b"), 1)
	q.SetShuffle(true)
	q.Remove(0) // the current (second) a
	q.SetShuffle(false)
	if plain := strings.NewReplacer("[", "", "]", "").Replace(ids(q)); plain != "a b" {
		t.Errorf("after removing one of two equal tracks: %q", plain)
	}
	// Set while shuffled keeps shuffling, the start track first.
	q.SetShuffle(true)
	q.Set(tracksNamed("p q r s t u"), 3)
	if !q.Shuffled() || q.Index() != 0 {
		t.Errorf("Set while shuffled: shuffled %v, index %d", q.Shuffled(), q.Index())
	}
	if cur, _ := q.Current(); cur.ID != "s" {
		t.Errorf("current %q, want s", cur.ID)
	}
	q.Clear()
	q.Append(tracksNamed("x")...)
	q.SetShuffle(false)
	if got := ids(q); got != "[x]" {
		t.Errorf("after clear and append while shuffled: %q", got)
	}
}
