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

	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

var (
	themeChoices   = []string{"System", "Light", "Dark"}
	qualityChoices = []string{"Original file", "Convert on the server"}
	bitrateKbps    = []int{0, 320, 256, 192, 128, 96}
	formatChoices  = []string{"mp3", "ogg"}
	gainChoices    = []string{"Off", "Track", "Album"}
	cacheMB        = []int{50, 100, 200, 500, 1000, 2000}
)

// settingsPage edits the preferences (saved at once, off the UI
// goroutine, and applied live) and the server profiles.
type settingsPage struct {
	widget.BaseWidget
	pageBase

	theme     *widget.RadioGroup
	quality   *widget.Select
	bitrate   *widget.Select
	format    *widget.Select
	gain      *widget.Select
	crossfade *widget.Slider
	fadeLabel *widget.Label
	cache     *widget.Select
	usage     *widget.RichText
	profiles  *fyne.Container
	scroll    *container.Scroll
	root      fyne.CanvasObject
}

func newSettingsPage(e *env) *settingsPage {
	p := &settingsPage{pageBase: newPageBase(e)}
	s := e.Core.Settings().Get()

	p.theme = widget.NewRadioGroup(themeChoices, nil)
	p.theme.Horizontal = true
	p.theme.SetSelected(capitalize(s.Theme))
	p.theme.OnChanged = func(v string) {
		name := strings.ToLower(v)
		e.App.Settings().SetTheme(themeFor(name))
		p.update(func(s *storage.Settings) { s.Theme = name })
	}

	p.quality = widget.NewSelect(qualityChoices, nil)
	if s.StreamFormat == "transcode" {
		p.quality.SetSelectedIndex(1)
	} else {
		p.quality.SetSelectedIndex(0)
	}
	p.quality.OnChanged = func(string) {
		v := "raw"
		if p.quality.SelectedIndex() == 1 {
			v = "transcode"
		}
		p.update(func(s *storage.Settings) { s.StreamFormat = v })
	}

	labels := make([]string, len(bitrateKbps))
	for i, b := range bitrateKbps {
		labels[i] = bitrateLabel(b)
	}
	p.bitrate = widget.NewSelect(labels, nil)
	p.bitrate.SetSelectedIndex(indexOf(bitrateKbps, s.MaxBitrateKbps))
	if p.bitrate.SelectedIndex() < 0 {
		p.bitrate.Options = append(p.bitrate.Options, bitrateLabel(s.MaxBitrateKbps))
		p.bitrate.SetSelected(bitrateLabel(s.MaxBitrateKbps))
	}
	p.bitrate.OnChanged = func(v string) {
		kbps := 0
		fmt.Sscanf(v, "%d", &kbps)
		p.update(func(s *storage.Settings) { s.MaxBitrateKbps = kbps })
	}

	p.format = widget.NewSelect(formatChoices, nil)
	p.format.SetSelected(s.TranscodeFormat)
	p.format.OnChanged = func(v string) { p.update(func(s *storage.Settings) { s.TranscodeFormat = v }) }

	p.gain = widget.NewSelect(gainChoices, nil)
	p.gain.SetSelected(capitalize(s.ReplayGain))
	p.gain.OnChanged = func(v string) {
		p.update(func(s *storage.Settings) { s.ReplayGain = strings.ToLower(v) })
	}

	p.fadeLabel = widget.NewLabel("")
	p.crossfade = widget.NewSlider(0, 12)
	p.crossfade.Step = 0.5
	p.crossfade.Value = s.CrossfadeSeconds
	p.showFade(s.CrossfadeSeconds)
	p.crossfade.OnChanged = p.showFade
	p.crossfade.OnChangeEnded = func(v float64) {
		p.update(func(s *storage.Settings) { s.CrossfadeSeconds = v })
	}

	cacheLabels := make([]string, len(cacheMB))
	for i, mb := range cacheMB {
		cacheLabels[i] = sizeLabel(mb)
	}
	p.cache = widget.NewSelect(cacheLabels, nil)
	p.cache.SetSelectedIndex(indexOf(cacheMB, s.ArtCacheMB))
	if p.cache.SelectedIndex() < 0 {
		p.cache.Options = append(p.cache.Options, sizeLabel(s.ArtCacheMB))
		p.cache.SetSelected(sizeLabel(s.ArtCacheMB))
	}
	p.cache.OnChanged = func(v string) {
		mb := 0
		fmt.Sscanf(v, "%d", &mb)
		if mb <= 0 {
			return
		}
		if c := e.ArtCache; c != nil {
			go c.SetLimit(int64(mb) << 20)
		}
		p.update(func(s *storage.Settings) { s.ArtCacheMB = mb })
	}
	p.usage = countText("")
	clearCache := widget.NewButtonWithIcon("Clear", theme.DeleteIcon(), func() {
		c := e.ArtCache
		if c == nil {
			return
		}
		go func() {
			err := c.Clear()
			e.do(func() {
				if err != nil {
					e.notify(err.Error())
				}
				p.showUsage()
			})
		}()
	})
	if e.ArtCache == nil {
		clearCache.Disable()
	}
	p.showUsage()

	p.profiles = container.NewVBox()
	p.showProfiles()
	add := widget.NewButtonWithIcon("Add a server…", theme.ContentAddIcon(), func() { e.shell.showLogin(storage.Profile{}, "") })

	form := func(items ...*widget.FormItem) *widget.Form { return widget.NewForm(items...) }
	body := container.NewVBox(
		heading("Settings"),
		sectionHeading("Appearance"),
		form(widget.NewFormItem("Theme", p.theme)),
		widget.NewSeparator(),
		sectionHeading("Playback"),
		form(
			widget.NewFormItem("Stream quality", withWidth(260, p.quality)),
			widget.NewFormItem("Maximum bitrate", withWidth(260, p.bitrate)),
			widget.NewFormItem("Convert to", withWidth(260, p.format)),
			widget.NewFormItem("ReplayGain", withWidth(260, p.gain)),
			widget.NewFormItem("Crossfade", container.NewBorder(nil, nil, nil, withWidth(90, p.fadeLabel), withWidth(260, p.crossfade))),
		),
		widget.NewSeparator(),
		sectionHeading("Cover art cache"),
		form(widget.NewFormItem("Size limit", container.NewHBox(withWidth(160, p.cache), container.NewCenter(p.usage), clearCache))),
		widget.NewSeparator(),
		sectionHeading("Servers"),
		p.profiles,
		container.NewHBox(add),
	)
	p.scroll = container.NewVScroll(container.New(maxWidth{width: 760}, body))
	p.root = p.scroll
	p.ExtendBaseWidget(p)
	return p
}

func (p *settingsPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.root))
}

// update saves a change of the settings off the UI goroutine and hands
// playback settings to the player.
func (p *settingsPage) update(change func(*storage.Settings)) {
	e := p.env
	c := e.Core
	go func() {
		_, err := c.Settings().Update(change)
		if err != nil {
			e.do(func() { e.notify(core.Explain(err)) })
			return
		}
		c.ApplySettings()
	}()
}

func (p *settingsPage) showFade(v float64) {
	if v <= 0 {
		p.fadeLabel.SetText("Off (gapless)")
		return
	}
	p.fadeLabel.SetText(fmt.Sprintf("%.1f s", v))
}

func (p *settingsPage) showUsage() {
	c := p.env.ArtCache
	if c == nil {
		setText(p.usage, "no cache")
		return
	}
	b, n := c.Usage()
	setText(p.usage, fmt.Sprintf("%.1f MB in %s", float64(b)/(1<<20), plural(n, "image", "images")))
}

// showProfiles lists the saved servers with Use and Remove.
func (p *settingsPage) showProfiles() {
	e := p.env
	c := e.Core
	p.profiles.RemoveAll()
	cur, _, connected := c.Connection()
	list := c.Profiles().List()
	if len(list) == 0 {
		p.profiles.Add(mutedText("No server saved yet."))
	}
	for _, pr := range list {
		name := boldLabel(pr.Name)
		who := pr.URL
		if pr.User != "" {
			who = pr.User + " @ " + pr.URL
		}
		use := widget.NewButtonWithIcon("Use", theme.LoginIcon(), func() { e.shell.connect(pr) })
		if connected && cur.Name == pr.Name {
			use.SetText("In use")
			use.Disable()
		}
		remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() {
			dialog.ShowConfirm("Remove "+pr.Name+"?",
				"Ampdesk forgets this server and removes its password or API key from the keyring.",
				func(ok bool) {
					if !ok {
						return
					}
					go func() {
						ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
						defer cancel()
						err := c.RemoveProfile(ctx, pr.Name)
						e.do(func() {
							if err != nil {
								e.notify(core.Explain(err))
							} else {
								e.notify("Removed " + pr.Name)
							}
							p.showProfiles()
						})
					}()
				}, e.Window)
		})
		row := container.NewBorder(nil, nil, nil, container.NewHBox(use, remove),
			container.NewVBox(name, mutedText(who)))
		p.profiles.Add(row)
	}
	if connected && !containsProfile(list, cur.Name) {
		p.profiles.Add(container.NewVBox(boldLabel(cur.Name+" (in use, not saved)"), mutedText(cur.URL)))
	}
}

func (p *settingsPage) onEvent(ev core.Event) {
	switch ev.(type) {
	case core.Connected, core.Disconnected:
		p.showProfiles()
	}
}

func (p *settingsPage) Route() Route { return Route{Page: PageSettings} }

func (p *settingsPage) Save() Saved {
	p.cancel()
	e := p.env
	return savedFunc(func() Page { return newSettingsPage(e) })
}

func bitrateLabel(kbps int) string {
	if kbps <= 0 {
		return "No limit"
	}
	return fmt.Sprintf("%d kbit/s", kbps)
}

func sizeLabel(mb int) string {
	if mb >= 1000 && mb%1000 == 0 {
		return fmt.Sprintf("%d MB (%d GB)", mb, mb/1000)
	}
	return fmt.Sprintf("%d MB", mb)
}

func indexOf(xs []int, v int) int {
	for i, x := range xs {
		if x == v {
			return i
		}
	}
	return -1
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
