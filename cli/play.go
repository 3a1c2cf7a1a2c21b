package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

func init() {
	extraCommands = append(extraCommands, command{
		"play", "[--type song|album|artist|playlist|podcast_episode] ID... [--start POS] [--shuffle] [--volume 0-100] [--repeat]",
		"play through this computer's speakers until done (Ctrl-C stops)", cmdPlay,
	})
}

// resolveItems turns IDs of a type into playable items.
func resolveItems(ctx context.Context, c *core.Core, typ string, ids []string) ([]core.Item, error) {
	var items []core.Item
	for _, id := range ids {
		cid := client.ID(id)
		switch typ {
		case "song":
			s, err := c.Song(ctx, cid)
			if err != nil {
				return nil, fmt.Errorf("song %s: %w", id, err)
			}
			items = append(items, core.SongItem(*s))
		case "album":
			_, songs, err := c.Album(ctx, cid)
			if err != nil {
				return nil, fmt.Errorf("album %s: %w", id, err)
			}
			for _, s := range songs {
				items = append(items, core.SongItem(s))
			}
		case "artist":
			songs, err := c.ArtistSongs(ctx, cid)
			if err != nil {
				return nil, fmt.Errorf("artist %s: %w", id, err)
			}
			for _, s := range songs {
				items = append(items, core.SongItem(s))
			}
		case "playlist":
			_, songs, err := c.Playlist(ctx, cid)
			if err != nil {
				return nil, fmt.Errorf("playlist %s: %w", id, err)
			}
			for _, s := range songs {
				items = append(items, core.SongItem(s))
			}
		case "podcast_episode", "episode":
			e, err := c.Episode(ctx, cid)
			if err != nil {
				return nil, fmt.Errorf("episode %s: %w", id, err)
			}
			items = append(items, core.EpisodeItem(*e))
		default:
			return nil, usagef("--type must be song, album, artist, playlist or podcast_episode")
		}
	}
	return items, nil
}

func cmdPlay(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	typ := fs.String("type", "song", "what the IDs are: song, album, artist, playlist or podcast_episode")
	start := fs.String("start", "0", "start this far into the first item (seconds, m:ss or h:mm:ss); without it an episode or long song resumes from its bookmark, --start 0 starts over")
	shuffle := fs.Bool("shuffle", false, "play in random order")
	volume := fs.Int("volume", -1, "set the volume, 0 to 100 (remembered)")
	repeat := fs.Bool("repeat", false, "play the items again and again until stopped (repeat all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("play what? give one or more IDs")
	}
	at, err := parsePosition(*start)
	if err != nil {
		return err
	}
	if *volume > 100 || *volume < -1 {
		return usagef("--volume must be 0 to 100")
	}
	c, err := env.connectOrCache(ctx)
	if err != nil {
		return err
	}
	items, err := resolveItems(ctx, c, *typ, pos)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return core.ErrEmptyPlaylist
	}
	if *volume >= 0 {
		c.SetVolume(float64(*volume) / 100)
	}
	events, unsubscribe := c.Subscribe()
	defer unsubscribe()
	startAt := time.Duration(at) * time.Second
	if startAt == 0 && flagGiven(fs, "start") {
		startAt = core.FromStart // not from the bookmark
	}
	if err := c.PlayItems(items, 0, *shuffle, startAt); err != nil {
		return err
	}
	if *repeat {
		c.Player().SetRepeat(audio.RepeatAll)
	}
	return env.followPlayback(ctx, events, len(items))
}

// flagGiven reports whether the command line set the flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// followPlayback prints the current item and position until the queue
// ends or ctx is cancelled (Ctrl-C).
func (env *Env) followPlayback(ctx context.Context, events <-chan core.Event, n int) error {
	tty := isTerminal(env.Stdout)
	var lastPrint time.Time
	played, failed := 0, 0
	var lastErr error
	for {
		select {
		case <-ctx.Done():
			if tty {
				fmt.Fprintln(env.Stdout)
			}
			fmt.Fprintln(env.Stdout, "stopped")
			return nil
		case ev, ok := <-events:
			if !ok {
				return errors.New("playback events ended")
			}
			switch e := ev.(type) {
			case core.TrackChanged:
				if e.Index < 0 {
					continue
				}
				played++
				if tty {
					fmt.Fprintln(env.Stdout)
				}
				if env.JSON {
					env.jsonLine(map[string]any{"event": "track", "type": e.Item.Type, "id": e.Item.ID, "title": e.Item.Title,
						"artist": e.Item.Artist, "album": e.Item.Album, "seconds": int(e.Item.Duration / time.Second)})
				} else {
					fmt.Fprintf(env.Stdout, "playing %s — %s — %s (%s)\n", e.Item.Title, e.Item.Artist, e.Item.Album, clock(int(e.Item.Duration/time.Second)))
				}
			case core.Position:
				every := 5 * time.Second
				if tty {
					every = 250 * time.Millisecond
				}
				if time.Since(lastPrint) < every {
					continue
				}
				lastPrint = time.Now()
				switch {
				case env.JSON:
					env.jsonLine(map[string]any{"event": "position", "position": roundTenth(e.Position), "duration": roundTenth(e.Duration)})
				case tty:
					fmt.Fprintf(env.Stdout, "\r  %s / %s ", clock(int(e.Position/time.Second)), clock(int(e.Duration/time.Second)))
				default:
					fmt.Fprintf(env.Stdout, "  %s / %s\n", clock(int(e.Position/time.Second)), clock(int(e.Duration/time.Second)))
				}
			case core.ResumeOffered:
				if tty {
					fmt.Fprintln(env.Stdout)
				}
				if env.JSON {
					env.jsonLine(map[string]any{"event": "resume", "type": e.Item.Type, "id": e.Item.ID,
						"position": roundTenth(e.Position), "from": e.From, "client": e.Client})
				} else {
					fmt.Fprintf(env.Stdout, "resuming at %s (ampdesk play --start 0 to start over)\n", clock(int(e.Position/time.Second)))
				}
			case core.EpisodeHeard:
				if env.JSON {
					env.jsonLine(map[string]any{"event": "heard", "type": e.Item.Type, "id": e.Item.ID})
				}
			case core.PlaybackFailed:
				failed++
				lastErr = e.Err
				fmt.Fprintf(env.Stderr, "ampdesk: cannot play %s: %s\n", e.Item.Title, oneLine(core.Explain(e.Err)))
			case core.QueueEnded:
				if tty {
					fmt.Fprintln(env.Stdout)
				}
				if failed > 0 && failed >= n {
					return fmt.Errorf("nothing could be played: %w", lastErr)
				}
				fmt.Fprintln(env.Stdout, "done")
				return nil
			case core.PlayerState:
				if e.State == audio.Stopped && played == 0 && failed >= n && n > 0 {
					return fmt.Errorf("nothing could be played: %w", lastErr)
				}
			}
		}
	}
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// jsonLine prints v as one line of JSON (for the event streams of play and
// radio play).
func (env *Env) jsonLine(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	fmt.Fprintln(env.Stdout, string(b))
}

// roundTenth is d in seconds, to a tenth.
func roundTenth(d time.Duration) float64 { return math.Round(d.Seconds()*10) / 10 }
