package audio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ebitengine/oto/v3"

	"github.com/ampdesk/ampdesk/audio/internal/alsaquiet"
)

// listenUnix serves a unix socket at path until the test ends.
func listenUnix(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}

// staleSocket leaves a socket file whose server is gone.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The probe finds a sound server that answers on its socket, a playback
// card or a user's ALSA configuration, and nothing where there is none (a
// socket file left by a dead server is not a server).
func TestSoundProbe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, root, run string, env map[string]string)
		goos  string
		want  bool
	}{
		{"nothing", func(*testing.T, string, string, map[string]string) {}, "linux", false},
		{"pulse socket", func(t *testing.T, _, run string, _ map[string]string) { listenUnix(t, run+"/pulse/native") }, "linux", true},
		{"stale pulse socket", func(t *testing.T, _, run string, _ map[string]string) { staleSocket(t, run+"/pulse/native") }, "linux", false},
		{"pipewire socket", func(t *testing.T, _, run string, _ map[string]string) { listenUnix(t, run+"/pipewire-0") }, "linux", true},
		{"PULSE_SERVER unix", func(t *testing.T, root, _ string, env map[string]string) {
			listenUnix(t, root+"/srv/pulse.sock")
			env["PULSE_SERVER"] = "unix:" + root + "/srv/pulse.sock"
		}, "linux", true},
		{"PULSE_SERVER dead, default socket alive", func(t *testing.T, root, run string, env map[string]string) {
			listenUnix(t, run+"/pulse/native") // not tried: PULSE_SERVER rules
			env["PULSE_SERVER"] = "unix:" + root + "/nowhere"
		}, "linux", false},
		{"PULSE_SERVER network", func(_ *testing.T, _, _ string, env map[string]string) {
			env["PULSE_SERVER"] = "tcp:192.0.2.1:4713"
		}, "linux", true},
		{"capture-only card", func(t *testing.T, root, _ string, _ map[string]string) { touch(t, root+"/dev/snd/pcmC0D0c") }, "linux", false},
		{"playback card", func(t *testing.T, root, _ string, _ map[string]string) { touch(t, root+"/dev/snd/pcmC0D0p") }, "linux", true},
		{"asoundrc", func(t *testing.T, root, _ string, env map[string]string) { touch(t, env["HOME"]+"/.asoundrc") }, "linux", true},
		{"not linux", func(*testing.T, string, string, map[string]string) {}, "darwin", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root, err := os.MkdirTemp("", "probe") // short: unix socket paths are limited to 108 bytes
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(root) })
			run := root + "/run"
			env := map[string]string{"XDG_RUNTIME_DIR": run, "HOME": root + "/home"}
			tt.setup(t, root, run, env)
			p := soundProbe{getenv: func(k string) string { return env[k] }, root: root, goos: tt.goos}
			if got, where := p.find(); got != tt.want {
				t.Errorf("find() = %v (%q), want %v", got, where, tt.want)
			}
		})
	}
}

// With no sound server and no card, NewOutput fails at once without
// touching oto, so it can be retried; it fails the same way again.
func TestNewOutputProbeFirst(t *testing.T) {
	t.Parallel()
	f := &fakeOto{ready: readyNow()}
	none := soundProbe{getenv: func(string) string { return "" }, root: t.TempDir(), goos: "linux"}
	for range 2 {
		_, err := newOutput(OutputOptions{}, f.open, none)
		var nd *NoDeviceError
		if !errors.As(err, &nd) || !nd.Retry {
			t.Fatalf("error %v, want a *NoDeviceError that can be retried", err)
		}
		if want := "no sound device: " + noSoundReason; err.Error() != want {
			t.Errorf("message %q, want %q", err.Error(), want)
		}
	}
	if f.opts != nil {
		t.Error("oto was asked although the probe found nothing")
	}
}

// helperEnv is the environment of a helper process with no sound server:
// an empty runtime folder and home, no PULSE_SERVER.
func helperEnv(mode, dir string) []string {
	env := []string{"AMPDESK_AUDIO_HELPER=" + mode, "XDG_RUNTIME_DIR=" + dir, "HOME=" + dir}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "AMPDESK_AUDIO_HELPER", "XDG_RUNTIME_DIR", "HOME", "PULSE_SERVER", "PIPEWIRE_RUNTIME_DIR", "PIPEWIRE_REMOTE":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// skipIfCard skips where the machine has a sound card or an ALSA
// configuration: the helper processes expect none.
func skipIfCard(t *testing.T, dir string) {
	t.Helper()
	if found, where := (soundProbe{getenv: func(k string) string {
		return map[string]string{"XDG_RUNTIME_DIR": dir, "HOME": dir}[k]
	}, goos: "linux"}).find(); found {
		t.Skipf("this machine has a sound device (%s); the test needs none", where)
	}
}

// TestHelperProcess is the body of the helper processes below (it does
// nothing in a normal run).
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("AMPDESK_AUDIO_HELPER")
	if mode == "" {
		t.Skip("runs only as a helper process")
	}
	switch mode {
	case "newoutput": // the real NewOutput with nothing there
		start := time.Now()
		_, err := NewOutput(OutputOptions{})
		var nd *NoDeviceError
		fmt.Printf("RESULT retry=%v ms=%d err=%v\n", errors.As(err, &nd) && nd.Retry, time.Since(start).Milliseconds(), err)
	case "oto": // oto itself, probe bypassed: it tries PulseAudio and every ALSA device
		ctx, ready, err := openOto(&oto.NewContextOptions{SampleRate: 44100, ChannelCount: 2})
		if err == nil {
			<-ready
			err = ctx.Err()
		}
		alsa, jack := alsaquiet.Silence() // done already by openOto: this reports what it found
		fmt.Printf("RESULT alsa=%v jack=%v failed=%v\n", alsa, jack, err != nil)
	case "retry": // fails, waits for a line on stdin, then must succeed
		_, err := NewOutput(OutputOptions{ApplicationName: "ampdesk-test"})
		fmt.Printf("FIRST %v\n", err)
		bufio.NewReader(os.Stdin).ReadString('\n')
		out, err := NewOutput(OutputOptions{ApplicationName: "ampdesk-test"})
		if err == nil {
			out.Close()
		}
		fmt.Printf("SECOND %v\n", err)
	}
	os.Exit(0)
}

// runHelper runs TestHelperProcess in mode and returns its stdout and
// stderr.
func runHelper(t *testing.T, mode, dir string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = helperEnv(mode, dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("helper %s: %v\n%s%s", mode, err, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// With nothing to play on, the real NewOutput fails within a moment with
// a message that can be retried, and prints nothing at all on stderr.
func TestNoDeviceIsQuiet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	skipIfCard(t, dir)
	stdout, stderr := runHelper(t, "newoutput", dir)
	if stderr != "" {
		t.Errorf("stderr is not empty:\n%s", stderr)
	}
	if !strings.Contains(stdout, "RESULT retry=true") || !strings.Contains(stdout, noSoundReason) {
		t.Errorf("helper said %q, want a NoDeviceError that can be retried", stdout)
	}
	var ms int
	if i := strings.Index(stdout, "ms="); i >= 0 {
		fmt.Sscanf(stdout[i:], "ms=%d", &ms)
	}
	if ms > 1000 {
		t.Errorf("NewOutput took %d ms to find nothing", ms)
	}
}

// When oto does try every ALSA device and libjack (no card, no server),
// alsa-lib's and libjack's error lines are silenced.
func TestALSAErrorsSilenced(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	skipIfCard(t, dir)
	stdout, stderr := runHelper(t, "oto", dir)
	t.Logf("helper: %s", strings.TrimSpace(stdout))
	if !strings.Contains(stdout, "failed=true") {
		t.Fatalf("oto opened a device with none present: %q", stdout)
	}
	if stderr != "" {
		t.Errorf("alsa-lib or libjack printed on stderr:\n%s", stderr)
	}
}

// The GUI may start before the sound server: a NewOutput that found
// nothing is retried once PulseAudio runs, in the same process, and
// succeeds. Needs pulseaudio.
func TestNewOutputRetryAfterServerStarts(t *testing.T) {
	pa, err := exec.LookPath("pulseaudio")
	if err != nil {
		t.Skip("pulseaudio is not installed")
	}
	dir, err := os.MkdirTemp("", "pa") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o700)
	skipIfCard(t, dir)

	helper := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	helper.Env = helperEnv("retry", dir)
	stdin, _ := helper.StdinPipe()
	stdoutPipe, _ := helper.StdoutPipe()
	var stderr bytes.Buffer
	helper.Stderr = &stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	defer helper.Process.Kill()
	lines := bufio.NewScanner(stdoutPipe)
	next := func() string {
		for lines.Scan() {
			if l := lines.Text(); strings.HasPrefix(l, "FIRST") || strings.HasPrefix(l, "SECOND") {
				return l
			}
		}
		return ""
	}
	if first := next(); !strings.Contains(first, noSoundReason) {
		t.Fatalf("first NewOutput: %q, want %q", first, noSoundReason)
	}

	server := exec.Command(pa, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
		"--log-target=stderr", "--load=module-native-protocol-unix",
		"--load=module-null-sink sink_name=nullsink rate=44100 channels=2")
	server.Env = helperEnv("", dir)
	var serverLog bytes.Buffer
	server.Stderr = &serverLog
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		server.Process.Kill()
		server.Wait()
	}()
	sock := filepath.Join(dir, "pulse", "native")
	for i := 0; i < 100 && !answers(sock); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if !answers(sock) {
		t.Fatalf("pulseaudio did not start:\n%s", serverLog.String())
	}
	fmt.Fprintln(stdin, "go")
	if second := next(); second != "SECOND <nil>" {
		t.Errorf("second NewOutput, with the server running: %q, want success\n%s", second, stderr.String())
	}
	helper.Wait()
}
