#!/usr/bin/env bash
# Makes sure everything the test suite needs is installed and running: RabbitMQ, PostgreSQL (database `test`,
# trusted on loopback), libvirt with its isolated test network and the test guest image, Maven and a JDK.
# Called by ./test.sh (the README's test command). Idempotent: every step checks first and does nothing when
# the thing is already there. Installing needs root on Debian; as another user it only says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    missing=""
    command -v mvn >/dev/null || missing="$missing maven"
    bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672' 2>/dev/null || missing="$missing RabbitMQ(127.0.0.1:5672)"
    bash -c 'exec 3<>/dev/tcp/127.0.0.1/5432' 2>/dev/null || missing="$missing PostgreSQL(127.0.0.1:5432)"
    command -v virsh >/dev/null && virsh -q -c qemu:///system net-info "${SOLSTICE_TEST_NETWORK:-solstice-test}" \
        >/dev/null 2>&1 || missing="$missing libvirt+network(.ci/libvirt-setup.sh)"
    if [ -n "$missing" ]; then
        echo "$0: not root, so nothing can be installed or started; missing:$missing" >&2
        echo "run ./test.sh as root once (it sets everything up), or start these yourself" >&2
        exit 1
    fi
    exit 0
fi

log() { printf '\n=== %s ===\n' "$*"; }

apt_updated=0
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        if ((apt_updated == 0)); then
            apt-get update -qq
            apt_updated=1
        fi
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2
    shift 2
    for ((i = 0; i < seconds; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    echo "error: $what did not come up within ${seconds}s" >&2
    return 1
}

# --- RabbitMQ ------------------------------------------------------------------------------------------
log "RabbitMQ"
apt_install rabbitmq-server
if ! rabbitmqctl -q status >/dev/null 2>&1; then
    rabbitmq-server -detached
fi
wait_for 120 "RabbitMQ" rabbitmqctl -q await_startup
wait_for 60 "RabbitMQ on 127.0.0.1:5672" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672'

# --- PostgreSQL (the job store's tests) ---------------------------------------------------------------
log "PostgreSQL"
apt_install postgresql
pg_version=$(ls /etc/postgresql | sort -V | tail -1)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
fi
wait_for 60 "PostgreSQL on 127.0.0.1:5432" pg_isready -q -h 127.0.0.1 -p 5432
# The tests connect as postgres to database test, trusted on loopback (as on the development machines).
hba=/etc/postgresql/$pg_version/main/pg_hba.conf
if ! grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload
fi
su postgres -c "psql -h 127.0.0.1 -tAc \"SELECT 1 FROM pg_database WHERE datname='test'\"" | grep -q 1 \
    || su postgres -c "createdb -h 127.0.0.1 test"

# --- libvirt, QEMU and the test guest image (the end-to-end tests boot real guests) --------------------
log "libvirt"
bash .ci/libvirt-setup.sh target/testvm

# --- a real browser for the web console's tests (Debian's, driven through its chromedriver) -----------
log "Chromium"
apt_install chromium chromium-driver

# --- the build --------------------------------------------------------------------------------------
apt_install maven openjdk-17-jdk-headless

# --- the Debian package's test (a debootstrap root) and promtool for examples/grafana's rules ---------------
apt_install debootstrap prometheus
