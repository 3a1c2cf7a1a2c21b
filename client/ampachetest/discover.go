package ampachetest

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Discovery: stats, get_similar, playlist_generate, search_group,
// now_playing.

// apiStats lists songs, albums or artists by a statistic: newest, highest
// (average rating), frequent (plays), recent and forgotten (the user's
// plays), flagged (the user's flags) or random.
func apiStats(c *call) *apiError {
	typ := c.str("type")
	if typ == "" {
		return errMissing("type")
	}
	filter := c.str("filter")
	if filter == "" {
		filter = "random"
	}
	uid := c.user.id
	if n, err := strconv.Atoi(c.str("user_id")); err == nil {
		uid = n
	} else if name := c.str("username"); name != "" {
		if a := c.s.accountByName(name); a != nil {
			uid = a.id
		}
	}
	u := c.l.users[uid]
	if u == nil {
		u = newUserState()
	}
	offset, _ := strconv.Atoi(c.str("offset"))
	limit, _ := strconv.Atoi(c.str("limit"))
	if limit <= 0 {
		limit = 10
	}
	avg := func(k objKey) (float64, bool) {
		sum, n := 0, 0
		for _, us := range c.l.users {
			if v, ok := us.ratings[k]; ok {
				sum += v
				n++
			}
		}
		return float64(sum) / float64(max(n, 1)), n > 0
	}
	// Each object gets a score; objects without one are left out.
	type scored struct {
		id    int
		score float64
	}
	var list []scored
	add := func(id int, score float64, ok bool) {
		if ok {
			list = append(list, scored{id, score})
		}
	}
	songScore := func(s *song) (float64, bool) {
		switch filter {
		case "newest":
			return float64(s.added), true
		case "highest":
			return avg(objKey{"song", s.id})
		case "frequent":
			return float64(s.playcount), s.playcount > 0
		case "recent":
			t, ok := u.lastPlayed[s.id]
			return float64(t), ok
		case "forgotten":
			t, ok := u.lastPlayed[s.id]
			return -float64(t), ok && t < c.now.Unix()-30*day
		case "flagged":
			return 0, u.flags[objKey{"song", s.id}]
		}
		return rand.Float64(), true
	}
	groupScore := func(typ string, id int, songs []*song, added int64) (float64, bool) {
		switch filter {
		case "newest":
			return float64(added), true
		case "highest":
			return avg(objKey{typ, id})
		case "flagged":
			return 0, u.flags[objKey{typ, id}]
		case "random":
			return rand.Float64(), true
		}
		best, any := 0.0, false
		for _, s := range songs {
			if v, ok := songScore(s); ok && (!any || v > best) {
				best, any = v, true
			}
		}
		return best, any
	}
	switch typ {
	case "song":
		for _, s := range c.l.songsByTitle {
			v, ok := songScore(s)
			add(s.id, v, ok)
		}
	case "album":
		for _, a := range c.l.albumsByName {
			v, ok := groupScore("album", a.id, a.songs, a.added)
			add(a.id, v, ok)
		}
	case "artist":
		for _, a := range c.l.artistsByName {
			v, ok := groupScore("artist", a.id, artistSongs(a), a.added)
			add(a.id, v, ok)
		}
	default:
		return errBad("type", typ)
	}
	slices.SortStableFunc(list, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	sel := page(list, max(offset, 0), limit)
	switch typ {
	case "song":
		songs := make([]*song, len(sel))
		for i, x := range sel {
			songs[i] = c.l.song(x.id)
		}
		c.songList(len(sel), offset, songs)
	case "album":
		albums := make([]*album, len(sel))
		for i, x := range sel {
			albums[i] = c.l.album(x.id)
		}
		c.albumList(len(sel), albums)
	case "artist":
		artists := make([]*artist, len(sel))
		for i, x := range sel {
			artists[i] = c.l.artist(x.id)
		}
		c.artistList(len(sel), artists)
	}
	return nil
}

// apiGetSimilar lists songs or artists sharing a genre with the one given.
func apiGetSimilar(c *call) *apiError {
	typ := c.str("type")
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	offset, limit := c.paging()
	switch typ {
	case "song":
		s := c.l.song(id)
		if s == nil {
			return errNotFound("filter", strconv.Itoa(id))
		}
		var out []*song
		for _, x := range c.l.songsByTitle {
			if x != s && x.artist != s.artist && len(s.genres) > 0 && hasGenre(x.genres, s.genres[0]) {
				out = append(out, x)
			}
		}
		items := page(out, offset, limit)
		if c.api == 5 {
			// The API5 server answers a bare array here.
			c.out.arrStart()
			for i, x := range items {
				c.writeSong(x, offset+i+1)
			}
			c.out.arrEnd()
			return nil
		}
		c.songList(len(out), offset, items)
	case "artist":
		a := c.l.artist(id)
		if a == nil {
			return errNotFound("filter", strconv.Itoa(id))
		}
		var out []*artist
		for _, x := range c.l.artistsByName {
			if x != a && len(a.genres) > 0 && hasGenre(x.genres, a.genres[0]) {
				out = append(out, x)
			}
		}
		c.artistList(len(out), page(out, offset, limit))
	case "":
		return errMissing("type")
	default:
		return errBad("type", typ)
	}
	return nil
}

// apiPlaylistGenerate picks songs: mode random (default), recent (the
// user's recent plays), forgotten (played, not in 30 days) or unplayed;
// narrowed by filter (title), album, artist and flag; format song
// (default), index or id.
func apiPlaylistGenerate(c *call) *apiError {
	mode := c.str("mode")
	if mode == "" {
		mode = "random"
	}
	u := c.l.users[c.user.id]
	if u == nil {
		u = newUserState()
	}
	text := fold(c.str("filter"))
	albumID, _ := strconv.Atoi(c.str("album"))
	artistID, _ := strconv.Atoi(c.str("artist"))
	onlyFlagged := c.flag("flag")
	var sel []*song
	for _, s := range c.l.songsByTitle {
		if text != "" && !strings.Contains(s.fold, text) || albumID != 0 && s.album.id != albumID ||
			artistID != 0 && s.artist.id != artistID || onlyFlagged && !u.flags[objKey{"song", s.id}] {
			continue
		}
		last, played := u.lastPlayed[s.id]
		switch mode {
		case "recent":
			if !played {
				continue
			}
		case "forgotten":
			if !played || last >= c.now.Unix()-30*day {
				continue
			}
		case "unplayed":
			if u.plays[s.id] > 0 {
				continue
			}
		case "random":
		default:
			return errBad("mode", mode)
		}
		sel = append(sel, s)
	}
	switch mode {
	case "recent":
		slices.SortStableFunc(sel, func(a, b *song) int { return cmp.Compare(u.lastPlayed[b.id], u.lastPlayed[a.id]) })
	case "forgotten":
		slices.SortStableFunc(sel, func(a, b *song) int { return cmp.Compare(u.lastPlayed[a.id], u.lastPlayed[b.id]) })
	default:
		shuffle(sel)
	}
	offset, limit := c.paging()
	if !c.has("limit") {
		limit = 500
	}
	items := page(sel, offset, limit)
	switch f := c.str("format"); f {
	case "id":
		c.out.arrStart()
		for _, s := range items {
			c.out.int(int64(s.id))
		}
		c.out.arrEnd()
	case "", "song", "index":
		c.songList(len(sel), offset, items)
	default:
		return errBad("format", f)
	}
	return nil
}

// apiSearchGroup (API6) searches several kinds of object at once.
func apiSearchGroup(c *call) *apiError {
	typ := c.str("type")
	if typ == "" {
		typ = "all"
	}
	switch typ {
	case "all", "music", "song_artist", "album_artist", "podcast", "video":
	default:
		return errBad("type", typ)
	}
	// Like the real server (SearchGroupMethod), the rules are required and
	// run once per object type; a type the rules do not apply to (a rule
	// other than the name for playlists, podcasts...) gets no objects.
	rules, err := c.readRules("song")
	if err != nil {
		return err
	}
	or := strings.EqualFold(c.str("operator"), "or")
	recent := c.recentSets(rules)
	nameOnly := true
	for _, r := range rules {
		if r.field != "title" && r.field != "name" {
			nameOnly = false
		}
	}
	nameMatch := func(folded string) bool {
		return nameOnly && combine(or, rules, func(r searchRule) bool { return textMatch(r.op, folded, r.input) })
	}
	offset, limit := c.paging()
	w := &c.out
	w.objStart()
	w.key("search")
	w.objStart()
	songs := func() {
		all := c.matchSongs(rules, or)
		w.key("song")
		w.arrStart()
		for i, s := range page(all, offset, limit) {
			c.writeSong(s, i+1)
		}
		w.arrEnd()
	}
	albums := func() {
		var all []*album
		for _, a := range c.l.albumsByName {
			if combine(or, rules, func(r searchRule) bool { return c.groupRule("album", a.id, a.fold, a.year, a.songs, r, recent) }) {
				all = append(all, a)
			}
		}
		w.key("album")
		w.arrStart()
		for _, a := range page(all, offset, limit) {
			c.writeAlbum(a, false)
		}
		w.arrEnd()
	}
	artists := func(key string) {
		var all []*artist
		for _, a := range c.l.artistsByName {
			songs := artistSongs(a)
			if combine(or, rules, func(r searchRule) bool { return c.groupRule("artist", a.id, a.fold, a.yearFormed, songs, r, recent) }) {
				all = append(all, a)
			}
		}
		w.key(key)
		w.arrStart()
		for _, a := range page(all, offset, limit) {
			c.writeArtist(a, false, false)
		}
		w.arrEnd()
	}
	podcasts := func() {
		var all []*podcast
		for _, p := range c.l.podcastsByName {
			if nameMatch(p.fold) {
				all = append(all, p)
			}
		}
		w.key("podcast")
		w.arrStart()
		for _, p := range all {
			c.writePodcast(p, false)
		}
		w.arrEnd()
	}
	episodes := func() {
		var all []*episode
		for _, e := range c.l.episodes {
			if e != nil && nameMatch(e.fold) {
				all = append(all, e)
			}
		}
		w.key("podcast_episode")
		w.arrStart()
		for _, e := range page(all, offset, limit) {
			c.writeEpisode(e)
		}
		w.arrEnd()
	}
	switch typ {
	case "music":
		songs()
		albums()
		artists("artist")
	case "song_artist", "album_artist":
		songs()
		albums()
		artists(typ)
	case "podcast":
		podcasts()
		episodes()
	case "video":
		w.key("video")
		w.arrStart()
		w.arrEnd()
	case "all":
		songs()
		albums()
		artists("song_artist")
		artists("album_artist")
		artists("artist")
		w.key("label")
		w.arrStart()
		w.arrEnd()
		w.key("playlist")
		w.arrStart()
		for _, e := range c.playlistEntries(false, true, false) {
			if nameMatch(e.fold) {
				c.writePlaylist(e.p)
			}
		}
		w.arrEnd()
		podcasts()
		episodes()
		w.key("genre")
		w.arrStart()
		for _, g := range c.l.genresByName {
			if nameMatch(g.fold) {
				c.writeGenre(g)
			}
		}
		w.arrEnd()
		w.key("user")
		w.arrStart()
		c.s.authMu.Lock()
		for _, a := range c.s.accounts {
			if a != nil && !a.disabled && nameMatch(fold(a.username)) {
				w.objStart()
				w.kid("id", a.id)
				w.kstr("username", a.username)
				w.objEnd()
			}
		}
		c.s.authMu.Unlock()
		w.arrEnd()
	}
	w.objEnd()
	w.objEnd()
	return nil
}

// apiNowPlaying lists what users are streaming now.
func apiNowPlaying(c *call) *apiError {
	var entries []nowPlaying
	for _, np := range c.l.nowPlaying {
		if np.expire > c.now.Unix() && c.l.song(np.songID) != nil {
			entries = append(entries, np)
		}
	}
	slices.SortFunc(entries, func(a, b nowPlaying) int { return a.user - b.user })
	w := &c.out
	w.objStart()
	w.key("now_playing")
	w.arrStart()
	for _, np := range entries {
		w.objStart()
		w.kid("id", np.songID)
		w.kstr("type", "song")
		w.kstrn("client", np.client)
		w.kint64("expire", np.expire)
		w.key("user")
		w.objStart()
		w.kid("id", np.user)
		w.kstr("username", c.s.usernameOf(np.user))
		w.objEnd()
		w.objEnd()
	}
	w.arrEnd()
	w.objEnd()
	return nil
}
