#!/usr/bin/env bash
# Serving benchmark: the app vs nginx (sendfile on) on the same base files, same run, loopback only.
# Prints app/nginx ratios for: start to ready, one whole-ISO stream, 16 and 64 concurrent whole-ISO
# streams, 64 KiB random ranges over keep-alive (16 connections, and 4 as BMC virtual media use:
# req/s, p50, p99, server CPU per request), HEAD req/s, the initramfs path, and RSS (after start,
# idle after warm-up, peak under 16 and 64 streams) of the app's JVM and of nginx's processes.
# Usage: bench/serving.sh [ISO_MIB=1024] [DURATION_S=10]. Installs nginx-light, wrk, curl if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
mib=${1:-1024}
secs=${2:-10}
dir=$PWD/target/bench
app=8084
ngx=8091

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v ab >/dev/null || need+=(apache2-utils)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q && $sudo apt-get install -y -q "${need[@]}"
fi

mvn -q -B -Pdemo -DskipTests -Ddemo.dir="$dir" package liberty:create liberty:install-feature liberty:deploy >/dev/null
cp_jars=$(ls target/image-customization-controller/WEB-INF/lib/*.jar | tr '\n' ':')
if [ ! -f "$dir/base.iso" ] || [ "$(stat -c %s "$dir/base.iso")" -lt $((mib << 20)) ] \
   || [ "$(stat -c %s "$dir/base.initramfs" 2>/dev/null || echo 0)" -lt $((256 << 20)) ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  java -cp "target/test-classes:target/classes:$cp_jars" io.metal3.icc.demo.SampleImages "$dir" --rootfs-mib "$mib" >/dev/null
  # A realistic initramfs size for the initramfs path (content does not matter for serving).
  head -c $((256 << 20)) /dev/urandom > "$dir/base.initramfs"
fi
iso_size=$(stat -c %s "$dir/base.iso")

cat > "$dir/nginx.conf" <<NGINX
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # sendfile as asked; tcp_nopush off + tcp_nodelay on: with nopush, small range responses stall on
  # delayed ACKs (~40 ms), which would flatter the app.
  sendfile on; tcp_nopush off; tcp_nodelay on; keepalive_requests 100000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$ngx;
    location = /worker-0.iso { alias $dir/base.iso; }
    location = /worker-0.initramfs { alias $dir/base.initramfs; }
  }
}
NGINX
# A server left running by an earlier run (or liberty:run) would hold the ports.
nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true
target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true
cleanup() { nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true; target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true; }
trap cleanup EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Start to ready: nginx until it serves the ISO, the app until /health/ready answers 200 (static mode:
# every image registered); both polled every 20 ms.
t0=$(now_ms)
nginx -c "$dir/nginx.conf"
until curl -sf -o /dev/null -I "http://127.0.0.1:$ngx/worker-0.iso"; do sleep 0.02; done
nstart=$(( $(now_ms) - t0 ))
# The shipped jvm.options size the heap; JVM_ARGS (e.g. -Xmx512m) can override them. Measured on the
# second start, with the workarea of the first: the image seeds every pod with one (Containerfile).
target/liberty/wlp/bin/server start icc --clean >/dev/null
for _ in $(seq 1 6000); do curl -sf -o /dev/null "http://127.0.0.1:$app/health/ready" && break; sleep 0.02; done
target/liberty/wlp/bin/server stop icc >/dev/null
t0=$(now_ms)
JVM_ARGS=${JVM_ARGS:-} target/liberty/wlp/bin/server start icc >/dev/null
for _ in $(seq 1 6000); do curl -sf -o /dev/null "http://127.0.0.1:$app/health/ready" && break; sleep 0.02; done
astart=$(( $(now_ms) - t0 ))
pid=$(cat target/liberty/wlp/usr/servers/.pid/icc.pid)
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
# nginx: master and workers together
nrss() {
  local m; m=$(cat "$dir/nginx.pid")
  # shellcheck disable=SC2046
  awk '/VmRSS/ {t += $2} END {print int(t/1024)}' "/proc/$m/status" $(pgrep -P "$m" | sed 's|.*|/proc/&/status|')
}
cat "$dir/base.iso" "$dir/base.initramfs" >/dev/null

# best of 3 single-stream downloads, MiB/s
single() { for _ in 1 2 3; do curl -s -o /dev/null -w '%{speed_download}\n' "$1"; done | sort -n | tail -1 | awk '{printf "%.0f", $1/1048576}'; }
# N parallel whole-image downloads: aggregate MiB/s, and the server's peak RSS while they run
parallel() {
  local url=$1 n=$2 start end peak=0 measure=rss
  case $url in *":$ngx/"*) measure=nrss ;; esac
  start=$(date +%s.%N)
  for _ in $(seq 1 "$n"); do curl -s -o /dev/null "$url" & done
  while [ "$(jobs -rp | wc -l)" -gt 0 ]; do r=$($measure); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
  wait; end=$(date +%s.%N)
  awk -v b="$iso_size" -v n="$n" -v s="$start" -v e="$end" -v p="$peak" 'BEGIN{printf "%.0f %d", b*n/(e-s)/1048576, p}'
}
range_lua "$dir/range.lua"
# Server CPU time (user + system, clock ticks) of the server behind a URL: the app's JVM, or nginx's
# workers. CPU per request is steadier than req/s on a machine whose cores the load client shares.
tck=$(getconf CLK_TCK)
ticks() {
  local pids
  case $1 in *":$app/"*) pids=$pid ;; *) pids=$(pgrep -P "$(cat "$dir/nginx.pid")" | tr '\n' ' ') ;; esac
  # shellcheck disable=SC2086
  for p in $pids; do awk '{print $14 + $15}' "/proc/$p/stat"; done | awk '{t += $1} END {print t + 0}'
}
us_per_req() { awk -v t="$1" -v r="$2" -v s="$secs" -v k="$tck" 'BEGIN{ if (r > 0) printf "%.1f", t * 1e6 / k / (r * s); else print "-" }'; }
# wrk waits for a body after HEAD responses, so HEAD is measured with ab (keep-alive, -i = HEAD).
# req/s cpu-us-per-request
headrun() {
  local t0 rps
  t0=$(ticks "$1")
  rps=$(ab -k -i -c 16 -t "$secs" -n 10000000 "$1" 2>/dev/null | awk '/Requests per second/ {printf "%.0f", $4}')
  echo "${rps:-0} $(us_per_req $(($(ticks "$1") - t0)) "${rps:-0}")"
}
# req/s p50(ms) p99(ms) cpu-us-per-request; $3 = wrk's connection/thread options
wrkrun() {
  local t0 out
  t0=$(ticks "$1")
  # shellcheck disable=SC2086
  out=$(ISO_SIZE=$iso_size wrk ${3:--t2 -c16} -d"${secs}s" --latency -s "$2" "$1" 2>/dev/null | wrk_summary)
  echo "$out $(us_per_req $(($(ticks "$1") - t0)) "${out%% *}")"
}

cold=$(rss); ncold=$(nrss)
# Warm both servers (JIT, caches) with the request mixes measured below; not counted. On 2 cores
# the app's JIT needs about a minute of load to settle (range req/s still rose ~50 % after 16 s).
for _ in 1 2 3; do
  for url in "http://127.0.0.1:$app/worker-0.iso" "http://127.0.0.1:$ngx/worker-0.iso"; do
    ISO_SIZE=$iso_size wrk -t2 -c16 -d"${secs}s" -s "$dir/range.lua" "$url" >/dev/null 2>&1
    ab -k -i -c 16 -t "$secs" -n 10000000 "$url" >/dev/null 2>&1
  done
done
idle=$(rss); nidle=$(nrss)
a1=$(single "http://127.0.0.1:$app/worker-0.iso"); n1=$(single "http://127.0.0.1:$ngx/worker-0.iso")
read -r a16 p16 <<<"$(parallel "http://127.0.0.1:$app/worker-0.iso" 16)"; read -r n16 np16 <<<"$(parallel "http://127.0.0.1:$ngx/worker-0.iso" 16)"
read -r a64 p64 <<<"$(parallel "http://127.0.0.1:$app/worker-0.iso" 64)"; read -r n64 np64 <<<"$(parallel "http://127.0.0.1:$ngx/worker-0.iso" 64)"
# Ranges and HEAD: two runs per server, alternating, the better one kept for each (noise on a
# shared 2-core machine is ±10-20 % between runs of the same server).
best_wrk() { local best="" r; for _ in 1 2; do r=$(wrkrun "$1" "$dir/range.lua" "${2:-}"); if [ -z "$best" ] || [ "${r%% *}" -gt "${best%% *}" ]; then best=$r; fi; sleep 1; done; echo "$best"; }
best_head() { local best="0 -" r; for _ in 1 2; do r=$(headrun "$1"); [ "${r%% *}" -gt "${best%% *}" ] && best=$r; sleep 1; done; echo "$best"; }
read -r ar ar50 ar99 acpu <<<"$(best_wrk "http://127.0.0.1:$app/worker-0.iso")"
read -r nr nr50 nr99 ncpu <<<"$(best_wrk "http://127.0.0.1:$ngx/worker-0.iso")"
# As BMC virtual media read: 4 keep-alive connections (one wrk thread).
read -r ar4 ar450 ar499 acpu4 <<<"$(best_wrk "http://127.0.0.1:$app/worker-0.iso" "-t1 -c4")"
read -r nr4 nr450 nr499 ncpu4 <<<"$(best_wrk "http://127.0.0.1:$ngx/worker-0.iso" "-t1 -c4")"
read -r ah ahcpu <<<"$(best_head "http://127.0.0.1:$app/worker-0.iso")"
read -r nh nhcpu <<<"$(best_head "http://127.0.0.1:$ngx/worker-0.iso")"
ai=$(single "http://127.0.0.1:$app/worker-0.initramfs"); ni=$(single "http://127.0.0.1:$ngx/worker-0.initramfs")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }'; }
results serving "$@"
echo
echo "(both servers warmed with 3 x ${secs}s of each request mix first, ranges/HEAD best of 2; app access log ${ICC_ACCESS_LOG:-true} (shipped: true); app JVM_ARGS=${JVM_ARGS:-(shipped jvm.options)})"
echo "machine: $(nproc) cores; ISO $((iso_size >> 20)) MiB, initramfs 256 MiB; ranges: wrk -t2 -c16 and -t1 -c4, -d${secs}s each; HEAD: ab -k -c16 -t${secs}"
printf '%-38s %14s %14s %8s\n' metric app nginx app/nginx
printf '%-38s %14s %14s %8s\n' "start to ready (ms)" "$astart" "$nstart" "$(ratio "$astart" "$nstart")"
printf '%-38s %14s %14s %8s\n' "ISO, 1 stream (MiB/s)" "$a1" "$n1" "$(ratio "$a1" "$n1")"
printf '%-38s %14s %14s %8s\n' "ISO, 16 streams (MiB/s, aggregate)" "$a16" "$n16" "$(ratio "$a16" "$n16")"
printf '%-38s %14s %14s %8s\n' "ISO, 64 streams (MiB/s, aggregate)" "$a64" "$n64" "$(ratio "$a64" "$n64")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges (req/s)" "$ar" "$nr" "$(ratio "$ar" "$nr")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges p50 (ms)" "$ar50" "$nr50" "$(ratio "$ar50" "$nr50")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges p99 (ms)" "$ar99" "$nr99" "$(ratio "$ar99" "$nr99")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges, server CPU/req (us)" "$acpu" "$ncpu" "$(ratio "$acpu" "$ncpu")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges, 4 conns (req/s)" "$ar4" "$nr4" "$(ratio "$ar4" "$nr4")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges, 4 conns p50 (ms)" "$ar450" "$nr450" "$(ratio "$ar450" "$nr450")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges, 4 conns p99 (ms)" "$ar499" "$nr499" "$(ratio "$ar499" "$nr499")"
printf '%-38s %14s %14s %8s\n' "64 KiB ranges, 4 conns CPU/req (us)" "$acpu4" "$ncpu4" "$(ratio "$acpu4" "$ncpu4")"
printf '%-38s %14s %14s %8s\n' "HEAD (req/s)" "$ah" "$nh" "$(ratio "$ah" "$nh")"
printf '%-38s %14s %14s %8s\n' "HEAD, server CPU/req (us)" "$ahcpu" "$nhcpu" "$(ratio "$ahcpu" "$nhcpu")"
printf '%-38s %14s %14s %8s\n' "initramfs, 1 stream (MiB/s)" "$ai" "$ni" "$(ratio "$ai" "$ni")"
printf '%-38s %14s %14s %8s\n' "RSS after start (MiB)" "$cold" "$ncold" "$(ratio "$cold" "$ncold")"
printf '%-38s %14s %14s %8s\n' "RSS idle after warm-up (MiB)" "$idle" "$nidle" "$(ratio "$idle" "$nidle")"
printf '%-38s %14s %14s %8s\n' "RSS peak, 16 streams (MiB)" "$p16" "$np16" "$(ratio "$p16" "$np16")"
printf '%-38s %14s %14s %8s\n' "RSS peak, 64 streams (MiB)" "$p64" "$np64" "$(ratio "$p64" "$np64")"
