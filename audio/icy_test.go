package audio

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// icyBlockOf is a metadata block as a server sends it: a length byte in
// 16-byte units and the text padded with zeros (cut at 255×16 bytes).
func icyBlockOf(text string) []byte {
	if len(text) > 255*16 {
		text = text[:255*16]
	}
	n := (len(text) + 15) / 16
	b := make([]byte, 1+n*16)
	b[0] = byte(n)
	copy(b[1:], text)
	return b
}

// icyStream interleaves audio with one block per interval (texts[i] after
// the i-th interval; "" sends an empty block).
func icyStream(audio []byte, interval int, texts []string) []byte {
	var b bytes.Buffer
	for i := 0; len(audio) > 0; i++ {
		n := min(interval, len(audio))
		b.Write(audio[:n])
		audio = audio[n:]
		if n < interval {
			break
		}
		text := ""
		if i < len(texts) {
			text = texts[i]
		}
		b.Write(icyBlockOf(text))
	}
	return b.Bytes()
}

// icyReference strips a whole body at once, the plain way, for comparison
// with the parser fed in pieces.
func icyReference(data []byte, interval int) (audio []byte, blocks []string, at []int) {
	i := 0
	for i < len(data) {
		n := min(interval, len(data)-i)
		audio = append(audio, data[i:i+n]...)
		i += n
		if n < interval || i >= len(data) {
			break
		}
		l := int(data[i]) * 16
		i++
		if l == 0 {
			continue
		}
		if i+l > len(data) {
			break // cut: never reported
		}
		blocks = append(blocks, string(data[i:i+l]))
		at = append(at, len(audio))
		i += l
	}
	return audio, blocks, at
}

// stripInPieces feeds data to a parser in pieces whose sizes cycle through
// sizes, and collects the audio and the blocks with their audio offsets.
func stripInPieces(data []byte, interval int, sizes []int) (audio []byte, blocks []string, at []int) {
	ip := newICYParser(interval)
	data = bytes.Clone(data)
	for k := 0; len(data) > 0; k++ {
		n := min(max(sizes[k%len(sizes)], 1), len(data))
		base := len(audio)
		out := ip.strip(data[:n], func(pos int, block []byte) {
			blocks = append(blocks, string(block))
			at = append(at, base+pos)
		})
		audio = append(audio, out...)
		data = data[n:]
	}
	return audio, blocks, at
}

func TestICYStripsBlocksExactly(t *testing.T) {
	t.Parallel()
	audio := make([]byte, 10000)
	for i := range audio {
		audio[i] = byte(i*31 + i>>8)
	}
	texts := []string{"StreamTitle='A - One';", "", "StreamTitle='B - Two';StreamUrl='https://example.org/';", strings.Repeat("x", 4080)}
	stream := icyStream(audio, 1000, texts)
	for _, sizes := range [][]int{{len(stream)}, {1}, {7, 1000, 3}, {1001}, {17, 4096}} {
		got, blocks, at := stripInPieces(stream, 1000, sizes)
		if !bytes.Equal(got, audio) {
			t.Fatalf("pieces %v: audio differs (%d bytes, want %d)", sizes, len(got), len(audio))
		}
		if len(blocks) != 3 || !strings.HasPrefix(blocks[0], texts[0]) || !strings.HasPrefix(blocks[1], texts[2]) || len(blocks[2]) != 4080 {
			t.Fatalf("pieces %v: blocks %q", sizes, blocks)
		}
		if at[0] != 1000 || at[1] != 3000 || at[2] != 4000 {
			t.Errorf("pieces %v: blocks at audio bytes %v, want 1000, 3000, 4000", sizes, at)
		}
	}
}

func TestParseStreamTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		block string
		want  string
		ok    bool
	}{
		{"StreamTitle='Daft Punk - One More Time';StreamUrl='';\x00\x00\x00", "Daft Punk - One More Time", true},
		{"StreamTitle='';", "", true},
		{"StreamTitle='Don't Stop Me Now';", "Don't Stop Me Now", true},
		{"StreamTitle='Sigur R\xf3s - Hopp\xedpolla';", "Sigur Rós - Hoppípolla", true}, // Latin-1
		{"StreamTitle='Sigur Rós';", "Sigur Rós", true},
		{"StreamTitle='  a\tb \r\n c\x07 ';", "a b c", true},
		{"StreamTitle='cut off by the end of the blo", "cut off by the end of the blo", true},
		{"StreamUrl='https://example.org/';", "", false},
		{"", "", false},
		{"StreamTitle='" + strings.Repeat("é", 2000) + "';", strings.Repeat("é", maxTitleRunes), true},
	}
	for _, tt := range tests {
		got, ok := parseStreamTitle([]byte(tt.block))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseStreamTitle(%q) = %q, %v; want %q, %v", tt.block, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzICY: for any body and interval, the parser fed in any pieces gives
// exactly what stripping the whole body at once gives (audio, blocks and
// their places); a body built from audio and titles gives back the audio
// byte for byte and the titles; titles are valid UTF-8 of bounded length.
func FuzzICY(f *testing.F) {
	audio := bytes.Repeat([]byte{0xFF, 0xFB, 0x90, 0x64, 1, 2, 3}, 300)
	f.Add(icyStream(audio, 256, []string{"StreamTitle='Artist - Title';StreamUrl='';"}), uint16(256), []byte{3, 200})
	f.Add(icyStream(audio, 16, []string{"", "StreamTitle='Sigur R\xf3s - Hopp\xedpolla';", ""}), uint16(16), []byte{1})
	f.Add(icyStream(audio, 100, []string{strings.Repeat("StreamTitle='x';", 255)}), uint16(100), []byte{255, 1, 7})
	f.Add(append(bytes.Repeat([]byte{0}, 64), 255, 'S', 't'), uint16(64), []byte{9}) // a huge block, cut
	f.Add([]byte("StreamTitle='no audio before';"), uint16(1), []byte{2})            // interval 1
	f.Add(icyStream([]byte("abc"), 1, []string{"StreamTitle='a';", "StreamTitle='b';"}), uint16(1), []byte{1, 2})
	f.Fuzz(func(t *testing.T, data []byte, interval uint16, sizes []byte) {
		n := int(interval)
		if n == 0 {
			n = 1
		}
		if len(data) > 16<<10 {
			data = data[:16<<10] // bigger says nothing more, and costs time
		}
		pieces := []int{len(data)}
		if len(sizes) > 0 {
			pieces = pieces[:0]
			for _, s := range sizes {
				pieces = append(pieces, int(s)+1)
			}
		}
		wantAudio, wantBlocks, wantAt := icyReference(data, n)
		gotAudio, gotBlocks, gotAt := stripInPieces(data, n, pieces)
		if !bytes.Equal(gotAudio, wantAudio) {
			t.Fatalf("audio: %d bytes, want %d", len(gotAudio), len(wantAudio))
		}
		if len(gotBlocks) != len(wantBlocks) {
			t.Fatalf("%d blocks, want %d", len(gotBlocks), len(wantBlocks))
		}
		for i := range gotBlocks {
			if gotBlocks[i] != wantBlocks[i] || gotAt[i] != wantAt[i] {
				t.Fatalf("block %d at %d, want at %d", i, gotAt[i], wantAt[i])
			}
			if title, ok := parseStreamTitle([]byte(gotBlocks[i])); ok && (!utf8.ValidString(title) || utf8.RuneCountInString(title) > maxTitleRunes) {
				t.Fatalf("title %q", title)
			}
		}
		// Round trip: the data as audio, with a title after every interval.
		var texts []string
		for i := range min(len(data)/n+1, 200) {
			texts = append(texts, "StreamTitle='T"+strings.Repeat("x", i%40)+"';")
		}
		body := icyStream(data, n, texts)
		rtAudio, rtBlocks, _ := stripInPieces(body, n, pieces)
		if !bytes.Equal(rtAudio, data) {
			t.Fatalf("round trip: audio differs")
		}
		for i, b := range rtBlocks {
			if title, ok := parseStreamTitle([]byte(b)); !ok || "StreamTitle='"+title+"';" != texts[i] {
				t.Fatalf("round trip: block %d gives %q, want %q", i, title, texts[i])
			}
		}
	})
}
