#!/bin/bash
# Prepares a fresh Debian 12 machine (root, no systemd) for the real-QEMU libvirt tests:
# packages, virtlogd + libvirtd, the isolated test network and the test guest image.
#
# Usage: .ci/libvirt-setup.sh [IMAGE_DIR]    (default: target/testvm under the repository)
# Idempotent: every step checks first. Never touches libvirt's `default` network (192.168.122.0/24 is
# forbidden on the test machines); the test network `solstice-test` is a bare bridge with no <ip>.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
image_dir=${1:-$repo/target/testvm}
uri=qemu:///system
network=${SOLSTICE_TEST_NETWORK:-solstice-test}
packages="libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils genisoimage dnsmasq-base
linux-image-cloud-amd64 busybox-static syslinux syslinux-common systemd-boot-efi binutils mtools dosfstools cpio zstd
ovmf"

if [ "$(id -u)" -ne 0 ]; then
    echo "$0: run as root (it installs packages and starts libvirtd)" >&2
    exit 1
fi

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi

mkdir -p /var/log/libvirt /var/run/libvirt
pgrep -x virtlogd >/dev/null || virtlogd -d
pgrep -x libvirtd >/dev/null || libvirtd -d
for _ in $(seq 1 100); do
    virsh -q -c "$uri" version >/dev/null 2>&1 && break
    sleep 0.2
done
if ! virsh -q -c "$uri" version >/dev/null 2>&1; then
    echo "$0: libvirtd does not answer on $uri; see /var/log/libvirt" >&2
    exit 1
fi

if ! virsh -q -c "$uri" net-info "$network" >/dev/null 2>&1; then
    xml=$(mktemp)
    trap 'rm -f "$xml"' EXIT
    cat > "$xml" <<XML
<network>
  <name>$network</name>
  <bridge name='virbr-solstice' stp='off' delay='0'/>
</network>
XML
    virsh -q -c "$uri" net-define "$xml" >/dev/null
fi
if [ "$(virsh -q -c "$uri" net-info "$network" | awk '$1 == "Active:" { print $2 }')" != yes ]; then
    virsh -q -c "$uri" net-start "$network" >/dev/null
fi
if [ "$(virsh -q -c "$uri" net-info "$network" | awk '$1 == "Autostart:" { print $2 }')" != yes ]; then
    virsh -q -c "$uri" net-autostart "$network" >/dev/null
fi
echo "libvirt answers on $uri; network $network is active and autostarted"

"$repo/testvm/build-image.sh" "$image_dir"
SOLSTICE_TESTVM_CHANNEL=yes "$repo/testvm/build-image.sh" "$image_dir"
