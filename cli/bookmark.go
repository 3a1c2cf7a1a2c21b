package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ampdesk/ampdesk/client"
)

func bookmarkType(s string) (client.ObjectType, error) {
	switch s {
	case "song", "podcast_episode", "video":
		return client.ObjectType(s), nil
	case "episode":
		return client.TypePodcastEpisode, nil
	}
	return "", usagef("TYPE must be song or podcast_episode, not %q", s)
}

func cmdBookmark(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which bookmark command?")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("bookmark "+sub, flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		if len(pos) != 0 {
			return usagef("bookmark list takes no arguments")
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		bms, err := c.Bookmarks(ctx)
		if err != nil {
			return err
		}
		out := bookmarksOut(bms)
		return env.output(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tID\tTITLE\tPOSITION\tCLIENT\tUPDATED")
			for _, b := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Type, b.ObjectID, b.Title, clock(b.Position), b.Client, b.Updated)
			}
			tw.Flush()
		})
	case "get", "delete":
		if len(pos) != 2 {
			return usagef("bookmark %s needs TYPE and ID", sub)
		}
		typ, err := bookmarkType(pos[0])
		if err != nil {
			return err
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		if sub == "delete" {
			if err := c.DeleteBookmark(ctx, typ, client.ID(pos[1])); err != nil {
				return err
			}
			return env.output(map[string]any{"type": typ, "object_id": pos[1], "deleted": true}, func(w io.Writer) {
				fmt.Fprintf(w, "deleted the bookmark of %s %s\n", typ, pos[1])
			})
		}
		bm, err := c.Bookmark(ctx, typ, client.ID(pos[1]))
		if err != nil {
			return err
		}
		out := bookmarksOut([]client.Bookmark{*bm})[0]
		return env.output(out, func(w io.Writer) {
			fmt.Fprintf(w, "%s %s at %s (%d s), saved by %s %s\n", out.Type, out.ObjectID, clock(out.Position), out.Position, out.Client, out.Updated)
		})
	case "set":
		if len(pos) != 3 {
			return usagef("bookmark set needs TYPE, ID and POSITION")
		}
		typ, err := bookmarkType(pos[0])
		if err != nil {
			return err
		}
		seconds, err := parsePosition(pos[2])
		if err != nil {
			return err
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		bm, err := c.SetBookmark(ctx, typ, client.ID(pos[1]), seconds)
		if err != nil {
			return err
		}
		out := bookmarksOut([]client.Bookmark{*bm})[0]
		return env.output(out, func(w io.Writer) {
			fmt.Fprintf(w, "bookmarked %s %s at %s\n", typ, pos[1], clock(out.Position))
		})
	}
	return usagef("unknown bookmark command %q", sub)
}
