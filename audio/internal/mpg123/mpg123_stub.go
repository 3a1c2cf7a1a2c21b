//go:build !cgo || !linux

package mpg123

// Available reports whether libmpg123 could be loaded: never in a build
// without cgo or off Linux.
func Available() bool { return false }

// Decoder is not available in this build.
type Decoder struct{}

// New fails: libmpg123 is not available in this build.
func New() (*Decoder, error) { return nil, ErrUnavailable }

// Feed is not available in this build.
func (d *Decoder) Feed([]byte) error { return ErrUnavailable }

// Read is not available in this build.
func (d *Decoder) Read([]float32) (int, error) { return 0, ErrUnavailable }

// Rate is 0 in this build.
func (d *Decoder) Rate() int { return 0 }

// Close does nothing in this build.
func (d *Decoder) Close() {}
