#!/usr/bin/env bash
# Internet radio for real: `ampdesk radio play 1` against `ampdesk
# demo-server` (an endless MP3 live stream with ICY metadata) into a
# PulseAudio null sink. Stopped by Ctrl-C (SIGINT) after 4 s, it must exit
# 0 (timeout --preserve-status passes on its own status, not 124), print
# nothing on stderr, have printed the station's ICY title ("on air:
# Artist - Title"), and the recording must hold the stream's sound (the
# first second or so goes to connecting and opening the device).
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_keyring
start_demo_server
printf '%s' "$DEMO_PASS" | "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null
start_pulse

station=$("$BIN" --json radio list | jq -r '.[0].name')
[ -n "$station" ] && [ "$station" != null ] || fail "no radio station listed"

rec="$ART/radio.wav"
record_start "$rec"
set +e
timeout --preserve-status -s INT 4 "$BIN" radio play 1 >"$WORK/radio.out" 2>"$WORK/radio.err"
code=$?
set -e
record_stop
cat "$WORK/radio.out"
expect_eq "radio play stopped by Ctrl-C exits" "$code" 0
[ ! -s "$WORK/radio.err" ] || fail "radio play wrote to stderr: $(cat "$WORK/radio.err")"
ok "nothing on stderr"
expect_match "radio play names the station" "$(head -n1 "$WORK/radio.out")" "^playing $station "
# ampachetest's RadioTitle is "Artist - Title".
expect_match "radio play shows the ICY title" "$(grep '^on air: ' "$WORK/radio.out" | head -n1)" "^on air: [^ ].* - [^ ].*$"
expect_eq "radio play says it stopped" "$(tail -n1 "$WORK/radio.out")" "stopped"

read -r len rms _ < <(sox_stats "$rec")
awk -v l="$len" 'BEGIN { exit !(l >= 1.5) }' || fail "recorded $len s of sound, want at least 1.5 s of the 4 s"
ok "recorded $len s of sound"
awk -v r="$rms" 'BEGIN { exit !(r >= 0.02) }' || fail "recorded RMS $rms: silence"
ok "recorded RMS $rms"
ok "all radio checks passed"
