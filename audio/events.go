package audio

import (
	"context"
	"sync"
	"time"
)

// State is what the Player is doing.
type State int

const (
	Stopped   State = iota // no track open
	Buffering              // wants to play; the track is opening, or seeking
	Playing
	Paused
)

func (s State) String() string {
	switch s {
	case Buffering:
		return "buffering"
	case Playing:
		return "playing"
	case Paused:
		return "paused"
	default:
		return "stopped"
	}
}

// Event is something that happened in the Player; see the package doc for
// the order and delivery guarantees. The concrete types are below.
type Event interface{ isEvent() }

// StateChanged: the Player's state changed.
type StateChanged struct{ State State }

// TrackChanged: the current track changed (when it becomes audible, for a
// gapless or crossfaded change). Index is its index in the queue, -1 (and a
// zero Track) when there is none.
type TrackChanged struct {
	Index int
	Track Track
}

// PositionChanged: the position in the current track, sent at least 4 times
// a second while playing, never while paused or stopped, and after a seek.
type PositionChanged struct {
	Index    int
	Position time.Duration
	Duration time.Duration // 0 when unknown
}

// QueueChanged: tracks were added, removed or moved, or the shuffle or
// repeat mode changed. Player.Queue returns the new queue.
type QueueChanged struct {
	Len     int
	Index   int
	Shuffle bool
	Repeat  Repeat
}

// Ended: the queue played to its end (or Next was pressed on its last
// track). The Player is stopped.
type Ended struct{}

// Failed: a track could not be played (Err is a *TrackError). The Player
// goes on with the next track, and stops after every track of the queue
// failed in a row.
type Failed struct {
	Index int
	Err   error
}

// StreamTitleChanged: a live stream announced a new title (ICY
// StreamTitle, e.g. "Artist - Title"), sent when the audio it belongs to
// is heard. "" means the stream announced an empty title. Each track
// starts with no title.
type StreamTitleChanged struct {
	Index int
	Title string
}

// EventsDropped: the consumer fell so far behind that Count events were
// dropped (position events are merged first, so these were others).
type EventsDropped struct{ Count int }

func (StateChanged) isEvent()       {}
func (TrackChanged) isEvent()       {}
func (PositionChanged) isEvent()    {}
func (QueueChanged) isEvent()       {}
func (Ended) isEvent()              {}
func (Failed) isEvent()             {}
func (StreamTitleChanged) isEvent() {}
func (EventsDropped) isEvent()      {}

// maxPendingEvents bounds the events held for a consumer that does not
// read.
const maxPendingEvents = 1024

// eventPump delivers events in order on a channel from its own goroutine,
// so the Player never waits for the consumer. Consecutive position events
// merge into the newest.
type eventPump struct {
	out    chan Event
	signal chan struct{}

	mu      sync.Mutex
	pending []Event
	dropped int
}

func newEventPump() *eventPump {
	return &eventPump{out: make(chan Event, 16), signal: make(chan struct{}, 1)}
}

// emit queues ev. It never blocks.
func (e *eventPump) emit(ev Event) {
	e.mu.Lock()
	_, isPos := ev.(PositionChanged)
	switch {
	case isPos && len(e.pending) > 0 && isPosition(e.pending[len(e.pending)-1]):
		e.pending[len(e.pending)-1] = ev
	case len(e.pending) >= maxPendingEvents:
		e.dropped++
	default:
		if e.dropped > 0 {
			e.pending = append(e.pending, EventsDropped{Count: e.dropped})
			e.dropped = 0
		}
		e.pending = append(e.pending, ev)
	}
	e.mu.Unlock()
	select {
	case e.signal <- struct{}{}:
	default:
	}
}

func isPosition(ev Event) bool {
	_, ok := ev.(PositionChanged)
	return ok
}

// run delivers events until ctx is done, then closes the channel.
func (e *eventPump) run(ctx context.Context) {
	defer close(e.out)
	for {
		e.mu.Lock()
		var ev Event
		if len(e.pending) > 0 {
			ev = e.pending[0]
			e.pending[0] = nil
			e.pending = e.pending[1:]
		}
		e.mu.Unlock()
		if ev == nil {
			select {
			case <-ctx.Done():
				return
			case <-e.signal:
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case e.out <- ev:
		}
	}
}
