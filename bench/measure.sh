# Sourced by the whole-process benchmark scripts (bench/image, bench/vulndb).
#
# measure NAME OK_EXIT_CODES SETUP COMMAND...: runs SETUP (shell code, ':' for none) then COMMAND, RUNS times, under
# /usr/bin/time -v; prints the median wall time (ms, around the process), CPU time (user + sys, ms) and maximum RSS
# (MiB), and keeps them in M_WALL, M_CPU, M_RSS. OK_EXIT_CODES is a comma-separated list (0, or 0,1 for a scan whose
# findings fail it); any other exit code stops the script with the command's standard error. Needs RUNS and OUT.
measure() {
  local name=$1 ok=$2 setup=$3; shift 3
  local walls=() cpus=() rsss=()
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    local start end rc=0
    start=$(date +%s%N)
    /usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || rc=$?
    end=$(date +%s%N)
    if [[ ",$ok," != *",$rc,"* ]]; then
      echo "$name: exit code $rc" >&2; cat "$OUT/last.err" >&2; exit 1
    fi
    walls+=($(( (end - start) / 1000000 )))
    cpus+=($(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%d", s * 1000 }' "$OUT/time.txt"))
    rsss+=($(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$OUT/time.txt"))
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
  M_WALL=$(median "${walls[@]}") M_CPU=$(median "${cpus[@]}") M_RSS=$(median "${rsss[@]}")
  printf '%-44s wall %6d ms (runs: %s)  cpu %6d ms  max RSS %4d MiB\n' "$name" "$M_WALL" "${walls[*]}" "$M_CPU" "$M_RSS"
}
