#!/usr/bin/env bash
# Secrets live in the OS keyring only: a real gnome-keyring on a private
# session bus. Login stores the secret there; a new process connects with
# it; nothing secret is in the config folder; logout removes it; without a
# usable Secret Service the command says so plainly and exits 1.
if [ -z "${_E2E_IN_BUS:-}" ]; then
  exec env _E2E_IN_BUS=1 dbus-run-session -- "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
start_demo_server

# 1. Without a usable Secret Service, login fails in plain words, exits 1
#    and saves nothing. Each case runs on a bus of its own.
try_login() { # prints stderr of a login, returns its exit code
  printf '%s' "$DEMO_PASS" | "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo 2>&1 >/dev/null
}
export -f try_login; export BIN DEMO_URL DEMO_USER DEMO_PASS
# 1a. A bus where nothing provides org.freedesktop.secrets.
cat >"$WORK/bare-bus.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
set +e
msg=$(dbus-run-session --config-file="$WORK/bare-bus.conf" -- bash -c try_login 2>/dev/null); code=$?
set -e
expect_eq "login with no keyring service exits" "$code" 1
expect_match "login with no keyring service says" "$msg" "^ampdesk: no keyring service is running"
expect_eq "it is one line" "$(wc -l <<<"$msg")" 1
# 1b. The desktop's keyring started by D-Bus activation, locked (no one
#     can answer its unlock prompt here).
set +e
msg=$(XDG_DATA_HOME="$WORK/locked-data" dbus-run-session -- bash -c try_login 2>/dev/null | grep '^ampdesk'); code=${PIPESTATUS[0]}
set -e
expect_match "login with a locked keyring says" "$msg" "^ampdesk: the keyring is locked"
if [ -s "$AMPDESK_CONFIG_DIR/profiles.json" ] && grep -q '"demo"' "$AMPDESK_CONFIG_DIR/profiles.json"; then
  fail "a profile was saved without its secret"
fi
ok "no profile saved without a keyring"

# 2. No session bus at all.
set +e
printf '%s' "$DEMO_PASS" | env -u DBUS_SESSION_BUS_ADDRESS "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo 2>"$WORK/err" >/dev/null
code=$?
set -e
expect_eq "login without a session bus exits" "$code" 1
expect_match "login without a session bus says" "$(cat "$WORK/err")" "^ampdesk: cannot reach the keyring: there is no D-Bus session bus"

# 3. With an unlocked gnome-keyring.
start_keyring
printf '%s' "$DEMO_PASS" | "$BIN" login "$DEMO_URL" --user "$DEMO_USER" --password-stdin --name demo >/dev/null
expect_eq "secret is in the keyring" "$(secret-tool lookup service ampdesk username demo)" "$DEMO_PASS"

# A new process, no secret given: ping works with the keyring's secret.
out=$("$BIN" ping --json)
expect_eq "ping from a new process" "$(jq -r .user <<<"$out")" "$DEMO_USER"
"$BIN" -v ls artists --limit 3 >/dev/null 2>"$WORK/verbose.log"

# Nothing secret on disk or in the logs: not the password, not the API
# key, not a session token (Ampache tokens are 32 hex digits).
files=$(find "$AMPDESK_CONFIG_DIR" -type f | wc -l)
[ "$files" -ge 1 ] || fail "expected the profiles file, found $files files"
if grep -rlF -- "$DEMO_PASS" "$AMPDESK_CONFIG_DIR" "$WORK/verbose.log"; then fail "the password is on disk or in a log"; fi
if grep -rlE '[0-9a-f]{32}' "$AMPDESK_CONFIG_DIR" "$WORK/verbose.log"; then fail "something like a session token is on disk or in a log"; fi
ok "config folder ($files files) and verbose log hold no secret"

# API key login too.
printf '%s' "$DEMO_KEY" | "$BIN" login "$DEMO_URL" --api-key-stdin --name demo-key >/dev/null
expect_eq "API key in the keyring" "$(secret-tool lookup service ampdesk username demo-key)" "$DEMO_KEY"
expect_eq "ping with the API key profile" "$("$BIN" --profile demo-key ping --json | jq -r .user)" "$DEMO_USER"
if grep -rlF -- "$DEMO_KEY" "$AMPDESK_CONFIG_DIR"; then fail "the API key is on disk"; fi
ok "API key not on disk"

# Logout removes the secret; the next ping says to log in again.
"$BIN" --profile demo logout >/dev/null
if secret-tool lookup service ampdesk username demo >/dev/null; then fail "the secret is still in the keyring after logout"; fi
ok "logout removed the secret"
set +e
"$BIN" --profile demo ping 2>"$WORK/err" >/dev/null; code=$?
set -e
expect_eq "ping after logout exits" "$code" 1
expect_match "ping after logout says" "$(cat "$WORK/err")" "log in again"
ok "all keyring checks passed"
