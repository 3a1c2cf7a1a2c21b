package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/internal/redact"
	"github.com/ampdesk/ampdesk/storage"
)

// Download events. DownloadProgress may be dropped for a slow subscriber;
// DownloadDone is not.
type (
	// DownloadProgress: item Item of Items is downloading; Bytes of
	// TotalBytes (the whole set's, estimated from the objects' sizes) are
	// done.
	DownloadProgress struct {
		Kind              client.ObjectType // album, playlist, podcast_episode
		ID                client.ID
		Name              string
		Item, Items       int
		Bytes, TotalBytes int64
	}
	// DownloadDone: a download ended; Err is nil when every item is
	// offline now.
	DownloadDone struct {
		Kind client.ObjectType
		ID   client.ID
		Name string
		Err  error
	}
	// DownloadRemoved: a download was deleted.
	DownloadRemoved struct {
		Kind  client.ObjectType
		ID    client.ID
		Freed int64
	}
)

func (DownloadProgress) event()       {}
func (DownloadProgress) lowPriority() {}
func (DownloadDone) event()           {}
func (DownloadRemoved) event()        {}

// DownloadInfo describes something kept offline.
type DownloadInfo struct {
	Kind        client.ObjectType // album, playlist, podcast_episode
	ID          client.ID
	Name        string
	Items, Have int   // media files it holds, and how many are downloaded
	Bytes       int64 // size of the downloaded files
	Added       time.Time
}

// Complete reports whether every item is downloaded.
func (d DownloadInfo) Complete() bool { return d.Have == d.Items }

// ErrNoDownloads means the downloads folder could not be opened.
var ErrNoDownloads = errors.New("no downloads folder is open: connect a profile first")

// downloadItem is one media file of a set.
type downloadItem struct {
	key     storage.MediaKey
	typ     client.ObjectType
	id      client.ID
	size    int64 // expected, 0 when unknown
	format  string
	meta    storage.DownloadedFile
	episode bool
}

// Download makes an album, a playlist or a podcast episode available
// offline: each song or episode is downloaded in its original format
// (the server's download method) into the profile's downloads folder,
// checked for size, and then played from there (even with no server).
// What is already downloaded is kept, so calling it again finishes an
// interrupted download. It refuses with a *storage.SpaceError when the
// files would take the downloads past the offline storage limit of the
// settings. It runs on the caller's goroutine, publishing
// DownloadProgress and one DownloadDone.
func (c *Core) Download(ctx context.Context, typ client.ObjectType, id client.ID) (info DownloadInfo, err error) {
	name := ""
	defer func() {
		c.publish(DownloadDone{Kind: typ, ID: id, Name: name, Err: err})
	}()
	api, err := c.api()
	if err != nil {
		return DownloadInfo{}, err
	}
	dl, err := c.downloadFolder()
	if err != nil {
		return DownloadInfo{}, err
	}
	name, items, err := c.downloadItems(ctx, typ, id)
	if err != nil {
		return DownloadInfo{}, err
	}
	set := storage.DownloadSet{Kind: string(typ), ID: string(id), Name: name}
	var need, total int64
	for _, it := range items {
		set.Items = append(set.Items, it.key)
		total += it.size
		if _, _, ok := dl.File(it.key); !ok {
			need += it.size
		}
	}
	limit := int64(c.settings.Get().OfflineLimitMB) << 20
	if err := dl.CheckSpace(need, limit); err != nil {
		return DownloadInfo{}, err
	}
	if err := dl.PutSet(set); err != nil {
		return DownloadInfo{}, err
	}
	var done int64
	for i, it := range items {
		if _, rec, ok := dl.File(it.key); ok {
			done += rec.Size
			continue
		}
		c.publish(DownloadProgress{Kind: typ, ID: id, Name: name, Item: i + 1, Items: len(items), Bytes: done, TotalBytes: total})
		n, err := c.downloadOne(ctx, api, dl, it, func(n int64) {
			c.publish(DownloadProgress{Kind: typ, ID: id, Name: name, Item: i + 1, Items: len(items), Bytes: done + n, TotalBytes: total})
		})
		if err != nil {
			return c.downloadInfo(dl, set), fmt.Errorf("download %s %q: %w", it.typ, it.meta.Title, err)
		}
		done += n
	}
	c.publish(DownloadProgress{Kind: typ, ID: id, Name: name, Item: len(items), Items: len(items), Bytes: done, TotalBytes: max(total, done)})
	return c.downloadInfo(dl, set), nil
}

// downloadItems lists the media of a set.
func (c *Core) downloadItems(ctx context.Context, typ client.ObjectType, id client.ID) (string, []downloadItem, error) {
	switch typ {
	case client.TypeAlbum:
		album, songs, err := c.Album(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return album.Name, songItems(songs), nil
	case client.TypePlaylist:
		pl, songs, err := c.Playlist(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return pl.Name, songItems(songs), nil
	case client.TypeSong:
		s, err := c.Song(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return s.Title, songItems([]client.Song{*s}), nil
	case client.TypePodcastEpisode:
		e, err := c.Episode(ctx, id)
		if err != nil {
			return "", nil, err
		}
		return e.Title, []downloadItem{episodeItem(*e)}, nil
	}
	return "", nil, fmt.Errorf("a %s cannot be downloaded (albums, playlists, songs and podcast episodes can)", typ)
}

func songItems(songs []client.Song) []downloadItem {
	seen := map[client.ID]bool{}
	var out []downloadItem
	for _, s := range songs {
		if seen[s.ID] {
			continue // a playlist may hold a song twice
		}
		seen[s.ID] = true
		artist := s.Artist.Name
		if artist == "" {
			artist = s.AlbumArtist.Name
		}
		out = append(out, downloadItem{
			key: storage.MediaKey{Kind: string(client.TypeSong), ID: string(s.ID)}, typ: client.TypeSong, id: s.ID,
			size: int64(s.Size), format: s.Format,
			meta: storage.DownloadedFile{Format: s.Format, Title: s.Title, Artist: artist, Album: s.Album.Name, Seconds: int(s.Time)},
		})
	}
	return out
}

func episodeItem(e client.PodcastEpisode) downloadItem {
	format := strings.TrimPrefix(strings.ToLower(path.Ext(e.Filename)), ".")
	if format == "" {
		format = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(e.Mime), "audio/"), "x-")
	}
	return downloadItem{
		key: storage.MediaKey{Kind: string(client.TypePodcastEpisode), ID: string(e.ID)}, typ: client.TypePodcastEpisode,
		id: e.ID, size: int64(e.Size), format: format, episode: true,
		meta: storage.DownloadedFile{Format: format, Title: e.Title, Artist: e.Author, Album: e.Podcast.Name, Seconds: int(e.Time)},
	}
}

// downloadOne streams one file to a temporary file and commits it when
// its size checks out: the Content-Length, or else the object's size.
func (c *Core) downloadOne(ctx context.Context, api *client.Client, dl *storage.Downloads, it downloadItem, progress func(int64)) (int64, error) {
	u, err := api.Media.DownloadURL(it.id, it.typ, &client.DownloadOptions{NoStats: true})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, errors.New(redact.String(err.Error()))
	}
	resp, err := api.HTTPClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, &client.UnreachableError{URL: api.BaseURL(), Err: errors.New(redact.String(err.Error()))}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, &client.HTTPStatusError{StatusCode: resp.StatusCode, Status: resp.Status, URL: redact.URL(u)}
	}
	want := resp.ContentLength
	if want <= 0 {
		want = it.size
	}
	f, err := dl.Create(it.key, it.format)
	if err != nil {
		return 0, err
	}
	pr := &progressReader{r: resp.Body, report: progress, every: 256 << 10}
	if _, err := f.ReadFrom(pr); err != nil {
		f.Abort()
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("the download broke off after %d bytes: %w", f.Written(), err)
	}
	n := f.Written()
	if err := f.Commit(it.meta, want); err != nil {
		return 0, err
	}
	progress(n)
	return n, nil
}

// progressReader reports how much was read, every so many bytes.
type progressReader struct {
	r        io.Reader
	report   func(int64)
	every, n int64
	last     int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n-p.last >= p.every {
		p.last = p.n
		p.report(p.n)
	}
	return n, err
}

func (c *Core) downloadInfo(dl *storage.Downloads, s storage.DownloadSet) DownloadInfo {
	have, total := dl.Progress(s)
	info := DownloadInfo{Kind: client.ObjectType(s.Kind), ID: client.ID(s.ID), Name: s.Name, Items: total, Have: have, Added: s.Added}
	for _, k := range s.Items {
		if _, rec, ok := dl.File(k); ok {
			info.Bytes += rec.Size
		}
	}
	return info
}

// Downloads lists what is kept offline, oldest first.
func (c *Core) Downloads() ([]DownloadInfo, error) {
	dl, err := c.downloadFolder()
	if err != nil {
		return nil, err
	}
	sets := dl.Sets()
	out := make([]DownloadInfo, len(sets))
	for i, s := range sets {
		out[i] = c.downloadInfo(dl, s)
	}
	return out, nil
}

// DownloadState says whether an object is kept offline (as a set of its
// own), for a face's "available offline" mark.
func (c *Core) DownloadState(typ client.ObjectType, id client.ID) (DownloadInfo, bool) {
	dl := c.downloads()
	if dl == nil {
		return DownloadInfo{}, false
	}
	s, ok := dl.Set(string(typ), string(id))
	if !ok {
		return DownloadInfo{}, false
	}
	return c.downloadInfo(dl, s), true
}

// RemoveDownload deletes a download; files another download still holds
// stay. It returns the bytes freed.
func (c *Core) RemoveDownload(typ client.ObjectType, id client.ID) (int64, error) {
	dl, err := c.downloadFolder()
	if err != nil {
		return 0, err
	}
	if _, ok := dl.Set(string(typ), string(id)); !ok {
		return 0, fmt.Errorf("%s %s is not downloaded", typ, id)
	}
	freed, err := dl.RemoveSet(string(typ), string(id))
	if err == nil {
		c.publish(DownloadRemoved{Kind: typ, ID: id, Freed: freed})
	}
	return freed, err
}

// OfflineStorage returns the bytes the downloads use and the limit from
// the settings.
func (c *Core) OfflineStorage() (used, limit int64) {
	limit = int64(c.settings.Get().OfflineLimitMB) << 20
	if dl := c.downloads(); dl != nil {
		used = dl.Used()
	}
	return used, limit
}

// localFile is the downloaded file of a song or episode ("" if none).
func (c *Core) localFile(item Item) string {
	if item.Type != client.TypeSong && item.Type != client.TypePodcastEpisode {
		return ""
	}
	dl := c.downloads()
	if dl == nil {
		return ""
	}
	p, _, ok := dl.File(storage.MediaKey{Kind: string(item.Type), ID: string(item.ID)})
	if !ok {
		return ""
	}
	return p
}

// LocalItem sets an item to play from its downloaded file when there is
// one (PlayItems and Enqueue do this for every item); it reports whether
// it did.
func (c *Core) LocalItem(item *Item) bool {
	if item.localPath == "" {
		item.localPath = c.localFile(*item)
	}
	return item.localPath != ""
}

// DownloadedItems returns the items of a download in its order, each set
// to play from its file: what a face plays for "play offline", with or
// without the server. The library cache gives their details when it has
// them; else what the download recorded (title, artist, album, length).
// Items whose file is missing are left out.
func (c *Core) DownloadedItems(ctx context.Context, typ client.ObjectType, id client.ID) ([]Item, error) {
	dl, err := c.downloadFolder()
	if err != nil {
		return nil, err
	}
	set, ok := dl.Set(string(typ), string(id))
	if !ok {
		return nil, fmt.Errorf("%s %s is not downloaded", typ, id)
	}
	lib := c.library()
	items := make([]Item, 0, len(set.Items))
	for _, k := range set.Items {
		path, rec, ok := dl.File(k)
		if !ok {
			continue
		}
		item := Item{Type: client.ObjectType(k.Kind), ID: client.ID(k.ID), Title: rec.Title, Artist: rec.Artist,
			Album: rec.Album, Duration: time.Duration(rec.Seconds) * time.Second, Format: rec.Format}
		if lib != nil {
			if n, err := numID(item.ID); err == nil {
				switch item.Type {
				case client.TypeSong:
					if s, err := lib.Song(ctx, n); err == nil {
						item = SongItem(clientSong(s))
					}
				case client.TypePodcastEpisode:
					if e, err := lib.Episode(ctx, n); err == nil {
						item = EpisodeItem(clientEpisode(e))
					}
				}
			}
		}
		item.localPath = path
		items = append(items, item)
	}
	return items, nil
}
