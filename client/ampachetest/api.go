package ampachetest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// apiError is an Ampache error object.
type apiError struct {
	code   int    // 4700, 4701, ...
	typ    string // errorType: "system", "account" or the parameter's name
	msg    string
	v4code string // the API4 code, when it is not the default for code
}

func errMissing(param string) *apiError {
	return &apiError{code: 4710, typ: "system", msg: "Bad Request: " + param, v4code: "401"}
}

func errBad(typ, what string) *apiError {
	return &apiError{code: 4710, typ: typ, msg: "Bad Request: " + what}
}

func errNotFound(typ, what string) *apiError {
	return &apiError{code: 4704, typ: typ, msg: "Not Found: " + what}
}

func errAccess(level int) *apiError {
	return &apiError{code: 4742, typ: "account", msg: fmt.Sprintf("Require: %d", level)}
}

func errDisabled(f Feature) *apiError {
	return &apiError{code: 4703, typ: "system", msg: "Enable: " + string(f)}
}

// defaultMessages are the server's messages for its error codes.
var defaultMessages = map[int]string{
	4700: "Access Denied", 4701: "Session Expired", 4703: "Access Denied", 4704: "Not Found",
	4705: "Invalid Request", 4706: "Deprecated", 4710: "Bad Request", 4742: "Require: 100",
}

// api4Error gives the older API4 code and message of an error.
func (e *apiError) api4() (code, msg string) {
	switch {
	case e.v4code == "401" && e.code == 4710:
		return "401", "Missing mandatory parameter '" + strings.TrimPrefix(e.msg, "Bad Request: ") + "'"
	case e.v4code != "":
		return e.v4code, e.msg
	}
	switch e.code {
	case 4701:
		return "401", e.msg
	case 4704:
		return "404", e.msg
	case 4705:
		return "405", e.msg
	case 4742:
		return "400", "User does not have access to this function"
	case 4700:
		return "501", e.msg
	}
	return "400", e.msg
}

// call is one API request being answered.
type call struct {
	s      *Server
	r      *http.Request
	form   url.Values
	action string
	token  string
	api    int
	sess   *session
	user   *account
	now    time.Time
	l      *library // set while the handler holds the lock

	out       jsonw
	scratch   []byte
	baseURL   string
	emptyBody bool
	redirect  string // for stream and download
	status    int    // an HTTP error status, for the binary methods
	serve     func(http.ResponseWriter, *http.Request)
}

// method is an API method.
type method struct {
	fn         func(c *call) *apiError
	apis       uint8 // bit 1<<v set for each API version v that has it
	write      bool  // needs the write lock
	deprecated uint8 // versions in which it only answers 4706
}

const (
	v4   = 1 << 4
	v5   = 1 << 5
	v6   = 1 << 6
	v456 = v4 | v5 | v6
	v56  = v5 | v6
)

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	c := &call{s: s, r: r, form: r.Form, action: r.Form.Get("action"), now: s.now()}
	c.token = strings.TrimSpace(r.Form.Get("auth"))
	if c.token == "" {
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			c.token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
		}
	}
	fault, ok := s.admit(r, c.action)
	if !ok {
		return
	}
	if fault != nil {
		if writeTransportFault(w, fault) {
			return
		}
		c.api = s.opts.APIVersion
		if _, known := s.liveSession(c.token, false); known != nil {
			c.api = known.api
		}
		e := &apiError{code: fault.Code, typ: "system", msg: fault.Message}
		if e.msg == "" {
			e.msg = defaultMessages[fault.Code]
		}
		if fault.Code == 4701 || fault.Code == 4742 {
			e.typ = "account"
		}
		s.writeAPI(w, c, e)
		return
	}
	s.writeAPI(w, c, s.dispatch(c))
}

func (s *Server) dispatch(c *call) *apiError {
	switch c.action {
	case "handshake":
		return handshake(c)
	case "ping":
		return ping(c)
	}
	ss, known := s.liveSession(c.token, true)
	if ss == nil {
		c.api = s.opts.APIVersion
		if known != nil {
			c.api = known.api
		}
		return &apiError{code: 4701, typ: "account", msg: "Session Expired"}
	}
	c.api, c.sess, c.user = ss.api, ss, ss.user
	m, ok := apiMethods[c.action]
	if !ok || m.apis&(1<<c.api) == 0 {
		return &apiError{code: 4705, typ: "system", msg: "Invalid Request"}
	}
	if m.deprecated&(1<<c.api) != 0 {
		return &apiError{code: 4706, typ: "removed", msg: "Deprecated"}
	}
	if m.write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	c.l = s.lib
	return m.fn(c)
}

func (s *Server) writeAPI(w http.ResponseWriter, c *call, e *apiError) {
	if e == nil {
		switch {
		case c.redirect != "":
			http.Redirect(w, c.r, c.redirect, http.StatusFound)
			return
		case c.status != 0:
			http.Error(w, http.StatusText(c.status), c.status)
			return
		case c.serve != nil:
			c.serve(w, c.r)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if e != nil {
		var out jsonw
		out.objStart()
		out.key("error")
		out.objStart()
		if c.api == 4 {
			code, msg := e.api4()
			out.kstr("code", code)
			out.kstr("message", msg)
		} else {
			out.kstr("errorCode", strconv.Itoa(e.code))
			out.kstr("errorAction", c.action)
			out.kstr("errorType", e.typ)
			out.kstr("errorMessage", e.msg)
		}
		out.objEnd()
		out.objEnd()
		_, _ = w.Write(out.bytes())
		return
	}
	if c.emptyBody {
		return
	}
	_, _ = w.Write(c.out.bytes())
}

// Parameters.

func (c *call) str(name string) string { return strings.TrimSpace(c.form.Get(name)) }
func (c *call) has(name string) bool   { return c.form.Has(name) && c.str(name) != "" }

// flag reads a 0/1 (or true/false) parameter.
func (c *call) flag(name string) bool {
	switch strings.ToLower(c.str(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// num reads a required integer parameter.
func (c *call) num(name string) (int, *apiError) {
	v := c.str(name)
	if v == "" {
		return 0, errMissing(name)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errBad(name, v)
	}
	return n, nil
}

// id reads a required object id from the first of names present (e.g.
// "filter" then its older alias "oid").
func (c *call) id(names ...string) (int, *apiError) {
	for _, n := range names {
		if c.has(n) {
			return c.num(n)
		}
	}
	return 0, errMissing(names[0])
}

// paging reads offset and limit: the default and maximum limit is 5000,
// "none" means everything.
func (c *call) paging() (offset, limit int) {
	offset, _ = strconv.Atoi(c.str("offset"))
	offset = max(offset, 0)
	switch l := strings.ToLower(c.str("limit")); l {
	case "none":
		return offset, -1
	case "", "0":
		return offset, 5000
	default:
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 {
			return offset, 5000
		}
		return offset, min(n, 5000)
	}
}

func page[T any](items []T, offset, limit int) []T {
	if offset >= len(items) {
		return nil
	}
	items = items[offset:]
	if limit >= 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}

// Output.

func (c *call) success(msg string) {
	c.out.objStart()
	c.out.kstr("success", msg)
	c.out.objEnd()
}

// list writes a page of a list as the API version shapes it: API6
// {"total_count","md5","<typ>":[...]}, API5 {"<typ>":[...]}, API4 a bare
// array. ids are the page's object ids (for the md5).
func (c *call) list(typ string, total int, ids []int, items func()) {
	w := &c.out
	if c.api == 4 {
		w.arrStart()
		items()
		w.arrEnd()
		return
	}
	w.objStart()
	if c.api >= 6 {
		w.kint("total_count", total)
		w.kstr("md5", idsMD5(ids))
	}
	w.key(typ)
	w.arrStart()
	items()
	w.arrEnd()
	w.objEnd()
}

// one writes a single object: bare in API5 and API6, a one-element array
// in API4.
func (c *call) one(item func()) {
	if c.api == 4 {
		c.out.arrStart()
		item()
		c.out.arrEnd()
		return
	}
	item()
}

// idsMD5 is the md5 of the PHP serialization of the ids, as the server
// computes the "md5" of a list.
func idsMD5(ids []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "a:%d:{", len(ids))
	for i, id := range ids {
		fmt.Fprintf(&b, "i:%d;i:%d;", i, id)
	}
	b.WriteString("}")
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// checkAccess is the real server's access check: level is 25 user, 50
// content manager, 75 catalog manager, 100 admin.
func (c *call) checkAccess(level int) *apiError {
	if c.user.access < level {
		return errAccess(level)
	}
	return nil
}

func (c *call) checkFeature(f Feature) *apiError {
	if !c.s.featureOn(f) {
		return errDisabled(f)
	}
	return nil
}
