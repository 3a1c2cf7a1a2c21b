package core_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

func downloadEnv(t *testing.T) (*ampachetest.Server, *offEnv, *core.Core) {
	t.Helper()
	srv := offServer(t, "127.0.0.1:0")
	e := newOffEnv(t)
	c := e.core(t)
	loginHome(t, c, srv, false)
	return srv, e, c
}

func TestDownloadPlaylistEpisodeAndRemoval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, e, c := downloadEnv(t)
	events, stop := c.Subscribe()
	defer stop()

	// A playlist of the short test songs (one of them twice).
	pl, err := srv.AddPlaylist(srv.Admin.Username, "Tones", false, 1, 2, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	plID := client.ID(strings.TrimSpace(itoa(pl.ID)))
	info, err := c.Download(ctx, client.TypePlaylist, plID)
	if err != nil {
		t.Fatal(err)
	}
	if info.Items != 3 || info.Have != 3 || info.Name != "Tones" {
		t.Fatalf("playlist download %+v", info)
	}
	// Progress, in order, then DownloadDone.
	var progress []core.DownloadProgress
	for done := false; !done; {
		switch ev := (<-events).(type) {
		case core.DownloadProgress:
			progress = append(progress, ev)
		case core.DownloadDone:
			if ev.Err != nil || ev.ID != plID {
				t.Fatalf("done %+v", ev)
			}
			done = true
		}
	}
	if len(progress) < 3 || progress[len(progress)-1].Bytes != info.Bytes || progress[len(progress)-1].Item != 3 {
		t.Errorf("progress %+v, downloaded %d bytes", progress, info.Bytes)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i].Bytes < progress[i-1].Bytes {
			t.Errorf("progress went back: %+v", progress)
		}
	}

	// The files are the server's files, byte for byte in size.
	for _, id := range []int{1, 2, 5} {
		s, _ := srv.Song(id)
		path := filepath.Join(storage.DownloadsDir(e.dirs.Data, "home"), "song", itoa(id)+"."+s.Format)
		st, err := os.Stat(path)
		if err != nil || st.Size() != s.Size {
			t.Errorf("song %d: %v, size %d of %d", id, err, sizeOf(st), s.Size)
		}
	}

	// A (short) episode; then the album holding songs 1-8 shares three
	// files.
	ep, err := srv.AddEpisode(srv.Podcasts()[0].ID, "Short", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Download(ctx, client.TypePodcastEpisode, client.ID(itoa(ep.ID))); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	if _, err := c.Download(ctx, client.TypeAlbum, "1"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests("download"); n != 5 {
		t.Errorf("%d downloads for the album, want 5 (3 already there)", n)
	}
	list, err := c.Downloads()
	if err != nil || len(list) != 3 {
		t.Fatalf("downloads %v %+v", err, list)
	}
	used, limit := c.OfflineStorage()
	if used <= ep.Size || limit != 10240<<20 {
		t.Errorf("storage %d of %d", used, limit)
	}

	// Removing the playlist keeps the album's files.
	freed, err := c.RemoveDownload(client.TypePlaylist, plID)
	if err != nil || freed != 0 {
		t.Fatalf("remove playlist: freed %d, %v", freed, err)
	}
	freed, err = c.RemoveDownload(client.TypeAlbum, "1")
	if err != nil || freed == 0 {
		t.Fatalf("remove album: freed %d, %v", freed, err)
	}
	if used2, _ := c.OfflineStorage(); used2 != ep.Size {
		t.Errorf("after removals %d bytes used, want the episode's %d", used2, ep.Size)
	}
	if _, err := c.RemoveDownload(client.TypeAlbum, "1"); err == nil {
		t.Error("removing twice")
	}
	if _, err := c.Download(ctx, client.TypeArtist, "1"); err == nil {
		t.Error("downloaded an artist")
	}
}

func sizeOf(st os.FileInfo) int64 {
	if st == nil {
		return -1
	}
	return st.Size()
}

func itoa(n int) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}

// TestDownloadStorageLimit: a download that would pass the limit is
// refused with a plain message, and nothing is written.
func TestDownloadStorageLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, e, c := downloadEnv(t)
	if _, err := c.Settings().Update(func(s *storage.Settings) { s.OfflineLimitMB = 1 }); err != nil {
		t.Fatal(err)
	}
	// Episodes are tens of MB.
	ep := srv.Episodes(srv.Podcasts()[0].ID)[0]
	_, err := c.Download(ctx, client.TypePodcastEpisode, client.ID(itoa(ep.ID)))
	var se *storage.SpaceError
	if !errors.As(err, &se) || se.Limit != 1<<20 || se.Need != ep.Size {
		t.Fatalf("got %v", err)
	}
	msg := core.Explain(err)
	if !strings.Contains(msg, "not enough offline storage") || !strings.Contains(msg, "1.0 MB limit") {
		t.Errorf("message %q", msg)
	}
	if list, _ := c.Downloads(); len(list) != 0 {
		t.Errorf("recorded %+v", list)
	}
	if files, _ := filepath.Glob(filepath.Join(storage.DownloadsDir(e.dirs.Data, "home"), "*", "*")); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
	// The short songs fit.
	if _, err := c.Download(ctx, client.TypeSong, "1"); err != nil {
		t.Errorf("a small song: %v", err)
	}
}

// TestDownloadVerifiesSize: a download cut short is not kept, and saying
// so; trying again completes it.
func TestDownloadVerifiesSize(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _, c := downloadEnv(t)
	srv.CutStreams(1000, 1)
	_, err := c.Download(ctx, client.TypeSong, "4") // the wav tone, 500 KB
	if err == nil {
		t.Fatal("a cut download succeeded")
	}
	info, ok := c.DownloadState(client.TypeSong, "4")
	if !ok || info.Have != 0 {
		t.Fatalf("after the cut: %+v %v", info, ok)
	}
	info, err = c.Download(ctx, client.TypeSong, "4")
	if err != nil || !info.Complete() {
		t.Fatalf("retry: %v %+v", err, info)
	}
}

// TestPlayerPrefersTheDownloadedFile: online, a downloaded song plays
// from its file, with no stream request.
func TestPlayerPrefersTheDownloadedFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, e, c := downloadEnv(t)
	events, stop := c.Subscribe()
	defer stop()
	if _, err := c.Download(ctx, client.TypeSong, "2"); err != nil {
		t.Fatal(err)
	}
	s, err := c.Song(ctx, "2")
	if err != nil {
		t.Fatal(err)
	}
	item := core.SongItem(*s)
	if !c.LocalItem(&item) {
		t.Fatal("no local file for a downloaded song")
	}
	other := core.SongItem(client.Song{ID: "3", Title: "x"})
	if c.LocalItem(&other) {
		t.Fatal("a local file for a song not downloaded")
	}
	srv.ResetRequests()
	if err := c.PlaySongs([]client.Song{*s}, 0, false); err != nil {
		t.Fatal(err)
	}
	offWait(t, events, "QueueEnded", func(core.QueueEnded) bool { return true })
	if n := srv.Requests("play") + srv.Requests("stream"); n != 0 {
		t.Errorf("%d stream requests for a downloaded song", n)
	}
	if len(e.out.Samples()) < 3*44100*95/100 {
		t.Errorf("played %d frames", len(e.out.Samples()))
	}
}

// TestDownloadedEpisodePlaysWithoutServer: an episode downloaded, the
// server stopped, a new core offline plays it from the download's items
// (issue 5: playable with no server).
func TestDownloadedEpisodePlaysWithoutServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, e, c := downloadEnv(t)
	if _, err := c.Sync(ctx, core.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	ep, err := srv.AddEpisode(srv.Podcasts()[0].ID, "Tiny", 4*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	epID := client.ID(itoa(ep.ID))
	if _, err := c.Download(ctx, client.TypePodcastEpisode, epID); err != nil {
		t.Fatal(err)
	}
	c.Close(ctx)
	srv.Close()

	c2 := e.core(t)
	if _, err := c2.ConnectOrOffline(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	if _, off := c2.Offline(); !off {
		t.Fatal("not offline")
	}
	items, err := c2.DownloadedItems(ctx, client.TypePodcastEpisode, epID)
	if err != nil || len(items) != 1 || items[0].Title != "Tiny" || items[0].Duration != 4*time.Second {
		t.Fatalf("items %v %+v", err, items)
	}
	events, stop := c2.Subscribe()
	defer stop()
	if err := c2.PlayItems(items, 0, false, 0); err != nil {
		t.Fatal(err)
	}
	offWait(t, events, "QueueEnded", func(core.QueueEnded) bool { return true })
	// The episode's WAV is 11025 Hz mono: 4 s come out at 44.1 kHz.
	if n := len(e.out.Samples()); n < 4*44100*9/10 {
		t.Errorf("played %d frames", n)
	}
	if _, err := c2.DownloadedItems(ctx, client.TypeAlbum, "1"); err == nil {
		t.Error("items of something not downloaded")
	}
}
