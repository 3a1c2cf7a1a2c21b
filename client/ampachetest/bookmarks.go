package ampachetest

import (
	"cmp"
	"slices"
	"strconv"
)

// Bookmarks: a user's playback position in a song, video or podcast
// episode, one per object and client name.

func (c *call) writeBookmark(b *bookmark, include bool) {
	w := &c.out
	w.objStart()
	w.kid("id", b.id)
	w.kstr("owner", c.s.usernameOf(b.owner))
	w.kstr("object_type", b.objectType)
	w.kid("object_id", b.objectID)
	w.kint("position", b.position)
	w.kstr("client", b.client)
	w.kint64("creation_date", b.created)
	w.kint64("update_date", b.updated)
	if include {
		w.key(b.objectType)
		w.arrStart()
		switch b.objectType {
		case "song":
			if s := c.l.song(b.objectID); s != nil {
				c.writeSong(s, 1)
			}
		case "podcast_episode":
			if e := c.l.episode(b.objectID); e != nil {
				c.writeEpisode(e)
			}
		}
		w.arrEnd()
	}
	w.objEnd()
}

// bookmarkOut writes one bookmark: bare in API6, in a one-element list in
// API5.
func (c *call) bookmarkOut(b *bookmark, include bool) {
	if c.api >= 6 {
		c.writeBookmark(b, include)
		return
	}
	c.list("bookmark", 1, []int{b.id}, func() { c.writeBookmark(b, include) })
}

func (c *call) bookmarkList(list []*bookmark, include bool) {
	c.list("bookmark", len(list), ids(list, func(b *bookmark) int { return b.id }), func() {
		for _, b := range list {
			c.writeBookmark(b, include)
		}
	})
}

// userBookmarks returns the user's bookmarks matching the filters ("" and
// 0 match anything), oldest first.
func (c *call) userBookmarks(typ string, id int, client string) []*bookmark {
	var out []*bookmark
	for _, b := range c.l.bookmarks {
		if b.owner == c.user.id && (typ == "" || b.objectType == typ) && (id == 0 || b.objectID == id) &&
			(client == "" || b.client == client) {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b *bookmark) int { return a.id - b.id })
	return out
}

func apiBookmarks(c *call) *apiError {
	c.bookmarkList(c.userBookmarks("", 0, c.str("client")), c.flag("include"))
	return nil
}

func apiBookmark(c *call) *apiError {
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	b := c.l.bookmarks[id]
	if b == nil || b.owner != c.user.id {
		return errNotFound("filter", strconv.Itoa(id))
	}
	c.writeBookmark(b, c.flag("include"))
	return nil
}

// bookmarkTarget reads filter and type and checks the object exists.
func (c *call) bookmarkTarget() (string, int, *apiError) {
	id, err := c.id("filter")
	if err != nil {
		return "", 0, err
	}
	typ := c.str("type")
	switch typ {
	case "song":
		if c.l.song(id) == nil {
			return "", 0, errNotFound("filter", strconv.Itoa(id))
		}
	case "podcast_episode":
		if c.l.episode(id) == nil {
			return "", 0, errNotFound("filter", strconv.Itoa(id))
		}
	case "video":
		return "", 0, errNotFound("filter", strconv.Itoa(id))
	case "":
		return "", 0, errMissing("type")
	default:
		return "", 0, errBad("type", typ)
	}
	return typ, id, nil
}

// apiGetBookmark returns the newest bookmark of an object, or all of them
// with all=1.
func apiGetBookmark(c *call) *apiError {
	typ, id, err := c.bookmarkTarget()
	if err != nil {
		return err
	}
	list := c.userBookmarks(typ, id, "")
	include := c.flag("include")
	if len(list) == 0 {
		// The server's empty answer: the key and no items.
		c.out.objStart()
		c.out.key("bookmark")
		c.out.arrStart()
		c.out.arrEnd()
		c.out.objEnd()
		return nil
	}
	if c.flag("all") || c.api < 6 {
		if !c.flag("all") {
			list = []*bookmark{newest(list)}
		}
		c.bookmarkList(list, include)
		return nil
	}
	c.writeBookmark(newest(list), include)
	return nil
}

func newest(list []*bookmark) *bookmark {
	return slices.MaxFunc(list, func(a, b *bookmark) int {
		if d := cmp.Compare(a.updated, b.updated); d != 0 {
			return d
		}
		return a.id - b.id
	})
}

// bookmarkFields reads position, client and date.
func (c *call) bookmarkFields() (position int, client string, date int64, e *apiError) {
	if !c.has("position") {
		return 0, "", 0, errMissing("position")
	}
	f, err := strconv.ParseFloat(c.str("position"), 64)
	if err != nil || f < 0 {
		return 0, "", 0, errBad("position", c.str("position"))
	}
	client = c.str("client")
	if client == "" {
		client = "AmpacheAPI"
	}
	date = c.now.Unix()
	if c.has("date") {
		d, err := strconv.ParseInt(c.str("date"), 10, 64)
		if err != nil || d < 0 {
			return 0, "", 0, errBad("date", c.str("date"))
		}
		date = d
	}
	return int(f), client, date, nil
}

// apiBookmarkCreate creates the bookmark, or moves the one this client
// already has on the object.
func apiBookmarkCreate(c *call) *apiError {
	typ, id, err := c.bookmarkTarget()
	if err != nil {
		return err
	}
	pos, client, date, err := c.bookmarkFields()
	if err != nil {
		return err
	}
	var b *bookmark
	if list := c.userBookmarks(typ, id, client); len(list) > 0 {
		b = list[0]
	} else {
		b = &bookmark{id: c.l.nextBookmark, owner: c.user.id, objectType: typ, objectID: id, client: client, created: date}
		c.l.nextBookmark++
		c.l.bookmarks[b.id] = b
	}
	b.position, b.updated = pos, date
	c.bookmarkOut(b, c.flag("include"))
	return nil
}

func apiBookmarkEdit(c *call) *apiError {
	var b *bookmark
	if c.str("type") == "bookmark" {
		id, err := c.id("filter")
		if err != nil {
			return err
		}
		if x := c.l.bookmarks[id]; x != nil && x.owner == c.user.id {
			b = x
		}
		if b == nil {
			return errNotFound("filter", strconv.Itoa(id))
		}
	}
	pos, client, date, err := c.bookmarkFields()
	if err != nil {
		return err
	}
	if b == nil {
		typ, id, err := c.bookmarkTarget()
		if err != nil {
			return err
		}
		list := c.userBookmarks(typ, id, client)
		if len(list) == 0 {
			return errNotFound("bookmark", strconv.Itoa(id))
		}
		b = list[0]
	}
	b.position, b.updated = pos, date
	c.bookmarkOut(b, c.flag("include"))
	return nil
}

func apiBookmarkDelete(c *call) *apiError {
	typ, id, err := c.bookmarkTarget()
	if err != nil {
		return err
	}
	list := c.userBookmarks(typ, id, c.str("client"))
	if len(list) == 0 {
		return errNotFound("bookmark", strconv.Itoa(id))
	}
	for _, b := range list {
		delete(c.l.bookmarks, b.id)
	}
	c.success("Deleted Bookmark: " + strconv.Itoa(list[0].id))
	return nil
}
