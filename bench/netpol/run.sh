#!/usr/bin/env bash
# Whole-process benchmark of `bulwark netpol list --format json` (start-up, parsing, analysis and output).
# Builds the CLI (Release, ReadyToRun), generates the synthetic cluster with generate.py into bench/out/netpol
# (git-ignored), and times it with GNU time: the base size (5,001 workloads, 101 namespaces, 1,200 policies),
# then doubling workloads, then policies, then both. Each size runs RUNS times (default 3); the median wall
# time and the largest peak RSS are reported. Targets for the base size: <= 5 s and <= 1 GiB on 2 cores.
#
#   bench/netpol/run.sh
#   RUNS=5 SCALES="1 2 4" bench/netpol/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
SCALES=${SCALES:-"1 2 4"}
OUT=bench/out/netpol
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time')" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

mkdir -p "$OUT"
echo "== publish (Release, ReadyToRun)"
dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishReadyToRun=true --self-contained false -o "$OUT/cli" -v quiet -nologo >/dev/null
CLI="$OUT/cli/bulwark"

measure() { # name workloads policies
  local name=$1 workloads=$2 policies=$3 dir="$OUT/$1"
  python3 bench/netpol/generate.py "$dir" --workloads "$workloads" --namespaces 101 --policies "$policies" >/dev/null
  local times=() peak=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$CLI" netpol list "$dir" --format json -o "$OUT/$name.json" 2>"$OUT/$name.time" >/dev/null || { cat "$OUT/$name.time" >&2; exit 1; }
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$OUT/$name.time")")
    local rss
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/$name.time")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  local lines
  lines=$(grep -c '"src"' "$OUT/$name.json" || true)
  printf '%-22s %7d workloads %6d policies  %6.2f s  %6d MiB peak  %8d connections\n' "$name" "$workloads" "$policies" "$median" $((peak / 1024)) "$lines"
}

echo "== netpol list --format json (median of $RUNS runs; $(nproc) cores)"
for s in $SCALES; do
  measure "w${s}x-p1x" $((5001 * s)) 1200
done
for s in $SCALES; do
  [ "$s" = 1 ] && continue
  measure "w1x-p${s}x" 5001 $((1200 * s))
  measure "w${s}x-p${s}x" $((5001 * s)) $((1200 * s))
done
