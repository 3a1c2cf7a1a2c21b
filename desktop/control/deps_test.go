package control

import (
	"os/exec"
	"strings"
	"testing"
)

// The control package is imported by the command line (ampdesk control):
// it depends on the standard library alone, so the CLI does not pull in
// Fyne, D-Bus or the core through it.
func TestOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-test=false", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/ampdesk/ampdesk/desktop/control" {
			t.Errorf("control depends on %s; it should need the standard library only", dep)
		}
	}
}
