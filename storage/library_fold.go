package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold lowers case and takes the accents off Latin letters ("Beyoncé" →
// "beyonce", "Ærø" → "aero"), for ordering and filtering names the way a
// person expects. Other scripts are only lower-cased.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r >= 0x00C0 && r <= 0x017F:
			b.WriteString(latinFold[r-0x00C0])
		case unicode.Is(unicode.Mn, r):
			// a combining accent: drop it
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// latinFold maps U+00C0..U+017F (Latin-1 Supplement letters and Latin
// Extended-A) to lower-case ASCII.
var latinFold = func() [0x17F - 0xC0 + 1]string {
	var t [0x17F - 0xC0 + 1]string
	set := func(from rune, s string) {
		for i, part := range strings.Split(s, " ") {
			t[int(from)-0xC0+i] = part
		}
	}
	// U+00C0 ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ ÐÑÒÓÔÕÖ× ØÙÚÛÜÝÞß
	set(0xC0, "a a a a a a ae c e e e e i i i i d n o o o o o × o u u u u y th ss")
	// U+00E0 àáâãäåæçèéêëìíîï ðñòóôõö÷ øùúûüýþÿ
	set(0xE0, "a a a a a a ae c e e e e i i i i d n o o o o o ÷ o u u u u y th y")
	// U+0100 ĀāĂăĄąĆćĈĉĊċČčĎď ĐđĒēĔĕĖėĘęĚěĜĝĞğ
	set(0x100, "a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g")
	// U+0120 ĠġĢģĤĥĦħĨĩĪīĬĭĮį İıĲĳĴĵĶķĸĹĺĻļĽľĿ
	set(0x120, "g g g g h h h h i i i i i i i i i i ij ij j j k k k l l l l l l l")
	// U+0140 ŀŁłŃńŅņŇňŉŊŋŌōŎŏ ŐőŒœŔŕŖŗŘřŚśŜŝŞş
	set(0x140, "l l l n n n n n n n n n o o o o o o oe oe r r r r r r s s s s s s")
	// U+0160 ŠšŢţŤťŦŧŨũŪūŬŭŮů ŰűŲųŴŵŶŷŸŹźŻżŽžſ
	set(0x160, "s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s")
	return t
}()
