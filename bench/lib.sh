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

# `range_lua FILE`: a wrk script asking for 64 KiB ranges at random offsets (seeded, so runs compare)
# of an image of ISO_SIZE bytes (environment).
range_lua() {
  cat > "$1" <<'LUA'
local size = tonumber(os.getenv("ISO_SIZE"))
math.randomseed(42)
request = function()
  local from = math.random(0, size - 65536)
  return wrk.format("GET", nil, { ["Range"] = "bytes=" .. from .. "-" .. (from + 65535) })
end
LUA
}

# `wrk … --latency | wrk_summary`: "req/s p50-ms p99-ms".
wrk_summary() {
  awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "%.0f %.2f %.2f", rps, ms(p50), ms(p99)}'
}
