package ampachetest

import (
	"crypto/rand"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
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

// Shares.

func (c *call) shareURL(sh *share) string {
	return fmt.Sprintf("%s/share.php?id=%d&secret=%s", c.base(), sh.id, sh.secret)
}

func (c *call) writeShare(sh *share) {
	w := &c.out
	w.objStart()
	w.kid("id", sh.id)
	w.kstr("name", sh.name)
	w.kstr("owner", c.s.usernameOf(sh.owner))
	w.kflag("allow_stream", sh.allowStream, c.api)
	w.kflag("allow_download", sh.allowDownload, c.api)
	w.kint64("creation_date", sh.created)
	w.kint64("lastvisit_date", sh.lastVisit)
	w.kstr("object_type", sh.objectType)
	w.kid("object_id", sh.objectID)
	w.kint("expire_days", sh.expireDays)
	w.kint("max_counter", 0)
	w.kint("counter", sh.counter)
	w.kstr("secret", sh.secret)
	w.kstr("public_url", c.shareURL(sh))
	w.kstrn("description", sh.description)
	w.objEnd()
}

func (c *call) shareParam() (*share, *apiError) {
	if err := c.checkFeature(FeatureShare); err != nil {
		return nil, err
	}
	id, err := c.id("filter")
	if err != nil {
		return nil, err
	}
	sh := c.l.shares[id]
	if sh == nil || sh.owner != c.user.id && c.user.access < 100 {
		return nil, errNotFound("filter", strconv.Itoa(id))
	}
	return sh, nil
}

func apiShares(c *call) *apiError {
	if err := c.checkFeature(FeatureShare); err != nil {
		return err
	}
	q := c.query()
	var list []*share
	for id := 1; id < c.l.nextShare; id++ {
		if sh := c.l.shares[id]; sh != nil && sh.owner == c.user.id && q.matchName(fold(sh.name)) {
			list = append(list, sh)
		}
	}
	items := page(list, q.offset, q.limit)
	c.list("share", len(list), ids(items, func(s *share) int { return s.id }), func() {
		for _, sh := range items {
			c.writeShare(sh)
		}
	})
	return nil
}

func apiShare(c *call) *apiError {
	sh, err := c.shareParam()
	if err != nil {
		return err
	}
	c.one(func() { c.writeShare(sh) })
	return nil
}

func secret() string {
	const letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	var b [8]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b[:])
}

func apiShareCreate(c *call) *apiError {
	if err := c.checkFeature(FeatureShare); err != nil {
		return err
	}
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	typ := c.str("type")
	if typ == "" {
		return errMissing("type")
	}
	switch typ {
	case "song", "album", "artist", "playlist", "podcast_episode", "podcast":
	default:
		return errBad("type", typ)
	}
	name, ok := c.objectName(typ, id)
	if !ok {
		return errNotFound("filter", strconv.Itoa(id))
	}
	days := 0
	if c.has("expires") {
		if days, err = c.num("expires"); err != nil || days < 0 {
			return errBad("expires", c.str("expires"))
		}
	}
	sh := &share{id: c.l.nextShare, owner: c.user.id, objectType: typ, objectID: id, name: name,
		description: c.str("description"), secret: secret(), expireDays: days, allowStream: true,
		allowDownload: true, created: c.now.Unix()}
	c.l.shares[sh.id] = sh
	c.l.nextShare++
	c.one(func() { c.writeShare(sh) })
	return nil
}

func apiShareEdit(c *call) *apiError {
	sh, err := c.shareParam()
	if err != nil {
		return err
	}
	if c.has("stream") {
		sh.allowStream = c.flag("stream")
	}
	if c.has("download") {
		sh.allowDownload = c.flag("download")
	}
	if c.has("expires") {
		days, err := c.num("expires")
		if err != nil || days < 0 {
			return errBad("expires", c.str("expires"))
		}
		sh.expireDays = days
	}
	if c.has("description") {
		sh.description = c.str("description")
	}
	c.success(fmt.Sprintf("share %d updated", sh.id))
	return nil
}

func apiShareDelete(c *call) *apiError {
	if err := c.checkFeature(FeatureShare); err != nil {
		return err
	}
	id, err := c.id("filter")
	if err != nil {
		return err
	}
	sh := c.l.shares[id]
	if sh == nil {
		return errNotFound("filter", strconv.Itoa(id))
	}
	if sh.owner != c.user.id && c.user.access < 75 {
		return errAccess(75)
	}
	delete(c.l.shares, id)
	c.success(fmt.Sprintf("share %d deleted", id))
	return nil
}

// shareExpired reports whether a share's link no longer works.
func shareExpired(sh *share, now int64) bool {
	return sh.expireDays > 0 && sh.created+int64(sh.expireDays)*day < now
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

// Users.

func (c *call) writeUser(a *account, full bool) {
	w := &c.out
	api := c.api
	w.objStart()
	w.kid("id", a.id)
	w.kstr("username", a.username)
	if full {
		w.kstr("auth", a.apiKey)
		w.kstr("email", a.email)
		if api == 4 {
			w.kstr("access", strconv.Itoa(a.access))
			w.kstr("fullname_public", "0")
			w.knull("validation")
			w.kstr("disabled", map[bool]string{true: "1", false: "0"}[a.disabled])
		} else {
			w.kint("access", a.access)
			if api >= 6 {
				w.knull("streamtoken")
			}
			w.kflag("fullname_public", false, api)
			w.knull("validation")
			w.kflag("disabled", a.disabled, api)
		}
	}
	w.kint64("create_date", a.created)
	w.kint64("last_seen", a.lastSeen)
	w.knull("website")
	w.knull("state")
	w.knull("city")
	if api >= 6 {
		w.kstr("art", fmt.Sprintf("%s/image.php?action=show_user_avatar&object_id=%d&object_type=user&name=art.jpg", c.base(), a.id))
		w.kbool("has_art", false)
	}
	w.objEnd()
}

func apiUser(c *call) *apiError {
	name := c.str("username")
	if name == "" {
		return errMissing("username")
	}
	a := c.s.accountByName(name)
	if a == nil {
		return &apiError{code: 4704, typ: "username", msg: "Not Found: " + name}
	}
	full := a.id == c.user.id || c.user.access >= 100
	if c.api == 4 {
		c.out.objStart()
		c.out.key("user")
		c.writeUser(a, full)
		c.out.objEnd()
		return nil
	}
	c.writeUser(a, full)
	return nil
}

func apiUsers(c *call) *apiError {
	c.s.authMu.Lock()
	var list []*account
	for _, a := range c.s.accounts {
		if a != nil && !a.disabled {
			list = append(list, a)
		}
	}
	c.s.authMu.Unlock()
	offset, limit := c.paging()
	list = page(list, offset, limit)
	w := &c.out
	if c.api <= 5 {
		// API4 and API5 wrap the list in an array.
		w.arrStart()
	}
	w.objStart()
	w.key("user")
	w.arrStart()
	for _, a := range list {
		w.objStart()
		w.kid("id", a.id)
		w.kstr("username", a.username)
		w.objEnd()
	}
	w.arrEnd()
	w.objEnd()
	if c.api <= 5 {
		w.arrEnd()
	}
	return nil
}

func apiUserCreate(c *call) *apiError {
	if err := c.checkAccess(100); err != nil {
		return err
	}
	name, pw, email := c.str("username"), c.str("password"), c.str("email")
	for p, v := range map[string]string{"username": name, "password": pw, "email": email} {
		if v == "" {
			return errMissing(p)
		}
	}
	if c.s.accountByName(name) != nil {
		return errBad("username", name)
	}
	c.s.AddUser(name, pw, 25)
	if a := c.s.accountByName(name); a != nil {
		c.s.authMu.Lock()
		a.email, a.fullname, a.disabled = email, c.str("fullname"), c.flag("disable")
		c.s.authMu.Unlock()
	}
	c.success("successfully created: " + name)
	return nil
}

func apiUserEdit(c *call) *apiError {
	if err := c.checkAccess(100); err != nil {
		return err
	}
	name := c.str("username")
	if name == "" {
		return errMissing("username")
	}
	a := c.s.accountByName(name)
	if a == nil {
		return &apiError{code: 4704, typ: "username", msg: "Not Found: " + name}
	}
	c.s.authMu.Lock()
	if v := c.str("password"); v != "" {
		a.password = v
	}
	if v := c.str("email"); v != "" {
		a.email = v
	}
	if v := c.str("fullname"); v != "" {
		a.fullname = v
	}
	if c.has("disable") {
		a.disabled = c.flag("disable")
	}
	c.s.authMu.Unlock()
	c.success("successfully updated: " + name)
	return nil
}

func apiUserDelete(c *call) *apiError {
	if err := c.checkAccess(100); err != nil {
		return err
	}
	name := c.str("filter")
	if name == "" {
		name = c.str("username")
	}
	if name == "" {
		return errMissing("filter")
	}
	c.s.authMu.Lock()
	defer c.s.authMu.Unlock()
	a := c.s.accountByNameLocked(name)
	if a == nil {
		return &apiError{code: 4704, typ: "username", msg: "Not Found: " + name}
	}
	if a.id == c.user.id {
		return errBad("username", name)
	}
	c.s.accounts[a.id] = nil
	for tok, ss := range c.s.sessions {
		if ss.user == a {
			delete(c.s.sessions, tok)
		}
	}
	c.success("successfully deleted: " + strings.TrimSpace(name))
	return nil
}

// serveShare serves a share's public page while the share is valid.
func (s *Server) serveShare(w http.ResponseWriter, r *http.Request) {
	fault, ok := s.admit(r, "share")
	if !ok {
		return
	}
	if fault != nil {
		if !writeTransportFault(w, fault) {
			http.Error(w, fault.Message, http.StatusBadRequest)
		}
		return
	}
	id, _ := strconv.Atoi(r.URL.Query().Get("id"))
	s.mu.Lock()
	sh := s.lib.shares[id]
	valid := sh != nil && sh.secret == r.URL.Query().Get("secret") && !shareExpired(sh, s.now().Unix())
	var name string
	if valid {
		sh.counter++
		sh.lastVisit = s.now().Unix()
		name = sh.name
	}
	s.mu.Unlock()
	if !valid {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body><h1>%s</h1><p>Shared with Ampache.</p></body></html>\n",
		html.EscapeString(name), html.EscapeString(name))
}
