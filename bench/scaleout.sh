#!/usr/bin/env bash
# Issue #8 benchmark: noop-backend throughput with 1, 2 and 4 daemon processes on this machine against one broker,
# overhead-bound (0 s jobs) and slot-bound (500 ms jobs, 4 slots per daemon). Prints Markdown tables.
# Usage: bench/scaleout.sh [JOBS=20000] [SLOT_JOBS=400] [ROUNDS=3]   (RabbitMQ on 127.0.0.1:5672 or AMQP_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh package
java -cp "$(cat target/bench-classpath.txt)" \
    org.solstice.orchestrator.bench.ScaleOutBenchmark target/orchestrator.jar "${1:-20000}" "${2:-400}" "${3:-3}"
