#!/usr/bin/env bash
# Scans the shared real-world corpora (read in place) with one build and keeps the JSON reports, so that two
# builds can be compared rule by rule with compare.py (what a change moved, and why, goes in the issue's note).
#
#   bench/real-world/scan.sh OUT_DIR [BULWARK_BINARY]      # default binary: the Release build of src/Bulwark.Cli
#   bench/real-world/compare.py BEFORE_DIR AFTER_DIR [--rule SLUG] [--show N]
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:?usage: scan.sh OUT_DIR [BULWARK_BINARY]}
bin=${2:-src/Bulwark.Cli/bin/Release/net10.0/bulwark}
shared=${SHARED:-$(cd .. && pwd)/shared}
mkdir -p "$out"
for corpus in compose dockerfiles kubernetes; do
  dir="$shared/corpus/$corpus/real-world"
  [ -d "$dir" ] || { echo "corpus not found: $dir (set SHARED=…)" >&2; exit 2; }
  rc=0
  # --severity info: every finding, so that a change of severity shows as one.
  "$bin" scan "$dir" --severity info --format json --output "$out/$corpus.json" -v 2>"$out/$corpus.stderr" || rc=$?
  echo "$corpus: exit $rc, $(grep -c . "$out/$corpus.stderr" || true) stderr lines"
done
