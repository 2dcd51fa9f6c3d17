#!/usr/bin/env bash
# Java and Liberty levels side by side (A/B, alternating): {JDK 17, JDK 25, JDK 25 with compact object
# headers, JDK 25 with an AOT cache} x {Liberty 25.0.0.11, 26.0.0.2}, the same WAR and configuration
# (static mode, 256 MiB ISO, shipped jvm.options and server.env), nginx in the same rounds.
# Per cell and round: start to /health/ready (after one settling start: a JDK change makes Liberty
# clean its workarea), RSS idle 10 s after ready, 64 KiB random ranges over 4 keep-alive connections
# (req/s, p50, p99, server CPU per range; after 2 x DURATION of warm-up), HEAD req/s (ab -k -c4),
# 16 whole-ISO streams (aggregate MiB/s, peak RSS). Round 2 runs the cells in reverse order.
# The AOT cache (JEP 483/514) is trained by one start-to-ready and stop of the same server.
# Usage: bench/java-liberty.sh [ROUNDS=2] [DURATION_S=10] [LIBERTY_VERSIONS="25.0.0.11 26.0.0.2"]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
rounds=${1:-2}
secs=${2:-10}
versions=${3:-25.0.0.11 26.0.0.2}
dir=$PWD/target/bench-ab
port=8084
ngx=8093
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}

for t in nginx wrk curl ab unzip; do command -v $t >/dev/null || { echo "needs $t (nginx-light wrk curl apache2-utils unzip)" >&2; exit 1; }; done
mkdir -p "$dir"
mvn -q -B -DskipTests package >/dev/null
cp_jars=$(find target/image-customization-controller/WEB-INF/lib -name '*.jar' | tr '\n' ':')
[ -f "$dir/base.iso" ] || java -cp "target/test-classes:target/classes:$cp_jars" io.metal3.icc.demo.SampleImages "$dir" --rootfs-mib 256 >/dev/null
iso_size=$(stat -c %s "$dir/base.iso")

# One Liberty per version, unpacked from the runtime zip Maven serves, with the app as the image ships it.
for v in $versions; do
  wlp=$dir/ol-$v/wlp
  if [ ! -x "$wlp/bin/server" ]; then
    mvn -q -B dependency:get -Dartifact="io.openliberty:openliberty-runtime:$v:zip" -Dtransitive=false >/dev/null
    mkdir -p "$dir/ol-$v"
    unzip -q -o "$HOME/.m2/repository/io/openliberty/openliberty-runtime/$v/openliberty-runtime-$v.zip" -d "$dir/ol-$v"
  fi
  srv=$wlp/usr/servers/icc
  [ -d "$srv" ] || "$wlp/bin/server" create icc >/dev/null
  cp src/main/liberty/config/server.xml src/main/liberty/config/jvm.options "$srv/"
  mkdir -p "$srv/apps"
  cp target/image-customization-controller.war "$srv/apps/"
  { cat src/main/liberty/config/server.env
    echo "NMSTATE_DIR=$dir/nmstate"; echo "DEPLOY_ISO=$dir/base.iso"; echo "DEPLOY_INITRD=$dir/base.initramfs"
    echo "IRONIC_BASE_URL=http://192.0.2.10"; echo "IRONIC_AGENT_IMAGE=quay.io/metal3-io/ironic-agent:latest"
    echo "IMAGES_PUBLISH_ADDR=http://127.0.0.1:$port"; echo "ICC_DRAIN_FILE="; } > "$srv/server.env"
  echo "images.http.port=$port" > "$srv/bootstrap.properties"
done

cat > "$dir/nginx.conf" <<NGINX
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush off; tcp_nodelay on; keepalive_requests 100000;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$ngx; location = /worker-0.iso { alias $dir/base.iso; } }
}
NGINX
range_lua "$dir/range.lua"

stop_all() {
  nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true
  for v in $versions; do "$dir/ol-$v/wlp/bin/server" stop icc >/dev/null 2>&1 || true; done
}
stop_all
trap stop_all EXIT
nginx -c "$dir/nginx.conf"
cat "$dir/base.iso" >/dev/null

tck=$(getconf CLK_TCK)
rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$1/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ngx_cpu() { for p in $(pgrep -P "$(cat "$dir/nginx.pid")"); do cpu "$p"; done | awk '{t += $1} END {print t + 0}'; }
# req/s p50 p99 (ms) of wrk -t1 -c4
ranges() { ISO_SIZE=$iso_size wrk -t1 -c4 -d"${secs}s" --latency -s "$dir/range.lua" "$1" 2>/dev/null | wrk_summary; }
per_req() { awk -v t="$1" -v r="$2" -v s="$secs" -v k="$tck" 'BEGIN{ if (r > 0) printf "%.1f", t * 1e6 / k / (r * s); else print "-" }'; }

# variant: label JAVA_HOME JVM_ARGS
variants=("17|$jdk17|" "25|$jdk25|" "25+COH|$jdk25|-XX:+UseCompactObjectHeaders" "25+AOT|$jdk25|aot")
cells=()
for v in $versions; do for x in "${variants[@]}"; do cells+=("$v|$x"); done; done

start_ready() {  # wlp JAVA_HOME JVM_ARGS → ms
  local t0
  t0=$(date +%s%N)
  JAVA_HOME=$2 JVM_ARGS=$3 "$1/bin/server" start icc >/dev/null
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.02; done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}

results java-liberty "$@"
echo "(ISO $((iso_size >> 20)) MiB; JDK 17: $("$jdk17/bin/java" -version 2>&1 | head -1); JDK 25: $("$jdk25/bin/java" -version 2>&1 | head -1); $(nginx -v 2>&1))"
printf '%-6s %-10s %-7s %8s %8s %9s %7s %7s %9s %9s %10s %9s %9s\n' round liberty java "start ms" "idle MiB" "ranges/s" "p50 ms" "p99 ms" "CPU us/r" "vs nginx" "HEAD/s" "16x MiB/s" "peak MiB"
for round in $(seq 1 "$rounds"); do
  order=("${cells[@]}")
  if [ $((round % 2)) = 0 ]; then order=(); for ((i=${#cells[@]}-1; i>=0; i--)); do order+=("${cells[i]}"); done; fi
  for cell in "${order[@]}"; do
    IFS='|' read -r v label jhome jargs <<<"$cell"
    wlp=$dir/ol-$v/wlp
    if [ "$jargs" = aot ]; then
      aot=$dir/ol-$v.aot
      if [ ! -f "$aot" ]; then  # training run: start to ready, stop; the JVM writes the cache at exit
        start_ready "$wlp" "$jhome" "-XX:AOTCacheOutput=$aot" >/dev/null
        "$wlp/bin/server" stop icc >/dev/null
      fi
      jargs="-XX:AOTCache=$aot"
    fi
    start_ready "$wlp" "$jhome" "$jargs" >/dev/null  # settles the workarea for this JDK
    "$wlp/bin/server" stop icc >/dev/null
    ms=$(start_ready "$wlp" "$jhome" "$jargs")
    pid=$(cat "$wlp/usr/servers/.pid/icc.pid")
    sleep 10
    idle=$(rss "$pid")
    url=http://127.0.0.1:$port/worker-0.iso
    for _ in 1 2; do ISO_SIZE=$iso_size wrk -t1 -c4 -d"${secs}s" -s "$dir/range.lua" "$url" >/dev/null 2>&1; done
    c0=$(cpu "$pid"); read -r rps p50 p99 <<<"$(ranges "$url")"; c1=$(cpu "$pid")
    n0=$(ngx_cpu); read -r nrps _ _ <<<"$(ranges "http://127.0.0.1:$ngx/worker-0.iso")"; n1=$(ngx_cpu)
    head=$(ab -k -i -c 4 -t "$secs" -n 10000000 "$url" 2>/dev/null | awk '/Requests per second/ {printf "%.0f", $4}')
    peak=0; pids=(); s0=$(date +%s.%N)
    for _ in $(seq 16); do curl -s -o /dev/null "$url" & pids+=($!); done
    while kill -0 "${pids[@]}" 2>/dev/null; do r=$(rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
    wait "${pids[@]}" || true
    agg=$(awk -v b="$iso_size" -v s="$s0" -v e="$(date +%s.%N)" 'BEGIN{printf "%.0f", b*16/(e-s)/1048576}')
    "$wlp/bin/server" stop icc >/dev/null
    printf '%-6s %-10s %-7s %8s %8s %9s %7s %7s %9s %9s %10s %9s %9s\n' "$round" "$v" "$label" "$ms" "$idle" "$rps" "$p50" "$p99" \
      "$(per_req $((c1 - c0)) "$rps")" "$(awk -v a="$rps" -v b="$nrps" 'BEGIN{printf "%.2fx", a/b}')" "${head:-0}" "$agg" "$peak"
    echo "       nginx same cell: $nrps ranges/s, CPU $(per_req $((n1 - n0)) "$nrps") us/r" >&2
  done
done
