#!/usr/bin/env bash
# The plain pipeline bench/libvirt.sh compares the daemon with: ONE job, start to finish, with nothing but the
# tools (qemu-img overlay, genisoimage NoCloud seed with volume id cidata, `virsh create` of a domain equivalent to
# the daemon's, poll until the domain is gone, remove the files).
# Usage: bench/libvirt-pipeline.sh NAME IMAGE USER_DATA [URI] [NETWORK]
# Prints one line: PIPELINE name=NAME t0_ms=.. started_ms=.. gone_ms=.. done_ms=.. (epoch milliseconds)
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 NAME IMAGE USER_DATA [URI] [NETWORK]" >&2
    exit 2
fi
name=$1 image=$2 user_data=$3 uri=${4:-qemu:///system} network=${5:-solstice-test}
now() { date +%s%3N; }

t0=$(now)
work=$(mktemp -d "${TMPDIR:-/tmp}/solstice-pipeline.XXXXXX")
chmod 755 "$work"   # QEMU runs as libvirt-qemu
qemu-img create -q -f qcow2 -F qcow2 -b "$image" "$work/disk.qcow2"
mkdir "$work/seed"
cp "$user_data" "$work/seed/user-data"
printf "instance-id: '%s'\nlocal-hostname: '%s'\n" "$name" "$name" > "$work/seed/meta-data"
(cd "$work/seed" && genisoimage -quiet -output "$work/seed.iso" -volid cidata -joliet -rock \
    -input-charset utf-8 user-data meta-data)
cat > "$work/domain.xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/><source file='$work/disk.qcow2'/><target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/><source file='$work/seed.iso'/><target dev='hdc' bus='ide'/><readonly/>
    </disk>
    <interface type='network'><source network='$network'/><model type='virtio'/></interface>
    <serial type='file'><source path='$work/console.log' append='on'/><target port='0'/></serial>
    <console type='file'><source path='$work/console.log' append='on'/><target type='serial' port='0'/></console>
  </devices>
</domain>
XML
virsh -q -c "$uri" create "$work/domain.xml" >/dev/null
t_started=$(now)
while virsh -q -c "$uri" domid "$name" >/dev/null 2>&1; do
    sleep 0.1
done
t_gone=$(now)
if ! grep -q '^SOLSTICE_JOB_EXIT=0' "$work/console.log"; then
    echo "$0: job $name did not report exit status 0; console:" >&2
    tail -n 20 "$work/console.log" >&2
    rm -rf "$work"
    exit 1
fi
rm -rf "$work"
echo "PIPELINE name=$name t0_ms=$t0 started_ms=$t_started gone_ms=$t_gone done_ms=$(now)"
