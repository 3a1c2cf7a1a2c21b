package core

import (
	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
	"net/url"
	"strings"
)

// Internet radio: a live stream (RadioItem) plays from the station's own
// URL as an endless stream that asks for ICY metadata; each title the
// station announces comes, as it is heard, as a StreamTitle event.

// StreamTitle: the live stream being played announced a new title (its
// ICY StreamTitle, usually "Artist - Title"), now heard. "" means the
// station cleared it. audio.Player's Status().StreamTitle holds the last.
type StreamTitle struct {
	Index int
	Item  Item
	Title string
}

func (StreamTitle) event() {}

// directSource is the source of an item that plays from its own URL: for
// a live stream, endless (reconnecting to the broadcast on a cut) and
// with ICY metadata.
func (c *Core) directSource(item Item) audio.HTTP {
	h := audio.HTTP{Client: c.http, URL: item.directURL}
	if c.onServer(item.directURL) {
		// The democratic stream, or a station the server relays: the
		// connection's client trusts a pinned certificate.
		h.Client = c.mediaClient()
	}
	h.Live = item.Endless()
	h.ICY = item.Type == client.TypeLiveStream
	return h
}

// onServer reports whether a URL points at the live connection's server.
func (c *Core) onServer(raw string) bool {
	api, err := c.api()
	if err != nil {
		return false
	}
	u, err1 := url.Parse(raw)
	b, err2 := url.Parse(api.BaseURL())
	return err1 == nil && err2 == nil && strings.EqualFold(u.Scheme, b.Scheme) && strings.EqualFold(u.Host, b.Host)
}

// Endless reports whether an item is a stream without an end or a length
// to seek in: a radio station, or the democratic queue (it plays whatever
// the votes put next).
func (it Item) Endless() bool {
	return it.Type == client.TypeLiveStream || it.Type == client.TypeDemocratic
}

// publishStreamTitle republishes the audio engine's title with its item.
func (c *Core) publishStreamTitle(p *audio.Player, e audio.StreamTitleChanged) {
	var item Item
	if q, _ := p.Queue(); e.Index >= 0 && e.Index < len(q) {
		item, _ = q[e.Index].Data.(Item)
	}
	c.publish(StreamTitle{Index: e.Index, Item: item, Title: e.Title})
}
