package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ampdesk/ampdesk/client/ampachetest"
)

// DemoLibrary is the library `ampdesk --demo` and `ampdesk demo-server`
// serve by default: a few hundred albums with art.
func DemoLibrary() ampachetest.Library {
	return ampachetest.Library{
		Artists: 60, AlbumsPerArtist: 5, SongsPerAlbum: 10,
		Podcasts: 4, EpisodesPerPodcast: 8, Playlists: 6, LiveStreams: 3, Seed: 1,
	}
}

func cmdDemoServer(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("demo-server", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	lib := DemoLibrary()
	fs.IntVar(&lib.Artists, "artists", lib.Artists, "number of artists")
	fs.IntVar(&lib.AlbumsPerArtist, "albums-per-artist", lib.AlbumsPerArtist, "albums per artist")
	fs.IntVar(&lib.SongsPerAlbum, "songs-per-album", lib.SongsPerAlbum, "songs per album")
	fs.IntVar(&lib.Podcasts, "podcasts", lib.Podcasts, "number of podcasts")
	api := fs.Int("api", 6, "newest API version offered: 4, 5 or 6")
	tokensFile := fs.String("tokens-file", "", "for tests: when stopped, write every session token the server issued to this file, one a line (to check that none was stored or logged)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("demo-server takes no arguments")
	}
	if *api < 4 || *api > 6 {
		return usagef("--api must be 4, 5 or 6")
	}
	srv := ampachetest.NewUnstartedServer(ampachetest.Options{Library: lib, APIVersion: *api})
	if err := srv.StartOn(*listen); err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	defer srv.Close()
	out := map[string]any{
		"url":   srv.URL,
		"admin": map[string]any{"user": srv.Admin.Username, "password": srv.Admin.Password, "api_key": srv.Admin.APIKey},
		"user":  map[string]any{"user": srv.User.Username, "password": srv.User.Password, "api_key": srv.User.APIKey},
	}
	err = env.output(out, func(w io.Writer) {
		fmt.Fprintf(w, "Ampache demo server at %s\n", srv.URL)
		fmt.Fprintf(w, "  admin: user %s  password %s  API key %s\n", srv.Admin.Username, srv.Admin.Password, srv.Admin.APIKey)
		fmt.Fprintf(w, "  user:  user %s  password %s  API key %s\n", srv.User.Username, srv.User.Password, srv.User.APIKey)
		fmt.Fprintf(w, "log in with: printf %%s %s | ampdesk login %s --user %s --password-stdin\n", srv.Admin.Password, srv.URL, srv.Admin.Username)
		fmt.Fprintln(w, "Ctrl-C stops it.")
	})
	if err != nil {
		return err
	}
	if f, ok := env.Stdout.(interface{ Sync() error }); ok {
		f.Sync()
	}
	<-ctx.Done()
	if *tokensFile != "" {
		tokens := strings.Join(srv.IssuedTokens(), "\n")
		if err := os.WriteFile(*tokensFile, []byte(tokens+"\n"), 0o600); err != nil {
			return fmt.Errorf("write the tokens: %w", err)
		}
	}
	return nil
}
