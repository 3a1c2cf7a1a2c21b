//go:build linux

package desktop

import (
	"net/url"
	"strings"

	"github.com/godbus/dbus/v5"

	"github.com/ampdesk/ampdesk/core"
)

// trackID is the item's mpris:trackid: an object path under
// /org/ampdesk/track, from its type and id (other characters than
// letters and digits escaped as _XX).
func trackID(it core.Item) dbus.ObjectPath {
	return dbus.ObjectPath("/org/ampdesk/track/" + pathElement(string(it.Type)) + "/" + pathElement(string(it.ID)))
}

func pathElement(s string) string {
	if s == "" {
		return "_"
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// metadata is the Metadata property of the current item (empty when there
// is none); art is a local image file or "".
func metadata(sn snapshot, art string) map[string]dbus.Variant {
	md := map[string]dbus.Variant{}
	if !sn.HasItem {
		return md
	}
	it := sn.Item
	md["mpris:trackid"] = dbus.MakeVariant(trackID(it))
	md["xesam:title"] = dbus.MakeVariant(it.Title)
	artists := []string{}
	if it.Song != nil {
		for _, a := range it.Song.Artists {
			if a.Name != "" {
				artists = append(artists, a.Name)
			}
		}
	}
	if len(artists) == 0 && it.Artist != "" {
		artists = append(artists, it.Artist)
	}
	if len(artists) > 0 {
		md["xesam:artist"] = dbus.MakeVariant(artists)
	}
	if it.Album != "" {
		md["xesam:album"] = dbus.MakeVariant(it.Album)
	}
	if s := it.Song; s != nil {
		if s.AlbumArtist.Name != "" {
			md["xesam:albumArtist"] = dbus.MakeVariant([]string{s.AlbumArtist.Name})
		}
		if s.Track > 0 {
			md["xesam:trackNumber"] = dbus.MakeVariant(int32(s.Track))
		}
		if s.Disc > 0 {
			md["xesam:discNumber"] = dbus.MakeVariant(int32(s.Disc))
		}
	}
	if sn.Duration > 0 {
		md["mpris:length"] = dbus.MakeVariant(micros(sn.Duration))
	}
	if art != "" {
		md["mpris:artUrl"] = dbus.MakeVariant((&url.URL{Scheme: "file", Path: art}).String())
	}
	return md
}
