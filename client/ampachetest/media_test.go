package ampachetest

import (
	"bytes"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/internal/testaudio"
	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/flac"
	"github.com/gopxl/beep/v2/mp3"
	"github.com/gopxl/beep/v2/vorbis"
	"github.com/gopxl/beep/v2/wav"
)

// seekCloser lets the decoders seek, so they can read lengths.
type seekCloser struct{ *bytes.Reader }

func (seekCloser) Close() error { return nil }

// decodeAudio decodes a whole body and returns its length and peak. Under
// the race detector it decodes 4 s and takes the length the decoder reads
// from the stream's headers.
func decodeAudio(t *testing.T, format string, data []byte) (time.Duration, float64) {
	t.Helper()
	var s beep.StreamSeekCloser
	var f beep.Format
	var err error
	switch format {
	case "mp3":
		s, f, err = mp3.Decode(seekCloser{bytes.NewReader(data)})
	case "flac":
		s, f, err = flac.Decode(bytes.NewReader(data))
	case "ogg":
		s, f, err = vorbis.Decode(seekCloser{bytes.NewReader(data)})
	case "wav":
		s, f, err = wav.Decode(bytes.NewReader(data))
	}
	if err != nil {
		t.Fatalf("decoding %s: %v", format, err)
	}
	defer s.Close()
	buf := make([][2]float64, 4096)
	n := 0
	peak := 0.0
	for !raceBuild || n < f.SampleRate.N(4*time.Second) {
		k, ok := s.Stream(buf)
		for _, x := range buf[:k] {
			peak = max(peak, x[0], -x[0])
		}
		n += k
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("decoding %s: %v", format, err)
	}
	if raceBuild {
		return f.SampleRate.D(s.Len()), peak
	}
	return f.SampleRate.D(n), peak
}

func (ts *testSession) streamURL(kv ...string) string {
	p := url.Values{"auth": {ts.token}}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return apiURL(ts.s, "stream", p)
}

func TestFixedTestTracks(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{Library: Library{Artists: 1, AlbumsPerArtist: 1, SongsPerAlbum: 1}})
	ts := login(t, s, s.User, "")
	for i, tc := range []struct{ format, mime, clip string }{
		{"mp3", "audio/mpeg", "tone1k"}, {"flac", "audio/flac", "tone1k"}, {"ogg", "audio/ogg", "tone1k"}, {"wav", "audio/wav", "tone1k"},
		{"mp3", "audio/mpeg", "tone440"}, {"flac", "audio/flac", "tone440"}, {"ogg", "audio/ogg", "tone440"}, {"wav", "audio/wav", "tone440"},
	} {
		id := strconv.Itoa(i + 1)
		m := ts.obj("song", "filter", id)
		clip, _ := testaudio.ByName(tc.clip)
		want, _ := clip.Encoded(tc.format)
		if m["format"] != tc.format || m["mime"] != tc.mime || m["time"].(float64) != 3 || m["size"].(float64) != float64(len(want)) {
			t.Errorf("song %s: format %v mime %v time %v size %v", id, m["format"], m["mime"], m["time"], m["size"])
		}
		resp, body := rawGet(t, ts.hc, str(m["url"]))
		if resp.StatusCode != 200 || !bytes.Equal(body, want) || resp.Header.Get("Content-Type") != tc.mime ||
			resp.Header.Get("Accept-Ranges") != "bytes" || resp.ContentLength != int64(len(want)) {
			t.Errorf("song %s url: HTTP %d, %s, %d bytes (want the %d-byte clip)", id, resp.StatusCode,
				resp.Header.Get("Content-Type"), len(body), len(want))
		}
		d, peak := decodeAudio(t, tc.format, body)
		if d < 2900*time.Millisecond || d > 3100*time.Millisecond || peak < 0.45 || peak > 0.6 {
			t.Errorf("song %s decodes to %v, peak %.2f", id, d, peak)
		}
	}
}

func TestRangeRequests(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	clip, _ := testaudio.ByName("tone1k")
	want, _ := clip.Encoded("flac")
	req, _ := http.NewRequest("GET", ts.streamURL("type", "song", "id", "2", "format", "raw"), nil)
	req.Header.Set("Range", "bytes=1000-1999")
	resp, err := ts.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[1000:2000]) ||
		resp.Header.Get("Content-Range") != "bytes 1000-1999/"+strconv.Itoa(len(want)) {
		t.Errorf("range: HTTP %d, %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), len(body))
	}
	req.Header.Set("Range", "bytes=99999999-")
	resp, err = ts.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: HTTP %d, want 416", resp.StatusCode)
	}
	// A long episode: a range in the middle of a synthesized hour.
	ep := s.Episodes(1)[0]
	req, _ = http.NewRequest("GET", ts.streamURL("type", "podcast_episode", "id", strconv.Itoa(ep.ID)), nil)
	at := int64(testaudio.WAVHeaderSize) + int64(10*60*11025*2)
	req.Header.Set("Range", "bytes="+strconv.FormatInt(at, 10)+"-"+strconv.FormatInt(at+7, 10))
	resp, err = ts.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	c := episodeClip()
	var wantBytes []byte
	for i := range 4 {
		v := uint16(c.Sample(10*60*11025 + i))
		wantBytes = append(wantBytes, byte(v), byte(v>>8))
	}
	if resp.StatusCode != 206 || !bytes.Equal(body, wantBytes) {
		t.Errorf("episode range at 10:00: HTTP %d % x, want % x", resp.StatusCode, body, wantBytes)
	}
	if resp.Header.Get("Content-Range") != "bytes "+strconv.FormatInt(at, 10)+"-"+strconv.FormatInt(at+7, 10)+"/"+strconv.FormatInt(ep.Size, 10) {
		t.Errorf("episode Content-Range %q, size %d", resp.Header.Get("Content-Range"), ep.Size)
	}
}

func TestTranscodingWithOffset(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	// A FLAC song, asked for in other formats and from offsets.
	flacSong, err := s.AddSong(NewSong{AlbumID: 2, Title: "Twenty-Four Seconds", Format: "flac", Duration: 24 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format string
		offset int
	}{{"mp3", 8}, {"ogg", 8}, {"flac", 10}, {"wav", 12}, {"mp3", 0}, {"ogg", 0}} {
		resp, body := rawGet(t, ts.hc, ts.streamURL("type", "song", "id", strconv.Itoa(flacSong.ID),
			"format", tc.format, "offset", strconv.Itoa(tc.offset), "bitrate", "128000"))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != mimeOf(tc.format) || resp.Header.Get("Accept-Ranges") == "bytes" {
			t.Fatalf("%s: HTTP %d %s ranges %q", tc.format, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Accept-Ranges"))
		}
		got, _ := decodeAudio(t, tc.format, body)
		want := flacSong.Duration - time.Duration(tc.offset)*time.Second
		if d := got - want; d < -100*time.Millisecond || d > 100*time.Millisecond {
			t.Errorf("%s from %ds: decodes to %v, want %v", tc.format, tc.offset, got, want)
		}
	}
}

func TestStreamCutAndExpiredSession(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	s.CutStreams(5000, 1)
	resp, err := ts.hc.Get(ts.streamURL("type", "song", "id", "1"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(body) != 5000 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut stream: %d bytes, err %v; want 5000 bytes and an unexpected EOF", len(body), err)
	}
	// The next stream is whole again.
	_, body = rawGet(t, ts.hc, ts.streamURL("type", "song", "id", "1"))
	if so, _ := s.Song(1); int64(len(body)) != so.Size {
		t.Errorf("after the cut: %d bytes, want %d", len(body), so.Size)
	}
	if s.Requests("stream") != 2 || s.Requests("play") != 2 {
		t.Errorf("requests: stream %d, play %d", s.Requests("stream"), s.Requests("play"))
	}
	u := str(ts.obj("song", "filter", "3")["url"])
	s.ExpireSessions()
	if resp, _ := rawGet(t, s.Client(), u); resp.StatusCode != http.StatusForbidden {
		t.Errorf("play URL with an expired session: HTTP %d, want 403", resp.StatusCode)
	}
}

func TestDownloadAndArt(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ts := login(t, s, s.User, "")
	p := url.Values{"auth": {ts.token}, "type": {"song"}, "id": {"4"}}
	resp, body := rawGet(t, ts.hc, apiURL(s, "download", p))
	if so, _ := s.Song(4); resp.StatusCode != 200 || int64(len(body)) != so.Size || resp.Header.Get("Content-Disposition") == "" {
		t.Errorf("download: HTTP %d, %d bytes, disposition %q", resp.StatusCode, len(body), resp.Header.Get("Content-Disposition"))
	}
	resp, _ = rawGet(t, ts.hc, apiURL(s, "download", url.Values{"auth": {ts.token}, "type": {"song"}, "id": {"999999"}}))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("download of a missing song: HTTP %d", resp.StatusCode)
	}
	var firstArt []byte
	for _, id := range []string{"2", "3"} {
		resp, body = rawGet(t, ts.hc, apiURL(s, "get_art", url.Values{"auth": {ts.token}, "type": {"album"}, "id": {id}, "size": {"120x80"}}))
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("get_art: %v %s", err, resp.Header.Get("Content-Type"))
		}
		if b := img.Bounds(); b.Dx() != 120 || b.Dy() != 80 {
			t.Errorf("get_art size %v, want 120x80", b)
		}
		if firstArt == nil {
			firstArt = body
		} else if bytes.Equal(firstArt, body) {
			t.Error("two albums have the same art")
		}
	}
	m := ts.obj("album", "filter", "2")
	if resp, _ := rawGet(t, s.Client(), str(m["art"])); resp.StatusCode != 200 {
		t.Errorf("album art URL: HTTP %d", resp.StatusCode)
	}
}
