package control

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// maxSocketPath is the longest Unix socket path every system accepts
// (sockaddr_un holds 104 bytes on macOS and the BSDs, 108 on Linux).
const maxSocketPath = 103

// files are the socket and lock of the instance for one config folder.
type files struct {
	dir, socket, lock string
}

// SocketPath returns the control socket of the instance that uses
// configDir: one instance per config folder, so a test or a second
// profile set (--config-dir) runs its own.
func SocketPath(configDir string) (string, error) {
	f, err := filesFor(configDir)
	return f.socket, err
}

// filesFor names the files in $XDG_RUNTIME_DIR/ampdesk, or without a
// runtime dir in a private ampdesk-UID folder under the system's temp dir.
func filesFor(configDir string) (files, error) {
	var dir string
	if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" && filepath.IsAbs(rt) {
		if fi, err := os.Stat(rt); err == nil && fi.IsDir() {
			dir = filepath.Join(rt, "ampdesk")
		}
	}
	if dir == "" {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("ampdesk-%d", os.Getuid()))
	}
	if abs, err := filepath.Abs(configDir); err == nil {
		configDir = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(configDir)))
	id := hex.EncodeToString(sum[:6])
	f := files{
		dir:    dir,
		socket: filepath.Join(dir, "control-"+id+".sock"),
		lock:   filepath.Join(dir, "control-"+id+".lock"),
	}
	if len(f.socket) > maxSocketPath {
		return f, fmt.Errorf("the control socket path %s is longer than %d bytes (set a shorter XDG_RUNTIME_DIR)", f.socket, maxSocketPath)
	}
	return f, nil
}

// ensurePrivateDir creates dir with mode 0700, or checks that an
// existing one is a real folder owned by this user, and makes it 0700.
// Another user who created it first in a shared temp dir is refused.
func ensurePrivateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("control folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("control folder %s is not a folder", dir)
	}
	if err := checkOwner(fi); err != nil {
		return fmt.Errorf("control folder %s: %w", dir, err)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("control folder: %w", err)
		}
	}
	return nil
}
