#!/usr/bin/env bash
# Issue #3 benchmark: N jobs through the daemon (libvirt backend, real QEMU guests from the test image, one job at
# a time) and, interleaved in the same run, the same jobs through a plain shell pipeline (bench/libvirt-pipeline.sh).
# Prints per-job wall times, their medians and ratio, and the daemon's own overheads (delivery to VM started,
# guest power-off to JobResult published).
# Usage: bench/libvirt.sh [JOBS=5]
# Needs root, libvirtd with the network solstice-test (.ci/libvirt-setup.sh), RabbitMQ on 127.0.0.1 or AMQP_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
testvm/build-image.sh target/testvm >/dev/null
bench/build.sh test-compile
java -cp "$(cat target/bench-classpath.txt)" \
    org.solstice.orchestrator.bench.LibvirtBenchmark "${1:-5}"
