package desktop

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
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
		if req.ID == "" {
			s.play()
			break
		}
		if err := s.playObject(ctx, client.ObjectType(req.Type), client.ID(req.ID)); err != nil {
			return control.Failure(errors.New(core.Explain(err)))
		}
		ok.Status = s.snapshot().controlStatus()
	case control.CmdPause:
		s.pause()
	case control.CmdNext:
		s.next()
	case control.CmdPrev:
		s.previous()
	case control.CmdStop:
		s.stopPlayback()
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

// firstSoundWait bounds how long playObject waits for the first song to
// start: the first play of a process opens the sound device, and the
// stream's first bytes come from the server.
const firstSoundWait = 5 * time.Second

// playObject replaces the queue with an object's songs and plays them,
// waiting for the first to start (or fail) so the answer shows it.
func (s *Services) playObject(ctx context.Context, typ client.ObjectType, id client.ID) error {
	songs, err := s.core.SongsOf(ctx, typ, id)
	if err != nil {
		return err
	}
	if err := s.core.PlaySongs(songs, 0, false); err != nil {
		return err
	}
	s.waitPlayerFor(ctx, firstSoundWait, func(sn snapshot) bool {
		return sn.State == audio.Playing && sn.QueueLen == len(songs) && sn.HasItem && sn.Item.ID == songs[0].ID
	})
	return nil
}
