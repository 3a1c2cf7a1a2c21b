package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ampdesk/ampdesk/desktop/control"
	"github.com/ampdesk/ampdesk/storage"
)

func init() {
	extraCommands = append(extraCommands, command{
		"control", "play-pause|play|pause|next|prev|stop|status|raise|volume N|+N|-N|play TYPE ID",
		"control the running Ampdesk window (for key bindings and scripts)", cmdControl,
	})
}

// cmdControl sends one command to the running instance over its local
// socket (see package desktop/control).
func cmdControl(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which control command? (%s)", strings.Join(control.Commands(), ", "))
	}
	if args[0] == "-h" || args[0] == "--help" {
		return flag.ErrHelp
	}
	req, err := control.ParseRequest(strings.Join(args, " "))
	if err != nil {
		return usagef("%s", strings.TrimPrefix(err.Error(), control.ErrBadRequest.Error()+": "))
	}
	dirs, err := storage.ResolveDirs(env.ConfigDir)
	if err != nil {
		return err
	}
	resp, err := control.Send(ctx, dirs.Config, req)
	if err != nil {
		if errors.Is(err, control.ErrNotRunning) {
			return control.ErrNotRunning // "Ampdesk is not running", exit 1
		}
		return err
	}
	if resp.Status == nil {
		return env.output(map[string]bool{"ok": true}, func(io.Writer) {})
	}
	st := resp.Status
	return env.output(st, func(w io.Writer) {
		if req.Command == control.CmdVolume {
			fmt.Fprintf(w, "volume %d%%\n", st.Volume)
			return
		}
		printControlStatus(w, st)
	})
}

func printControlStatus(w io.Writer, st *control.Status) {
	if st.Index < 0 || st.Title == "" {
		fmt.Fprintf(w, "%s: nothing playing\n", st.State)
	} else {
		line := st.Title
		if st.Artist != "" {
			line += " — " + st.Artist
		}
		if st.Album != "" {
			line += " — " + st.Album
		}
		fmt.Fprintf(w, "%s: %s\n", st.State, line)
		pos := clock(int(st.PositionSeconds))
		if st.DurationSeconds > 0 {
			pos += " / " + clock(int(st.DurationSeconds))
		}
		fmt.Fprintf(w, "  %s, track %d of %d\n", pos, st.Index+1, st.QueueLength)
	}
	shuffle := "off"
	if st.Shuffle {
		shuffle = "on"
	}
	fmt.Fprintf(w, "  volume %d%%, shuffle %s, repeat %s\n", st.Volume, shuffle, st.Repeat)
}
