#!/usr/bin/env bash
# Whole-process benchmark of the Dockerfile and Compose front doors: one `bulwark scan` process over the 405
# Dockerfiles of binnacle-gold and the awesome-compose projects (their compose files and the Dockerfiles their
# services build), start-up included, timed with GNU time -v. Corpora are read in place, never copied.
#
#   bench/dockerfile-compose.sh              # ReadyToRun and (if it builds) Native AOT, 5 runs each
#   RUNS=9 NO_AOT=1 bench/dockerfile-compose.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
OUT=bench/out
SHARED=${SHARED:-$(cd .. && pwd)/shared}
GOLD=$SHARED/corpus/dockerfiles/binnacle-gold
COMPOSE=$SHARED/corpus/compose/awesome-compose
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for dir in "$GOLD" "$COMPOSE"; do
  [ -d "$dir" ] || { echo "corpus not found: $dir (set SHARED=…)" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time')" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

mkdir -p "$OUT"
echo "== publish"
dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishReadyToRun=true --self-contained false -o "$OUT/cli" -v quiet -nologo >/dev/null
BINARIES=("R2R:$OUT/cli/bulwark")
if [ "${NO_AOT:-}" != 1 ] && command -v clang >/dev/null \
  && dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/cli-aot" -v quiet -nologo >"$OUT/aot-publish.log" 2>&1; then
  BINARIES+=("AOT:$OUT/cli-aot/bulwark")
else
  echo "   (no Native AOT build; see $OUT/aot-publish.log or install clang + zlib1g-dev)" >&2
fi

echo "== measurements (median of $RUNS; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores)"
for entry in "${BINARIES[@]}"; do
  name=${entry%%:*} bin=${entry#*:}
  walls=() cpus=() rsss=()
  for _ in $(seq "$RUNS"); do
    rc=0
    /usr/bin/time -v -o "$OUT/time-v.txt" "$bin" scan "$GOLD" "$COMPOSE" --format json --output "$OUT/dockerfile-compose-$name.json" \
      >"$OUT/last.out" 2>"$OUT/last.err" || rc=$?
    # 1: findings at or above --fail-on, which these corpora have; 2 would mean an input could not be read.
    if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then echo "$name: exit code $rc" >&2; cat "$OUT/last.err" >&2; exit 1; fi
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%d", s * 1000 }' "$OUT/time-v.txt")")
    cpus+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%d", (u + s) * 1000 }' "$OUT/time-v.txt")")
    rsss+=("$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$OUT/time-v.txt")")
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
  printf '%-4s wall %5d ms (runs: %s)  cpu %5d ms  max RSS %4d MB\n' "$name" "$(median "${walls[@]}")" "${walls[*]}" "$(median "${cpus[@]}")" "$(median "${rsss[@]}")"
done

python3 - "$OUT/dockerfile-compose-R2R.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
s = report["summary"]
files = report.get("files") or []
print(f"report: {s['files']} files, {s['objects']} objects, {s['findings']} findings, {s['errors']} input errors")
PY
