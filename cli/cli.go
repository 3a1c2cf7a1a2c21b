// Package cli is Ampdesk's command-line face: subcommands over package
// core, plain or --json output, and exit codes 0 ok, 1 failure, 2 usage.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// Env is what a command runs with: the process's streams and the global
// flags. Tests build one with their own buffers.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	Profile   string // --profile
	JSON      bool   // --json
	ConfigDir string // --config-dir
	Verbose   bool   // -v, --verbose

	// Keyring overrides the OS keyring (tests).
	Keyring storage.Keyring

	core *core.Core
}

// usageError is a wrong command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

type command struct {
	name    string
	args    string // synopsis of the arguments
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"login", "URL|ampache://... [--user NAME] [--password-stdin|--api-key-stdin] [--name PROFILE] [--api 4|5|6] [--trust-certificate SHA256]", "check a server and save it as a profile (the secret goes to the keyring)", cmdLogin},
		{"logout", "", "end the session and remove the profile's secret from the keyring", cmdLogout},
		{"profiles", "", "list the saved server profiles", cmdProfiles},
		{"ping", "", "check the connection and show the server's versions", cmdPing},
		{"ls", "artists|albums|songs|genres|playlists|podcasts | album|artist|playlist|episodes|genre ID [--filter TEXT] [--limit N]", "list the library", cmdLs},
		{"search", "TEXT [--limit N]", "search songs, albums, artists, playlists and podcasts", cmdSearch},
		{"playlist", "create NAME [--public] | rename ID NAME | delete ID | add ID ITEM... [--type song|album|artist|playlist] | remove ID SONG... | reorder ID SONG... | generate [--mode random|recent|forgotten|unplayed] [--limit N]", "manage playlists", cmdPlaylist},
		{"bookmark", "list | get TYPE ID | set TYPE ID POSITION | delete TYPE ID", "playback positions kept on the server (TYPE: song, podcast_episode)", cmdBookmark},
		{"localplay", "status|play|pause|stop|next|prev|skip N|volume up|down|mute|add TYPE ID... [--clear]|clear|songs", "control the server's own player", cmdLocalplay},
		{"democratic", "list|vote SONG|devote SONG|play", "the democratic (voting) queue", cmdDemocratic},
		{"demo-server", "[--listen ADDR] [--artists N] [--albums-per-artist N] [--songs-per-album N] [--tokens-file FILE]", "run an in-process Ampache server with a generated library", cmdDemoServer},
	}
}

// Extra commands registered by other files (play, sync, ...).
var extraCommands []command

func allCommands() []command {
	return append(commands(), extraCommands...)
}

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(ctx context.Context, args []string, env *Env) int {
	rest, err := env.parseGlobals(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ampdesk: %v\n", err)
		return ExitUsage
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		env.printUsage(env.Stdout)
		if len(rest) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	var cmd *command
	for _, c := range allCommands() {
		if c.name == rest[0] {
			c := c
			cmd = &c
		}
	}
	if cmd == nil {
		fmt.Fprintf(env.Stderr, "ampdesk: unknown command %q (ampdesk help lists them)\n", rest[0])
		return ExitUsage
	}
	err = cmd.run(ctx, env, rest[1:])
	if env.core != nil {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		env.core.Close(closeCtx)
		cancel()
	}
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "ampdesk %s: %v\nusage: ampdesk %s %s\n", cmd.name, err, cmd.name, cmd.args)
		return ExitUsage
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(env.Stdout, "usage: ampdesk %s %s\n  %s\n", cmd.name, cmd.args, cmd.summary)
		return ExitOK
	default:
		fmt.Fprintf(env.Stderr, "ampdesk: %s\n", oneLine(core.Explain(err)))
		return ExitFailure
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (env *Env) printUsage(w io.Writer) {
	fmt.Fprintln(w, "Ampdesk, a desktop client for Ampache. Without a command it opens the window.")
	fmt.Fprintln(w, "\nusage: ampdesk [--profile NAME] [--json] [--config-dir DIR] [-v] COMMAND [ARGS]")
	fmt.Fprintln(w, "       ampdesk [--demo]    open the window (--demo: on an embedded demo server)")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range allCommands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
		fmt.Fprintf(w, "  %-12s   %s\n", "", c.args)
	}
	fmt.Fprintln(w, "\nexit codes: 0 ok, 1 failure (one line on stderr), 2 wrong usage")
}

// parseGlobals takes the global flags out of args wherever they appear.
func (env *Env) parseGlobals(args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
			continue
		}
		takeValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "profile":
			env.Profile, err = takeValue()
		case "config-dir":
			env.ConfigDir, err = takeValue()
		case "json":
			env.JSON = true
		case "v", "verbose":
			env.Verbose = true
		default:
			rest = append(rest, a)
		}
		if err != nil {
			return nil, err
		}
	}
	return rest, nil
}

// openCore makes the core (config dirs, profiles, keyring) on first use.
func (env *Env) openCore() (*core.Core, error) {
	if env.core != nil {
		return env.core, nil
	}
	dirs, err := storage.ResolveDirs(env.ConfigDir)
	if err != nil {
		return nil, err
	}
	level := slog.LevelWarn
	if env.Verbose {
		level = slog.LevelDebug
	}
	c, err := core.New(core.Options{
		Dirs:    dirs,
		Keyring: env.Keyring,
		Logger:  slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level})),
	})
	if err != nil {
		return nil, err
	}
	env.core = c
	return c, nil
}

// connect opens the chosen profile.
func (env *Env) connect(ctx context.Context) (*core.Core, error) {
	c, err := env.openCore()
	if err != nil {
		return nil, err
	}
	if _, _, ok := c.Connection(); ok {
		return c, nil
	}
	if p, err := c.Connect(ctx, env.Profile); err != nil {
		return nil, withTrustHint(err, p.Name, false)
	}
	return c, nil
}

// connectOrCache opens the chosen profile, or — when its server cannot be
// reached and its library was synced — the cached library, saying so on
// stderr. For commands that read (ls, search, play).
func (env *Env) connectOrCache(ctx context.Context) (*core.Core, error) {
	c, err := env.openCore()
	if err != nil {
		return nil, err
	}
	if _, _, ok := c.Connection(); ok {
		return c, nil
	}
	if _, err := c.ConnectOrOffline(ctx, env.Profile); err != nil {
		return nil, err
	}
	if p, off := c.Offline(); off {
		fmt.Fprintf(env.Stderr, "ampdesk: offline (the server of %q is unreachable): using the library cached on this computer\n", p.Name)
	}
	return c, nil
}

// parseFlags parses fs over args, allowing flags after positional
// arguments, and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// output prints v as indented JSON with --json, else calls text.
func (env *Env) output(v any, text func(w io.Writer)) error {
	if env.JSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(env.Stdout)
	return nil
}

// readSecret reads a password or API key from stdin: the first line,
// without its line ending.
func readSecret(r io.Reader) (string, error) {
	if r == nil {
		r = os.Stdin
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", fmt.Errorf("read the secret from stdin: %w", err)
	}
	s, _, _ := strings.Cut(string(b), "\n")
	s = strings.TrimRight(s, "\r")
	if s == "" {
		return "", usagef("stdin held no secret")
	}
	return s, nil
}
