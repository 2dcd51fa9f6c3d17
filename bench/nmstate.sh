#!/usr/bin/env bash
# Conversions per second of a bonded dual-stack host config with the built-in NMState converter,
# then the time to convert the largest Linux bridge a 1 MiB Secret can hold.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench-cp.txt)"
java -cp "$cp" io.metal3.icc.bench.ConversionBenchmark
java -cp "$cp" io.metal3.icc.bench.ConversionBenchmark bridge
