//go:build !cgo || !linux

package alsaquiet

// Silence does nothing in this build (no cgo, or not Linux): there is no
// alsa-lib to silence, or it cannot be reached.
func Silence() (alsa, jack bool) { return false, false }
