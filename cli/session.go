package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/ampdesk/ampdesk/core"
)

func cmdLogin(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	user := fs.String("user", "", "user name (for a password)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from stdin")
	keyStdin := fs.Bool("api-key-stdin", false, "read an API key from stdin")
	name := fs.String("name", "", "profile name (default: the server's host name)")
	api := fs.Int("api", 0, "pin the API version: 4, 5 or 6 (default: the newest the server offers)")
	trust := fs.String("trust-certificate", "", trustFlagUsage)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one server URL or ampache:// string")
	}
	if *pwStdin && *keyStdin {
		return usagef("give --password-stdin or --api-key-stdin, not both")
	}
	if *api != 0 && (*api < 4 || *api > 6) {
		return usagef("--api must be 4, 5 or 6")
	}
	req := core.LoginRequest{Server: pos[0], User: *user, Name: *name, API: *api, TLSPin: *trust}
	switch {
	case *pwStdin:
		if req.Password, err = readSecret(env.Stdin); err != nil {
			return err
		}
	case *keyStdin:
		if req.APIKey, err = readSecret(env.Stdin); err != nil {
			return err
		}
	}
	c, err := env.openCore()
	if err != nil {
		return err
	}
	lctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	p, err := c.Login(lctx, req)
	if err != nil {
		if err == core.ErrMissingCredentials {
			return usagef("%v (--password-stdin with --user, or --api-key-stdin)", err)
		}
		return withTrustHint(err, *name, true)
	}
	_, info, _ := c.Connection()
	return env.output(map[string]any{
		"profile": p.Name, "url": p.URL, "user": info.User, "server": info.ServerVersion, "api": info.API,
	}, func(w io.Writer) {
		fmt.Fprintf(w, "logged in to %s as %s (Ampache %s, API %s); saved as profile %q\n", p.URL, info.User, info.ServerVersion, info.API, p.Name)
	})
}

func cmdLogout(ctx context.Context, env *Env, args []string) error {
	if len(args) != 0 {
		return usagef("logout takes no arguments (choose the profile with --profile)")
	}
	c, err := env.openCore()
	if err != nil {
		return err
	}
	// End the server session too, when the secret still works; a failure
	// here (server away, secret gone) does not stop the logout.
	_, _ = c.Connect(ctx, env.Profile)
	p, err := c.Logout(ctx, env.Profile)
	if err != nil {
		return err
	}
	return env.output(map[string]any{"profile": p.Name, "logged_out": true}, func(w io.Writer) {
		fmt.Fprintf(w, "logged out of %q; its secret is removed from the keyring\n", p.Name)
	})
}

func cmdProfiles(ctx context.Context, env *Env, args []string) error {
	if len(args) != 0 {
		return usagef("profiles takes no arguments")
	}
	c, err := env.openCore()
	if err != nil {
		return err
	}
	list := c.Profiles().List()
	def, _ := c.Profiles().Default()
	type profileOut struct {
		Name    string `json:"name"`
		URL     string `json:"url"`
		User    string `json:"user,omitempty"`
		Auth    string `json:"auth"`
		API     int    `json:"api,omitempty"`
		Default bool   `json:"default"`
	}
	out := make([]profileOut, 0, len(list))
	for _, p := range list {
		out = append(out, profileOut{p.Name, p.URL, p.User, string(p.Auth), p.API, p.Name == def.Name})
	}
	return env.output(out, func(w io.Writer) {
		if len(out) == 0 {
			fmt.Fprintln(w, "no profiles yet: ampdesk login URL --user NAME --password-stdin")
			return
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\tNAME\tURL\tUSER\tAUTH")
		for _, p := range out {
			mark := ""
			if p.Default {
				mark = "*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", mark, p.Name, p.URL, p.User, p.Auth)
		}
		tw.Flush()
	})
}

func cmdPing(ctx context.Context, env *Env, args []string) error {
	if len(args) != 0 {
		return usagef("ping takes no arguments")
	}
	c, err := env.connect(ctx)
	if err != nil {
		return err
	}
	p, _, _ := c.Connection()
	info, err := c.Ping(ctx)
	if err != nil {
		return err
	}
	return env.output(map[string]any{
		"profile": p.Name, "url": info.URL, "user": info.User, "server": info.ServerVersion,
		"api": info.API, "session_expires": info.Expires.UTC().Format(time.RFC3339),
	}, func(w io.Writer) {
		fmt.Fprintf(w, "ok: %s, Ampache %s, API %s, user %s, session until %s\n",
			info.URL, info.ServerVersion, info.API, info.User, info.Expires.Local().Format("15:04:05"))
	})
}
