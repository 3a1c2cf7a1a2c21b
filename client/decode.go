package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// payload is a reply body. Ampache wraps replies in several ways across
// versions (see decodeList and decodeOne), so methods decode from here
// rather than from the raw bytes. The top level is split into members or
// elements only when a decoder asks (members, elements): list replies are
// streamed instead, which reads a large page once rather than several
// times.
type payload struct {
	action string
	body   []byte // the JSON text, leading space trimmed
	array  bool   // the body is an array, else an object

	split bool
	obj   map[string]json.RawMessage // members, when the body is an object
	arr   []json.RawMessage          // elements, when the body is an array
}

// parsePayload reads a reply body. An empty body is ErrEmptyResponse, a
// body that is not JSON is ErrNotAmpache, and an error object (Ampache
// sends it alone: {"error": {...}}) becomes an *Error.
func parsePayload(action string, body []byte) (*payload, error) {
	body = bytes.TrimLeft(body, " \t\r\n")
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	body = bytes.TrimLeft(body, " \t\r\n")
	if len(body) == 0 {
		return nil, ErrEmptyResponse
	}
	p := &payload{action: action, body: body}
	switch body[0] {
	case '{':
		dec := json.NewDecoder(bytes.NewReader(body))
		if _, err := dec.Token(); err != nil {
			return nil, decodeError(action, "", err)
		}
		if !dec.More() {
			break
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeError(action, "", err)
		}
		if tok != "error" {
			break
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, decodeError(action, "error", err)
		}
		if kind(raw) != 'n' {
			return nil, parseAPIError(action, raw)
		}
	case '[':
		p.array = true
	default:
		what := "text"
		if body[0] == '<' {
			what = "HTML or XML"
		}
		return nil, &notAmpacheError{reason: "the reply to " + action + " is " + what + ", not JSON"}
	}
	return p, nil
}

// splitTop splits the body into its members or elements, once.
func (p *payload) splitTop() error {
	if p.split {
		return nil
	}
	var err error
	if p.array {
		err = json.Unmarshal(p.body, &p.arr)
		if err == nil && p.arr == nil {
			p.arr = []json.RawMessage{}
		}
	} else {
		err = json.Unmarshal(p.body, &p.obj)
		if err == nil && p.obj == nil {
			p.obj = map[string]json.RawMessage{}
		}
	}
	if err != nil {
		return decodeError(p.action, "", err)
	}
	p.split = true
	return nil
}

// members returns the top-level members of an object body (nil for an
// array body).
func (p *payload) members() (map[string]json.RawMessage, error) {
	if err := p.splitTop(); err != nil {
		return nil, err
	}
	return p.obj, nil
}

// elements returns the elements of an array body (nil for an object body).
func (p *payload) elements() ([]json.RawMessage, error) {
	if err := p.splitTop(); err != nil {
		return nil, err
	}
	return p.arr, nil
}

// wireError holds both error shapes: API5+ and API3/API4.
type wireError struct {
	ErrorCode    ID     `json:"errorCode"`
	ErrorAction  string `json:"errorAction"`
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
	Code         ID     `json:"code"`
	Message      string `json:"message"`
}

func parseAPIError(action string, raw json.RawMessage) error {
	e := &Error{Action: action}
	switch kind(raw) {
	case '"':
		_ = json.Unmarshal(raw, &e.Message)
		return e
	case '{':
	default:
		e.Message = strings.TrimSpace(string(raw))
		return e
	}
	var w wireError
	if err := json.Unmarshal(raw, &w); err != nil {
		return decodeError(action, "error", err)
	}
	if w.ErrorAction != "" {
		e.Action = w.ErrorAction
	}
	e.Type = w.ErrorType
	e.Message = w.ErrorMessage
	if e.Message == "" {
		e.Message = w.Message
	}
	if n, err := strconv.Atoi(string(w.ErrorCode)); err == nil {
		e.Code = n
	} else if n, err := strconv.Atoi(string(w.Code)); err == nil {
		e.Code = n
		if mapped, ok := legacyCodes[n]; ok {
			e.LegacyCode, e.Code = n, mapped
		}
	}
	return e
}

// envelopeKeys are members that sit beside a list in a reply.
var envelopeKeys = map[string]bool{"total_count": true, "md5": true}

// decodeList reads a list reply (see decodeListJSON). Lists of songs,
// albums and artists take the fast decoder (decode_fast.go) when it is
// sure of the reply, and encoding/json otherwise.
func decodeList[T any](p *payload, keys ...string) (*Page[T], error) {
	if page, ok := fastList[T](p, keys); ok {
		return page, nil
	}
	return decodeListJSON[T](p, keys...)
}

// decodeListJSON reads a list reply with encoding/json. It accepts:
//   - API5/6: {"total_count": N, "md5": "...", "<key>": [...]} (total_count
//     optional), where the list may also be a single object;
//   - API4: a bare array [...], possibly of {"<key>": [...]} wrappers;
//   - a bare object that is one item (it has an "id").
//
// keys lists the member names the list may have, first the current one.
// An object body is streamed: the list is decoded straight from the body.
func decodeListJSON[T any](p *payload, keys ...string) (*Page[T], error) {
	page := &Page[T]{Total: -1}
	if p.array {
		arr, err := p.elements()
		if err != nil {
			return nil, err
		}
		items, err := decodeArray[T](p, arr, keys)
		if err != nil {
			return nil, err
		}
		page.Items = items
		return page, nil
	}
	dec := json.NewDecoder(bytes.NewReader(p.body))
	if _, err := dec.Token(); err != nil { // {
		return nil, decodeError(p.action, "", err)
	}
	found := false
	others := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeError(p.action, "", err)
		}
		key, _ := tok.(string)
		switch {
		case key == "total_count":
			var n Int
			if err := dec.Decode(&n); err != nil {
				return nil, decodeError(p.action, key, err)
			}
			page.Total = int(n)
		case !found && contains(keys, key):
			items, err := decodeItems[T](dec, p.body)
			if err != nil {
				return nil, decodeError(p.action, key, err)
			}
			page.Items, found = items, true
		default:
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, decodeError(p.action, key, err)
			}
			others[key] = raw
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return nil, decodeError(p.action, "", err)
	}
	if found {
		return page, nil
	}
	onlyEnvelope := true
	for k := range others {
		if !envelopeKeys[k] {
			onlyEnvelope = false
			break
		}
	}
	switch {
	case onlyEnvelope:
		return page, nil // an empty list sent without its key
	case others["id"] != nil:
		var v T
		if err := json.Unmarshal(p.body, &v); err != nil {
			return nil, decodeError(p.action, keys[0], err)
		}
		page.Items = []T{v}
		return page, nil
	}
	return nil, &DecodeError{Method: p.action, Field: keys[0], Offset: -1,
		Err: fmt.Errorf("the reply has no %q list (members: %s)", keys[0], memberNames(others))}
}

// decodeItems decodes the value at dec's position: a list, a single object
// (one item), or anything else (no items: API4 sends counts in places).
// body is the whole text dec reads, to look at the value's first byte.
func decodeItems[T any](dec *json.Decoder, body []byte) ([]T, error) {
	switch peekValue(body, dec.InputOffset()) {
	case '[':
		var items []T
		if err := decodeSlice(dec, &items); err != nil {
			return nil, err
		}
		if items == nil {
			items = []T{}
		}
		return items, nil
	case '{':
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		var l List[T]
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, err
		}
		return l, nil
	default:
		var raw json.RawMessage
		return nil, dec.Decode(&raw)
	}
}

// decodeSlice decodes a JSON array into *items. Songs, by far the most
// numerous objects, take a path that reads each one once (see songWire).
func decodeSlice[T any](dec *json.Decoder, items *[]T) error {
	if songs, ok := any(items).(*[]Song); ok {
		var w []songWire
		if err := dec.Decode(&w); err != nil {
			return err
		}
		*songs = make([]Song, len(w))
		for i := range w {
			(*songs)[i] = w[i].song()
		}
		return nil
	}
	return dec.Decode(items)
}

// peekValue returns the first byte of the value that follows offset in
// body, past white space and the colon after a key.
func peekValue(body []byte, offset int64) byte {
	for i := int(offset); i >= 0 && i < len(body); i++ {
		switch body[i] {
		case ' ', '\t', '\r', '\n', ':':
			continue
		}
		return body[i]
	}
	return 0
}

// decodeArray decodes the elements of a bare array, flattening API4's
// [{"user": [...]}] wrappers.
func decodeArray[T any](p *payload, arr []json.RawMessage, keys []string) ([]T, error) {
	var items []T
	for i, raw := range arr {
		if inner, ok := wrapped(raw, keys); ok {
			var l List[T]
			if err := json.Unmarshal(inner, &l); err != nil {
				return nil, decodeError(p.action, keys[0], err)
			}
			items = append(items, l...)
			continue
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, decodeError(p.action, keys[0]+"."+strconv.Itoa(i), err)
		}
		items = append(items, v)
	}
	return items, nil
}

// wrapped reports whether raw is an object whose only member (besides
// total_count and md5) is one of keys holding a list or object, and returns
// that member.
func wrapped(raw json.RawMessage, keys []string) (json.RawMessage, bool) {
	if kind(raw) != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	return unwrapMember(m, keys)
}

func unwrapMember(m map[string]json.RawMessage, keys []string) (json.RawMessage, bool) {
	var found json.RawMessage
	for k, v := range m {
		if envelopeKeys[k] {
			continue
		}
		if found != nil || !contains(keys, k) {
			return nil, false
		}
		if c := kind(v); c != '[' && c != '{' {
			return nil, false
		}
		found = v
	}
	return found, found != nil
}

func contains(keys []string, k string) bool {
	for _, key := range keys {
		if key == k {
			return true
		}
	}
	return false
}

// decodeOne reads a reply holding one object: the bare object (API6), the
// object wrapped as {"<key>": [obj]} or {"<key>": obj} (API5, API4 user),
// or a bare array of one (API4).
func decodeOne[T any](p *payload, keys ...string) (*T, error) {
	raw := json.RawMessage(p.body)
	field := ""
	if err := p.splitTop(); err != nil {
		return nil, err
	}
	if p.array {
		if len(p.arr) == 0 {
			return nil, &DecodeError{Method: p.action, Field: keys[0], Offset: -1, Err: errors.New("the reply is an empty list")}
		}
		raw = p.arr[0]
		if inner, ok := wrapped(raw, keys); ok {
			raw = inner
		}
	} else if inner, ok := unwrapMember(p.obj, keys); ok {
		raw = inner
		field = keys[0]
	}
	if kind(raw) == '[' {
		var l []json.RawMessage
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, decodeError(p.action, field, err)
		}
		if len(l) == 0 {
			return nil, &DecodeError{Method: p.action, Field: keys[0], Offset: -1, Err: errors.New("the reply is an empty list")}
		}
		raw = l[0]
	}
	if kind(raw) != '{' {
		return nil, &DecodeError{Method: p.action, Field: field, Offset: -1, Err: errors.New("the reply is not an object")}
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, decodeError(p.action, field, err)
	}
	if lacksID(v) {
		// Every object of the library has an id: an object without one
		// is a reply of another shape (another method's, or a proxy's).
		return nil, &DecodeError{Method: p.action, Field: keys[0], Offset: -1,
			Err: fmt.Errorf("the reply has no %s with an id", keys[0])}
	}
	return v, nil
}

// lacksID reports whether v is a model with an ID field that is empty.
func lacksID(v any) bool {
	rv := reflect.ValueOf(v).Elem()
	if rv.Kind() != reflect.Struct {
		return false
	}
	f := rv.FieldByName("ID")
	return f.IsValid() && f.Type() == reflect.TypeFor[ID]() && f.String() == ""
}

// decodeSuccess reads {"success": "text"}.
func decodeSuccess(p *payload) (string, error) {
	if err := p.splitTop(); err != nil {
		return "", err
	}
	raw, ok := p.obj["success"]
	if !ok {
		if inner, isWrapped := p.firstWrapped("success"); isWrapped {
			raw, ok = inner, true
		}
	}
	if !ok {
		return "", &DecodeError{Method: p.action, Field: "success", Offset: -1,
			Err: fmt.Errorf("the reply has no success message (members: %s)", memberNames(p.obj))}
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = strings.TrimSpace(string(raw))
	}
	return s, nil
}

// firstWrapped finds key in an API4 bare array of one object.
func (p *payload) firstWrapped(key string) (json.RawMessage, bool) {
	if len(p.arr) == 0 || kind(p.arr[0]) != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(p.arr[0], &m) != nil {
		return nil, false
	}
	v, ok := m[key]
	return v, ok
}

// decodeInto decodes the whole body into v.
func decodeInto(p *payload, v any) error {
	if err := json.Unmarshal(p.body, v); err != nil {
		return decodeError(p.action, "", err)
	}
	return nil
}
