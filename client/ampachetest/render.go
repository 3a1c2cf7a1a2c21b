package ampachetest

import (
	"strconv"
)

// Renderers of the music objects, field for field in the order the real
// server writes them, per API version (see the captured api5/api6 JSON and
// the server's Json4_Data for API4).

func (c *call) base() string {
	if c.baseURL == "" {
		scheme := "http"
		if c.r.TLS != nil {
			scheme = "https"
		}
		c.baseURL = scheme + "://" + c.r.Host + c.s.basePath
	}
	return c.baseURL
}

// appendNameEscaped appends s query-escaped with spaces as %20 and "/"
// replaced by "-", as the server writes the name of a play URL.
func appendNameEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == '/':
			b = append(b, '-')
		default:
			b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
		}
	}
	return b
}

func (c *call) appendArtURL(b []byte, typ string, id int) []byte {
	b = append(b, c.base()...)
	b = append(b, "/image.php?object_id="...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, "&object_type="...)
	b = append(b, typ...)
	return append(b, "&name=art.png"...)
}

func (c *call) appendPlayURL(b []byte, typ string, id int, name, ext string, raw bool) []byte {
	b = append(b, c.base()...)
	b = append(b, "/play/index.php?ssid="...)
	b = append(b, c.sess.token...)
	b = append(b, "&type="...)
	b = append(b, typ...)
	b = append(b, "&oid="...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, "&uid="...)
	b = strconv.AppendInt(b, int64(c.user.id), 10)
	if raw {
		b = append(b, "&format=raw"...)
	}
	b = append(b, "&player=api&name="...)
	b = appendNameEscaped(b, name)
	b = append(b, '.')
	return append(b, ext...)
}

func (c *call) artURL(typ string, id int) string { return string(c.appendArtURL(nil, typ, id)) }

// playURL is the play link of a song or episode for this session.
func (c *call) playURL(typ string, id int, name, ext string, raw bool) string {
	return string(c.appendPlayURL(nil, typ, id, name, ext, raw))
}

func (c *call) songURL(s *song) string {
	return c.playURL("song", s.id, s.artist.name+" - "+s.title, s.src.format, false)
}

// kArt and kPlay write art and play URLs without building strings.
func (c *call) kArt(k, typ string, id int) {
	c.scratch = c.appendArtURL(c.scratch[:0], typ, id)
	c.out.key(k)
	c.out.strb(c.scratch)
}

func (c *call) kSongURL(k string, s *song) {
	c.scratch = c.appendPlayURL(c.scratch[:0], "song", s.id, s.artist.name+" - "+s.title, s.src.format, false)
	c.out.key(k)
	c.out.strb(c.scratch)
}

// rating is the session user's rating of an object.
func (c *call) rating(typ string, id int) (int, bool) {
	u := c.l.users[c.user.id]
	if u == nil {
		return 0, false
	}
	r, ok := u.ratings[objKey{typ, id}]
	return r, ok
}

func (c *call) flagged(typ string, id int) bool {
	u := c.l.users[c.user.id]
	return u != nil && u.flags[objKey{typ, id}]
}

// writeRatings writes flag, rating and averagerating (API6) or flag,
// preciserating, rating and averagerating (API4, API5).
func (c *call) writeRatings(typ string, id int) {
	w := &c.out
	w.kflag("flag", c.flagged(typ, id), c.api)
	r, ok := c.rating(typ, id)
	if c.api < 6 {
		w.kintn("preciserating", r, ok)
	}
	w.kintn("rating", r, ok)
	sum, n := 0, 0
	for _, u := range c.l.users {
		if v, ok := u.ratings[objKey{typ, id}]; ok {
			sum += v
			n++
		}
	}
	w.key("averagerating")
	switch {
	case n == 0:
		w.null()
	case sum%n == 0:
		w.int(int64(sum / n))
	default:
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(sum)/float64(n), 'f', 1, 64), 64)
		w.float(f)
	}
}

// ref writes {"id","name"} (plus prefix and basename in API6).
func (c *call) ref(k string, id int, name string) {
	w := &c.out
	w.key(k)
	w.objStart()
	w.kid("id", id)
	w.kstr("name", name)
	if c.api >= 6 {
		prefix, base := prefixOf(name)
		w.kstrn("prefix", prefix)
		w.kstr("basename", base)
	}
	w.objEnd()
}

func (c *call) genres(k string, gs []*genre, namesOnly bool) {
	w := &c.out
	w.key(k)
	w.arrStart()
	for _, g := range gs {
		w.objStart()
		if !namesOnly {
			w.kid("id", g.id)
		}
		w.kstr("name", g.name)
		w.objEnd()
	}
	w.arrEnd()
}

func (c *call) writeSong(s *song, track int) {
	w := &c.out
	api := c.api
	w.objStart()
	w.kid("id", s.id)
	w.kstr("title", s.title)
	w.kstr("name", s.title)
	c.ref("artist", s.artist.id, s.artist.name)
	if api >= 6 {
		w.key("artists")
		w.arrStart()
		c.refObj(s.artist.id, s.artist.name)
		w.arrEnd()
	}
	c.ref("album", s.album.id, s.album.name)
	c.ref("albumartist", s.album.artist.id, s.album.artist.name)
	w.kint("disk", s.disc)
	if api >= 6 {
		w.knull("disksubtitle")
	}
	w.kint("track", s.track)
	c.scratch = s.appendPath(c.scratch[:0])
	w.key("filename")
	w.strb(c.scratch)
	if api == 4 {
		c.genres("tag", s.genres, false)
	} else {
		c.genres("genre", s.genres, false)
	}
	w.kint("playlisttrack", track)
	w.kint("time", s.seconds)
	w.kint("year", s.year)
	if api >= 6 {
		w.kstr("format", s.src.format)
		w.kstr("stream_format", s.src.format)
	}
	w.kint("bitrate", s.bitrate)
	if api >= 6 {
		w.kint("stream_bitrate", s.bitrate)
	}
	w.kint("rate", s.src.clip.SampleRate)
	w.kstr("mode", s.mode())
	w.kstr("mime", mimeOf(s.src.format))
	if api >= 6 {
		w.kstr("stream_mime", mimeOf(s.src.format))
	}
	c.kSongURL("url", s)
	w.kint64("size", s.size)
	w.kstrn("mbid", s.mbid)
	if api < 6 {
		w.kstrn("album_mbid", s.album.mbid)
		w.kstrn("artist_mbid", s.artist.mbid)
		w.kstrn("albumartist_mbid", s.album.artist.mbid)
	}
	c.kArt("art", "album", s.album.id)
	if api >= 6 {
		w.kbool("has_art", s.album.hasArt)
	}
	c.writeRatings("song", s.id)
	w.kint("playcount", s.playcount)
	w.kint("catalog", 1)
	w.kstrn("composer", s.composer)
	w.kint("channels", s.src.clip.Channels)
	w.kstrn("comment", s.comment)
	w.knull("license")
	w.knull("publisher")
	w.knull("language")
	if api >= 5 {
		w.knull("lyrics")
	}
	w.kfloat32n("replaygain_album_gain", s.rgAlbumGain)
	w.kfloat32n("replaygain_album_peak", s.rgAlbumPeak)
	w.kfloat32n("replaygain_track_gain", s.rgTrackGain)
	w.kfloat32n("replaygain_track_peak", s.rgTrackPeak)
	if api >= 5 {
		w.knull("r128_album_gain")
		w.knull("r128_track_gain")
	} else {
		c.genres("genre", s.genres, true)
	}
	w.objEnd()
}

// refObj writes an artist reference as an array element.
func (c *call) refObj(id int, name string) {
	w := &c.out
	w.objStart()
	w.kid("id", id)
	w.kstr("name", name)
	if c.api >= 6 {
		prefix, base := prefixOf(name)
		w.kstrn("prefix", prefix)
		w.kstr("basename", base)
	}
	w.objEnd()
}

func albumSeconds(a *album) int {
	t := 0
	for _, s := range a.songs {
		t += s.seconds
	}
	return t
}

func albumDiscs(a *album) int {
	d := 0
	for _, s := range a.songs {
		d = max(d, s.disc)
	}
	return max(d, 1)
}

func (c *call) writeAlbum(a *album, withSongs bool) {
	w := &c.out
	api := c.api
	w.objStart()
	w.kid("id", a.id)
	w.kstr("name", a.name)
	if api >= 6 {
		prefix, base := prefixOf(a.name)
		w.kstrn("prefix", prefix)
		w.kstr("basename", base)
	}
	c.ref("artist", a.artist.id, a.artist.name)
	if api >= 6 {
		for _, k := range []string{"artists", "songartists"} {
			w.key(k)
			w.arrStart()
			c.refObj(a.artist.id, a.artist.name)
			w.arrEnd()
		}
	}
	w.kint("time", albumSeconds(a))
	w.kint("year", a.year)
	w.key("tracks")
	switch {
	case withSongs:
		w.arrStart()
		for i, s := range a.songs {
			c.writeSong(s, i+1)
		}
		w.arrEnd()
	case api == 4:
		w.int(int64(len(a.songs)))
	default:
		w.arrStart()
		w.arrEnd()
	}
	w.kint("songcount", len(a.songs))
	if api >= 5 {
		w.kint("diskcount", albumDiscs(a))
		w.kstrn("type", a.releaseType)
		c.genres("genre", a.genres, false)
	} else {
		w.kstrn("type", a.releaseType)
		w.kint("disk", albumDiscs(a))
		c.genres("tag", a.genres, false)
	}
	c.kArt("art", "album", a.id)
	if api >= 6 {
		w.kbool("has_art", a.hasArt)
	}
	c.writeRatings("album", a.id)
	w.kstrn("mbid", a.mbid)
	if api >= 6 {
		w.knull("mbid_group")
	}
	w.objEnd()
}

func artistSongCount(a *artist) int {
	n := 0
	for _, al := range a.albums {
		n += len(al.songs)
	}
	return n
}

func artistSeconds(a *artist) int {
	t := 0
	for _, al := range a.albums {
		t += albumSeconds(al)
	}
	return t
}

func (c *call) writeArtist(a *artist, withAlbums, withSongs bool) {
	w := &c.out
	api := c.api
	w.objStart()
	w.kid("id", a.id)
	w.kstr("name", a.name)
	if api >= 6 {
		prefix, base := prefixOf(a.name)
		w.kstrn("prefix", prefix)
		w.kstr("basename", base)
	}
	w.key("albums")
	switch {
	case withAlbums:
		w.arrStart()
		for _, al := range a.albums {
			c.writeAlbum(al, false)
		}
		w.arrEnd()
	case api == 4:
		w.int(int64(len(a.albums)))
	default:
		w.arrStart()
		w.arrEnd()
	}
	w.kint("albumcount", len(a.albums))
	w.key("songs")
	switch {
	case withSongs:
		w.arrStart()
		n := 0
		for _, al := range a.albums {
			for _, s := range al.songs {
				n++
				c.writeSong(s, n)
			}
		}
		w.arrEnd()
	case api == 4:
		w.int(int64(artistSongCount(a)))
	default:
		w.arrStart()
		w.arrEnd()
	}
	w.kint("songcount", artistSongCount(a))
	if api == 4 {
		c.genres("tag", a.genres, false)
	} else {
		c.genres("genre", a.genres, false)
	}
	c.kArt("art", "artist", a.id)
	if api >= 6 {
		w.kbool("has_art", a.hasArt)
	}
	c.writeRatings("artist", a.id)
	w.kstrn("mbid", a.mbid)
	w.kstrn("summary", a.summary)
	w.kint("time", artistSeconds(a))
	w.kint("yearformed", a.yearFormed)
	w.kstrn("placeformed", a.placeFormed)
	w.objEnd()
}

func (c *call) writeGenre(g *genre) {
	w := &c.out
	w.objStart()
	w.kid("id", g.id)
	w.kstr("name", g.name)
	w.kint("albums", g.albums)
	w.kint("artists", g.artists)
	w.kint("songs", g.songs)
	w.kint("videos", 0)
	w.kint("playlists", 0)
	if c.api == 4 {
		w.kint("stream", 0)
	} else {
		w.kint("live_streams", 0)
	}
	if c.api >= 6 {
		w.kbool("is_hidden", false)
		w.key("merge")
		w.arrStart()
		w.arrEnd()
	}
	w.objEnd()
}
