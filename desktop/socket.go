package desktop

import (
	"context"
	"math"

	"github.com/ampdesk/ampdesk/desktop/control"
)

// handleControl runs a command from the control socket.
func (s *Services) handleControl(ctx context.Context, req control.Request) control.Response {
	ok := control.Response{OK: true}
	switch req.Command {
	case control.CmdPing:
	case control.CmdPlayPause:
		s.playPause()
	case control.CmdPlay:
		s.play()
	case control.CmdPause:
		s.pause()
	case control.CmdNext:
		s.next()
	case control.CmdPrev:
		s.previous()
	case control.CmdStop:
		s.stop()
	case control.CmdRaise:
		s.raise()
	case control.CmdStatus:
		ok.Status = s.snapshot().controlStatus()
	case control.CmdVolume:
		v := req.Volume.Apply(s.snapshot().Volume)
		s.setVolume(v)
		s.waitPlayer(func(sn snapshot) bool { return math.Abs(sn.Volume-v) < 1e-6 })
		s.platform.refresh()
		ok.Status = s.snapshot().controlStatus()
	default:
		return control.Response{Error: "unknown command " + req.Command}
	}
	return ok
}
