#!/usr/bin/env bash
# The command line end to end against `ampdesk demo-server`, with the
# secret in a real gnome-keyring: login, ping, ls, search, playlists,
# bookmarks, localplay, democratic — each checked on its --json output.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_keyring
start_demo_server
a() { "$BIN" "$@"; }

out=$(printf '%s' "$DEMO_PASS" | a login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo --json)
expect_eq "login profile" "$(jq -r .profile <<<"$out")" demo
expect_eq "login user" "$(jq -r .user <<<"$out")" "$DEMO_USER"

out=$(a ping --json)
expect_match "ping api" "$(jq -r .api <<<"$out")" '^6\.'
expect_eq "ping user" "$(jq -r .user <<<"$out")" "$DEMO_USER"

out=$(a ls artists --json)
n=$(jq length <<<"$out")
[ "$n" -gt 10 ] || fail "ls artists: only $n"
ok "ls artists: $n artists"
expect_eq "ls artists includes the test artist" "$(jq -r '[.[] | select(.name=="Ampdesk Test Signals")] | length' <<<"$out")" 1
out=$(a ls albums --limit 7 --json)
expect_eq "ls albums --limit 7" "$(jq length <<<"$out")" 7
album=$(a ls albums --filter "Test Tones" --json | jq -r '.[0].id')
out=$(a ls album "$album" --json)
expect_eq "ls album tracks" "$(jq '.tracks | length' <<<"$out")" 8
expect_eq "ls album first track" "$(jq -r '.tracks[0].title' <<<"$out")" "1 kHz Tone (MP3)"
expect_eq "ls songs --limit 25" "$(a ls songs --limit 25 --json | jq length)" 25
[ "$(a ls genres --json | jq length)" -gt 3 ] || fail "ls genres"; ok "ls genres"
[ "$(a ls podcasts --json | jq length)" -ge 1 ] || fail "ls podcasts"; ok "ls podcasts"
pod=$(a ls podcasts --json | jq -r '.[0].id')
[ "$(a ls episodes "$pod" --json | jq length)" -ge 1 ] || fail "ls episodes"; ok "ls episodes"

out=$(a search "1 kHz" --json)
[ "$(jq '.songs | length' <<<"$out")" -ge 4 ] || fail "search songs: $out"
expect_eq "search finds only matching songs" "$(jq '[.songs[] | select(.title | test("1 kHz") | not)] | length' <<<"$out")" 0

# Playlists: create, add, remove, rename, delete.
pl=$(a playlist create "E2E list" --json | jq -r .id)
[ -n "$pl" ] && [ "$pl" != null ] || fail "playlist create"
ok "playlist create: $pl"
out=$(a playlist add "$pl" 1 2 3 --json)
expect_eq "playlist add" "$(jq -r '[.songs[].id] | join(",")' <<<"$out")" "1,2,3"
out=$(a playlist remove "$pl" 2 --json)
expect_eq "playlist remove" "$(jq -r '[.songs[].id] | join(",")' <<<"$out")" "1,3"
a playlist rename "$pl" "E2E renamed" >/dev/null
expect_eq "playlist rename" "$(a ls playlists --json | jq -r --arg id "$pl" '.[] | select(.id==$id) | .name')" "E2E renamed"
a playlist delete "$pl" >/dev/null
expect_eq "playlist delete" "$(a ls playlists --json | jq --arg id "$pl" '[.[] | select(.id==$id)] | length')" 0

# Bookmarks: set, get, list, delete.
ep=$(a ls episodes "$pod" --json | jq -r '.[0].id')
a bookmark set podcast_episode "$ep" 7:30 >/dev/null
out=$(a bookmark get podcast_episode "$ep" --json)
expect_eq "bookmark get position" "$(jq .position <<<"$out")" 450
expect_eq "bookmark client" "$(jq -r .client <<<"$out")" Ampdesk
a bookmark set podcast_episode "$ep" 600 >/dev/null
expect_eq "bookmark moved" "$(a bookmark get podcast_episode "$ep" --json | jq .position)" 600
expect_eq "bookmark list" "$(a bookmark list --json | jq --arg id "$ep" '[.[] | select(.object_id==$id)] | length')" 1
a bookmark delete podcast_episode "$ep" >/dev/null
set +e; a bookmark get podcast_episode "$ep" --json >/dev/null 2>"$WORK/err"; code=$?; set -e
expect_eq "bookmark get after delete exits" "$code" 1
expect_eq "bookmark get after delete says" "$(cat "$WORK/err")" "ampdesk: no bookmark saved for this item"

# Localplay: add an album replacing the queue, play, status, next.
a localplay add album "$album" --clear >/dev/null
expect_eq "localplay songs" "$(a localplay songs --json | jq length)" 8
out=$(a localplay play --json)
expect_eq "localplay play state" "$(jq -r .state <<<"$out")" play
t0=$(a localplay status --json | jq .track)
out=$(a localplay next --json)
expect_eq "localplay next track" "$(jq .track <<<"$out")" "$((t0 + 1))"
a localplay volume up >/dev/null
a localplay stop >/dev/null
expect_eq "localplay stop" "$(a localplay status --json | jq -r .state)" stop

# Democratic: vote, list, devote.
a democratic vote 5 >/dev/null
a democratic vote 6 >/dev/null
out=$(a democratic list --json)
expect_eq "democratic list has the votes" "$(jq '[.[] | select(.id=="5" or .id=="6")] | length' <<<"$out")" 2
a democratic devote 5 >/dev/null
expect_eq "democratic devote" "$(a democratic list --json | jq '[.[] | select(.id=="5")] | length')" 0
expect_match "democratic play url" "$(a democratic play --json | jq -r .url)" '^http://127\.0\.0\.1:[0-9]+/'

# Shares, podcasts, radio.
out=$(a share create album "$album" --days 3 --json)
expect_match "share create url" "$(jq -r .url <<<"$out")" '^http://127\.0\.0\.1:[0-9]+/.*share'
expect_eq "share create expiry" "$(jq .expire_days <<<"$out")" 3
sid=$(jq -r .id <<<"$out")
expect_eq "share list" "$(a share list --json | jq --arg id "$sid" '[.[] | select(.id==$id)] | length')" 1
a share delete "$sid" >/dev/null
expect_eq "share delete" "$(a share list --json | jq --arg id "$sid" '[.[] | select(.id==$id)] | length')" 0
set +e; a podcast subscribe http://127.0.0.1:9/feed.xml >/dev/null 2>"$WORK/err"; code=$?; set -e
expect_eq "podcast subscribe to a loopback feed exits" "$code" 1
expect_match "podcast subscribe to a loopback feed says" "$(cat "$WORK/err")" "^ampdesk: the server refused the request"
out=$(a podcast subscribe https://podcasts.example.com/new.xml --json)
expect_match "podcast subscribe" "$(jq -r .id <<<"$out")" '^[0-9]+$'
a podcast refresh "$(jq -r .id <<<"$out")" >/dev/null
ok "podcast refresh"
[ "$(a radio list --json | jq length)" -ge 1 ] || fail "radio list"; ok "radio list"

# Exit codes.
set +e
a ls nonsense >/dev/null 2>&1; expect_eq "usage exit code" "$?" 2
a ls album 999999 >/dev/null 2>"$WORK/err"; code=$?
set -e
expect_eq "failure exit code" "$code" 1
expect_eq "failure message is one line" "$(wc -l <"$WORK/err")" 1
ok "all CLI checks passed"
