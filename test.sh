#!/usr/bin/env bash
# The README's test command: sets up what the tests need (RabbitMQ, PostgreSQL, libvirt with its test network
# and guest image; installed and started when missing, see .ci/services.sh), then runs the whole suite.
# Extra arguments go to Maven, e.g. ./test.sh -Dtest=JobRunnerTest.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/services.sh
exec mvn -B test "$@"
