#!/usr/bin/env bash
# Release artifacts, into OUT_DIR (default artifacts/release, git-ignored):
#   bulwark-VERSION-linux-x64.tar.gz      Native AOT: one self-contained executable, no .NET needed
#   bulwark-VERSION-RID.tar.gz / .zip     framework-dependent (need the .NET 10 runtime) for linux-arm64,
#                                         osx-x64, osx-arm64 (tar.gz) and win-x64 (zip)
#   bulwark.VERSION.nupkg                 the .NET tool package (dotnet tool install --global bulwark)
#   SHA256SUMS                            sha256sum of all of the above (verify: sha256sum -c SHA256SUMS --ignore-missing)
# Each archive holds one folder, bulwark-VERSION-RID/, with the program, LICENSE and README.md.
#
#   scripts/release.sh [OUT_DIR]
#
# Native AOT links with clang and zlib (Debian: apt-get install clang zlib1g-dev). The AOT build takes minutes,
# so CI does not run this script; CI packs and installs the tool (tests/Bulwark.Cli.Tests/Distribution).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

OUT=${1:-artifacts/release}
AOT_RID=linux-x64
FRAMEWORK_DEPENDENT_RIDS=(linux-arm64 osx-x64 osx-arm64 win-x64)

for tool in clang sha256sum tar gzip zip; do
  command -v "$tool" >/dev/null || { echo "release.sh: $tool is needed (Debian: apt-get install clang zlib1g-dev zip)" >&2; exit 1; }
done

VERSION=$(dotnet msbuild src/Bulwark.Cli/Bulwark.Cli.csproj -getProperty:Version)
# Archive entries get the commit's time and no owner, so the same commit gives the same archive layout.
EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STAGE="$OUT/.stage"
mkdir -p "$STAGE"
trap 'rm -rf "$STAGE"' EXIT

# publish RID FOLDER ARGS...: publishes the CLI for RID into STAGE/FOLDER, without debug symbols, with the licence.
publish() {
  local rid=$1 folder=$2; shift 2
  echo "== $folder"
  dotnet publish src/Bulwark.Cli/Bulwark.Cli.csproj -c Release -r "$rid" -o "$STAGE/$folder" -nologo -v quiet "$@" >"$STAGE/$folder.log" 2>&1 \
    || { cat "$STAGE/$folder.log" >&2; exit 1; }
  find "$STAGE/$folder" \( -name '*.pdb' -o -name '*.dbg' \) -delete
  cp LICENSE README.md "$STAGE/$folder/"
  find "$STAGE/$folder" -exec touch -h -d "@$EPOCH" {} +
}

tarball() {
  tar -C "$STAGE" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -cf - "$1" | gzip -n -9 >"$OUT/$1.tar.gz"
}

start=$(date +%s)
folder="bulwark-$VERSION-$AOT_RID"
publish "$AOT_RID" "$folder" -p:PublishAot=true
# The AOT binary must scan as the CLI does: the examples have findings by design (exit code 1).
rc=0
"$STAGE/$folder/bulwark" scan examples/ >"$STAGE/aot-scan.txt" || rc=$?
if [ "$rc" != 1 ] || ! grep -q 'BW1001 privileged-container' "$STAGE/aot-scan.txt"; then
  echo "release.sh: the Native AOT build's scan of examples/ exited $rc without the expected findings:" >&2
  cat "$STAGE/aot-scan.txt" >&2
  exit 1
fi
tarball "$folder"

for rid in "${FRAMEWORK_DEPENDENT_RIDS[@]}"; do
  folder="bulwark-$VERSION-$rid"
  publish "$rid" "$folder" --self-contained false
  case "$rid" in
    win-*) (cd "$STAGE" && find "$folder" | LC_ALL=C sort | zip -q -X -9 -@ "$OUT/$folder.zip") ;;
    *) tarball "$folder" ;;
  esac
done

echo "== bulwark.$VERSION.nupkg"
dotnet pack src/Bulwark.Cli/Bulwark.Cli.csproj -c Release -o "$OUT" -nologo -v quiet >"$STAGE/pack.log" 2>&1 || { cat "$STAGE/pack.log" >&2; exit 1; }

(cd "$OUT" && sha256sum -- *.tar.gz *.zip *.nupkg >SHA256SUMS)
echo "== $OUT ($(($(date +%s) - start)) s)"
(cd "$OUT" && ls -l -- *.tar.gz *.zip *.nupkg SHA256SUMS)
