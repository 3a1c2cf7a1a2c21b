package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

func init() {
	extraCommands = append(extraCommands, command{
		"download", "album|playlist|episode|song ID | list | remove album|playlist|episode|song ID",
		"keep albums, playlists and podcast episodes on this computer to play offline", cmdDownload,
	})
}

type downloadOut struct {
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	Items    int    `json:"items"`
	Have     int    `json:"downloaded"`
	Bytes    int64  `json:"bytes"`
	Complete bool   `json:"complete"`
	Added    string `json:"added,omitempty"`
}

func downloadOutOf(d core.DownloadInfo) downloadOut {
	o := downloadOut{Kind: string(d.Kind), ID: string(d.ID), Name: d.Name, Items: d.Items, Have: d.Have,
		Bytes: d.Bytes, Complete: d.Complete()}
	if !d.Added.IsZero() {
		o.Added = d.Added.UTC().Format(time.RFC3339)
	}
	return o
}

// downloadKind reads the kind of a download from the command line.
func downloadKind(s string) (client.ObjectType, error) {
	switch s {
	case "album":
		return client.TypeAlbum, nil
	case "playlist":
		return client.TypePlaylist, nil
	case "episode", "podcast_episode":
		return client.TypePodcastEpisode, nil
	case "song":
		return client.TypeSong, nil
	}
	return "", usagef("what to download: album, playlist, episode or song, not %q", s)
}

func cmdDownload(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("download", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("say what to download, or list, or remove")
	}
	switch pos[0] {
	case "list":
		if len(pos) != 1 {
			return usagef("download list takes no arguments")
		}
		return downloadList(ctx, env)
	case "remove", "rm", "delete":
		if len(pos) != 3 {
			return usagef("download remove KIND ID")
		}
		typ, err := downloadKind(pos[1])
		if err != nil {
			return err
		}
		return downloadRemove(ctx, env, typ, client.ID(pos[2]))
	}
	if len(pos) != 2 {
		return usagef("download KIND ID")
	}
	typ, err := downloadKind(pos[0])
	if err != nil {
		return err
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	events, stop := c.Subscribe()
	line := &progressLine{w: env.Stderr, quiet: env.JSON}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range events {
			if p, ok := ev.(core.DownloadProgress); ok {
				line.show(fmt.Sprintf("downloading %s: item %d of %d, %s of %s", p.Name, p.Item, p.Items, mb(p.Bytes), mb(p.TotalBytes)))
			}
		}
	}()
	info, err := c.Download(ctx, typ, client.ID(pos[1]))
	stop()
	<-done
	line.end()
	if err != nil {
		return err
	}
	return env.output(downloadOutOf(info), func(w io.Writer) {
		fmt.Fprintf(w, "%s %q is available offline: %d files, %s\n", info.Kind, info.Name, info.Have, mb(info.Bytes))
	})
}

// openDownloads opens the profile's downloads without the server.
func openDownloads(ctx context.Context, env *Env) (*core.Core, error) {
	c, err := env.openCore()
	if err != nil {
		return nil, err
	}
	if _, err := c.OpenCached(ctx, env.Profile); err != nil {
		return nil, err
	}
	return c, nil
}

func downloadList(ctx context.Context, env *Env) error {
	c, err := openDownloads(ctx, env)
	if err != nil {
		return err
	}
	list, err := c.Downloads()
	if err != nil {
		return err
	}
	out := make([]downloadOut, len(list))
	for i, d := range list {
		out[i] = downloadOutOf(d)
	}
	used, limit := c.OfflineStorage()
	return env.output(out, func(w io.Writer) {
		for _, d := range list {
			state := ""
			if !d.Complete() {
				state = fmt.Sprintf("  (%d of %d downloaded)", d.Have, d.Items)
			}
			fmt.Fprintf(w, "%-16s %-8s %s  %d files, %s%s\n", d.Kind, d.ID, d.Name, d.Items, mb(d.Bytes), state)
		}
		fmt.Fprintf(w, "%s of %s used\n", mb(used), mb(limit))
	})
}

func downloadRemove(ctx context.Context, env *Env, typ client.ObjectType, id client.ID) error {
	c, err := openDownloads(ctx, env)
	if err != nil {
		return err
	}
	freed, err := c.RemoveDownload(typ, id)
	if err != nil {
		return err
	}
	return env.output(map[string]any{"kind": typ, "id": id, "freed_bytes": freed}, func(w io.Writer) {
		fmt.Fprintf(w, "removed %s %s (%s freed)\n", typ, id, mb(freed))
	})
}

func mb(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
