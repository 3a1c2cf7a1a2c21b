package core

import (
	"github.com/ampdesk/ampdesk/audio"
	"github.com/ampdesk/ampdesk/client"
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
	h.Live = item.Endless()
	h.ICY = item.Type == client.TypeLiveStream
	return h
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
