package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// This file turns encoding/json errors into *DecodeError values that name
// the offending field in the reply's own terms.

func memberNames(m map[string]json.RawMessage) string {
	if len(m) == 0 {
		return "none"
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return strings.Join(names, ", ")
}

// decodeError turns an encoding/json error into a *DecodeError naming the
// field: prefix is the member the value was found under. Only syntax errors
// carry an offset: a type error's offset is relative to the nested value
// the models decode separately, so it would mislead.
func decodeError(method, prefix string, err error) error {
	de := &DecodeError{Method: method, Field: prefix, Offset: -1, Err: err}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		de.Field = joinField(prefix, cleanField(te.Field))
		if te.Type != nil {
			de.Err = fmt.Errorf("a JSON %s where %s was expected", te.Value, typeName(te.Type.String()))
		} else {
			de.Err = fmt.Errorf("unexpected JSON %s", te.Value)
		}
	case errors.As(err, &se):
		de.Offset = se.Offset
	}
	return de
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

// cleanField drops the names of the embedded helper structs that the
// models' UnmarshalJSON methods use, so that "song.wire.time" reads
// "song.time".
func cleanField(f string) string {
	parts := strings.Split(f, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "wire" && p != "songFields" && p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

func typeName(t string) string {
	t = strings.TrimPrefix(t, "client.")
	t = strings.TrimPrefix(t, "*client.")
	switch t {
	case "ID":
		return "an id"
	case "Int", "Count", "int":
		return "a number"
	case "Float":
		return "a decimal number"
	case "Bool":
		return "a boolean"
	case "Time":
		return "a date"
	case "string":
		return "text"
	case "wire", "songFields":
		return "an object"
	}
	if strings.HasPrefix(t, "[]") || strings.HasPrefix(t, "List[") || strings.HasPrefix(t, "client.List[") {
		return "a list"
	}
	return "a " + t
}
