#!/usr/bin/env bash
# Bookmarks end to end, with real processes: `ampdesk play` of a podcast
# episode (started at 7:20) is killed with SIGKILL at 7:30; played again,
# it resumes within ±5 s of 7:30 from the journal that survived the kill,
# and the server's bookmark ends up there too (replayed at connect).
# Then: quitting pushes the position, the plain "resuming at" line, and
# --start 0 starting over.
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_keyring
start_demo_server
start_pulse
printf '%s' "$DEMO_PASS" | "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null
a() { "$BIN" "$@"; }

pod=$(a ls podcasts --json | jq -r '.[0].id')
ep=$(a ls episodes "$pod" --json | jq -r '[.[] | select(.seconds >= 720)][0].id')
[ -n "$ep" ] && [ "$ep" != null ] || fail "no episode of 12 minutes or more"
ok "episode $ep"

# events FILE JQ_FILTER: the filter over the JSON lines of FILE (play
# prints a last plain "stopped" line, which is skipped).
events() { jq -rR "fromjson? | $2" "$1"; }
# wait_json FILE JQ_FILTER TIMEOUT_S: waits until the filter gives output
# for the JSON lines of FILE, and prints its last value.
wait_json() {
  local v=""
  for _ in $(seq $(($3 * 10))); do
    v=$(events "$1" "$2" 2>/dev/null | tail -1)
    [ -n "$v" ] && { echo "$v"; return 0; }
    sleep 0.1
  done
  return 1
}
# near NAME GOT WANT TOLERANCE: |GOT - WANT| <= TOLERANCE (seconds)
near() {
  awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= t) }' \
    || fail "$1: got $2, want $3 ± $4"
  ok "$1 = $2 (want $3 ± $4)"
}

# 1. Play from 7:20; at 7:30, SIGKILL it. Positions are printed every 5 s
# (7:20, 7:25, 7:30 give or take the start-up): kill half a second after
# the one of 7:28 or later.
out1="$WORK/play1.jsonl"
"$BIN" play --type podcast_episode "$ep" --start 7:20 --json >"$out1" 2>"$WORK/play1.err" &
pid=$!; _pids+=("$pid")
pos=$(wait_json "$out1" 'select(.event=="position" and .position >= 448) | .position' 40) \
  || { cat "$out1" "$WORK/play1.err" >&2; fail "play did not reach 7:30"; }
sleep 0.5
kill -9 "$pid"
wait "$pid" 2>/dev/null && fail "play survived SIGKILL" || true
ok "killed at about $pos s + 0.5 s"
[ -z "$(events "$out1" 'select(.event=="resume")')" ] || fail "an explicit --start resumed from a bookmark"
ok "--start 7:20 was not overridden by a bookmark"
# Killed within 30 s of its start, it never pushed: only the journal has it.
set +e; a bookmark get podcast_episode "$ep" >/dev/null 2>&1; code=$?; set -e
expect_eq "no server bookmark before the restart (exit code)" "$code" 1

# 2. Play again: it resumes from the journal, within ±5 s of 7:30.
out2="$WORK/play2.jsonl"
"$BIN" play --type podcast_episode "$ep" --json >"$out2" 2>"$WORK/play2.err" &
pid=$!; _pids+=("$pid")
res=$(wait_json "$out2" 'select(.event=="resume") | .position' 15) \
  || { cat "$out2" "$WORK/play2.err" >&2; fail "no resume event"; }
near "resumed after SIGKILL at (s)" "$res" 450 5
awk -v r="$res" -v k="$pos" 'BEGIN { exit !(r <= k + 1) }' || fail "resumed at $res, past where it was killed ($pos + 0.5)"
first=$(wait_json "$out2" 'select(.event=="position") | .position' 15) || fail "no position after resuming"
near "first position after resuming (s)" "$first" 450 5
# The journal's position was not on the server (pushes come every 30 s):
# the new process replays it at connect.
srv=""
for _ in $(seq 100); do
  srv=$(a bookmark get podcast_episode "$ep" --json 2>/dev/null | jq -r .position) && [ -n "$srv" ] && break
  sleep 0.1
done
near "server bookmark after the replay (s)" "$srv" 450 5
expect_eq "server bookmark client" "$(a bookmark get podcast_episode "$ep" --json | jq -r .client)" Ampdesk

# 3. Quitting (SIGTERM, handled as Ctrl-C; a background job of a script
# ignores SIGINT) pushes the position.
sleep 2
last=$(events "$out2" 'select(.event=="position") | .position' | tail -1)
kill -TERM "$pid"
wait "$pid" || fail "play did not exit cleanly on SIGTERM (exit $?): $(cat "$WORK/play2.err")"
srv=$(a bookmark get podcast_episode "$ep" --json | jq -r .position)
awk -v s="$srv" -v r="$res" 'BEGIN { exit !(s >= r + 1) }' || fail "the position at quit was not pushed: server $srv, resumed at $res"
near "server bookmark after quitting (s)" "$srv" "$last" 6

# 4. The plain output says where it resumes; --start 0 starts over.
"$BIN" play --type podcast_episode "$ep" >"$WORK/play3.out" 2>"$WORK/play3.err" &
pid=$!; _pids+=("$pid")
for _ in $(seq 100); do grep -q '^resuming at' "$WORK/play3.out" && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid" || true
expect_match "resume line" "$(grep '^resuming at' "$WORK/play3.out")" '^resuming at 7:[2-4][0-9] \(ampdesk play --start 0 to start over\)$'

out4="$WORK/play4.jsonl"
"$BIN" play --type podcast_episode "$ep" --start 0 --json >"$out4" 2>"$WORK/play4.err" &
pid=$!; _pids+=("$pid")
first=$(wait_json "$out4" 'select(.event=="position") | .position' 15) || fail "no position with --start 0"
kill -TERM "$pid"; wait "$pid" || true
near "--start 0 starts at (s)" "$first" 0 2
[ -z "$(events "$out4" 'select(.event=="resume")')" ] || fail "--start 0 resumed"
ok "all bookmark checks passed"
