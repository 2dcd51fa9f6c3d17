#!/usr/bin/env bash
# Conversions per second of a bonded dual-stack host config with the built-in NMState converter,
# then the time to convert the largest Linux bridge a 1 MiB Secret can hold (five rounds in one JVM:
# the first ones include JIT compilation). Writes bench/results/nmstate.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench-cp.txt)"
out=bench/results/nmstate.txt
# The heap the product runs with (jvm.options: Serial GC; a quarter of the 1 GiB pod limit).
jvm="-XX:+UseSerialGC -Xmx256m"
mkdir -p bench/results
{
  echo "# bench/nmstate.sh — $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes')"
  echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "# command: bash bench/nmstate.sh (JVM: $jvm)"
  java $jvm -cp "$cp" io.metal3.icc.bench.ConversionBenchmark
  java $jvm -cp "$cp" io.metal3.icc.bench.ConversionBenchmark bridge
} | tee "$out"
