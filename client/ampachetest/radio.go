package ampachetest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Live radio: each live stream's URL is an endless MP3 stream (the tune's
// frames, looped) on this server. With "Icy-MetaData: 1" it carries
// Shoutcast/ICY metadata every IcyMetaInt bytes of audio; the StreamTitle
// changes every RadioTitleEvery of audio. After a burst of RadioBurst of
// audio it is paced to real time, as a broadcast is.

const (
	IcyMetaInt      = 16000
	RadioTitleEvery = 4 * time.Second
	RadioBurst      = 5 * time.Second
)

func (c *call) radioURL(id int) string {
	return fmt.Sprintf("%s/radio/%d.mp3", c.base(), id)
}

// RadioTitle is the title station id carries during its n-th title period
// (n counts RadioTitleEvery periods of audio from the start of a stream).
func RadioTitle(id, n int) string {
	r := rand.New(rand.NewPCG(uint64(id), uint64(n)))
	return artistName(r) + " - " + songTitle(r)
}

// SetRadioPacing turns the real-time pacing of live streams on (the
// default) or off (send as fast as the client reads).
func (s *Server) SetRadioPacing(on bool) {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	s.settings.radioPacing = on
}

func (s *Server) serveRadio(w http.ResponseWriter, r *http.Request, name string) {
	fault, ok := s.admit(r, "radio")
	if !ok {
		return
	}
	if fault != nil {
		if !writeTransportFault(w, fault) {
			http.Error(w, fault.Message, http.StatusBadRequest)
		}
		return
	}
	id, err := strconv.Atoi(strings.TrimSuffix(name, ".mp3"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	s.mu.RLock()
	ls := s.lib.live(id)
	s.mu.RUnlock()
	if ls == nil {
		http.NotFound(w, r)
		return
	}
	clip := s.audio.mp3["tune"]
	icy := r.Header.Get("Icy-MetaData") == "1"
	h := w.Header()
	h.Set("Content-Type", "audio/mpeg")
	h.Set("Cache-Control", "no-cache")
	h.Set("icy-name", ls.name)
	h.Set("icy-genre", ls.genre)
	h.Set("icy-br", strconv.Itoa(clip.bitrate/1000))
	h.Set("icy-url", ls.siteURL)
	if icy {
		h.Set("icy-metaint", strconv.Itoa(IcyMetaInt))
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	flusher, _ := w.(http.Flusher)
	pacing := s.setting().radioPacing
	bytesPerSec := int64(clip.bitrate / 8)
	start := time.Now()
	var audioSent int64 // bytes of audio sent
	untilMeta := IcyMetaInt
	lastTitle := ""
	frame := int64(0)
	loopFrames := clip.units.n()
	var buf []byte
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		default:
		}
		// Gather about a tenth of a second of frames.
		buf = buf[:0]
		for len(buf) < int(bytesPerSec/10) {
			i := int(frame % loopFrames)
			off, size := clip.units.off[i], clip.units.size(i)
			buf = append(buf, clip.data[off:off+size]...)
			frame++
		}
		for len(buf) > 0 {
			n := len(buf)
			if icy {
				n = min(n, untilMeta)
			}
			if _, err := w.Write(buf[:n]); err != nil {
				return
			}
			buf = buf[n:]
			audioSent += int64(n)
			if !icy {
				continue
			}
			if untilMeta -= n; untilMeta == 0 {
				untilMeta = IcyMetaInt
				period := int(time.Duration(audioSent) * time.Second / time.Duration(bytesPerSec) / RadioTitleEvery)
				title := RadioTitle(id, period)
				block := []byte{0}
				if title != lastTitle {
					block = icyBlock("StreamTitle='" + strings.ReplaceAll(title, "'", "’") + "';")
					lastTitle = title
				}
				if _, err := w.Write(block); err != nil {
					return
				}
			}
		}
		if flusher != nil {
			flusher.Flush()
		}
		if pacing {
			played := time.Duration(audioSent) * time.Second / time.Duration(bytesPerSec)
			ahead := played - RadioBurst - time.Since(start)
			if ahead > 0 && !s.wait(r.Context(), ahead) {
				return
			}
		}
	}
}

// icyBlock is an ICY metadata block: a length byte (in 16-byte units) and
// the text padded with zeros.
func icyBlock(text string) []byte {
	if len(text) > 255*16 {
		text = text[:255*16]
	}
	n := (len(text) + 15) / 16
	b := make([]byte, 1+n*16)
	b[0] = byte(n)
	copy(b[1:], text)
	return b
}
