#!/usr/bin/env bash
# Single-stream throughput of a customised ISO served by the app vs `cat` of the same base file.
# Usage: bench/single-stream.sh [ROOTFS_MIB]   (default 1024: a ~1 GiB base ISO)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
mib=${1:-1024}
dir=$PWD/target/bench
port=8084

mvn -q -B -Pdemo -DskipTests package -Ddemo.dir="$dir" >/dev/null   # builds the WAR (samples are made below)
rm -f "$dir/base.iso"
java -cp "target/test-classes:target/classes:$(ls target/image-customization-controller/WEB-INF/lib/*.jar | tr '\n' ':')" \
  io.metal3.icc.demo.SampleImages "$dir" --rootfs-mib "$mib" >/dev/null
size=$(stat -c %s "$dir/base.iso")

mvn -q -B -Pdemo -DskipTests -Ddemo.dir="$dir" package liberty:run >"$dir/server.log" 2>&1 &
trap 'target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 1; done

results single-stream "$@"
cat "$dir/base.iso" >/dev/null   # warm the page cache for both
echo "base ISO: $size bytes, $(nproc) cores"
for i in 1 2 3; do
  s=$(date +%s.%N); cat "$dir/base.iso" >/dev/null; e=$(date +%s.%N)
  awk -v b="$size" -v s="$s" -v e="$e" -v i="$i" 'BEGIN{printf "cat  run %d: %8.1f MiB/s\n", i, b/(e-s)/1048576}'
done
for i in 1 2 3; do
  curl -s -o /dev/null -w "app  run $i: %{speed_download} %{size_download}\n" "http://127.0.0.1:$port/worker-0.iso" |
    awk '{printf "%s %s %s %8.1f MiB/s (%d bytes)\n", $1, $2, $3, $4/1048576, $5}'
done
