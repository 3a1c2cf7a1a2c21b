package ampachetest

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// Localplay: the player on the server's own speakers, as a state machine.
// While it plays, time (the server's clock) moves it through the queue:
// an entry ends after its length, then the next one starts; after the last
// it stops, or starts over with repeat on.

type lpEntry struct {
	typ     string
	id      int
	name    string // "Artist - Title", the station's name, ...
	title   string
	artist  string
	album   string
	seconds int // 0: endless (live streams)
}

type localplayState struct {
	state          string // "stop", "play" or "pause"
	volume         int
	repeat, random bool
	mpdQuirk       bool
	queue          []lpEntry
	current        int       // index into queue, -1 for none
	started        time.Time // when the current entry would have started, had it not paused
	pausedAt       time.Duration
}

func newLocalplay() *localplayState {
	return &localplayState{state: "stop", volume: 80, current: -1}
}

// advance moves playback to now.
func (lp *localplayState) advance(now time.Time) {
	for lp.state == "play" && lp.current >= 0 && lp.current < len(lp.queue) {
		d := time.Duration(lp.queue[lp.current].seconds) * time.Second
		if d <= 0 || now.Sub(lp.started) < d {
			return
		}
		lp.started = lp.started.Add(d)
		lp.step(1, now, false)
	}
}

// step moves to the next (+1) or previous (-1) entry; restart sets the
// start time to now.
func (lp *localplayState) step(dir int, now time.Time, restart bool) {
	n := len(lp.queue)
	switch {
	case n == 0:
		lp.current, lp.state = -1, "stop"
		return
	case lp.random && dir > 0 && n > 1:
		next := rand.IntN(n - 1)
		if next >= lp.current {
			next++
		}
		lp.current = next
	default:
		lp.current += dir
	}
	if lp.current < 0 {
		lp.current = 0
	}
	if lp.current >= n {
		if !lp.repeat {
			lp.current, lp.state = -1, "stop"
			return
		}
		lp.current = 0
	}
	if restart {
		lp.started = now
	}
	lp.pausedAt = 0
}

func (c *call) lpEntries(typ string, id int) []lpEntry {
	songEntry := func(s *song) lpEntry {
		return lpEntry{typ: "song", id: s.id, name: s.artist.name + " - " + s.title, title: s.title,
			artist: s.artist.name, album: s.album.name, seconds: s.seconds}
	}
	var out []lpEntry
	switch typ {
	case "song":
		if s := c.l.song(id); s != nil {
			out = append(out, songEntry(s))
		}
	case "album":
		if a := c.l.album(id); a != nil {
			for _, s := range a.songs {
				out = append(out, songEntry(s))
			}
		}
	case "artist":
		if a := c.l.artist(id); a != nil {
			for _, s := range artistSongs(a) {
				out = append(out, songEntry(s))
			}
		}
	case "playlist":
		if p := c.l.playlists[id]; p != nil && c.canRead(p) {
			for _, s := range c.liveSongs(p) {
				out = append(out, songEntry(s))
			}
		}
	case "podcast_episode":
		if e := c.l.episode(id); e != nil {
			out = append(out, lpEntry{typ: typ, id: id, name: e.podcast.name + " - " + e.title, title: e.title,
				artist: e.podcast.name, album: e.podcast.name, seconds: e.seconds})
		}
	case "live_stream":
		if ls := c.l.live(id); ls != nil {
			out = append(out, lpEntry{typ: typ, id: id, name: ls.name, title: ls.name, artist: ls.name})
		}
	case "democratic":
		out = append(out, lpEntry{typ: typ, id: 1, name: "Democratic", title: "Democratic"})
	}
	return out
}

func (c *call) lpResult(cmd string, ok bool) {
	w := &c.out
	w.objStart()
	w.key("localplay")
	w.objStart()
	w.key("command")
	w.objStart()
	w.kbool(cmd, ok)
	w.objEnd()
	w.objEnd()
	w.objEnd()
}

func (c *call) checkLocalplay() *apiError {
	if err := c.checkFeature(FeatureLocalplay); err != nil {
		return err
	}
	return c.checkAccess(c.s.setting().localplayLevel)
}

func apiLocalplay(c *call) *apiError {
	if err := c.checkLocalplay(); err != nil {
		return err
	}
	cmd := c.str("command")
	if cmd == "" {
		return errMissing("command")
	}
	lp := c.l.localplay
	lp.advance(c.now)
	ok := true
	switch cmd {
	case "add":
		typ := c.str("type")
		if typ == "" {
			typ = "song"
		}
		if typ == "video" {
			return errDisabled("video")
		}
		id, _ := strconv.Atoi(c.str("filter"))
		if id == 0 {
			id, _ = strconv.Atoi(c.str("oid"))
		}
		if c.flag("clear") || lp.mpdQuirk && lp.state == "stop" {
			lp.queue, lp.current, lp.state = nil, -1, "stop"
		}
		entries := c.lpEntries(typ, id)
		lp.queue = append(lp.queue, entries...)
		ok = len(entries) > 0
	case "play":
		switch {
		case len(lp.queue) == 0:
			ok = false
		case lp.state == "pause":
			lp.started = c.now.Add(-lp.pausedAt)
			lp.state = "play"
		case lp.state == "stop":
			if lp.current < 0 {
				lp.current = 0
			}
			lp.started, lp.state = c.now, "play"
		}
	case "pause":
		switch lp.state {
		case "play":
			lp.pausedAt, lp.state = c.now.Sub(lp.started), "pause"
		case "pause":
			lp.started, lp.state = c.now.Add(-lp.pausedAt), "play"
		default:
			ok = false
		}
	case "stop":
		lp.state, lp.pausedAt = "stop", 0
	case "next":
		lp.step(1, c.now, true)
	case "prev":
		if lp.current < 0 {
			ok = false
		} else {
			lp.step(-1, c.now, true)
		}
	case "skip":
		t, _ := strconv.Atoi(c.str("track"))
		if t < 1 || t > len(lp.queue) {
			// Without a track, skip is next (older servers).
			if c.has("track") {
				ok = false
				break
			}
			lp.step(1, c.now, true)
			break
		}
		lp.current, lp.started, lp.pausedAt, lp.state = t-1, c.now, 0, "play"
	case "volume_up":
		lp.volume = min(100, lp.volume+5)
	case "volume_down":
		lp.volume = max(0, lp.volume-5)
	case "volume_mute":
		lp.volume = 0
	case "delete_all":
		lp.queue, lp.current, lp.state, lp.pausedAt = nil, -1, "stop", 0
	case "status":
		c.lpStatus(lp)
		return nil
	default:
		if c.api == 4 {
			return &apiError{code: 4705, typ: "command", msg: "Invalid request"}
		}
		return errBad("command", cmd)
	}
	c.lpResult(cmd, ok)
	return nil
}

func (c *call) lpStatus(lp *localplayState) {
	w := &c.out
	w.objStart()
	w.key("localplay")
	w.objStart()
	w.key("command")
	w.objStart()
	w.key("status")
	w.objStart()
	w.kstr("state", lp.state)
	w.kstr("volume", strconv.Itoa(lp.volume))
	boolish := func(k string, v bool) {
		if c.api >= 6 {
			w.kbool(k, v)
		} else if v {
			w.kstr(k, "1")
		} else {
			w.kstr(k, "0")
		}
	}
	boolish("repeat", lp.repeat)
	boolish("random", lp.random)
	var e lpEntry
	if lp.current >= 0 && lp.current < len(lp.queue) {
		e = lp.queue[lp.current]
	}
	w.kint("track", lp.current+1)
	w.kstr("track_title", e.title)
	w.kstr("track_artist", e.artist)
	w.kstr("track_album", e.album)
	w.objEnd()
	w.objEnd()
	w.objEnd()
	w.objEnd()
}

func apiLocalplaySongs(c *call) *apiError {
	if err := c.checkLocalplay(); err != nil {
		return err
	}
	lp := c.l.localplay
	w := &c.out
	w.objStart()
	w.key("localplay_songs")
	w.arrStart()
	for i, e := range lp.queue {
		w.objStart()
		w.kint("id", i)
		raw := c.radioURL(e.id)
		switch e.typ {
		case "song", "podcast_episode":
			raw = c.playURL(e.typ, e.id, e.name, "mp3", false)
		case "democratic":
			raw = c.democraticURL()
		}
		w.kstr("raw", raw)
		w.kid("oid", e.id)
		w.kstr("type", e.typ)
		w.kstr("name", e.name)
		w.kstr("link", "")
		w.kint("track", i+1)
		w.objEnd()
	}
	w.arrEnd()
	w.objEnd()
	return nil
}
