#!/usr/bin/env bash
# Footprint of the app in static mode on a 256 MiB sample ISO: process start to /health/ready, RSS
# when idle (10 s after ready) and the peak RSS while 64 clients download the whole ISO at once;
# with the shipped jvm.options and server.env (MALLOC_ARENA_MAX), then with the JVM's and glibc's
# defaults for comparison.
# Usage: bench/footprint.sh. Loopback only; needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
dir=$PWD/target/footprint
server=target/liberty/wlp/usr/servers/icc
mvn -q -B -Pdemo -DskipTests -Ddemo.dir="$dir" package liberty:create liberty:install-feature liberty:deploy >/dev/null
# The demo profile makes small samples when there are none: replace them with a 256 MiB ISO.
if [ "$(stat -c %s "$dir/base.iso" 2>/dev/null || echo 0)" -lt $((256 << 20)) ]; then
  rm -f "$dir/base.iso"
  cp_jars=$(ls target/image-customization-controller/WEB-INF/lib/*.jar | tr '\n' ':')
  java -cp "target/test-classes:target/classes:$cp_jars" io.metal3.icc.demo.SampleImages "$dir" --rootfs-mib 256 >/dev/null
fi
target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true
trap 'target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true' EXIT

rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$1/status"; }

measure() {
  local label=$1
  local t0 t1 pid idle peak r
  t0=$(date +%s%N)
  target/liberty/wlp/bin/server start icc >/dev/null
  until curl -sf -o /dev/null http://127.0.0.1:8084/health/ready; do sleep 0.05; done
  t1=$(date +%s%N)
  pid=$(cat target/liberty/wlp/usr/servers/.pid/icc.pid)
  sleep 10
  idle=$(rss "$pid")
  local pids=()
  for _ in $(seq 64); do curl -s -o /dev/null --limit-rate 20m http://127.0.0.1:8084/worker-0.iso & pids+=($!); done
  peak=0
  for _ in $(seq 60); do r=$(rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.25; done
  wait "${pids[@]}"  # not a bare wait: the results tee is a child too
  printf '%-28s start-to-ready %6d ms   RSS idle %4d MiB   RSS peak (64 downloads) %4d MiB\n' \
    "$label" $(( (t1 - t0) / 1000000 )) "$idle" "$peak"
  target/liberty/wlp/bin/server stop icc >/dev/null
}

results footprint "$@"
# Both measured on a warm start (the workarea of a first start exists), as the image seeds every pod.
target/liberty/wlp/bin/server start icc >/dev/null
until curl -sf -o /dev/null http://127.0.0.1:8084/health/ready; do sleep 0.05; done
target/liberty/wlp/bin/server stop icc >/dev/null
measure "shipped configuration"
cp "$server/jvm.options" "$dir/jvm.options.shipped"
: > "$server/jvm.options"
cp "$server/server.env" "$dir/server.env.shipped"
grep -v '^MALLOC_ARENA_MAX=' "$dir/server.env.shipped" > "$server/server.env"
measure "JVM and glibc defaults"
cp "$dir/jvm.options.shipped" "$server/jvm.options"
cp "$dir/server.env.shipped" "$server/server.env"
echo "(start-to-ready includes Liberty's server script; $(nproc) cores, $(awk '/MemTotal/{print int($2/1048576)}' /proc/meminfo) GiB)"
