package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's theme with Ampdesk's accent and, when the user chose
// one, a fixed light or dark variant.
type appTheme struct {
	forced  bool
	variant fyne.ThemeVariant
}

// themeFor returns the theme of a settings value: "light", "dark" or
// "system" (anything else).
func themeFor(name string) fyne.Theme {
	switch name {
	case "light":
		return appTheme{forced: true, variant: theme.VariantLight}
	case "dark":
		return appTheme{forced: true, variant: theme.VariantDark}
	}
	return appTheme{}
}

var (
	accentDark  = color.NRGBA{R: 0xff, G: 0x8a, B: 0x3d, A: 0xff}
	accentLight = color.NRGBA{R: 0xe0, G: 0x5a, B: 0x00, A: 0xff}
)

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	dark := v == theme.VariantDark
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameFocus:
		c := accentLight
		if dark {
			c = accentDark
		}
		if n == theme.ColorNameFocus {
			c.A = 0x66
		}
		return c
	case theme.ColorNameSelection:
		c := accentLight
		if dark {
			c = accentDark
		}
		c.A = 0x40
		return c
	case theme.ColorNameBackground:
		if dark {
			return color.NRGBA{R: 0x16, G: 0x17, B: 0x1b, A: 0xff}
		}
		return color.NRGBA{R: 0xfb, G: 0xfb, B: 0xfc, A: 0xff}
	case theme.ColorNameDisabled:
		if dark {
			return color.NRGBA{R: 0x62, G: 0x65, B: 0x6c, A: 0xff}
		}
		return color.NRGBA{R: 0xa4, G: 0xa7, B: 0xae, A: 0xff}
	case colorNameSidebar:
		if dark {
			return color.NRGBA{R: 0x10, G: 0x11, B: 0x14, A: 0xff}
		}
		return color.NRGBA{R: 0xf0, G: 0xf1, B: 0xf4, A: 0xff}
	case colorNameBar:
		if dark {
			return color.NRGBA{R: 0x1f, G: 0x20, B: 0x26, A: 0xff}
		}
		return color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	case colorNamePlaceholderArt:
		if dark {
			return color.NRGBA{R: 0x2a, G: 0x2c, B: 0x33, A: 0xff}
		}
		return color.NRGBA{R: 0xe3, G: 0xe5, B: 0xea, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t appTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (t appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t appTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 17
	case theme.SizeNameInputRadius, theme.SizeNameButtonRadius:
		return 6
	case theme.SizeNameSelectionRadius:
		return 6
	case theme.SizeNameModalBlurRadius:
		// No blur behind dialogs: with software GL a blurred frame costs
		// tens of milliseconds, and an entry's blinking cursor redraws it.
		return 0
	}
	return theme.DefaultTheme().Size(n)
}

// Ampdesk's own colour names.
const (
	colorNameSidebar        fyne.ThemeColorName = "ampdesk-sidebar"
	colorNameBar            fyne.ThemeColorName = "ampdesk-bar"
	colorNamePlaceholderArt fyne.ThemeColorName = "ampdesk-placeholder-art"
)

// themeColor looks a colour up in the app's current theme.
func themeColor(app fyne.App, n fyne.ThemeColorName) color.Color {
	t := app.Settings().Theme()
	if _, ok := t.(appTheme); !ok {
		t = appTheme{} // a foreign theme (tests) knows no Ampdesk colours
	}
	return t.Color(n, app.Settings().ThemeVariant())
}

// Theme returns Ampdesk's theme for a settings value ("system", "light"
// or "dark"), for main to set before the window shows.
func Theme(name string) fyne.Theme { return themeFor(name) }
