package ampachetest

import (
	"crypto/md5"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Playlists and smartlists. Smartlists are saved searches with ids
// "smart_N"; their songs are computed when asked for, and they cannot be
// edited through the API here.

func (c *call) canRead(p *playlist) bool {
	return p.public || p.owner == c.user.id || c.user.access >= 100
}

func (c *call) canWrite(p *playlist) bool {
	return p.owner == c.user.id || c.user.access >= 100
}

func playlistMD5(songs []int) string {
	if len(songs) == 0 {
		return ""
	}
	var b strings.Builder
	for i, id := range songs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(id))
	}
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// liveSongs are the playlist's songs that still exist, in order.
func (c *call) liveSongs(p *playlist) []*song {
	out := make([]*song, 0, len(p.songs))
	for _, id := range p.songs {
		if s := c.l.song(id); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (c *call) writePlaylist(p *playlist) {
	w := &c.out
	owner := c.s.usernameOf(p.owner)
	typ := "private"
	if p.public {
		typ = "public"
	}
	w.objStart()
	w.kid("id", p.id)
	w.kstr("name", p.name)
	w.kstr("owner", owner)
	if c.api >= 6 {
		w.key("user")
		w.objStart()
		w.kid("id", p.owner)
		w.kstr("username", owner)
		w.objEnd()
	}
	w.kint("items", len(c.liveSongs(p)))
	w.kstr("type", typ)
	w.kstr("art", c.artURL("playlist", p.id))
	if c.api >= 6 {
		w.kbool("has_access", c.canWrite(p))
		w.kbool("has_collaborate", c.canWrite(p))
		w.kbool("has_art", false)
	}
	c.writeRatings("playlist", p.id)
	if c.api >= 6 {
		w.kstrn("md5", playlistMD5(p.songs))
		w.kint64("last_update", p.updated)
	}
	w.objEnd()
}

// plEntry is a playlist or a smartlist in a mixed list.
type plEntry struct {
	p    *playlist
	sl   *smartlist
	fold string
	id   int
}

func (e plEntry) anyID() int { return e.id }

func (c *call) playlistEntries(own, plain, smart bool) []plEntry {
	var out []plEntry
	if plain {
		for _, p := range c.l.playlists {
			if own && p.owner != c.user.id || !own && !p.public && p.owner != c.user.id {
				continue
			}
			out = append(out, plEntry{p: p, fold: p.fold, id: p.id})
		}
	}
	if smart {
		for _, sl := range c.l.smartlists {
			if own && sl.owner != c.user.id || !own && !sl.public && sl.owner != c.user.id {
				continue
			}
			out = append(out, plEntry{sl: sl, fold: fold(sl.name), id: -sl.id})
		}
	}
	slices.SortFunc(out, func(a, b plEntry) int {
		if d := strings.Compare(a.fold, b.fold); d != 0 {
			return d
		}
		return a.id - b.id
	})
	return out
}

func (c *call) writePlaylistEntries(entries []plEntry, total int) {
	c.list("playlist", total, ids(entries, plEntry.anyID), func() {
		for _, e := range entries {
			if e.p != nil {
				c.writePlaylist(e.p)
			} else {
				c.writeSmartlist(e.sl)
			}
		}
	})
}

func (c *call) listPlaylists(own, plain, smart bool) *apiError {
	q := c.query()
	all := c.playlistEntries(own, plain, smart)
	total, items := selectPage(q, all, func(e plEntry) bool {
		if !q.matchName(e.fold) {
			return false
		}
		if e.p != nil {
			return q.matchDates(e.p.added, e.p.updated)
		}
		return q.addFrom == 0 && q.updFrom == 0
	}, nil)
	c.writePlaylistEntries(items, total)
	return nil
}

func apiPlaylists(c *call) *apiError {
	return c.listPlaylists(false, true, c.api < 6 || !c.flag("hide_search"))
}
func apiUserPlaylists(c *call) *apiError  { return c.listPlaylists(true, true, false) }
func apiUserSmartlists(c *call) *apiError { return c.listPlaylists(true, false, true) }
func apiSmartlists(c *call) *apiError     { return c.listPlaylists(false, false, true) }

// playlistRef reads filter as a playlist ("12") or smartlist ("smart_3").
func (c *call) playlistRef() (*playlist, *smartlist, *apiError) {
	v := c.str("filter")
	if v == "" {
		return nil, nil, errMissing("filter")
	}
	if n, ok := strings.CutPrefix(v, "smart_"); ok {
		id, _ := strconv.Atoi(n)
		if sl := c.l.smartlist(id); sl != nil && (sl.public || sl.owner == c.user.id || c.user.access >= 100) {
			return nil, sl, nil
		}
		return nil, nil, errNotFound("filter", v)
	}
	id, err := strconv.Atoi(v)
	if err != nil {
		return nil, nil, errBad("filter", v)
	}
	p := c.l.playlists[id]
	if p == nil || !c.canRead(p) {
		return nil, nil, errNotFound("filter", v)
	}
	return p, nil, nil
}

// writablePlaylist reads filter as a playlist the user may change.
func (c *call) writablePlaylist() (*playlist, *apiError) {
	p, sl, err := c.playlistRef()
	if err != nil {
		return nil, err
	}
	if sl != nil {
		return nil, errBad("filter", c.str("filter"))
	}
	if !c.canWrite(p) {
		return nil, errAccess(100)
	}
	return p, nil
}

func apiPlaylist(c *call) *apiError {
	p, sl, err := c.playlistRef()
	if err != nil {
		return err
	}
	c.one(func() {
		if p != nil {
			c.writePlaylist(p)
		} else {
			c.writeSmartlist(sl)
		}
	})
	return nil
}

func apiPlaylistSongs(c *call) *apiError {
	p, sl, err := c.playlistRef()
	if err != nil {
		return err
	}
	var songs []*song
	if p != nil {
		songs = c.liveSongs(p)
	} else {
		songs = c.runSmartlist(sl)
	}
	if c.flag("random") {
		songs = slices.Clone(songs)
		shuffle(songs)
	}
	offset, limit := c.paging()
	c.songList(len(songs), offset, page(songs, offset, limit))
	return nil
}

func apiPlaylistCreate(c *call) *apiError {
	name := c.str("name")
	if name == "" {
		return errMissing("name")
	}
	typ := c.str("type")
	if typ != "" && typ != "public" && typ != "private" {
		return errBad("type", typ)
	}
	now := c.now.Unix()
	p := &playlist{id: c.l.nextPlaylist, name: name, fold: fold(name), owner: c.user.id,
		public: typ == "public", added: now, updated: now}
	c.l.playlists[p.id] = p
	c.l.nextPlaylist++
	c.one(func() { c.writePlaylist(p) })
	return nil
}

func splitInts(s string) ([]int, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// apiPlaylistEdit renames, changes type, or rewrites tracks: each of items
// (song ids) goes to the position at the same index of tracks (1-based;
// 1..n when tracks is missing), as the real server's set_by_track_number.
func apiPlaylistEdit(c *call) *apiError {
	p, err := c.writablePlaylist()
	if err != nil {
		return err
	}
	items, ok := splitInts(c.str("items"))
	if !ok {
		return errBad("items", c.str("items"))
	}
	tracks, ok := splitInts(c.str("tracks"))
	if !ok {
		return errBad("tracks", c.str("tracks"))
	}
	if len(tracks) == 0 {
		for i := range items {
			tracks = append(tracks, i+1)
		}
	}
	if len(tracks) != len(items) {
		return errBad("tracks", c.str("tracks"))
	}
	for _, id := range items {
		if c.l.song(id) == nil {
			return errNotFound("items", strconv.Itoa(id))
		}
	}
	if name := c.str("name"); name != "" {
		p.name, p.fold = name, fold(name)
	}
	switch typ := c.str("type"); typ {
	case "":
	case "public", "private":
		p.public = typ == "public"
	default:
		return errBad("type", typ)
	}
	for i, id := range items {
		if t := tracks[i]; t >= 1 && t <= len(p.songs) {
			p.songs[t-1] = id
		}
	}
	if c.flag("sort") {
		slices.SortStableFunc(p.songs, func(a, b int) int {
			x, y := c.l.song(a), c.l.song(b)
			if x == nil || y == nil {
				return 0
			}
			if d := strings.Compare(x.artist.fold, y.artist.fold); d != 0 {
				return d
			}
			if d := strings.Compare(x.album.fold, y.album.fold); d != 0 {
				return d
			}
			if x.disc != y.disc {
				return x.disc - y.disc
			}
			return x.track - y.track
		})
	}
	p.updated = c.now.Unix()
	c.success("playlist changes saved")
	return nil
}

func apiPlaylistDelete(c *call) *apiError {
	p, err := c.writablePlaylist()
	if err != nil {
		return err
	}
	delete(c.l.playlists, p.id)
	c.success("playlist deleted")
	return nil
}

func apiPlaylistAddSong(c *call) *apiError {
	p, err := c.writablePlaylist()
	if err != nil {
		return err
	}
	id, err := c.num("song")
	if err != nil {
		return err
	}
	if c.l.song(id) == nil {
		return errNotFound("song", strconv.Itoa(id))
	}
	if c.flag("check") && slices.Contains(p.songs, id) {
		return &apiError{code: 4710, typ: "duplicate", msg: "Bad Request: " + strconv.Itoa(id)}
	}
	p.songs = append(p.songs, id)
	p.updated = c.now.Unix()
	c.success("song added to playlist")
	return nil
}

// apiPlaylistAdd (API6) adds a song, album, artist or playlist: filter is
// the playlist, id the object. Like the real server, a playlist id that does
// not exist still answers success.
func apiPlaylistAdd(c *call) *apiError {
	pid, err := c.num("filter")
	if err != nil {
		return err
	}
	oid, err := c.num("id")
	if err != nil {
		return err
	}
	typ := c.str("type")
	var songs []int
	switch typ {
	case "song":
		if c.l.song(oid) != nil {
			songs = []int{oid}
		}
	case "album":
		if a := c.l.album(oid); a != nil {
			songs = ids(a.songs, songID)
		}
	case "artist":
		if a := c.l.artist(oid); a != nil {
			songs = ids(artistSongs(a), songID)
		}
	case "playlist":
		if src := c.l.playlists[oid]; src != nil && c.canRead(src) {
			songs = slices.Clone(src.songs)
		}
	case "":
		return errMissing("type")
	default:
		return errBad("type", typ)
	}
	if songs == nil {
		return errNotFound("id", strconv.Itoa(oid))
	}
	if p := c.l.playlists[pid]; p != nil {
		if !c.canWrite(p) {
			return errAccess(100)
		}
		p.songs = append(p.songs, songs...)
		p.updated = c.now.Unix()
	}
	c.success("songs added to playlist")
	return nil
}

// apiPlaylistRemoveSong removes everything (clear=1), the song at a
// position (track, 1-based) or the first occurrence of a song.
func apiPlaylistRemoveSong(c *call) *apiError {
	p, err := c.writablePlaylist()
	if err != nil {
		return err
	}
	switch {
	case c.flag("clear"):
		p.songs = nil
		p.updated = c.now.Unix()
		c.success("all songs removed from playlist")
		return nil
	case c.has("track"):
		t, err := c.num("track")
		if err != nil {
			return err
		}
		if t < 1 || t > len(p.songs) {
			return errNotFound("track", strconv.Itoa(t))
		}
		p.songs = slices.Delete(p.songs, t-1, t)
	case c.has("song"):
		id, err := c.num("song")
		if err != nil {
			return err
		}
		i := slices.Index(p.songs, id)
		if i < 0 {
			return errNotFound("song", strconv.Itoa(id))
		}
		p.songs = slices.Delete(p.songs, i, i+1)
	default:
		return errMissing("song")
	}
	p.updated = c.now.Unix()
	c.success("song removed from playlist")
	return nil
}
