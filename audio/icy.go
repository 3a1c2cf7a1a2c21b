package audio

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ICY (Shoutcast/Icecast) metadata. A client that sends "Icy-MetaData: 1"
// may get a response with an "icy-metaint: N" header; its body is then N
// bytes of audio, a length byte L, 16×L bytes of metadata (L may be 0),
// N bytes of audio, and so on. The metadata is text such as
//
//	StreamTitle='Artist - Title';StreamUrl='https://...';
//
// padded with zero bytes, in UTF-8 or (older servers) Latin-1.

// maxTitleRunes bounds a title kept from the metadata.
const maxTitleRunes = 512

// icyParser removes the metadata blocks from the bytes of a response, in
// pieces as they arrive, whatever their boundaries. It keeps at most one
// block (16×255 bytes), so a stream cannot make it grow.
type icyParser struct {
	interval  int // audio bytes between blocks
	audioLeft int // audio bytes before the next length byte
	metaLeft  int // metadata bytes still to come in the current block
	inMeta    bool
	block     []byte
}

func newICYParser(interval int) *icyParser {
	return &icyParser{interval: interval, audioLeft: interval}
}

// strip removes the metadata from p, the next bytes of the body, in place:
// it returns the audio (a prefix of p's memory). meta is called with each
// complete, non-empty block and the number of audio bytes before it in
// the returned slice; the block is only valid during the call. A block
// cut by the end of the body is never reported.
func (ip *icyParser) strip(p []byte, meta func(at int, block []byte)) []byte {
	out := p[:0]
	for len(p) > 0 {
		switch {
		case ip.audioLeft > 0:
			n := min(ip.audioLeft, len(p))
			out = append(out, p[:n]...) // never past p: copy handles the overlap
			p = p[n:]
			ip.audioLeft -= n
		case !ip.inMeta:
			ip.metaLeft = int(p[0]) * 16
			p = p[1:]
			ip.block = ip.block[:0]
			if ip.metaLeft == 0 {
				ip.audioLeft = ip.interval
			} else {
				ip.inMeta = true
			}
		default:
			n := min(ip.metaLeft, len(p))
			ip.block = append(ip.block, p[:n]...)
			p = p[n:]
			ip.metaLeft -= n
			if ip.metaLeft == 0 {
				ip.inMeta = false
				ip.audioLeft = ip.interval
				if meta != nil {
					meta(len(out), ip.block)
				}
			}
		}
	}
	return out
}

// parseStreamTitle returns the StreamTitle of a metadata block, cleaned up
// for display: decoded from Latin-1 when it is not UTF-8, without control
// characters, spaces collapsed, at most maxTitleRunes. ok is false when the
// block carries no StreamTitle (e.g. only a StreamUrl).
func parseStreamTitle(block []byte) (title string, ok bool) {
	const key = "StreamTitle='"
	block = bytes.TrimRight(block, "\x00")
	i := bytes.Index(block, []byte(key))
	if i < 0 {
		return "", false
	}
	v := block[i+len(key):]
	// The value ends at "';" (a title may contain a quote), else at the
	// last quote, else at the end of a cut block.
	if j := bytes.Index(v, []byte("';")); j >= 0 {
		v = v[:j]
	} else if j := bytes.LastIndexByte(v, '\''); j >= 0 {
		v = v[:j]
	}
	var s string
	if utf8.Valid(v) {
		s = string(v)
	} else {
		r := make([]rune, len(v))
		for k, b := range v {
			r[k] = rune(b) // Latin-1: each byte is its code point
		}
		s = string(r)
	}
	var b strings.Builder
	space, n := false, 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), r == utf8.RuneError:
			continue
		}
		if n >= maxTitleRunes {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String(), true
}
