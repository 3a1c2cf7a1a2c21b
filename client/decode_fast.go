package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unsafe"
)

// The fast list decoder. Pages of songs, albums and artists are by far
// the largest replies (a full sync of a 100,000-song library reads
// 100 MB of them), and encoding/json spends most of a sync's CPU on
// them: reflection for every field of every object, and the lenient
// types' UnmarshalJSON methods that read each value twice more. This
// decoder reads such a page once, byte by byte, into the same structs.
//
// It is a fast path, never a second opinion: it accepts a reply only
// when it is sure to give exactly what decodeList's encoding/json path
// gives, and otherwise declines (ok false) and that path decodes the
// reply from the start. It declines on any JSON syntax error, a key
// written with an escape, in upper case or twice in one object, a value
// of a type the field cannot take, a shape it does not know (an object
// in place of the list, a list of wrappers) or nesting deeper than
// fastMaxDepth. Values it decodes itself follow the lenient types'
// rules (see types.go) — ids as strings or numbers, numbers as strings,
// null, [] for an empty object, booleans as numbers or strings — by
// calling their UnmarshalJSON methods for all but the most common forms
// (a plain integer, a string without escapes, true and false), and any
// field of a type it does not know goes through encoding/json alone.
//
// Which fields there are, their JSON names and where they lie in the
// struct are read from the types by reflection once (see fastPlanOf), so
// a field added to a model is decoded without a change here; a type this
// decoder cannot follow exactly (a ",string" option, a name in upper
// case, two fields of one name) gets no plan, and its lists always go
// to encoding/json. The differential tests and FuzzFastListMatches hold
// it to the encoding/json path.

// albumWire and artistWire are what Album.UnmarshalJSON and
// Artist.UnmarshalJSON decode into (API4 sends "tag" and "disk"); songWire
// is in models.go.
type (
	albumFields Album
	albumWire   struct {
		albumFields
		Tag  List[GenreRef] `json:"tag"`
		Disk Int            `json:"disk"`
	}
	artistFields Artist
	artistWire   struct {
		artistFields
		Tag List[GenreRef] `json:"tag"`
	}
)

// album finishes decoding as Album.UnmarshalJSON does.
func (w *albumWire) album() Album {
	a := Album(w.albumFields)
	if len(a.Genres) == 0 {
		a.Genres = w.Tag
	}
	if a.DiskCount == 0 {
		a.DiskCount = w.Disk
	}
	return a
}

// artist finishes decoding as Artist.UnmarshalJSON does.
func (w *artistWire) artist() Artist {
	a := Artist(w.artistFields)
	if len(a.Genres) == 0 {
		a.Genres = w.Tag
	}
	return a
}

// fieldKind is how the fast decoder reads a field.
type fieldKind uint8

const (
	kindString     fieldKind = iota // string
	kindID                          // ID
	kindInt                         // Int
	kindBool                        // Bool
	kindIntPtr                      // *Int
	kindFloatPtr                    // *Float
	kindRef                         // ArtistRef, AlbumRef, UserRef: decodeRef
	kindArtistRefs                  // List[ArtistRef]
	kindGenreRefs                   // List[GenreRef]
	kindOther                       // anything else: encoding/json
)

// fastField is one field of a struct as encoding/json sees it.
type fastField struct {
	name   string
	offset uintptr
	kind   fieldKind
	typ    reflect.Type
	intern bool      // a value many objects share (names of artists, formats...)
	sub    *fastPlan // the fields of a kindRef
}

// fastPlan is how to decode a JSON object into one struct type.
type fastPlan struct {
	id     int // index of the plan's key hints in fastDecoder
	fields []fastField
	byName map[string]int
}

// maxPlanFields: a plan tracks the fields an object has set in a uint64.
const maxPlanFields = 64

// fastPlans are the plans of the list types, made once (nil when a type
// cannot be decoded exactly; see fastPlanOf).
type fastPlans struct {
	song, album, artist *fastPlan
	count               int // plans made, for the size of the key hints
}

var plans = newFastPlans()

// internedFields are the fields whose values repeat across the objects of
// a page: the names and ids of the artists, albums and genres they refer
// to, and the file formats.
var internedFields = map[string]bool{
	"format": true, "mime": true, "mode": true, "stream_format": true, "stream_mime": true,
	"catalog": true, "type": true, "composer": true, "publisher": true, "language": true, "license": true,
}

func newFastPlans() *fastPlans {
	ps := &fastPlans{}
	refs := map[reflect.Type]*fastPlan{}
	for _, t := range []reflect.Type{reflect.TypeFor[ArtistRef](), reflect.TypeFor[AlbumRef](), reflect.TypeFor[GenreRef]()} {
		// Every field of a reference is shared by the objects that
		// refer to the same artist, album or genre.
		refs[t] = ps.plan(t, nil, true)
	}
	ps.song = ps.plan(reflect.TypeFor[songWire](), refs, false)
	ps.album = ps.plan(reflect.TypeFor[albumWire](), refs, false)
	ps.artist = ps.plan(reflect.TypeFor[artistWire](), refs, false)
	return ps
}

// plan makes the plan of struct type t, or nil when the fast decoder
// cannot decode t exactly as encoding/json does.
func (ps *fastPlans) plan(t reflect.Type, refs map[reflect.Type]*fastPlan, internAll bool) *fastPlan {
	p := &fastPlan{id: ps.count, byName: map[string]int{}}
	ps.count++
	if !p.addFields(t, 0, refs, internAll) || len(p.fields) > maxPlanFields {
		return nil
	}
	return p
}

// addFields adds the fields of struct t, which lies at offset in the
// decoded struct, following encoding/json: exported fields by their tag
// name (else their Go name), and the fields of embedded structs without
// a tag as if they were t's own.
func (p *fastPlan) addFields(t reflect.Type, offset uintptr, refs map[reflect.Type]*fastPlan, internAll bool) bool {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts != "" && opts != "omitempty" {
			return false // ",string" and the like change how a value decodes
		}
		if sf.Anonymous && name == "" {
			if sf.Type.Kind() != reflect.Struct {
				return false
			}
			if !p.addFields(sf.Type, offset+sf.Offset, refs, internAll) {
				return false
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if !lowerName(name) {
			return false // matched case-insensitively: keep to exact keys
		}
		if _, dup := p.byName[name]; dup {
			return false // encoding/json's rules for duplicates are not followed here
		}
		f := fastField{name: name, offset: offset + sf.Offset, typ: sf.Type, intern: internAll || internedFields[name]}
		switch sf.Type {
		case reflect.TypeFor[string]():
			f.kind = kindString
		case reflect.TypeFor[ID]():
			f.kind = kindID
		case reflect.TypeFor[Int]():
			f.kind = kindInt
		case reflect.TypeFor[Bool]():
			f.kind = kindBool
		case reflect.TypeFor[*Int]():
			f.kind = kindIntPtr
		case reflect.TypeFor[*Float]():
			f.kind = kindFloatPtr
		case reflect.TypeFor[List[ArtistRef]]():
			f.kind, f.sub = kindArtistRefs, refs[reflect.TypeFor[ArtistRef]()]
		case reflect.TypeFor[List[GenreRef]]():
			f.kind, f.sub = kindGenreRefs, refs[reflect.TypeFor[GenreRef]()]
		case reflect.TypeFor[ArtistRef](), reflect.TypeFor[AlbumRef]():
			f.kind, f.sub = kindRef, refs[sf.Type]
		default:
			f.kind = kindOther
		}
		if f.sub == nil && (f.kind == kindRef || f.kind == kindArtistRefs || f.kind == kindGenreRefs) {
			f.kind = kindOther
		}
		p.byName[name] = len(p.fields)
		p.fields = append(p.fields, f)
	}
	return true
}

// lowerName reports whether a JSON name has only lower-case ASCII letters,
// digits and underscores: a key of other bytes can then match it only by
// being equal to it.
func lowerName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// fastDecoder decodes one reply.
type fastDecoder struct {
	fastScanner
	// forbid lists keys that make an object something else (a wrapper
	// of a bare API4 array): the decoder declines objects that have them.
	forbid []string
	// hints[plan][k] is the field that the k-th key of the last object of
	// that plan named: objects of a page list their keys in one order.
	hints [][maxPlanFields]uint8
	// last[plan][field] is the last string an interned field took:
	// neighbouring objects mostly share it (songs of one album).
	last   [][maxPlanFields]string
	intern map[string]string
}

// maxInterned bounds the strings one reply interns.
const maxInterned = 8192

// fastList decodes a list reply of songs, albums or artists as decodeList
// does, or reports false when the reply must go to decodeList's
// encoding/json path (any other type, or a reply it declines).
func fastList[T any](p *payload, keys []string) (*Page[T], bool) {
	var items any
	var total int
	var ok bool
	switch any((*T)(nil)).(type) {
	case *Song:
		items, total, ok = fastObjects(p, keys, plans.song, (*songWire).song)
	case *Album:
		items, total, ok = fastObjects(p, keys, plans.album, (*albumWire).album)
	case *Artist:
		items, total, ok = fastObjects(p, keys, plans.artist, (*artistWire).artist)
	default:
		return nil, false
	}
	if !ok {
		return nil, false
	}
	return &Page[T]{Items: items.([]T), Total: total}, true
}

// fastObjects reads a list reply of objects decoded by plan into a wire
// struct W and converted to the model by conv; false when there is no
// plan for W (the type cannot be decoded exactly) or fastItems declines.
func fastObjects[W, M any](p *payload, keys []string, plan *fastPlan, conv func(*W) M) (items []M, total int, ok bool) {
	if plan == nil {
		return nil, 0, false
	}
	w := new(W) // one for the page: the wire structs are large
	return fastItems(p, keys, func(d *fastDecoder, out []M) ([]M, bool) {
		var zero W
		*w = zero
		if !d.object(plan, unsafe.Pointer(w), 0) {
			return nil, false
		}
		return append(out, conv(w)), true
	})
}

// fastItems reads a list reply whose items elem appends: an object with
// the list under one of keys (and perhaps total_count), or a bare array
// (API4). Anything else is declined.
func fastItems[E any](p *payload, keys []string, elem func(*fastDecoder, []E) ([]E, bool)) (items []E, total int, ok bool) {
	d := &fastDecoder{fastScanner: fastScanner{b: p.body}, hints: make([][maxPlanFields]uint8, plans.count),
		last: make([][maxPlanFields]string, plans.count), intern: map[string]string{}}
	total = -1
	if p.array {
		// decodeArray: a bare array of items; one that wraps a list
		// under one of keys is declined.
		d.forbid = keys
		if items, ok = fastArray(d, elem); !ok {
			return nil, 0, false
		}
		if items != nil && len(items) == 0 {
			items = nil // decodeArray appends to a nil slice
		}
		return items, total, d.ws() == 0
	}
	if !d.consume('{') {
		return nil, 0, false
	}
	found := false
	if d.ws() == '}' {
		return nil, 0, false // no list: decodeList decides what this is
	}
	for {
		if d.ws() != '"' {
			return nil, 0, false
		}
		content, escaped, _, ok := d.str()
		if !ok || escaped || !d.consume(':') {
			return nil, 0, false
		}
		switch key := string(content); {
		case key == "total_count":
			var n Int
			if !d.intValue(&n) {
				return nil, 0, false
			}
			total = int(n)
		case !found && contains(keys, key):
			if d.ws() != '[' {
				return nil, 0, false // a single object or a count: decodeItems' other cases
			}
			if items, ok = fastArray(d, elem); !ok {
				return nil, 0, false
			}
			if items == nil {
				items = []E{}
			}
			found = true
		default:
			if _, ok := d.skip(1); !ok {
				return nil, 0, false
			}
		}
		switch d.ws() {
		case ',':
			d.i++
			continue
		case '}':
			d.i++
		default:
			return nil, 0, false
		}
		break
	}
	// decodeList stops at the closing brace; trailing text is declined to
	// keep to replies that are plainly well formed.
	return items, total, found && d.ws() == 0
}

// fastArray reads an array of objects with elem. Its capacity is guessed
// from the size of the first object, up to a page of MaxPageSize.
func fastArray[E any](d *fastDecoder, elem func(*fastDecoder, []E) ([]E, bool)) ([]E, bool) {
	if !d.consume('[') {
		return nil, false
	}
	if d.ws() == ']' {
		d.i++
		return []E{}, true
	}
	var items []E
	for {
		if d.ws() != '{' {
			return nil, false // null, or not an object: encoding/json's rules
		}
		start := d.i
		var ok bool
		if items, ok = elem(d, items); !ok {
			return nil, false
		}
		if len(items) == 1 {
			size := d.i - start + 1
			guess := min((len(d.b)-d.i)/size+2, MaxPageSize)
			grown := make([]E, 1, max(guess, 1))
			grown[0] = items[0]
			items = grown
		}
		switch d.ws() {
		case ',':
			d.i++
			continue
		case ']':
			d.i++
			return items, true
		}
		return nil, false
	}
}

// object reads a JSON object (at i, after white space) into the struct of
// plan p at base.
func (d *fastDecoder) object(p *fastPlan, base unsafe.Pointer, depth int) bool {
	if depth >= fastMaxDepth || !d.consume('{') {
		return false
	}
	if d.ws() == '}' {
		d.i++
		return true
	}
	var seen uint64
	hints := &d.hints[p.id]
	for k := 0; ; k++ {
		if d.ws() != '"' {
			return false
		}
		idx := -1
		var key []byte
		var wide bool
		if k < maxPlanFields {
			// The key the last object had here, read by comparing: a
			// name has no byte that needs unescaping.
			if h := int(hints[k]); h < len(p.fields) {
				name := p.fields[h].name
				if end := d.i + 1 + len(name); end < len(d.b) && d.b[end] == '"' && string(d.b[d.i+1:end]) == name {
					idx, key = h, d.b[d.i+1:end]
					d.i = end + 1
				}
			}
		}
		if idx < 0 {
			var escaped, ok bool
			if key, escaped, wide, ok = d.str(); !ok || escaped {
				return false
			}
		}
		if !d.consume(':') {
			return false
		}
		if idx < 0 {
			if i, found := p.byName[string(key)]; found {
				idx = i
				if k < maxPlanFields {
					hints[k] = uint8(i)
				}
			}
		}
		if len(d.forbid) > 0 && depth == 0 && contains(d.forbid, string(key)) {
			return false
		}
		if idx < 0 {
			if wide || hasUpper(key) {
				return false // might match a field case-insensitively
			}
			if _, ok := d.skip(depth + 1); !ok {
				return false
			}
		} else {
			if seen&(1<<idx) != 0 {
				return false // a key twice: encoding/json merges, not followed here
			}
			seen |= 1 << idx
			f := &p.fields[idx]
			var slot *string
			if f.intern {
				slot = &d.last[p.id][idx]
			}
			if !d.field(f, unsafe.Add(base, f.offset), slot, depth+1) {
				return false
			}
		}
		switch d.ws() {
		case ',':
			d.i++
			continue
		case '}':
			d.i++
			return true
		}
		return false
	}
}

func hasUpper(b []byte) bool {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// field reads the value at i into field f at ptr. An interned field has
// a slot for its last string.
func (d *fastDecoder) field(f *fastField, ptr unsafe.Pointer, slot *string, depth int) bool {
	switch f.kind {
	case kindString:
		switch d.ws() {
		case '"':
			content, escaped, wide, ok := d.str()
			if !ok {
				return false
			}
			*(*string)(ptr) = d.stringOf(d.text(content, escaped, wide), slot)
			return true
		case 'n':
			return d.literal("null") // null leaves a string as it is
		}
		return false // a string field takes nothing else
	case kindID:
		return d.idValue((*ID)(ptr), slot)
	case kindInt:
		return d.intValue((*Int)(ptr))
	case kindBool:
		return d.boolValue((*Bool)(ptr))
	case kindIntPtr:
		p := (**Int)(ptr)
		if d.ws() == 'n' {
			*p = nil
			return d.literal("null")
		}
		n := new(Int)
		*p = n
		return d.intValue(n)
	case kindFloatPtr:
		p := (**Float)(ptr)
		if d.ws() == 'n' {
			*p = nil
			return d.literal("null")
		}
		v := new(Float)
		*p = v
		raw, ok := d.skip(depth)
		return ok && v.UnmarshalJSON(raw) == nil
	case kindRef:
		return d.ref(f.sub, ptr, depth)
	case kindArtistRefs:
		return fastRefList(d, (*List[ArtistRef])(ptr), f.sub, true, depth)
	case kindGenreRefs:
		return fastRefList(d, (*List[GenreRef])(ptr), f.sub, false, depth)
	}
	// A type of its own: encoding/json decodes the value into the field,
	// as it would have inside the object.
	raw, ok := d.skip(depth)
	return ok && json.Unmarshal(raw, reflect.NewAt(f.typ, ptr).Interface()) == nil
}

// stringOf makes a string of b, shared with an equal one of the reply
// when the field is interned (slot is its last string).
func (d *fastDecoder) stringOf(b []byte, slot *string) string {
	if slot == nil {
		return string(b)
	}
	if *slot == string(b) {
		return *slot
	}
	s, ok := d.intern[string(b)]
	if !ok {
		s = string(b)
		if len(d.intern) < maxInterned {
			d.intern[s] = s
		}
	}
	*slot = s
	return s
}

// idValue reads an ID as ID.UnmarshalJSON does: a string (trimmed), a
// number's text, or null.
func (d *fastDecoder) idValue(id *ID, slot *string) bool {
	switch c := d.ws(); {
	case c == '"':
		content, escaped, wide, ok := d.str()
		if !ok {
			return false
		}
		*id = ID(d.stringOf(bytes.TrimSpace(d.text(content, escaped, wide)), slot))
		return true
	case c == 'n':
		*id = ""
		return d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		raw, _, ok := d.number()
		if !ok {
			return false
		}
		*id = ID(d.stringOf(raw, slot))
		return true
	}
	return false
}

// intValue reads an Int as Int.UnmarshalJSON does; the common forms (a
// plain integer, as a number or a string) without it.
func (d *fastDecoder) intValue(n *Int) bool {
	switch c := d.ws(); {
	case c == '-' || '0' <= c && c <= '9':
		raw, small, ok := d.number()
		if !ok {
			return false
		}
		if small {
			*n = Int(smallInt(raw))
			return true
		}
		return n.UnmarshalJSON(raw) == nil
	case c == '"':
		start := d.i
		content, escaped, _, ok := d.str()
		if !ok {
			return false
		}
		if !escaped && digitString(content) {
			*n = Int(smallInt(content))
			return true
		}
		return n.UnmarshalJSON(d.b[start:d.i]) == nil
	case c == 't' || c == 'f' || c == 'n':
		raw, ok := d.skip(0)
		return ok && n.UnmarshalJSON(raw) == nil
	}
	return false // an object or an array: a type error
}

// boolValue reads a Bool as Bool.UnmarshalJSON does.
func (d *fastDecoder) boolValue(v *Bool) bool {
	switch d.ws() {
	case 't':
		*v = true
		return d.literal("true")
	case 'f':
		*v = false
		return d.literal("false")
	case '{', '[':
		return false
	}
	raw, ok := d.skip(0)
	return ok && v.UnmarshalJSON(raw) == nil
}

// ref reads a reference (ArtistRef, AlbumRef) as decodeRef does: an
// object, or null or [] for none.
func (d *fastDecoder) ref(p *fastPlan, ptr unsafe.Pointer, depth int) bool {
	switch d.ws() {
	case '{':
		return d.object(p, ptr, depth)
	case 'n':
		return d.literal("null")
	case '[':
		return d.emptyContainer('[', ']') // a list of references: encoding/json
	}
	return false
}

// fastRefList reads a List of references as List.UnmarshalJSON does: an
// array (an empty one is an empty, not a nil, list), an object (one
// element; {} none), or anything else for none. Elements that are
// ArtistRefs (refSemantics) decode as decodeRef does, GenreRefs as plain
// structs.
func fastRefList[T any](d *fastDecoder, dst *List[T], p *fastPlan, refSemantics bool, depth int) bool {
	switch d.ws() {
	case '[':
		if depth >= fastMaxDepth {
			return false
		}
		d.i++
		if d.ws() == ']' {
			d.i++
			*dst = List[T]{}
			return true
		}
		var l List[T]
		for {
			var v T
			switch d.ws() {
			case '{':
				if !d.object(p, unsafe.Pointer(&v), depth+1) {
					return false
				}
			case 'n':
				if !d.literal("null") {
					return false
				}
			case '[':
				if !refSemantics || !d.emptyContainer('[', ']') {
					return false
				}
			default:
				return false
			}
			l = append(l, v)
			switch d.ws() {
			case ',':
				d.i++
				continue
			case ']':
				d.i++
				*dst = l
				return true
			}
			return false
		}
	case '{':
		if d.emptyContainer('{', '}') {
			*dst = nil
			return true
		}
		var v T
		if !d.object(p, unsafe.Pointer(&v), depth) {
			return false
		}
		*dst = List[T]{v}
		return true
	}
	_, ok := d.skip(depth)
	*dst = nil
	return ok
}
