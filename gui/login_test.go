package gui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ampdesk/ampdesk/client/ampachetest"
	"github.com/ampdesk/ampdesk/storage"
)

// openLogin starts an unconnected window with no profile: it asks for a
// server at once.
func openLogin(t *testing.T, h *harness) *loginForm {
	t.Helper()
	var f *loginForm
	h.ui(func() {
		h.shell.Start()
		f = h.shell.loginForm
	})
	if f == nil {
		t.Fatal("no login dialog without a profile")
	}
	if _, ok := h.shell.current.(*welcomePage); !ok {
		t.Fatalf("behind the dialog: %T, want the welcome page", h.shell.current)
	}
	return f
}

func (h *harness) fillLogin(f *loginForm, server, user, password string) {
	h.ui(func() {
		f.server.SetText("")
		test.Type(f.server, server)
		f.user.SetText("")
		test.Type(f.user, user)
		f.password.SetText("")
		test.Type(f.password, password)
	})
}

func TestLoginSucceedsAndSavesTheProfile(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true})
	f := openLogin(t, h)
	h.fillLogin(f, h.srv.URL, h.srv.Admin.Username, h.srv.Admin.Password)
	h.ui(func() { test.Type(f.name, "Home") })

	// Test connection checks without saving anything.
	h.ui(func() { test.Tap(f.test) })
	h.waitFor("the test result", func() bool { return strings.HasPrefix(f.status.Text, "It works") })
	if !strings.Contains(f.status.Text, h.srv.Admin.Username) {
		t.Errorf("test result %q does not name the user", f.status.Text)
	}
	if len(h.core.Profiles().List()) != 0 {
		t.Fatal("Test connection saved a profile")
	}

	h.ui(func() { test.Tap(f.login) })
	h.waitFor("the library after logging in", func() bool {
		_, ok := h.shell.current.(*albumsPage)
		return ok
	})
	p, err := h.core.Profiles().Get("Home")
	if err != nil || p.User != h.srv.Admin.Username || p.Auth != storage.AuthPassword {
		t.Fatalf("saved profile %+v, %v", p, err)
	}
	if s, ok := h.kr.Secret(storage.KeyringService, "Home"); !ok || s != h.srv.Admin.Password {
		t.Fatal("the password is not in the keyring")
	}
	h.ui(func() {
		if got := h.shell.profile.Text; got != "Home" {
			t.Errorf("profile button shows %q", got)
		}
	})
}

func TestLoginErrorsInPlainWords(t *testing.T) {
	notAmpache := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Welcome to nginx!</body></html>"))
	}))
	t.Cleanup(notAmpache.Close)

	for _, tc := range []struct {
		name     string
		server   func(h *harness) string
		password func(h *harness) string
		fault    *ampachetest.Fault
		want     string
	}{
		{name: "wrong password", want: "wrong user name, password or API key",
			password: func(*harness) string { return "not-the-password" }},
		{name: "unreachable", want: "cannot reach the server",
			server: func(*harness) string { return "http://127.0.0.1:1/ampache" }},
		{name: "not Ampache", want: "does not answer like an Ampache server",
			server: func(*harness) string { return notAmpache.URL }},
		{name: "API disabled 4700", want: "API is switched off",
			fault: &ampachetest.Fault{Code: 4700}},
		{name: "access denied 4742", want: "not allowed",
			fault: &ampachetest.Fault{Code: 4742, Message: "Require: 100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{noConnect: true})
			f := openLogin(t, h)
			server, password := h.srv.URL, h.srv.Admin.Password
			if tc.server != nil {
				server = tc.server(h)
			}
			if tc.password != nil {
				password = tc.password(h)
			}
			if tc.fault != nil {
				h.srv.FailNext("handshake", 1, *tc.fault)
			}
			h.fillLogin(f, server, h.srv.Admin.Username, password)
			h.ui(func() { test.Tap(f.login) })
			h.waitFor("an error message", func() bool { return f.login.Disabled() == false && f.status.Text != "Connecting…" })
			h.ui(func() {
				if !strings.Contains(f.status.Text, tc.want) {
					t.Errorf("message %q, want it to say %q", f.status.Text, tc.want)
				}
				if strings.Contains(f.status.Text, password) && password != "" {
					t.Errorf("message shows the password: %q", f.status.Text)
				}
			})
			if len(h.core.Profiles().List()) != 0 {
				t.Error("a failed login saved a profile")
			}
			n := h.kr.Len()
			if n != 0 {
				t.Error("a failed login stored a secret")
			}
		})
	}
}

func TestLoginTrustsACertificateByFingerprint(t *testing.T) {
	h := newHarness(t, harnessOptions{noConnect: true, tls: true})
	f := openLogin(t, h)
	h.fillLogin(f, h.srv.URL, h.srv.Admin.Username, h.srv.Admin.Password)
	h.ui(func() { test.Tap(f.login) })
	h.waitFor("the TLS message", func() bool { return strings.Contains(f.status.Text, "TLS certificate") })
	fp := h.srv.CertificateFingerprint()
	h.ui(func() {
		if !strings.Contains(f.status.Text, fp) {
			t.Errorf("message %q does not show the fingerprint %s", f.status.Text, fp)
		}
		if !f.trust.Visible() {
			t.Fatal("no button to trust the certificate")
		}
		test.Tap(f.trust)
		test.Tap(f.login)
	})
	h.waitFor("the library after trusting the certificate", func() bool {
		_, ok := h.shell.current.(*albumsPage)
		return ok
	})
	p, err := h.core.Profiles().Get(strings.Split(strings.TrimPrefix(h.srv.URL, "https://"), ":")[0])
	if err != nil || p.TLSPin != fp {
		t.Fatalf("profile %+v (%v): want the pin %s", p, err, fp)
	}
}
