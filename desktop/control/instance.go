package control

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// ErrAlreadyRunning means another process holds the instance for this
// config folder: send it CmdRaise instead of opening a second window.
var ErrAlreadyRunning = errors.New("Ampdesk is already running")

var errLocked = errors.New("locked")

// Timeouts of one connection: reading the command line and writing the
// answer, and running the command (play TYPE ID asks the server).
const (
	connTimeout    = 5 * time.Second
	handlerTimeout = 30 * time.Second
)

// Handler runs one command and returns its answer. It is called on the
// connection's goroutine and must not wait on the UI goroutine.
type Handler func(ctx context.Context, req Request) Response

// Instance is this process's claim on the single instance: a lock held
// for the life of the process and the listening control socket.
type Instance struct {
	files files
	lock  *os.File
	ln    *net.UnixListener

	closeOnce sync.Once
	mu        sync.Mutex
	conns     map[net.Conn]struct{}
	wg        sync.WaitGroup
}

// Claim makes this process the instance for configDir: it takes the lock
// and listens on the socket (mode 0600). When another process holds it,
// Claim returns ErrAlreadyRunning.
func Claim(configDir string) (*Instance, error) {
	f, err := filesFor(configDir)
	if err != nil {
		return nil, err
	}
	if err := ensurePrivateDir(f.dir); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(f.lock, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		if errors.Is(err, errLocked) {
			return nil, ErrAlreadyRunning
		}
		return nil, fmt.Errorf("instance lock %s: %w", f.lock, err)
	}
	// A socket left by a process that died is removed; one that answers
	// belongs to a live instance (on systems without the lock).
	if _, err := os.Lstat(f.socket); err == nil {
		if _, err := send(context.Background(), f.socket, Request{Command: CmdPing}); err == nil {
			lock.Close()
			return nil, ErrAlreadyRunning
		}
		if err := os.Remove(f.socket); err != nil && !errors.Is(err, fs.ErrNotExist) {
			lock.Close()
			return nil, fmt.Errorf("remove the stale control socket: %w", err)
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: f.socket, Net: "unix"})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	// The folder is 0700 already; the socket itself is 0600 too, whatever
	// the umask.
	if err := os.Chmod(f.socket, 0o600); err != nil {
		ln.Close()
		lock.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	ln.SetUnlinkOnClose(true)
	return &Instance{files: f, lock: lock, ln: ln, conns: map[net.Conn]struct{}{}}, nil
}

// SocketPath is the path of the control socket.
func (in *Instance) SocketPath() string { return in.files.socket }

// Serve answers connections with h until ctx ends or Close is called,
// then waits for the connections in progress. It returns nil then.
func (in *Instance) Serve(ctx context.Context, h Handler) error {
	stop := context.AfterFunc(ctx, func() { in.ln.Close() })
	defer stop()
	for {
		conn, err := in.ln.Accept()
		if err != nil {
			in.dropConns()
			in.wg.Wait()
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("control socket: %w", err)
		}
		in.mu.Lock()
		in.conns[conn] = struct{}{}
		in.wg.Add(1)
		in.mu.Unlock()
		go func() {
			defer in.wg.Done()
			serveConn(ctx, conn, h)
			in.mu.Lock()
			delete(in.conns, conn)
			in.mu.Unlock()
			conn.Close()
		}()
	}
}

func (in *Instance) dropConns() {
	in.mu.Lock()
	defer in.mu.Unlock()
	for c := range in.conns {
		c.Close()
	}
}

// Close stops listening (removing the socket) and releases the lock.
func (in *Instance) Close() error {
	var err error
	in.closeOnce.Do(func() {
		err = in.ln.Close()
		if errors.Is(err, net.ErrClosed) {
			err = nil
		}
		in.dropConns()
		if lerr := in.lock.Close(); err == nil {
			err = lerr
		}
	})
	return err
}

func serveConn(ctx context.Context, conn net.Conn, h Handler) {
	ctx, cancel := context.WithTimeout(ctx, handlerTimeout)
	defer cancel()
	conn.SetReadDeadline(time.Now().Add(connTimeout))
	line, err := bufio.NewReaderSize(conn, maxLine).ReadSlice('\n')
	var resp Response
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		resp = Failure(fmt.Errorf("%w: the line is longer than %d bytes", ErrBadRequest, maxLine))
	case err != nil && !(errors.Is(err, io.EOF) && len(line) > 0):
		return // nothing (complete) was sent
	default:
		req, perr := ParseRequest(strings.TrimSpace(string(line)))
		if perr != nil {
			resp = Failure(perr)
		} else {
			resp = h(ctx, req)
		}
	}
	conn.SetWriteDeadline(time.Now().Add(connTimeout))
	conn.Write(encodeResponse(resp))
}
