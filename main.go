// Command ampdesk is a desktop client for the Ampache media server: with no
// arguments it opens the window, with --demo the window on an embedded demo
// server, and with a command it runs the command line (ampdesk help).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ampdesk/ampdesk/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	code := cli.Run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}
