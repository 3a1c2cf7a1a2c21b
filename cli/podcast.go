package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

func init() {
	extraCommands = append(extraCommands,
		command{"podcast", "list | episodes ID | subscribe FEED_URL | refresh ID | download EPISODE_ID | delete ID | delete-episode ID",
			"podcasts the server follows", cmdPodcast},
		command{"share", "create TYPE ID [--days N] | list | delete ID",
			"public links to a song, album, playlist or podcast episode", cmdShare},
		command{"radio", "list | play ID",
			"internet radio stations the server knows; play runs until Ctrl-C", cmdRadio},
	)
}

func cmdPodcast(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which podcast command?")
	}
	sub, pos := args[0], args[1:]
	if sub == "download" {
		// The same as `ampdesk download episode ID`.
		if len(pos) != 1 {
			return usagef("podcast download takes an episode ID")
		}
		return cmdDownload(ctx, env, []string{"episode", pos[0]})
	}
	want := map[string]int{"list": 0, "episodes": 1, "subscribe": 1, "refresh": 1, "delete": 1, "delete-episode": 1}
	n, ok := want[sub]
	if !ok {
		return usagef("unknown podcast command %q", sub)
	}
	if len(pos) != n {
		return usagef("podcast %s takes %d argument(s)", sub, n)
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		items, err := c.Podcasts(ctx)
		if err != nil {
			return err
		}
		out := podcastsOut(items)
		return env.output(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tPODCAST\tFEED")
			for _, p := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", p.ID, p.Name, p.Feed)
			}
			tw.Flush()
		})
	case "episodes":
		eps, err := c.Episodes(ctx, client.ID(pos[0]))
		if err != nil {
			return err
		}
		return env.printEpisodes(eps)
	case "subscribe":
		p, err := c.SubscribePodcast(ctx, pos[0])
		if err != nil {
			return err
		}
		return env.output(podcastsOut([]client.Podcast{*p})[0], func(w io.Writer) {
			fmt.Fprintf(w, "subscribed to %s (podcast %s)\n", p.Name, p.ID)
		})
	case "refresh":
		if err := c.RefreshPodcast(ctx, client.ID(pos[0])); err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "refreshed": true}, func(w io.Writer) {
			fmt.Fprintf(w, "the server is fetching podcast %s's feed\n", pos[0])
		})
	case "delete":
		if err := c.DeletePodcast(ctx, client.ID(pos[0])); err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "deleted": true}, func(w io.Writer) {
			fmt.Fprintf(w, "deleted podcast %s\n", pos[0])
		})
	case "delete-episode":
		if err := c.DeleteEpisode(ctx, client.ID(pos[0])); err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "deleted": true}, func(w io.Writer) {
			fmt.Fprintf(w, "deleted episode %s\n", pos[0])
		})
	}
	return nil
}

type shareOut struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Object  string `json:"object_id"`
	Name    string `json:"name"`
	URL     string `json:"url"`
	Days    int    `json:"expire_days"`
	Created string `json:"created,omitempty"`
	Visits  int    `json:"visits"`
}

func sharesOut(in []client.Share) []shareOut {
	out := make([]shareOut, 0, len(in))
	for _, s := range in {
		so := shareOut{ID: string(s.ID), Type: s.ObjectType, Object: string(s.ObjectID), Name: s.Name,
			URL: s.PublicURL, Days: int(s.ExpireDays), Visits: int(s.Counter)}
		if !s.Created.IsZero() {
			so.Created = s.Created.UTC().Format(time.RFC3339)
		}
		out = append(out, so)
	}
	return out
}

func cmdShare(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which share command?")
	}
	sub := args[0]
	fs := flag.NewFlagSet("share "+sub, flag.ContinueOnError)
	days := fs.Int("days", 7, "create: the link expires after this many days (0: the server's default)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		if len(pos) != 2 {
			return usagef("share create needs TYPE and ID")
		}
		switch pos[0] {
		case "song", "album", "playlist", "podcast_episode", "podcast", "artist":
		default:
			return usagef("TYPE must be song, album, artist, playlist, podcast or podcast_episode")
		}
		if *days < 0 {
			return usagef("--days must be 0 or more")
		}
	case "list":
		if len(pos) != 0 {
			return usagef("share list takes no arguments")
		}
	case "delete":
		if len(pos) != 1 {
			return usagef("share delete needs an ID")
		}
	default:
		return usagef("unknown share command %q", sub)
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		s, err := c.CreateShare(ctx, client.ObjectType(pos[0]), client.ID(pos[1]), *days)
		if err != nil {
			return err
		}
		out := sharesOut([]client.Share{*s})[0]
		return env.output(out, func(w io.Writer) { fmt.Fprintln(w, out.URL) })
	case "delete":
		if err := c.DeleteShare(ctx, client.ID(pos[0])); err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "deleted": true}, func(w io.Writer) {
			fmt.Fprintf(w, "deleted share %s\n", pos[0])
		})
	}
	shares, err := c.Shares(ctx)
	if err != nil {
		return err
	}
	out := sharesOut(shares)
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTYPE\tNAME\tDAYS\tVISITS\tURL")
		for _, s := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", s.ID, s.Type, s.Name, s.Days, s.Visits, s.URL)
		}
		tw.Flush()
	})
}

func cmdRadio(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which radio command?")
	}
	sub, pos := args[0], args[1:]
	switch {
	case sub == "list" && len(pos) == 0:
	case sub == "play" && len(pos) == 1:
	default:
		return usagef("radio list | radio play ID")
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	stations, err := c.LiveStreams(ctx)
	if err != nil {
		return err
	}
	if sub == "list" {
		type stationOut struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			Codec string `json:"codec"`
			Site  string `json:"site,omitempty"`
		}
		out := make([]stationOut, 0, len(stations))
		for _, s := range stations {
			out = append(out, stationOut{string(s.ID), s.Name, s.Codec, s.SiteURL})
		}
		return env.output(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATION\tCODEC\tSITE")
			for _, s := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Codec, s.Site)
			}
			tw.Flush()
		})
	}
	for _, s := range stations {
		if string(s.ID) == pos[0] {
			events, unsubscribe := c.Subscribe()
			defer unsubscribe()
			if err := c.PlayItems([]core.Item{core.RadioItem(s)}, 0, false, 0); err != nil {
				return err
			}
			// The station, then each title it announces (ICY), until
			// Ctrl-C: a live stream has no end and no useful position.
			line := func(text string, fields map[string]string) {
				if !env.JSON {
					fmt.Fprintln(env.Stdout, text)
					return
				}
				b, _ := json.Marshal(fields)
				fmt.Fprintln(env.Stdout, string(b))
			}
			line(fmt.Sprintf("playing %s (Ctrl-C stops)", s.Name), map[string]string{"event": "station", "id": string(s.ID), "name": s.Name})
			for {
				select {
				case <-ctx.Done():
					line("stopped", map[string]string{"event": "stopped"})
					return nil
				case ev, ok := <-events:
					if !ok {
						return errors.New("playback events ended")
					}
					switch e := ev.(type) {
					case core.StreamTitle:
						if e.Title != "" {
							line("on air: "+e.Title, map[string]string{"event": "title", "title": e.Title})
						}
					case core.PlaybackFailed:
						return fmt.Errorf("cannot play %s: %w", s.Name, e.Err)
					case core.QueueEnded:
						return fmt.Errorf("%s stopped sending", s.Name)
					}
				}
			}
		}
	}
	return fmt.Errorf("no radio station %s (ampdesk radio list shows them)", pos[0])
}
