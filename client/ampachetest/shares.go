package ampachetest

import (
	"crypto/rand"
	"fmt"
	"html"
	"net/http"
	"strconv"
)

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
