package ampachetest

import (
	"fmt"
	"strconv"
)

// Ratings, flags, plays and shares.

// objectName finds an object any of these methods may name, reporting
// whether it exists.
func (c *call) objectName(typ string, id int) (string, bool) {
	switch typ {
	case "song":
		if s := c.l.song(id); s != nil {
			return s.title, true
		}
	case "album":
		if a := c.l.album(id); a != nil {
			return a.name, true
		}
	case "artist":
		if a := c.l.artist(id); a != nil {
			return a.name, true
		}
	case "playlist":
		if p := c.l.playlists[id]; p != nil && c.canRead(p) {
			return p.name, true
		}
	case "podcast":
		if p := c.l.podcast(id); p != nil {
			return p.name, true
		}
	case "podcast_episode":
		if e := c.l.episode(id); e != nil {
			return e.title, true
		}
	case "genre":
		if g := c.l.genre(id); g != nil {
			return g.name, true
		}
	}
	return "", false
}

func (c *call) typedObject() (string, int, *apiError) {
	typ := c.str("type")
	if typ == "" {
		return "", 0, errMissing("type")
	}
	id, err := c.num("id")
	if err != nil {
		return "", 0, err
	}
	if _, ok := c.objectName(typ, id); !ok {
		return "", 0, errNotFound("id", strconv.Itoa(id))
	}
	return typ, id, nil
}

func apiRate(c *call) *apiError {
	typ, id, err := c.typedObject()
	if err != nil {
		return err
	}
	rating, err := c.num("rating")
	if err != nil {
		return err
	}
	if rating < 0 || rating > 5 {
		return errBad("rating", strconv.Itoa(rating))
	}
	u := c.l.user(c.user.id)
	if rating == 0 {
		delete(u.ratings, objKey{typ, id})
	} else {
		u.ratings[objKey{typ, id}] = rating
	}
	c.success(fmt.Sprintf("rating set to %d for %d", rating, id))
	return nil
}

func apiFlag(c *call) *apiError {
	typ, id, err := c.typedObject()
	if err != nil {
		return err
	}
	if !c.has("flag") {
		return errMissing("flag")
	}
	u := c.l.user(c.user.id)
	if c.flag("flag") {
		u.flags[objKey{typ, id}] = true
		c.success(fmt.Sprintf("flag ADDED to %d", id))
	} else {
		delete(u.flags, objKey{typ, id})
		c.success(fmt.Sprintf("flag REMOVED from %d", id))
	}
	return nil
}

// recordPlay counts a play of a song by a user at a time.
func (l *library) recordPlay(s *song, userID int, at int64) {
	u := l.user(userID)
	s.playcount++
	u.plays[s.id]++
	if at > u.lastPlayed[s.id] {
		u.lastPlayed[s.id] = at
	}
}

func (c *call) playDate() (int64, *apiError) {
	if !c.has("date") {
		return c.now.Unix(), nil
	}
	d, err := strconv.ParseInt(c.str("date"), 10, 64)
	if err != nil {
		return 0, errBad("date", c.str("date"))
	}
	return d, nil
}

func apiRecordPlay(c *call) *apiError {
	id, err := c.num("id")
	if err != nil {
		return err
	}
	s := c.l.song(id)
	if s == nil {
		return errNotFound("id", strconv.Itoa(id))
	}
	who := c.user
	if v := c.str("user"); v != "" {
		var a *account
		if n, err := strconv.Atoi(v); err == nil {
			a = c.s.accountByID(n)
		} else {
			a = c.s.accountByName(v)
		}
		if a == nil {
			return errNotFound("user", v)
		}
		if a.id != c.user.id && c.user.access < 100 {
			return errAccess(100)
		}
		who = a
	}
	date, err := c.playDate()
	if err != nil {
		return err
	}
	c.l.recordPlay(s, who.id, date)
	c.success(fmt.Sprintf("successfully recorded play: %d for: %s", s.id, who.username))
	return nil
}

// apiScrobble records a play of the song found by title, artist and album.
func apiScrobble(c *call) *apiError {
	title, artist, album := fold(c.str("song")), fold(c.str("artist")), fold(c.str("album"))
	for _, p := range []string{"song", "artist", "album"} {
		if !c.has(p) {
			return errMissing(p)
		}
	}
	date, err := c.playDate()
	if err != nil {
		return err
	}
	for _, s := range c.l.songsByTitle {
		if s.fold == title && s.artist.fold == artist && s.album.fold == album {
			c.l.recordPlay(s, c.user.id, date)
			c.success(fmt.Sprintf("successfully scrobbled: %d", s.id))
			return nil
		}
	}
	return &apiError{code: 4704, typ: "song", msg: "Not Found"}
}

// Live streams.

func (c *call) writeLiveStream(ls *liveStream) {
	w := &c.out
	w.objStart()
	w.kid("id", ls.id)
	w.kstr("name", ls.name)
	w.kstr("url", c.radioURL(ls.id))
	w.kstr("codec", "mp3")
	w.kstr("catalog", "1")
	w.kstr("site_url", ls.siteURL)
	w.objEnd()
}

func apiLiveStreams(c *call) *apiError {
	q := c.query()
	var list []*liveStream
	for _, ls := range c.l.liveStreams[1:] {
		if ls != nil && q.matchName(fold(ls.name)) {
			list = append(list, ls)
		}
	}
	items := page(list, q.offset, q.limit)
	c.list("live_stream", len(list), ids(items, func(l *liveStream) int { return l.id }), func() {
		for _, ls := range items {
			c.writeLiveStream(ls)
		}
	})
	return nil
}

func apiLiveStream(c *call) *apiError {
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	ls := c.l.live(id)
	if ls == nil {
		return errNotFound("filter", strconv.Itoa(id))
	}
	c.one(func() { c.writeLiveStream(ls) })
	return nil
}
