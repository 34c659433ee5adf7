#!/usr/bin/env bash
# Image preparation benchmark: the project's code against zstd -d and curl -o + sha256sum.
# Usage: bench/images.sh [SIZE_MIB (default 1024)] [ROUNDS (default 5)]
# Needs zstd, curl and sha256sum on PATH and the Maven dependencies in ~/.m2 (runs offline).
# Writes into bench/out/images (about 2.5x SIZE of disk at peak) and deletes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
rounds=${2:-5}
work=bench/out/images
bench/build.sh test-compile -o
trap 'rm -rf "$work"' EXIT
echo "host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(java -version 2>&1 | head -1); $(zstd --version); $(curl --version | head -1 | cut -d' ' -f1-2); sha256sum $(sha256sum --version | head -1 | awk '{print $NF}')"
java -Xmx512m -cp "$(cat target/bench-classpath.txt)" \
  org.solstice.orchestrator.images.ImagePreparationBenchmark "$work" "$size_mib" "$rounds"
