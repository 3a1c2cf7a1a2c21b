package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// target is what an action applies to: a song, album, artist, playlist,
// genre or podcast, wherever it appears.
type target struct {
	typ  client.ObjectType
	id   client.ID
	name string
	// songs, when known (an album page), spare a request.
	songs  []client.Song
	rating int
	flag   bool
	// onRated and onFlagged let the view update what it shows.
	onRated   func(int)
	onFlagged func(bool)
}

func songTarget(s client.Song) target {
	return target{typ: client.TypeSong, id: s.ID, name: s.Title, songs: []client.Song{s}, rating: ratingOf(s.Rating), flag: bool(s.Flag)}
}

func albumTarget(a client.Album) target {
	return target{typ: client.TypeAlbum, id: a.ID, name: a.Name, rating: ratingOf(a.Rating), flag: bool(a.Flag)}
}

func artistTarget(a client.Artist) target {
	return target{typ: client.TypeArtist, id: a.ID, name: a.Name, rating: ratingOf(a.Rating), flag: bool(a.Flag)}
}

func playlistTarget(p client.Playlist) target {
	typ := client.TypePlaylist
	return target{typ: typ, id: p.ID, name: p.Name, rating: ratingOf(p.Rating), flag: bool(p.Flag)}
}

func genreTarget(g client.Genre) target {
	return target{typ: client.TypeGenre, id: g.ID, name: g.Name}
}

func ratingOf(r *client.Int) int {
	if r == nil {
		return 0
	}
	return int(*r)
}

// playable reports whether the target has songs to play.
func (t target) playable() bool {
	switch t.typ {
	case client.TypeSong, client.TypeAlbum, client.TypeArtist, client.TypePlaylist, client.TypeSearch, client.TypeGenre:
		return true
	}
	return false
}

// rateable reports whether the server rates and flags this kind of object.
func (t target) rateable() bool {
	switch t.typ {
	case client.TypeSong, client.TypeAlbum, client.TypeArtist, client.TypePlaylist, client.TypePodcast, client.TypePodcastEpisode:
		return true
	}
	return false
}

// playMode says how songs go into the queue.
type playMode int

const (
	playNow playMode = iota
	playShuffled
	playNext
	playLast
)

// actionsMenu lists what can be done with t.
func (e *env) actionsMenu(t target) *fyne.Menu {
	var items []*fyne.MenuItem
	if open := e.openItem(t); open != nil {
		items = append(items, open, fyne.NewMenuItemSeparator())
	}
	if t.playable() {
		items = append(items,
			&fyne.MenuItem{Label: "Play", Icon: theme.MediaPlayIcon(), Action: func() { e.play(t, playNow) }},
			&fyne.MenuItem{Label: "Play next", Icon: iconPlayNext, Action: func() { e.play(t, playNext) }},
			&fyne.MenuItem{Label: "Add to queue", Icon: iconQueue, Action: func() { e.play(t, playLast) }},
		)
		if t.typ != client.TypeSong {
			items = append(items, &fyne.MenuItem{Label: "Shuffle", Icon: iconShuffle, Action: func() { e.play(t, playShuffled) }})
		}
		if t.typ == client.TypeArtist || t.typ == client.TypeAlbum {
			items = append(items, e.quickMixMenu(t))
		}
		items = append(items, fyne.NewMenuItemSeparator(),
			&fyne.MenuItem{Label: "Add to playlist…", Icon: iconPlaylistAdd, Action: func() { e.choosePlaylist(t) }})
		items = append(items, e.offlineMenuItems(t)...)
	}
	if remote := e.remoteMenuItems(t); len(remote) > 0 {
		items = append(items, remote...)
	}
	if t.rateable() {
		rate := &fyne.MenuItem{Label: "Rate", Icon: iconStar, ChildMenu: fyne.NewMenu("")}
		for n := 0; n <= 5; n++ {
			label := "No rating"
			if n > 0 {
				label = strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
			}
			rate.ChildMenu.Items = append(rate.ChildMenu.Items,
				&fyne.MenuItem{Label: label, Checked: n == t.rating, Action: func() { e.rate(t, n) }})
		}
		fav := &fyne.MenuItem{Label: "Add to favourites", Icon: iconHeartOutline, Action: func() { e.favourite(t, true) }}
		if t.flag {
			fav = &fyne.MenuItem{Label: "Remove from favourites", Icon: iconHeart, Action: func() { e.favourite(t, false) }}
		}
		items = append(items, rate, fav)
	}
	if shareable(t.typ) {
		items = append(items, fyne.NewMenuItemSeparator(),
			&fyne.MenuItem{Label: "Share…", Icon: iconShare, Action: func() { e.shareDialog(t) }})
	}
	return fyne.NewMenu("", items...)
}

// showActions opens t's menu at an absolute position.
func (e *env) showActions(t target, pos fyne.Position) {
	widget.ShowPopUpMenuAtPosition(e.actionsMenu(t), e.Window.Canvas(), pos)
}

// play puts t's songs into the queue as mode says.
func (e *env) play(t target, mode playMode) {
	c := e.Core
	e.goRun("", func(ctx context.Context) error {
		songs := t.songs
		if len(songs) == 0 {
			var err error
			if songs, err = c.SongsOf(ctx, t.typ, t.id); err != nil {
				return err
			}
		}
		if len(songs) == 0 {
			return core.ErrEmptyPlaylist
		}
		items := core.SongItems(songs)
		var err error
		switch mode {
		case playNow:
			err = c.PlayItems(items, 0, false, 0)
		case playShuffled:
			err = c.PlayItems(items, 0, true, 0)
		case playNext:
			err = c.Enqueue(true, items...)
		case playLast:
			err = c.Enqueue(false, items...)
		}
		if err == nil && (mode == playNext || mode == playLast) {
			e.do(func() { e.notify(fmt.Sprintf("Added %s to the queue", plural(len(items), "song", "songs"))) })
		}
		return err
	})
}

// playSongs replaces the queue with songs and plays songs[start].
func (e *env) playSongs(songs []client.Song, start int) {
	c := e.Core
	e.goRun("", func(context.Context) error { return c.PlayItems(core.SongItems(songs), start, false, 0) })
}

func (e *env) rate(t target, n int) {
	if t.onRated != nil {
		t.onRated(n)
	}
	c := e.Core
	msg := fmt.Sprintf("Rated “%s” %s", t.name, plural(n, "star", "stars"))
	if n == 0 {
		msg = fmt.Sprintf("Removed the rating of “%s”", t.name)
	}
	e.goRun(msg, func(ctx context.Context) error { return c.Rate(ctx, t.typ, t.id, n) })
}

func (e *env) favourite(t target, on bool) {
	if t.onFlagged != nil {
		t.onFlagged(on)
	}
	c := e.Core
	msg := fmt.Sprintf("Added “%s” to your favourites", t.name)
	if !on {
		msg = fmt.Sprintf("Removed “%s” from your favourites", t.name)
	}
	e.goRun(msg, func(ctx context.Context) error { return c.Flag(ctx, t.typ, t.id, on) })
}

// choosePlaylist asks which playlist to add t to, or makes a new one;
// songs already in the playlist are skipped unless the user says not to.
func (e *env) choosePlaylist(t target) {
	e.pickPlaylist(fmt.Sprintf("Add “%s” to", t.name), func(ctx context.Context, pl client.ID, skip bool) (core.PlaylistAddResult, error) {
		typ, ids := t.typ, []client.ID{t.id}
		if t.typ == client.TypeSong && len(t.songs) > 0 {
			ids = ids[:0]
			for _, s := range t.songs {
				ids = append(ids, s.ID)
			}
		}
		return e.Core.AddSongsToPlaylist(ctx, pl, typ, ids, skip)
	})
}

// pickPlaylist shows the user's playlists (the editable ones) and a field
// to make a new one; add runs with the chosen playlist's id.
func (e *env) pickPlaylist(title string, add func(ctx context.Context, pl client.ID, skipDuplicates bool) (core.PlaylistAddResult, error)) {
	var playlists []client.Playlist
	status := mutedText("Loading playlists…")
	var dlg dialog.Dialog
	list := widget.NewList(
		func() int { return len(playlists) },
		func() fyne.CanvasObject { return truncLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			p := playlists[id]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  ·  %s", p.Name, plural(int(p.Items), "song", "songs")))
		})
	skip := widget.NewCheck("Skip songs already in the playlist", nil)
	skip.SetChecked(true)
	choose := func(p client.Playlist) {
		dlg.Hide()
		e.addToPlaylistThen(p.Name, func(ctx context.Context) (core.PlaylistAddResult, error) { return add(ctx, p.ID, skip.Checked) })
	}
	list.OnSelected = func(id widget.ListItemID) { choose(playlists[id]) }
	name := newEntry(e)
	name.SetPlaceHolder("New playlist name")
	create := widget.NewButtonWithIcon("Create", theme.ContentAddIcon(), nil)
	create.OnTapped = func() {
		n := strings.TrimSpace(name.Text)
		if n == "" {
			return
		}
		dlg.Hide()
		c := e.Core
		e.addToPlaylistThen(n, func(ctx context.Context) (core.PlaylistAddResult, error) {
			pl, err := c.CreatePlaylist(ctx, n, false)
			if err != nil {
				return core.PlaylistAddResult{}, err
			}
			return add(ctx, pl.ID, false)
		})
	}
	name.OnSubmitted = func(string) { create.OnTapped() }
	content := container.NewBorder(status, container.NewVBox(skip, container.NewBorder(nil, nil, nil, create, name)), nil, nil, list)
	dlg = dialog.NewCustom(title, "Cancel", content, e.Window)
	dlg.Resize(fyne.NewSize(420, 440))
	dlg.Show()

	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
		defer cancel()
		all, err := c.Playlists(ctx)
		e.do(func() {
			if err != nil {
				setText(status, core.Explain(err))
				return
			}
			playlists = playlists[:0]
			for _, p := range all {
				if !p.Smart {
					playlists = append(playlists, p)
				}
			}
			if len(playlists) == 0 {
				setText(status, "No playlists yet: name a new one below.")
			} else {
				setText(status, "Choose a playlist, or name a new one below.")
			}
			list.Refresh()
		})
	}()
}
