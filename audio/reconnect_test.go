package audio

import (
	"fmt"
	"testing"
	"time"
)

// A stream whose connection is cut three times in one track plays to its
// end with its full length: each cut is resumed with Range from the byte
// reached, so the audio equals that of an uncut stream sample for sample.
func TestStreamCutThreeTimesPlaysFullLength(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"flac", "mp3", "ogg", "wav"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			tr := memoryTrack(t, "tone1k", format)
			want := decodeAt(t, tr, 44100)
			data := tr.Source.(Memory).Data
			cs := &clipServer{data: data, ranges: true, cutAfter: len(data)/4 - 7}
			cs.cuts.Store(3)
			srv := cs.start(t)
			tr.Source = HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry}
			p := newTestPlayer(t, 44100, Options{})
			p.Load([]Track{tr}, 0)
			p.Play()
			p.ev.waitFor(t, 0, "Ended", isEnded)
			sameFrames(t, p.out.Samples(), want)
			if n := cs.requests.Load(); n < 4 {
				t.Errorf("%d requests; the stream was not cut three times", n)
			}
			for _, e := range p.ev.events() {
				if f, ok := e.ev.(Failed); ok {
					t.Errorf("Failed event: %v", f.Err)
				}
			}
		})
	}
}

// A transcoded stream (no Range) cut mid-way is reopened through the
// offset URL at the second reached, and decoded up to the exact sample:
// the audio still equals the original PCM sample for sample.
func TestTranscodedCutReopensAtOffset(t *testing.T) {
	t.Parallel()
	tune := clipNamed(t, "tune")
	tr := memoryTrack(t, "tune", "wav")
	data := tr.Source.(Memory).Data
	cs := &clipServer{data: data, chunked: true, cutAfter: len(data) / 2, offsetWAV: &tune}
	cs.cuts.Store(2) // the first response, and the first reopened one
	srv := cs.start(t)
	tr.Source = HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry,
		OffsetURL: func(d time.Duration) string { return fmt.Sprintf("%s/?offset=%d", srv.URL, int(d/time.Second)) }}
	p := newTestPlayer(t, 44100, Options{})
	p.Load([]Track{tr}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Ended", isEnded)
	sameFrames(t, p.out.Samples(), reference(tune))
	cs.mu.Lock()
	offsets := append([]int(nil), cs.offsets...)
	cs.mu.Unlock()
	// Each response is cut after the same number of bytes, just short of
	// 10 s of audio (the WAV header takes 44): reopened at 9 s, then at
	// 9 s plus just short of 10 s.
	bps := tune.SampleRate * tune.Channels * 2
	first := (len(data)/2 - 44) / bps
	second := first + (len(data)/2-44)/bps
	if len(offsets) != 2 || offsets[0] != first || offsets[1] != second {
		t.Errorf("reopened at offsets %v, want [%d %d]", offsets, first, second)
	}
}

// Without an offset URL a cut stream without Range is reopened from the
// start and decoded up to where it was.
func TestCutWithoutRangeOrOffsetReopensFromStart(t *testing.T) {
	t.Parallel()
	tr := memoryTrack(t, "tone440", "mp3")
	want := decodeAt(t, tr, 44100)
	data := tr.Source.(Memory).Data
	cs := &clipServer{data: data, chunked: true, cutAfter: len(data) * 2 / 3}
	cs.cuts.Store(1)
	srv := cs.start(t)
	tr.Source = HTTP{Client: srv.Client(), URL: srv.URL, Backoff: fastRetry}
	p := newTestPlayer(t, 44100, Options{})
	p.Load([]Track{tr}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Ended", isEnded)
	sameFrames(t, p.out.Samples(), want)
	if got := cs.ranges_(); len(got) != 2 {
		t.Errorf("requests with Range %q, want 2 requests", got)
	}
}

// A track whose server is gone fails with a *TrackError event and the
// player goes on with the next track; when every track fails it stops.
func TestFailingTracksAreSkipped(t *testing.T) {
	t.Parallel()
	good := memoryTrack(t, "tone1k", "flac")
	bad := Track{ID: "missing", Title: "Missing", Source: HTTP{URL: "http://127.0.0.1:1/nothing", MaxAttempts: 2, Backoff: fastRetry}}
	unsupported := Track{ID: "opus", Source: Memory{Data: []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead\x01\x02")}}

	p := newTestPlayer(t, 44100, Options{})
	p.Load([]Track{bad, good, unsupported}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Ended", isEnded)
	sameFrames(t, p.out.Samples(), reference(clipNamed(t, "tone1k")))
	var failed []string
	for _, e := range p.ev.events() {
		if f, ok := e.ev.(Failed); ok {
			var te *TrackError
			if !asTrackError(f.Err, &te) {
				t.Errorf("Failed.Err %T is not a *TrackError", f.Err)
				continue
			}
			failed = append(failed, te.Track.ID)
		}
	}
	if !equalStrings(failed, []string{"missing", "opus"}) {
		t.Errorf("failed tracks %v, want [missing opus]", failed)
	}

	// All failing, with repeat on: it must stop, not loop.
	p2 := newTestPlayer(t, 44100, Options{})
	p2.Load([]Track{unsupported, unsupported}, 0)
	p2.SetRepeat(RepeatAll)
	p2.Play()
	p2.ev.waitFor(t, 0, "Ended", isEnded)
	if st := p2.Status(); st.State != Stopped {
		t.Errorf("state %v after every track failed, want stopped", st.State)
	}
}

// A server that stops sending in the middle of a track does not keep the
// player from stopping or closing.
func TestStalledServerDoesNotBlockClose(t *testing.T) {
	t.Parallel()
	data := encoded(t, clipNamed(t, "tune"), "flac")
	cs := &clipServer{data: data, ranges: true, stallAfter: 100000}
	cs.stalls.Store(1)
	srv := cs.start(t)
	tr := Track{ID: "stalls", Source: HTTP{Client: srv.Client(), URL: srv.URL, IdleTimeout: time.Hour}}
	p := newTestPlayer(t, 44100, Options{})
	p.Load([]Track{tr}, 0)
	p.Play()
	p.ev.waitFor(t, 0, "Playing", isState(Playing))
	time.Sleep(100 * time.Millisecond) // the decoder drains the bytes and waits
	p.Stop()
	p.ev.waitFor(t, 0, "Stopped", isState(Stopped))
	p.Play()
	time.Sleep(100 * time.Millisecond)
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Close hung on a stalled stream")
	}
}
