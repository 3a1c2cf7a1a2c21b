#!/usr/bin/env bash
# Runs every Fuzz* target of the module for FUZZTIME each, one after
# another, and prints how many inputs each one tried.
#   scripts/fuzz.sh [FUZZTIME]     e.g. 30s (default), 5m, 10000x
# A failing input is saved under the package's testdata/fuzz/FuzzName/ (commit
# it: plain `go test` then runs it for ever after). Exit 1 if any target
# failed. The summary also goes to $AMPDESK_ARTIFACTS/fuzz-summary.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
fuzztime="${1:-${FUZZTIME:-30s}}"
art="${AMPDESK_ARTIFACTS:-$PWD/test-artifacts}"
mkdir -p "$art"
summary="$art/fuzz-summary.txt"
logdir="$art/fuzz-logs"
mkdir -p "$logdir"

# Every "func FuzzXxx(f *testing.F)" in a test file, as "dir name".
list_tests() {
  git ls-files -co --exclude-standard '*_test.go' 2>/dev/null ||
    find . -name '*_test.go' -not -path './test-artifacts/*' | sed 's#^\./##'
}
targets=$(list_tests | xargs grep -H -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' |
  sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#; s#^[^ /]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#. \1#' | sort -u)
if [ -z "$targets" ]; then
  echo "fuzz: no Fuzz targets found" >&2
  exit 1
fi
n=$(wc -l <<<"$targets")
echo "fuzz: $n targets, $fuzztime each, on $(nproc) cores ($(go version | awk '{print $3}'))"

failed=()
{
  echo "# make fuzz FUZZTIME=$fuzztime — $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cores"
  printf '%-22s %-28s %14s %10s %s\n' PACKAGE TARGET EXECS PER_SEC RESULT
} >"$summary"
while read -r dir name; do
  pkg="./$dir"
  [ "$dir" = . ] && pkg=.
  log="$logdir/${dir//\//_}_$name.log"
  printf '== %s %s\n' "$pkg" "$name"
  corpus="$dir/testdata/fuzz/$name"
  before=$(ls "$corpus" 2>/dev/null | sort)
  if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10s "$pkg" >"$log" 2>&1; then
    result=ok
  elif grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log" &&
    [ "$(ls "$corpus" 2>/dev/null | sort)" = "$before" ]; then
    # Go's fuzz coordinator can report its own -fuzztime deadline as a
    # failure when workers are slow to stop (golang/go#75804, fixed in Go
    # 1.27): no input failed, none was written.
    result="ok (deadline race, go#75804)"
  else
    result=FAIL
    failed+=("$pkg $name")
    grep -E -- '--- FAIL|Failing input|fuzz_test.go|_test.go:[0-9]+' "$log" | head -20
  fi
  # The last progress line has the totals: "fuzz: elapsed: 1m0s, execs: 123 (4/sec), ..."
  last=$(grep -E '^fuzz: elapsed: .*execs: [0-9]+' "$log" | tail -1)
  execs=$(grep -oE 'execs: [0-9]+' <<<"$last" | awk '{print $2}')
  execs=${execs:-0}
  secs=$(grep -oE 'elapsed: [0-9hms]+' <<<"$last" | awk '{
    s = $2; t = 0
    if (match(s, /[0-9]+h/)) t += substr(s, RSTART, RLENGTH - 1) * 3600
    if (match(s, /[0-9]+m/)) t += substr(s, RSTART, RLENGTH - 1) * 60
    if (match(s, /[0-9]+s/)) t += substr(s, RSTART, RLENGTH - 1)
    print t }')
  rate=$(awk -v e="$execs" -v s="${secs:-0}" 'BEGIN { if (s > 0) printf "%d", e / s; else print 0 }')
  printf '%-22s %-28s %14s %10s %s\n' "$dir" "$name" "$execs" "$rate" "$result" | tee -a "$summary"
done <<<"$targets"

echo "fuzz: summary in $summary"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (logs in $logdir)" >&2
  exit 1
fi
