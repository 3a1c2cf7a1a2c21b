package ampachetest

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Art: every object's image is generated, a gradient and a disc in colours
// derived from the object's type and id, at the size asked for, and kept
// in a small cache.

const (
	defaultArtSize = 300
	maxArtSize     = 2048
	artCacheSize   = 256
)

type artKey struct {
	typ         string
	id          int
	w, h        int
	placeholder bool
}

type artCache struct {
	mu    sync.Mutex
	items map[artKey][]byte
}

func (a *artCache) get(k artKey) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	if b, ok := a.items[k]; ok {
		return b
	}
	b := drawArt(k)
	if a.items == nil {
		a.items = map[artKey][]byte{}
	}
	if len(a.items) >= artCacheSize {
		for old := range a.items {
			delete(a.items, old)
			break
		}
	}
	a.items[k] = b
	return b
}

// parseSize reads "WIDTHxHEIGHT" (or one number for a square).
func parseSize(s string) (int, int) {
	if s == "" {
		return defaultArtSize, defaultArtSize
	}
	a, b, found := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(a)
	h, err2 := strconv.Atoi(b)
	if !found {
		h, err2 = w, err1
	}
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return defaultArtSize, defaultArtSize
	}
	return min(w, maxArtSize), min(h, maxArtSize)
}

func hsv(h, s, v float64) color.RGBA {
	h = math.Mod(h, 360) / 60
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h, 2)-1))
	var r, g, b float64
	switch int(h) {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := v - c
	return color.RGBA{uint8((r + m) * 255), uint8((g + m) * 255), uint8((b + m) * 255), 255}
}

func drawArt(k artKey) []byte {
	img := image.NewRGBA(image.Rect(0, 0, k.w, k.h))
	hf := fnv.New32a()
	hf.Write([]byte(k.typ + ":" + strconv.Itoa(k.id)))
	seed := hf.Sum32()
	hue := float64(seed % 360)
	top, bottom := hsv(hue, 0.55, 0.95), hsv(hue+40, 0.75, 0.45)
	disc := hsv(hue+180, 0.35, 0.98)
	if k.placeholder {
		top, bottom, disc = color.RGBA{200, 200, 200, 255}, color.RGBA{150, 150, 150, 255}, color.RGBA{220, 220, 220, 255}
	}
	cx, cy := float64(k.w)/2, float64(k.h)/2
	rad := math.Min(cx, cy) * (0.45 + float64(seed>>9%20)/100)
	hole := rad * 0.18
	for y := 0; y < k.h; y++ {
		t := float64(y) / float64(max(k.h-1, 1))
		row := color.RGBA{
			uint8(float64(top.R)*(1-t) + float64(bottom.R)*t),
			uint8(float64(top.G)*(1-t) + float64(bottom.G)*t),
			uint8(float64(top.B)*(1-t) + float64(bottom.B)*t), 255}
		dy := float64(y) + 0.5 - cy
		off := img.PixOffset(0, y)
		for x := 0; x < k.w; x++ {
			dx := float64(x) + 0.5 - cx
			d := math.Sqrt(dx*dx + dy*dy)
			c := row
			if d < rad && d > hole {
				c = disc
			}
			img.Pix[off], img.Pix[off+1], img.Pix[off+2], img.Pix[off+3] = c.R, c.G, c.B, 255
			off += 4
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	_ = enc.Encode(&buf, img)
	return buf.Bytes()
}

// artFor finds whether the object exists and has art. Songs and episodes
// show their album's or podcast's art.
func (s *Server) artFor(typ string, id int) (artKey, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.lib
	k := artKey{typ: typ, id: id}
	switch typ {
	case "album":
		a := l.album(id)
		if a == nil {
			return k, false
		}
		k.placeholder = !a.hasArt
	case "artist":
		a := l.artist(id)
		if a == nil {
			return k, false
		}
		k.placeholder = !a.hasArt
	case "song":
		so := l.song(id)
		if so == nil {
			return k, false
		}
		k.typ, k.id, k.placeholder = "album", so.album.id, !so.album.hasArt
	case "podcast":
		if l.podcast(id) == nil {
			return k, false
		}
	case "podcast_episode":
		e := l.episode(id)
		if e == nil {
			return k, false
		}
		k.typ, k.id = "podcast", e.podcast.id
	case "playlist":
		if l.playlists[id] == nil {
			return k, false
		}
	case "search":
		if l.smartlist(id) == nil {
			return k, false
		}
	case "live_stream":
		if l.live(id) == nil {
			return k, false
		}
	case "user":
		if s.accountByID(id) == nil {
			return k, false
		}
		k.placeholder = true
	default:
		return k, false
	}
	return k, true
}

func (s *Server) writeArt(w http.ResponseWriter, r *http.Request, typ string, id int, size string) {
	k, ok := s.artFor(typ, id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	k.w, k.h = parseSize(size)
	b := s.art.get(k)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

// serveImage serves image.php?object_id=&object_type=[&size=WxH].
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request) {
	fault, ok := s.admit(r, "art")
	if !ok {
		return
	}
	if fault != nil {
		if !writeTransportFault(w, fault) {
			http.Error(w, fault.Message, http.StatusBadRequest)
		}
		return
	}
	q := r.URL.Query()
	id, err := strconv.Atoi(q.Get("object_id"))
	if err != nil {
		http.Error(w, "bad object_id", http.StatusBadRequest)
		return
	}
	size := q.Get("size")
	if size == "" && q.Get("thumb") != "" {
		size = q.Get("thumb")
	}
	s.writeArt(w, r, q.Get("object_type"), id, size)
}

// apiGetArt answers get_art with the image itself.
func apiGetArt(c *call) *apiError {
	typ, id, ok := c.mediaTarget()
	if !ok {
		return nil
	}
	size := c.str("size")
	c.serve = func(w http.ResponseWriter, r *http.Request) { c.s.writeArt(w, r, typ, id, size) }
	return nil
}
