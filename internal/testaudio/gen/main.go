// Command gen re-encodes the clips of package testaudio with the reference
// encoders (lame, flac, oggenc). Run it from the repository root after a
// change to the clips: go run ./internal/testaudio/gen
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/ampdesk/ampdesk/internal/testaudio"
)

func main() {
	dir := filepath.Join("internal", "testaudio", "clips")
	tmp, err := os.MkdirTemp("", "testaudio")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	for _, c := range testaudio.Clips {
		wav := filepath.Join(tmp, c.Name+".wav")
		f, err := os.Create(wav)
		if err != nil {
			fail(err)
		}
		if err := testaudio.WriteWAV(f, c.SampleRate, c.Channels, c.PCM()); err != nil {
			fail(err)
		}
		f.Close()
		bitrate := "320"
		quality := "6"
		if c.Name == "tune" {
			bitrate, quality = "128", "3"
		}
		run("lame", "--quiet", "--cbr", "-b", bitrate, "--noreplaygain", wav, filepath.Join(dir, c.Name+".mp3"))
		run("flac", "--silent", "--force", "-8", "--no-padding", "-o", filepath.Join(dir, c.Name+".flac"), wav)
		run("oggenc", "--quiet", "-q", quality, "-o", filepath.Join(dir, c.Name+".ogg"), wav)
	}
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fail(fmt.Errorf("%s: %w", name, err))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
