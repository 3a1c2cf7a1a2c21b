package ampachetest

import (
	"strconv"
	"strings"
)

// Methods for keeping a copy of the library: index and list (API6: ids
// and names only), deleted_songs.

// indexEntry is one object of an index or list answer.
type indexEntry struct {
	id       int
	strID    string // "smart_N" for smartlists
	name     string
	children []indexChild
}

type indexChild struct {
	id  int
	typ string
}

// indexEntries collects the objects of a type matching the query, with
// their children when include is set.
func (c *call) indexEntries(typ string, q query, include bool) ([]indexEntry, *apiError) {
	var out []indexEntry
	match := func(f string, added, updated int64) bool { return q.matchName(f) && q.matchDates(added, updated) }
	switch typ {
	case "song":
		for _, s := range c.l.songsByTitle {
			if match(s.fold, s.added, s.updated) {
				out = append(out, indexEntry{id: s.id, name: s.title})
			}
		}
	case "album":
		for _, a := range c.l.albumsByName {
			if match(a.fold, a.added, a.updated) {
				e := indexEntry{id: a.id, name: a.name}
				if include {
					for _, s := range a.songs {
						e.children = append(e.children, indexChild{s.id, "song"})
					}
				}
				out = append(out, e)
			}
		}
	case "artist", "album_artist", "song_artist":
		for _, a := range c.l.artistsByName {
			if match(a.fold, a.added, a.updated) {
				e := indexEntry{id: a.id, name: a.name}
				if include {
					for _, al := range a.albums {
						e.children = append(e.children, indexChild{al.id, "album"})
					}
				}
				out = append(out, e)
			}
		}
	case "playlist":
		for _, pe := range c.playlistEntries(false, true, true) {
			if !q.matchName(pe.fold) {
				continue
			}
			if pe.p != nil {
				if !q.matchDates(pe.p.added, pe.p.updated) {
					continue
				}
				e := indexEntry{id: pe.p.id, name: pe.p.name}
				if include {
					for _, s := range c.liveSongs(pe.p) {
						e.children = append(e.children, indexChild{s.id, "song"})
					}
				}
				out = append(out, e)
				continue
			}
			e := indexEntry{strID: "smart_" + strconv.Itoa(pe.sl.id), name: pe.sl.name}
			if include {
				for _, s := range c.runSmartlist(pe.sl) {
					e.children = append(e.children, indexChild{s.id, "song"})
				}
			}
			out = append(out, e)
		}
	case "podcast":
		for _, p := range c.l.podcastsByName {
			if match(p.fold, p.added, p.updated) {
				e := indexEntry{id: p.id, name: p.name}
				if include {
					for _, ep := range p.episodes {
						e.children = append(e.children, indexChild{ep.id, "podcast_episode"})
					}
				}
				out = append(out, e)
			}
		}
	case "podcast_episode":
		for _, ep := range c.l.episodes {
			if ep != nil && match(ep.fold, ep.added, ep.updated) {
				out = append(out, indexEntry{id: ep.id, name: ep.title})
			}
		}
	case "live_stream":
		for _, ls := range c.l.liveStreams[1:] {
			if ls != nil && q.matchName(fold(ls.name)) {
				out = append(out, indexEntry{id: ls.id, name: ls.name})
			}
		}
	case "share":
		for id := 1; id < c.l.nextShare; id++ {
			if sh := c.l.shares[id]; sh != nil && sh.owner == c.user.id && q.matchName(fold(sh.name)) {
				out = append(out, indexEntry{id: sh.id, name: sh.name})
			}
		}
	case "catalog":
		for _, e := range []indexEntry{{id: 1, name: "music"}, {id: 2, name: "podcasts"}} {
			if q.matchName(e.name) {
				out = append(out, e)
			}
		}
	case "":
		return nil, errMissing("type")
	default:
		return nil, errBad("type", typ)
	}
	return out, nil
}

func (e indexEntry) key() string {
	if e.strID != "" {
		return e.strID
	}
	return strconv.Itoa(e.id)
}

func apiIndex(c *call) *apiError {
	typ := c.str("type")
	q := c.query()
	include := c.flag("include")
	all, err := c.indexEntries(typ, q, include)
	if err != nil {
		return err
	}
	items := page(all, q.offset, q.limit)
	w := &c.out
	w.objStart()
	w.key(typ)
	if include && typ != "song" && typ != "podcast_episode" && typ != "live_stream" && typ != "share" && typ != "catalog" {
		w.objStart()
		for _, e := range items {
			w.key(e.key())
			w.arrStart()
			for _, ch := range e.children {
				w.objStart()
				w.kint("id", ch.id)
				w.kstr("type", ch.typ)
				w.objEnd()
			}
			w.arrEnd()
		}
		w.objEnd()
	} else {
		w.arrStart()
		for _, e := range items {
			if e.strID != "" {
				w.str(e.strID)
			} else {
				w.int(int64(e.id))
			}
		}
		w.arrEnd()
	}
	w.objEnd()
	return nil
}

func apiListNames(c *call) *apiError {
	typ := c.str("type")
	q := c.query()
	all, err := c.indexEntries(typ, q, false)
	if err != nil {
		return err
	}
	items := page(all, q.offset, q.limit)
	c.list("list", len(all), ids(items, func(e indexEntry) int { return e.id }), func() {
		w := &c.out
		for _, e := range items {
			w.objStart()
			w.kstr("id", e.key())
			w.kstr("name", e.name)
			prefix, base := prefixOf(e.name)
			w.kstrn("prefix", prefix)
			w.kstr("basename", strings.TrimSpace(base))
			w.objEnd()
		}
	})
	return nil
}

func apiDeletedSongs(c *call) *apiError {
	offset, limit := c.paging()
	items := page(c.l.deletedSongs, offset, limit)
	c.list("deleted_songs", len(c.l.deletedSongs), ids(items, func(d deletedSong) int { return d.id }), func() {
		w := &c.out
		for _, d := range items {
			w.objStart()
			w.kid("id", d.id)
			w.kint64("addition_time", d.added)
			w.kint64("delete_time", d.deleted)
			w.kstr("title", d.title)
			w.kstr("file", d.file)
			w.kstr("catalog", "1")
			w.kint("total_count", d.playcount)
			w.kint("total_skip", 0)
			w.kid("album", d.album)
			w.kid("artist", d.artist)
			w.objEnd()
		}
	})
	return nil
}
