#!/usr/bin/env bash
# Secrets end to end, with the real binary, a real gnome-keyring and real
# sound: a full session with -v logging (log in with a password and with
# an API key, browse, search, sync, play, bookmark, download, log out),
# then a byte scan of the config, cache and data folders (SQLite files
# included) and of the logs for the password, the API key and every
# session token the server issued (the demo server writes them at exit).
# The logs must show auth= and ssid= redacted; logout must empty the
# keyring. Prints the bytes scanned (also in $ART/secrets-scan.txt).
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_keyring
start_pulse
start_demo_server --tokens-file "$WORK/tokens"
demo_pid=${_pids[${#_pids[@]}-1]}
LOG="$WORK/verbose.log"
: >"$LOG"
# a ARGS...: one ampdesk command with -v, its log appended to $LOG.
a() { "$BIN" -v "$@" 2>>"$LOG"; }

# 1. The session.
printf '%s' "$DEMO_PASS" | a login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null
printf '%s' "$DEMO_KEY" | a login "$DEMO_URL" --api-key-stdin --name demo-key >/dev/null
expect_eq "password in the keyring" "$(secret-tool lookup service ampdesk username demo)" "$DEMO_PASS"
expect_eq "API key in the keyring" "$(secret-tool lookup service ampdesk username demo-key)" "$DEMO_KEY"
a --profile demo ping >/dev/null
a --profile demo-key ls artists --limit 3 >/dev/null
a --profile demo ls albums --limit 5 >/dev/null
a --profile demo ls album 1 >/dev/null
a --profile demo search tone >/dev/null
a --profile demo sync >/dev/null
a --profile demo play 1 >/dev/null # the 3 s tone, through the null sink
pod=$(a --profile demo ls podcasts --json | jq -r '.[0].id')
ep=$(a --profile demo ls episodes "$pod" --json | jq -r '.[0].id')
a --profile demo bookmark set podcast_episode "$ep" 125 >/dev/null
expect_eq "bookmark saved" "$(a --profile demo bookmark get podcast_episode "$ep" --json | jq -r .position)" 125
a --profile demo bookmark list >/dev/null
a --profile demo download album 1 >/dev/null
a --profile demo logout >/dev/null
a --profile demo-key logout >/dev/null
ok "session: 2 logins, browse, search, sync, play, bookmark, download, 2 logouts"

# 2. The keyring entries are gone.
for p in demo demo-key; do
  if secret-tool lookup service ampdesk username "$p" >/dev/null; then fail "the keyring still holds the secret of $p after logout"; fi
done
ok "logout removed both keyring entries"

# 3. The tokens the server issued.
kill -TERM "$demo_pid"
wait "$demo_pid" 2>/dev/null || true
[ -s "$WORK/tokens" ] || fail "the demo server wrote no tokens"
ntokens=$(grep -c . "$WORK/tokens")
[ "$ntokens" -ge 10 ] || fail "only $ntokens session tokens issued: the session did not run"

# 4. The scan: every file the app wrote, byte for byte, and the log.
scan_dirs=("$AMPDESK_CONFIG_DIR")
[ -d "${XDG_RUNTIME_DIR:-}" ] && scan_dirs+=("$XDG_RUNTIME_DIR")
mapfile -t files < <(find "${scan_dirs[@]}" -type f)
files+=("$LOG")
[ "${#files[@]}" -ge 6 ] || fail "only ${#files[@]} files to scan"
find "$AMPDESK_CONFIG_DIR" -name '*.db' | grep -q . || fail "no SQLite database was written (sync)"
bytes=$(cat "${files[@]}" | wc -c)
check() { # NAME SECRET
  if grep -laF -- "$2" "${files[@]}"; then fail "$1 found in the files above"; fi
}
check "the password" "$DEMO_PASS"
check "the API key" "$DEMO_KEY"
while read -r tok; do
  [ -n "$tok" ] && check "a session token" "$tok"
done <"$WORK/tokens"

# 5. The log shows the URLs redacted.
grep -q 'auth=REDACTED' "$LOG" || fail "the -v log shows no redacted auth= (is request logging on?)"
if grep -aoE '(auth|ssid)=[^&[:space:]"]+' "$LOG" | grep -v '=REDACTED$'; then
  fail "the -v log shows an auth= or ssid= value"
fi
ok "the -v log shows auth= and ssid= only as REDACTED"

summary="scanned $bytes bytes in ${#files[@]} files (config, cache with the SQLite databases, data with the downloads, the $(wc -c <"$LOG")-byte -v log) for the password, the API key and $ntokens session tokens: none found"
echo "$summary" >"$ART/secrets-scan.txt"
ok "$summary"
