// Package control is Ampdesk's single-instance lock and local control
// socket: the running window claims it, and `ampdesk control`, a second
// `ampdesk` start or a script sends it one-line commands.
//
// # Protocol
//
// A client connects to the Unix socket (mode 0600, in a 0700 folder under
// $XDG_RUNTIME_DIR), writes one command line and reads one line of JSON:
//
//	play-pause | play | pause | next | prev | stop | status | raise | ping
//	volume N        N: 0 to 100, or +N / -N to change it by N
//	play TYPE ID    play an object's songs now (song, album, artist,
//	                playlist, genre), replacing the queue
//
//	{"ok":true,"status":{...}}    or    {"ok":false,"error":"..."}
//
// status, volume and play TYPE ID answer with the player's Status; the
// other commands with ok alone. The connection then closes. A line longer than 1 KiB, an
// unknown command or a bad argument gets an error answer; a client that
// sends nothing is dropped after a few seconds.
package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Commands of the protocol.
const (
	CmdPing      = "ping"
	CmdPlayPause = "play-pause"
	CmdPlay      = "play"
	CmdPause     = "pause"
	CmdNext      = "next"
	CmdPrev      = "prev"
	CmdStop      = "stop"
	CmdStatus    = "status"
	CmdVolume    = "volume"
	CmdRaise     = "raise"
)

// commandNames lists every command, in the order the usage shows them.
var commandNames = []string{CmdPlayPause, CmdPlay, CmdPause, CmdNext, CmdPrev, CmdStop, CmdStatus, CmdVolume, CmdRaise, CmdPing}

// Commands returns the names of the commands, for usage messages.
func Commands() []string { return append([]string(nil), commandNames...) }

// maxLine bounds a request line.
const maxLine = 1024

// Request is one parsed command.
type Request struct {
	Command string
	// Volume is set for CmdVolume.
	Volume Volume
	// Type and ID name what CmdPlay plays; empty: resume.
	Type, ID string
}

// playTypes are the object types CmdPlay takes.
var playTypes = []string{"song", "album", "artist", "playlist", "genre"}

// maxID bounds an object id.
const maxID = 64

// Volume is the argument of the volume command: an absolute level or a
// change, in percent.
type Volume struct {
	Percent  int  // 0..100 when absolute; -100..100 when Relative
	Relative bool // +N or -N
}

// Apply returns the volume (0 to 1) this request sets, starting from cur.
func (v Volume) Apply(cur float64) float64 {
	if !v.Relative {
		return float64(v.Percent) / 100
	}
	return min(max(cur+float64(v.Percent)/100, 0), 1)
}

// String formats the argument as it is written on the command line.
func (v Volume) String() string {
	if v.Relative && v.Percent >= 0 {
		return "+" + strconv.Itoa(v.Percent)
	}
	return strconv.Itoa(v.Percent)
}

// String formats the request as its protocol line (without the newline).
func (r Request) String() string {
	switch {
	case r.Command == CmdVolume:
		return CmdVolume + " " + r.Volume.String()
	case r.Command == CmdPlay && r.ID != "":
		return CmdPlay + " " + r.Type + " " + r.ID
	}
	return r.Command
}

// ErrBadRequest wraps every reason a command line is refused.
var ErrBadRequest = errors.New("bad control command")

// ParseRequest parses a command line: a command and, for volume, its
// argument (see the package documentation).
func ParseRequest(line string) (Request, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return Request{}, fmt.Errorf("%w: empty line", ErrBadRequest)
	}
	cmd, args := strings.ToLower(fields[0]), fields[1:]
	known := false
	for _, c := range commandNames {
		known = known || c == cmd
	}
	if !known {
		return Request{}, fmt.Errorf("%w: unknown command %q (one of %s)", ErrBadRequest, fields[0], strings.Join(commandNames, ", "))
	}
	if cmd == CmdPlay && len(args) > 0 {
		return parsePlay(args)
	}
	if cmd != CmdVolume {
		if len(args) > 0 {
			return Request{}, fmt.Errorf("%w: %s takes no argument", ErrBadRequest, cmd)
		}
		return Request{Command: cmd}, nil
	}
	if len(args) != 1 {
		return Request{}, fmt.Errorf("%w: volume needs one argument: 0 to 100, +N or -N", ErrBadRequest)
	}
	v, err := ParseVolume(args[0])
	if err != nil {
		return Request{}, err
	}
	return Request{Command: CmdVolume, Volume: v}, nil
}

// parsePlay parses the arguments of "play TYPE ID".
func parsePlay(args []string) (Request, error) {
	if len(args) != 2 {
		return Request{}, fmt.Errorf("%w: play takes no argument, or TYPE ID", ErrBadRequest)
	}
	typ, id := strings.ToLower(args[0]), args[1]
	if !slices.Contains(playTypes, typ) {
		return Request{}, fmt.Errorf("%w: cannot play a %q (one of %s)", ErrBadRequest, args[0], strings.Join(playTypes, ", "))
	}
	if len(id) > maxID || strings.ContainsFunc(id, func(r rune) bool { return !unicode.IsPrint(r) || r == utf8.RuneError }) {
		return Request{}, fmt.Errorf("%w: %q is not an id", ErrBadRequest, id)
	}
	return Request{Command: CmdPlay, Type: typ, ID: id}, nil
}

// ParseVolume parses "N" (0 to 100), "+N" or "-N" (a change), with an
// optional trailing "%".
func ParseVolume(s string) (Volume, error) {
	t := strings.TrimSuffix(s, "%")
	rel := strings.HasPrefix(t, "+") || strings.HasPrefix(t, "-")
	n, err := strconv.Atoi(t)
	if err != nil || t == "" || (t[0] == '+' && len(t) == 1) {
		return Volume{}, fmt.Errorf("%w: volume %q is not a number (0 to 100, +N or -N)", ErrBadRequest, s)
	}
	if (!rel && (n < 0 || n > 100)) || (rel && (n < -100 || n > 100)) {
		return Volume{}, fmt.Errorf("%w: volume %q is out of range (0 to 100, +N or -N)", ErrBadRequest, s)
	}
	return Volume{Percent: n, Relative: rel}, nil
}

// Response is the answer to one command.
type Response struct {
	OK     bool    `json:"ok"`
	Error  string  `json:"error,omitempty"`
	Status *Status `json:"status,omitempty"`
}

// Status is the player's state as the control socket reports it.
type Status struct {
	State           string  `json:"state"` // playing, paused, stopped, buffering
	Title           string  `json:"title,omitempty"`
	Artist          string  `json:"artist,omitempty"`
	Album           string  `json:"album,omitempty"`
	Index           int     `json:"index"` // in the queue, -1 when nothing is current
	QueueLength     int     `json:"queue_length"`
	PositionSeconds float64 `json:"position_seconds"`
	DurationSeconds float64 `json:"duration_seconds,omitempty"` // 0 when unknown or endless
	Volume          int     `json:"volume"`                     // percent
	Shuffle         bool    `json:"shuffle"`
	Repeat          string  `json:"repeat"` // off, all, one
}

// Failure builds the answer to a command that failed.
func Failure(err error) Response { return Response{Error: err.Error()} }

func encodeResponse(r Response) []byte {
	b, err := json.Marshal(r)
	if err != nil { // cannot happen for these plain types
		b = []byte(`{"ok":false,"error":"internal error"}`)
	}
	return append(b, '\n')
}
