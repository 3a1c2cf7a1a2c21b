package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ampdesk/ampdesk/client"
)

func cmdLs(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("ls", flag.ContinueOnError)
	filter := fs.String("filter", "", "only names containing this text")
	limit := fs.Int("limit", 0, "at most this many (default: all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("what to list?")
	}
	what := pos[0]
	needID := map[string]bool{"album": true, "artist": true, "playlist": true, "episodes": true, "genre": true}
	if needID[what] && len(pos) != 2 {
		return usagef("ls %s needs an ID", what)
	}
	if !needID[what] && len(pos) != 1 {
		return usagef("ls %s takes no ID", what)
	}
	c, err := env.connectOrCache(ctx)
	if err != nil {
		return err
	}
	lo := client.ListOptions{Limit: *limit}
	switch what {
	case "artists":
		items, err := pagedAll(ctx, *limit, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Artist], error) {
			return c.Artists(ctx, &client.ArtistListOptions{Filter: *filter, ListOptions: lo})
		})
		if err != nil {
			return err
		}
		return env.printArtists(items)
	case "albums":
		items, err := pagedAll(ctx, *limit, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Album], error) {
			return c.Albums(ctx, &client.AlbumListOptions{Filter: *filter, ListOptions: lo})
		})
		if err != nil {
			return err
		}
		return env.printAlbums(items)
	case "songs":
		items, err := pagedAll(ctx, *limit, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Song], error) {
			return c.Songs(ctx, &client.SongListOptions{Filter: *filter, ListOptions: lo})
		})
		if err != nil {
			return err
		}
		return env.printSongs(items)
	case "genres":
		items, err := pagedAll(ctx, *limit, func(ctx context.Context, lo client.ListOptions) (*client.Page[client.Genre], error) {
			return c.Genres(ctx, &client.GenreListOptions{Filter: *filter, ListOptions: lo})
		})
		if err != nil {
			return err
		}
		out := genresOut(items)
		return env.output(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tGENRE\tALBUMS\tSONGS")
			for _, g := range out {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", g.ID, g.Name, g.Albums, g.Songs)
			}
			tw.Flush()
		})
	case "playlists":
		items, err := c.Playlists(ctx)
		if err != nil {
			return err
		}
		return env.printPlaylists(limitSlice(items, lo.Limit))
	case "podcasts":
		items, err := c.Podcasts(ctx)
		if err != nil {
			return err
		}
		out := podcastsOut(limitSlice(items, lo.Limit))
		return env.output(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tPODCAST")
			for _, p := range out {
				fmt.Fprintf(tw, "%s\t%s\n", p.ID, p.Name)
			}
			tw.Flush()
		})
	case "episodes":
		items, err := c.Episodes(ctx, client.ID(pos[1]))
		if err != nil {
			return err
		}
		return env.printEpisodes(limitSlice(items, lo.Limit))
	case "album":
		album, songs, err := c.Album(ctx, client.ID(pos[1]))
		if err != nil {
			return err
		}
		if env.JSON {
			a := albumsOut([]client.Album{*album})[0]
			return env.output(struct {
				albumOut
				Tracks []songOut `json:"tracks"`
			}{a, songsOut(songs)}, nil)
		}
		fmt.Fprintf(env.Stdout, "%s — %s (%d)\n", album.Name, album.Artist.Name, album.Year)
		return env.printSongs(songs)
	case "artist":
		artist, err := c.Artist(ctx, client.ID(pos[1]))
		if err != nil {
			return err
		}
		albums, err := c.ArtistAlbums(ctx, artist.ID)
		if err != nil {
			return err
		}
		if env.JSON {
			return env.output(struct {
				artistOut
				AlbumList []albumOut `json:"album_list"`
			}{artistsOut([]client.Artist{*artist})[0], albumsOut(albums)}, nil)
		}
		fmt.Fprintf(env.Stdout, "%s\n", artist.Name)
		return env.printAlbums(albums)
	case "playlist":
		pl, songs, err := c.Playlist(ctx, client.ID(pos[1]))
		if err != nil {
			return err
		}
		if env.JSON {
			return env.output(struct {
				playlistOut
				Songs []songOut `json:"songs"`
			}{playlistsOut([]client.Playlist{*pl})[0], songsOut(songs)}, nil)
		}
		fmt.Fprintf(env.Stdout, "%s (%d songs)\n", pl.Name, len(songs))
		return env.printSongs(songs)
	case "genre":
		albums, err := c.GenreAlbums(ctx, client.ID(pos[1]))
		if err != nil {
			return err
		}
		return env.printAlbums(limitSlice(albums, lo.Limit))
	}
	return usagef("cannot list %q", what)
}

func limitSlice[T any](s []T, n int) []T {
	if n > 0 && len(s) > n {
		return s[:n]
	}
	return s
}

// pagedAll reads pages until limit items (0: all) or the end.
func pagedAll[T any](ctx context.Context, limit int, page func(context.Context, client.ListOptions) (*client.Page[T], error)) ([]T, error) {
	var out []T
	lo := client.ListOptions{Limit: client.MaxPageSize}
	if limit > 0 && limit < lo.Limit {
		lo.Limit = limit
	}
	for {
		p, err := page(ctx, lo)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		next, ok := p.Next()
		if !ok || len(p.Items) == 0 {
			return out, nil
		}
		lo.Offset = next
	}
}

func (env *Env) printArtists(items []client.Artist) error {
	out := artistsOut(items)
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tARTIST\tALBUMS\tSONGS")
		for _, a := range out {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", a.ID, a.Name, a.Albums, a.Songs)
		}
		tw.Flush()
	})
}

func (env *Env) printAlbums(items []client.Album) error {
	out := albumsOut(items)
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tALBUM\tARTIST\tYEAR\tSONGS")
		for _, a := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", a.ID, a.Name, a.Artist, a.Year, a.Songs)
		}
		tw.Flush()
	})
}

func (env *Env) printSongs(items []client.Song) error {
	out := songsOut(items)
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTITLE\tARTIST\tALBUM\tTIME")
		for _, s := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Title, s.Artist, s.Album, clock(s.Seconds))
		}
		tw.Flush()
	})
}

func (env *Env) printPlaylists(items []client.Playlist) error {
	out := playlistsOut(items)
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPLAYLIST\tOWNER\tITEMS\t")
		for _, p := range out {
			kind := ""
			if p.Smart {
				kind = "smart"
			} else if p.Public {
				kind = "public"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", p.ID, p.Name, p.Owner, p.Items, kind)
		}
		tw.Flush()
	})
}

func (env *Env) printEpisodes(items []client.PodcastEpisode) error {
	out := episodesOut(items)
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEPISODE\tDATE\tTIME\tSTATE")
		for _, e := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.Title, e.Date, clock(e.Seconds), e.State)
		}
		tw.Flush()
	})
}

func cmdSearch(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	limit := fs.Int("limit", 20, "at most this many of each kind")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("search for what?")
	}
	text := joinArgs(pos)
	c, err := env.connectOrCache(ctx)
	if err != nil {
		return err
	}
	res, err := c.Search(ctx, text, *limit)
	if err != nil {
		return err
	}
	out := struct {
		Songs     []songOut     `json:"songs"`
		Albums    []albumOut    `json:"albums"`
		Artists   []artistOut   `json:"artists"`
		Playlists []playlistOut `json:"playlists"`
		Podcasts  []podcastOut  `json:"podcasts"`
	}{songsOut(res.Songs), albumsOut(res.Albums), artistsOut(res.Artists), playlistsOut(res.Playlists), podcastsOut(res.Podcasts)}
	return env.output(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		section := func(title string, n int) bool {
			if n == 0 {
				return false
			}
			fmt.Fprintf(tw, "%s (%d)\n", title, n)
			return true
		}
		if section("Songs", len(out.Songs)) {
			for _, s := range out.Songs {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.ID, s.Title, s.Artist, s.Album)
			}
		}
		if section("Albums", len(out.Albums)) {
			for _, a := range out.Albums {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t\n", a.ID, a.Name, a.Artist)
			}
		}
		if section("Artists", len(out.Artists)) {
			for _, a := range out.Artists {
				fmt.Fprintf(tw, "  %s\t%s\t\t\n", a.ID, a.Name)
			}
		}
		if section("Playlists", len(out.Playlists)) {
			for _, p := range out.Playlists {
				fmt.Fprintf(tw, "  %s\t%s\t\t\n", p.ID, p.Name)
			}
		}
		if section("Podcasts", len(out.Podcasts)) {
			for _, p := range out.Podcasts {
				fmt.Fprintf(tw, "  %s\t%s\t\t\n", p.ID, p.Name)
			}
		}
		tw.Flush()
		if len(out.Songs)+len(out.Albums)+len(out.Artists)+len(out.Playlists)+len(out.Podcasts) == 0 {
			fmt.Fprintf(w, "nothing matches %q\n", text)
		}
	})
}

func joinArgs(a []string) string { return strings.Join(a, " ") }
