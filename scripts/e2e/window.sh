#!/usr/bin/env bash
# The real window: `ampdesk --demo` under Xvfb (software GL) with a
# PulseAudio null sink. Screenshots of the albums grid, search results, an
# album page and the queue go to $AMPDESK_ARTIFACTS/window-*.png; Play on
# the "Test Tones" album is clicked with xdotool and the null sink's
# recording must hold the 1 kHz tone. Timings, memory and idle CPU are
# written to window-metrics.txt (reported, not asserted: they depend on the
# machine).
#
# Coordinates are those of a 1280×800 window at 0,0 (no window manager)
# with FYNE_SCALE=1.
source "$(dirname "$0")/../lib.sh"

# A free display.
for n in $(seq 99 160); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISPLAY_NUM=$n; break; fi
done
[ -n "${DISPLAY_NUM:-}" ] || fail "no free X display"
bg Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp 2>"$WORK/xvfb.log"
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
xdpyinfo >/dev/null 2>&1 || { cat "$WORK/xvfb.log" >&2; fail "Xvfb did not start"; }

start_pulse
export HOME="$WORK/home" FYNE_SCALE=1
mkdir -p "$HOME/.cache"
METRICS="$ART/window-metrics.txt"
: >"$METRICS"
metric() { echo "$1: $2" | tee -a "$METRICS"; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# shot NAME: a screenshot of the screen into the artifacts.
shot() { import -window root "$ART/window-$1.png"; }

# stddev X Y W H: the colour spread of a screen region (0: one flat colour).
stddev() {
  import -window root -crop "$3x$4+$1+$2" +repage png:- 2>/dev/null | identify -format '%[fx:standard_deviation]' -
}

# wait_colourful NAME X Y W H [TIMEOUT_S]: wait until a region shows an
# image (cover art) rather than a flat placeholder; prints the wait in ms.
wait_colourful() {
  local name=$1 t0 deadline
  t0=$(now_ms); deadline=$(( t0 + ${6:-15} * 1000 ))
  while :; do
    if awk -v s="$(stddev "$2" "$3" "$4" "$5")" 'BEGIN { exit !(s > 0.12) }'; then
      echo $(( $(now_ms) - t0 )); return 0
    fi
    [ "$(now_ms)" -lt "$deadline" ] || fail "$name did not appear"
    sleep 0.05
  done
}

# not_blank NAME: the screenshot has content.
not_blank() {
  local sd
  sd=$(identify -format '%[fx:standard_deviation]' "$ART/window-$1.png")
  awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' || fail "screenshot $1 is blank (stddev $sd)"
  ok "screenshot $1 has content (stddev $sd)"
}

click() { xdotool mousemove "$1" "$2" click 1; }

# Start the window and time it until it is mapped.
t0=$(now_ms)
bg "$BIN" --demo >"$ART/window-ampdesk.log" 2>&1
APP=${_pids[-1]}
WID=""
for _ in $(seq 200); do
  WID=$(xdotool search --onlyvisible --name '^Ampdesk' 2>/dev/null | head -1 || true)
  [ -n "$WID" ] && break
  kill -0 "$APP" 2>/dev/null || { cat "$ART/window-ampdesk.log" >&2; fail "ampdesk --demo exited"; }
  sleep 0.01
done
[ -n "$WID" ] || fail "no Ampdesk window"
metric "window mapped (ms from start)" $(( $(now_ms) - t0 ))
read -r W H < <(xdotool getwindowgeometry "$WID" | awk '/Geometry/ { split($2, a, "x"); print a[1], a[2] }')
expect_eq "window size" "${W}x${H}" "1280x800"

# 1. The albums grid: the first cover (the grid's top-left card).
ms=$(wait_colourful "the first album cover" 232 120 140 140)
metric "album grid with covers (ms after mapping)" "$ms"
# Let the rest of the visible covers arrive, then photograph.
wait_colourful "the last visible cover" 1072 352 140 140 >/dev/null
shot albums
not_blank albums

# 2. Search (Ctrl+F) for the test album.
xdotool mousemove 700 400
xdotool key ctrl+f
sleep 0.2
xdotool type --delay 20 "Test Tones"
ms=$(wait_colourful "the album in the search results" 232 250 140 100)
metric "search results (ms after typing)" "$ms"
shot search
not_blank search

# 3. The album page.
click 305 300
wait_colourful "the album page's cover" 232 70 190 190 >/dev/null
sleep 0.3 # the tracklist arrives with the album
shot album
not_blank album

# 4. Play, recorded from the null sink.
REC="$ART/window-play.wav"
record_start "$REC"
click 474 270
for _ in $(seq 200); do
  [ -n "$(pactl list short sink-inputs)" ] && break
  sleep 0.05
done
[ -n "$(pactl list short sink-inputs)" ] || fail "no stream reached the sound server after Play"
# 2.5 s of sound from when the stream appeared (the first track is a 3 s
# 1 kHz tone); parecord writes 44100 Hz 16-bit stereo.
size() { stat -c %s "$REC" 2>/dev/null || echo 0; }
want=$(( $(size) + 44100 * 4 * 25 / 10 ))
for _ in $(seq 200); do
  [ "$(size)" -ge "$want" ] && break
  sleep 0.05
done
record_stop
read -r len rms freq < <(sox_stats "$REC")
awk -v r="$rms" 'BEGIN { exit !(r > 0.05) }' || fail "recording is silent (RMS $rms)"
ok "sound recorded: $len s, RMS $rms"
within "recorded frequency (Hz)" "$freq" 1000 0.05

# 5. The queue while playing.
click 70 304
sleep 0.5
shot queue
not_blank queue

# 6. Idle: pause, then measure memory and CPU over 5 s.
xdotool mousemove 700 400 key space
sleep 1
ticks() { awk '{ print $14 + $15 }' "/proc/$APP/stat"; }
c0=$(ticks); sleep 5; c1=$(ticks)
hz=$(getconf CLK_TCK)
metric "idle CPU (% of one core, paused)" "$(awk -v d=$(( c1 - c0 )) -v hz="$hz" 'BEGIN { printf "%.1f", 100 * d / hz / 5 }')"
metric "RSS (MiB, paused)" "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$APP/status")"

# 7. Ctrl+Q quits.
xdotool key ctrl+q
for _ in $(seq 100); do kill -0 "$APP" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$APP" 2>/dev/null; then fail "Ctrl+Q did not quit"; fi
wait "$APP" || fail "ampdesk exited with an error"
ok "Ctrl+Q quit the window"
ok "window checks passed"
