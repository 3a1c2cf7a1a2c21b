package audio

import (
	"bytes"
	"strings"
)

// Format detection. The bytes decide; the declared content type only helps
// when the bytes carry no signature (an MP3 stream that starts mid-frame).
// A server's error page served with 200 is recognized as "not audio".

// Formats the decoders play.
const (
	formatMP3    = "mp3"
	formatFLAC   = "flac"
	formatVorbis = "vorbis"
	formatWAV    = "wav"
)

// id3Size returns the size of an ID3v2 tag at the start of head (header,
// body and footer), or 0 if there is none. head needs 10 bytes.
func id3Size(head []byte) int64 {
	if len(head) < 10 || string(head[:3]) != "ID3" {
		return 0
	}
	sz := head[6:10]
	for _, b := range sz {
		if b&0x80 != 0 { // not syncsafe: not a tag
			return 0
		}
	}
	n := int64(sz[0])<<21 | int64(sz[1])<<14 | int64(sz[2])<<7 | int64(sz[3])
	n += 10
	if head[5]&0x10 != 0 { // footer present
		n += 10
	}
	return n
}

// detectFormat names the format of a stream from its first bytes (after any
// ID3 tag) and its declared content type. supported reports whether the
// decoders play it; otherwise format names what it is, for the error.
func detectFormat(head []byte, contentType string) (format string, supported bool) {
	switch {
	case bytes.HasPrefix(head, []byte("fLaC")):
		return formatFLAC, true
	case bytes.HasPrefix(head, []byte("OggS")):
		switch {
		case bytes.Contains(head, []byte("\x01vorbis")):
			return formatVorbis, true
		case bytes.Contains(head, []byte("OpusHead")):
			return "opus", false
		case bytes.Contains(head, []byte("\x7fFLAC")):
			return "ogg flac", false
		case bytes.Contains(head, []byte("Speex")):
			return "speex", false
		}
		return "ogg (unknown codec)", false
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WAVE":
		return formatWAV, true
	case len(head) >= 12 && string(head[:4]) == "FORM" && (string(head[8:12]) == "AIFF" || string(head[8:12]) == "AIFC"):
		return "aiff", false
	case len(head) >= 8 && string(head[4:8]) == "ftyp":
		return "mp4/aac", false
	case bytes.HasPrefix(head, []byte("\x1aE\xdf\xa3")):
		return "matroska/webm", false
	case bytes.HasPrefix(head, []byte("MAC ")):
		return "ape", false
	case bytes.HasPrefix(head, []byte("wvpk")):
		return "wavpack", false
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return "amr", false
	case len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0:
		switch (head[1] >> 1) & 3 { // layer bits
		case 1:
			return formatMP3, true
		case 0:
			return "aac", false // ADTS
		default:
			return "mp1/mp2", false
		}
	}
	switch ct := baseContentType(contentType); {
	case ct == "audio/mpeg" || ct == "audio/mp3" || ct == "audio/x-mp3" || ct == "audio/mpeg3":
		return formatMP3, true // the decoder searches for the first frame
	case strings.HasPrefix(ct, "text/") || ct == "application/json" || ct == "application/xml":
		return "not audio (" + ct + ")", false
	}
	if t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf"); len(t) > 0 && (t[0] == '<' || t[0] == '{') {
		return "not audio (text)", false
	}
	return "unknown", false
}
