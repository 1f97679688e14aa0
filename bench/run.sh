#!/usr/bin/env bash
# Whole-process benchmark: builds Release, generates the seeded corpus into bench/out/ (git-ignored), then
# times (a) a full scan of the corpus, (b) YamlDotNet alone over the same files (the floor), and (c) a scan
# of examples/ with the published CLI (start-up included), ReadyToRun and, if it builds, Native AOT.
# Each measurement runs RUNS times (default 3); the median is reported.
#
#   bench/run.sh                      # 50,000 objects, seed 42
#   COUNT=10000 RUNS=5 bench/run.sh   # smaller corpus, more repetitions
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-50000}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
OUT=bench/out
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time')" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
# Native AOT links with clang and zlib; try to install them, and go on without AOT if that fails.
if ! command -v clang >/dev/null && [ "${NO_AOT:-}" != 1 ]; then
  echo "installing clang and zlib1g-dev for the Native AOT build" >&2
  { apt-get update -qq && apt-get install -y -qq clang zlib1g-dev >/dev/null; } || echo "   (could not install them; no AOT)" >&2
fi

mkdir -p "$OUT"
echo "== build (Release)"
dotnet build Bulwark.slnx -c Release -v quiet -nologo >/dev/null
# ReadyToRun as a distribution would ship it: self-contained, the app and the framework compiled into one composite
# image (cross-assembly inlining, generic instantiations ahead of time). The floor is published the same way.
R2R=(-p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true --self-contained true)
dotnet publish src/Bulwark.Cli -c Release -r linux-x64 "${R2R[@]}" -o "$OUT/cli" -v quiet -nologo >/dev/null
dotnet publish bench/YamlFloor -c Release -r linux-x64 "${R2R[@]}" -o "$OUT/floor" -v quiet -nologo >/dev/null
AOT=no
# Native AOT, fully trimmed (Bulwark.Rules is a trimmer root, so the reflection-found rule catalog survives).
# The corpus report must equal the ReadyToRun one (checked below).
if [ "${NO_AOT:-}" != 1 ] && command -v clang >/dev/null && dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/cli-aot" -v quiet -nologo >"$OUT/aot-publish.log" 2>&1; then
  AOT=yes
else
  echo "   (Native AOT did not build; see $OUT/aot-publish.log)" >&2
fi

echo "== corpus"
dotnet bench/CorpusGenerator/bin/Release/net10.0/CorpusGenerator.dll "$OUT/corpus" "$COUNT" "$SEED"
BYTES=$(du -sb "$OUT/corpus" | cut -f1)

# measure NAME EXPECTED_EXIT_CODES COMMAND...: runs RUNS times, prints the median wall (ms), the median CPU
# time (user+sys, ms) and the median max RSS (MB); keeps them in M_WALL, M_CPU, M_RSS.
measure() {
  local name=$1 ok=$2; shift 2
  local walls=() cpus=() rsss=()
  for _ in $(seq "$RUNS"); do
    local start end rc=0
    start=$(date +%s%N)
    /usr/bin/time -f "%U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || rc=$?
    end=$(date +%s%N)
    if [[ ",$ok," != *",$rc,"* ]]; then
      echo "$name: exit code $rc" >&2; cat "$OUT/last.err" >&2; exit 1
    fi
    read -r user sys rss < <(tail -1 "$OUT/time.txt")
    walls+=($(( (end - start) / 1000000 )))
    cpus+=($(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }'))
    rsss+=($(( rss / 1024 )))
  done
  M_WALL=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  M_CPU=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  M_RSS=$(printf '%s\n' "${rsss[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  printf '%-34s wall %6d ms (runs: %s)  cpu %6d ms  max RSS %5d MB\n' "$name" "$M_WALL" "${walls[*]}" "$M_CPU" "$M_RSS"
}

echo "== measurements (median of $RUNS; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
# Exit code 1 means "findings at or above --fail-on", which this corpus has by design.
measure "scan corpus (R2R)" 0,1 "$OUT/cli/bulwark" scan "$OUT/corpus" --format json --output "$OUT/result.json"
SCAN_WALL=$M_WALL SCAN_CPU=$M_CPU SCAN_RSS=$M_RSS
measure "YamlDotNet Parser floor (R2R)" 0 "$OUT/floor/YamlFloor" "$OUT/corpus" parser
FLOOR_WALL=$M_WALL FLOOR_CPU=$M_CPU
measure "YamlDotNet YamlStream.Load (R2R)" 0 "$OUT/floor/YamlFloor" "$OUT/corpus" stream
measure "scan examples/ (R2R)" 0,1 "$OUT/cli/bulwark" scan examples/
R2R_START=$M_WALL
AOT_START=
if [ "$AOT" = yes ]; then
  measure "scan examples/ (Native AOT)" 0,1 "$OUT/cli-aot/bulwark" scan examples/
  AOT_START=$M_WALL
  measure "scan corpus (Native AOT)" 0,1 "$OUT/cli-aot/bulwark" scan "$OUT/corpus" --format json --output "$OUT/result-aot.json"
  AOT_WALL=$M_WALL AOT_CPU=$M_CPU AOT_RSS=$M_RSS
  cmp -s "$OUT/result.json" "$OUT/result-aot.json" || { echo "Native AOT report differs from the ReadyToRun one" >&2; exit 1; }
fi

echo "== summary"
python3 - "$COUNT" "$BYTES" "$SCAN_WALL" "$SCAN_CPU" "$SCAN_RSS" "$FLOOR_WALL" "$FLOOR_CPU" "$R2R_START" "${AOT_START:-0}" "${AOT_WALL:-0}" "${AOT_CPU:-0}" "${AOT_RSS:-0}" "$OUT/result.json" <<'PY'
import json, sys
count, size, wall, cpu, rss, fwall, fcpu, r2r, aot, awall, acpu, arss = (int(x) for x in sys.argv[1:13])
summary = json.load(open(sys.argv[13]))["summary"]
print(f"corpus: {count:,} objects, {size / 1e6:.1f} MB; report: {summary['files']:,} files, {summary['objects']:,} objects, {summary['findings']:,} findings, {summary['errors']} errors")
print(f"scan: {count / (wall / 1000):,.0f} objects/s end to end (target >= 15,000); wall {wall} ms; max RSS {rss} MB")
# On a shared or loaded machine wall time says more about the neighbours than about Bulwark; CPU time less so.
print(f"scan: {count / (cpu / 1000):,.0f} objects per CPU-second ({cpu} ms CPU; on 2 idle cores wall would be about {cpu / 2:.0f} ms)")
print(f"scan / YamlDotNet floor: {wall / fwall:.2f}x wall, {cpu / fcpu:.2f}x CPU time (target <= 1.3x)")
if awall:
    print(f"scan, Native AOT: {count / (awall / 1000):,.0f} objects/s end to end; wall {awall} ms; {acpu} ms CPU; max RSS {arss} MB; "
          f"{awall / fwall:.2f}x the floor's wall, {acpu / fcpu:.2f}x its CPU time")
line = f"examples/ scan with start-up: {r2r} ms ReadyToRun"
if aot:
    line += f", {aot} ms Native AOT ({'AOT' if aot < r2r else 'ReadyToRun'} is faster)"
print(line + " (target < 300 ms)")
PY
