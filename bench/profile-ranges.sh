#!/usr/bin/env bash
# Where the CPU of a 64 KiB ranged GET goes: async-profiler (tools.profiler:async-profiler from Maven
# Central) attached with jcmd to the demo server after a warm-up, while wrk sends random 64 KiB
# ranges over 4 keep-alive connections (how BMC virtual media read). Writes a flame graph and the
# collapsed stacks to target/bench/, and prints the heaviest frames.
# Usage: bench/profile-ranges.sh [WARMUP_S=40] [PROFILE_S=20]. Run bench/serving.sh once first (it
# makes the 1 GiB sample ISO and the server); needs wrk and jcmd (the JDK's).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
warm=${1:-40}
secs=${2:-20}
dir=$PWD/target/bench
ver=4.1
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$ver/async-profiler-$ver.jar
[ -f "$jar" ] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$ver >/dev/null
mkdir -p "$dir/async-profiler"
unzip -o -q -j "$jar" "linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')/libasyncProfiler.so" -d "$dir/async-profiler"
lib=$dir/async-profiler/libasyncProfiler.so
if [ ! -f "$dir/base.iso" ] || [ ! -f "$dir/range.lua" ]; then echo "run bench/serving.sh first" >&2; exit 1; fi
iso_size=$(stat -c %s "$dir/base.iso")

target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true
target/liberty/wlp/bin/server start icc >/dev/null
trap 'target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:8084/health/ready && break; sleep 1; done
pid=$(cat target/liberty/wlp/usr/servers/.pid/icc.pid)
url=http://127.0.0.1:8084/worker-0.iso
ISO_SIZE=$iso_size wrk -t1 -c4 -d"${warm}s" -s "$dir/range.lua" "$url" >/dev/null
# jcmd reads key=value as its own options: the profiler's arguments go in as one quoted value.
results profile-ranges "$@"
jcmd "$pid" JVMTI.agent_load "$lib" '"start,event=cpu,interval=100us"' >/dev/null
ISO_SIZE=$iso_size wrk -t1 -c4 -d"${secs}s" --latency -s "$dir/range.lua" "$url" | grep -E 'Requests/sec|50%|99%'
jcmd "$pid" JVMTI.agent_load "$lib" "\"dump,file=$dir/ranges.html,flamegraph\"" >/dev/null
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$dir/ranges.collapsed,collapsed\"" >/dev/null
total=$(awk '{n += $NF} END {print n}' "$dir/ranges.collapsed")
echo "samples: $total (flame graph: $dir/ranges.html)"
echo "--- self time, top 25 frames"
awk '{n = $NF; $NF = ""; k = split($0, f, ";"); self[f[k]] += n} END {for (s in self) print self[s], s}' "$dir/ranges.collapsed" \
  | sort -rn | head -25 | awk -v t="$total" '{printf "%5.1f%%  %s\n", 100 * $1 / t, substr($0, index($0, " ") + 1)}' || true  # head ends sort early (SIGPIPE)
