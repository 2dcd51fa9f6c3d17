#!/usr/bin/env bash
# Time for N PreprovisioningImages to become Ready against fabric8's CRUD mock API server.
# Usage: bench/controller-scale.sh [N=1000] [WORKERS=4]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
results controller-scale "$@"
# The controller's own log goes to target/controller-scale.log, apart from the figures.
java -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" io.metal3.icc.bench.ControllerScaleBenchmark "$@" \
  2>target/controller-scale.log | grep -v '^generated '
