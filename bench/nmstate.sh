#!/usr/bin/env bash
# Conversions per second of a bonded dual-stack host config with the built-in NMState converter,
# then the time to convert the largest Linux bridge a 1 MiB Secret can hold (five rounds in one JVM:
# the first ones include JIT compilation). Writes bench/results/nmstate.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench-cp.txt)"
# The heap the product runs with (jvm.options: Serial GC; a quarter of the 1 GiB pod limit).
jvm="-XX:+UseSerialGC -Xmx256m"
results nmstate
echo "# JVM: $jvm"
java $jvm -cp "$cp" io.metal3.icc.bench.ConversionBenchmark
java $jvm -cp "$cp" io.metal3.icc.bench.ConversionBenchmark bridge
