#!/usr/bin/env bash
# Issue 8's simulated fleet: a discrete-event model of the label-queue scheme (not RabbitMQ, not daemons),
# printed as Markdown tables. Virtual time, deterministic for a seed; runs in seconds on one core.
# Usage: bench/fleet.sh [HOSTS (50)] [LABELS (200)] [SEED (1)] [LOADS (0.5,0.8,0.95)] [HOURS (12)] [DOWN_MIN (15)]
# Needs the Maven dependencies in ~/.m2 (runs offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bench/build.sh test-compile -o
java -Xmx1g -cp "$(cat target/bench-classpath.txt)" \
  org.solstice.orchestrator.bench.fleet.FleetBenchmark "$@"
