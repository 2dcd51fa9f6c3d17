#!/usr/bin/env bash
# HTTPS: what TLS costs and how the app serves over it, beside nginx with the same certificate.
# 1. Footprint with TLS off and on (static mode, demo server): process start to /health/ready and RSS
#    idle 10 s after ready; per configuration one start to settle Liberty's workarea (turning TLS on or
#    off changes the feature set, which Liberty resolves again once), then two measured starts.
# 2. Serving, TLS 1.3 (Intermediate profile, ECDSA P-256 certificate), app vs nginx, and the app's plain
#    HTTP in the same run: one whole-ISO stream, 16 streams (aggregate, peak RSS), 64 KiB random
#    ranges over 4 keep-alive connections as BMC virtual media read (req/s, p50, p99, server CPU/req).
# Usage: bench/tls.sh [ISO_MIB=256] [DURATION_S=10]. Loopback only; needs openssl, curl, wrk, nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
mib=${1:-256}
secs=${2:-10}
dir=$PWD/target/bench-tls
server=target/liberty/wlp/usr/servers/icc
app=8084
apps=8443
ngx=8092

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q && $sudo apt-get install -y -q "${need[@]}"
fi

mvn -q -B -Pdemo -DskipTests -Ddemo.dir="$dir" package liberty:create liberty:install-feature liberty:deploy >/dev/null
cp_jars=$(ls target/image-customization-controller/WEB-INF/lib/*.jar | tr '\n' ':')
if [ "$(stat -c %s "$dir/base.iso" 2>/dev/null || echo 0)" -lt $((mib << 20)) ]; then
  rm -f "$dir/base.iso"
  java -cp "target/test-classes:target/classes:$cp_jars" io.metal3.icc.demo.SampleImages "$dir" --rootfs-mib "$mib" >/dev/null
fi
iso_size=$(stat -c %s "$dir/base.iso")
grep -v -e '^ICC_TLS_' -e '^IMAGES_TLS_' -e '^IMAGES_HTTPS_PORT=' "$server/server.env" > "$dir/server.env.plain"
# server.xml includes tls.xml from the server's directory
cp src/main/liberty/config/tls.xml "$server/tls.xml"

openssl ecparam -name prime256v1 -genkey -noout -out "$dir/tls.key" 2>/dev/null
openssl req -x509 -new -key "$dir/tls.key" -subj /CN=localhost -days 2 -addext subjectAltName=IP:127.0.0.1 \
  -out "$dir/tls.crt" 2>/dev/null

cat > "$dir/nginx.conf" <<NGINX
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush off; tcp_nodelay on; keepalive_requests 100000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$ngx ssl;
    ssl_certificate $dir/tls.crt;
    ssl_certificate_key $dir/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /worker-0.iso { alias $dir/base.iso; }
  }
}
NGINX

stop_all() { nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true; target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true; }
stop_all
trap 'stop_all; cp "$dir/server.env.plain" "$server/server.env" 2>/dev/null || true' EXIT

# server.env of the demo server with TLS on: what the launcher would add (TlsSetup writes the key store).
tls_env() {
  cp "$dir/server.env.plain" "$server/server.env"
  local pw
  pw=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  IMAGES_TLS_CERT_FILE=$dir/tls.crt IMAGES_TLS_KEY_FILE=$dir/tls.key ICC_TLS_KEYSTORE=$dir/keystore.p12 \
    ICC_TLS_KEYSTORE_PASSWORD=$pw java -cp target/classes io.metal3.icc.tls.TlsSetup | tr -d "'" >> "$server/server.env"
  cat >> "$server/server.env" <<ENV
IMAGES_TLS_CERT_FILE=$dir/tls.crt
IMAGES_TLS_KEY_FILE=$dir/tls.key
ICC_TLS_KEYSTORE=$dir/keystore.p12
ICC_TLS_KEYSTORE_PASSWORD=$pw
ICC_TLS_CONFIG=tls.xml
IMAGES_HTTPS_PORT=$apps
ENV
}
plain_env() { cp "$dir/server.env.plain" "$server/server.env"; }

rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$1/status"; }
start_ms() {
  local t0 t1
  t0=$(date +%s%N)
  target/liberty/wlp/bin/server start icc >/dev/null
  until curl -sf -o /dev/null "http://127.0.0.1:$app/health/ready"; do sleep 0.02; done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
footprint() {
  local label=$1 ms pid idle
  target/liberty/wlp/bin/server stop icc >/dev/null 2>&1 || true
  ms=$(start_ms)
  target/liberty/wlp/bin/server stop icc >/dev/null
  printf '%-10s first start after the switch (workarea re-resolved): start-to-ready %5d ms\n' "$label" "$ms"
  for round in 1 2; do
    ms=$(start_ms)
    pid=$(cat target/liberty/wlp/usr/servers/.pid/icc.pid)
    sleep 10
    idle=$(rss "$pid")
    printf '%-10s round %d: start-to-ready %5d ms   RSS idle %4d MiB\n' "$label" "$round" "$ms" "$idle"
    target/liberty/wlp/bin/server stop icc >/dev/null
  done
}

tck=$(getconf CLK_TCK)
ticks() {
  local pids
  case $1 in *":$ngx/"*) pids=$(pgrep -P "$(cat "$dir/nginx.pid")" | tr '\n' ' ') ;; *) pids=$(cat target/liberty/wlp/usr/servers/.pid/icc.pid) ;; esac
  # shellcheck disable=SC2086
  for p in $pids; do awk '{print $14 + $15}' "/proc/$p/stat"; done | awk '{t += $1} END {print t + 0}'
}
range_lua "$dir/range.lua"
# req/s p50 p99 cpu-us/req over 4 connections
ranges() {
  local t0 out
  t0=$(ticks "$1")
  out=$(ISO_SIZE=$iso_size wrk -t1 -c4 -d"${secs}s" --latency -s "$dir/range.lua" "$1" 2>/dev/null | wrk_summary)
  awk -v o="$out" -v t="$(( $(ticks "$1") - t0 ))" -v s="$secs" -v k="$tck" 'BEGIN{split(o, a, " ");
    printf "%s %s", o, (a[1] > 0 ? sprintf("%.1f", t * 1e6 / k / (a[1] * s)) : "-")}'
}
single() { for _ in 1 2 3; do curl -sk -o /dev/null -w '%{speed_download}\n' "$1"; done | sort -n | tail -1 | awk '{printf "%.0f", $1/1048576}'; }
parallel() {
  local url=$1 n=$2 start end peak=0 r pid=""
  case $url in *":$ngx/"*) ;; *) pid=$(cat target/liberty/wlp/usr/servers/.pid/icc.pid) ;; esac
  start=$(date +%s.%N)
  local pids=()
  for _ in $(seq 1 "$n"); do curl -sk -o /dev/null "$url" & pids+=($!); done
  while kill -0 "${pids[@]}" 2>/dev/null; do
    if [ -n "$pid" ]; then r=$(rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r; fi
    sleep 0.2
  done
  wait "${pids[@]}" || true
  end=$(date +%s.%N)
  awk -v b="$iso_size" -v n="$n" -v s="$start" -v e="$end" -v p="$peak" 'BEGIN{printf "%.0f %s", b*n/(e-s)/1048576, (p > 0 ? p : "-")}'
}

results tls "$@"
echo "(ISO $((iso_size >> 20)) MiB; $(java -version 2>&1 | head -1); $(nginx -v 2>&1); $(openssl version))"
echo "## footprint, static mode, shipped jvm.options"
plain_env; footprint "TLS off"
tls_env; footprint "TLS on"
plain_env; footprint "TLS off"

echo "## serving, TLS 1.3 ECDSA P-256 (wrk -t1 -c4 -d${secs}s, 64 KiB random ranges; curl -k for streams)"
tls_env
target/liberty/wlp/bin/server start icc >/dev/null
until curl -sf -o /dev/null "http://127.0.0.1:$app/health/ready"; do sleep 0.05; done
nginx -c "$dir/nginx.conf"
until curl -skf -o /dev/null -I "https://127.0.0.1:$ngx/worker-0.iso"; do sleep 0.05; done
cat "$dir/base.iso" >/dev/null
A=https://127.0.0.1:$apps/worker-0.iso
H=http://127.0.0.1:$app/worker-0.iso
N=https://127.0.0.1:$ngx/worker-0.iso
for _ in 1 2 3; do for u in "$A" "$H" "$N"; do ISO_SIZE=$iso_size wrk -t1 -c4 -d"${secs}s" -s "$dir/range.lua" "$u" >/dev/null 2>&1; done; done
printf '%-34s %14s %14s %14s %10s\n' metric "app HTTPS" "app HTTP" "nginx HTTPS" "HTTPS/ngx"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }'; }
for round in 1 2; do
  read -r ar ar50 ar99 acpu <<<"$(ranges "$A")"
  read -r hr hr50 hr99 hcpu <<<"$(ranges "$H")"
  read -r nr nr50 nr99 ncpu <<<"$(ranges "$N")"
  printf '%-34s %14s %14s %14s %10s\n' "ranges r$round (req/s)" "$ar" "$hr" "$nr" "$(ratio "$ar" "$nr")"
  printf '%-34s %14s %14s %14s %10s\n' "ranges r$round p50 / p99 (ms)" "$ar50/$ar99" "$hr50/$hr99" "$nr50/$nr99" "-"
  printf '%-34s %14s %14s %14s %10s\n' "ranges r$round server CPU/req (us)" "$acpu" "$hcpu" "$ncpu" "$(ratio "$acpu" "$ncpu")"
done
a1=$(single "$A"); h1=$(single "$H"); n1=$(single "$N")
printf '%-34s %14s %14s %14s %10s\n' "ISO, 1 stream (MiB/s)" "$a1" "$h1" "$n1" "$(ratio "$a1" "$n1")"
read -r a16 p16 <<<"$(parallel "$A" 16)"; read -r h16 hp16 <<<"$(parallel "$H" 16)"; read -r n16 _ <<<"$(parallel "$N" 16)"
printf '%-34s %14s %14s %14s %10s\n' "ISO, 16 streams (MiB/s)" "$a16" "$h16" "$n16" "$(ratio "$a16" "$n16")"
printf '%-34s %14s %14s %14s %10s\n' "RSS peak, 16 streams (MiB)" "$p16" "$hp16" "-" "-"
