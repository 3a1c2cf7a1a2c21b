package gui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// downloadTimeout bounds one album's or playlist's download.
const downloadTimeout = 30 * time.Minute

// offlineMenuItems offers to keep an album or playlist on this computer
// (to play with no server), or to remove it when it is kept.
func (e *env) offlineMenuItems(t target) []*fyne.MenuItem {
	if t.typ != client.TypeAlbum && t.typ != client.TypePlaylist {
		return nil
	}
	c := e.Core
	if info, ok := c.DownloadState(t.typ, t.id); ok {
		label := "Remove from this computer"
		if !info.Complete() {
			return []*fyne.MenuItem{
				{Label: "Finish the download", Icon: theme.DownloadIcon(), Action: func() { e.download(t) }},
				{Label: label, Icon: theme.DeleteIcon(), Action: func() { e.removeDownload(t) }},
			}
		}
		return []*fyne.MenuItem{{Label: label, Icon: theme.DeleteIcon(), Action: func() { e.removeDownload(t) }}}
	}
	return []*fyne.MenuItem{{Label: "Download for offline", Icon: theme.DownloadIcon(), Action: func() { e.download(t) }}}
}

// download keeps t on this computer, saying when it starts and ends.
func (e *env) download(t target) {
	c := e.Core
	name := t.name
	if name == "" {
		name = "it"
	}
	e.notify(fmt.Sprintf("Downloading “%s” for offline listening…", name))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), downloadTimeout)
		defer cancel()
		info, err := c.Download(ctx, t.typ, t.id)
		e.do(func() {
			if err != nil {
				e.notify(fmt.Sprintf("Could not download “%s”: %s", name, core.Explain(err)))
				return
			}
			e.notify(fmt.Sprintf("“%s” is available offline (%s, %s)", name, plural(info.Items, "file", "files"), sizeText(info.Bytes)))
		})
	}()
}

func (e *env) removeDownload(t target) {
	c := e.Core
	name := t.name
	e.goRun("", func(context.Context) error {
		freed, err := c.RemoveDownload(t.typ, t.id)
		if err == nil {
			e.do(func() { e.notify(fmt.Sprintf("Removed “%s” from this computer (%s freed)", name, sizeText(freed))) })
		}
		return err
	})
}

// sizeText is a byte count for people.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
