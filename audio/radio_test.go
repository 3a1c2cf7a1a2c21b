package audio

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio/audiotest"
)

// radioServer is an endless MP3 broadcast: the tune's frames looped (no
// Info frame), with ICY metadata every metaint bytes of audio when asked
// for, the title changing every titleEvery bytes of audio of the
// connection. It sends as fast as the client reads. With cutAfter, each
// connection is dropped after that many bytes of audio.
type radioServer struct {
	frames     [][]byte
	metaint    int
	titleEvery int
	cutAfter   int

	requests atomic.Int32
	icyAsked atomic.Int32
}

func newRadioServer(t testing.TB, metaint, titleEvery int) *radioServer {
	t.Helper()
	data := encoded(t, clipNamed(t, "tune"), "mp3")
	at, h, _ := findMP3Frame(data)
	first := int64(at)
	if _, ok := parseXing(h, data[at:]); ok {
		first += int64(h.frameSize)
	}
	idx, err := indexMP3(bytes.NewReader(data), first, h.sampleRate)
	if err != nil {
		t.Fatal(err)
	}
	rs := &radioServer{metaint: metaint, titleEvery: titleEvery}
	for i, off := range idx {
		end := int64(len(data))
		if i+1 < len(idx) {
			end = idx[i+1]
		}
		rs.frames = append(rs.frames, data[off:end])
	}
	return rs
}

// radioTitle is the title of period n.
func radioTitle(n int) string { return fmt.Sprintf("Ampdesk FM - Song %d", n) }

func (rs *radioServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rs.requests.Add(1)
	icy := r.Header.Get("Icy-MetaData") == "1"
	if icy {
		rs.icyAsked.Add(1)
		w.Header().Set("icy-metaint", strconv.Itoa(rs.metaint))
	}
	if r.Header.Get("Range") != "" {
		http.Error(w, "a live stream has no ranges", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	w.WriteHeader(http.StatusOK)
	sent, untilMeta, last := 0, rs.metaint, ""
	for i := 0; ; i++ {
		buf := rs.frames[i%len(rs.frames)]
		for len(buf) > 0 {
			n := len(buf)
			if icy {
				n = min(n, untilMeta)
			}
			if rs.cutAfter > 0 && sent+n > rs.cutAfter {
				w.Write(buf[:rs.cutAfter-sent])
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			}
			if _, err := w.Write(buf[:n]); err != nil {
				return
			}
			buf, sent = buf[n:], sent+n
			if !icy {
				continue
			}
			if untilMeta -= n; untilMeta == 0 {
				untilMeta = rs.metaint
				block := []byte{0}
				if title := radioTitle(sent / rs.titleEvery); title != last {
					block, last = icyBlockOf("StreamTitle='"+title+"';StreamUrl='';"), title
				}
				if _, err := w.Write(block); err != nil {
					return
				}
			}
		}
	}
}

// The HTTP source asks for ICY metadata, removes it byte for byte and
// reports each title once the reader has reached it.
func TestHTTPICYMetadata(t *testing.T) {
	t.Parallel()
	rs := newRadioServer(t, 1000, 3000)
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	st, err := HTTP{Client: srv.Client(), URL: srv.URL, ICY: true, Live: true}.Open(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if info := st.Info(); !info.Live || info.Seekable || info.Size != -1 || info.ContentType != "audio/mpeg" {
		t.Errorf("info %+v", info)
	}
	var want []byte
	for i := 0; len(want) < 20000; i++ {
		want = append(want, rs.frames[i%len(rs.frames)]...)
	}
	titled := st.(titledStream)
	got := make([]byte, 0, 20000)
	var titles []titleAt
	var reportedAt []int
	for len(got) < 20000 {
		buf := make([]byte, min(700, 20000-len(got)))
		n, err := st.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
		for _, title := range titled.StreamTitles() {
			titles, reportedAt = append(titles, title), append(reportedAt, len(got))
		}
	}
	if !bytes.Equal(got, want[:20000]) {
		t.Fatal("the audio differs from the frames sent: metadata left in, or bytes lost")
	}
	// Titles at 1000 (period 0), 3000 (1), 6000 (2), ..., reported by the
	// first Read that reached them.
	if len(titles) < 6 {
		t.Fatalf("titles %v", titles)
	}
	for i, title := range titles {
		pos := max(1000, i*3000)
		if title.title != radioTitle(i) || title.pos != int64(pos) || reportedAt[i] < pos || reportedAt[i] >= pos+700 {
			t.Errorf("title %d %q at byte %d reported at %d, want %q at %d", i, title.title, title.pos, reportedAt[i], radioTitle(i), pos)
		}
	}
	if rs.icyAsked.Load() != 1 {
		t.Error("Icy-MetaData: 1 was not sent")
	}
}

// Without ICY the stream is asked for no metadata and passes the bytes as
// they come.
func TestHTTPWithoutICY(t *testing.T) {
	t.Parallel()
	rs := newRadioServer(t, 1000, 3000)
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	st, err := HTTP{Client: srv.Client(), URL: srv.URL, Live: true}.Open(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := make([]byte, 5000)
	if _, err := io.ReadFull(st, got); err != nil {
		t.Fatal(err)
	}
	if rs.icyAsked.Load() != 0 || !bytes.HasPrefix(got, rs.frames[0]) {
		t.Error("metadata asked for, or the bytes changed")
	}
}

// An endless ICY stream plays until stopped: each title is announced
// when the audio it belongs to is heard (not when it is read from the
// network, seconds ahead), the queue never ends, and Stop ends it cleanly.
func TestLiveStreamTitlesWhenHeard(t *testing.T) {
	t.Parallel()
	// 128 kbps: 16000 bytes a second; a block every 0.25 s of audio, a new
	// title every 0.5 s.
	rs := newRadioServer(t, 4000, 8000)
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	out := audiotest.NewOutput(44100, audiotest.Realtime())
	p := NewPlayer(out, Options{Reconnect: fastRetry, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() {
		p.Close()
		out.Close()
	})
	tr := Track{ID: "radio", Title: "Ampdesk FM", Source: HTTP{Client: srv.Client(), URL: srv.URL, ICY: true, Live: true}}
	p.Load([]Track{tr}, 0)
	p.Play()
	type heard struct {
		title string
		at    int // frames heard when it was announced
	}
	var got []heard
	var others []Event
	deadline := time.After(30 * time.Second)
	for len(got) < 5 {
		select {
		case ev := <-p.Events():
			if e, ok := ev.(StreamTitleChanged); ok {
				got = append(got, heard{e.Title, out.Len()})
				if e.Index != 0 {
					t.Errorf("title for index %d", e.Index)
				}
			} else {
				others = append(others, ev)
			}
		case <-deadline:
			t.Fatalf("titles so far %v", got)
		}
	}
	for i, h := range got {
		// Title i starts at byte max(4000, 8000 i): 1/16000 s a byte.
		want := 44100 * max(4000, 8000*i) / 16000
		// Never before its audio is heard (the decoder reads 2 KiB ahead:
		// 0.13 s); at most a position tick and an output chunk after.
		if h.title != radioTitle(i) || h.at < want-6000 || h.at > want+44100/2 {
			t.Errorf("title %d: %q announced at frame %d, want %q at %d", i, h.title, h.at, radioTitle(i), want)
		}
	}
	if st := p.Status(); st.StreamTitle != radioTitle(len(got)-1) || st.Duration != 0 || st.State != Playing {
		t.Errorf("status %+v", st)
	}
	p.Seek(time.Minute) // a broadcast cannot seek: ignored
	p.Stop()
	for stopped := false; !stopped; {
		select {
		case ev := <-p.Events():
			others = append(others, ev)
			if e, ok := ev.(StateChanged); ok && e.State == Stopped {
				stopped = true
			}
		case <-deadline:
			t.Fatal("Stop did not stop")
		}
	}
	for _, ev := range others {
		switch e := ev.(type) {
		case Ended, Failed:
			t.Errorf("event %T%+v from an endless stream", e, e)
		case PositionChanged:
			if e.Position > time.Duration(out.Len())*time.Second/44100+time.Second {
				t.Errorf("position %v after %d frames: the seek was not ignored", e.Position, out.Len())
			}
		}
	}
}

// A live stream whose connection is cut reconnects and plays on from the
// broadcast's "now": nothing skipped to catch up, no failure, titles
// again, its position still counting the time played.
func TestLiveStreamReconnects(t *testing.T) {
	t.Parallel()
	rs := newRadioServer(t, 2000, 4000) // a title every 0.25 s
	rs.cutAfter = 16000                 // 1 s of audio per connection
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	p := newTestPlayer(t, 44100, Options{}, audiotest.Realtime())
	tr := Track{ID: "radio", Source: HTTP{Client: srv.Client(), URL: srv.URL, ICY: true, Live: true, Backoff: fastRetry}}
	p.Load([]Track{tr}, 0)
	p.Play()
	if err := p.out.WaitFor(t.Context(), func(s audiotest.Stats) bool { return s.Frames > 44100*7/2 }); err != nil {
		t.Fatal(err)
	}
	pos := p.Status().Position
	p.Stop()
	p.ev.waitFor(t, 0, "Stopped", isState(Stopped))
	if n := rs.requests.Load(); n < 4 {
		t.Errorf("%d connections for 3.5 s of audio cut every second", n)
	}
	var titles []string
	for _, e := range p.ev.events() {
		switch ev := e.ev.(type) {
		case Failed, Ended:
			t.Errorf("event %T%+v", ev, ev)
		case StreamTitleChanged:
			titles = append(titles, ev.Title)
		}
	}
	// Each connection: Song 0 at 0.125 s, then 1, 2, 3, and 4 in the
	// block at its very end (the 16000th byte), then the next
	// connection's Song 0.
	if len(titles) < 10 || titles[0] != radioTitle(0) || titles[4] != radioTitle(4) || titles[5] != radioTitle(0) {
		t.Errorf("titles %q", titles)
	}
	if pos < 3*time.Second || pos > 4*time.Second {
		t.Errorf("position %v after 3.5 s played", pos)
	}
	// Every connection starts the tune again: after a reconnect the audio
	// is the tune from its start, not the tune skipped to the time reached.
	samples := p.out.Samples()
	tune := reference(clipNamed(t, "tune"))
	probe := samples[44100*2+4410 : 44100*2+4410+4096] // 2.1 s: the third connection
	if off := audiotest.Offset(tune, probe, 0, 44100*2); off > 44100 {
		t.Errorf("the third connection's audio is the tune at %v, want its first second", ms(off, 44100))
	}
}
