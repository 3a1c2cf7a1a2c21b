#!/usr/bin/env bash
# The desktop integration end to end: `ampdesk --demo` under Xvfb, on a
# private session bus with status-notifier-watcher as the tray host and a
# PulseAudio null sink. Checks that the tray item registers and its menu
# (the playing song, Play/Pause, Next, Previous, Show/Hide, Localplay, one
# Quit), that a dbusmenu "clicked" on Next advances the queue; MPRIS with
# playerctl (metadata, play-pause, next, position 30, volume, --follow
# status); `ampdesk control`; one instance (a second start raises the
# first); Hide and Quit from the tray.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"

for tool in Xvfb xdotool status-notifier-watcher busctl playerctl jq pactl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps.sh)"
done
# Until main.go calls desktop.Start, the binary has no MPRIS and there is
# nothing to test here.
if ! grep -q -a 'org.mpris.MediaPlayer2.ampdesk' "$BIN"; then
  echo "SKIP: $BIN has no desktop integration (desktop.Start is not wired into main.go yet)"
  exit 0
fi

a() { "$BIN" "$@"; }
# status_field FIELD: one field of `ampdesk control status --json`.
status_field() { a control status --json | jq -r ".$1"; }
# wait_until DESCRIPTION COMMAND...: polls COMMAND for up to 20 s.
wait_until() {
  local what=$1; shift
  for _ in $(seq 200); do "$@" >/dev/null 2>&1 && { ok "$what"; return 0; }; sleep 0.1; done
  fail "timed out: $what"
}

start_pulse
export HOME="$WORK/home"; mkdir -p "$HOME/.cache"
bg Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log"
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || fail "Xvfb did not start"
export DISPLAY=":$(cat "$WORK/display")"

bg status-notifier-watcher 2>"$WORK/watcher.log"
wait_until "the StatusNotifierWatcher is on the bus" \
  busctl --user status org.kde.StatusNotifierWatcher

bg "$BIN" --demo >"$WORK/app.log" 2>&1
APP=$!
wait_until "ampdesk --demo answers on its control socket" a control status
wait_until "the window is shown" xdotool search --onlyvisible --name '^Ampdesk'

# Something to play: the first generated album (songs of 95 s and more),
# once the window has connected to its demo server.
play_album() { a control play album 2 --json >"$WORK/play.json"; }
wait_until "control play album 2" play_album
out=$(cat "$WORK/play.json")
expect_eq "control play: state" "$(jq -r .state <<<"$out")" playing
expect_eq "control play: index" "$(jq -r .index <<<"$out")" 0
title0=$(jq -r .title <<<"$out"); artist0=$(jq -r .artist <<<"$out")

# The tray: registered, and its menu.
item="org.kde.StatusNotifierItem-$APP-1"
registered() { busctl --user get-property org.kde.StatusNotifierWatcher /StatusNotifierWatcher \
  org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -vq '^as 0'; }
wait_until "the tray item registers with the watcher" registered
layout() { busctl --user --json=short call "$item" /StatusNotifierItem/menu com.canonical.dbusmenu \
  GetLayout iias -- "${1:-0}" -1 1 label; }
labels() { layout "${1:-0}" | jq -r '[.data[1][2][].data[1] | if .type.data == "separator" then "-" else .label.data end] | join("|")'; }
item_id() { layout "${2:-0}" | jq -r --arg l "$1" '.data[1][2][] | select(.data[1].label.data == $l) | .data[0]' | head -n1; }
revision() { layout | jq -r '.data[0]'; }
# click LABEL [PARENT]: "clicked" on a menu item, once the menu has stopped
# changing (a rebuild gives its items new ids).
click() {
  local id="" r1 r2
  for _ in $(seq 50); do
    r1=$(revision); sleep 0.2; id=$(item_id "$@"); r2=$(revision)
    [ -n "$id" ] && [ "$r1" = "$r2" ] && break
    id=""
  done
  [ -n "$id" ] || fail "no \"$1\" in the tray menu: $(labels "${2:-0}")"
  busctl --user call "$item" /StatusNotifierItem/menu com.canonical.dbusmenu Event isvu "$id" clicked s "" 0
}
menu_is() { [ "$(labels)" = "$1" ]; }
want_menu="$title0 — $artist0|-|Pause|Next|Previous|-|Hide window|Localplay|-|Quit"
wait_until "tray menu: $want_menu" menu_is "$want_menu"
expect_eq "the now-playing line is disabled" \
  "$(layout | jq -r '.data[1][2][0].data[1].enabled.data')" false
expect_eq "the Localplay submenu" "$(labels "$(item_id Localplay)")" "Play/Pause|Next|Previous"

click Next
index_is() { [ "$(status_field index)" = "$1" ]; }
wait_until "the tray's Next advances the queue" index_is 1
title1=$(status_field title)

# MPRIS with playerctl.
p() { playerctl -p ampdesk "$@"; }
expect_match "playerctl -l" "$(playerctl -l)" 'ampdesk'
bg playerctl -p ampdesk --follow status >"$WORK/follow.log" 2>&1
# --follow prints the status it finds first; until then it would miss the
# changes below.
following() { grep -q '^Playing$' "$WORK/follow.log"; }
wait_until "playerctl --follow is following" following
title_is() { [ "$(p metadata xesam:title)" = "$1" ]; }
wait_until "playerctl metadata shows the playing song" title_is "$title1"
expect_match "playerctl metadata artist" "$(p metadata xesam:artist)" '.'
expect_match "playerctl metadata album" "$(p metadata xesam:album)" '.'
expect_match "playerctl metadata length" "$(p metadata mpris:length)" '^[0-9]{8,}$'
p play-pause
status_is() { [ "$(p status)" = "$1" ]; }
wait_until "playerctl play-pause pauses" status_is Paused
expect_eq "control sees it paused" "$(status_field state)" paused
p play-pause
wait_until "playerctl play-pause plays again" status_is Playing
followed() { tr '\n' ' ' <"$WORK/follow.log" | grep -q "Playing Paused Playing"; }
followed || sleep 2
followed || echo "playerctl --follow printed: $(tr '\n' ' ' <"$WORK/follow.log")"
wait_until "playerctl --follow status saw Playing, Paused, Playing" followed
p next
wait_until "playerctl next" index_is 2
p position 30
at30() { awk -v p="$(p position)" 'BEGIN { exit !(p >= 30 && p < 34) }'; }
wait_until "playerctl position 30" at30
p volume 0.4
expect_eq "control sees playerctl's volume" "$(status_field volume)" 40

# ampdesk control.
a control play-pause >/dev/null
wait_until "control play-pause" status_is Paused
expect_eq "control volume" "$(a control volume 55)" "volume 55%"
expect_match "playerctl sees control's volume" "$(p volume)" '^0\.55'
a control prev >/dev/null
a control play >/dev/null
wait_until "control play" status_is Playing
expect_match "control status" "$(a control status)" '^(playing|buffering): '

# Hide from the tray; a second start raises the window and exits.
click "Hide window"
hidden() { ! xdotool search --onlyvisible --name '^Ampdesk'; }
wait_until "the tray's Hide window hides it" hidden
menu_has() { labels | grep -qF "|$1|"; }
wait_until "the menu offers Show window" menu_has "Show window"
timeout 20 "$BIN" --demo >"$WORK/second.log" 2>&1 || fail "the second start failed: $(cat "$WORK/second.log")"
ok "the second start exits: $(head -n1 "$WORK/second.log")"
wait_until "the second start raised the window" xdotool search --onlyvisible --name '^Ampdesk'
import -window root "$ART/desktop.png" 2>/dev/null || true

# Quit from the tray.
click Quit
code=0
for _ in $(seq 200); do kill -0 "$APP" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP" 2>/dev/null && fail "ampdesk did not quit from the tray"
wait "$APP" || code=$?
expect_eq "ampdesk exit code after Quit" "$code" 0
out=$(a control status 2>&1) && fail "control status answered after Quit: $out"
expect_eq "control with no instance" "$out" "ampdesk: Ampdesk is not running"
