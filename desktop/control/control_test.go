package control

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want Request
		err  string
	}{
		{"play-pause", Request{Command: CmdPlayPause}, ""},
		{"  NEXT \r", Request{Command: CmdNext}, ""},
		{"prev", Request{Command: CmdPrev}, ""},
		{"stop", Request{Command: CmdStop}, ""},
		{"status", Request{Command: CmdStatus}, ""},
		{"raise", Request{Command: CmdRaise}, ""},
		{"volume 40", Request{Command: CmdVolume, Volume: Volume{Percent: 40}}, ""},
		{"volume 100%", Request{Command: CmdVolume, Volume: Volume{Percent: 100}}, ""},
		{"volume +5", Request{Command: CmdVolume, Volume: Volume{Percent: 5, Relative: true}}, ""},
		{"volume -10", Request{Command: CmdVolume, Volume: Volume{Percent: -10, Relative: true}}, ""},
		{"play album 12", Request{Command: CmdPlay, Type: "album", ID: "12"}, ""},
		{"play Song 7", Request{Command: CmdPlay, Type: "song", ID: "7"}, ""},
		{"play", Request{Command: CmdPlay}, ""},
		{"play album", Request{}, "play takes no argument, or TYPE ID"},
		{"play podcast 3", Request{}, `cannot play a "podcast"`},
		{"play album " + strings.Repeat("9", 65), Request{}, "is not an id"},
		{"play album 1\x00", Request{}, "is not an id"},
		{"", Request{}, "empty line"},
		{"dance", Request{}, `unknown command "dance"`},
		{"next 3", Request{}, "next takes no argument"},
		{"volume", Request{}, "volume needs one argument"},
		{"volume 1 2", Request{}, "volume needs one argument"},
		{"volume 101", Request{}, "out of range"},
		{"volume -1x", Request{}, "not a number"},
		{"volume +", Request{}, "not a number"},
		{"volume +200", Request{}, "out of range"},
		{"volume \xff", Request{}, "not a number"},
	}
	for _, tc := range tests {
		got, err := ParseRequest(tc.line)
		if tc.err != "" {
			if err == nil || !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseRequest(%q) = %+v, %v; want an ErrBadRequest with %q", tc.line, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseRequest(%q) = %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
		// The request's line parses back to itself.
		if back, err := ParseRequest(got.String()); err != nil || back != got {
			t.Errorf("ParseRequest(%q.String() = %q) = %+v, %v", tc.line, got.String(), back, err)
		}
	}
}

func TestVolumeApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v        Volume
		cur, out float64
	}{
		{Volume{Percent: 30}, 0.9, 0.3},
		{Volume{Percent: 10, Relative: true}, 0.5, 0.6},
		{Volume{Percent: -20, Relative: true}, 0.1, 0},
		{Volume{Percent: 50, Relative: true}, 0.8, 1},
	}
	for _, tc := range tests {
		if got := tc.v.Apply(tc.cur); got < tc.out-1e-9 || got > tc.out+1e-9 {
			t.Errorf("%+v.Apply(%v) = %v, want %v", tc.v, tc.cur, got, tc.out)
		}
	}
}

// runtimeDir points XDG_RUNTIME_DIR at a fresh folder (short, for the
// socket path limit).
func runtimeDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Setenv("XDG_RUNTIME_DIR", dir)
	return dir
}

// serve claims the instance for configDir and serves h until the test ends.
func serve(t *testing.T, configDir string, h Handler) *Instance {
	t.Helper()
	in, err := Claim(configDir)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Serve(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		in.Close()
	})
	return in
}

func TestRoundTripAndModes(t *testing.T) {
	rt := runtimeDir(t)
	cfg := t.TempDir()
	var mu sync.Mutex
	var got []Request
	in := serve(t, cfg, func(ctx context.Context, req Request) Response {
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		switch req.Command {
		case CmdStatus:
			return Response{OK: true, Status: &Status{State: "playing", Title: "Tone", Index: 2, QueueLength: 8, Volume: 80, Repeat: "off"}}
		case CmdStop:
			return Failure(errors.New("nothing is playing"))
		}
		return Response{OK: true}
	})

	path, err := SocketPath(cfg)
	if err != nil || path != in.SocketPath() {
		t.Fatalf("SocketPath = %q, %v; the instance listens on %q", path, err, in.SocketPath())
	}
	if filepath.Dir(path) != filepath.Join(rt, "ampdesk") {
		t.Fatalf("socket %s is not in $XDG_RUNTIME_DIR/ampdesk", path)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %s: %v, %v; want a socket with mode 0600", path, fi.Mode(), err)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("socket folder mode %v, %v; want 0700", di.Mode(), err)
	}

	ctx := context.Background()
	resp, err := Send(ctx, cfg, Request{Command: CmdStatus})
	if err != nil || !resp.OK || resp.Status == nil || resp.Status.Title != "Tone" || resp.Status.Index != 2 || resp.Status.QueueLength != 8 {
		t.Fatalf("status: %+v %+v, %v", resp, resp.Status, err)
	}
	if _, err := Send(ctx, cfg, Request{Command: CmdVolume, Volume: Volume{Percent: -5, Relative: true}}); err != nil {
		t.Fatalf("volume: %v", err)
	}
	_, err = Send(ctx, cfg, Request{Command: CmdStop})
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Message != "nothing is playing" {
		t.Fatalf("a refused command: %v, want CommandError %q", err, "nothing is playing")
	}
	mu.Lock()
	defer mu.Unlock()
	want := []Request{{Command: CmdStatus}, {Command: CmdVolume, Volume: Volume{Percent: -5, Relative: true}}, {Command: CmdStop}}
	if len(got) != len(want) {
		t.Fatalf("handler saw %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("handler saw %+v, want %+v", got, want)
		}
	}
}

func TestBadInputOnTheWire(t *testing.T) {
	runtimeDir(t)
	cfg := t.TempDir()
	calls := 0
	var mu sync.Mutex
	in := serve(t, cfg, func(context.Context, Request) Response {
		mu.Lock()
		calls++
		mu.Unlock()
		return Response{OK: true}
	})
	raw := func(payload string) string {
		t.Helper()
		c, err := net.Dial("unix", in.SocketPath())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write([]byte(payload)); err != nil {
			t.Fatal(err)
		}
		c.(*net.UnixConn).CloseWrite()
		b := make([]byte, 4096)
		n, _ := c.Read(b)
		return string(b[:n])
	}
	tests := []struct{ payload, want string }{
		{"dance\n", `"ok":false,"error":"bad control command: unknown command \"dance\"`},
		{"volume 300\n", `out of range`},
		{strings.Repeat("x", 3000) + "\n", `longer than 1024 bytes`},
		{"\x00\x01\x02\n", `unknown command`},
		{"ping", `{"ok":true}`}, // no newline: the end of the stream ends the line
		{"", ``},                // nothing sent: closed without an answer
	}
	for _, tc := range tests {
		got := raw(tc.payload)
		if !strings.Contains(got, tc.want) || (tc.want == "" && got != "") {
			t.Errorf("payload %.20q answered %q, want %q", tc.payload, got, tc.want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 {
		t.Errorf("the handler ran %d times, want once (only the valid ping)", calls)
	}
}

func TestSingleInstance(t *testing.T) {
	runtimeDir(t)
	cfg := t.TempDir()
	first, err := Claim(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if second, err := Claim(cfg); !errors.Is(err, ErrAlreadyRunning) {
		if second != nil {
			second.Close()
		}
		t.Fatalf("second Claim: %v, want ErrAlreadyRunning", err)
	}
	// Another config folder is another instance.
	other, err := Claim(t.TempDir())
	if err != nil {
		t.Fatalf("Claim of another config folder: %v", err)
	}
	other.Close()

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(first.SocketPath()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket still there after Close: %v", err)
	}
	if _, err := Send(context.Background(), cfg, Request{Command: CmdPing}); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send with no instance: %v, want ErrNotRunning", err)
	}
	if ErrNotRunning.Error() != "Ampdesk is not running" {
		t.Fatalf("ErrNotRunning reads %q", ErrNotRunning)
	}
	again, err := Claim(cfg)
	if err != nil {
		t.Fatalf("Claim after the first closed: %v", err)
	}
	again.Close()
}

func TestStaleSocketIsReplaced(t *testing.T) {
	runtimeDir(t)
	cfg := t.TempDir()
	path, err := SocketPath(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	// A process that died left its socket behind.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket not left: %v", err)
	}
	if _, err := Send(context.Background(), cfg, Request{Command: CmdPing}); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send to a stale socket: %v, want ErrNotRunning", err)
	}
	serve(t, cfg, func(context.Context, Request) Response { return Response{OK: true} })
	if _, err := Send(context.Background(), cfg, Request{Command: CmdPing}); err != nil {
		t.Fatalf("ping after the stale socket was replaced: %v", err)
	}
}

func TestFallbackFolderWithoutRuntimeDir(t *testing.T) {
	tmp, err := os.MkdirTemp("", "tmp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", tmp)
	cfg := t.TempDir()
	path, err := SocketPath(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if filepath.Dir(dir) != tmp || !strings.HasPrefix(filepath.Base(dir), "ampdesk-") {
		t.Fatalf("fallback socket %s is not in a private folder under %s", path, tmp)
	}
	// A folder left with loose permissions is tightened.
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	serve(t, cfg, func(context.Context, Request) Response { return Response{OK: true} })
	di, err := os.Stat(dir)
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v, %v; want 0700", di.Mode(), err)
	}
	if _, err := Send(context.Background(), cfg, Request{Command: CmdPing}); err != nil {
		t.Fatal(err)
	}
	// A file where the folder should be is refused, not followed.
	cfg2 := t.TempDir()
	t.Setenv("TMPDIR", t.TempDir())
	p2, _ := SocketPath(cfg2)
	if err := os.WriteFile(filepath.Dir(p2), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if in, err := Claim(cfg2); err == nil {
		in.Close()
		t.Fatal("Claim used a file as its folder")
	}
}

func TestServeStopsWithContext(t *testing.T) {
	runtimeDir(t)
	cfg := t.TempDir()
	in, err := Claim(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// A client that connects and never writes does not keep Serve running.
	go func() { done <- in.Serve(ctx, func(context.Context, Request) Response { return Response{OK: true} }) }()
	c, err := net.Dial("unix", in.SocketPath())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}
