// Package mpg123 decodes MPEG audio with the system's libmpg123, loaded at
// run time (dlopen), so that the program builds and runs without it.
package mpg123

import "errors"

// Messages from Decoder.Read that are not failures.
var (
	// ErrNeedMore: feed more bytes (or, at the end of the input, the
	// stream is over).
	ErrNeedMore = errors.New("mpg123: needs more input")
	// ErrUnavailable: libmpg123 could not be loaded.
	ErrUnavailable = errors.New("mpg123: libmpg123.so.0 is not available")
)
