//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package control

import "os"

// lockFile does not lock on this system: the claim relies on the socket
// alone (a second instance finds the first by connecting to it), so two
// instances started in the same instant could both run. Windows: replace
// with LockFileEx (golang.org/x/sys/windows) when Ampdesk ships there.
func lockFile(*os.File) error { return nil }

func checkOwner(os.FileInfo) error { return nil }
