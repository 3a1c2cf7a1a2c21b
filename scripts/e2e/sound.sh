#!/usr/bin/env bash
# Real sound: `ampdesk play` of 1 kHz tones in mp3, flac, ogg and wav from
# `ampdesk demo-server` into a PulseAudio null sink, recorded with parecord
# and measured with sox; a two-track gapless recording has no gap; with no
# sound server at all, play exits 1 with a plain message within 5 s.
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_keyring
start_demo_server
printf '%s' "$DEMO_PASS" | "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null

# No sound server yet, and no sound card on these machines.
t0=$(date +%s%N)
set +e
"$BIN" play 1 >/dev/null 2>"$WORK/err"; code=$?
set -e
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_eq "play with no sound device exits" "$code" 1
expect_match "play with no sound device says" "$(grep '^ampdesk:' "$WORK/err")" "^ampdesk: no sound device"
[ "$ms" -lt 5000 ] || fail "play with no sound device took $ms ms"
ok "failed within $ms ms"

start_pulse
# Songs 1-4 of the demo library: a 3 s 1 kHz tone, peak 0.5 (RMS 0.3536),
# as mp3, flac, ogg vorbis and wav.
for id in 1 2 3 4; do
  fmt=$(sed -n "${id}p" <<<$'mp3\nflac\nogg\nwav')
  rec="$ART/sound-$fmt.wav"
  record_start "$rec"
  timeout 30 "$BIN" play "$id" --volume 100 >"$WORK/play.out" 2>&1 || { cat "$WORK/play.out"; fail "play $fmt"; }
  sleep 0.3
  record_stop
  read -r len rms freq < <(sox_stats "$rec")
  within "$fmt length (s)" "$len" 3.0 0.03
  within "$fmt RMS" "$rms" 0.3536 0.05
  within "$fmt frequency (Hz)" "$freq" 1000 0.02
done

# Gapless: the 1 kHz and the 440 Hz flac tones back to back. With the
# edges trimmed, removing every silence longer than 5 ms inside must not
# shorten the recording.
rec="$ART/sound-gapless.wav"
record_start "$rec"
timeout 30 "$BIN" play 2 6 --volume 100 >"$WORK/play.out" 2>&1 || { cat "$WORK/play.out"; fail "play 2 6"; }
sleep 0.3
record_stop
sox "$rec" "$WORK/trim.wav" remix 1 silence 1 0.01 1% reverse silence 1 0.01 1% reverse
sox "$WORK/trim.wav" "$WORK/nogaps.wav" silence -l 1 0.01 1% -1 0.005 1%
l1=$(soxi -D "$WORK/trim.wav"); l2=$(soxi -D "$WORK/nogaps.wav")
within "gapless recording length (s)" "$l1" 6.0 0.02
awk -v a="$l1" -v b="$l2" 'BEGIN { exit !(a - b < 0.002) }' || fail "a gap of $(awk -v a="$l1" -v b="$l2" 'BEGIN{print a-b}') s between the tracks"
ok "no gap between the tracks ($l1 s, $l2 s without silences)"
ok "all sound checks passed"
