package audio

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"github.com/ampdesk/ampdesk/internal/backoff"
)

// Options configure a Player. The zero value is ready to use.
type Options struct {
	ReplayGain ReplayGain
	// Crossfade between tracks, 0 to 12 s; 0 joins them gaplessly.
	Crossfade time.Duration
	// PreloadAhead is how long before the end of a track the next one is
	// opened and decoded. 0 means 10 s.
	PreloadAhead time.Duration
	// DecodeAhead is the decoded audio kept ready per track. 0 means 500 ms.
	DecodeAhead time.Duration
	// Reconnect spaces the reopening of a stream that lost its connection
	// and cannot resume by Range; the zero value is backoff.DefaultPolicy.
	Reconnect backoff.Policy
	// MaxReopens bounds those reopenings in a row without progress. 0
	// means 6.
	MaxReopens int
	// ShuffleSeed fixes the shuffle order (tests); 0 is random.
	ShuffleSeed uint64
	// Logger receives errors; nil means slog.Default().
	Logger *slog.Logger
}

const (
	positionInterval = 200 * time.Millisecond // 5 position events a second
	restartThreshold = 3 * time.Second        // Previous restarts a track played longer
	maxCrossfade     = 12 * time.Second
)

// Player plays a queue of tracks through an Output. Every method is safe to
// call from any goroutine and returns at once: commands run in order on
// the Player's goroutine, a newer seek or volume replacing one still
// waiting. What happens is reported on Events.
type Player struct {
	out  Output
	rate beep.SampleRate
	opts Options
	log  *slog.Logger
	seq  *sequencer
	ev   *eventPump

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the loop and the event pump

	cmdMu   sync.Mutex
	cmds    []command
	cmdWake chan struct{}
	wake    chan struct{}

	statusMu sync.Mutex
	status   Status
	statusTS *trackStream
	tracks   []Track

	closeOnce sync.Once

	// Owned by the loop goroutine.
	queue      *Queue
	playing    bool // the listener wants sound (not paused, not stopped)
	state      State
	cur, next  *trackStream
	streams    []*trackStream // open streams, for errors and cleanup
	reported   map[*trackStream]bool
	marks      []mark
	audible    *trackStream
	startAt    time.Duration
	volume     float64
	muted      bool
	failures   int
	outStarted bool
	ticking    bool
	queueDirty bool // Queue's snapshot needs refreshing
	titleOf    *trackStream
	title      string // the last title heard of titleOf
}

// Status is a snapshot of the Player.
type Status struct {
	State      State
	Index      int // current track in the queue, -1 if none
	Track      Track
	Position   time.Duration
	Duration   time.Duration
	Volume     float64 // slider position, 0 to 1
	Muted      bool
	Repeat     Repeat
	Shuffle    bool
	Crossfade  time.Duration
	ReplayGain ReplayGain
	QueueLen   int
	// StreamTitle is the title the current live stream announced last
	// (ICY), "" when none.
	StreamTitle string
}

// NewPlayer returns a Player playing through out. Close it when done.
func NewPlayer(out Output, opts Options) *Player {
	if opts.PreloadAhead <= 0 {
		opts.PreloadAhead = 10 * time.Second
	}
	if opts.DecodeAhead <= 0 {
		opts.DecodeAhead = 500 * time.Millisecond
	}
	if opts.MaxReopens <= 0 {
		opts.MaxReopens = 6
	}
	opts.Crossfade = min(max(opts.Crossfade, 0), maxCrossfade)
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Player{
		out: out, rate: out.SampleRate(), opts: opts, log: log, ev: newEventPump(),
		ctx: ctx, cancel: cancel, cmdWake: make(chan struct{}, 1), wake: make(chan struct{}, 1),
		queue: NewQueue(opts.ShuffleSeed), reported: map[*trackStream]bool{}, volume: 1,
	}
	p.seq = newSequencer(p.rate, p.poke)
	p.seq.setCrossfade(p.rate.N(opts.Crossfade))
	p.publish()
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		p.ev.run(ctx)
	}()
	go func() {
		defer p.wg.Done()
		p.loop()
	}()
	return p
}

// Events returns the event stream. There is one stream per Player; it is
// closed by Close.
func (p *Player) Events() <-chan Event { return p.ev.out }

// Close stops playback, waits for the Player's goroutines and closes the
// event stream. It does not close the Output.
func (p *Player) Close() error {
	p.closeOnce.Do(func() {
		p.cancel()
		p.wg.Wait()
	})
	return nil
}

// Status returns the current state; Position is measured now.
func (p *Player) Status() Status {
	p.statusMu.Lock()
	s, ts := p.status, p.statusTS
	p.statusMu.Unlock()
	if ts != nil {
		s.Position = p.audiblePosition(ts)
	}
	return s
}

// Queue returns the tracks in play order and the current index.
func (p *Player) Queue() ([]Track, int) {
	p.statusMu.Lock()
	defer p.statusMu.Unlock()
	return slices.Clone(p.tracks), p.status.Index
}

// Load replaces the queue with tracks, tracks[index] current, and stops.
// A position Seek left for the previous queue is forgotten: the next Play
// starts the new track from its start (or where a later Seek puts it).
func (p *Player) Load(tracks []Track, index int) {
	tracks = slices.Clone(tracks)
	p.send(func(p *Player) {
		p.stop()
		p.startAt = 0
		p.queue.Set(tracks, index)
		p.queueChanged()
		p.emitTrack()
	})
}

// Play plays the current track (from the start, or from where Seek put
// it while stopped), or resumes after Pause.
func (p *Player) Play() { p.send((*Player).play) }

// Pause pauses; Play resumes.
func (p *Player) Pause() { p.send((*Player).pause) }

// PlayPause toggles between playing and paused.
func (p *Player) PlayPause() {
	p.send(func(p *Player) {
		if p.playing {
			p.pause()
		} else {
			p.play()
		}
	})
}

// Stop stops and forgets the position; the queue stays.
func (p *Player) Stop() {
	p.send(func(p *Player) {
		p.stop()
		p.startAt = 0
	})
}

type seekCmd struct{}

// Seek moves to pos in the current track. While stopped, the next Play
// starts there.
func (p *Player) Seek(pos time.Duration) {
	p.sendMerged(seekCmd{}, func(p *Player) { p.seek(max(pos, 0)) })
}

// Next skips to the next track (leaving a repeat-one track).
func (p *Player) Next() {
	p.send(func(p *Player) {
		i, ok := p.queue.SkipIndex()
		if !ok {
			p.endOfQueue()
			return
		}
		p.goTo(i)
	})
}

// Previous restarts the track if more than 3 s of it played, else goes
// to the previous track.
func (p *Player) Previous() {
	p.send(func(p *Player) {
		if p.cur != nil && p.audiblePosition(p.cur) > restartThreshold {
			p.seek(0)
			return
		}
		i, ok := p.queue.PreviousIndex()
		if !ok {
			if p.cur != nil {
				p.seek(0)
			}
			return
		}
		p.goTo(i)
	})
}

// PlayIndex plays track i of the queue.
func (p *Player) PlayIndex(i int) {
	p.send(func(p *Player) {
		if _, ok := p.queue.At(i); ok {
			p.playing = true
			p.startTrack(i, 0)
		}
	})
}

type volumeCmd struct{}

// SetVolume sets the volume slider position, 0 to 1 (a cubic curve; see
// VolumeToAmplitude).
func (p *Player) SetVolume(v float64) {
	if math.IsNaN(v) {
		return
	}
	v = min(max(v, 0), 1)
	p.sendMerged(volumeCmd{}, func(p *Player) {
		p.volume = v
		p.applyVolume()
	})
}

// SetMuted mutes or unmutes.
func (p *Player) SetMuted(m bool) {
	p.send(func(p *Player) {
		p.muted = m
		p.applyVolume()
	})
}

// SetRepeat sets the repeat mode.
func (p *Player) SetRepeat(r Repeat) {
	p.send(func(p *Player) {
		p.queue.SetRepeat(r)
		p.queueChanged()
	})
}

// SetShuffle turns shuffle on or off; the current track stays current.
func (p *Player) SetShuffle(on bool) {
	p.send(func(p *Player) {
		p.queue.SetShuffle(on)
		p.queueChanged()
	})
}

// SetReplayGain changes the ReplayGain setting, for the playing tracks too.
func (p *Player) SetReplayGain(rg ReplayGain) {
	p.send(func(p *Player) {
		p.opts.ReplayGain = rg
		for _, ts := range p.streams {
			ts.setGain(rg.Factor(ts.entry.track.Gain))
		}
	})
}

// SetCrossfade sets the crossfade, 0 (gapless) to 12 s.
func (p *Player) SetCrossfade(d time.Duration) {
	d = min(max(d, 0), maxCrossfade)
	p.send(func(p *Player) {
		p.opts.Crossfade = d
		p.seq.setCrossfade(p.rate.N(d))
	})
}

// PlayNow inserts tracks after the current one and plays the first.
func (p *Player) PlayNow(tracks ...Track) {
	tracks = slices.Clone(tracks)
	p.send(func(p *Player) {
		if len(tracks) == 0 {
			return
		}
		p.queue.PlayNow(tracks...)
		p.queueChanged()
		p.playing = true
		p.startTrack(p.queue.Index(), 0)
	})
}

// PlayNext inserts tracks after the current one.
func (p *Player) PlayNext(tracks ...Track) {
	tracks = slices.Clone(tracks)
	p.send(func(p *Player) {
		hadCurrent := p.queue.Index() >= 0
		p.queue.PlayNext(tracks...)
		p.queueChanged()
		if !hadCurrent {
			p.emitTrack()
		}
	})
}

// Append adds tracks at the end of the queue.
func (p *Player) Append(tracks ...Track) {
	tracks = slices.Clone(tracks)
	p.send(func(p *Player) {
		hadCurrent := p.queue.Index() >= 0
		p.queue.Append(tracks...)
		p.queueChanged()
		if !hadCurrent {
			p.emitTrack()
		}
	})
}

// Remove removes track i. Removing the playing track plays the next one.
func (p *Player) Remove(i int) {
	p.send(func(p *Player) {
		wasCurrent := i == p.queue.Index()
		if !p.queue.Remove(i) {
			return
		}
		p.queueChanged()
		if !wasCurrent {
			return
		}
		if p.queue.Index() < 0 {
			p.stop()
			p.emitTrack()
			return
		}
		if p.cur != nil {
			p.startTrack(p.queue.Index(), 0)
		} else {
			p.emitTrack()
		}
	})
}

// Move moves track from to index to.
func (p *Player) Move(from, to int) {
	p.send(func(p *Player) {
		if p.queue.Move(from, to) {
			p.queueChanged()
		}
	})
}

// Clear empties the queue and stops.
func (p *Player) Clear() {
	p.send(func(p *Player) {
		p.stop()
		p.queue.Clear()
		p.queueChanged()
		p.emitTrack()
	})
}

// command is one request, run on the loop goroutine. kind, when not nil,
// makes a newer command of the same kind replace a waiting one.
type command struct {
	kind any
	run  func(*Player)
}

func (p *Player) send(run func(*Player)) { p.enqueue(command{run: run}) }

func (p *Player) sendMerged(kind any, run func(*Player)) { p.enqueue(command{kind: kind, run: run}) }

func (p *Player) enqueue(c command) {
	p.cmdMu.Lock()
	replaced := false
	if c.kind != nil {
		for i := range p.cmds {
			if p.cmds[i].kind == c.kind {
				p.cmds[i] = c
				replaced = true
				break
			}
		}
	}
	if !replaced {
		p.cmds = append(p.cmds, c)
	}
	p.cmdMu.Unlock()
	select {
	case p.cmdWake <- struct{}{}:
	default:
	}
}

func (p *Player) takeCommands() []command {
	p.cmdMu.Lock()
	defer p.cmdMu.Unlock()
	c := p.cmds
	p.cmds = nil
	return c
}

// poke wakes the loop; producers and the sequencer call it. Never blocks.
func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}
