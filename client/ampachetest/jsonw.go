package ampachetest

import (
	"strconv"
	"unicode/utf8"
)

// jsonw writes JSON with the keys in the order the real server writes them.
// It escapes like PHP's json_encode with JSON_UNESCAPED_UNICODE: "/" becomes
// "\/", control characters are escaped, other UTF-8 passes through.
type jsonw struct {
	buf   []byte
	comma bool // a comma is due before the next key or array element
}

func (w *jsonw) sep() {
	if w.comma {
		w.buf = append(w.buf, ',')
	}
	w.comma = true
}

func (w *jsonw) objStart() { w.sep(); w.buf = append(w.buf, '{'); w.comma = false }
func (w *jsonw) objEnd()   { w.buf = append(w.buf, '}'); w.comma = true }
func (w *jsonw) arrStart() { w.sep(); w.buf = append(w.buf, '['); w.comma = false }
func (w *jsonw) arrEnd()   { w.buf = append(w.buf, ']'); w.comma = true }

// key writes an object key; the next value follows it without a comma.
// Keys are the server's own names and need no escaping, except ids used as
// keys, which are digits.
func (w *jsonw) key(k string) {
	w.sep()
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, k...)
	w.buf = append(w.buf, '"', ':')
	w.comma = false
}

func (w *jsonw) str(s string)  { w.sep(); w.buf = appendJSONString(w.buf, s) }
func (w *jsonw) strb(b []byte) { w.sep(); w.buf = appendJSONString(w.buf, b) }
func (w *jsonw) int(n int64)   { w.sep(); w.buf = strconv.AppendInt(w.buf, n, 10) }
func (w *jsonw) null()         { w.sep(); w.buf = append(w.buf, "null"...) }
func (w *jsonw) bool(b bool)   { w.sep(); w.buf = strconv.AppendBool(w.buf, b) }
func (w *jsonw) float(f float64) {
	w.sep()
	w.buf = strconv.AppendFloat(w.buf, f, 'f', -1, 64)
}

// idstr writes an integer as a JSON string, as the server writes most ids.
func (w *jsonw) idstr(n int) {
	w.sep()
	w.buf = strconv.AppendInt(append(w.buf, '"'), int64(n), 10)
	w.buf = append(w.buf, '"')
}

func (w *jsonw) kstr(k, s string)         { w.key(k); w.str(s) }
func (w *jsonw) kint(k string, n int)     { w.key(k); w.int(int64(n)) }
func (w *jsonw) kint64(k string, n int64) { w.key(k); w.int(n) }
func (w *jsonw) kbool(k string, b bool)   { w.key(k); w.bool(b) }
func (w *jsonw) knull(k string)           { w.key(k); w.null() }
func (w *jsonw) kid(k string, n int)      { w.key(k); w.idstr(n) }

// kstrn writes s, or null when s is empty.
func (w *jsonw) kstrn(k, s string) {
	w.key(k)
	if s == "" {
		w.null()
		return
	}
	w.str(s)
}

// kflag writes a flag as a JSON boolean (API6) or as 0/1 (API4 and API5).
func (w *jsonw) kflag(k string, b bool, api int) {
	w.key(k)
	if api >= 6 {
		w.bool(b)
		return
	}
	if b {
		w.int(1)
	} else {
		w.int(0)
	}
}

// kintn writes n, or null when ok is false.
func (w *jsonw) kintn(k string, n int, ok bool) {
	w.key(k)
	if !ok {
		w.null()
		return
	}
	w.int(int64(n))
}

// kfloat32n writes f, or null when f is NaN.
func (w *jsonw) kfloat32n(k string, f float32) {
	w.key(k)
	if f != f {
		w.null()
		return
	}
	w.sep()
	w.buf = strconv.AppendFloat(w.buf, float64(f), 'f', -1, 32)
}

func (w *jsonw) bytes() []byte { return w.buf }

// grow makes room for n more bytes.
func (w *jsonw) grow(n int) {
	if cap(w.buf)-len(w.buf) < n {
		b := make([]byte, len(w.buf), len(w.buf)+n)
		copy(b, w.buf)
		w.buf = b
	}
}

const hexDigits = "0123456789abcdef"

// needsEscape marks the ASCII bytes appendJSONString escapes.
var needsEscape = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t['/'] = true, true, true
	return t
}()

func appendJSONString[S string | []byte](b []byte, s S) []byte {
	b = append(b, '"')
	start := 0 // start of the run not yet copied
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !needsEscape[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '/':
				b = append(b, '\\', '/')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune([]byte(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
