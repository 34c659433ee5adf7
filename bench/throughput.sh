#!/usr/bin/env bash
# Issue #2 benchmark: orchestrator throughput (noop backend, zero run time, max-concurrency 64) against the
# broker's own round trip, plus resident memory with 10,000 jobs waiting and start-up time.
# Usage: bench/throughput.sh [JOBS=20000] [ROUNDS=3]   (RabbitMQ on 127.0.0.1:5672 or AMQP_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh package
java -cp "$(cat target/bench-classpath.txt)" \
    org.solstice.orchestrator.bench.ThroughputBenchmark target/orchestrator.jar "${1:-20000}" "${2:-3}"
