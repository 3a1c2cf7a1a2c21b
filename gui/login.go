package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
	"github.com/ampdesk/ampdesk/core"
	"github.com/ampdesk/ampdesk/storage"
)

const loginTimeout = 45 * time.Second

// Authentication choices of the login form.
const (
	authPassword = "User and password"
	authAPIKey   = "API key"
)

// loginForm signs in to a server: a URL or ampache:// string, a user and
// password or an API key, a profile name; "Test connection" checks
// without saving. Errors are told in plain words (core.Explain); a TLS
// certificate the system does not trust can be trusted by fingerprint.
type loginForm struct {
	env *env

	server   *entry
	auth     *widget.RadioGroup
	user     *entry
	password *entry
	apiKey   *entry
	name     *entry
	status   *widget.Label
	trust    *widget.Button
	test     *widget.Button
	login    *widget.Button
	cancel   *widget.Button
	busy     *widget.Activity
	pin      string
	dlg      *dialog.CustomDialog
	// done runs after a successful login (tests).
	done func(storage.Profile)
}

// showLogin opens the login dialog, filled from a profile (to sign in to
// it again) and with a message (why it is asked).
func (s *Shell) showLogin(prefill storage.Profile, msg string) *loginForm {
	e := s.env
	f := &loginForm{env: e}
	f.server = newEntry(e)
	f.server.SetPlaceHolder("https://music.example.com/ampache or ampache://…")
	f.server.SetText(prefill.URL)
	f.user = newEntry(e)
	f.user.SetText(prefill.User)
	f.password = newPasswordEntry(e)
	f.apiKey = newPasswordEntry(e)
	f.name = newEntry(e)
	f.name.SetPlaceHolder("default: the server's host name")
	f.name.SetText(prefill.Name)
	f.pin = prefill.TLSPin
	f.auth = widget.NewRadioGroup([]string{authPassword, authAPIKey}, f.switchAuth)
	f.auth.Horizontal = true
	if prefill.Auth == storage.AuthAPIKey {
		f.auth.SetSelected(authAPIKey)
	} else {
		f.auth.SetSelected(authPassword)
	}
	f.status = widget.NewLabel(msg)
	f.status.Wrapping = fyne.TextWrapWord
	if msg != "" {
		f.status.Importance = widget.DangerImportance
	}
	f.trust = widget.NewButtonWithIcon("Trust this certificate", theme.ConfirmIcon(), nil)
	f.trust.Hide()
	f.busy = widget.NewActivity()
	f.busy.Hide()
	f.test = widget.NewButton("Test connection", f.testConnection)
	f.login = widget.NewButtonWithIcon("Log in", theme.LoginIcon(), f.submit)
	f.login.Importance = widget.HighImportance
	f.cancel = widget.NewButton("Cancel", func() { f.dlg.Hide() })
	for _, x := range []*entry{f.server, f.user, f.password, f.apiKey, f.name} {
		x.OnSubmitted = func(string) { f.submit() }
	}

	form := widget.NewForm(
		widget.NewFormItem("Server", f.server),
		widget.NewFormItem("Sign in with", f.auth),
		widget.NewFormItem("User", f.user),
		widget.NewFormItem("Password", f.password),
		widget.NewFormItem("API key", f.apiKey),
		widget.NewFormItem("Profile name", f.name),
	)
	f.switchAuth(f.auth.Selected)
	content := container.NewVBox(form, container.NewBorder(nil, nil, f.busy, nil, f.status), container.NewHBox(f.trust))
	f.dlg = dialog.NewCustomWithoutButtons("Connect to an Ampache server", content, e.Window)
	f.dlg.SetButtons([]fyne.CanvasObject{f.cancel, f.test, f.login})
	f.dlg.Resize(fyne.NewSize(560, 0))
	f.dlg.Show()
	if c := e.Window.Canvas(); c != nil {
		c.Focus(f.server)
	}
	s.loginForm = f
	return f
}

func (f *loginForm) switchAuth(choice string) {
	if f.user == nil {
		return
	}
	if choice == authAPIKey {
		f.user.Disable()
		f.password.Disable()
		f.apiKey.Enable()
	} else {
		f.user.Enable()
		f.password.Enable()
		f.apiKey.Disable()
	}
}

func (f *loginForm) request() core.LoginRequest {
	r := core.LoginRequest{Server: strings.TrimSpace(f.server.Text), Name: strings.TrimSpace(f.name.Text), TLSPin: f.pin}
	if f.auth.Selected == authAPIKey {
		r.APIKey = strings.TrimSpace(f.apiKey.Text)
	} else {
		r.User, r.Password = strings.TrimSpace(f.user.Text), f.password.Text
	}
	return r
}

func (f *loginForm) setBusy(on bool) {
	for _, b := range []*widget.Button{f.test, f.login} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		f.busy.Show()
		f.busy.Start()
	} else {
		f.busy.Stop()
		f.busy.Hide()
	}
}

func (f *loginForm) say(msg string, failed bool) {
	f.status.SetText(msg)
	if failed {
		f.status.Importance = widget.DangerImportance
	} else {
		f.status.Importance = widget.SuccessImportance
	}
	f.status.Refresh()
}

// check runs before a request: a server is needed.
func (f *loginForm) check(r core.LoginRequest) bool {
	if r.Server == "" {
		f.say("Type the address of your Ampache server.", true)
		return false
	}
	return true
}

func (f *loginForm) testConnection() {
	r := f.request()
	if !f.check(r) {
		return
	}
	f.setBusy(true)
	f.say("Testing…", false)
	e := f.env
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), loginTimeout)
		defer cancel()
		info, err := c.TestLogin(ctx, r)
		e.do(func() {
			f.setBusy(false)
			if err != nil {
				f.fail(err)
				return
			}
			who := info.User
			if who == "" {
				who = "your API key"
			}
			f.say(fmt.Sprintf("It works: Ampache %s (API %s), signed in as %s.", info.ServerVersion, info.API, who), false)
		})
	}()
}

func (f *loginForm) submit() {
	r := f.request()
	if !f.check(r) {
		return
	}
	f.setBusy(true)
	f.say("Connecting…", false)
	e := f.env
	c := e.Core
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), loginTimeout)
		defer cancel()
		p, err := c.Login(ctx, r)
		e.do(func() {
			f.setBusy(false)
			if err != nil {
				f.fail(err)
				return
			}
			f.dlg.Hide()
			if f.done != nil {
				f.done(p)
			}
		})
	}()
}

// fail tells what went wrong; an untrusted certificate can be trusted.
func (f *loginForm) fail(err error) {
	f.say(core.Explain(err), true)
	var cert *client.CertificateError
	if errors.As(err, &cert) && cert.Fingerprint != "" {
		fp := cert.Fingerprint
		f.trust.SetText("Trust the certificate " + shortFingerprint(fp))
		f.trust.OnTapped = func() {
			f.pin = fp
			f.trust.Hide()
			f.say("The certificate "+fp+" will be trusted for this server. Log in to save it.", false)
		}
		f.trust.Show()
		return
	}
	f.trust.Hide()
}

func shortFingerprint(fp string) string {
	if len(fp) > 23 {
		return fp[:23] + "…"
	}
	return fp
}

// welcomePage is shown without a connection: saved servers to connect
// to, and "Add a server".
type welcomePage struct {
	widget.BaseWidget
	pageBase
	root fyne.CanvasObject
}

func newWelcomePage(e *env, msg string) *welcomePage {
	p := &welcomePage{pageBase: newPageBase(e)}
	title := heading("Welcome to Ampdesk")
	title.Alignment = fyne.TextAlignCenter
	intro := widget.NewLabel("Listen to your Ampache library: connect to your server to begin.")
	intro.Alignment = fyne.TextAlignCenter
	intro.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(container.NewCenter(withWidth(96, container.NewGridWrap(fyne.NewSquareSize(96), widget.NewIcon(primary(iconLibrary))))), title, intro)
	if msg != "" {
		errl := widget.NewLabel(msg)
		errl.Wrapping = fyne.TextWrapWord
		errl.Alignment = fyne.TextAlignCenter
		errl.Importance = widget.DangerImportance
		box.Add(errl)
	}
	add := widget.NewButtonWithIcon("Add a server…", theme.ContentAddIcon(), func() { e.shell.showLogin(storage.Profile{}, "") })
	add.Importance = widget.HighImportance
	box.Add(container.NewCenter(add))
	for _, pr := range e.Core.Profiles().List() {
		box.Add(container.NewCenter(widget.NewButtonWithIcon("Connect to "+pr.Name, theme.LoginIcon(), func() { e.shell.connect(pr) })))
	}
	p.root = container.NewCenter(withWidth(460, box))
	p.ExtendBaseWidget(p)
	return p
}

func (p *welcomePage) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.root) }
func (p *welcomePage) Route() Route                        { return Route{Page: PageWelcome} }
func (p *welcomePage) Save() Saved {
	p.cancel()
	e := p.env
	return savedFunc(func() Page { return newWelcomePage(e, "") })
}

// connectingPage is shown while a profile connects.
type connectingPage struct {
	widget.BaseWidget
	pageBase
	busy *widget.Activity
	root fyne.CanvasObject
}

func newConnectingPage(e *env, name string) *connectingPage {
	p := &connectingPage{pageBase: newPageBase(e), busy: widget.NewActivity()}
	l := widget.NewLabel("Connecting to " + name + "…")
	p.root = container.NewCenter(container.NewHBox(p.busy, l))
	p.busy.Start()
	p.ExtendBaseWidget(p)
	return p
}

func (p *connectingPage) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.root)
}
func (p *connectingPage) Route() Route { return Route{Page: PageWelcome} }
func (p *connectingPage) Save() Saved {
	p.cancel()
	p.busy.Stop()
	e := p.env
	return savedFunc(func() Page { return newWelcomePage(e, "") })
}
