package desktop

import (
	"context"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/desktop/control"
)

// snapshot is the player's state as the faces here show it.
type snapshot struct {
	State    audio.State
	Index    int // -1: nothing current
	QueueLen int
	Item     core.Item
	HasItem  bool
	Position time.Duration
	Duration time.Duration // 0 when unknown or endless
	Volume   float64       // 0 to 1
	Shuffle  bool
	Repeat   audio.Repeat
}

// snapshot reads the player's state now (the settings' volume before
// anything was played).
func (s *Services) snapshot() snapshot {
	p := s.core.Player()
	if p == nil {
		v := 0.8
		if sv := s.core.Settings().Get().Volume; sv != nil {
			v = *sv
		}
		return snapshot{Index: -1, Volume: v}
	}
	st := p.Status()
	item, ok := st.Track.Data.(core.Item)
	sn := snapshot{
		State: st.State, Index: st.Index, QueueLen: st.QueueLen,
		Item: item, HasItem: ok && st.Index >= 0,
		Position: st.Position, Duration: item.Duration,
		Volume: st.Volume, Shuffle: st.Shuffle, Repeat: st.Repeat,
	}
	if sn.Duration <= 0 && sn.HasItem && item.Type != client.TypeLiveStream && item.Type != client.TypeDemocratic {
		sn.Duration = st.Duration
	}
	if !sn.HasItem {
		sn.Index, sn.Position, sn.Duration = -1, 0, 0
	}
	return sn
}

// playing is true while the player plays or is about to (buffering).
func (sn snapshot) playing() bool {
	return sn.State == audio.Playing || sn.State == audio.Buffering
}

// hasNext reports whether Next moves to another track.
func (sn snapshot) hasNext() bool {
	return sn.QueueLen > 0 && (sn.Index < sn.QueueLen-1 || sn.Repeat != audio.RepeatOff)
}

// canSeek reports whether the current item has a known length to seek in.
func (sn snapshot) canSeek() bool { return sn.HasItem && sn.Duration > 0 }

// The transport: every face here (tray, MPRIS, control socket) acts on the
// player through these. They return at once; without a player (nothing
// played yet) they do nothing.

func (s *Services) withPlayer(f func(p *audio.Player)) {
	if p := s.core.Player(); p != nil {
		f(p)
	}
}

func (s *Services) playPause()    { s.withPlayer((*audio.Player).PlayPause) }
func (s *Services) play()         { s.withPlayer((*audio.Player).Play) }
func (s *Services) pause()        { s.withPlayer((*audio.Player).Pause) }
func (s *Services) stopPlayback() { s.withPlayer((*audio.Player).Stop) }
func (s *Services) next()         { s.withPlayer((*audio.Player).Next) }
func (s *Services) previous()     { s.withPlayer((*audio.Player).Previous) }

func (s *Services) seek(pos time.Duration) {
	s.withPlayer(func(p *audio.Player) { p.Seek(max(pos, 0)) })
}

// setVolume sets and remembers the volume (0 to 1).
func (s *Services) setVolume(v float64) { s.core.SetVolume(min(max(v, 0), 1)) }

func (s *Services) setShuffle(on bool) {
	s.withPlayer(func(p *audio.Player) { p.SetShuffle(on) })
}

func (s *Services) setRepeat(r audio.Repeat) {
	s.withPlayer(func(p *audio.Player) { p.SetRepeat(r) })
}

// waitPlayer waits a little for the player to apply a command (its
// methods only queue them), so that a read right after a write sees it.
func (s *Services) waitPlayer(done func(sn snapshot) bool) {
	s.waitPlayerFor(context.Background(), 500*time.Millisecond, done)
}

// waitPlayerFor is waitPlayer with its own bound, which ctx can shorten.
func (s *Services) waitPlayerFor(ctx context.Context, limit time.Duration, done func(sn snapshot) bool) {
	if s.core.Player() == nil {
		return // nothing was queued
	}
	deadline := time.Now().Add(limit)
	for !done(s.snapshot()) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}

func stateName(st audio.State) string {
	switch st {
	case audio.Playing:
		return "playing"
	case audio.Paused:
		return "paused"
	case audio.Buffering:
		return "buffering"
	}
	return "stopped"
}

func repeatName(r audio.Repeat) string {
	switch r {
	case audio.RepeatAll:
		return "all"
	case audio.RepeatOne:
		return "one"
	}
	return "off"
}

// controlStatus is the snapshot as the control socket reports it.
func (sn snapshot) controlStatus() *control.Status {
	st := &control.Status{
		State: stateName(sn.State), Index: sn.Index, QueueLength: sn.QueueLen,
		PositionSeconds: sn.Position.Seconds(), DurationSeconds: sn.Duration.Seconds(),
		Volume: int(sn.Volume*100 + 0.5), Shuffle: sn.Shuffle, Repeat: repeatName(sn.Repeat),
	}
	if sn.HasItem {
		st.Title, st.Artist, st.Album = sn.Item.Title, sn.Item.Artist, sn.Item.Album
	}
	return st
}
