package ampachetest

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
)

// Democratic play: users vote for songs; the queue plays the most voted
// first, ties broken by the earliest vote. The democratic stream (the URL
// of method=play) plays the queue as MP3, each song leaving the queue as it
// starts.

type democraticState struct {
	votes map[int]map[int]int64 // song → user → vote sequence number
	seq   int64
}

func newDemocratic() *democraticState {
	return &democraticState{votes: map[int]map[int]int64{}}
}

func (d *democraticState) vote(songID, userID int) {
	v := d.votes[songID]
	if v == nil {
		v = map[int]int64{}
		d.votes[songID] = v
	}
	if _, ok := v[userID]; !ok {
		d.seq++
		v[userID] = d.seq
	}
}

func (d *democraticState) devote(songID, userID int) {
	if v := d.votes[songID]; v != nil {
		delete(v, userID)
		if len(v) == 0 {
			delete(d.votes, songID)
		}
	}
}

// order returns the queued songs in play order.
func (d *democraticState) order() []int {
	type entry struct {
		id    int
		n     int
		first int64
	}
	var es []entry
	for id, v := range d.votes {
		e := entry{id: id, n: len(v)}
		for _, s := range v {
			if e.first == 0 || s < e.first {
				e.first = s
			}
		}
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.n != b.n {
			return b.n - a.n
		}
		if a.first != b.first {
			if a.first < b.first {
				return -1
			}
			return 1
		}
		return a.id - b.id
	})
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.id
	}
	return out
}

func (c *call) democraticURL() string {
	return fmt.Sprintf("%s/play/index.php?ssid=%s&uid=%d&demo_id=1", c.base(), c.sess.token, c.user.id)
}

func (c *call) writeDemocraticSong(s *song, votes int) {
	w := &c.out
	api := c.api
	w.objStart()
	w.kid("id", s.id)
	w.kstr("title", s.title)
	c.ref("artist", s.artist.id, s.artist.name)
	c.ref("album", s.album.id, s.album.name)
	if api == 4 {
		c.genres("tag", s.genres, false)
	} else {
		c.genres("genre", s.genres, false)
	}
	w.kint("track", s.track)
	w.kint("time", s.seconds)
	if api >= 6 {
		w.kstr("format", s.src.format)
		w.kint("bitrate", s.bitrate)
	}
	w.kstr("mime", mimeOf(s.src.format))
	w.kstr("url", c.songURL(s))
	w.kint64("size", s.size)
	w.kstr("art", c.artURL("album", s.album.id))
	if api >= 6 {
		w.kbool("has_art", s.album.hasArt)
	}
	r, ok := c.rating("song", s.id)
	if api < 6 {
		w.kintn("preciserating", r, ok)
	}
	w.kintn("rating", r, ok)
	w.knull("averagerating")
	if api >= 5 {
		w.kint("playcount", s.playcount)
	}
	w.kint("vote", votes)
	if api == 4 {
		c.genres("genre", s.genres, true)
	}
	w.objEnd()
}

func apiDemocratic(c *call) *apiError {
	if err := c.checkFeature(FeatureDemocratic); err != nil {
		return err
	}
	d := c.l.democratic
	method := c.str("method")
	w := &c.out
	switch method {
	case "vote", "devote":
		id, err := c.id("filter", "oid")
		if err != nil {
			return err
		}
		if c.l.song(id) == nil {
			return errNotFound("oid", strconv.Itoa(id))
		}
		if method == "vote" {
			d.vote(id, c.user.id)
		} else {
			d.devote(id, c.user.id)
		}
		w.objStart()
		w.kstr("method", method)
		w.kbool("result", true)
		w.objEnd()
	case "playlist":
		items := func() {
			for _, id := range d.order() {
				if s := c.l.song(id); s != nil {
					c.writeDemocraticSong(s, len(d.votes[id]))
				}
			}
		}
		if c.api == 4 {
			w.arrStart()
			items()
			w.arrEnd()
			return nil
		}
		w.objStart()
		w.key("song")
		w.arrStart()
		items()
		w.arrEnd()
		w.objEnd()
	case "play":
		w.objStart()
		w.kstr("url", c.democraticURL())
		w.objEnd()
	case "":
		return errMissing("method")
	default:
		return errBad("method", method)
	}
	return nil
}

// serveDemocratic streams the democratic queue as MP3.
func (s *Server) serveDemocratic(w http.ResponseWriter, r *http.Request, ss *session) {
	next := func() (audioSource, bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		d := s.lib.democratic
		for _, id := range d.order() {
			delete(d.votes, id)
			if so := s.lib.song(id); so != nil {
				s.lib.nowPlaying[ss.user.id] = nowPlaying{songID: id, user: ss.user.id, client: ss.client,
					expire: s.now().Unix() + int64(so.seconds)}
				return so.src, true
			}
		}
		return audioSource{}, false
	}
	src, ok := next()
	if !ok {
		http.Error(w, "the democratic playlist is empty", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	w.Header().Set("Accept-Ranges", "none")
	if cut, ok := s.takeCut(); ok {
		w = &cutWriter{ResponseWriter: w, left: cut}
	}
	w.WriteHeader(http.StatusOK)
	for ok {
		f, err := s.audio.render(src, "mp3", 0)
		if err != nil {
			return
		}
		body := &closingReader{r: io.NewSectionReader(f, 0, f.Size()), closing: s.closing, done: r.Context().Done()}
		if _, err := io.Copy(w, body); err != nil {
			return
		}
		src, ok = next()
	}
}
