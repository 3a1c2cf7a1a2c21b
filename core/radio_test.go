package core_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/audio/audiotest"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
)

// The radio acceptance test: ampachetest serves an endless ICY MP3 stream
// (paced to real time after a burst); playback on the in-memory output,
// in real time, runs 3 s, shows the station's ICY title, and stops
// cleanly: no failure, no end, stopped on request.
func TestRadioPlaysWithICYTitle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ampachetest.Options{})
	e.login(t)
	ctx := context.Background()
	stations, err := e.core.LiveStreams(ctx)
	if err != nil || len(stations) == 0 {
		t.Fatalf("LiveStreams: %d stations, %v", len(stations), err)
	}
	station := stations[0]
	id, err := strconv.Atoi(string(station.ID))
	if err != nil {
		t.Fatalf("station id %q", station.ID)
	}
	events, unsubscribe := e.core.Subscribe()
	defer unsubscribe()
	if err := e.core.PlayItems([]core.Item{core.RadioItem(station)}, 0, false, 0); err != nil {
		t.Fatal(err)
	}

	var titles []core.StreamTitle
	stopAsked, stopped := false, false
	deadline := time.After(60 * time.Second)
	for !stopped {
		select {
		case ev := <-events:
			switch ev := ev.(type) {
			case core.StreamTitle:
				titles = append(titles, ev)
			case core.PlaybackFailed:
				t.Fatalf("playback failed: %v", ev.Err)
			case core.QueueEnded:
				t.Fatal("an endless stream ended")
			case core.PlayerState:
				stopped = ev.State == audio.Stopped && stopAsked
			}
		case <-deadline:
			t.Fatalf("3 s of radio did not play (titles %v)", titles)
		}
		if !stopAsked && len(titles) > 0 && e.out.Len() >= 3*44100 {
			e.core.Player().Stop()
			stopAsked = true
		}
	}
	first := titles[0]
	if want := ampachetest.RadioTitle(id, 0); first.Title != want {
		t.Errorf("title %q, want %q", first.Title, want)
	}
	if first.Index != 0 || first.Item.Type != client.TypeLiveStream || first.Item.ID != station.ID || first.Item.Title != station.Name {
		t.Errorf("title event for %+v at index %d", first.Item, first.Index)
	}
	samples := e.out.Samples()
	if len(samples) < 3*44100 {
		t.Fatalf("%d frames played", len(samples))
	}
	if rms := audiotest.RMS(samples[44100 : 3*44100]); rms < 0.01 {
		t.Errorf("RMS %.4f: the stream played silence", rms)
	}
	if st := e.core.Player().Status(); st.State != audio.Stopped {
		t.Errorf("state %v after Stop", st.State)
	}
}
