package ampachetest

import (
	"slices"
	"strconv"
)

// Smartlists: saved searches with ids "smart_N", read-only here apart from
// deletion; their songs are computed when asked for.

func (l *library) smartlist(id int) *smartlist {
	for _, sl := range l.smartlists {
		if sl.id == id {
			return sl
		}
	}
	return nil
}

func (c *call) runSmartlist(sl *smartlist) []*song {
	songs := c.matchSongs(sl.rules, sl.match == "or")
	if sl.limit > 0 && len(songs) > sl.limit {
		songs = songs[:sl.limit]
	}
	return songs
}

func (c *call) writeSmartlist(sl *smartlist) {
	w := &c.out
	owner := c.s.usernameOf(sl.owner)
	typ := "private"
	if sl.public {
		typ = "public"
	}
	w.objStart()
	w.kstr("id", "smart_"+strconv.Itoa(sl.id))
	w.kstr("name", sl.name)
	w.kstr("owner", owner)
	if c.api >= 6 {
		w.key("user")
		w.objStart()
		w.kid("id", sl.owner)
		w.kstr("username", owner)
		w.objEnd()
	}
	w.kint("items", len(c.runSmartlist(sl)))
	w.kstr("type", typ)
	w.kstr("art", c.artURL("search", sl.id))
	if c.api >= 6 {
		w.kbool("has_access", sl.owner == c.user.id || c.user.access >= 100)
		w.kbool("has_collaborate", false)
		w.kbool("has_art", false)
	}
	c.writeRatings("search", sl.id)
	if c.api >= 6 {
		w.knull("md5")
		w.kint("last_update", 0)
	}
	w.objEnd()
}

func apiPlaylistHash(c *call) *apiError {
	p, sl, err := c.playlistRef()
	if err != nil {
		return err
	}
	var songs []int
	if p != nil {
		songs = p.songs
	} else {
		songs = ids(c.runSmartlist(sl), songID)
	}
	c.out.objStart()
	c.out.kstrn("md5", playlistMD5(songs))
	c.out.objEnd()
	return nil
}

func apiSmartlistDelete(c *call) *apiError {
	_, sl, err := c.playlistRef()
	if err != nil {
		return err
	}
	if sl == nil {
		return errBad("filter", c.str("filter"))
	}
	if sl.owner != c.user.id && c.user.access < 100 {
		return errAccess(100)
	}
	c.l.smartlists = slices.DeleteFunc(c.l.smartlists, func(x *smartlist) bool { return x == sl })
	c.success("smartlist deleted")
	return nil
}
