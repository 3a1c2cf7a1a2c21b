package core

import (
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
)

// The bookmark policy: which items get automatic bookmarks, and when their
// position is saved on this computer and pushed to the server. It is a
// plain state machine fed with player events and the time (bmTracker);
// the I/O it asks for is done by the bookmark worker.

const (
	// localSaveEvery is how often a playing item's position is saved in
	// the journal.
	localSaveEvery = 5 * time.Second
	// serverPushEvery is how often, at most, it is pushed to the server
	// while playing (pause, stop, a change of item and quit push at once).
	serverPushEvery = 30 * time.Second
	// finishedPercent of an item played means it was played to its end:
	// its bookmark is deleted.
	finishedPercent = 95
	// seekJump: a position step larger than this (or backwards) is a seek.
	seekJump = 3 * time.Second
	// minSaveStep: on the 5 s cadence, a position this close to the last
	// saved one is not saved again (the clock moved, the audio hardly).
	minSaveStep = time.Second
)

// bookmarkable reports whether item gets automatic bookmarks: podcast
// episodes always, songs longer than songMinimum.
func bookmarkable(item Item, songMinimum time.Duration) bool {
	if item.ID == "" {
		return false
	}
	switch item.Type {
	case client.TypePodcastEpisode:
		return true
	case client.TypeSong:
		return item.Duration > songMinimum
	}
	return false
}

// finishedAt reports whether pos is at the end of an item of length d.
func finishedAt(pos, d time.Duration) bool {
	return d > 0 && pos >= d/100*finishedPercent
}

// endedNear is how close to its end an item's last reported position must
// be for a change of item to mean it played to its end (the player reports
// positions several times a second; a busy machine may miss the last few).
const endedNear = time.Second

// ranOut reports whether an item left at pos (of length d) played out.
func ranOut(pos, d time.Duration) bool {
	return finishedAt(pos, d) || d > 0 && pos >= d-endedNear
}

// bmKey names a bookmarked object.
type bmKey struct {
	typ client.ObjectType
	id  client.ID
}

func keyOf(item Item) bmKey { return bmKey{item.Type, item.ID} }

type bmActionKind int

const (
	bmSave    bmActionKind = iota // record pos in the journal; push: then push
	bmFinish                      // played to its end: delete the bookmark
	bmPush                        // push what is pending
	bmResolve                     // find where to resume item and seek there
)

// bmAction is work the tracker asks the worker for.
type bmAction struct {
	kind     bmActionKind
	scope    string
	item     Item
	pos, dur time.Duration
	at       time.Time
	push     bool
	seq      int // bmResolve: the tracked start it belongs to
}

// bmTracker follows the player's current item. Not safe for concurrent
// use: the bookmarks type guards it.
type bmTracker struct {
	// epoch grows with every PlayItems: resumes looked up for an earlier
	// one are void.
	epoch int
	seq   int
	plan  *bmPlan
	cur   *bmTracked
}

// bmPlan is a start PlayItems is about to make: the next track change to
// its item takes it over.
type bmPlan struct {
	key       bmKey
	seq       int
	resolving bool          // the resume position is being looked up
	resumeAt  time.Duration // where it resumed (0: from the start)
}

// bmTracked is the current bookmarkable item.
type bmTracked struct {
	item  Item
	scope string
	key   bmKey
	index int
	seq   int
	// resolved: the resume position was looked up (or not needed);
	// positions are saved only from then on, so that the first seconds
	// of a start from 0 never replace a bookmark.
	resolved bool
	stopped  bool // the player stopped: a new start looks the position up again
	finished bool

	havePos  bool
	lastPos  time.Duration
	dur      time.Duration // from the decoder; item.Duration until known
	saved    bool
	savedPos time.Duration
	lastSave time.Time
	lastPush time.Time
}

func (c *bmTracked) duration() time.Duration {
	if c.dur > 0 {
		return c.dur
	}
	return c.item.Duration
}

// planStart is called by PlayItems before it loads item: resolving when
// the resume position is to be looked up (then isCurrent(epoch, seq)
// tells the lookup whether its answer still applies).
func (t *bmTracker) planStart(item Item, eligible, resolving bool) (epoch, seq int) {
	t.epoch++
	t.plan = nil
	if eligible {
		t.seq++
		t.plan = &bmPlan{key: keyOf(item), seq: t.seq, resolving: resolving}
	}
	return t.epoch, t.seq
}

// isCurrent reports whether the start (epoch, seq) is still the current
// or planned one.
func (t *bmTracker) isCurrent(epoch, seq int) bool {
	if t.epoch != epoch {
		return false
	}
	if t.plan != nil {
		return t.plan.seq == seq
	}
	return t.cur != nil && t.cur.seq == seq
}

// resolved records where the start seq resumed (0: from the start); the
// first save comes localSaveEvery after now.
func (t *bmTracker) resolved(seq int, at time.Duration, now time.Time) {
	if p := t.plan; p != nil && p.seq == seq {
		p.resolving, p.resumeAt = false, at
		return
	}
	if c := t.cur; c != nil && c.seq == seq {
		c.resolved, c.lastSave = true, now
		if at > 0 {
			c.lastPos, c.havePos = at, true
			c.saved, c.savedPos = true, at
		}
	}
}

// track: the player's current item changed (index -1: none). eligible
// says whether the item gets bookmarks (with scope, the account).
func (t *bmTracker) track(index int, item Item, scope string, eligible bool, now time.Time) []bmAction {
	key := keyOf(item)
	if c := t.cur; c != nil && eligible && c.key == key && c.scope == scope && !c.finished && !c.stopped {
		c.index = index // the same start again (Load, then Play; shuffle may move it)
		return nil
	}
	var acts []bmAction
	if c := t.cur; c != nil {
		switch {
		case !c.stopped && c.resolved && !c.finished && c.havePos && ranOut(c.lastPos, c.duration()):
			// It played to its end and the player went on to the next item.
			c.finished = true
			acts = []bmAction{{kind: bmFinish, scope: c.scope, item: c.item, pos: c.lastPos, dur: c.duration(), at: now}}
		case !c.stopped: // (a stop saved it)
			acts = t.save(now, true)
		}
		t.cur = nil
	}
	if !eligible {
		return acts
	}
	c := &bmTracked{item: item, scope: scope, key: key, index: index, lastSave: now, lastPush: now}
	if p := t.plan; p != nil && p.key == key {
		t.plan = nil
		c.seq = p.seq
		c.resolved = !p.resolving
		if p.resumeAt > 0 {
			c.lastPos, c.havePos = p.resumeAt, true
			c.saved, c.savedPos = true, p.resumeAt
		}
	} else {
		// (A plan for another item stays: this change was queued before
		// PlayItems loaded its items.)
		t.seq++
		c.seq = t.seq
		acts = append(acts, bmAction{kind: bmResolve, scope: scope, item: item, seq: c.seq})
	}
	t.cur = c
	return acts
}

// position: the player is at pos of the current item (dur: its length
// when known).
func (t *bmTracker) position(pos, dur time.Duration, now time.Time) []bmAction {
	c := t.cur
	if c == nil {
		return nil
	}
	if dur > 0 {
		c.dur = dur
	}
	step := pos - c.lastPos
	jumped := c.havePos && (step < -time.Second || step > seekJump)
	c.lastPos, c.havePos = pos, true
	c.stopped = false
	if !c.resolved {
		return nil
	}
	if finishedAt(pos, c.duration()) {
		if c.finished {
			return nil
		}
		c.finished = true
		return []bmAction{{kind: bmFinish, scope: c.scope, item: c.item, pos: pos, dur: c.duration(), at: now}}
	}
	if c.finished { // sought back from the end: a bookmark again
		c.finished, c.saved = false, false
		jumped = true
	}
	if jumped || now.Sub(c.lastSave) >= localSaveEvery {
		return t.save(now, now.Sub(c.lastPush) >= serverPushEvery)
	}
	return nil
}

// state: the player's state changed. Pause and stop save and push.
func (t *bmTracker) state(st audio.State, now time.Time) []bmAction {
	c := t.cur
	if c == nil {
		return nil
	}
	switch st {
	case audio.Paused:
		return t.save(now, true)
	case audio.Stopped:
		acts := t.save(now, true)
		c.stopped = true
		return acts
	}
	return nil
}

// ended: the queue played to its end, so the current item did too.
func (t *bmTracker) ended(now time.Time) []bmAction {
	c := t.cur
	if c == nil || !c.resolved || c.finished {
		return nil
	}
	c.finished = true
	pos := c.lastPos
	if d := c.duration(); d > 0 {
		pos = d
	}
	return []bmAction{{kind: bmFinish, scope: c.scope, item: c.item, pos: pos, dur: c.duration(), at: now}}
}

// flush saves and pushes the position of the player's status (at quit).
func (t *bmTracker) flush(st audio.Status, now time.Time) []bmAction {
	c := t.cur
	if c == nil {
		return nil
	}
	if st.Index == c.index && (st.State == audio.Playing || st.State == audio.Paused) {
		it, _ := st.Track.Data.(Item)
		if keyOf(it) == c.key && c.resolved && !c.finished && !finishedAt(st.Position, c.duration()) {
			c.lastPos, c.havePos = st.Position, true
		}
	}
	acts := t.save(now, true)
	if len(acts) == 0 {
		acts = []bmAction{{kind: bmPush}}
	}
	return acts
}

// startOver: the current item goes back to its start, and so does its
// bookmark. A resume still being looked up is void.
func (t *bmTracker) startOver(now time.Time) ([]bmAction, bool) {
	c := t.cur
	if c == nil {
		return nil, false
	}
	t.seq++
	c.seq = t.seq
	c.resolved, c.finished, c.saved = true, false, false
	c.lastPos, c.havePos = 0, true
	return t.save(now, true), true
}

// save saves the current position (and asks for a push with push). A
// position that did not move since the last save is not saved again,
// but the push is still asked for.
func (t *bmTracker) save(now time.Time, push bool) []bmAction {
	c := t.cur
	if c == nil || !c.resolved || c.finished || !c.havePos {
		return nil
	}
	if push {
		c.lastPush = now
	}
	// A push saves any move (the server gets the freshest position); the
	// 5 s saves skip moves under minSaveStep. A position that did not move
	// is never saved again: that would only make it look newer.
	if moved := (c.lastPos - c.savedPos).Abs(); c.saved && (moved == 0 || !push && moved < minSaveStep) {
		if push {
			return []bmAction{{kind: bmPush}}
		}
		return nil
	}
	c.saved, c.savedPos, c.lastSave = true, c.lastPos, now
	return []bmAction{{kind: bmSave, scope: c.scope, item: c.item, pos: c.lastPos, dur: c.duration(), at: now, push: push}}
}
