package audio

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

func lastTrackChange(p *testPlayer) TrackChanged {
	var last TrackChanged
	for _, e := range p.ev.events() {
		if tc, ok := e.ev.(TrackChanged); ok {
			last = tc
		}
	}
	return last
}

// Next, Previous (restarting a track played more than 3 s), PlayIndex and
// Next on the last track, on a real-time output in fake time.
func TestNextPrevious(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		a, tune, c := memoryTrack(t, "tone1k", "flac"), memoryTrack(t, "tune", "flac"), memoryTrack(t, "tone440", "flac")
		p := newTestPlayer(t, 44100, Options{}, audiotest.Realtime())
		p.Load([]Track{a, tune, c}, 0)
		p.PlayIndex(1)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if st := p.Status(); st.Index != 1 || st.Position < 4900*time.Millisecond || st.Position > 5100*time.Millisecond {
			t.Fatalf("after 5 s: track %d at %v", st.Index, st.Position)
		}
		p.Previous() // 5 s in: restart
		synctest.Wait()
		if st := p.Status(); st.Index != 1 || st.Position > 50*time.Millisecond {
			t.Errorf("Previous 5 s into a track: index %d at %v, want the same track from the start", st.Index, st.Position)
		}
		time.Sleep(time.Second)
		p.Previous() // 1 s in: the previous track
		synctest.Wait()
		if st := p.Status(); st.Index != 0 || lastTrackChange(p).Track.ID != a.ID {
			t.Errorf("Previous 1 s into a track: index %d, want 0", st.Index)
		}
		p.Previous() // first track, repeat off: restart it
		synctest.Wait()
		if st := p.Status(); st.Index != 0 || st.State != Playing {
			t.Errorf("Previous on the first track: track %d %v", st.Index, st.State)
		}
		p.Next()
		p.Next()
		synctest.Wait()
		if st := p.Status(); st.Index != 2 || lastTrackChange(p).Track.ID != c.ID {
			t.Errorf("after two Next: index %d", st.Index)
		}
		n := len(p.ev.events())
		p.Next() // on the last track
		p.ev.waitFor(t, n, "Ended", isEnded)
		synctest.Wait()
		if st := p.Status(); st.State != Stopped || st.Index != 0 {
			t.Errorf("Next on the last track: track %d %v, want stopped at the first track", st.Index, st.State)
		}
		// Seek while stopped sets where Play starts.
		p.Seek(2 * time.Second)
		p.PlayIndex(1)
		synctest.Wait()
		p.Stop()
		p.Seek(7 * time.Second)
		p.Play()
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if st := p.Status(); st.Index != 1 || st.Position < 7*time.Second || st.Position > 7200*time.Millisecond {
			t.Errorf("Play after Seek while stopped: track %d at %v, want 1 at 7 s", st.Index, st.Position)
		}
	})
}

// Repeat-one loops the track gaplessly; repeat-all loops the queue.
func TestRepeatModesPlayGapless(t *testing.T) {
	t.Parallel()
	a, b := memoryTrack(t, "tone1k", "wav"), memoryTrack(t, "tone440", "wav")
	ra, rb := reference(clipNamed(t, "tone1k")), reference(clipNamed(t, "tone440"))
	tests := []struct {
		repeat Repeat
		want   [][][2]float64
	}{
		{RepeatOne, [][][2]float64{ra, ra, ra}},
		{RepeatAll, [][][2]float64{ra, rb, ra, rb}},
	}
	for _, tt := range tests {
		t.Run(tt.repeat.String(), func(t *testing.T) {
			t.Parallel()
			p := newTestPlayer(t, 44100, Options{})
			p.Load([]Track{a, b}, 0)
			p.SetRepeat(tt.repeat)
			p.Play()
			var want [][2]float64
			for _, w := range tt.want {
				want = append(want, w...)
			}
			if err := p.out.WaitFor(t.Context(), func(s audiotest.Stats) bool { return s.Frames >= len(want) }); err != nil {
				t.Fatal(err)
			}
			p.Stop()
			sameFrames(t, p.out.Samples()[:len(want)], want)
		})
	}
}

// Shuffling keeps the playing track current and playing; unshuffling
// restores the order.
func TestPlayerShuffleKeepsCurrent(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var tracks []Track
		for _, n := range []string{"tone1k", "tone440", "tone1k-48k"} {
			for _, f := range []string{"flac", "wav"} {
				tracks = append(tracks, memoryTrack(t, n, f))
			}
		}
		p := newTestPlayer(t, 44100, Options{ShuffleSeed: 3}, audiotest.Realtime())
		p.Load(tracks, 2)
		p.Play()
		time.Sleep(time.Second)
		p.SetShuffle(true)
		synctest.Wait()
		st := p.Status()
		if !st.Shuffle || st.Index != 0 || st.Track.ID != tracks[2].ID || st.State != Playing || st.Position < 900*time.Millisecond {
			t.Errorf("after shuffling: %+v", st)
		}
		q, _ := p.Queue()
		if len(q) != len(tracks) {
			t.Fatalf("queue of %d after shuffling", len(q))
		}
		p.SetShuffle(false)
		synctest.Wait()
		q, i := p.Queue()
		for j := range q {
			if q[j].ID != tracks[j].ID {
				t.Errorf("unshuffled queue[%d] = %s, want %s", j, q[j].ID, tracks[j].ID)
			}
		}
		if i != 2 {
			t.Errorf("index after unshuffling %d, want 2", i)
		}
		var sawQueue bool
		for _, e := range p.ev.events() {
			if qc, ok := e.ev.(QueueChanged); ok && qc.Shuffle {
				sawQueue = true
			}
		}
		if !sawQueue {
			t.Error("no QueueChanged with Shuffle")
		}
	})
}

// Queue edits while playing: PlayNow plays at once, PlayNext goes next
// (replacing the preloaded track), removing the playing track plays the
// next one.
func TestPlayerQueueEdits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		a, b, c, d := memoryTrack(t, "tone1k", "flac"), memoryTrack(t, "tone440", "flac"), memoryTrack(t, "tone1k", "wav"), memoryTrack(t, "tone440", "wav")
		p := newTestPlayer(t, 44100, Options{}, audiotest.Realtime())
		p.Load([]Track{a, b}, 0)
		p.Play()
		time.Sleep(500 * time.Millisecond) // b is preloaded by now (3 s tracks)
		p.PlayNext(c)
		synctest.Wait()
		n := len(p.ev.events())
		p.ev.waitFor(t, n, "TrackChanged c", isTrack(c.ID)) // c, not the preloaded b, follows a
		p.PlayNow(d)
		synctest.Wait()
		if st := p.Status(); st.Track.ID != d.ID || st.Index != 2 {
			t.Errorf("PlayNow: %+v", st)
		}
		p.Remove(2) // d, playing
		synctest.Wait()
		if st := p.Status(); st.Track.ID != b.ID || st.State != Playing {
			t.Errorf("after removing the playing track: %s %v, want b playing", st.Track.ID, st.State)
		}
		p.Move(0, 2) // a to the end: [c b a]
		p.Append(d)
		synctest.Wait()
		q, i := p.Queue()
		if ids := []string{q[0].ID, q[1].ID, q[2].ID, q[3].ID}; !equalStrings(ids, []string{c.ID, b.ID, a.ID, d.ID}) || i != 1 {
			t.Errorf("queue %v at %d", ids, i)
		}
		p.Clear()
		synctest.Wait()
		if st := p.Status(); st.State != Stopped || st.QueueLen != 0 || st.Index != -1 {
			t.Errorf("after Clear: %+v", st)
		}
	})
}

// A crossfade overlaps the end of a track with the start of the next:
// the output is shorter by the crossfade, untouched before and after it.
func TestCrossfade(t *testing.T) {
	t.Parallel()
	a, b := memoryTrack(t, "tone1k", "wav"), memoryTrack(t, "tone440", "wav")
	ra, rb := reference(clipNamed(t, "tone1k")), reference(clipNamed(t, "tone440"))
	p := newTestPlayer(t, 44100, Options{Crossfade: time.Second})
	p.Load([]Track{a, b}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Ended", isEnded)
	got := p.out.Samples()
	fade := 44100
	if want := len(ra) + len(rb) - fade; len(got) != want {
		t.Fatalf("%d frames, want %d (6 s minus a 1 s crossfade)", len(got), want)
	}
	start := len(ra) - fade
	sameFrames(t, got[:start], ra[:start])
	sameFrames(t, got[len(ra):], rb[fade:])
	// In the middle of the fade both tones sound at about -3 dB each.
	mid := got[start+fade/2-2205 : start+fade/2+2205]
	want := 0.5 / 1.4142 * 1.0 // RMS of two half-power tones at amplitude 0.5
	if r := audiotest.RMS(mid); r < want*0.85 || r > want*1.15 {
		t.Errorf("RMS mid-fade %.3f, want about %.3f", r, want)
	}
}

// Commands from a dragged slider merge: the player applies the last one.
func TestCommandsMerge(t *testing.T) {
	t.Parallel()
	p := &Player{cmdWake: make(chan struct{}, 1)}
	for i := range 200 {
		p.SetVolume(float64(i) / 200)
	}
	p.Play()
	for i := range 50 {
		p.Seek(time.Duration(i) * time.Second)
	}
	p.SetVolume(0.25)
	cmds := p.takeCommands()
	if len(cmds) != 3 {
		t.Fatalf("%d commands queued, want 3 (volume, play, seek)", len(cmds))
	}
	if cmds[0].kind != (volumeCmd{}) || cmds[1].kind != nil || cmds[2].kind != (seekCmd{}) {
		t.Errorf("commands in the wrong order: %+v", cmds)
	}
	pl := &Player{seq: newSequencer(44100, func() {})}
	cmds[0].run(pl)
	if pl.volume != 0.25 {
		t.Errorf("merged volume applied %v, want the last one, 0.25", pl.volume)
	}
}

// A consumer that does not read never blocks the player: events wait in a
// bounded queue, positions merging, and the order holds.
func TestEventPumpSlowConsumer(t *testing.T) {
	t.Parallel()
	e := newEventPump()
	e.emit(StateChanged{State: Playing})
	for i := range 5000 {
		e.emit(PositionChanged{Position: time.Duration(i)})
	}
	e.emit(TrackChanged{Index: 1})
	e.emit(PositionChanged{Position: 1})
	e.emit(PositionChanged{Position: 2})
	for range 2000 {
		e.emit(StateChanged{State: Paused})
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.run(ctx); close(done) }()
	var got []Event
	timeout := time.After(10 * time.Second)
	for len(got) < maxPendingEvents {
		select {
		case ev := <-e.out:
			got = append(got, ev)
		case <-timeout:
			t.Fatalf("received %d events", len(got))
		}
	}
	want := []Event{StateChanged{State: Playing}, PositionChanged{Position: 4999}, TrackChanged{Index: 1}, PositionChanged{Position: 2}, StateChanged{State: Paused}}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("event %d = %#v, want %#v", i, got[i], w)
		}
	}
	e.emit(Ended{})
	var tail []Event
	for len(tail) < 2 {
		tail = append(tail, <-e.out)
	}
	if d, ok := tail[0].(EventsDropped); !ok || d.Count != 2000-(maxPendingEvents-4) {
		t.Errorf("after the backlog: %#v, want EventsDropped{%d}", tail[0], 2000-(maxPendingEvents-4))
	}
	if _, ok := tail[1].(Ended); !ok {
		t.Errorf("last event %#v, want Ended", tail[1])
	}
	cancel()
	<-done
	if _, open := <-e.out; open {
		t.Error("events channel not closed")
	}
}

// Every method from many goroutines at once, while playing: no race, no
// deadlock, and Close returns.
func TestPlayerConcurrentUse(t *testing.T) {
	t.Parallel()
	tracks := []Track{memoryTrack(t, "tone1k", "flac"), memoryTrack(t, "tone440", "mp3"), memoryTrack(t, "tone1k-48k", "ogg")}
	p := newTestPlayer(t, 44100, Options{Crossfade: 500 * time.Millisecond})
	p.Load(tracks, 0)
	p.Play()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 150 {
				switch r.IntN(16) {
				case 0:
					p.Play()
				case 1:
					p.Pause()
				case 2:
					p.Seek(time.Duration(r.IntN(3000)) * time.Millisecond)
				case 3:
					p.Next()
				case 4:
					p.Previous()
				case 5:
					p.SetVolume(r.Float64())
				case 6:
					p.SetShuffle(r.IntN(2) == 0)
				case 7:
					p.SetRepeat(Repeat(r.IntN(3)))
				case 8:
					p.Append(tracks[r.IntN(3)])
				case 9:
					p.Remove(r.IntN(5))
				case 10:
					p.Move(r.IntN(5), r.IntN(5))
				case 11:
					p.PlayNext(tracks[r.IntN(3)])
				case 12:
					_ = p.Status()
				case 13:
					p.SetCrossfade(time.Duration(r.IntN(3)) * time.Second)
				case 14:
					p.SetReplayGain(ReplayGain{Mode: ReplayGainMode(r.IntN(3))})
				case 15:
					p.PlayIndex(r.IntN(4))
				}
				if r.IntN(10) == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	p.Stop()
	p.ev.waitFor(t, 0, "Stopped", isState(Stopped))
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close hung")
	}
}

// A Seek made while stopped belongs to the queue it was made on: Load
// forgets it, so the new queue starts from its start.
func TestLoadForgetsAPendingSeek(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		a, b := memoryTrack(t, "tone1k", "flac"), memoryTrack(t, "tone440", "flac")
		p := newTestPlayer(t, 44100, Options{}, audiotest.Realtime())
		p.Load([]Track{a}, 0)
		p.Seek(2 * time.Second) // stopped: where the next Play would start
		synctest.Wait()
		p.Load([]Track{b}, 0)
		p.Play()
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if st := p.Status(); st.Track.ID != b.ID || st.Position > 200*time.Millisecond {
			t.Errorf("after Load and Play: %s at %v, want %s from its start", st.Track.ID, st.Position, b.ID)
		}
	})
}
