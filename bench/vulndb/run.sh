#!/usr/bin/env bash
# Vulnerability-database import benchmark (issue 13, §3): `bulwark db import` of every record in
# ../shared/conformance/vulndata (or VULNDATA) into a fresh database, whole process, under /usr/bin/time -v.
# Reports the median wall time, CPU time and peak RSS of RUNS imports (default 3), and the database's size.
# A second measurement imports the same folder again into the filled database (the idempotent re-import).
#
#   bench/vulndb/run.sh                                  # publishes the CLI ReadyToRun, measures
#   BULWARK=bench/out/cli/bulwark bench/vulndb/run.sh    # an existing binary, no publish
#   VULNDATA=/path/to/feeds RUNS=5 bench/vulndb/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
OUT=bench/out/vulndb
# The shared folder sits beside the checkout, or further up for a nested one (as tests/Bulwark.TestSupport finds it).
if [ -z "${VULNDATA:-}" ]; then
  dir=$(cd .. && pwd)
  while [ "$dir" != / ] && [ ! -d "$dir/shared/conformance/vulndata" ]; do dir=$(dirname "$dir"); done
  VULNDATA=$dir/shared/conformance/vulndata
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

[ -d "$VULNDATA" ] || { echo "no vulndata folder at $VULNDATA (set VULNDATA)" >&2; exit 1; }
if [ ! -x /usr/bin/time ]; then
  echo "installing time" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null
fi
mkdir -p "$OUT"

# The CLI, published as bench/run.sh publishes it (self-contained composite ReadyToRun), unless BULWARK names one.
if [ -z "${BULWARK:-}" ]; then
  echo "== publish the CLI (ReadyToRun)"
  dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
    --self-contained true -o bench/out/cli -v quiet -nologo >/dev/null
  BULWARK=bench/out/cli/bulwark
fi

FILES=$(find "$VULNDATA" -type f | wc -l)
BYTES=$(du -sb "$VULNDATA" | cut -f1)
echo "   $VULNDATA: $FILES files, $(( BYTES / 1048576 )) MiB"

# measure NAME OK_EXIT_CODES SETUP COMMAND...: bench/measure.sh.
source bench/measure.sh

DB=$OUT/vulnerabilities.db
# The page cache holds the feeds for every run, the first too.
find "$VULNDATA" -type f -exec cat {} + >/dev/null
echo "== measurements (median of $RUNS; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
measure "db import, fresh database" 0 'rm -f "$DB" "$DB-journal"' "$BULWARK" db import "$VULNDATA" --db "$DB"
FRESH_WALL=$M_WALL FRESH_CPU=$M_CPU FRESH_RSS=$M_RSS
SIZE=$(stat -c %s "$DB")
SUMMARY=$(head -1 "$OUT/last.out")
measure "db import again (same data)" 0 ':' "$BULWARK" db import "$VULNDATA" --db "$DB"
AGAIN_WALL=$M_WALL
measure "start-up: bulwark --version" 0 ':' "$BULWARK" --version
START_WALL=$M_WALL

echo "== summary"
echo "   $SUMMARY"
"$BULWARK" db status --db "$DB" | sed 's/^/   /'
python3 - "$FRESH_WALL" "$FRESH_CPU" "$FRESH_RSS" "$SIZE" "$AGAIN_WALL" "$START_WALL" <<'PY'
import sys
wall, cpu, rss, size, again, start = (int(x) for x in sys.argv[1:7])
rows = [("import into a fresh database", f"{wall:,} ms wall, {cpu:,} ms CPU", "<= 30 s" + (" met" if wall <= 30000 else " NOT met")),
        ("peak RSS", f"{rss} MiB", ""),
        ("database size", f"{size / 2**20:.1f} MiB ({size:,} bytes)", ""),
        ("re-import of the same data", f"{again:,} ms wall", ""),
        ("start-up: bulwark --version", f"{start:,} ms wall", "")]
widths = [max(len(r[i]) for r in rows + [("measurement", "figures", "target")]) for i in range(3)]
for r in [("measurement", "figures", "target"), tuple("-" * w for w in widths)] + rows:
    print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
PY
