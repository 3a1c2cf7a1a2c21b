package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/ampdesk/ampdesk/storage"
)

func TestSettingsPersistAcrossRestarts(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	page := h.navigate(Route{Page: PageSettings}).(*settingsPage)
	h.ui(func() {
		page.theme.SetSelected("Dark")
		page.quality.SetSelected("Convert on the server")
		page.bitrate.SetSelected("192 kbit/s")
		page.format.SetSelected("ogg")
		page.gain.SetSelected("Album")
		page.crossfade.SetValue(3)
		page.crossfade.OnChangeEnded(3)
		page.cache.SetSelected("500 MB")
	})
	want := func(s storage.Settings) bool {
		return s.Theme == "dark" && s.StreamFormat == "transcode" && s.MaxBitrateKbps == 192 &&
			s.TranscodeFormat == "ogg" && s.ReplayGain == "album" && s.CrossfadeSeconds == 3 && s.ArtCacheMB == 500
	}
	h.waitFor("the settings saved", func() bool { return want(h.core.Settings().Get()) })
	h.ui(func() {
		// The theme applies at once.
		if th, ok := h.app.Settings().Theme().(appTheme); !ok || !th.forced || th.variant != theme.VariantDark {
			t.Errorf("app theme %#v, want Ampdesk's dark theme", h.app.Settings().Theme())
		}
		want := themeFor("dark").Color(colorNameSidebar, theme.VariantLight)
		if h.shell.sideBg.FillColor != want {
			t.Errorf("sidebar colour %v after the switch to dark, want %v", h.shell.sideBg.FillColor, want)
		}
		if got := textOf(page.usage); got == "" {
			t.Error("no art cache usage shown")
		}
	})

	// A new process: a new core over the same folders.
	c2 := h.newCore()
	if s := c2.Settings().Get(); !want(s) {
		t.Fatalf("after a restart the settings are %+v", s)
	}
	e2 := *h.shell.env
	e2.Deps.Core = c2
	var p2 *settingsPage
	h.ui(func() { p2 = newSettingsPage(&e2) })
	h.ui(func() {
		got := []string{p2.theme.Selected, p2.quality.Selected, p2.bitrate.Selected, p2.format.Selected, p2.gain.Selected, p2.cache.Selected}
		want := []string{"Dark", "Convert on the server", "192 kbit/s", "ogg", "Album", "500 MB"}
		if !slices.Equal(got, want) {
			t.Errorf("the settings page after a restart shows %q, want %q", got, want)
		}
		if p2.crossfade.Value != 3 || p2.fadeLabel.Text != "3.0 s" {
			t.Errorf("crossfade shows %v (%q)", p2.crossfade.Value, p2.fadeLabel.Text)
		}
	})
}

func TestSettingsListsProfilesAndSwitches(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	// Two saved profiles: the user account, then the admin one (default
	// is the first saved).
	for _, acct := range []struct{ name, user, pass string }{
		{"Home", h.srv.User.Username, h.srv.User.Password},
		{"Admin", h.srv.Admin.Username, h.srv.Admin.Password},
	} {
		f := func() *loginForm {
			var f *loginForm
			h.ui(func() { f = h.shell.showLogin(storage.Profile{}, "") })
			return f
		}()
		h.fillLogin(f, h.srv.URL, acct.user, acct.pass)
		h.ui(func() {
			test.Type(f.name, acct.name)
			test.Tap(f.login)
		})
		h.waitFor("connected to "+acct.name, func() bool {
			p, _, ok := h.core.Connection()
			return ok && p.Name == acct.name
		})
	}
	page := h.navigate(Route{Page: PageSettings}).(*settingsPage)
	h.ui(func() {
		if n := len(page.profiles.Objects); n != 2 {
			t.Fatalf("%d profile rows, want 2", n)
		}
	})
	// Switch to Home from the sidebar's profile menu path (connect).
	h.ui(func() { h.shell.connect(storage.Profile{Name: "Home"}) })
	h.waitFor("the switch to Home", func() bool {
		p, info, ok := h.core.Connection()
		return ok && p.Name == "Home" && info.User == h.srv.User.Username && h.shell.profile.Text == "Home"
	})
	h.waitFor("the library of the new profile", func() bool {
		_, ok := h.shell.current.(*albumsPage)
		return ok
	})
}
