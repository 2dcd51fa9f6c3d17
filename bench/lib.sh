#!/usr/bin/env bash
# Sourced by the benchmark scripts. `results NAME ARGS…`: from then on, what the script prints also
# goes to bench/results/NAME.txt, after a header saying when, at which commit, on which machine and
# with which command. README and comments link to those files instead of copying figures.
results() {
  local name=$1 commit dirty=""
  shift
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
  git diff --quiet HEAD -- . ':!bench/results' 2>/dev/null || dirty=" with uncommitted changes"
  mkdir -p bench/results
  exec > >(tee "bench/results/$name.txt")
  echo "# bench/$name.sh${*:+ $*} — $(date -u +%Y-%m-%dT%H:%MZ), commit $commit$dirty"
  echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
}
