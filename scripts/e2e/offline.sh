#!/usr/bin/env bash
# Offline: sync the library and download an album, stop the server, and
# the command line still lists, searches and plays the downloaded album
# from this computer; what needs the server says it cannot reach it.
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_keyring
start_demo_server
start_pulse
a() { "$BIN" "$@"; }
printf '%s' "$DEMO_PASS" | a login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null

out=$(a sync --json 2>/dev/null)
[ "$(jq .songs <<<"$out")" -gt 1000 ] || fail "sync: $out"
ok "sync: $(jq .songs <<<"$out") songs, $(jq .albums <<<"$out") albums in $(jq .seconds <<<"$out") s"
out=$(a download album 1 --json 2>/dev/null)
expect_eq "download album 1 complete" "$(jq .complete <<<"$out")" true
expect_eq "download album 1 items" "$(jq .downloaded <<<"$out")" 8
expect_eq "download list" "$(a download list --json | jq '[.[] | select(.kind=="album" and .id=="1")] | length')" 1
pod=$(a podcast list --json | jq -r '.[0].id')
ep=$(a podcast episodes "$pod" --json | jq -r 'sort_by(.seconds) | .[0].id')
out=$(a podcast download "$ep" --json 2>/dev/null)
expect_eq "podcast download complete" "$(jq .complete <<<"$out")" true

# The server goes away.
kill "$DEMO_PID"; wait "$DEMO_PID" 2>/dev/null || true
if curl -s -m 2 "$DEMO_URL/server/json.server.php?action=ping" >/dev/null; then fail "the server still answers"; fi
ok "server stopped"

out=$(a ls albums --limit 5 --json 2>"$WORK/err")
expect_eq "ls albums offline" "$(jq length <<<"$out")" 5
expect_match "ls says it is offline" "$(cat "$WORK/err")" "offline"
out=$(a search beyonce --json 2>/dev/null)
expect_eq "search offline finds Beyoncé" "$(jq -r '.artists[0].name' <<<"$out")" "Beyoncé"
expect_eq "ls album 1 offline" "$(a ls album 1 --json 2>/dev/null | jq '.tracks | length')" 8
expect_eq "the downloaded episode is listed offline" "$(a download list --json 2>/dev/null | jq --arg id "$ep" '[.[] | select(.kind=="podcast_episode" and .id==$id and .complete)] | length')" 1

rec="$ART/offline-play.wav"
record_start "$rec"
timeout 30 "$BIN" play 1 5 --volume 100 >"$WORK/play.out" 2>&1 || { cat "$WORK/play.out"; fail "play offline"; }
sleep 0.3
record_stop
read -r len rms _ < <(sox_stats "$rec")
# Sound measured without pauses longer than 50 ms (a loaded machine can
# starve the sound server; sound.sh is the test of gaps).
sox "$rec" "$WORK/sound.wav" remix 1 silence -l 1 0.01 1% -1 0.05 1%
within "offline playback, sound only (s)" "$(soxi -D "$WORK/sound.wav")" 6.0 0.03
within "offline playback RMS" "$rms" 0.3536 0.05

set +e; a playlist create "while offline" >/dev/null 2>"$WORK/err"; code=$?; set -e
expect_eq "playlist create offline exits" "$code" 1
expect_match "playlist create offline says" "$(cat "$WORK/err")" "^ampdesk: cannot reach the server at .*connection refused"
ok "all offline checks passed"
