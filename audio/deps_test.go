package audio

import (
	"os/exec"
	"strings"
	"testing"
)

// The audio package knows nothing of Ampache, the faces or storage, and
// plays through its own Output, not beep's package-global speaker.
func TestForbiddenImports(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-test=false", "./", "./audiotest").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := map[string]string{
		"fyne.io/fyne/v2":                               "audio serves the CLI and GUI-less tests",
		"github.com/ampdesk/ampdesk/client":             "audio knows nothing of Ampache",
		"github.com/ampdesk/ampdesk/core":               "core uses audio, not the other way round",
		"github.com/ampdesk/ampdesk/gui":                "no face below core",
		"github.com/ampdesk/ampdesk/cli":                "no face below core",
		"github.com/ampdesk/ampdesk/storage":            "audio does not store anything",
		"github.com/gopxl/beep/v2/speaker":              "package-global state; the Output owns oto",
		"github.com/faiface/beep":                       "unmaintained; WAV at half amplitude",
		"github.com/hajimehoshi/oto":                    "deprecated; use ebitengine/oto/v3",
		"github.com/ampdesk/ampdesk/internal/testaudio": "test clips belong in tests",
	}
	for _, dep := range strings.Fields(string(out)) {
		for bad, why := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("audio depends on %s: %s", dep, why)
			}
		}
	}
}
