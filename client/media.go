package client

import (
	"fmt"
	"net/url"
	"strconv"
)

// MediaService builds the URLs of the binary methods: stream, download
// and get_art. It makes no request; the URLs are fetched by whoever plays
// or shows them (they answer with media, or with an HTTP error status).
//
// Every URL carries the current session token in auth=: it is a secret.
// Pass it through internal/redact (redact.URL) before it reaches a log or
// an error message, never store it, and build a new one after the session
// is renewed: the old one stops working when its session ends.
type MediaService service

// StreamOptions are the parameters of StreamURL.
type StreamOptions struct {
	Format  string `url:"format,omitempty"`  // "mp3", "ogg", "raw" (the original file) ...; default the server's rules
	Bitrate int    `url:"bitrate,omitempty"` // maximum bitrate of a transcode, bits per second
	Offset  int    `url:"offset,omitempty"`  // start this many seconds in (transcoded streams)
	Length  bool   `url:"length,omitempty"`  // ask for an estimated Content-Length
	NoStats bool   `url:"-"`                 // do not record a play (stats=0)
}

func (o *StreamOptions) appendQuery(v url.Values) error {
	if o.NoStats {
		v.Set("stats", "0")
	}
	return nil
}

// DownloadOptions are the parameters of DownloadURL. A download is not
// counted as a play.
type DownloadOptions struct {
	Format  string `url:"format,omitempty"` // "raw" for the original file
	Bitrate int    `url:"bitrate,omitempty"`
	NoStats bool   `url:"-"`
}

func (o *DownloadOptions) appendQuery(v url.Values) error {
	if o.NoStats {
		v.Set("stats", "0")
	}
	return nil
}

// ArtOptions are the parameters of ArtURL.
type ArtOptions struct {
	Width, Height int `url:"-"` // size wanted; 0 for the stored size
}

func (o *ArtOptions) appendQuery(v url.Values) error {
	if o.Width > 0 || o.Height > 0 {
		w, h := o.Width, o.Height
		if w <= 0 {
			w = h
		}
		if h <= 0 {
			h = w
		}
		v.Set("size", strconv.Itoa(w)+"x"+strconv.Itoa(h))
	}
	return nil
}

// StreamURL returns the URL that streams a song or podcast episode (typ
// TypeSong, TypePodcastEpisode; TypePlaylist and TypeSearch stream one
// random item). Raw streams support HTTP Range; transcoded ones seek with
// Offset.
func (s *MediaService) StreamURL(id ID, typ ObjectType, opts *StreamOptions) (string, error) {
	return s.client.binaryURL("stream", id, typ, opts)
}

// DownloadURL returns the URL that downloads a song or episode.
func (s *MediaService) DownloadURL(id ID, typ ObjectType, opts *DownloadOptions) (string, error) {
	return s.client.binaryURL("download", id, typ, opts)
}

// ArtURL returns the URL of an object's art (typ TypeSong, TypeAlbum,
// TypeArtist, TypePlaylist, TypeSearch or TypePodcast).
func (s *MediaService) ArtURL(id ID, typ ObjectType, opts *ArtOptions) (string, error) {
	return s.client.binaryURL("get_art", id, typ, opts)
}

// binaryURL builds the URL of a binary method with the session token.
func (c *Client) binaryURL(action string, id ID, typ ObjectType, opts any) (string, error) {
	token := c.token()
	if token == "" {
		return "", wrapErr(action, ErrNotLoggedIn)
	}
	if id == "" || typ == "" {
		return "", wrapErr(action, fmt.Errorf("an id and a type are needed"))
	}
	q, err := encodeQuery(opts)
	if err != nil {
		return "", wrapErr(action, err)
	}
	q.Set("action", action)
	q.Set("auth", token)
	// id for every server, filter for Ampache 7.9+ where id is deprecated.
	q.Set("id", string(id))
	q.Set("filter", string(id))
	q.Set("type", string(typ))
	return c.endpoint + "?" + q.Encode(), nil
}
