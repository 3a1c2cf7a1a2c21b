package client

import (
	"encoding/binary"
	"slices"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is the byte scanner of the fast list decoder (decode_fast.go):
// strict JSON syntax, read once, with string unescaping that gives the
// same text as encoding/json. Every method reports false on anything it
// does not accept, and the caller then leaves the reply to encoding/json.

// fastMaxDepth bounds the nesting the scanner follows (encoding/json's
// own limit is higher: deeper replies go to it).
const fastMaxDepth = 200

// fastScanner reads JSON text from b at i.
type fastScanner struct {
	b       []byte
	i       int
	scratch []byte // unescaped strings
}

// plainByte marks the bytes a string holds as they are: not a quote, a
// backslash, a control character or part of a multi-byte character.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// ws skips white space and returns the next byte (0 at the end).
func (s *fastScanner) ws() byte {
	b, i := s.b, s.i
	for ; i < len(b); i++ {
		if c := b[i]; c > ' ' || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			s.i = i
			return c
		}
	}
	s.i = i
	return 0
}

// consume skips white space and the byte c, and reports whether it was
// there.
func (s *fastScanner) consume(c byte) bool {
	if s.ws() != c {
		return false
	}
	s.i++
	return true
}

// literal reads the literal lit (true, false or null) at i.
func (s *fastScanner) literal(lit string) bool {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return false
	}
	s.i += len(lit)
	return true
}

// specialIn reports whether any of the eight bytes of x is not plain: a
// quote, a backslash, below 0x20 or above 0x7f.
func specialIn(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := x^(ones*'"'), x^(ones*'\\')
	return (x|(quote-ones)&^quote|(backslash-ones)&^backslash|(x-ones*0x20)&^x)&highs != 0
}

// str reads the string literal at i (its opening quote) and returns its
// content between the quotes, whether it has escapes and whether it has
// bytes past ASCII.
func (s *fastScanner) str() (content []byte, escaped, wide, ok bool) {
	b := s.b
	start := s.i + 1
	for j := start; j < len(b); j++ {
		// Eight plain bytes at a time.
		for j+8 <= len(b) && !specialIn(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		if j >= len(b) {
			break
		}
		c := b[j]
		if plainByte[c] {
			continue
		}
		switch {
		case c == '"':
			s.i = j + 1
			return b[start:j], escaped, wide, true
		case c == '\\':
			escaped = true
			j++
			if j >= len(b) {
				return nil, false, false, false
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					return nil, false, false, false
				}
				j += 4
			default:
				return nil, false, false, false
			}
		case c < 0x20:
			return nil, false, false, false
		default:
			wide = true
		}
	}
	return nil, false, false, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// text returns the text of a string literal's content as encoding/json
// decodes it: escapes resolved and bytes that are not UTF-8 replaced by
// U+FFFD. The result is s.scratch or content itself: copy it to keep it.
func (s *fastScanner) text(content []byte, escaped, wide bool) []byte {
	if !escaped && (!wide || utf8.Valid(content)) {
		return content
	}
	s.scratch = appendUnquoted(s.scratch[:0], content)
	return s.scratch
}

// appendUnquoted appends the text of a string literal's content (whose
// syntax str has checked) to dst, as encoding/json's unquoteBytes does.
func appendUnquoted(dst, s []byte) []byte {
	dst = slices.Grow(dst, len(s))
	for r := 0; r < len(s); {
		// A run of plain ASCII.
		k := r
		for k < len(s) && s[k] != '\\' && s[k] < utf8.RuneSelf {
			k++
		}
		dst = append(dst, s[r:k]...)
		if r = k; r == len(s) {
			break
		}
		switch c := s[r]; {
		case c == '\\':
			r++
			switch s[r] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				rr := hex4(s[r+1 : r+5])
				r += 5
				if utf16.IsSurrogate(rr) {
					if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' && isHex4(s[r+2:r+6]) {
						if dec := utf16.DecodeRune(rr, hex4(s[r+2:r+6])); dec != unicode.ReplacementChar {
							dst = utf8.AppendRune(dst, dec)
							r += 6
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, rr)
				continue
			default: // " \ /
				dst = append(dst, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			dst = utf8.AppendRune(dst, rr)
			r += size
		}
	}
	return dst
}

func isHex4(b []byte) bool { return isHex(b[0]) && isHex(b[1]) && isHex(b[2]) && isHex(b[3]) }

// hex4 reads four hex digits (checked by the caller).
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// number reads the number literal at i (JSON's grammar) and returns its
// text, and whether it is a plain integer of at most 15 digits (exact in
// a float64, so read without strconv as int).
func (s *fastScanner) number() (raw []byte, small bool, ok bool) {
	b := s.b
	start, j := s.i, s.i
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && '1' <= b[j] && b[j] <= '9':
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
	default:
		return nil, false, false
	}
	digits := j - start
	if b[start] == '-' {
		digits--
	}
	small = digits <= 15
	if j < len(b) && b[j] == '.' {
		small = false
		j++
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false, false
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		small = false
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := j
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false, false
		}
	}
	s.i = j
	return b[start:j], small, true
}

// smallInt reads a plain integer that number (or digitString) accepted.
func smallInt(raw []byte) int {
	neg := raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	n := 0
	for _, c := range raw {
		n = n*10 + int(c-'0')
	}
	if neg {
		return -n
	}
	return n
}

// digitString reports whether a string's content is an integer of at
// most 15 digits with nothing around it, which strconv.ParseFloat and
// smallInt read alike.
func digitString(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 15 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// skip reads any value at i (after white space) and returns its text.
func (s *fastScanner) skip(depth int) ([]byte, bool) {
	c := s.ws()
	start := s.i
	switch c {
	case '"':
		if _, _, _, ok := s.str(); !ok {
			return nil, false
		}
	case '{', '[':
		if depth >= fastMaxDepth {
			return nil, false
		}
		s.i++
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		if s.ws() == end {
			s.i++
			break
		}
		for {
			if c == '{' {
				if s.ws() != '"' {
					return nil, false
				}
				if _, _, _, ok := s.str(); !ok || !s.consume(':') {
					return nil, false
				}
			}
			if _, ok := s.skip(depth + 1); !ok {
				return nil, false
			}
			switch s.ws() {
			case ',':
				s.i++
				continue
			case end:
				s.i++
			default:
				return nil, false
			}
			break
		}
	case 't':
		if !s.literal("true") {
			return nil, false
		}
	case 'f':
		if !s.literal("false") {
			return nil, false
		}
	case 'n':
		if !s.literal("null") {
			return nil, false
		}
	default:
		if _, _, ok := s.number(); !ok {
			return nil, false
		}
	}
	return s.b[start:s.i], true
}

// emptyContainer reads [] or {} (with white space inside) at i, leaving i
// where it was when the container is not empty.
func (s *fastScanner) emptyContainer(open, end byte) bool {
	at := s.i
	if s.ws() != open {
		return false
	}
	s.i++
	if s.ws() == end {
		s.i++
		return true
	}
	s.i = at
	return false
}
