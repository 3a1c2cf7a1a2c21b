#!/usr/bin/env bash
# Prints Ampdesk's performance figures as a table: every Go benchmark in the
# module (each reports its own metrics, e.g. ms/first-sample, %cpu), plus
# the process-level measurements in scripts/bench/*.sh (sync of 100k songs,
# window start-up, RSS). Record the results in docs/benchmarks.md.
#   scripts/bench.sh [PACKAGES...]     default: ./...
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
pkgs=("$@"); [ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)
out=$(mktemp)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d)"
go test -run '^$' -bench . -benchtime "${BENCHTIME:-1x}" -count 1 "${pkgs[@]}" >"$out" 2>&1
status=$?
printf '\n%-58s %s\n' "benchmark" "metrics"
printf '%-58s %s\n' "---------" "-------"
awk '
  /^pkg:/ { pkg = $2; sub(".*/ampdesk/", "", pkg) }
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    m = ""
    for (i = 3; i + 1 <= NF; i += 2) { m = m sprintf("%s %s  ", $i, $(i+1)) }
    printf "%-58s %s\n", pkg "." name, m
  }
  /^(FAIL|panic:|--- FAIL)/ { print }
' "$out"
for s in scripts/bench/*.sh; do
  [ -e "$s" ] || continue
  echo; echo "== $s"
  "$s" || status=1
done
rm -f "$out"
exit $status
