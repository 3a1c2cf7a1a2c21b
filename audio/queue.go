package audio

import (
	"math/rand/v2"
	"slices"
)

// Repeat is the queue's repeat mode.
type Repeat int

const (
	RepeatOff Repeat = iota // stop after the last track
	RepeatAll               // start again from the first track
	RepeatOne               // play the current track again and again
)

func (r Repeat) String() string {
	switch r {
	case RepeatAll:
		return "all"
	case RepeatOne:
		return "one"
	default:
		return "off"
	}
}

// entry is a track in a queue. key tells apart two entries of the same
// track.
type entry struct {
	key   uint64
	track Track
}

// Queue is the play queue: tracks in play order, the current one, shuffle
// and repeat. It is a plain model with no locking and no I/O; the Player
// owns one and changes it on its goroutine.
//
// Shuffle reorders the tracks at random, keeping the current track current
// (it moves to the front); unshuffling restores the original order,
// including the changes made meanwhile (tracks added go where they were
// added, removed tracks stay removed).
type Queue struct {
	items    []entry // play order
	original []entry // order before shuffling; nil when not shuffled
	cur      int     // index in items; -1 when there is no current track
	repeat   Repeat
	lastKey  uint64
	rng      *rand.Rand
}

// NewQueue returns an empty queue. seed fixes the shuffle order (tests);
// pass 0 for a random one.
func NewQueue(seed uint64) *Queue {
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &Queue{cur: -1, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Len is the number of tracks.
func (q *Queue) Len() int { return len(q.items) }

// Index is the current track's index in play order, or -1.
func (q *Queue) Index() int { return q.cur }

// Current returns the current track.
func (q *Queue) Current() (Track, bool) {
	if q.cur < 0 {
		return Track{}, false
	}
	return q.items[q.cur].track, true
}

// At returns the track at index i in play order.
func (q *Queue) At(i int) (Track, bool) {
	if i < 0 || i >= len(q.items) {
		return Track{}, false
	}
	return q.items[i].track, true
}

// Tracks returns the tracks in play order.
func (q *Queue) Tracks() []Track {
	out := make([]Track, len(q.items))
	for i, e := range q.items {
		out[i] = e.track
	}
	return out
}

// Repeat returns the repeat mode.
func (q *Queue) Repeat() Repeat { return q.repeat }

// SetRepeat sets the repeat mode.
func (q *Queue) SetRepeat(r Repeat) { q.repeat = r }

// Shuffled reports whether the queue is shuffled.
func (q *Queue) Shuffled() bool { return q.original != nil }

func (q *Queue) newEntries(tracks []Track) []entry {
	es := make([]entry, len(tracks))
	for i, t := range tracks {
		q.lastKey++
		es[i] = entry{key: q.lastKey, track: t}
	}
	return es
}

// Set replaces the queue with tracks and makes tracks[start] current (no
// current track if start is out of range). Shuffle stays on if it was:
// the new tracks are shuffled around the current one.
func (q *Queue) Set(tracks []Track, start int) {
	shuffled := q.Shuffled()
	q.items, q.original = q.newEntries(tracks), nil
	q.cur = -1
	if start >= 0 && start < len(q.items) {
		q.cur = start
	}
	if shuffled {
		q.SetShuffle(true)
	}
}

// Clear removes every track.
func (q *Queue) Clear() {
	q.items, q.cur = nil, -1
	if q.original != nil {
		q.original = []entry{}
	}
}

// Append adds tracks at the end. An empty queue's first track becomes
// current.
func (q *Queue) Append(tracks ...Track) {
	es := q.newEntries(tracks)
	q.items = append(q.items, es...)
	if q.original != nil {
		q.original = append(q.original, es...)
	}
	if q.cur < 0 && len(q.items) > 0 {
		q.cur = 0
	}
}

// PlayNext inserts tracks right after the current one (at the front if
// there is none).
func (q *Queue) PlayNext(tracks ...Track) {
	q.insertAfterCurrent(q.newEntries(tracks))
	if q.cur < 0 && len(q.items) > 0 {
		q.cur = 0
	}
}

// PlayNow inserts tracks after the current one and makes the first of
// them current.
func (q *Queue) PlayNow(tracks ...Track) {
	if len(tracks) == 0 {
		return
	}
	at := q.insertAfterCurrent(q.newEntries(tracks))
	q.cur = at
}

// insertAfterCurrent inserts es after the current entry, in play order
// and in the original order, and returns their index in play order.
func (q *Queue) insertAfterCurrent(es []entry) int {
	at := q.cur + 1
	if q.original != nil {
		o := 0
		if q.cur >= 0 {
			o = q.originalIndex(q.items[q.cur].key) + 1
		}
		q.original = slices.Insert(q.original, o, es...)
	}
	q.items = slices.Insert(q.items, at, es...)
	return at
}

func (q *Queue) originalIndex(key uint64) int {
	return slices.IndexFunc(q.original, func(e entry) bool { return e.key == key })
}

// Remove removes the track at index i. Removing the current track makes
// the track after it current (none if it was the last).
func (q *Queue) Remove(i int) bool {
	if i < 0 || i >= len(q.items) {
		return false
	}
	if q.original != nil {
		if o := q.originalIndex(q.items[i].key); o >= 0 {
			q.original = slices.Delete(q.original, o, o+1)
		}
	}
	q.items = slices.Delete(q.items, i, i+1)
	switch {
	case i < q.cur:
		q.cur--
	case i == q.cur && q.cur >= len(q.items):
		q.cur = -1
	}
	return true
}

// Move moves the track at index from to index to (in play order); the
// current track stays current wherever it goes.
func (q *Queue) Move(from, to int) bool {
	if from < 0 || from >= len(q.items) || to < 0 || to >= len(q.items) {
		return false
	}
	var curKey uint64
	if q.cur >= 0 {
		curKey = q.items[q.cur].key
	}
	e := q.items[from]
	q.items = slices.Insert(slices.Delete(q.items, from, from+1), to, e)
	if q.cur >= 0 {
		q.cur = q.indexOf(curKey)
	}
	return true
}

func (q *Queue) indexOf(key uint64) int {
	return slices.IndexFunc(q.items, func(e entry) bool { return e.key == key })
}

// SetShuffle turns shuffle on (a new random order with the current track
// first) or off (the original order, current track unchanged).
func (q *Queue) SetShuffle(on bool) {
	switch {
	case on && q.original == nil:
		q.original = slices.Clone(q.items)
		if q.original == nil {
			q.original = []entry{}
		}
		q.shuffleItems()
	case on:
		q.shuffleItems() // reshuffle
	case !on && q.original != nil:
		var curKey uint64
		if q.cur >= 0 {
			curKey = q.items[q.cur].key
		}
		q.items, q.original = q.original, nil
		if q.cur >= 0 {
			q.cur = q.indexOf(curKey)
		}
	}
}

// shuffleItems shuffles the play order, current track first.
func (q *Queue) shuffleItems() {
	if q.cur >= 0 {
		q.items[0], q.items[q.cur] = q.items[q.cur], q.items[0]
		q.cur = 0
		rest := q.items[1:]
		q.rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		return
	}
	q.rng.Shuffle(len(q.items), func(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] })
}

// NextIndex is the index that follows the current track when it ends on
// its own, by the repeat mode: the same track for RepeatOne, wrapping for
// RepeatAll. ok is false at the end of the queue.
func (q *Queue) NextIndex() (int, bool) {
	if q.cur < 0 || len(q.items) == 0 {
		return -1, false
	}
	switch {
	case q.repeat == RepeatOne:
		return q.cur, true
	case q.cur+1 < len(q.items):
		return q.cur + 1, true
	case q.repeat == RepeatAll:
		return 0, true
	}
	return -1, false
}

// Advance moves to NextIndex; false (and no current track) at the end.
func (q *Queue) Advance() bool {
	i, ok := q.NextIndex()
	q.cur = i
	return ok
}

// SkipIndex is where the user's Next goes: like NextIndex but it leaves a
// track on repeat-one.
func (q *Queue) SkipIndex() (int, bool) {
	if q.cur < 0 || len(q.items) == 0 {
		return -1, false
	}
	switch {
	case q.cur+1 < len(q.items):
		return q.cur + 1, true
	case q.repeat != RepeatOff:
		return 0, true
	}
	return -1, false
}

// PreviousIndex is where the user's Previous goes (wrapping to the last
// track when repeating).
func (q *Queue) PreviousIndex() (int, bool) {
	if q.cur < 0 || len(q.items) == 0 {
		return -1, false
	}
	switch {
	case q.cur > 0:
		return q.cur - 1, true
	case q.repeat != RepeatOff:
		return len(q.items) - 1, true
	}
	return -1, false
}

// Jump makes track i current.
func (q *Queue) Jump(i int) bool {
	if i < 0 || i >= len(q.items) {
		return false
	}
	q.cur = i
	return true
}

// key returns the key of the entry at i (0 if none).
func (q *Queue) key(i int) uint64 {
	if i < 0 || i >= len(q.items) {
		return 0
	}
	return q.items[i].key
}

// entryAt returns the entry at i.
func (q *Queue) entryAt(i int) (entry, bool) {
	if i < 0 || i >= len(q.items) {
		return entry{}, false
	}
	return q.items[i], true
}

// indexOfKey returns the index of the entry with key, or -1.
func (q *Queue) indexOfKey(key uint64) int { return q.indexOf(key) }
