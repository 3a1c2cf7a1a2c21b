package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/ampdesk/ampdesk/client"
)

type localplayOut struct {
	State  string `json:"state"`
	Volume int    `json:"volume"`
	Repeat bool   `json:"repeat"`
	Random bool   `json:"random"`
	Track  int    `json:"track"`
	Title  string `json:"title"`
	Artist string `json:"artist"`
	Album  string `json:"album"`
}

func localplayStatusOut(s *client.LocalplayStatus) localplayOut {
	return localplayOut{State: s.State, Volume: int(s.Volume), Repeat: bool(s.Repeat), Random: bool(s.Random),
		Track: int(s.Track), Title: s.TrackTitle, Artist: s.TrackArtist, Album: s.TrackAlbum}
}

func cmdLocalplay(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which localplay command?")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("localplay "+sub, flag.ContinueOnError)
	clear := fs.Bool("clear", false, "add: replace the queue instead of appending")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	plain := map[string]client.LocalplayCommand{
		"play": client.LocalplayCmdPlay, "pause": client.LocalplayCmdPause, "stop": client.LocalplayCmdStop,
		"next": client.LocalplayCmdNext, "prev": client.LocalplayCmdPrev, "clear": client.LocalplayCmdDeleteAll,
	}
	switch {
	case sub == "status" || sub == "songs" || plain[sub] != "":
		if len(pos) != 0 {
			return usagef("localplay %s takes no arguments", sub)
		}
	case sub == "volume":
		if len(pos) != 1 {
			return usagef("localplay volume needs up, down or mute")
		}
	case sub == "skip":
		if len(pos) != 1 {
			return usagef("localplay skip needs the queue position")
		}
	case sub == "add":
		if len(pos) < 2 {
			return usagef("localplay add needs TYPE and ID")
		}
	case sub == "watch":
		// handled below
	default:
		return usagef("unknown localplay command %q", sub)
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	switch sub {
	case "status":
		st, err := c.LocalplayStatus(ctx)
		if err != nil {
			return err
		}
		out := localplayStatusOut(st)
		return env.output(out, func(w io.Writer) {
			fmt.Fprintf(w, "%s, volume %d, track %d: %s — %s — %s\n", out.State, out.Volume, out.Track, out.Title, out.Artist, out.Album)
		})
	case "songs":
		songs, err := c.LocalplaySongs(ctx)
		if err != nil {
			return err
		}
		type entry struct {
			ID    string `json:"id"`
			Track int    `json:"track"`
			Name  string `json:"name"`
		}
		out := make([]entry, 0, len(songs))
		for _, s := range songs {
			out = append(out, entry{string(s.ID), int(s.Track), s.Name})
		}
		return env.output(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TRACK\tID\tNAME")
			for _, e := range out {
				fmt.Fprintf(tw, "%d\t%s\t%s\n", e.Track, e.ID, e.Name)
			}
			tw.Flush()
		})
	case "volume":
		cmd := map[string]client.LocalplayCommand{"up": client.LocalplayCmdVolumeUp, "down": client.LocalplayCmdVolumeDown, "mute": client.LocalplayCmdVolumeMute}[pos[0]]
		if cmd == "" {
			return usagef("localplay volume needs up, down or mute")
		}
		if err := c.LocalplayCommand(ctx, cmd); err != nil {
			return err
		}
		return env.localplayAfter(ctx, c.LocalplayStatus)
	case "skip":
		n, err := strconv.Atoi(pos[0])
		if err != nil || n < 0 {
			return usagef("localplay skip needs a queue position (a number)")
		}
		if err := c.LocalplaySkipTo(ctx, n); err != nil {
			return err
		}
		return env.localplayAfter(ctx, c.LocalplayStatus)
	case "add":
		typ := client.ObjectType(pos[0])
		ids := make([]client.ID, 0, len(pos)-1)
		for _, s := range pos[1:] {
			ids = append(ids, client.ID(s))
		}
		if err := c.LocalplayAdd(ctx, typ, *clear, ids...); err != nil {
			return err
		}
		return env.output(map[string]any{"added": len(ids), "type": typ, "cleared": *clear}, func(w io.Writer) {
			fmt.Fprintf(w, "sent %d %s to localplay\n", len(ids), typ)
		})
	case "watch":
		return watchLocalplay(ctx, env, c)
	}
	if err := c.LocalplayCommand(ctx, plain[sub]); err != nil {
		return err
	}
	return env.localplayAfter(ctx, c.LocalplayStatus)
}

// localplayAfter prints the player's status after a command.
func (env *Env) localplayAfter(ctx context.Context, status func(context.Context) (*client.LocalplayStatus, error)) error {
	st, err := status(ctx)
	if err != nil {
		return err
	}
	out := localplayStatusOut(st)
	return env.output(out, func(w io.Writer) {
		fmt.Fprintf(w, "%s, volume %d, track %d: %s\n", out.State, out.Volume, out.Track, out.Title)
	})
}

func cmdDemocratic(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which democratic command?")
	}
	sub, pos := args[0], args[1:]
	switch sub {
	case "list", "play":
		if len(pos) != 0 {
			return usagef("democratic %s takes no arguments", sub)
		}
	case "vote", "devote":
		if len(pos) != 1 {
			return usagef("democratic %s needs a song ID", sub)
		}
	default:
		return usagef("unknown democratic command %q", sub)
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	switch sub {
	case "vote", "devote":
		f := c.Vote
		if sub == "devote" {
			f = c.Devote
		}
		if err := f(ctx, client.ID(pos[0])); err != nil {
			return err
		}
		return env.output(map[string]any{"method": sub, "song": pos[0], "result": true}, func(w io.Writer) {
			fmt.Fprintf(w, "%sd song %s\n", sub, pos[0])
		})
	case "play":
		u, err := c.DemocraticPlayURL(ctx)
		if err != nil {
			return err
		}
		return env.output(map[string]any{"url": u}, func(w io.Writer) { fmt.Fprintln(w, u) })
	}
	songs, err := c.DemocraticQueue(ctx)
	if err != nil {
		return err
	}
	type entry struct {
		songOut
		Votes int `json:"votes"`
	}
	out := make([]entry, 0, len(songs))
	for _, s := range songs {
		out = append(out, entry{songsOut([]client.Song{s.Song})[0], int(s.Vote)})
	}
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VOTES\tID\tTITLE\tARTIST")
		for _, e := range out {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", e.Votes, e.ID, e.Title, e.Artist)
		}
		tw.Flush()
	})
}

// watchLocalplay prints the server player's status each time its state or
// track changes, until ctx ends (Ctrl-C). One line per change; with --json
// one JSON object per line.
func watchLocalplay(ctx context.Context, env *Env, c interface {
	LocalplayStatus(context.Context) (*client.LocalplayStatus, error)
}) error {
	var last *localplayOut
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	failures := 0
	for {
		st, err := c.LocalplayStatus(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failures++
			if failures >= 5 {
				return err
			}
		default:
			failures = 0
			out := localplayStatusOut(st)
			if last == nil || out.State != last.State || out.Track != last.Track || out.Title != last.Title || out.Volume != last.Volume {
				if env.JSON {
					b, _ := json.Marshal(out)
					fmt.Fprintln(env.Stdout, string(b))
				} else {
					fmt.Fprintf(env.Stdout, "%s %s, volume %d, track %d: %s — %s\n", time.Now().Format("15:04:05"), out.State, out.Volume, out.Track, out.Title, out.Artist)
				}
				last = &out
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
