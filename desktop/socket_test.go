package desktop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/cli"
	"github.com/ampdesk/ampdesk/desktop/control"
)

// TestControlSocket drives a running instance with `ampdesk control`.
func TestControlSocket(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", shortTempDir(t))
	e := newTestEnv(t)
	cfg := e.dirs.Config
	inst, err := ClaimInstance(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(inst.SocketPath())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("control socket mode %v, %v; want 0600", fi.Mode(), err)
	}
	var w windowCalls
	s := start(t, w.deps(Deps{App: newFakeApp(), Core: e.core, Instance: inst}))

	ctl := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		var out, errOut bytes.Buffer
		code = cli.Run(context.Background(), append([]string{"control"}, args...),
			&cli.Env{Stdout: &out, Stderr: &errOut, ConfigDir: cfg})
		return out.String(), errOut.String(), code
	}
	status := func() control.Status {
		t.Helper()
		out, errOut, code := ctl("status", "--json")
		var st control.Status
		if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
			t.Fatalf("control status --json: exit %d, %q %q", code, out, errOut)
		}
		return st
	}

	if out, _, code := ctl("status"); code != 0 || !strings.HasPrefix(out, "stopped: nothing playing\n") {
		t.Fatalf("status before playing: exit %d, %q", code, out)
	}
	if st := status(); st.Index != -1 || st.State != "stopped" || st.Volume != 80 {
		t.Fatalf("status before playing: %+v", st)
	}

	// play TYPE ID replaces the queue; a bad id is explained.
	out, errOut, code := ctl("play", "song", "3", "--json")
	var played control.Status
	if code != 0 || json.Unmarshal([]byte(out), &played) != nil || played.QueueLength != 1 {
		t.Fatalf("control play song 3: exit %d, %q %q", code, out, errOut)
	}
	if _, errOut, code := ctl("play", "album", "999999"); code != 1 || !strings.Contains(errOut, "not found on the server") {
		t.Fatalf("control play album 999999: exit %d, %q", code, errOut)
	}
	if out, errOut, code := ctl("play", "album", string(e.albumID)); code != 0 || !strings.Contains(out, fmt.Sprintf("track 1 of %d", len(e.items))) {
		t.Fatalf("control play album %s: exit %d, %q %q", e.albumID, code, out, errOut)
	}
	waitFor(t, "the album plays", func() bool { return e.index() == 0 && e.core.Player().Status().State == audio.Playing })
	st := status()
	if st.State != "playing" || st.Index != 0 || st.QueueLength != len(e.items) || st.Title != e.items[0].Title ||
		st.Artist != e.items[0].Artist || st.Album != e.items[0].Album || st.DurationSeconds != e.items[0].Duration.Seconds() {
		t.Fatalf("status while playing: %+v", st)
	}
	if out, _, _ := ctl("status"); !strings.Contains(out, "playing: "+e.items[0].Title+" — ") || !strings.Contains(out, "track 1 of 8") {
		t.Fatalf("plain status: %q", out)
	}

	steps := []struct {
		args []string
		what string
		ok   func() bool
	}{
		{[]string{"play-pause"}, "paused", func() bool { return e.core.Player().Status().State == audio.Paused }},
		{[]string{"play"}, "playing", func() bool { return e.core.Player().Status().State == audio.Playing }},
		{[]string{"next"}, "the second song", func() bool { return e.index() == 1 }},
		{[]string{"pause"}, "paused", func() bool { return e.core.Player().Status().State == audio.Paused }},
		{nil, "", nil}, // back to the start of the song, so that prev moves to the one before
		{[]string{"prev"}, "the first song", func() bool { return e.index() == 0 }},
		{[]string{"stop"}, "stopped", func() bool { return e.core.Player().Status().State == audio.Stopped }},
	}
	for _, step := range steps {
		if step.args == nil {
			e.rewind(t)
			continue
		}
		if out, errOut, code := ctl(step.args...); code != 0 || out != "" {
			t.Fatalf("control %v: exit %d, %q %q", step.args, code, out, errOut)
		}
		waitFor(t, "control "+strings.Join(step.args, " ")+": "+step.what, step.ok)
	}

	for _, tc := range []struct {
		arg  string
		want int
	}{{"30", 30}, {"+5", 35}, {"-50", 0}, {"100%", 100}} {
		out, errOut, code := ctl("volume", tc.arg)
		if code != 0 || out != fmt.Sprintf("volume %d%%\n", tc.want) {
			t.Fatalf("control volume %s: exit %d, %q %q", tc.arg, code, out, errOut)
		}
		if v := e.core.Player().Status().Volume; v != float64(tc.want)/100 {
			t.Fatalf("after volume %s the player's volume is %v", tc.arg, v)
		}
		if v := e.core.Settings().Get().Volume; v == nil || *v != float64(tc.want)/100 {
			t.Fatalf("after volume %s the setting is %v", tc.arg, v)
		}
	}

	if _, _, code := ctl("raise"); code != 0 {
		t.Fatal("control raise failed")
	}
	waitFor(t, "raise shows the window", func() bool { sh, _, _ := w.counts(); return sh == 1 })

	if _, errOut, code := ctl("dance"); code != 2 || !strings.Contains(errOut, `unknown command "dance"`) {
		t.Fatalf("control dance: exit %d, %q", code, errOut)
	}
	if _, errOut, code := ctl("volume", "loud"); code != 2 || !strings.Contains(errOut, "not a number") {
		t.Fatalf("control volume loud: exit %d, %q", code, errOut)
	}

	// One instance: a second claim fails, and Raise reaches the first.
	if second, err := ClaimInstance(cfg); !errors.Is(err, ErrAlreadyRunning) {
		if second != nil {
			second.Close()
		}
		t.Fatalf("second ClaimInstance: %v, want ErrAlreadyRunning", err)
	}
	if err := Raise(context.Background(), cfg); err != nil {
		t.Fatalf("Raise: %v", err)
	}
	waitFor(t, "Raise shows the window", func() bool { sh, _, _ := w.counts(); return sh == 2 })

	// Stopped: nothing answers, in plain words.
	s.Stop()
	if out, errOut, code := ctl("status"); code != 1 || out != "" || errOut != "ampdesk: Ampdesk is not running\n" {
		t.Fatalf("control status with no instance: exit %d, %q %q", code, out, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := Raise(ctx, cfg); !errors.Is(err, control.ErrNotRunning) {
		t.Fatalf("Raise with no instance: %v", err)
	}
	again, err := ClaimInstance(cfg)
	if err != nil {
		t.Fatalf("ClaimInstance after Stop: %v", err)
	}
	again.Close()
}
