package client

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Option structs describe a method's parameters with `url:"name"` tags, as
// in go-github. encodeQuery turns them into query parameters:
//
//   - `url:"name,omitempty"` leaves out zero values;
//   - booleans are sent as 1 and 0, as Ampache expects;
//   - a pointer sends its target, so *bool can send an explicit 0;
//   - slices are joined with commas;
//   - time.Time is sent as RFC 3339 in UTC, or as a unix time with
//     `url:"name,unix"`; the zero time is never sent;
//   - embedded structs are flattened;
//   - a struct with an appendQuery method adds its own parameters.

// queryAppender is implemented by option parts that need more than one
// tag can say (advanced search rules, date ranges).
type queryAppender interface {
	appendQuery(v url.Values) error
}

// encodeQuery encodes an option struct (or a pointer to one, nil for none).
func encodeQuery(opts any) (url.Values, error) {
	v := url.Values{}
	if opts == nil {
		return v, nil
	}
	rv := reflect.ValueOf(opts)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return v, nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("options must be a struct, not %s", rv.Type())
	}
	if err := encodeStruct(v, rv); err != nil {
		return nil, err
	}
	return v, nil
}

var timeType = reflect.TypeFor[time.Time]()

func encodeStruct(v url.Values, rv reflect.Value) error {
	if err := appendCustom(v, rv); err != nil {
		return err
	}
	rt := rv.Type()
	for i := range rt.NumField() {
		sf := rt.Field(i)
		fv := rv.Field(i)
		tag := sf.Tag.Get("url")
		if tag == "-" {
			continue
		}
		if sf.Anonymous && tag == "" {
			for fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					break
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct {
				if err := encodeStruct(v, fv); err != nil {
					return err
				}
			}
			continue
		}
		if tag == "" || !sf.IsExported() {
			continue
		}
		name, rest, _ := strings.Cut(tag, ",")
		flags := "," + rest + ","
		omitEmpty := strings.Contains(flags, ",omitempty,")
		unix := strings.Contains(flags, ",unix,")
		if err := encodeField(v, name, fv, omitEmpty, unix); err != nil {
			return fmt.Errorf("option %s: %w", name, err)
		}
	}
	return nil
}

func appendCustom(v url.Values, rv reflect.Value) error {
	if rv.CanAddr() {
		if a, ok := rv.Addr().Interface().(queryAppender); ok {
			return a.appendQuery(v)
		}
	}
	if rv.CanInterface() {
		if a, ok := rv.Interface().(queryAppender); ok {
			return a.appendQuery(v)
		}
	}
	return nil
}

func encodeField(v url.Values, name string, fv reflect.Value, omitEmpty, unix bool) error {
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			return nil
		}
		fv = fv.Elem()
		omitEmpty = false // a set pointer is sent even when its target is zero
	}
	if omitEmpty && fv.IsZero() {
		return nil
	}
	if fv.Type() == timeType {
		t := fv.Interface().(time.Time)
		switch {
		case t.IsZero():
		case unix:
			v.Set(name, strconv.FormatInt(t.Unix(), 10))
		default:
			v.Set(name, t.UTC().Format(time.RFC3339))
		}
		return nil
	}
	switch fv.Kind() {
	case reflect.Slice, reflect.Array:
		parts := make([]string, 0, fv.Len())
		for i := range fv.Len() {
			s, err := scalar(fv.Index(i))
			if err != nil {
				return err
			}
			parts = append(parts, s)
		}
		if omitEmpty && len(parts) == 0 {
			return nil
		}
		v.Set(name, strings.Join(parts, ","))
		return nil
	}
	s, err := scalar(fv)
	if err != nil {
		return err
	}
	v.Set(name, s)
	return nil
}

func scalar(fv reflect.Value) (string, error) {
	switch fv.Kind() {
	case reflect.String:
		return fv.String(), nil
	case reflect.Bool:
		if fv.Bool() {
			return "1", nil
		}
		return "0", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(fv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(fv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(fv.Float(), 'f', -1, 64), nil
	}
	return "", fmt.Errorf("cannot send a %s", fv.Type())
}
