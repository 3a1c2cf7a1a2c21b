package audio

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// soundProbe looks, without touching ALSA or oto, for something that can
// play sound: a sound server answering on its socket, a sound card, or an
// ALSA configuration of the user's that may lead elsewhere. NewOutput asks
// it first, so that with nothing there it fails at once, prints nothing,
// and does not use up oto's one context per process: a later NewOutput,
// once a sound server runs, can succeed.
type soundProbe struct {
	getenv func(string) string
	// root is prefixed to the absolute paths looked at (/dev/snd, /etc,
	// /run/user); "" in production.
	root string
	// goos: the probe only knows Linux; elsewhere it lets oto try.
	goos string
}

// noSoundReason is the NoDeviceError reason when the probe finds nothing.
const noSoundReason = "no sound server (PulseAudio or PipeWire) is running and there is no sound card"

// find reports whether sound may be playable, and where it looked.
func (p soundProbe) find() (found bool, where string) {
	if p.goos != "linux" {
		return true, "not Linux: not probed"
	}
	// PULSE_SERVER, when set, is the only server a PulseAudio client tries.
	if v := strings.TrimSpace(p.getenv("PULSE_SERVER")); v != "" {
		for _, s := range strings.Fields(v) {
			if i := strings.IndexByte(s, '}'); strings.HasPrefix(s, "{") && i > 0 {
				s = s[i+1:] // {machine-id} prefix
			}
			path, isUnix := strings.CutPrefix(s, "unix:")
			if !isUnix && strings.HasPrefix(s, "/") {
				path, isUnix = s, true
			}
			if !isUnix {
				return true, "PULSE_SERVER " + s // a network server: oto will see
			}
			if answers(path) {
				return true, "PULSE_SERVER " + path
			}
		}
	} else {
		runtime := p.getenv("XDG_RUNTIME_DIR")
		if runtime == "" {
			runtime = p.root + "/run/user/" + strconv.Itoa(os.Getuid())
		}
		if sock := filepath.Join(runtime, "pulse", "native"); answers(sock) {
			return true, sock
		}
	}
	for _, dir := range []string{p.getenv("PIPEWIRE_RUNTIME_DIR"), p.getenv("XDG_RUNTIME_DIR")} {
		if dir == "" {
			continue
		}
		remote := p.getenv("PIPEWIRE_REMOTE")
		if remote == "" {
			remote = "pipewire-0"
		}
		sock := remote
		if !filepath.IsAbs(sock) {
			sock = filepath.Join(dir, remote)
		}
		if answers(sock) {
			return true, sock
		}
	}
	if cards, _ := filepath.Glob(p.root + "/dev/snd/pcmC*p"); len(cards) > 0 {
		return true, cards[0]
	}
	// A user's ALSA configuration may name a device we cannot see here
	// (a network or Bluetooth one): let ALSA try.
	for _, f := range []string{p.getenv("ALSA_CONFIG_PATH"), p.root + "/etc/asound.conf", filepath.Join(p.getenv("HOME"), ".asoundrc")} {
		if f == "" || f == ".asoundrc" {
			continue
		}
		if _, err := os.Stat(f); err == nil {
			return true, f
		}
	}
	return false, ""
}

// answers reports whether a server accepts connections on the unix socket
// at path (a socket file left by a server that died does not).
func answers(path string) bool {
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
