package ampachetest

import (
	"errors"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The binary methods. stream and download answer with a redirect to the
// object's play URL (as the real server does); the play URL serves the
// audio: the stored file with HTTP Range, or a "transcoded" copy (another
// format, or a start offset) without Range.

// mediaTarget reads the id/filter and type of stream, download and
// get_art, answering HTTP 400 when they are missing.
func (c *call) mediaTarget() (typ string, id int, ok bool) {
	typ = c.str("type")
	v := c.str("id")
	if v == "" {
		v = c.str("filter")
	}
	id, err := strconv.Atoi(v)
	if err != nil || typ == "" {
		c.status = http.StatusBadRequest
		return "", 0, false
	}
	return typ, id, true
}

// resolveMedia picks the song or episode a stream of (typ, id) plays:
// playlists and smartlists ("search") play one of their songs at random.
func (c *call) resolveMedia(typ string, id int) (string, int, bool) {
	switch typ {
	case "song":
		return typ, id, c.l.song(id) != nil
	case "podcast_episode":
		return typ, id, c.l.episode(id) != nil
	case "playlist", "search":
		var songs []int
		if typ == "playlist" {
			if p := c.l.playlists[id]; p != nil && c.canRead(p) {
				songs = p.songs
			}
		} else if sl := c.l.smartlist(id); sl != nil {
			songs = ids(c.runSmartlist(sl), songID)
		}
		if len(songs) == 0 {
			return "", 0, false
		}
		return "song", songs[rand.IntN(len(songs))], true
	}
	return "", 0, false
}

func (c *call) mediaRedirect(download bool) *apiError {
	typ, id, ok := c.mediaTarget()
	if !ok {
		return nil
	}
	typ, id, ok = c.resolveMedia(typ, id)
	if !ok {
		c.status = http.StatusNotFound
		return nil
	}
	v := url.Values{}
	v.Set("ssid", c.sess.token)
	v.Set("type", typ)
	v.Set("oid", strconv.Itoa(id))
	v.Set("uid", strconv.Itoa(c.user.id))
	if f := c.str("format"); f != "" && f != "raw" {
		v.Set("transcode_to", f)
	} else {
		v.Set("format", "raw")
	}
	if b := c.str("bitrate"); b != "" {
		v.Set("bitrate", b)
	}
	if o := c.str("offset"); o != "" && !download {
		v.Set("frame", o)
	}
	if c.flag("length") {
		v.Set("length", "1")
	}
	if download {
		v.Set("action", "download")
	}
	if c.has("stats") && !c.flag("stats") {
		v.Set("stats", "0")
	}
	v.Set("player", "api")
	c.redirect = c.base() + "/play/index.php?" + v.Encode()
	return nil
}

func apiStream(c *call) *apiError   { return c.mediaRedirect(false) }
func apiDownload(c *call) *apiError { return c.mediaRedirect(true) }

// servePlay serves a play URL.
func (s *Server) servePlay(w http.ResponseWriter, r *http.Request) {
	fault, ok := s.admit(r, "play")
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
	ss, _ := s.liveSession(q.Get("ssid"), true)
	if ss == nil {
		http.Error(w, "Session Expired", http.StatusForbidden)
		return
	}
	if q.Get("demo_id") != "" {
		s.serveDemocratic(w, r, ss)
		return
	}
	id, _ := strconv.Atoi(q.Get("oid"))
	typ := q.Get("type")
	download := q.Get("action") == "download"
	var src audioSource
	var name string
	var found bool
	s.mu.Lock()
	switch typ {
	case "song":
		if so := s.lib.song(id); so != nil {
			src, name, found = so.src, so.artist.name+" - "+so.title, true
			if !download && q.Get("stats") != "0" {
				s.lib.nowPlaying[ss.user.id] = nowPlaying{songID: id, user: ss.user.id, client: ss.client,
					expire: s.now().Unix() + int64(so.seconds)}
			}
		}
	case "podcast_episode":
		if e := s.lib.episode(id); e != nil {
			src, name, found = e.src, e.podcast.name+" - "+e.title, true
		}
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	target := q.Get("transcode_to")
	if target == "" {
		target = q.Get("format")
	}
	offset, _ := strconv.Atoi(q.Get("frame"))
	if offset == 0 {
		offset, _ = strconv.Atoi(q.Get("offset"))
	}
	if target == "" || target == "raw" || !transcodable(target) || target == src.format && offset <= 0 {
		target = ""
	}
	var f mediaFile
	var err error
	if target == "" {
		f, err = s.audio.raw(src)
	} else {
		f, err = s.audio.render(src, target, time.Duration(offset)*time.Second)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	format := src.format
	if target != "" {
		format = target
	}
	h := w.Header()
	h.Set("Content-Type", mimeOf(format))
	if download {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment",
			map[string]string{"filename": strings.ReplaceAll(name, "/", "-") + "." + format}))
	}
	if cut, ok := s.takeCut(); ok {
		w = &cutWriter{ResponseWriter: w, left: cut}
	}
	body := &closingReader{r: io.NewSectionReader(f, 0, f.Size()), closing: s.closing, done: r.Context().Done()}
	if target == "" {
		// ServeContent answers Range requests (206, 416) and sets
		// Content-Length and Accept-Ranges.
		http.ServeContent(w, r, "", time.Time{}, body)
		return
	}
	// A transcode is produced as it goes: no Range, and no length unless
	// the client asked for an estimate.
	h.Set("Accept-Ranges", "none")
	if q.Get("length") == "1" {
		h.Set("Content-Length", strconv.FormatInt(f.Size(), 10))
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.Copy(w, body)
}

// closingReader ends a body when the server closes or the client goes.
type closingReader struct {
	r       io.ReadSeeker
	closing <-chan struct{}
	done    <-chan struct{}
}

var errClosing = errors.New("ampachetest: server closing")

func (c *closingReader) Read(p []byte) (int, error) {
	select {
	case <-c.closing:
		return 0, errClosing
	case <-c.done:
		return 0, errClosing
	default:
	}
	if len(p) > 64<<10 {
		p = p[:64<<10]
	}
	return c.r.Read(p)
}

func (c *closingReader) Seek(off int64, whence int) (int64, error) { return c.r.Seek(off, whence) }
