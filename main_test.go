package main

import (
	"runtime"
	"testing"
)

func TestWindowArgs(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		window bool
		want   windowOptions
	}{
		{nil, true, windowOptions{}},
		{[]string{"--demo"}, true, windowOptions{demo: true}},
		{[]string{"--config-dir", "/tmp/x", "--demo", "-v"}, true, windowOptions{demo: true, configDir: "/tmp/x", verbose: true}},
		{[]string{"--config-dir=/tmp/y"}, true, windowOptions{configDir: "/tmp/y"}},
		{[]string{"--config-dir"}, false, windowOptions{}},
		{[]string{"--demo=1"}, false, windowOptions{}},
		{[]string{"help"}, false, windowOptions{}},
		{[]string{"ls", "albums"}, false, windowOptions{}},
		{[]string{"--config-dir", "/tmp/x", "ping"}, false, windowOptions{}},
		{[]string{"--json"}, false, windowOptions{}},
	} {
		got, ok := windowArgs(tc.args)
		if ok != tc.window || (ok && got != tc.want) {
			t.Errorf("windowArgs(%q) = %+v, %v; want %+v, %v", tc.args, got, ok, tc.want, tc.window)
		}
	}
}

func TestCheckDisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("DISPLAY matters on Linux and the BSDs only")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if err := checkDisplay(); err == nil {
		t.Fatal("no display: no error")
	}
	t.Setenv("DISPLAY", ":0")
	if err := checkDisplay(); err != nil {
		t.Fatalf("with DISPLAY: %v", err)
	}
}
