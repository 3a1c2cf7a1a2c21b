package core

import (
	"sync"

	"github.com/ampdesk/ampdesk/storage"
)

// Event is something that happened in the core. The concrete types are
// listed below; faces switch on them.
type Event interface{ event() }

// Connected: a profile is now the live connection.
type Connected struct {
	Profile storage.Profile
	Server  ServerInfo
}

// Disconnected: the live connection was closed (logout or profile switch).
type Disconnected struct{ Profile string }

// Dropped: this many events were dropped because the subscriber fell behind.
type Dropped struct{ Count int }

func (Connected) event()    {}
func (Disconnected) event() {}
func (Dropped) event()      {}

// lowPriority events may be dropped first for a slow subscriber.
type lowPriority interface{ lowPriority() }

const subscriberBuffer = 512

// bus fans events out to subscribers without ever blocking the sender.
type bus struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	ch      chan Event
	dropped int
}

func (b *bus) subscribe() (<-chan Event, func()) {
	s := &subscriber{ch: make(chan Event, subscriberBuffer)}
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[*subscriber]struct{}{}
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
			close(s.ch)
		})
	}
}

func (b *bus) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, low := ev.(lowPriority)
	for s := range b.subs {
		if low && len(s.ch) > cap(s.ch)/2 {
			s.dropped++
			continue
		}
		if s.dropped > 0 && len(s.ch) < cap(s.ch)-1 {
			s.ch <- Dropped{Count: s.dropped}
			s.dropped = 0
		}
		select {
		case s.ch <- ev:
		default:
			s.dropped++
		}
	}
}
