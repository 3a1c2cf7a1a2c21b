package audio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Opener opens a track's bytes. Implementations: HTTP, File, Memory.
type Opener interface {
	// Open opens the track. offset is the time the caller wants the stream
	// to start at; an opener that can start a stream at a time (a
	// transcoding server's offset parameter) does so and reports where it
	// actually started in StreamInfo.Offset, any other starts at the
	// beginning and reports 0. offset is always a whole number of seconds.
	Open(ctx context.Context, offset time.Duration) (Stream, error)
}

// Stream is an opened track. A Stream whose Info says Seekable also
// implements io.Seeker over its bytes.
type Stream interface {
	io.ReadCloser
	Info() StreamInfo
}

// StreamInfo is what is known about an opened stream.
type StreamInfo struct {
	ContentType string        // as declared, without parameters; "" if unknown
	Size        int64         // bytes; -1 if unknown
	Seekable    bool          // Seek works (a local file, or a server honouring Range)
	Remote      bool          // seeking costs a network request
	Offset      time.Duration // the time the first byte belongs to (see Opener)
	// OffsetReopen: the opener can open this track at a time offset, so a
	// seek or a reconnect may reopen it there instead of reading from the
	// start.
	OffsetReopen bool
	// Live: an endless live stream (see HTTP.Live). It cannot seek; opened
	// again, it starts at the broadcast's "now".
	Live bool
}

// titledStream is a Stream whose bytes carry titles (HTTP with ICY).
type titledStream interface {
	// StreamTitles returns the titles the reader has gone past since the
	// last call, oldest first, each with the byte of the stream it comes
	// before.
	StreamTitles() []titleAt
}

// titleAt is a title a stream announced and the byte it comes before.
type titleAt struct {
	pos   int64
	title string
}

// streamSeeker is a Stream that can seek.
type streamSeeker interface {
	Stream
	io.Seeker
}

// File is a track stored on this computer.
type File struct {
	Path        string
	ContentType string // optional; the bytes decide
}

// Open opens the file. offset is ignored: files seek by bytes.
func (f File) Open(ctx context.Context, _ time.Duration) (Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if st.IsDir() {
		fh.Close()
		return nil, fmt.Errorf("open %s: is a directory", f.Path)
	}
	ct := f.ContentType
	if ct == "" {
		ct = mime.TypeByExtension(strings.ToLower(filepath.Ext(f.Path)))
	}
	return &fileStream{File: fh, info: StreamInfo{ContentType: baseContentType(ct), Size: st.Size(), Seekable: true}}, nil
}

type fileStream struct {
	*os.File
	info StreamInfo
}

func (s *fileStream) Info() StreamInfo { return s.info }

// Memory is a track held in memory (tests, the demo, a download in
// progress).
type Memory struct {
	Data        []byte
	ContentType string
}

// Open returns a stream over the bytes. offset is ignored.
func (m Memory) Open(ctx context.Context, _ time.Duration) (Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &memoryStream{Reader: bytes.NewReader(m.Data), info: StreamInfo{
		ContentType: baseContentType(m.ContentType), Size: int64(len(m.Data)), Seekable: true,
	}}, nil
}

type memoryStream struct {
	*bytes.Reader
	info StreamInfo
}

func (s *memoryStream) Info() StreamInfo { return s.info }
func (s *memoryStream) Close() error     { return nil }

// OpenerForURL returns the Opener for a URL: HTTP for http and https (with
// the given shared client), File for file:// URLs and plain paths.
func OpenerForURL(client *http.Client, rawURL string) (Opener, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("audio: bad URL: %w", netCause(err))
	}
	switch u.Scheme {
	case "http", "https":
		return HTTP{Client: client, URL: rawURL}, nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("audio: file URL on another host %q", u.Host)
		}
		return File{Path: u.Path}, nil
	case "":
		return File{Path: rawURL}, nil
	default:
		return nil, fmt.Errorf("audio: unsupported URL scheme %q", u.Scheme)
	}
}

// baseContentType drops parameters and normalizes case: "Audio/MPEG;
// charset=x" -> "audio/mpeg".
func baseContentType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// String describes the source without its bytes.
func (m Memory) String() string {
	return fmt.Sprintf("Memory{%d bytes %s}", len(m.Data), m.ContentType)
}
