package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keyboard: space plays/pauses (not while typing), Ctrl+F searches,
// Ctrl+→/← go to the next/previous track, Ctrl+Q quits, Alt+←/→ go
// back/forward; arrows and Enter work in lists and grids (keyList,
// keyGrid).

var (
	shortcutSearch   = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutQuit     = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNext     = &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutPrevious = &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutBack     = &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}
	shortcutForward  = &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}
)

// shortcuts maps the window's shortcuts to what they do.
func (s *Shell) shortcuts() map[*desktop.CustomShortcut]func() {
	return map[*desktop.CustomShortcut]func(){
		shortcutSearch:   s.focusSearch,
		shortcutQuit:     s.env.App.Quit,
		shortcutNext:     s.bar.next,
		shortcutPrevious: s.bar.previous,
		shortcutBack:     s.Back,
		shortcutForward:  s.Forward,
	}
}

// installKeys registers the window's shortcuts and the space key.
func (s *Shell) installKeys() {
	c := s.env.Window.Canvas()
	for sc, run := range s.shortcuts() {
		c.AddShortcut(sc, func(fyne.Shortcut) { run() })
	}
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeySpace {
			s.bar.playPause()
		}
	})
}

// runShortcut runs the window shortcut sc stands for, if any.
func (s *Shell) runShortcut(sc fyne.Shortcut) bool {
	for k, run := range s.shortcuts() {
		if k.ShortcutName() == sc.ShortcutName() {
			run()
			return true
		}
	}
	return false
}

// entryShortcut runs the window shortcuts that must work while typing
// (Ctrl+F, Ctrl+Q); the others keep their meaning in an entry.
func (s *Shell) entryShortcut(sc *desktop.CustomShortcut) bool {
	switch sc.ShortcutName() {
	case shortcutSearch.ShortcutName():
		s.focusSearch()
	case shortcutQuit.ShortcutName():
		s.env.App.Quit()
	default:
		return false
	}
	return true
}

// entry is a text field that lets the window's Ctrl+F and Ctrl+Q through
// (a focused Fyne entry keeps every shortcut otherwise).
type entry struct {
	widget.Entry
	env *env
}

func newEntry(e *env) *entry {
	x := &entry{env: e}
	x.ExtendBaseWidget(x)
	return x
}

func newPasswordEntry(e *env) *entry {
	x := newEntry(e)
	x.Password = true
	return x
}

func (x *entry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && x.env.shell != nil && x.env.shell.entryShortcut(cs) {
		return
	}
	x.Entry.TypedShortcut(sc)
}
