package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"syscall"
	"time"
)

// ErrNotRunning means no Ampdesk instance answers for the config folder.
var ErrNotRunning = errors.New("Ampdesk is not running")

// CommandError is a command the running instance refused or could not
// carry out; Message is its explanation.
type CommandError struct{ Message string }

func (e *CommandError) Error() string { return e.Message }

// maxResponse bounds an answer line.
const maxResponse = 64 << 10

// Send sends req to the instance that uses configDir and returns its
// answer: ErrNotRunning when there is none, *CommandError when it
// refused the command.
func Send(ctx context.Context, configDir string, req Request) (Response, error) {
	f, err := filesFor(configDir)
	if err != nil {
		return Response{}, err
	}
	return send(ctx, f.socket, req)
}

func send(ctx context.Context, socket string, req Request) (Response, error) {
	if _, ok := ctx.Deadline(); !ok {
		limit := connTimeout
		if req.ID != "" {
			limit += handlerTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
			return Response{}, ErrNotRunning
		}
		var netErr net.Error
		if ctx.Err() != nil || (errors.As(err, &netErr) && netErr.Timeout()) {
			// A live instance's socket accepts at once (the kernel
			// queues the connection); a dial that runs out of time
			// (or starts with none left: the context's own timer may
			// not have fired yet) found no one.
			return Response{}, ErrNotRunning
		}
		return Response{}, fmt.Errorf("connect to the running Ampdesk: %w", err)
	}
	defer conn.Close()
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	if _, err := conn.Write([]byte(req.String() + "\n")); err != nil {
		return Response{}, fmt.Errorf("send to the running Ampdesk: %w", err)
	}
	r := bufio.NewReaderSize(conn, maxResponse)
	line, err := r.ReadSlice('\n')
	if err != nil {
		if ctx.Err() != nil {
			return Response{}, fmt.Errorf("the running Ampdesk did not answer: %w", ctx.Err())
		}
		return Response{}, fmt.Errorf("the running Ampdesk did not answer: %w", err)
	}
	var resp Response
	if err := json.Unmarshal(line, &resp); err != nil {
		return Response{}, fmt.Errorf("the running Ampdesk's answer could not be read: %w", err)
	}
	if !resp.OK {
		msg := resp.Error
		if msg == "" {
			msg = "the running Ampdesk refused the command"
		}
		return resp, &CommandError{Message: msg}
	}
	return resp, nil
}
