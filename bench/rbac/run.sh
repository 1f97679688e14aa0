#!/usr/bin/env bash
# RBAC benchmark: generates 10,000 roles, 10,000 bindings and 1,000 ServiceAccounts (seeded) into bench/out/rbac,
# then measures
#   (a) who-can after loading, in-process (RbacBench who-can: median and max per query over REPEAT runs), and
#   (b) the whole process of `bulwark rbac paths` (full escalation analysis, JSON to /dev/null) with /usr/bin/time -v.
#
#   bench/rbac/run.sh                 # ROLES=10000 SEED=42 RUNS=3
#   ROLES=20000 RUNS=5 bench/rbac/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

ROLES=${ROLES:-10000}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
OUT=bench/out
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time')" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

mkdir -p "$OUT"
echo "== build (Release)"
dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishReadyToRun=true --self-contained false -o "$OUT/cli" -v quiet -nologo >/dev/null
dotnet publish bench/rbac -c Release -r linux-x64 -p:PublishReadyToRun=true --self-contained false -o "$OUT/rbac-bench" -v quiet -nologo >/dev/null

echo "== corpus"
rm -rf "$OUT/rbac"
"$OUT/rbac-bench/RbacBench" generate "$OUT/rbac" "$ROLES" "$SEED"

echo "== (a) who-can after loading (in-process)"
"$OUT/rbac-bench/RbacBench" who-can "$OUT/rbac" 20

echo "== (b) bulwark rbac paths, whole process ($RUNS runs)"
for i in $(seq "$RUNS"); do
  /usr/bin/time -v "$OUT/cli/bulwark" rbac paths "$OUT/rbac" --format json --timing >/dev/null 2>"$OUT/rbac-time-$i.txt" || true
  wall=$(grep 'Elapsed (wall clock)' "$OUT/rbac-time-$i.txt" | awk '{print $NF}')
  user=$(grep 'User time' "$OUT/rbac-time-$i.txt" | awk '{print $NF}')
  sys=$(grep 'System time' "$OUT/rbac-time-$i.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$OUT/rbac-time-$i.txt" | awk '{print $NF}')
  inner=$(grep '^bulwark: loaded' "$OUT/rbac-time-$i.txt" || true)
  echo "run $i: wall $wall, user ${user}s, sys ${sys}s, max RSS $((rss / 1024)) MB; $inner"
done
echo "(full /usr/bin/time -v output in $OUT/rbac-time-*.txt)"
