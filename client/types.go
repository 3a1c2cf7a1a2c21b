package client

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The lenient value types below decode what Ampache servers actually send
// across API4, API5 and API6: numbers as strings ("100"), ids as numbers,
// booleans as 0/1/"1"/"true", null and "" for "nothing", a single object
// where a list is expected, and unix times or ISO 8601 dates. They are
// named versions of plain Go types, so they convert with int(x), bool(b),
// string(id), and t.Time.
//
// A value of the wrong shape altogether (an object where a number belongs)
// is still an error, reported as a *DecodeError naming the field.

// ID is an Ampache object id. Servers send ids as strings ("91") or numbers
// (91); smartlists use ids such as "smart_21". The zero ID means "none".
type ID string

// String returns the id as sent to the server.
func (id ID) String() string { return string(id) }

// UnmarshalJSON accepts a string, a number or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	switch kind(b) {
	case 'n':
		*id = ""
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*id = ID(strings.TrimSpace(s))
	case '0':
		*id = ID(bytes.TrimSpace(b))
	default:
		return typeError(b, reflect.TypeFor[ID]())
	}
	return nil
}

// Int is an integer that also decodes from a numeric string ("100"), a float
// (truncated), a boolean (0/1), null or "" (0).
type Int int

// UnmarshalJSON accepts a number, a numeric string, a boolean or null.
func (n *Int) UnmarshalJSON(b []byte) error {
	f, ok, err := number(b, reflect.TypeFor[Int]())
	if err != nil {
		return err
	}
	if !ok {
		*n = 0
		return nil
	}
	*n = Int(clampInt(f))
	return nil
}

// Float is a floating-point number that also decodes from a numeric string
// ("-12.160000"), a boolean, null or "" (0).
type Float float64

// UnmarshalJSON accepts a number, a numeric string, a boolean or null.
func (f *Float) UnmarshalJSON(b []byte) error {
	v, ok, err := number(b, reflect.TypeFor[Float]())
	if err != nil {
		return err
	}
	if !ok {
		*f = 0
		return nil
	}
	*f = Float(v)
	return nil
}

// Bool is a boolean that also decodes from 0/1, "0"/"1", "true"/"false",
// "yes"/"no", null and "" (false).
type Bool bool

// UnmarshalJSON accepts a boolean, a number, a string or null.
func (v *Bool) UnmarshalJSON(b []byte) error {
	switch kind(b) {
	case 'n':
		*v = false
	case 't':
		*v = Bool(bytes.Equal(b, []byte("true")))
	case '0':
		f, err := strconv.ParseFloat(string(b), 64)
		*v = Bool(err == nil && f != 0)
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "1", "true", "yes", "on", "y", "t":
			*v = true
		default:
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			*v = Bool(err == nil && f != 0)
		}
	default:
		return typeError(b, reflect.TypeFor[Bool]())
	}
	return nil
}

// Time is a point in time that decodes from ISO 8601 / RFC 3339 strings
// ("2025-06-30T09:55:00+00:00"), unix times as numbers or numeric strings,
// and null, "" or 0 (the zero Time). Text it cannot read is taken as the
// zero Time rather than an error: dates are informative, never essential.
type Time struct{ time.Time }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// UnmarshalJSON accepts a string, a number or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	switch kind(b) {
	case 'n', 't':
		return nil
	case '0':
		f, err := strconv.ParseFloat(string(b), 64)
		if err == nil {
			t.Time = unixTime(f)
		}
		return nil
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		t.Time = parseTime(s)
		return nil
	default:
		return typeError(b, reflect.TypeFor[Time]())
	}
}

// MarshalJSON writes RFC 3339 in UTC, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339))
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return unixTime(f)
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC()
		}
	}
	return time.Time{}
}

func unixTime(f float64) time.Time {
	// Zero and nonsense (negative, or past year 9999) mean "no date".
	if f <= 0 || f > 253402300799 || math.IsNaN(f) {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// List is a list that also decodes from a single object (one element),
// null, {} and [] (empty), and from a scalar, which some API4 responses send
// in place of a list (a count) and which decodes as empty.
type List[T any] []T

// UnmarshalJSON accepts an array, an object, a scalar or null.
func (l *List[T]) UnmarshalJSON(b []byte) error {
	switch kind(b) {
	case '[':
		var v []T
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*l = v
	case '{':
		if isEmptyObject(b) {
			*l = nil
			return nil
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*l = List[T]{v}
	default:
		*l = nil
	}
	return nil
}

// Count is a number of items that also decodes from a list (its length),
// as API4 sends the items of a playlist where API6 sends their count.
type Count int

// UnmarshalJSON accepts a number, a numeric string, an array, an object or null.
func (c *Count) UnmarshalJSON(b []byte) error {
	switch kind(b) {
	case '[':
		var v []json.RawMessage
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*c = Count(len(v))
		return nil
	case '{':
		var v map[string]json.RawMessage
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*c = Count(len(v))
		return nil
	}
	f, ok, err := number(b, reflect.TypeFor[Count]())
	if err != nil {
		return err
	}
	*c = 0
	if ok {
		*c = Count(clampInt(f))
	}
	return nil
}

// kind classifies a JSON value by its first byte: 'n' null, 't' true/false,
// '0' number, '"' string, '[' array, '{' object, 0 anything else.
func kind(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	switch c := b[0]; {
	case c == 'n':
		return 'n'
	case c == 't' || c == 'f':
		return 't'
	case c == '-' || (c >= '0' && c <= '9'):
		return '0'
	case c == '"' || c == '[' || c == '{':
		return c
	}
	return 0
}

// number reads a JSON number, numeric string, boolean or null. ok is false
// for null, "" and text that is not a number.
func number(b []byte, t reflect.Type) (v float64, ok bool, err error) {
	switch kind(b) {
	case 'n':
		return 0, false, nil
	case 't':
		if bytes.Equal(bytes.TrimSpace(b), []byte("true")) {
			return 1, true, nil
		}
		return 0, true, nil
	case '0':
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
		if err != nil {
			return clampFloat(f), true, nil // out of range: clamped
		}
		return f, true, nil
	case '"':
		s, err := unquote(b)
		if err != nil {
			return 0, false, err
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
				return clampFloat(f), true, nil
			}
			return 0, false, nil
		}
		return f, true, nil
	default:
		return 0, false, typeError(b, t)
	}
}

// unquote reads a JSON string literal. Most literals have no escapes and
// are valid UTF-8 (encoding/json has checked their syntax before calling
// an UnmarshalJSON method): those are sliced without a second parse.
func unquote(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		inner := b[1 : len(b)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

func clampFloat(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return f
}

func clampInt(f float64) int {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt
	case f <= math.MinInt64:
		return math.MinInt
	}
	v := int64(f)
	if int64(int(v)) != v { // 32-bit platforms
		if v > 0 {
			return math.MaxInt
		}
		return math.MinInt
	}
	return int(v)
}

func isEmptyObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && len(m) == 0
}

// typeError reports a value of the wrong JSON shape; encoding/json adds the
// field path to it.
func typeError(b []byte, t reflect.Type) error {
	what := "value"
	switch kind(b) {
	case '{':
		what = "object"
	case '[':
		what = "array"
	case '"':
		what = "string"
	case '0':
		what = "number"
	case 't':
		what = "bool"
	}
	return &json.UnmarshalTypeError{Value: what, Type: t}
}
