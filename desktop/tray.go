package desktop

import (
	"context"
	"sync"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	fynedesktop "fyne.io/fyne/v2/driver/desktop"

	"github.com/ampdesk/ampdesk/assets"
	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
)

// Labels of the tray menu.
const (
	labelNothing   = "Nothing playing"
	labelPlay      = "Play"
	labelPause     = "Pause"
	labelNext      = "Next"
	labelPrevious  = "Previous"
	labelShow      = "Show window"
	labelHide      = "Hide window"
	labelLocalplay = "Localplay"
	labelLPToggle  = "Play/Pause"
	labelQuit      = "Quit"
)

// tray keeps the system tray's menu in step with the player.
type tray struct {
	s   *Services
	app fynedesktop.App
	// menu is the one menu handed to Fyne, its items replaced on the UI
	// goroutine: Fyne's tray, once its D-Bus side is ready, shows again
	// the menu it was first given, so that must stay the current one.
	menu *fyne.Menu

	mu   sync.Mutex
	last trayModel
	set  bool
}

// trayModel is what the menu shows; the menu is rebuilt when it changes.
type trayModel struct {
	nowPlaying string
	playing    bool
	visible    bool
}

// newTray sets the tray icon and menu; nil when the app's driver has no
// system tray (the headless test driver, mobile).
func newTray(s *Services) *tray {
	da, ok := s.deps.App.(fynedesktop.App)
	if !ok {
		s.log.Info("this app has no system tray")
		return nil
	}
	t := &tray{s: s, app: da, menu: fyne.NewMenu("Ampdesk")}
	t.update()
	// After the menu: on macOS the icon needs the menu set first.
	icon := fyne.NewStaticResource("ampdesk.png", assets.IconPNG)
	fyne.Do(func() { da.SetSystemTrayIcon(icon) })
	return t
}

// update rebuilds the menu if what it shows changed. Any goroutine.
func (t *tray) update() {
	if t == nil {
		return
	}
	sn := t.s.snapshot()
	m := trayModel{nowPlaying: nowPlaying(sn), playing: sn.playing(), visible: t.s.visible.Load()}
	t.mu.Lock()
	if t.set && m == t.last {
		t.mu.Unlock()
		return
	}
	t.last, t.set = m, true
	t.mu.Unlock()
	fyne.Do(func() {
		// The newest model wins, whichever update queued this.
		t.mu.Lock()
		m := t.last
		t.mu.Unlock()
		t.menu.Items = t.items(m)
		t.app.SetSystemTrayMenu(t.menu)
	})
}

// items builds the tray menu's items. The last is marked IsQuit, so Fyne
// does not add a second Quit.
func (t *tray) items(m trayModel) []*fyne.MenuItem {
	s := t.s
	current := fyne.NewMenuItem(m.nowPlaying, nil)
	current.Disabled = true
	toggle := labelPlay
	if m.playing {
		toggle = labelPause
	}
	items := []*fyne.MenuItem{
		current,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(toggle, s.playPause),
		fyne.NewMenuItem(labelNext, s.next),
		fyne.NewMenuItem(labelPrevious, s.previous),
		fyne.NewMenuItemSeparator(),
	}
	if s.deps.Show != nil && s.deps.Hide != nil {
		if m.visible {
			items = append(items, fyne.NewMenuItem(labelHide, s.hideWindow))
		} else {
			items = append(items, fyne.NewMenuItem(labelShow, s.ShowWindow))
		}
	}
	lp := fyne.NewMenuItem(labelLocalplay, nil)
	lp.ChildMenu = fyne.NewMenu(labelLocalplay,
		fyne.NewMenuItem(labelLPToggle, func() { s.localplay(localplayToggle) }),
		fyne.NewMenuItem(labelNext, func() { s.localplay(localplayCommand(client.LocalplayCmdNext)) }),
		fyne.NewMenuItem(labelPrevious, func() { s.localplay(localplayCommand(client.LocalplayCmdPrev)) }),
	)
	quit := fyne.NewMenuItem(labelQuit, s.deps.Quit)
	quit.IsQuit = true
	return append(items, lp, fyne.NewMenuItemSeparator(), quit)
}

// nowPlaying is the first, disabled line of the menu.
func nowPlaying(sn snapshot) string {
	if !sn.HasItem || sn.Item.Title == "" {
		return labelNothing
	}
	s := sn.Item.Title
	if sn.Item.Artist != "" {
		s += " — " + sn.Item.Artist
	}
	const maxRunes = 60
	if utf8.RuneCountInString(s) > maxRunes {
		r := []rune(s)
		s = string(r[:maxRunes-1]) + "…"
	}
	return s
}

// localplayTimeout bounds one localplay command from the tray.
const localplayTimeout = 15 * time.Second

// localplay runs a command on the server's player off the UI goroutine;
// a failure is shown as a notification in plain words.
func (s *Services) localplay(run func(ctx context.Context, c *core.Core) error) {
	go func() {
		ctx, cancel := context.WithTimeout(s.ctx, localplayTimeout)
		defer cancel()
		if err := run(ctx, s.core); err != nil && s.ctx.Err() == nil {
			s.log.Info("localplay command failed", "err", err)
			s.notes.send("Localplay", core.Explain(err))
		}
	}()
}

func localplayCommand(cmd client.LocalplayCommand) func(context.Context, *core.Core) error {
	return func(ctx context.Context, c *core.Core) error { return c.LocalplayCommand(ctx, cmd) }
}

// localplayToggle pauses the server's player when it plays, else plays.
func localplayToggle(ctx context.Context, c *core.Core) error {
	st, err := c.LocalplayStatus(ctx)
	if err != nil {
		return err
	}
	cmd := client.LocalplayCmdPlay
	if st.State == "play" {
		cmd = client.LocalplayCmdPause
	}
	return c.LocalplayCommand(ctx, cmd)
}
