package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ampdesk/ampdesk/client"
)

func cmdPlaylist(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("which playlist command?")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("playlist "+sub, flag.ContinueOnError)
	public := fs.Bool("public", false, "make the new playlist public")
	typ := fs.String("type", "song", "what the IDs are: song, album, artist or playlist")
	mode := fs.String("mode", "random", "generate: random, recent, forgotten or unplayed")
	limit := fs.Int("limit", 50, "generate: how many songs")
	filter := fs.String("filter", "", "generate: titles containing this text")
	album := fs.String("album", "", "generate: songs of this album")
	artist := fs.String("artist", "", "generate: songs of this artist")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	need := func(min int, what string) error {
		if len(pos) < min {
			return usagef("playlist %s needs %s", sub, what)
		}
		return nil
	}
	switch sub {
	case "create":
		if err := need(1, "a NAME"); err != nil {
			return err
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		pl, err := c.CreatePlaylist(ctx, joinArgs(pos), *public)
		if err != nil {
			return err
		}
		return env.output(playlistsOut([]client.Playlist{*pl})[0], func(w io.Writer) {
			fmt.Fprintf(w, "created playlist %s %q\n", pl.ID, pl.Name)
		})
	case "rename":
		if err := need(2, "an ID and a NAME"); err != nil {
			return err
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		name := joinArgs(pos[1:])
		if err := c.RenamePlaylist(ctx, client.ID(pos[0]), name); err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "name": name}, func(w io.Writer) {
			fmt.Fprintf(w, "renamed playlist %s to %q\n", pos[0], name)
		})
	case "delete":
		if len(pos) != 1 {
			return usagef("playlist delete needs one ID")
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		if err := c.DeletePlaylist(ctx, client.ID(pos[0])); err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "deleted": true}, func(w io.Writer) {
			fmt.Fprintf(w, "deleted playlist %s\n", pos[0])
		})
	case "add", "remove", "reorder":
		if err := need(2, "a playlist ID and song IDs"); err != nil {
			return err
		}
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		ids := make([]client.ID, 0, len(pos)-1)
		for _, s := range pos[1:] {
			ids = append(ids, client.ID(s))
		}
		pl := client.ID(pos[0])
		switch sub {
		case "add":
			t := client.ObjectType(*typ)
			switch t {
			case client.TypeSong, client.TypeAlbum, client.TypeArtist, client.TypePlaylist:
			default:
				return usagef("--type must be song, album, artist or playlist")
			}
			err = c.AddToPlaylist(ctx, pl, t, ids...)
		case "remove":
			err = c.RemoveFromPlaylist(ctx, pl, ids...)
		case "reorder":
			err = c.ReorderPlaylist(ctx, pl, ids)
		}
		if err != nil {
			return err
		}
		_, songs, err := c.Playlist(ctx, pl)
		if err != nil {
			return err
		}
		return env.output(map[string]any{"id": pos[0], "songs": songsOut(songs)}, func(w io.Writer) {
			fmt.Fprintf(w, "playlist %s now has %d songs\n", pos[0], len(songs))
		})
	case "generate":
		c, err := env.connect(ctx)
		if err != nil {
			return err
		}
		m := client.GenerateMode(*mode)
		switch m {
		case client.GenerateRandom, client.GenerateRecent, client.GenerateForgotten, client.GenerateUnplayed:
		default:
			return usagef("--mode must be random, recent, forgotten or unplayed")
		}
		songs, err := c.GeneratePlaylist(ctx, &client.GenerateOptions{
			Mode: m, Filter: *filter, Album: client.ID(*album), Artist: client.ID(*artist),
			ListOptions: client.ListOptions{Limit: *limit},
		})
		if err != nil {
			return err
		}
		return env.printSongs(songs)
	}
	return usagef("unknown playlist command %q", sub)
}
