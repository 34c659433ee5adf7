#!/usr/bin/env bash
# Builds the benchmarks and the fleet simulation (bench/java, Maven profile `bench`; not part of `mvn test`) after
# the project and its test helpers, and writes the classpath that runs them to target/bench-classpath.txt.
# Usage: bench/build.sh [PHASE (test-compile; `package` also builds target/orchestrator.jar)] [MAVEN OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
phase=${1:-test-compile}
shift || true
mvn -B -q -Pbench -DskipTests "$@" "$phase" dependency:build-classpath \
    -Dmdep.outputFile=target/dependency-classpath.txt -Dmdep.includeScope=test >/dev/null
echo "target/bench-classes:target/test-classes:target/classes:$(cat target/dependency-classpath.txt)" \
    > target/bench-classpath.txt
