#!/usr/bin/env bash
# The window's figures, as the peer was measured: `ampdesk --demo` under
# Xvfb (software GL) with a PulseAudio null sink. Prints, for RUNS starts
# (default 3): window mapped, album grid with covers; then, once: RSS and
# CPU idle (nothing played yet), CPU while playing, RSS after playing.
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
RUNS=${RUNS:-3}
for n in $(seq 99 160); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISPLAY_NUM=$n; break; fi
done
bg Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp 2>"$WORK/xvfb.log"
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
start_pulse
export HOME="$WORK/home" FYNE_SCALE=1
mkdir -p "$HOME/.cache"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
stddev() { import -window root -crop "$3x$4+$1+$2" +repage png:- 2>/dev/null | identify -format '%[fx:standard_deviation]' -; }
wait_colourful() {
  local t0; t0=$(now_ms)
  while ! awk -v s="$(stddev "$1" "$2" "$3" "$4")" 'BEGIN { exit !(s > 0.12) }'; do
    [ $(( $(now_ms) - t0 )) -lt 20000 ] || { echo timeout; return; }
    sleep 0.02
  done
  echo $(( $(now_ms) - t0 ))
}
hz=$(getconf CLK_TCK)
cpu() { # cpu PID SECONDS: % of one core over that time
  local c0 c1; c0=$(awk '{ print $14 + $15 }' "/proc/$1/stat"); sleep "$2"; c1=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
  awk -v d=$(( c1 - c0 )) -v hz="$hz" -v s="$2" 'BEGIN { printf "%.2f", 100 * d / hz / s }'
}
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

printf '%-6s %-22s %-28s\n' run "window mapped (ms)" "album grid with covers (ms)"
for r in $(seq "$RUNS"); do
  t0=$(now_ms)
  "$BIN" --demo --config-dir "$WORK/cfg$r" >"$WORK/app$r.log" 2>&1 & APP=$!
  until xdotool search --onlyvisible --name '^Ampdesk' >/dev/null 2>&1; do sleep 0.005; done
  mapped=$(( $(now_ms) - t0 ))
  covers=$(wait_colourful 232 120 140 140)
  printf '%-6s %-22s %-28s\n' "$r" "$mapped" "$(( mapped + covers )) (from start)"
  if [ "$r" -lt "$RUNS" ]; then kill "$APP"; wait "$APP" 2>/dev/null || true; fi
done
sleep 5 # settle: the demo library's art, the first sync
echo "RSS idle (MiB):            $(rss "$APP")"
echo "CPU idle (% of one core):  $(cpu "$APP" 10)"
"$BIN" --config-dir "$WORK/cfg$RUNS" control play album 2 >/dev/null
sleep 2
echo "CPU playing (% of one core, albums page): $(cpu "$APP" 10)"
echo "RSS after playing (MiB):   $(rss "$APP")"
"$BIN" --config-dir "$WORK/cfg$RUNS" control pause >/dev/null
sleep 1
echo "CPU paused (% of one core): $(cpu "$APP" 10)"
kill "$APP"; wait "$APP" 2>/dev/null || true
