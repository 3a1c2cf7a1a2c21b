package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// LocalplayService drives the server's localplay player: a player on the
// server machine (MPD, VLC, ...) that the client remote-controls.
// Localplay needs the server's localplay access level (often 100).
type LocalplayService service

// LocalplayCommand is a localplay command.
type LocalplayCommand string

// Localplay commands.
const (
	LocalplayCmdNext       LocalplayCommand = "next"
	LocalplayCmdPrev       LocalplayCommand = "prev"
	LocalplayCmdStop       LocalplayCommand = "stop"
	LocalplayCmdPlay       LocalplayCommand = "play"
	LocalplayCmdPause      LocalplayCommand = "pause"
	LocalplayCmdAdd        LocalplayCommand = "add"
	LocalplayCmdVolumeUp   LocalplayCommand = "volume_up"
	LocalplayCmdVolumeDown LocalplayCommand = "volume_down"
	LocalplayCmdVolumeMute LocalplayCommand = "volume_mute"
	LocalplayCmdDeleteAll  LocalplayCommand = "delete_all"
	LocalplayCmdSkip       LocalplayCommand = "skip"
	LocalplayCmdStatus     LocalplayCommand = "status"
)

// Command sends a command without parameters (next, prev, stop, play,
// pause, volume_up, volume_down, volume_mute, delete_all, skip). A command
// the player reports as not done is ErrCommandFailed.
func (s *LocalplayService) Command(ctx context.Context, cmd LocalplayCommand) error {
	req, err := s.client.newRequest(ctx, "localplay", nil)
	if err != nil {
		return err
	}
	return doLocalplay(s.client, req.set("command", string(cmd)), cmd, nil)
}

// Next skips to the next entry.
func (s *LocalplayService) Next(ctx context.Context) error { return s.Command(ctx, LocalplayCmdNext) }

// Prev goes back to the previous entry.
func (s *LocalplayService) Prev(ctx context.Context) error { return s.Command(ctx, LocalplayCmdPrev) }

// Stop stops playback.
func (s *LocalplayService) Stop(ctx context.Context) error { return s.Command(ctx, LocalplayCmdStop) }

// Play starts playback.
func (s *LocalplayService) Play(ctx context.Context) error { return s.Command(ctx, LocalplayCmdPlay) }

// Pause pauses (or resumes) playback.
func (s *LocalplayService) Pause(ctx context.Context) error { return s.Command(ctx, LocalplayCmdPause) }

// VolumeUp raises the volume one step.
func (s *LocalplayService) VolumeUp(ctx context.Context) error {
	return s.Command(ctx, LocalplayCmdVolumeUp)
}

// VolumeDown lowers the volume one step.
func (s *LocalplayService) VolumeDown(ctx context.Context) error {
	return s.Command(ctx, LocalplayCmdVolumeDown)
}

// VolumeMute mutes the player.
func (s *LocalplayService) VolumeMute(ctx context.Context) error {
	return s.Command(ctx, LocalplayCmdVolumeMute)
}

// DeleteAll empties the queue.
func (s *LocalplayService) DeleteAll(ctx context.Context) error {
	return s.Command(ctx, LocalplayCmdDeleteAll)
}

// Skip skips to the next entry; SkipTo goes to a given one.
func (s *LocalplayService) Skip(ctx context.Context) error { return s.Command(ctx, LocalplayCmdSkip) }

// SkipTo jumps to the queue entry at track (see LocalplaySong.Track).
func (s *LocalplayService) SkipTo(ctx context.Context, track int) error {
	req, err := s.client.newRequest(ctx, "localplay", nil)
	if err != nil {
		return err
	}
	req.set("command", string(LocalplayCmdSkip)).set("track", strconv.Itoa(track))
	return doLocalplay(s.client, req, LocalplayCmdSkip, nil)
}

// Status returns the player's state.
func (s *LocalplayService) Status(ctx context.Context) (*LocalplayStatus, error) {
	req, err := s.client.newRequest(ctx, "localplay", nil)
	if err != nil {
		return nil, err
	}
	var st LocalplayStatus
	if err := doLocalplay(s.client, req.set("command", string(LocalplayCmdStatus)), LocalplayCmdStatus, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// LocalplayAddOptions are the optional parameters of Add.
type LocalplayAddOptions struct {
	Clear bool `url:"clear,omitempty"` // empty the queue first
}

// Add puts an object in the queue: typ is TypeSong, TypePodcastEpisode,
// TypeVideo, TypeLiveStream, TypeDemocratic, "channel" or "broadcast".
// With an MPD player that is stopped, the server empties MPD's queue first.
func (s *LocalplayService) Add(ctx context.Context, id ID, typ ObjectType, opts *LocalplayAddOptions) error {
	req, err := s.client.newRequest(ctx, "localplay", opts)
	if err != nil {
		return err
	}
	// oid for every server, filter for Ampache 7.9+ where oid is deprecated.
	req.set("command", string(LocalplayCmdAdd)).set("oid", string(id)).set("filter", string(id)).set("type", string(typ))
	return doLocalplay(s.client, req, LocalplayCmdAdd, nil)
}

// Songs lists the queue (API5+).
func (s *LocalplayService) Songs(ctx context.Context) (*Page[LocalplaySong], error) {
	req, err := s.client.newRequest(ctx, "localplay_songs", nil)
	if err != nil {
		return nil, err
	}
	return doList[LocalplaySong](s.client, req, "localplay_songs", "localplay_song")
}

// doLocalplay sends a localplay command and reads
// {"localplay": {"command": {"<cmd>": result}}}; result is true/false for
// plain commands and the status object for status (decoded into into).
func doLocalplay(c *Client, req *request, cmd LocalplayCommand, into any) error {
	p, err := c.call(req)
	if err != nil {
		return err
	}
	result, err := localplayResult(p, string(cmd))
	if err != nil {
		return wrapErr(req.action, err)
	}
	if into != nil {
		if err := json.Unmarshal(result, into); err != nil {
			return wrapErr(req.action, decodeError(req.action, "localplay.command."+string(cmd), err))
		}
		return nil
	}
	var ok Bool
	if kind(result) == '{' || kind(result) == '[' {
		ok = true // a detailed answer means it was done
	} else if err := json.Unmarshal(result, &ok); err != nil {
		return wrapErr(req.action, decodeError(req.action, "localplay.command."+string(cmd), err))
	}
	if !ok {
		return wrapErr(req.action, fmt.Errorf("localplay %s: %w", cmd, ErrCommandFailed))
	}
	return nil
}

func localplayResult(p *payload, cmd string) (json.RawMessage, error) {
	var w struct {
		Localplay struct {
			Command map[string]json.RawMessage `json:"command"`
		} `json:"localplay"`
	}
	raw := json.RawMessage(p.body)
	if arr, err := p.elements(); err != nil {
		return nil, err
	} else if len(arr) > 0 {
		raw = arr[0]
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, decodeError(p.action, "localplay", err)
	}
	result, ok := w.Localplay.Command[cmd]
	if !ok {
		return nil, &DecodeError{Method: p.action, Field: "localplay.command." + cmd, Offset: -1,
			Err: errors.New("the reply has no result for the command")}
	}
	return result, nil
}
