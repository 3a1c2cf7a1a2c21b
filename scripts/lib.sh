# Shared helpers for the end-to-end scripts in scripts/e2e. Source it.
# Every daemon is started as a direct child and killed and waited for on
# exit (PID 1 on CI machines does not reap orphans).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${AMPDESK_BIN:-$ROOT/bin/ampdesk}"
ART="${AMPDESK_ARTIFACTS:-$ROOT/test-artifacts}"
mkdir -p "$ART"
if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && PATH="$PATH:/usr/local/go/bin" go build -tags no_animations -o bin/ampdesk .)
fi
WORK="$(mktemp -d)"
export AMPDESK_CONFIG_DIR="$WORK/config"
_pids=()

cleanup() {
  local code=$?
  for ((i=${#_pids[@]}-1; i>=0; i--)); do
    kill "${_pids[$i]}" 2>/dev/null || true
  done
  for p in "${_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT

bg() { "$@" & _pids+=($!); }

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# expect_eq NAME GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; ok "$1 = $3"; }
# expect_match NAME TEXT REGEX
expect_match() { [[ "$2" =~ $3 ]] || fail "$1: '$2' does not match /$3/"; ok "$1"; }

# start_demo_server [ARGS...]: sets DEMO_URL, DEMO_USER, DEMO_PASS, DEMO_KEY,
# DEMO_USER25 / DEMO_PASS25 (the access-25 account).
start_demo_server() {
  local out="$WORK/demo.json"
  bg "$BIN" demo-server --json --listen 127.0.0.1:0 "$@" >"$out" 2>"$WORK/demo.err"
  DEMO_PID=$!
  for _ in $(seq 100); do
    [ -s "$out" ] && jq -e .url "$out" >/dev/null 2>&1 && break
    sleep 0.1
  done
  jq -e .url "$out" >/dev/null || { cat "$WORK/demo.err" >&2; fail "demo server did not start"; }
  DEMO_URL=$(jq -r .url "$out")
  DEMO_USER=$(jq -r .admin.user "$out"); DEMO_PASS=$(jq -r .admin.password "$out")
  DEMO_KEY=$(jq -r .admin.api_key "$out")
  DEMO_USER25=$(jq -r .user.user "$out"); DEMO_PASS25=$(jq -r .user.password "$out")
}

# start_keyring: a private session bus (needs to run under dbus-run-session)
# with an unlocked gnome-keyring.
start_keyring() {
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || fail "start_keyring needs dbus-run-session"
  # A fresh keyring of our own: gnome-keyring keeps its files under
  # $XDG_DATA_HOME/keyrings, and one left by another run has another password.
  export XDG_DATA_HOME="$WORK/xdg-data"; mkdir -p "$XDG_DATA_HOME"
  eval "$(printf 'e2e-keyring-password' | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  if [ -n "${GNOME_KEYRING_PID:-}" ]; then _pids+=("$GNOME_KEYRING_PID"); fi
}

# start_pulse: a PulseAudio server with a null sink "nullsink" as default.
start_pulse() {
  export XDG_RUNTIME_DIR="$WORK/runtime"; mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
  export PULSE_SERVER="unix:$XDG_RUNTIME_DIR/pulse/native"
  bg pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --log-target=stderr \
    --load="module-native-protocol-unix" \
    --load="module-null-sink sink_name=nullsink rate=44100 channels=2" 2>"$WORK/pulse.log"
  for _ in $(seq 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  pactl info >/dev/null 2>&1 || { cat "$WORK/pulse.log" >&2; fail "pulseaudio did not start"; }
  pactl set-default-sink nullsink
}

# record_start FILE / record_stop: record what plays on the null sink.
# record_start FILE: records the null sink into FILE, returning once the
# recorder is connected (a fixed wait lost the start of the sound under load).
record_start() {
  parecord --device=nullsink.monitor --file-format=wav "$1" & _REC=$!; _pids+=($_REC)
  for _ in $(seq 100); do
    pactl list short source-outputs 2>/dev/null | grep -q . && break
    sleep 0.05
  done
  sleep 0.1
}
record_stop() { kill -INT "$_REC" 2>/dev/null || true; wait "$_REC" 2>/dev/null || true; }

# sox_stats FILE: prints "length rms freq" of the non-silent part of FILE.
sox_stats() {
  sox "$1" -n remix 1 silence 1 0.01 1% reverse silence 1 0.01 1% reverse stat 2>&1 | awk '
    /^Length/ {len=$3} /^RMS +amplitude/ {rms=$3} /^Rough +frequency/ {f=$3}
    END {print len, rms, f}'
}

# within NAME GOT WANT TOLERANCE_FRACTION
within() {
  awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= w * t) }' \
    || fail "$1: got $2, want $3 ± $(awk -v w="$3" -v t="$4" 'BEGIN{print w*t}')"
  ok "$1 = $2 (want $3 ± $(awk -v t="$4" 'BEGIN{print t*100}')%)"
}
