package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// What can be done with playlists wherever they appear: open, rename,
// public or private, delete, add songs; and the quick mixes.

// openItem is the "Open" entry of a playlist's or podcast's menu (nil for
// other objects, whose pages their rows open).
func (e *env) openItem(t target) *fyne.MenuItem {
	switch t.typ {
	case client.TypePlaylist, client.TypeSearch:
		return &fyne.MenuItem{Label: "Open playlist", Icon: iconPlaylist, Action: func() { e.navigate(PlaylistRoute(t.id)) }}
	case client.TypePodcast:
		return &fyne.MenuItem{Label: "Open podcast", Icon: iconPodcast, Action: func() { e.navigate(PodcastRoute(t.id)) }}
	}
	return nil
}

// squareArt gives an entity row's art rounded corners instead of a circle
// (playlists, podcasts, stations).
func squareArt(r *entityRow) {
	if r.art == nil {
		return
	}
	r.art.round = 6
	r.art.bg.CornerRadius = 6
	r.art.img.CornerRadius = 6
}

// playlistMenu is a playlist's actions: play, add, rate, share, and for
// the user's own: rename, public/private, delete. changed runs after a
// change on the server.
func (e *env) playlistMenu(pl client.Playlist, me string, changed func()) *fyne.Menu {
	m := e.actionsMenu(playlistTarget(pl))
	if !playlistEditable(pl, me) {
		return m
	}
	vis := &fyne.MenuItem{Label: "Make public", Icon: iconPublic, Action: func() { e.setPlaylistPublic(pl, true, changed) }}
	if pl.Type == client.PlaylistPublic {
		vis = &fyne.MenuItem{Label: "Make private", Icon: iconLock, Action: func() { e.setPlaylistPublic(pl, false, changed) }}
	}
	m.Items = append(m.Items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Rename…", Icon: iconEdit, Action: func() { e.renamePlaylistDialog(pl, func(string) { changed() }) }},
		vis,
		&fyne.MenuItem{Label: "Delete…", Icon: theme.DeleteIcon(), Action: func() { e.deletePlaylistDialog(pl, changed) }},
	)
	return m
}

// newPlaylistDialog asks for a name (and public or private) and makes the
// playlist.
func (e *env) newPlaylistDialog(created func(*client.Playlist)) {
	name := newEntry(e)
	name.SetPlaceHolder("Playlist name")
	public := widget.NewCheck("Public (other users can see and play it)", nil)
	var dlg *dialog.FormDialog
	dlg = dialog.NewForm("New playlist", "Create", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("", public)}, func(ok bool) {
			n := strings.TrimSpace(name.Text)
			if !ok || n == "" {
				return
			}
			c, pub := e.Core, public.Checked
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
				defer cancel()
				pl, err := c.CreatePlaylist(ctx, n, pub)
				e.do(func() {
					if err != nil {
						e.notify("Could not make the playlist: " + core.Explain(err))
						return
					}
					e.notify(fmt.Sprintf("Made the playlist “%s”", n))
					if created != nil {
						created(pl)
					}
				})
			}()
		}, e.Window)
	name.OnSubmitted = func(string) { dlg.Submit() }
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("give the playlist a name")
		}
		return nil
	}
	dlg.Resize(fyne.NewSize(440, 0))
	dlg.Show()
	e.Window.Canvas().Focus(name)
}

// renamePlaylistDialog asks for a new name.
func (e *env) renamePlaylistDialog(pl client.Playlist, renamed func(string)) {
	name := newEntry(e)
	name.SetText(pl.Name)
	var dlg *dialog.FormDialog
	dlg = dialog.NewForm("Rename playlist", "Rename", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
			n := strings.TrimSpace(name.Text)
			if !ok || n == "" || n == pl.Name {
				return
			}
			c := e.Core
			e.goRunThen(fmt.Sprintf("Renamed “%s” to “%s”", pl.Name, n), func(ctx context.Context) error {
				return c.RenamePlaylist(ctx, pl.ID, n)
			}, func() { renamed(n) })
		}, e.Window)
	name.OnSubmitted = func(string) { dlg.Submit() }
	dlg.Resize(fyne.NewSize(440, 0))
	dlg.Show()
	e.Window.Canvas().Focus(name)
}

// deletePlaylistDialog asks before deleting a playlist on the server.
func (e *env) deletePlaylistDialog(pl client.Playlist, deleted func()) {
	msg := fmt.Sprintf("“%s” will be deleted from the server, for every device. The songs stay in the library.", pl.Name)
	confirm := dialog.NewConfirm("Delete this playlist?", msg, func(ok bool) {
		if !ok {
			return
		}
		c := e.Core
		e.goRunThen(fmt.Sprintf("Deleted the playlist “%s”", pl.Name), func(ctx context.Context) error {
			return c.DeletePlaylist(ctx, pl.ID)
		}, deleted)
	}, e.Window)
	confirm.SetConfirmText("Delete")
	confirm.SetConfirmImportance(widget.DangerImportance)
	confirm.Show()
}

func (e *env) setPlaylistPublic(pl client.Playlist, public bool, changed func()) {
	c := e.Core
	msg := fmt.Sprintf("“%s” is now private", pl.Name)
	if public {
		msg = fmt.Sprintf("“%s” is now public", pl.Name)
	}
	e.goRunThen(msg, func(ctx context.Context) error { return c.SetPlaylistPublic(ctx, pl.ID, public) }, changed)
}

// goRunThen is goRun with a follow-up on the UI goroutine after success.
func (e *env) goRunThen(ok string, action func(context.Context) error, then func()) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		err := action(ctx)
		e.do(func() {
			if err != nil {
				e.notify(core.Explain(err))
				return
			}
			if ok != "" {
				e.notify(ok)
			}
			if then != nil {
				then()
			}
		})
	}()
}

// quickMixes are the mixes playlist_generate makes.
var quickMixes = []struct {
	mode  client.GenerateMode
	label string
	icon  fyne.Resource
}{
	{client.GenerateRandom, "Random", iconShuffle},
	{client.GenerateRecent, "Recently played", iconHistory},
	{client.GenerateForgotten, "Forgotten", iconForgotten},
	{client.GenerateUnplayed, "Never played", iconExplore},
}

// quickMixSize is the number of songs a quick mix asks for.
const quickMixSize = 100

// quickMix asks the server for a mix (within an artist or album when opts
// says so) and plays it; within names the artist or album for the notice.
func (e *env) quickMix(mode client.GenerateMode, opts client.GenerateOptions, within string) {
	opts.Mode = mode
	if opts.Limit == 0 {
		opts.Limit = quickMixSize
	}
	label := strings.ToLower(string(mode))
	for _, m := range quickMixes {
		if m.mode == mode {
			label = strings.ToLower(m.label)
		}
	}
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		songs, err := c.GeneratePlaylist(ctx, &opts)
		if err == nil && len(songs) > 0 {
			err = c.PlayItems(core.SongItems(songs), 0, false, 0)
		}
		e.do(func() {
			switch {
			case err != nil:
				e.notify(core.Explain(err))
			case len(songs) == 0:
				e.notify(fmt.Sprintf("No songs fit a “%s” mix%s.", label, inName(within)))
			default:
				e.notify(fmt.Sprintf("Playing a “%s” mix of %s%s", label, plural(len(songs), "song", "songs"), inName(within)))
			}
		})
	}()
}

func inName(within string) string {
	if within == "" {
		return ""
	}
	return " from " + within
}

// quickMixMenu is the "Quick mix" submenu of an artist or album.
func (e *env) quickMixMenu(t target) *fyne.MenuItem {
	sub := fyne.NewMenu("")
	for _, m := range quickMixes {
		opts := client.GenerateOptions{}
		if t.typ == client.TypeAlbum {
			opts.Album = t.id
		} else {
			opts.Artist = t.id
		}
		sub.Items = append(sub.Items, &fyne.MenuItem{Label: m.label, Icon: m.icon, Action: func() { e.quickMix(m.mode, opts, "“"+t.name+"”") }})
	}
	return &fyne.MenuItem{Label: "Quick mix", Icon: iconShuffle, ChildMenu: sub}
}

// addToPlaylistThen runs an addition to the playlist called name and says
// what it did: how many songs went in, how many were already there.
func (e *env) addToPlaylistThen(name string, add func(context.Context) (core.PlaylistAddResult, error)) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		res, err := add(ctx)
		e.do(func() {
			switch {
			case err != nil:
				e.notify(core.Explain(err))
			case res.Added == 0 && res.Skipped > 0:
				e.notify(fmt.Sprintf("“%s” already holds %s", name, pluralThem(res.Skipped)))
			case res.Skipped > 0:
				e.notify(fmt.Sprintf("Added %s to “%s” (%s already there)", plural(res.Added, "song", "songs"), name, plural(res.Skipped, "was", "were")))
			default:
				e.notify(fmt.Sprintf("Added %s to “%s”", plural(res.Added, "song", "songs"), name))
			}
		})
	}()
}

func pluralThem(n int) string {
	if n == 1 {
		return "this song"
	}
	return fmt.Sprintf("these %d songs", n)
}
