package client

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps client a pure package: it serves the CLI, the GUI
// and GUI-less tests, and knows nothing of audio, storage or the faces.
func TestDependencies(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := map[string]string{
		"fyne.io/":                                      "client serves GUI-less code",
		"github.com/ebitengine/oto":                     "client knows nothing of audio output",
		"github.com/gopxl/beep":                         "client knows nothing of decoding",
		"github.com/hajimehoshi/go-mp3":                 "client knows nothing of decoding",
		"github.com/zalando/go-keyring":                 "secrets are storage's business",
		"github.com/godbus/dbus":                        "client needs no D-Bus",
		"modernc.org/sqlite":                            "the cache is storage's business",
		"github.com/ampdesk/ampdesk/storage":            "client does not import storage",
		"github.com/ampdesk/ampdesk/audio":              "client does not import audio",
		"github.com/ampdesk/ampdesk/core":               "client is below core",
		"github.com/ampdesk/ampdesk/gui":                "client is below the faces",
		"github.com/ampdesk/ampdesk/client/ampachetest": "the test server must not be linked into the client",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed only %d packages", len(deps))
	}
	for _, dep := range deps {
		for prefix, why := range forbidden {
			if strings.HasPrefix(dep, prefix) {
				t.Errorf("client depends on %s: %s", dep, why)
			}
		}
		if first, _, _ := strings.Cut(dep, "/"); !strings.Contains(first, ".") {
			continue // standard library
		}
		if !strings.HasPrefix(dep, "github.com/ampdesk/ampdesk/client") && dep != "github.com/ampdesk/ampdesk/internal/redact" && dep != "github.com/ampdesk/ampdesk/internal/backoff" &&
			!strings.HasPrefix(dep, "golang.org/x/") && !strings.HasPrefix(dep, "vendor/golang.org/x/") {
			t.Errorf("client depends on %s: only the standard library, internal/redact and internal/backoff are allowed", dep)
		}
	}
}
