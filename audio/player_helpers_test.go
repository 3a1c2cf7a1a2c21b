package audio

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// testPlayer is a Player on an in-memory output, with its events recorded.
type testPlayer struct {
	*Player
	out *audiotest.Output
	ev  *eventLog
}

func newTestPlayer(t testing.TB, rate beep.SampleRate, opts Options, outOpts ...audiotest.Option) *testPlayer {
	t.Helper()
	if opts.Reconnect == (fastRetry) || opts.Reconnect.Initial == 0 {
		opts.Reconnect = fastRetry
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	out := audiotest.NewOutput(rate, outOpts...)
	p := NewPlayer(out, opts)
	tp := &testPlayer{Player: p, out: out, ev: recordEvents(p)}
	t.Cleanup(func() {
		p.Close()
		out.Close()
		<-tp.ev.done
	})
	return tp
}

// eventLog records a Player's events.
type eventLog struct {
	mu      sync.Mutex
	all     []timedEvent
	changed chan struct{}
	done    chan struct{}
}

type timedEvent struct {
	at time.Time
	ev Event
}

func recordEvents(p *Player) *eventLog {
	l := &eventLog{changed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for ev := range p.Events() {
			l.mu.Lock()
			l.all = append(l.all, timedEvent{time.Now(), ev})
			close(l.changed)
			l.changed = make(chan struct{})
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *eventLog) events() []timedEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]timedEvent(nil), l.all...)
}

// waitFor waits for an event matching match at index from or later and
// returns its index. The deadline only keeps a broken test from hanging.
func (l *eventLog) waitFor(t testing.TB, from int, what string, match func(Event) bool) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		l.mu.Lock()
		for i := from; i < len(l.all); i++ {
			if match(l.all[i].ev) {
				l.mu.Unlock()
				return i
			}
		}
		ch := l.changed
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("no %s event; events: %s", what, l.describe())
		}
	}
}

func (l *eventLog) describe() string {
	var s string
	for _, e := range l.events() {
		if _, ok := e.ev.(PositionChanged); ok {
			continue
		}
		switch ev := e.ev.(type) {
		case TrackChanged:
			s += fmt.Sprintf("\n  TrackChanged{%d %s}", ev.Index, ev.Track.ID)
		default:
			s += fmt.Sprintf("\n  %T%+v", e.ev, e.ev)
		}
	}
	return s
}

func isState(s State) func(Event) bool {
	return func(ev Event) bool { e, ok := ev.(StateChanged); return ok && e.State == s }
}

func isEnded(ev Event) bool { _, ok := ev.(Ended); return ok }

func isTrack(id string) func(Event) bool {
	return func(ev Event) bool { e, ok := ev.(TrackChanged); return ok && e.Track.ID == id }
}

func isFailed(ev Event) bool { _, ok := ev.(Failed); return ok }
