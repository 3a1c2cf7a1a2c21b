#!/usr/bin/env bash
# CPU of local playback, as a percentage of one core, for the whole process:
# the real `ampdesk play` (utime+stime from /proc/PID/stat over
# BENCH_SECONDS, 20 by default, after 3 s of warm-up) playing into a
# PulseAudio null sink from `ampdesk demo-server`: the 320 kbps mp3 tone
# and the flac tone looped with --repeat, and a generated 128 kbps mp3 song.
# Paused is measured by the Go benchmark BenchmarkDeviceCPU (the Player on
# the real DeviceOutput), run against the same sound server.
#   scripts/bench/audio.sh
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
export PATH="$PATH:/usr/local/go/bin"
SECONDS_MEASURED="${BENCH_SECONDS:-20}"
TICKS=$(getconf CLK_TCK)

start_keyring
start_demo_server
printf '%s' "$DEMO_PASS" | "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null
start_pulse

# cpu_ticks PID: utime+stime of the process, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# measure LABEL ARGS...: plays `ampdesk play ARGS...` and prints its CPU.
measure() {
  local label=$1; shift
  "$BIN" play --volume 100 "$@" >"$WORK/bench-play.out" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do
    pactl list short sink-inputs 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  pactl list short sink-inputs | grep -q . || { cat "$WORK/bench-play.out" >&2; fail "$label: no sound stream"; }
  sleep 3
  local c0 t0 c1 t1
  c0=$(cpu_ticks "$pid"); t0=$(date +%s%N)
  sleep "$SECONDS_MEASURED"
  c1=$(cpu_ticks "$pid"); t1=$(date +%s%N)
  kill -INT "$pid"; wait "$pid" || true
  awk -v l="$label" -v c=$((c1 - c0)) -v hz="$TICKS" -v ns=$((t1 - t0)) \
    'BEGIN { printf "%-46s %6.2f %% of one core\n", l, 100 * (c / hz) / (ns / 1e9) }'
}

# A generated song of the demo library that is an mp3 (128 kbps), played
# from its start for the whole measurement.
song=$("$BIN" --json ls songs --limit 200 | jq -r '[.[] | select(.id|tonumber > 8) | select(.format == "mp3") | select(.seconds > 60)][0].id')

echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%d)"
measure "ampdesk play: mp3 320 kbps (tone, looped)" --repeat 1
measure "ampdesk play: flac 44.1 kHz (tone, looped)" --repeat 2
measure "ampdesk play: mp3 128 kbps (song $song)" "$song"

# Paused (and the same figures inside one Go process) from the Player on
# the real device.
cd "$ROOT"
go test -run '^$' -bench BenchmarkDeviceCPU -benchtime 1x -count 1 ./audio 2>&1 |
  awk '/^BenchmarkDeviceCPU/ { name = $1; sub(/-[0-9]+$/, "", name); printf "%-46s %6s %% of one core\n", "go bench " name, $3 } /FAIL|panic/'
