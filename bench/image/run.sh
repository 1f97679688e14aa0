#!/usr/bin/env bash
# Image benchmark (issue 12, §5): a ~200 MB Debian 12 docker-archive, built here with debootstrap and podman (no
# registry, no engine daemon) and cached in bench/out/image/, then, in the same run:
#   (a) the floor: every layer read once from the archive with tar (tar -x -O of the layers, piped into tar -t),
#   (b) bulwark image docker-archive:FILE --format json --no-cache --output …: SBOM + config + secrets, whole process,
#   (c) the repeat scan with the layer cache (--cache-dir), after one scan that fills it,
#   (d) (b) with vulnerability matching (--db): the database imported from every shared feed plus a Debian bookworm
#       tracker generated for this image's source packages (ten CVEs each: fixed above and below the installed
#       version, open, not affected), so matching does the work a real tracker would make it do (issue 13, §3).
# Each measurement runs RUNS times (default 3) under /usr/bin/time -v; medians are reported.
#
#   bench/image/run.sh                         # builds what is missing, publishes the CLI ReadyToRun, measures
#   BULWARK=bench/out/cli/bulwark bench/image/run.sh   # an existing binary, no publish
#   FLOOR_ONLY=1 bench/image/run.sh            # only the archive and the floor
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
SUITE=bookworm
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# minbase is about 125 MB once apt's downloads and indexes are gone; these bring the archive to about 220 MB.
INCLUDE=${INCLUDE:-python3,perl,curl,ca-certificates,openssl}
OUT=bench/out/image
ROOT=$OUT/rootfs-$SUITE
ARCHIVE=$OUT/debian-$SUITE.tar
RECIPE="debootstrap --variant=minbase --include=$INCLUDE $SUITE ROOT $MIRROR; rm var/cache/apt/archives/*.deb var/lib/apt/lists/*_*"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
command -v podman >/dev/null || need+=(podman)
if ((${#need[@]})); then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"
mkdir -p "$OUT"

# The root filesystem, cached: rebuilt only when the recipe changes. Built beside its place and renamed into it,
# so an interrupted run never leaves a half-made folder that looks whole.
if [ -d "$ROOT" ] && [ "$(cat "$ROOT.recipe" 2>/dev/null)" = "$RECIPE" ]; then
  echo "== root filesystem: reusing $ROOT"
else
  echo "== debootstrap --variant=minbase --include=$INCLUDE $SUITE (about a minute or two)"
  rm -rf --one-file-system "$ROOT" "$ROOT.partial" "$ROOT.recipe" "$ARCHIVE"
  start=$(date +%s%N)
  debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$ROOT.partial" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 \
    || { tail -20 "$OUT/debootstrap.log" >&2; exit 1; }
  rm -f "$ROOT.partial"/var/cache/apt/archives/*.deb "$ROOT.partial"/var/lib/apt/lists/*_*
  mv "$ROOT.partial" "$ROOT"
  echo "$RECIPE" >"$ROOT.recipe"
  echo "   debootstrap took $(( ($(date +%s%N) - start) / 1000000 )) ms"
fi

# The archive: the root filesystem imported as one layer, a small layer on top as a build would add (COPY, ENV,
# USER; podman build cannot RUN here), saved as a docker-archive. A private podman store in a short temp folder
# (podman refuses a runroot over 50 characters) leaves nothing in the machine's images.
if [ -f "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$ROOT.recipe" ]; then
  echo "== archive: reusing $ARCHIVE"
else
  echo "== archive: podman import, build, save"
  store=$(mktemp -d /tmp/bwb.XXXXXX)
  trap 'rm -rf --one-file-system "$store"' EXIT
  podman=(podman --root "$store/root" --runroot "$store/run" --storage-driver vfs)
  tar --numeric-owner -C "$ROOT" -cf "$store/rootfs.tar" .
  "${podman[@]}" import -q --change 'CMD ["bash"]' "$store/rootfs.tar" localhost/bulwark-bench:base >/dev/null
  rm "$store/rootfs.tar"
  mkdir -p "$store/context/app"
  printf 'print("hello")\n' >"$store/context/app/main.py"
  printf 'FROM localhost/bulwark-bench:base\nCOPY app /app\nENV APP_HOME=/app PYTHONUNBUFFERED=1\nUSER 1000:1000\n' >"$store/Containerfile"
  "${podman[@]}" build -q -f "$store/Containerfile" -t localhost/bulwark-bench:1 "$store/context" >/dev/null
  "${podman[@]}" save -q --format docker-archive -o "$ARCHIVE.partial" localhost/bulwark-bench:1
  mv "$ARCHIVE.partial" "$ARCHIVE"
  rm -rf --one-file-system "$store"
  trap - EXIT
fi

mapfile -t LAYERS < <(tar -xOf "$ARCHIVE" manifest.json | python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin)[0]["Layers"]))')
ARCHIVE_BYTES=$(stat -c %s "$ARCHIVE")
PACKAGES=$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f '${db:Status-Status}\n' | grep -c '^installed$')
echo "   $ARCHIVE: $(( ARCHIVE_BYTES / 1048576 )) MiB, ${#LAYERS[@]} layers, $PACKAGES dpkg packages"

# The CLI, published as bench/run.sh publishes it (self-contained composite ReadyToRun), unless BULWARK names one.
if [ "${FLOOR_ONLY:-}" != 1 ] && [ -z "${BULWARK:-}" ]; then
  echo "== publish the CLI (ReadyToRun)"
  dotnet publish src/Bulwark.Cli -c Release -r linux-x64 -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
    --self-contained true -o bench/out/cli -v quiet -nologo >/dev/null
  BULWARK=bench/out/cli/bulwark
fi
if [ "${FLOOR_ONLY:-}" != 1 ] && ! "$BULWARK" image --help >/dev/null 2>&1; then
  echo "   ($BULWARK has no 'image' command yet: measuring the floor only)" >&2
  FLOOR_ONLY=1
fi

# measure NAME OK_EXIT_CODES SETUP COMMAND...: bench/measure.sh.
source bench/measure.sh

# Every measurement reads the archive from the page cache, the floor too.
cat "$ARCHIVE" >/dev/null
echo "== measurements (median of $RUNS; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
# --ignore-zeros: the layers arrive as one stream of concatenated tars. tar -t on a pipe cannot seek, so it reads
# every byte of every layer, as a scanner must.
measure "(a) floor: tar -x -O layers | tar -t" 0 : bash -c 'tar -xOf "$0" "$@" | tar -t --ignore-zeros -f - >/dev/null' "$ARCHIVE" "${LAYERS[@]}"
FLOOR_WALL=$M_WALL FLOOR_CPU=$M_CPU FLOOR_RSS=$M_RSS
measure "    tar -x -O layers | sha256sum" 0 : bash -c 'tar -xOf "$0" "$@" | sha256sum >/dev/null' "$ARCHIVE" "${LAYERS[@]}"
HASH_WALL=$M_WALL

SCAN_WALL=0 SCAN_CPU=0 SCAN_RSS=0 CACHED_WALL=0 CACHED_CPU=0 CACHED_RSS=0 START_WALL=0 VULN_WALL=0 VULN_CPU=0 VULN_RSS=0 VULN_FOUND=0
if [ "${FLOOR_ONLY:-}" != 1 ]; then
  # Exit code 1 means findings at or above --fail-on, which an image of 130 packages may well have.
  measure "(b) bulwark image --no-cache" 0,1 : "$BULWARK" image "docker-archive:$ARCHIVE" --format json --no-cache --output "$OUT/report.json"
  SCAN_WALL=$M_WALL SCAN_CPU=$M_CPU SCAN_RSS=$M_RSS
  rm -rf "$OUT/layer-cache"
  RUNS_SAVED=$RUNS RUNS=1
  measure "    bulwark image, filling the layer cache" 0,1 : "$BULWARK" image "docker-archive:$ARCHIVE" --format json --cache-dir "$OUT/layer-cache" --output "$OUT/report-cached.json"
  RUNS=$RUNS_SAVED
  measure "(c) bulwark image, layer cache filled" 0,1 : "$BULWARK" image "docker-archive:$ARCHIVE" --format json --cache-dir "$OUT/layer-cache" --output "$OUT/report-cached.json"
  CACHED_WALL=$M_WALL CACHED_CPU=$M_CPU CACHED_RSS=$M_RSS
  # What any command pays before it reads anything: on a loaded machine most of the cached scan's wall time.
  measure "    start-up: bulwark --version" 0 : "$BULWARK" --version
  START_WALL=$M_WALL
  cmp -s "$OUT/report.json" "$OUT/report-cached.json" || echo "   note: the cached scan's report differs from the uncached one" >&2

  SHARED=${BULWARK_SHARED:-../shared}
  if [ -d "$SHARED/conformance/vulndata" ]; then
    mkdir -p "$OUT/vulndb"
    python3 - "$ROOT/var/lib/dpkg/status" "$OUT/vulndb/bench-tracker.json" <<'PY'
import json, sys
sources = {}
for stanza in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    fields = dict(l.split(": ", 1) for l in stanza.splitlines() if ": " in l and not l.startswith(" "))
    if "install ok installed" not in fields.get("Status", ""):
        continue
    name, version = fields["Package"], fields["Version"]
    if "Source" in fields:
        parts = fields["Source"].split(" ")
        name = parts[0]
        if len(parts) > 1:
            version = parts[1].strip("()")
    sources[name] = version
tracker, n = {}, 0
for name, version in sorted(sources.items()):
    entries = {}
    for kind in ["above"] * 3 + ["below"] * 3 + ["open"] * 2 + ["zero"] * 2:
        n += 1
        release = {"above": {"status": "resolved", "fixed_version": version + "+bench1", "urgency": "medium"},
                   "below": {"status": "resolved", "fixed_version": "0~bench", "urgency": "high"},
                   "open": {"status": "open", "urgency": "low"},
                   "zero": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}[kind]
        entries[f"CVE-2099-{n:05d}"] = {"description": f"benchmark entry {n}", "releases": {"bookworm": dict(release, repositories={"bookworm": version})}}
    tracker[name] = entries
json.dump(tracker, open(sys.argv[2], "w"))
print(f"   generated tracker: {len(sources)} source packages, {n} CVEs")
PY
    rm -f "$OUT/vulndb/vulnerabilities.db"
    "$BULWARK" db import "$SHARED/conformance/vulndata" "$OUT/vulndb/bench-tracker.json" --db "$OUT/vulndb/vulnerabilities.db" >/dev/null 2>&1
    measure "(d) bulwark image --no-cache --db" 0,1 : "$BULWARK" image "docker-archive:$ARCHIVE" --format json --no-cache --db "$OUT/vulndb/vulnerabilities.db" --output "$OUT/report-vuln.json"
    VULN_WALL=$M_WALL VULN_CPU=$M_CPU VULN_RSS=$M_RSS
    VULN_FOUND=$(python3 -c 'import json, sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["slug"] == "vulnerable-package"))' "$OUT/report-vuln.json")
  else
    echo "   (no $SHARED/conformance/vulndata: set BULWARK_SHARED to measure (d))" >&2
  fi
fi

echo "== summary"
python3 - "$ARCHIVE_BYTES" "${#LAYERS[@]}" "$PACKAGES" "$FLOOR_WALL" "$FLOOR_CPU" "$HASH_WALL" "$SCAN_WALL" "$SCAN_CPU" "$SCAN_RSS" "$CACHED_WALL" "$CACHED_CPU" "$CACHED_RSS" "$START_WALL" "$VULN_WALL" "$VULN_CPU" "$VULN_RSS" "$VULN_FOUND" "$OUT/report.json" <<'PY'
import json, sys
size, layers, packages, fwall, fcpu, hwall, swall, scpu, srss, cwall, ccpu, crss, start, vwall, vcpu, vrss, vfound = (int(x) for x in sys.argv[1:18])
print(f"archive: {size / 1e6:.0f} MB ({size / 2**20:.0f} MiB), {layers} layers, {packages} dpkg packages")
rows = [("floor: tar reads every layer once", f"{fwall:,} ms wall, {fcpu:,} ms CPU", "", "")]
rows.append(("reference: tar + sha256 of every layer", f"{hwall:,} ms wall", f"{hwall / fwall:.2f}x floor", ""))
if swall:
    rows.append(("scan, no cache: wall / floor", f"{swall:,} ms wall, {scpu:,} ms CPU", f"{swall / fwall:.2f}x (CPU {scpu / max(fcpu, 1):.2f}x)", "<= 3x" + (" met" if swall <= 3 * fwall else " NOT met")))
    rows.append(("scan, no cache: peak RSS", f"{srss} MiB", "", "<= 400 MiB" + (" met" if srss <= 400 else " NOT met")))
    rows.append(("scan, layer cache filled", f"{cwall:,} ms wall, {ccpu:,} ms CPU, {crss} MiB", f"{cwall / swall:.2f}x the uncached scan", "<= 500 ms" + (" met" if cwall <= 500 else " NOT met")))
    rows.append(("start-up: bulwark --version", f"{start:,} ms wall", "", ""))
    if vwall:
        rows.append((f"scan, no cache, with --db ({vfound} vulnerabilities)", f"{vwall:,} ms wall, {vcpu:,} ms CPU, {vrss} MiB", f"{vwall / swall:.2f}x the scan without", "<= 1.2x" + (" met" if vwall <= 1.2 * swall else " NOT met")))
    image = json.load(open(sys.argv[18]))["images"][0]
    count = lambda v: len(v) if isinstance(v, list) else v
    print(f"report: {count(image['packages'])} packages (dpkg-query lists {packages}), {count(image['layers'])} layers, os {image['os']['prettyName']}")
else:
    rows.append(("scan", "not measured (no 'bulwark image' yet)", "", "<= 3x floor, <= 400 MiB, cached <= 500 ms"))
widths = [max(len(r[i]) for r in rows + [("measurement", "figures", "ratio", "target")]) for i in range(4)]
for r in [("measurement", "figures", "ratio", "target"), tuple("-" * w for w in widths)] + rows:
    print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
PY
