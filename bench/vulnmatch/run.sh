#!/usr/bin/env bash
# Issue 13 §3: matching a 1,000-package SBOM (BenchmarkDotNet; see Program.cs). The database is imported from the
# shared feeds in the setup: BULWARK_SHARED names the shared folder (default ../shared beside the repository).
#   bench/vulnmatch/run.sh            # the benchmark (a few minutes)
#   bench/vulnmatch/run.sh --check    # one operation, with what it found
set -euo pipefail
cd "$(dirname "$0")"
export BULWARK_SHARED=${BULWARK_SHARED:-$(cd ../../.. && pwd)/shared} DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release -v quiet -nologo >/dev/null
if [ "${1:-}" = --check ]; then
  exec dotnet bin/Release/net10.0/VulnMatch.dll --check
fi
dotnet bin/Release/net10.0/VulnMatch.dll --filter '*' --artifacts ../out/vulnmatch "$@"
