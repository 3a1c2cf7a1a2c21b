package ampachetest

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Podcasts and episodes. Episodes are long WAV files synthesized on demand.

func hms(seconds int) string {
	return fmt.Sprintf("%02d:%02d:%02d", seconds/3600, seconds/60%60, seconds%60)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f KB", float64(n)/(1<<10))
}

func (c *call) writePodcast(p *podcast, withEpisodes bool) {
	w := &c.out
	w.objStart()
	w.kid("id", p.id)
	w.kstr("name", p.name)
	w.kstr("description", p.description)
	w.kstr("language", p.language)
	w.kstr("copyright", p.copyright)
	w.kstr("feed_url", p.feedURL)
	w.kstr("generator", p.generator)
	w.kstr("website", p.website)
	w.kstr("build_date", iso(p.buildDate))
	w.kstr("sync_date", iso(p.syncDate))
	w.kstr("public_url", fmt.Sprintf("%s/podcast.php?action=show&podcast=%d", c.base(), p.id))
	w.kstr("art", c.artURL("podcast", p.id))
	if c.api >= 6 {
		w.kbool("has_art", true)
	}
	c.writeRatings("podcast", p.id)
	w.key("podcast_episode")
	w.arrStart()
	if withEpisodes {
		for _, e := range p.episodes {
			c.writeEpisode(e)
		}
	}
	w.arrEnd()
	w.objEnd()
}

func (c *call) writeEpisode(e *episode) {
	w := &c.out
	api := c.api
	w.objStart()
	w.kid("id", e.id)
	if api >= 5 {
		w.kstr("title", e.title)
	}
	w.kstr("name", e.title)
	if api >= 6 {
		w.key("podcast")
		w.objStart()
		w.kint("id", e.podcast.id)
		w.kstr("name", e.podcast.name)
		w.objEnd()
	}
	w.kstr("description", e.description)
	w.kstr("category", e.category)
	w.kstr("author", e.author)
	w.kstr("author_full", e.author)
	w.kstr("website", e.website)
	w.kstr("pubdate", iso(e.pubdate))
	w.kstr("state", "completed")
	w.kstr("filelength", hms(e.seconds))
	w.kstr("filesize", humanSize(e.size))
	filename := e.podcast.name + " - " + e.title + ".wav"
	if api == 4 {
		w.kstr("mime", mimeOf(e.src.format))
		w.kstr("filename", filename)
	} else {
		w.kstr("filename", filename)
		w.kstr("mime", mimeOf(e.src.format))
		w.kint("time", e.seconds)
		w.kint64("size", e.size)
	}
	if api >= 6 {
		w.kint("bitrate", e.bitrate)
		w.kint("stream_bitrate", e.bitrate)
		w.kint("rate", e.src.clip.SampleRate)
		w.kstr("mode", "cbr")
		w.kint("channels", e.src.clip.Channels)
	}
	w.kstr("public_url", fmt.Sprintf("%s/podcast_episode.php?action=show&podcast_episode=%d", c.base(), e.id))
	w.kstr("url", c.playURL("podcast_episode", e.id, e.podcast.name+" - "+e.title, e.src.format, true))
	w.kstr("catalog", "2")
	w.kstr("art", c.artURL("podcast", e.podcast.id))
	if api >= 6 {
		w.kbool("has_art", true)
	}
	c.writeRatings("podcast_episode", e.id)
	if api >= 5 {
		w.kint("playcount", e.playcount)
	}
	played := ""
	if e.playcount > 0 {
		played = "1"
	}
	w.kstr("played", played)
	w.objEnd()
}

func (c *call) podcastParam() (*podcast, *apiError) {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return nil, err
	}
	id, err := c.id("filter")
	if err != nil {
		return nil, err
	}
	p := c.l.podcast(id)
	if p == nil {
		return nil, errNotFound("filter", strconv.Itoa(id))
	}
	return p, nil
}

func apiPodcasts(c *call) *apiError {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return err
	}
	q := c.query()
	var match func(*podcast) bool
	if q.filtered() {
		match = func(p *podcast) bool { return q.matchName(p.fold) && q.matchDates(p.added, p.updated) }
	}
	total, items := selectPage(q, c.l.podcastsByName, match, nil)
	withEpisodes := c.includes("episodes")
	c.list("podcast", total, ids(items, func(p *podcast) int { return p.id }), func() {
		for _, p := range items {
			c.writePodcast(p, withEpisodes)
		}
	})
	return nil
}

func apiPodcast(c *call) *apiError {
	p, err := c.podcastParam()
	if err != nil {
		return err
	}
	c.one(func() { c.writePodcast(p, c.includes("episodes")) })
	return nil
}

func (c *call) episodeList(total int, items []*episode) {
	write := func() {
		for _, e := range items {
			c.writeEpisode(e)
		}
	}
	if c.api == 4 {
		c.out.objStart()
		c.out.key("podcast_episode")
		c.out.arrStart()
		write()
		c.out.arrEnd()
		c.out.objEnd()
		return
	}
	c.list("podcast_episode", total, ids(items, func(e *episode) int { return e.id }), write)
}

func apiPodcastEpisodes(c *call) *apiError {
	p, err := c.podcastParam()
	if err != nil {
		return err
	}
	q := c.query()
	q.text = "" // filter is the podcast here
	var match func(*episode) bool
	if q.filtered() {
		match = func(e *episode) bool { return q.matchDates(e.added, e.updated) }
	}
	total, items := selectPage(q, p.episodes, match, nil)
	c.episodeList(total, items)
	return nil
}

func (c *call) episodeParam() (*episode, *apiError) {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return nil, err
	}
	id, err := c.id("filter")
	if err != nil {
		return nil, err
	}
	e := c.l.episode(id)
	if e == nil {
		return nil, errNotFound("filter", strconv.Itoa(id))
	}
	return e, nil
}

func apiPodcastEpisode(c *call) *apiError {
	e, err := c.episodeParam()
	if err != nil {
		return err
	}
	if c.api == 4 {
		c.episodeList(1, []*episode{e})
		return nil
	}
	c.writeEpisode(e)
	return nil
}

// feedURLAllowed refuses what the real server will not fetch (anti-SSRF):
// loopback, private, link-local and unspecified addresses and localhost.
func feedURLAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() ||
			ip.IsLinkLocalMulticast() || ip.IsMulticast())
	}
	return true
}

// apiPodcastCreate subscribes to a feed (catalog-manager access). The feed
// is not fetched: the podcast gets a few generated episodes, as if it were.
func apiPodcastCreate(c *call) *apiError {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return err
	}
	if err := c.checkAccess(75); err != nil {
		return err
	}
	feed := c.str("url")
	if feed == "" {
		return errMissing("url")
	}
	cat := c.str("catalog")
	if cat == "" {
		return errMissing("catalog")
	}
	if cat != "2" {
		return errBad("catalog", cat)
	}
	if !feedURLAllowed(feed) {
		return errBad("url", feed)
	}
	for _, p := range c.l.podcasts {
		if p != nil && p.feedURL == feed {
			return errBad("url", feed)
		}
	}
	u, _ := url.Parse(feed)
	name := "Podcast from " + u.Hostname()
	p := newPodcast(c.l, name, feed)
	now := c.now.Unix()
	p.description = "Subscribed from " + feed + "."
	p.added, p.updated, p.syncDate, p.buildDate = now, now, now, now
	c.l.podcastsByName = insertSorted(c.l.podcastsByName, p, podcastLess)
	for i := 1; i <= 3; i++ {
		pub := now - int64(3-i)*7*day
		addEpisode(c.l, p, fmt.Sprintf("Episode %d", i), 20*60+i*90, pub, c.s.audio)
	}
	c.one(func() { c.writePodcast(p, false) })
	return nil
}

func apiPodcastEdit(c *call) *apiError {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return err
	}
	if err := c.checkAccess(50); err != nil {
		return err
	}
	p, err := c.podcastParam()
	if err != nil {
		return err
	}
	if v := c.str("feed"); v != "" {
		if !feedURLAllowed(v) {
			return errBad("feed", v)
		}
		p.feedURL = v
	}
	if v := c.str("title"); v != "" {
		c.l.podcastsByName = removeSorted(c.l.podcastsByName, p, podcastLess)
		p.name, p.fold = v, fold(v)
		c.l.podcastsByName = insertSorted(c.l.podcastsByName, p, podcastLess)
	}
	for param, field := range map[string]*string{"website": &p.website, "description": &p.description,
		"generator": &p.generator, "copyright": &p.copyright} {
		if v := c.str(param); v != "" {
			*field = v
		}
	}
	p.updated = c.now.Unix()
	c.success(fmt.Sprintf("podcast %d updated", p.id))
	return nil
}

// apiUpdatePodcast syncs a podcast: its feed "has" one new episode.
func apiUpdatePodcast(c *call) *apiError {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return err
	}
	if err := c.checkAccess(50); err != nil {
		return err
	}
	p, err := c.podcastParam()
	if err != nil {
		return err
	}
	now := c.now.Unix()
	addEpisode(c.l, p, fmt.Sprintf("Episode %d", len(p.episodes)+1), 15*60+len(p.episodes)*60, now, c.s.audio)
	p.syncDate, p.updated = now, now
	c.success(fmt.Sprintf("Synced episodes for podcast: %d", p.id))
	return nil
}

func apiPodcastDelete(c *call) *apiError {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return err
	}
	if err := c.checkAccess(75); err != nil {
		return err
	}
	p, err := c.podcastParam()
	if err != nil {
		return err
	}
	for _, e := range slices.Clone(p.episodes) {
		c.l.deleteEpisode(e, c.now.Unix())
	}
	c.l.podcasts[p.id] = nil
	c.l.podcastsByName = removeSorted(c.l.podcastsByName, p, podcastLess)
	c.l.nPodcasts--
	c.success(fmt.Sprintf("podcast %d deleted", p.id))
	return nil
}

func apiPodcastEpisodeDelete(c *call) *apiError {
	if err := c.checkFeature(FeaturePodcast); err != nil {
		return err
	}
	if err := c.checkAccess(75); err != nil {
		return err
	}
	e, err := c.episodeParam()
	if err != nil {
		return err
	}
	c.l.deleteEpisode(e, c.now.Unix())
	c.success(fmt.Sprintf("podcast_episode %d deleted", e.id))
	return nil
}

func (l *library) deleteEpisode(e *episode, now int64) {
	p := e.podcast
	p.episodes = slices.DeleteFunc(p.episodes, func(x *episode) bool { return x == e })
	l.episodes[e.id] = nil
	l.nEpisodes--
	l.deletedEpisodes = append(l.deletedEpisodes, deletedEpisode{id: e.id, title: e.title, podcast: p.id,
		file: fmt.Sprintf("/srv/podcasts/%s/%s.wav", p.name, e.title), added: e.added, deleted: now})
}

func apiDeletedPodcastEpisodes(c *call) *apiError {
	offset, limit := c.paging()
	items := page(c.l.deletedEpisodes, offset, limit)
	c.list("deleted_podcast_episode", len(c.l.deletedEpisodes), ids(items, func(d deletedEpisode) int { return d.id }), func() {
		w := &c.out
		for _, d := range items {
			w.objStart()
			w.kid("id", d.id)
			w.kint64("addition_time", d.added)
			w.kint64("delete_time", d.deleted)
			w.kstr("title", d.title)
			w.kstr("file", d.file)
			w.kstr("catalog", "2")
			w.kint("total_count", 0)
			w.kint("total_skip", 0)
			w.kid("podcast", d.podcast)
			w.objEnd()
		}
	})
	return nil
}
