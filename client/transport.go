package client

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/internal/redact"
)

// request is one API call: an action and its parameters. The session token
// is added when it is sent, so a retry after a new handshake uses the new
// one.
type request struct {
	ctx    context.Context
	action string
	params url.Values
	noAuth bool // sent without the session token (ping, handshake)
	offset int  // ListOptions.Offset, for the Page
	limit  int  // ListOptions.Limit, for the Page
}

// newRequest encodes opts (an option struct, a pointer to one, or nil) for
// action.
func (c *Client) newRequest(ctx context.Context, action string, opts any) (*request, error) {
	if ctx == nil {
		return nil, wrapErr(action, errors.New("nil context"))
	}
	params, err := encodeQuery(opts)
	if err != nil {
		return nil, wrapErr(action, err)
	}
	req := &request{ctx: ctx, action: action, params: params}
	if p, ok := opts.(pager); ok {
		if rv := reflect.ValueOf(opts); rv.Kind() != reflect.Pointer || !rv.IsNil() {
			lo := p.listOptions()
			req.offset, req.limit = lo.Offset, lo.Limit
		}
	}
	return req, nil
}

// set adds parameters computed by a method (ids, types).
func (r *request) set(name, value string) *request {
	r.params.Set(name, value)
	return r
}

// call sends req with the session, logging in first when needed, and on a
// 4701 (expired or unknown session) handshakes again once and retries.
func (c *Client) call(req *request) (*payload, error) {
	if err := c.checkSupported(req.action); err != nil {
		return nil, wrapErr(req.action, err)
	}
	if req.noAuth {
		p, err := c.send(req, "")
		return p, wrapErr(req.action, err)
	}
	token, err := c.sessionToken(req.ctx)
	if err != nil {
		return nil, wrapErr(req.action, err)
	}
	p, err := c.sendRenewing(req, token)
	return p, wrapErr(req.action, err)
}

// roundTrip sends one HTTP request and reads its reply as a payload.
func (c *Client) roundTrip(req *request, token string) (*payload, error) {
	q := make(url.Values, len(req.params)+2)
	for k, v := range req.params {
		q[k] = v
	}
	q.Set("action", req.action)
	if token != "" {
		q.Set("auth", token)
	}
	u := c.endpoint + "?" + q.Encode()
	hreq, err := http.NewRequestWithContext(req.ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("User-Agent", c.clientName)
	hreq.Header.Set("Accept", "application/json")

	start := time.Now()
	resp, err := c.httpClient.Do(hreq)
	if err != nil {
		err = c.transportError(req.ctx, err)
		if c.log.Enabled(req.ctx, slog.LevelDebug) { // redacting costs more than the request
			c.log.LogAttrs(req.ctx, slog.LevelDebug, "ampache request failed",
				slog.String("action", req.action), slog.String("url", redact.URL(u)),
				slog.Duration("elapsed", time.Since(start)), slog.String("error", redact.String(err.Error())))
		}
		return nil, err
	}
	defer resp.Body.Close()
	var body []byte
	if resp.ContentLength > c.maxBody {
		// Announced too large: refuse without reading it.
		err = &ResponseTooLargeError{Limit: c.maxBody}
	} else {
		body, err = c.readBody(resp.Body)
	}
	if c.log.Enabled(req.ctx, slog.LevelDebug) {
		c.log.LogAttrs(req.ctx, slog.LevelDebug, "ampache request",
			slog.String("action", req.action), slog.String("url", redact.URL(u)),
			slog.Int("status", resp.StatusCode), slog.Int("bytes", len(body)),
			slog.Duration("elapsed", time.Since(start)))
	}
	if err != nil {
		var tooLarge *ResponseTooLargeError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, c.transportError(req.ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &HTTPStatusError{StatusCode: resp.StatusCode, Status: resp.Status, URL: c.base.String()}
	}
	return parsePayload(req.action, body)
}

// readBody reads at most maxBody bytes.
func (c *Client) readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, c.maxBody+1))
	if int64(len(body)) > c.maxBody {
		return body[:c.maxBody], &ResponseTooLargeError{Limit: c.maxBody}
	}
	return body, err
}

// transportError classifies an error from sending a request or reading
// its reply: the context's own error, a refused certificate, or an
// unreachable server. The URL inside a *url.Error is redacted.
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return ctxErr
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redact.URL(ue.URL)
	}
	if ce := certificateError(c.base.Hostname(), err); ce != nil {
		return ce
	}
	if ue != nil {
		err = ue.Err
	}
	return &UnreachableError{URL: c.base.String(), Err: err}
}

// doList sends req and decodes a list reply into a Page.
func doList[T any](c *Client, req *request, keys ...string) (*Page[T], error) {
	p, err := c.call(req)
	if err != nil {
		return nil, err
	}
	page, err := decodeList[T](p, keys...)
	if err != nil {
		return nil, wrapErr(req.action, err)
	}
	page.Offset, page.Limit = req.offset, req.limit
	return page, nil
}

// doOne sends req and decodes a single-object reply.
func doOne[T any](c *Client, req *request, keys ...string) (*T, error) {
	p, err := c.call(req)
	if err != nil {
		return nil, err
	}
	v, err := decodeOne[T](p, keys...)
	return v, wrapErr(req.action, err)
}

// doAck sends req and checks for a success reply.
func doAck(c *Client, req *request) error {
	p, err := c.call(req)
	if err != nil {
		return err
	}
	msg, err := decodeSuccess(p)
	if err != nil {
		return wrapErr(req.action, err)
	}
	c.log.LogAttrs(req.ctx, slog.LevelDebug, "ampache success", slog.String("action", req.action), slog.String("message", redact.String(msg)))
	return nil
}

// checkSupported refuses methods the session's API version lacks.
func (c *Client) checkSupported(action string) error {
	need, ok := minAPI[action]
	if !ok {
		return nil
	}
	have := c.apiMajor()
	if have != 0 && have < need {
		return &UnsupportedError{Method: action, Need: need, Have: have}
	}
	return nil
}

// minAPI is the API major version that introduced a method, for the
// methods newer than API4 (from the server's method lists).
var minAPI = map[string]int{
	"bookmark":                 6,
	"bookmarks":                5,
	"bookmark_create":          5,
	"bookmark_delete":          5,
	"bookmark_edit":            5,
	"browse":                   6,
	"deleted_podcast_episodes": 5,
	"deleted_songs":            5,
	"get_bookmark":             5,
	"index":                    6,
	"list":                     6,
	"live_stream":              5,
	"live_streams":             5,
	"localplay_songs":          5,
	"now_playing":              6,
	"playlist_add":             6,
	"playlist_hash":            6,
	"search_group":             6,
	"smartlist":                6,
	"smartlists":               6,
	"smartlist_songs":          6,
	"user_playlists":           6,
	"user_smartlists":          6,
}

// joinIDs joins ids with commas.
func joinIDs(ids []ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ",")
}
