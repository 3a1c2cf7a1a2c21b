#!/usr/bin/env bash
# Runs every test: vet and format checks, unit tests (with the race detector
# for the packages that do not draw), then the end-to-end scripts in
# scripts/e2e (real keyring, real sound, a real window, the tray, MPRIS).
#   scripts/test.sh           everything
#   scripts/test.sh --unit    unit tests only
#   scripts/test.sh --e2e     end-to-end scripts only
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export AMPDESK_ARTIFACTS="${AMPDESK_ARTIFACTS:-$PWD/test-artifacts}"
mkdir -p "$AMPDESK_ARTIFACTS"

mode="${1:-all}"
failed=()
start=$(date +%s)

step() { printf '\n=== %s\n' "$*"; }

if [ "$mode" = all ] || [ "$mode" = --unit ]; then
  step "gofmt"
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
  if [ -n "$unformatted" ]; then echo "not gofmt-ed: $unformatted"; failed+=(gofmt); fi

  step "go vet"
  go vet ./... || failed+=(vet)

  # Packages that import Fyne run without -race: the race runtime makes
  # software-rendered canvases very slow and adds nothing there.
  all_pkgs=$(go list ./...)
  gui_pkgs=$(go list -f '{{.ImportPath}} {{join .Deps " "}}' ./... | awk '/fyne.io\/fyne\/v2/ {print $1}')
  race_pkgs=$(comm -23 <(echo "$all_pkgs" | sort) <(echo "$gui_pkgs" | sort))

  step "unit tests (race): $(echo $race_pkgs | wc -w) packages"
  go test -race -count=1 -timeout 10m $race_pkgs || failed+=(unit-race)
  if [ -n "$gui_pkgs" ]; then
    step "unit tests (GUI, headless): $(echo $gui_pkgs | wc -w) packages"
    go test -count=1 -timeout 10m $gui_pkgs || failed+=(unit-gui)
  fi
fi

if [ "$mode" = all ] || [ "$mode" = --e2e ]; then
  step "build bin/ampdesk"
  if go build -tags no_animations -o bin/ampdesk .; then
    for t in scripts/e2e/*.sh; do
      [ -e "$t" ] || continue
      step "e2e: $t"
      t0=$(date +%s)
      if timeout --kill-after=10 600 "$t" </dev/null; then
        echo "--- ok $t ($(( $(date +%s) - t0 )) s)"
      else
        echo "--- FAIL $t ($(( $(date +%s) - t0 )) s)"
        failed+=("$t")
      fi
    done
  else
    failed+=(build)
  fi
fi

echo
echo "total $(( $(date +%s) - start )) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all tests passed"
