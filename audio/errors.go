package audio

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/ampdesk/ampdesk/internal/redact"
)

// Sentinel errors. Compare with errors.Is; the concrete errors below carry
// the details.
var (
	// ErrUnsupportedFormat: the stream is audio the decoders do not play
	// (AAC, Opus, ...) or not audio at all. Returned inside *DecodeError.
	ErrUnsupportedFormat = errors.New("unsupported audio format")
	// ErrCorruptStream: the stream looked like a supported format but
	// could not be decoded. Returned inside *DecodeError.
	ErrCorruptStream = errors.New("corrupt audio stream")
	// ErrNoDevice: no sound output could be opened. Returned inside
	// *NoDeviceError.
	ErrNoDevice = errors.New("no sound device")
	// ErrClosed: the Player or Output was closed.
	ErrClosed = errors.New("audio: closed")
)

// DecodeError reports a stream that cannot be played: errors.Is(err,
// ErrUnsupportedFormat) or errors.Is(err, ErrCorruptStream).
type DecodeError struct {
	// Format is what the stream was detected as: "mp3", "flac", "vorbis",
	// "wav", or for unsupported streams e.g. "aac", "opus", "mp4",
	// "unknown".
	Format string
	// ContentType is the type the server declared, if any.
	ContentType string
	// Kind is ErrUnsupportedFormat or ErrCorruptStream.
	Kind error
	// Err is the decoder's own error, if any.
	Err error
}

func (e *DecodeError) Error() string {
	msg := e.Kind.Error()
	if e.Format != "" {
		msg += " (" + e.Format
		if e.ContentType != "" {
			msg += ", served as " + e.ContentType
		}
		msg += ")"
	} else if e.ContentType != "" {
		msg += " (served as " + e.ContentType + ")"
	}
	if e.Err != nil {
		msg += ": " + redact.String(e.Err.Error())
	}
	return msg
}

// Is reports whether target is e's Kind.
func (e *DecodeError) Is(target error) bool { return target == e.Kind }

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// HTTPError reports a response status that retrying will not fix (404,
// 403, ...), or the last status after the retries ran out.
type HTTPError struct {
	URL        string // redacted
	StatusCode int
	Status     string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("stream %s: server answered %s", e.URL, e.Status)
}

// NetworkError reports a stream that could not be read, after its retries.
type NetworkError struct {
	URL      string // redacted
	Attempts int    // requests made
	Err      error  // the last failure
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("stream %s: network error after %d attempts: %s", e.URL, e.Attempts, redact.String(e.Err.Error()))
}

func (e *NetworkError) Unwrap() error { return e.Err }

// NoDeviceError reports that the sound output could not be opened: no sound
// server and no usable ALSA device, or one that did not become ready in
// time. errors.Is(err, ErrNoDevice) holds.
type NoDeviceError struct {
	Reason string // short and plain, e.g. "no PulseAudio server and no ALSA device"
	Err    error  // what the audio library said (long)
	// Retry: NewOutput may succeed if called again in this process (once
	// a sound server runs). False when oto was asked and failed: it
	// allows one attempt per process, so the program must be restarted.
	Retry bool
}

func (e *NoDeviceError) Error() string {
	msg := ErrNoDevice.Error()
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if !e.Retry {
		msg += " (restart Ampdesk after starting the sound server)"
	}
	return msg
}

func (e *NoDeviceError) Is(target error) bool { return target == ErrNoDevice }

func (e *NoDeviceError) Unwrap() error { return e.Err }

// TrackError is the error of one track: which one, and why.
type TrackError struct {
	Track Track
	Err   error
}

func (e *TrackError) Error() string {
	name := e.Track.Title
	if name == "" {
		name = e.Track.ID
	}
	return fmt.Sprintf("track %q: %v", name, e.Err)
}

func (e *TrackError) Unwrap() error { return e.Err }

// netCause strips the URL from a *url.Error (its text would carry the
// session token), keeping the operation and the cause.
func netCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
