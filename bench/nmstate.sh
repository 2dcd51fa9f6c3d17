#!/usr/bin/env bash
# Conversions per second of a bonded dual-stack host config with the built-in NMState converter.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" io.metal3.icc.bench.ConversionBenchmark
