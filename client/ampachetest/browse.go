package ampachetest

import (
	"net/url"
	"strconv"
)

// Browsing methods: artists, albums, songs, genres and their sub-lists.

func (c *call) songList(total int, offset int, songs []*song) {
	c.out.grow(len(songs) * 1800)
	c.list("song", total, ids(songs, songID), func() {
		for i, s := range songs {
			c.writeSong(s, offset+i+1)
		}
	})
}

func (c *call) albumList(total int, albums []*album) {
	withSongs := c.includes("songs")
	c.out.grow(len(albums) * 900)
	c.list("album", total, ids(albums, albumID), func() {
		for _, a := range albums {
			c.writeAlbum(a, withSongs)
		}
	})
}

func (c *call) artistList(total int, artists []*artist) {
	withAlbums, withSongs := c.includes("albums"), c.includes("songs")
	c.list("artist", total, ids(artists, artistID), func() {
		for _, a := range artists {
			c.writeArtist(a, withAlbums, withSongs)
		}
	})
}

func apiArtists(c *call) *apiError {
	q := c.query()
	var match func(*artist) bool
	if q.filtered() {
		match = func(a *artist) bool { return q.matchName(a.fold) && q.matchDates(a.added, a.updated) }
	}
	total, items := selectPage(q, c.l.artistsByName, match, artistOrder)
	c.artistList(total, items)
	return nil
}

func (c *call) artistParam() (*artist, *apiError) {
	id, err := c.id("filter")
	if err != nil {
		return nil, err
	}
	a := c.l.artist(id)
	if a == nil {
		return nil, errNotFound("filter", strconv.Itoa(id))
	}
	return a, nil
}

func apiArtist(c *call) *apiError {
	a, err := c.artistParam()
	if err != nil {
		return err
	}
	c.one(func() { c.writeArtist(a, c.includes("albums"), c.includes("songs")) })
	return nil
}

func apiArtistAlbums(c *call) *apiError {
	a, err := c.artistParam()
	if err != nil {
		return err
	}
	q := c.query()
	total, items := selectPage(q, a.albums, nil, albumOrder)
	c.albumList(total, items)
	return nil
}

func artistSongs(a *artist) []*song {
	var out []*song
	for _, al := range a.albums {
		out = append(out, al.songs...)
	}
	return out
}

func apiArtistSongs(c *call) *apiError {
	a, err := c.artistParam()
	if err != nil {
		return err
	}
	q := c.query()
	total, items := selectPage(q, artistSongs(a), nil, songOrder)
	c.songList(total, q.offset, items)
	return nil
}

func apiAlbums(c *call) *apiError {
	q := c.query()
	var match func(*album) bool
	if q.filtered() {
		match = func(a *album) bool { return q.matchName(a.fold) && q.matchDates(a.added, a.updated) }
	}
	total, items := selectPage(q, c.l.albumsByName, match, albumOrder)
	c.albumList(total, items)
	return nil
}

func (c *call) albumParam() (*album, *apiError) {
	id, err := c.id("filter")
	if err != nil {
		return nil, err
	}
	a := c.l.album(id)
	if a == nil {
		return nil, errNotFound("filter", strconv.Itoa(id))
	}
	return a, nil
}

func apiAlbum(c *call) *apiError {
	a, err := c.albumParam()
	if err != nil {
		return err
	}
	withSongs := c.includes("songs")
	if c.api == 5 {
		// API5 wraps a single album in a list.
		c.out.objStart()
		c.out.key("album")
		c.out.arrStart()
		c.writeAlbum(a, withSongs)
		c.out.arrEnd()
		c.out.objEnd()
		return nil
	}
	c.one(func() { c.writeAlbum(a, withSongs) })
	return nil
}

func apiAlbumSongs(c *call) *apiError {
	a, err := c.albumParam()
	if err != nil {
		return err
	}
	q := c.query()
	total, items := selectPage(q, a.songs, nil, songOrder)
	c.songList(total, q.offset, items)
	return nil
}

func apiSongs(c *call) *apiError {
	q := c.query()
	var match func(*song) bool
	if q.filtered() {
		match = func(s *song) bool { return q.matchName(s.fold) && q.matchDates(s.added, s.updated) }
	}
	total, items := selectPage(q, c.l.songsByTitle, match, songOrder)
	c.songList(total, q.offset, items)
	return nil
}

func apiSong(c *call) *apiError {
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	s := c.l.song(id)
	if s == nil {
		return errNotFound("filter", strconv.Itoa(id))
	}
	c.one(func() { c.writeSong(s, 1) })
	return nil
}

func apiURLToSong(c *call) *apiError {
	raw := c.str("url")
	if raw == "" {
		return errMissing("url")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errBad("url", raw)
	}
	id, _ := strconv.Atoi(u.Query().Get("oid"))
	s := c.l.song(id)
	if s == nil || u.Query().Get("type") != "" && u.Query().Get("type") != "song" {
		return errNotFound("url", raw)
	}
	c.one(func() { c.writeSong(s, 1) })
	return nil
}

// Genres (API4 calls them tags and wraps the list in [{"tag":[...]}]).

func (c *call) genreList(total int, gs []*genre) {
	if c.api == 4 {
		w := &c.out
		w.arrStart()
		w.objStart()
		w.key("tag")
		w.arrStart()
		for _, g := range gs {
			c.writeGenre(g)
		}
		w.arrEnd()
		w.objEnd()
		w.arrEnd()
		return
	}
	c.list("genre", total, ids(gs, genreID), func() {
		for _, g := range gs {
			c.writeGenre(g)
		}
	})
}

func apiGenres(c *call) *apiError {
	c.l.refreshGenreCounts()
	q := c.query()
	// Genres nothing is tagged with are not listed.
	match := func(g *genre) bool { return g.songs+g.albums+g.artists > 0 && q.matchName(g.fold) }
	total, items := selectPage(q, c.l.genresByName, match, nil)
	c.genreList(total, items)
	return nil
}

func (c *call) genreParam() (*genre, *apiError) {
	id, err := c.id("filter")
	if err != nil {
		return nil, err
	}
	g := c.l.genre(id)
	if g == nil {
		return nil, errNotFound("filter", strconv.Itoa(id))
	}
	return g, nil
}

func apiGenre(c *call) *apiError {
	c.l.refreshGenreCounts()
	g, err := c.genreParam()
	if err != nil {
		return err
	}
	if c.api == 4 {
		c.genreList(1, []*genre{g})
		return nil
	}
	c.writeGenre(g)
	return nil
}

func hasGenre(gs []*genre, g *genre) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}

func apiGenreArtists(c *call) *apiError {
	g, err := c.genreParam()
	if err != nil {
		return err
	}
	q := c.query()
	total, items := selectPage(q, c.l.artistsByName, func(a *artist) bool { return hasGenre(a.genres, g) }, artistOrder)
	c.artistList(total, items)
	return nil
}

func apiGenreAlbums(c *call) *apiError {
	g, err := c.genreParam()
	if err != nil {
		return err
	}
	q := c.query()
	total, items := selectPage(q, c.l.albumsByName, func(a *album) bool { return hasGenre(a.genres, g) }, albumOrder)
	c.albumList(total, items)
	return nil
}

func apiGenreSongs(c *call) *apiError {
	g, err := c.genreParam()
	if err != nil {
		return err
	}
	q := c.query()
	total, items := selectPage(q, c.l.songsByTitle, func(s *song) bool { return hasGenre(s.genres, g) }, songOrder)
	c.songList(total, q.offset, items)
	return nil
}

// Catalogs: 1 holds the music, 2 the podcasts.

func (c *call) writeCatalog(id int) {
	w := &c.out
	l := c.l
	name, gather, path := "music", "music", "/srv/music"
	if id == 2 {
		name, gather, path = "podcasts", "podcast", "/srv/podcasts"
	}
	w.objStart()
	w.kid("id", id)
	w.kstr("name", name)
	w.kstr("type", "local")
	w.kstr("gather_types", gather)
	w.kflag("enabled", true, c.api)
	w.kint64("last_add", l.lastAdd)
	w.kint64("last_clean", l.lastClean)
	w.kint64("last_update", l.lastUpdate)
	w.kstr("path", path)
	w.kstr("rename_pattern", "%a - %T - %t")
	w.kstr("sort_pattern", "%a/%A")
	w.objEnd()
}

func apiCatalogs(c *call) *apiError {
	var list []int
	for id, gather := range []string{1: "music", 2: "podcast"} {
		if f := c.str("filter"); id > 0 && (f == "" || f == gather) {
			list = append(list, id)
		}
	}
	offset, limit := c.paging()
	items := page(list, offset, limit)
	c.list("catalog", len(list), items, func() {
		for _, id := range items {
			c.writeCatalog(id)
		}
	})
	return nil
}

func apiCatalog(c *call) *apiError {
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	if id != 1 && id != 2 {
		return errNotFound("filter", strconv.Itoa(id))
	}
	c.one(func() { c.writeCatalog(id) })
	return nil
}

// apiCatalogAction starts a catalog task (nothing to do here but answer).
func apiCatalogAction(c *call) *apiError {
	if err := c.checkAccess(75); err != nil {
		return err
	}
	task := c.str("task")
	if task == "" {
		return errMissing("task")
	}
	switch task {
	case "add_to_catalog", "clean_catalog", "verify_catalog", "gather_art", "garbage_collect", "update_catalog":
	default:
		return errBad("task", task)
	}
	id, err := c.id("catalog")
	if err != nil {
		return err
	}
	if id != 1 && id != 2 {
		return errNotFound("catalog", strconv.Itoa(id))
	}
	c.success("successfully started: " + task)
	return nil
}
