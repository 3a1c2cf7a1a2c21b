package audio

import (
	"context"
	"errors"
	"time"
)

// The Player's goroutine: commands, then a reconciliation of what the
// sequencer and the producers did since, then events.

func (p *Player) loop() {
	ticker := time.NewTicker(positionInterval)
	ticker.Stop()
	boundary := time.NewTimer(time.Hour)
	boundary.Stop()
	defer p.shutdown()
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-p.cmdWake:
			for _, c := range p.takeCommands() {
				c.run(p)
			}
		case <-p.wake:
		case <-boundary.C:
		case <-ticker.C:
			p.emitPosition()
		}
		wait := p.reconcile()
		if wait >= 0 {
			boundary.Reset(wait)
		}
		if want := p.state == Playing; want != p.ticking {
			p.ticking = want
			if want {
				ticker.Reset(positionInterval)
			} else {
				ticker.Stop()
			}
		}
		p.publish()
	}
}

func (p *Player) shutdown() {
	p.closeStreams()
	p.out.Pause()
}

// closeStreams closes every stream and waits for their producers.
func (p *Player) closeStreams() {
	p.seq.play(nil)
	for _, ts := range p.streams {
		ts.close()
	}
	for _, ts := range p.streams {
		<-ts.done
	}
	p.streams = nil
	p.cur, p.next, p.audible = nil, nil, nil
	clear(p.reported)
}

// newStream opens entry e at start (producer started at once).
func (p *Player) newStream(e entry, start time.Duration) *trackStream {
	ts := newTrackStream(p.ctx, e, p.rate, streamConfig{
		ringFrames: p.rate.N(p.opts.DecodeAhead),
		retry:      p.opts.Reconnect,
		attempts:   p.opts.MaxReopens,
		signal:     p.seq.signal,
		notify:     p.poke,
	}, start, p.opts.ReplayGain.Factor(e.track.Gain))
	p.streams = append(p.streams, ts)
	return ts
}

// startTrack makes queue index i current and opens it at start, playing if
// the listener wants sound.
func (p *Player) startTrack(i int, start time.Duration) {
	e, ok := p.queue.entryAt(i)
	if !ok {
		p.stop()
		return
	}
	p.queue.Jump(i)
	p.startAt = 0
	ts := p.newStream(e, start)
	p.cut(func() {
		for _, old := range p.seq.play(ts) {
			if old != nil {
				old.close()
			}
		}
	})
	p.cur, p.next, p.audible, p.marks = ts, nil, ts, nil
	p.emitTrack()
	p.setState(p.wantedState())
}

// goTo moves to track i: it starts it (playing or paused as before) when
// a track is open, and only selects it when stopped.
func (p *Player) goTo(i int) {
	if p.cur == nil {
		if p.queue.Jump(i) {
			p.startAt = 0
			p.emitTrack()
		}
		return
	}
	p.startTrack(i, 0)
}

// cut changes what the sequencer plays with the output stopped: no pull
// is in flight while change runs, and what was pulled before is dropped
// after, so the listener hears the new audio from its first frame.
func (p *Player) cut(change func()) {
	if p.outStarted {
		p.seq.signal() // end a wait for frames at once
		p.out.Pause()
	}
	change()
	if p.outStarted {
		p.out.Flush()
	}
	if p.playing {
		p.startOutput()
	}
}

func (p *Player) startOutput() {
	if !p.outStarted {
		p.out.Play(p.seq)
		p.outStarted = true
		return
	}
	p.out.Resume()
}

func (p *Player) play() {
	p.playing = true
	if p.cur == nil {
		i := p.queue.Index()
		if i < 0 {
			if p.queue.Len() == 0 {
				p.playing = false
				return
			}
			i = 0
		}
		start := p.startAt
		p.startAt = 0
		p.failures = 0
		p.startTrack(i, start)
		return
	}
	p.startOutput()
	p.setState(p.wantedState())
}

func (p *Player) pause() {
	if p.cur == nil {
		return
	}
	p.playing = false
	p.out.Pause()
	p.setState(Paused)
}

// stop closes the tracks; the queue and its index stay.
func (p *Player) stop() {
	p.playing = false
	if p.outStarted {
		p.out.Pause()
		p.out.Flush()
	}
	p.closeStreams()
	p.setState(Stopped)
}

func (p *Player) seek(pos time.Duration) {
	if p.cur == nil {
		p.startAt = pos
		return
	}
	if p.cur.isLive() {
		return // a broadcast plays at "now"
	}
	p.cut(func() {
		p.seq.stopFade()
		p.cur.seek(p.rate.N(pos))
	})
	p.audible, p.marks = p.cur, nil
	p.setState(p.wantedState())
	p.ev.emit(PositionChanged{Index: p.queue.Index(), Position: p.rate.D(p.cur.position()), Duration: p.duration(p.cur)})
}

// endOfQueue stops at the end of the queue, rewound to its first track.
func (p *Player) endOfQueue() {
	p.stop()
	p.startAt = 0
	if p.queue.Len() > 0 {
		p.queue.Jump(0)
	}
	p.ev.emit(Ended{})
	p.emitTrack()
}

func (p *Player) applyVolume() {
	amp := VolumeToAmplitude(p.volume)
	if p.muted {
		amp = 0
	}
	p.seq.setVolume(amp, p.state == Playing)
}

func (p *Player) wantedState() State {
	switch {
	case p.cur == nil:
		return Stopped
	case !p.playing:
		return Paused
	case !p.cur.ready():
		return Buffering
	}
	return Playing
}

func (p *Player) setState(s State) {
	if s != p.state {
		p.state = s
		p.ev.emit(StateChanged{State: s})
	}
}

func (p *Player) queueChanged() {
	p.queueDirty = true
	p.checkPreload()
	p.ev.emit(QueueChanged{Len: p.queue.Len(), Index: p.queue.Index(), Shuffle: p.queue.Shuffled(), Repeat: p.queue.Repeat()})
}

// checkPreload drops the preloaded track if the queue no longer has it
// next; reconcile preloads the right one.
func (p *Player) checkPreload() {
	if p.next == nil {
		return
	}
	i, ok := p.queue.NextIndex()
	if ok && p.queue.key(i) == p.next.entry.key {
		return
	}
	if old := p.seq.setNext(nil); old == p.next {
		p.next.close()
	}
	p.next = nil
}

func (p *Player) emitTrack() {
	t, _ := p.queue.Current()
	p.ev.emit(TrackChanged{Index: p.queue.Index(), Track: t})
}

func (p *Player) duration(ts *trackStream) time.Duration {
	if l := ts.lengthFrames(); l >= 0 {
		return p.rate.D(l)
	}
	return ts.entry.track.Duration
}

// audiblePosition is the position of what the listener hears in ts.
func (p *Player) audiblePosition(ts *trackStream) time.Duration {
	return p.rate.D(max(ts.position()-p.out.Buffered(), 0))
}

func (p *Player) emitPosition() {
	if p.cur == nil || p.audible != p.cur {
		return // a change of track not heard yet
	}
	p.ev.emit(PositionChanged{Index: p.queue.Index(), Position: p.audiblePosition(p.cur), Duration: p.duration(p.cur)})
}

// reconcile catches up with the sequencer and the producers: the track
// the sequencer moved to, tracks that failed, changes that became audible,
// the end of the queue, the next preload, the state. It returns how long
// until a pending change becomes audible, or -1.
func (p *Player) reconcile() time.Duration {
	st := p.seq.snapshot()
	p.marks = append(p.marks, st.marks...)

	// The sequencer joined the preloaded track: the queue follows.
	if st.cur != p.cur && st.cur != nil {
		if i := p.queue.indexOfKey(st.cur.entry.key); i >= 0 {
			p.queue.Jump(i)
		}
		if p.next == st.cur {
			p.next = nil
		}
		p.cur = st.cur
		p.failures = 0
	}

	// Failures, reported once per track, whether or not it is still open.
	for _, ts := range p.streams {
		err := ts.failure()
		if err == nil || p.reported[ts] || errors.Is(err, ErrClosed) || errors.Is(err, context.Canceled) {
			continue
		}
		p.reported[ts] = true
		p.log.Warn("audio: track failed", "track", ts.entry.track.ID, "err", err)
		p.ev.emit(Failed{Index: p.queue.indexOfKey(ts.entry.key), Err: &TrackError{Track: ts.entry.track, Err: err}})
	}
	p.pruneStreams()
	if p.cur != nil && p.cur.failure() == nil && p.cur.ready() {
		p.failures = 0
	}
	if p.cur != nil && p.next == nil && p.cur.drained() && p.cur.failure() != nil {
		// The current track failed and nothing was preloaded to follow it
		// (or it failed to open): go on with the next one, unless every
		// track failed in a row. (With a preload the sequencer goes on by
		// itself.)
		p.failures++
		i, ok := p.queue.SkipIndex()
		if !ok || p.failures >= p.queue.Len() {
			p.endOfQueue()
			return -1
		}
		p.startTrack(i, 0)
		st = p.seq.snapshot()
	}

	played := st.handed - int64(p.out.Buffered())
	wait := time.Duration(-1)
	// Track changes the listener now hears.
	for len(p.marks) > 0 {
		m := p.marks[0]
		if m.at > played {
			wait = p.rate.D(int(m.at - played))
			break
		}
		p.marks = p.marks[1:]
		if m.ts == p.cur {
			p.audible = m.ts
			p.ev.emit(TrackChanged{Index: p.queue.indexOfKey(m.ts.entry.key), Track: m.ts.entry.track})
		}
	}

	// The end of the queue, once heard.
	if st.endAt >= 0 && p.cur != nil && p.cur == st.cur && p.next == nil {
		if _, more := p.queue.NextIndex(); !more {
			if played >= st.endAt {
				p.endOfQueue()
				return -1
			}
			if w := p.rate.D(int(st.endAt - played)); wait < 0 || w < wait {
				wait = w
			}
		}
	}

	p.preload()
	p.heardTitles()
	if p.cur != nil {
		p.setState(p.wantedState())
	}
	return wait
}

// heardTitles announces the titles of the current live stream that the
// listener now hears.
func (p *Player) heardTitles() {
	if p.cur != p.titleOf {
		p.titleOf, p.title = p.cur, ""
	}
	if p.cur == nil || p.audible != p.cur {
		return
	}
	for _, title := range p.cur.heardTitles(p.cur.position() - p.out.Buffered()) {
		if title != p.title {
			p.title = title
			p.ev.emit(StreamTitleChanged{Index: p.queue.Index(), Title: title})
		}
	}
}

// preload opens the next track when the current one nears its end.
func (p *Player) preload() {
	if p.cur == nil {
		p.seq.setExpectNext(false)
		return
	}
	i, ok := p.queue.NextIndex()
	p.seq.setExpectNext(ok)
	if !ok || p.next != nil || !p.cur.ready() || p.cur.failure() != nil {
		return // a failed track is replaced in reconcile
	}
	ahead := p.rate.N(p.opts.PreloadAhead + p.opts.Crossfade)
	if rem := p.cur.remaining(); rem > ahead {
		return // rem < 0 (length unknown) preloads now
	}
	e, _ := p.queue.entryAt(i)
	p.next = p.newStream(e, 0)
	p.seq.setNext(p.next)
}

// pruneStreams forgets streams whose producer has exited after a close.
func (p *Player) pruneStreams() {
	kept := p.streams[:0]
	for _, ts := range p.streams {
		select {
		case <-ts.done:
			if ts.ctx.Err() != nil {
				delete(p.reported, ts)
				continue
			}
		default:
		}
		kept = append(kept, ts)
	}
	clear(p.streams[len(kept):])
	p.streams = kept
}

// publish updates the snapshot Status reads.
func (p *Player) publish() {
	t, _ := p.queue.Current()
	s := Status{
		State: p.state, Index: p.queue.Index(), Track: t,
		Volume: p.volume, Muted: p.muted, Repeat: p.queue.Repeat(), Shuffle: p.queue.Shuffled(),
		Crossfade: p.opts.Crossfade, ReplayGain: p.opts.ReplayGain, QueueLen: p.queue.Len(),
	}
	if p.titleOf == p.cur {
		s.StreamTitle = p.title
	}
	if p.cur != nil {
		s.Duration = p.duration(p.cur)
	} else {
		s.Duration = t.Duration
		s.Position = p.startAt
	}
	p.statusMu.Lock()
	p.status, p.statusTS = s, p.cur
	if p.queueDirty {
		p.tracks = p.queue.Tracks()
		p.queueDirty = false
	}
	p.statusMu.Unlock()
}
