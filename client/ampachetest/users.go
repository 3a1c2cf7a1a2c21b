package ampachetest

import (
	"fmt"
	"strconv"
	"strings"
)

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
			disabled := "0"
			if a.disabled {
				disabled = "1"
			}
			w.kstr("disabled", disabled)
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
	c.s.authMu.Lock()
	if a := c.s.accountByNameLocked(name); a != nil {
		a.email, a.fullname, a.disabled = email, c.str("fullname"), c.flag("disable")
	}
	c.s.authMu.Unlock()
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
	c.s.authMu.Lock()
	defer c.s.authMu.Unlock()
	a := c.s.accountByNameLocked(name)
	if a == nil {
		return &apiError{code: 4704, typ: "username", msg: "Not Found: " + name}
	}
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
