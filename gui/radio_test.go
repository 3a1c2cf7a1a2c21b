package gui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// TestRadioPlaysAStationWithItsTitle plays a station from the radio page:
// the endless stream plays, the bar and the page show the title the
// station announces (ICY), and Stop stops it.
func TestRadioPlaysAStationWithItsTitle(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	page := h.navigate(Route{Page: PageRadio}).(*radioPage)
	var row *entityRow
	var station client.LiveStream
	h.waitFor("the stations", func() bool {
		for _, r := range find[*entityRow](page.list) {
			if r.id == 0 && len(page.stations) > 0 {
				row, station = r, page.stations[0]
				return true
			}
		}
		return false
	})
	h.ui(func() {
		if !strings.Contains(textOf(page.count), "station") || row.name.Text != station.Name {
			t.Fatalf("count %q, first row %q", textOf(page.count), row.name.Text)
		}
		test.Tap(row)
	})
	id, err := strconv.Atoi(string(station.ID))
	if err != nil {
		t.Fatalf("station id %q", station.ID)
	}
	isTitle := func(s string) bool {
		for n := range 8 {
			if s == ampachetest.RadioTitle(id, n) {
				return true
			}
		}
		return false
	}
	h.waitFor("the station's title in the bar and on the page", func() bool {
		b := h.shell.bar
		return isTitle(b.title.Text) && b.artist.Text() == station.Name && b.total.Text == "Live" &&
			page.nowCard.Visible() && isTitle(textOf(page.nowTitle)) && page.nowName.Text == station.Name
	})
	h.waitFor("3 s of the stream", func() bool {
		st := h.core.Player().Status()
		return st.State == audio.Playing && st.Position >= 3_000_000_000
	})
	h.ui(func() {
		if h.shell.bar.seek.Visible() {
			t.Error("the bar offers to seek in a live stream")
		}
		if !strings.HasPrefix(textOf(row.sub), "Playing") {
			t.Errorf("the station's line %q does not say it plays", textOf(row.sub))
		}
		test.Tap(page.stopBtn)
	})
	h.waitFor("the stream stopped", func() bool {
		return h.core.Player().Status().State == audio.Stopped && !page.nowCard.Visible()
	})
}

func TestStationLine(t *testing.T) {
	t.Parallel()
	ls := client.LiveStream{Name: "R", URL: "http://stream.example.org:8000/live.mp3", Codec: "mp3", SiteURL: "https://www.radio.example/"}
	if got := stationLine(ls, false, audio.Stopped); got != "MP3 · radio.example" {
		t.Errorf("%q", got)
	}
	if got := stationLine(ls, true, audio.Paused); got != "Paused · MP3 · radio.example" {
		t.Errorf("%q", got)
	}
	if got := stationLine(client.LiveStream{URL: "http://stream.example.org:8000/x"}, true, audio.Playing); got != "Playing · stream.example.org" {
		t.Errorf("%q", got)
	}
	if got := stationLine(client.LiveStream{}, false, audio.Stopped); got != "Live radio" {
		t.Errorf("%q", got)
	}
}
