package ampachetest

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// readICY reads n metadata intervals of an ICY stream and returns the
// titles announced and the audio bytes.
func readICY(t *testing.T, r io.Reader, metaint, n int) (titles []string, audio []byte) {
	t.Helper()
	br := bufio.NewReader(r)
	for range n {
		chunk := make([]byte, metaint)
		if _, err := io.ReadFull(br, chunk); err != nil {
			t.Fatalf("reading audio: %v", err)
		}
		audio = append(audio, chunk...)
		l, err := br.ReadByte()
		if err != nil {
			t.Fatalf("reading a metadata length: %v", err)
		}
		if l == 0 {
			continue
		}
		meta := make([]byte, int(l)*16)
		if _, err := io.ReadFull(br, meta); err != nil {
			t.Fatalf("reading metadata: %v", err)
		}
		text := strings.TrimRight(string(meta), "\x00")
		title, ok := strings.CutPrefix(text, "StreamTitle='")
		if !ok || !strings.HasSuffix(title, "';") {
			t.Fatalf("metadata %q is not a StreamTitle", text)
		}
		titles = append(titles, strings.TrimSuffix(title, "';"))
	}
	return titles, audio
}

func TestRadioICYMetadata(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	s.SetRadioPacing(false)
	ts := login(t, s, s.User, "")
	_, streams := ts.items("live_streams", "live_stream")
	if len(streams) == 0 || streams[0]["codec"] != "mp3" {
		t.Fatalf("live_streams = %v", streams)
	}
	req, _ := http.NewRequest("GET", str(streams[0]["url"]), nil)
	req.Header.Set("Icy-MetaData", "1")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metaint, _ := strconv.Atoi(resp.Header.Get("icy-metaint"))
	if metaint != IcyMetaInt || resp.Header.Get("Content-Type") != "audio/mpeg" || resp.Header.Get("icy-name") == "" {
		t.Fatalf("headers: %v", resp.Header)
	}
	// 128 kbit/s is 16000 bytes a second: 10 intervals are 10 s of audio,
	// with a new title every 4 s.
	titles, audio := readICY(t, resp.Body, metaint, 10)
	want := []string{RadioTitle(1, 0), RadioTitle(1, 1), RadioTitle(1, 2)}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	// The audio between the metadata is a clean MP3 frame sequence.
	for pos := 0; pos+4 <= len(audio); {
		h, ok := parseMP3Header(audio[pos:])
		if !ok {
			t.Fatalf("no MP3 frame at byte %d of the audio", pos)
		}
		pos += h.size
	}
	// Without Icy-MetaData the stream is plain MP3.
	resp2, err := s.Client().Get(str(streams[0]["url"]))
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	plain := make([]byte, 3*IcyMetaInt)
	if _, err := io.ReadFull(resp2.Body, plain); err != nil {
		t.Fatal(err)
	}
	if resp2.Header.Get("icy-metaint") != "" {
		t.Error("icy-metaint sent without Icy-MetaData")
	}
	for pos := 0; pos+4 <= len(plain); {
		h, ok := parseMP3Header(plain[pos:])
		if !ok {
			t.Fatalf("plain stream: no MP3 frame at byte %d", pos)
		}
		pos += h.size
	}
}
