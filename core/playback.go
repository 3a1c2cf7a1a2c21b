package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/storage"
)

// Item is one thing the player can play: a song, a podcast episode, a
// live stream, or the democratic stream. It carries what a face shows.
type Item struct {
	Type     client.ObjectType // song, podcast_episode, live_stream, democratic
	ID       client.ID
	Title    string
	Artist   string
	ArtistID client.ID
	Album    string // for an episode: the podcast
	AlbumID  client.ID
	Duration time.Duration // 0 for endless streams
	HasArt   bool

	Song    *client.Song           // when Type is song
	Episode *client.PodcastEpisode // when Type is podcast_episode
	// Format is the file's codec as the server reports it (mp3, flac...).
	Format string
	// directURL plays as is (live streams, the democratic stream).
	directURL string
	// localPath, when set, plays this file instead of the server's stream.
	localPath string
}

// SongItem makes the Item of a song.
func SongItem(s client.Song) Item {
	artist := s.Artist.Name
	if artist == "" {
		artist = s.AlbumArtist.Name
	}
	return Item{
		Type: client.TypeSong, ID: s.ID, Title: s.Title, Artist: artist, ArtistID: s.Artist.ID,
		Album: s.Album.Name, AlbumID: s.Album.ID, Duration: time.Duration(s.Time) * time.Second,
		HasArt: bool(s.HasArt), Song: &s, Format: s.Format,
	}
}

// EpisodeItem makes the Item of a podcast episode.
func EpisodeItem(e client.PodcastEpisode) Item {
	format := ""
	if i := strings.LastIndex(e.Filename, "."); i >= 0 {
		format = strings.ToLower(e.Filename[i+1:])
	}
	return Item{
		Type: client.TypePodcastEpisode, ID: e.ID, Title: e.Title, Artist: e.Author,
		Album: e.Podcast.Name, AlbumID: e.Podcast.ID, Duration: time.Duration(e.Time) * time.Second,
		HasArt: bool(e.HasArt), Episode: &e, Format: format,
	}
}

// StreamItem makes the Item of a URL that plays as is (a radio station,
// the democratic stream).
func StreamItem(typ client.ObjectType, id client.ID, title, url string) Item {
	return Item{Type: typ, ID: id, Title: title, directURL: url}
}

// Player events, republished from the audio engine with Ampache items.
type (
	// PlayerState: playing, paused or stopped.
	PlayerState struct{ State audio.State }
	// TrackChanged: a new item is current (Index -1 and a zero Item: none).
	TrackChanged struct {
		Index int
		Item  Item
	}
	// Position in the current item; several a second while playing.
	Position struct {
		Index              int
		Position, Duration time.Duration
	}
	// QueueChanged: the queue's items, order, shuffle or repeat changed.
	QueueChanged struct {
		Len, Index int
		Shuffle    bool
		Repeat     audio.Repeat
	}
	// QueueEnded: the queue played to its end.
	QueueEnded struct{}
	// PlaybackFailed: an item could not be played (the player goes on).
	PlaybackFailed struct {
		Index int
		Item  Item
		Err   error
	}
	// PlayRecorded: the server counted a play of the item (record_play).
	PlayRecorded struct{ Item Item }
)

func (PlayerState) event()    {}
func (TrackChanged) event()   {}
func (Position) event()       {}
func (Position) lowPriority() {}
func (QueueChanged) event()   {}
func (QueueEnded) event()     {}
func (PlaybackFailed) event() {}
func (PlayRecorded) event()   {}

// decodable are the codecs the audio engine plays from the original file.
var decodable = map[string]bool{"mp3": true, "flac": true, "ogg": true, "oga": true, "vorbis": true, "wav": true}

// playback owns the audio player once something is played.
type playback struct {
	mu      sync.Mutex
	player  *audio.Player
	out     audio.Output
	newOut  func() (audio.Output, error)
	cancel  context.CancelFunc
	scrob   scrobbler
	current Item
}

// OutputFactory opens the sound output; tests give one that returns an
// in-memory output.
type OutputFactory func() (audio.Output, error)

// DeviceOutput opens the sound device at 44.1 kHz.
func DeviceOutput() (audio.Output, error) {
	return audio.NewOutput(audio.OutputOptions{ApplicationName: "Ampdesk"})
}

// ensurePlayer opens the output and the player on first use.
func (c *Core) ensurePlayer() (*audio.Player, error) {
	c.pb.mu.Lock()
	defer c.pb.mu.Unlock()
	if c.pb.player != nil {
		return c.pb.player, nil
	}
	newOut := c.pb.newOut
	if newOut == nil {
		newOut = DeviceOutput
	}
	out, err := newOut()
	if err != nil {
		return nil, err
	}
	s := c.settings.Get()
	p := audio.NewPlayer(out, audio.Options{
		ReplayGain: replayGainOf(s),
		Crossfade:  time.Duration(s.CrossfadeSeconds * float64(time.Second)),
		Logger:     c.log,
	})
	if s.Volume != nil {
		p.SetVolume(*s.Volume)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.pb.player, c.pb.out, c.pb.cancel = p, out, cancel
	go c.forwardPlayerEvents(ctx, p)
	return p, nil
}

func replayGainOf(s storage.Settings) audio.ReplayGain {
	rg := audio.ReplayGain{PreampDB: s.ReplayGainPreamp, PreventClipping: true}
	switch s.ReplayGain {
	case "track":
		rg.Mode = audio.ReplayGainTrack
	case "album":
		rg.Mode = audio.ReplayGainAlbum
	}
	return rg
}

// ApplySettings hands changed playback settings to a running player.
func (c *Core) ApplySettings() {
	c.pb.mu.Lock()
	p := c.pb.player
	c.pb.mu.Unlock()
	if p == nil {
		return
	}
	s := c.settings.Get()
	p.SetReplayGain(replayGainOf(s))
	p.SetCrossfade(time.Duration(s.CrossfadeSeconds * float64(time.Second)))
}

func (c *Core) forwardPlayerEvents(ctx context.Context, p *audio.Player) {
	for ev := range p.Events() {
		switch e := ev.(type) {
		case audio.StateChanged:
			c.bm.onState(p, e.State)
			c.publish(PlayerState{State: e.State})
		case audio.TrackChanged:
			item, _ := e.Track.Data.(Item)
			c.pb.mu.Lock()
			c.pb.current = item
			c.pb.scrob.start(item)
			c.pb.mu.Unlock()
			c.bm.onTrack(p, e.Index, item)
			c.publish(TrackChanged{Index: e.Index, Item: item})
		case audio.PositionChanged:
			c.pb.mu.Lock()
			due := c.pb.scrob.progress(e.Position)
			item := c.pb.current
			c.pb.mu.Unlock()
			if due {
				go c.recordPlay(ctx, item)
			}
			c.bm.onPosition(p, e.Position, e.Duration)
			c.publish(Position{Index: e.Index, Position: e.Position, Duration: e.Duration})
		case audio.QueueChanged:
			c.publish(QueueChanged{Len: e.Len, Index: e.Index, Shuffle: e.Shuffle, Repeat: e.Repeat})
		case audio.Ended:
			c.bm.onEnded(p)
			c.publish(QueueEnded{})
		case audio.Failed:
			var item Item
			if q, _ := p.Queue(); e.Index >= 0 && e.Index < len(q) {
				item, _ = q[e.Index].Data.(Item)
			}
			c.publish(PlaybackFailed{Index: e.Index, Item: item, Err: e.Err})
		case audio.StreamTitleChanged:
			c.publishStreamTitle(p, e)
		}
	}
}

// recordPlay tells the server the item was played.
func (c *Core) recordPlay(ctx context.Context, item Item) {
	if item.Type != client.TypeSong && item.Type != client.TypePodcastEpisode {
		return
	}
	api, err := c.api()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := api.Activity.RecordPlay(ctx, item.ID, &client.RecordPlayOptions{Client: ClientName}); err != nil {
		c.log.Warn("record_play failed", "id", item.ID, "err", err)
		return
	}
	c.publish(PlayRecorded{Item: item})
}

// scrobbler decides when an item counts as played: after half its length
// or 4 minutes of listening, whichever comes first; once per start.
type scrobbler struct {
	item     Item
	last     time.Duration
	listened time.Duration
	done     bool
}

const scrobbleCap = 4 * time.Minute

func (s *scrobbler) start(item Item) {
	*s = scrobbler{item: item}
}

// progress adds the listening since the last position (seeks do not
// count) and reports, once, that the threshold was reached.
func (s *scrobbler) progress(pos time.Duration) bool {
	step := pos - s.last
	s.last = pos
	if step > 0 && step < 2*time.Second {
		s.listened += step
	}
	if s.done || s.item.ID == "" {
		return false
	}
	need := scrobbleCap
	if d := s.item.Duration; d > 0 && d/2 < need {
		need = d / 2
	}
	if s.listened >= need {
		s.done = true
		return true
	}
	return false
}

// track builds the audio track of an item, with an opener that asks for
// the stream URL when it opens (so the session token in it is fresh).
func (c *Core) track(item Item) audio.Track {
	c.LocalItem(&item) // a downloaded file plays instead of the stream
	t := audio.Track{
		ID: string(item.Type) + ":" + string(item.ID), Title: item.Title, Artist: item.Artist,
		Album: item.Album, Duration: item.Duration, Data: item,
	}
	if s := item.Song; s != nil {
		t.Gain = gainOf(s)
	}
	t.Source = &streamOpener{core: c, item: item}
	return t
}

func gainOf(s *client.Song) audio.GainInfo {
	var g audio.GainInfo
	if s.R128TrackGain != nil || s.R128AlbumGain != nil {
		var tr, al *int
		if s.R128TrackGain != nil {
			v := int(*s.R128TrackGain)
			tr = &v
		}
		if s.R128AlbumGain != nil {
			v := int(*s.R128AlbumGain)
			al = &v
		}
		g = audio.GainFromR128(tr, al)
	}
	if s.ReplayGainTrackGain != nil {
		g.TrackGainDB, g.HasTrackGain = float64(*s.ReplayGainTrackGain), true
	}
	if s.ReplayGainAlbumGain != nil {
		g.AlbumGainDB, g.HasAlbumGain = float64(*s.ReplayGainAlbumGain), true
	}
	if s.ReplayGainTrackPeak != nil {
		g.TrackPeak = float64(*s.ReplayGainTrackPeak)
	}
	if s.ReplayGainAlbumPeak != nil {
		g.AlbumPeak = float64(*s.ReplayGainAlbumPeak)
	}
	return g
}

// streamOpener opens an item's stream: a local file when there is one,
// else the server's stream in the format the settings choose.
type streamOpener struct {
	core *Core
	item Item
}

func (o *streamOpener) Open(ctx context.Context, offset time.Duration) (audio.Stream, error) {
	if o.item.localPath != "" {
		return audio.File{Path: o.item.localPath}.Open(ctx, offset)
	}
	if o.item.directURL != "" {
		return o.core.directSource(o.item).Open(ctx, offset)
	}
	api, err := o.core.api()
	if err != nil {
		return nil, err
	}
	// The URL carries the session token: renew a session about to lapse
	// before handing it to the HTTP source.
	if exp := api.SessionExpires(); !exp.IsZero() && time.Until(exp) < 2*time.Minute {
		if _, err := api.Ping(ctx); err != nil {
			return nil, err
		}
	}
	opts := o.core.streamOptions(o.item)
	for attempt := 0; ; attempt++ {
		u, err := api.Media.StreamURL(o.item.ID, o.item.Type, &opts)
		if err != nil {
			return nil, err
		}
		h := audio.HTTP{Client: api.HTTPClient(), URL: u} // with the profile's pinned certificate
		if o.item.Song != nil {
			h.ContentType = o.item.Song.Mime
		}
		if opts.Format != "raw" {
			h.OffsetURL = func(off time.Duration) string {
				oo := opts
				oo.Offset = int(off / time.Second)
				u, err := api.Media.StreamURL(o.item.ID, o.item.Type, &oo)
				if err != nil {
					return ""
				}
				return u
			}
		}
		st, err := h.Open(ctx, offset)
		if attempt > 0 || !sessionRefused(st, err) {
			return st, err
		}
		// The server ended the session the URL carries (it answers 401/403,
		// or the API's error object instead of audio): renew it and ask
		// again with the new token.
		if st != nil {
			st.Close()
		}
		if _, perr := api.Ping(ctx); perr != nil {
			if err == nil {
				err = fmt.Errorf("the server refused the stream: %w", perr)
			}
			return nil, err
		}
	}
}

// sessionRefused reports whether opening a stream failed on the session
// its URL carries: HTTP 401 or 403, or a JSON answer (an API error such as
// 4701) where audio was expected.
func sessionRefused(st audio.Stream, err error) bool {
	var he *audio.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden
	}
	return err == nil && st != nil && st.Info().ContentType == "application/json"
}

// streamOptions picks the stream format: the original file when it is a
// codec the engine decodes and within the bitrate cap, else a transcode.
func (c *Core) streamOptions(item Item) client.StreamOptions {
	s := c.settings.Get()
	opts := client.StreamOptions{NoStats: true} // plays are recorded by record_play
	capBits := s.MaxBitrateKbps * 1000
	bitrate := 0
	if item.Song != nil {
		bitrate = int(item.Song.Bitrate)
	} else if item.Episode != nil {
		bitrate = int(item.Episode.Bitrate)
	}
	raw := s.StreamFormat != "transcode" && decodable[strings.ToLower(item.Format)] &&
		(capBits == 0 || bitrate == 0 || bitrate <= capBits)
	if raw {
		opts.Format = "raw"
		return opts
	}
	opts.Format = s.TranscodeFormat
	if opts.Format == "" {
		opts.Format = "mp3"
	}
	opts.Bitrate = capBits
	return opts
}

// ErrEmptyPlaylist is returned when there is nothing to play.
var ErrEmptyPlaylist = errors.New("nothing to play")

// PlayItems replaces the queue with items and plays items[start] from
// position at. With at 0, an item that gets bookmarks resumes from its
// bookmark (looked up in the background; ResumeOffered tells); FromStart
// plays it from the beginning.
func (c *Core) PlayItems(items []Item, start int, shuffle bool, at time.Duration) error {
	if len(items) == 0 {
		return ErrEmptyPlaylist
	}
	if start < 0 || start >= len(items) {
		return fmt.Errorf("start %d is outside the %d items", start, len(items))
	}
	p, err := c.ensurePlayer()
	if err != nil {
		return err
	}
	tracks := make([]audio.Track, len(items))
	for i, it := range items {
		tracks[i] = c.track(it)
	}
	resume := c.bm.planStart(items[start], at)
	p.Load(tracks, start)
	p.SetShuffle(shuffle)
	// Always seek: a Seek made while the player was stopped (a resume
	// looked up when the last queue ended and rewound) would otherwise
	// carry over to the new queue's start.
	p.Seek(max(at, 0))
	if resume.lookUpResume {
		go resume.resumeAndPlay(p) // seeks to the bookmark, then plays
		return nil
	}
	p.Play()
	return nil
}

// PlaySongs plays songs from start.
func (c *Core) PlaySongs(songs []client.Song, start int, shuffle bool) error {
	items := make([]Item, len(songs))
	for i, s := range songs {
		items[i] = SongItem(s)
	}
	return c.PlayItems(items, start, shuffle, 0)
}

// Enqueue adds items after the current one (next) or at the end.
func (c *Core) Enqueue(next bool, items ...Item) error {
	p, err := c.ensurePlayer()
	if err != nil {
		return err
	}
	tracks := make([]audio.Track, len(items))
	for i, it := range items {
		tracks[i] = c.track(it)
	}
	if next {
		p.PlayNext(tracks...)
	} else {
		p.Append(tracks...)
	}
	return nil
}

// Player returns the audio player once something has been played (nil
// before), for the transport controls: Pause, Next, Seek, SetVolume...
func (c *Core) Player() *audio.Player {
	c.pb.mu.Lock()
	defer c.pb.mu.Unlock()
	return c.pb.player
}

// Queue returns the queue's items and the current index.
func (c *Core) Queue() ([]Item, int) {
	p := c.Player()
	if p == nil {
		return nil, -1
	}
	tracks, idx := p.Queue()
	items := make([]Item, len(tracks))
	for i, t := range tracks {
		items[i], _ = t.Data.(Item)
	}
	return items, idx
}

// SetVolume sets and remembers the volume (0 to 1).
func (c *Core) SetVolume(v float64) {
	if p := c.Player(); p != nil {
		p.SetVolume(v)
	}
	c.settings.Update(func(s *storage.Settings) { s.Volume = &v })
}

// closePlayer stops playback and releases the sound device.
func (c *Core) closePlayer() {
	c.pb.mu.Lock()
	p, out, cancel := c.pb.player, c.pb.out, c.pb.cancel
	c.pb.player, c.pb.out, c.pb.cancel = nil, nil, nil
	c.pb.mu.Unlock()
	if p != nil {
		p.Close()
	}
	if out != nil {
		out.Close()
	}
	if cancel != nil {
		cancel()
	}
}
