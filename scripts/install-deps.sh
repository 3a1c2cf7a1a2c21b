#!/usr/bin/env bash
# Installs the Debian packages Ampdesk's build and tests need, only when some
# are missing. Safe to run again. Used by `make demo`, `make test` and CI.
set -euo pipefail

build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxrandr-dev libxxf86vm-dev libxi-dev
  libxcursor-dev libxinerama-dev libxkbcommon-dev libwayland-dev libasound2-dev)
run_pkgs=(xvfb xauth imagemagick x11-utils xdotool pulseaudio pulseaudio-utils libasound2-plugins
  sox gnome-keyring libsecret-tools playerctl haskell-status-notifier-item-utils procps
  psmisc jq curl dbus-daemon systemd libmpg123-0)
# Never dbus-x11: with dbus-launch on PATH, godbus autolaunches stray session
# buses and D-Bus activation starts a locked gnome-keyring (toolchain.md).

want=("${build_pkgs[@]}")
if [ "${1:-}" != "--build-only" ]; then
  want+=("${run_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "install-deps: Go is not installed (need Go >= 1.26 at /usr/local/go or on PATH): see https://go.dev/doc/install" >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "install-deps: these Debian packages are missing and I cannot become root to install them:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
