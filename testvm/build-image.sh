#!/bin/bash
# Builds the tiny NoCloud test guest (see ../shared/TESTVM.md): the installed Debian cloud kernel, a busybox
# initramfs whose /init mounts the NoCloud seed from /dev/sr0, runs `sh /mnt/user-data` with its output on the
# serial console, prints the script's exit status and powers off.
#
# It boots with BIOS (syslinux) and with UEFI (a unified kernel image, systemd-boot's EFI stub holding kernel,
# initramfs and command line, as the removable-media loader EFI/BOOT/BOOTX64.EFI: syslinux.efi 6.04 fails to
# allocate memory for this kernel under OVMF),
# on machine pc (seed on IDE) and q35 (seed on virtio-scsi): the image map's `machine` and `firmware` keys.
#
# The guest honours the ACPI power button: a listener on the "Power Button" input device powers it off.
# A user-data script can make the guest ignore ACPI with `kill "$(cat /run/powerbtn.pid)"`.
#
# Usage: testvm/build-image.sh OUTDIR   -> OUTDIR/solstice-test.qcow2 and OUTDIR/solstice-test.qcow2.zst
# With SOLSTICE_TESTVM_CHANNEL=yes it builds OUTDIR/solstice-test-channel.qcow2(.zst) instead: the same guest with
# the virtio_console module, so the bootstrap finds the job's own channel (org.solstice.job.0) and writes the job's
# output there; the default image has no such module and exercises the console fallback.
# Idempotent: when the outputs exist and were built by this script from the same kernel, it does nothing.
# Needs: linux-image-cloud-amd64 busybox-static syslinux syslinux-common systemd-boot-efi mtools dosfstools cpio
#        zstd qemu-utils binutils
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
outdir=$1
name=solstice-test
modules="scsi_common scsi_mod libata ata_piix cdrom sr_mod isofs
virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk virtio_scsi button evdev"
if [ "${SOLSTICE_TESTVM_CHANNEL:-no}" = yes ]; then
    name=solstice-test-channel
    modules="$modules virtio_console"
fi
efi_stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub

kernel=$(ls -1 /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$kernel" ]; then
    echo "$0: no /boot/vmlinuz-*-cloud-amd64: install linux-image-cloud-amd64" >&2
    exit 1
fi
kver=${kernel#/boot/vmlinuz-}
for tool in busybox syslinux mkfs.vfat mcopy cpio zstd qemu-img modprobe objcopy objdump; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found (see the package list in this script)" >&2; exit 1; }
done
[ -f "$efi_stub" ] || { echo "$0: $efi_stub not found: install systemd-boot-efi" >&2; exit 1; }
if ldd "$(command -v busybox)" >/dev/null 2>&1; then
    echo "$0: $(command -v busybox) is dynamically linked: install busybox-static" >&2
    exit 1
fi

mkdir -p "$outdir"
stamp="$outdir/$name.stamp"
want_stamp="$kver $(sha256sum "$0" | cut -d' ' -f1)"
if [ -f "$outdir/$name.qcow2" ] && [ -f "$outdir/$name.qcow2.zst" ] && [ -f "$stamp" ] \
        && [ "$(cat "$stamp")" = "$want_stamp" ]; then
    echo "$outdir/$name.qcow2 is up to date"
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/solstice-testvm.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,mnt,run,tmp,lib/modules}
cp "$(command -v busybox)" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# kernel modules in dependency order, each once
for m in $modules; do
    modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' > "$work/modules.list"
while read -r ko; do
    cp "$ko" "$root/lib/modules/"
    echo "/lib/modules/$(basename "$ko")" >> "$root/lib/modules/order"
done < "$work/modules.list"

cat > "$root/sbin/powerbtn" <<'LISTENER'
#!/bin/sh
# Powers the guest off when the ACPI power button is pressed (any event on its input device).
for ev in /sys/class/input/event*; do
    if [ "$(cat "$ev/device/name" 2>/dev/null)" = "Power Button" ]; then
        dev=/dev/input/${ev##*/}
        break
    fi
done
if [ -z "${dev:-}" ]; then
    echo "powerbtn: no Power Button input device: ACPI shutdown will be ignored" >&2
    exit 1
fi
head -c 24 "$dev" > /dev/null
echo "powerbtn: ACPI power button pressed, powering off"
sync
exec poweroff -f
LISTENER
chmod 755 "$root/sbin/powerbtn"

cat > "$root/init" <<'INIT'
#!/bin/sh
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/input
while read -r ko; do insmod "$ko" 2>/dev/null; done < /lib/modules/order
i=0
while [ ! -e /sys/class/input/event0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
/sbin/powerbtn &
echo $! > /run/powerbtn.pid
i=0
while [ ! -b /dev/sr0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if mount -t iso9660 -o ro /dev/sr0 /mnt 2>/dev/null && [ -f /mnt/user-data ]; then
    sh /mnt/user-data
    echo "solstice-testvm: user-data exited with status $?"
else
    echo "solstice-testvm: no NoCloud seed with user-data on /dev/sr0"
fi
sync
poweroff -f
while true; do sleep 60; done
INIT
chmod 755 "$root/init"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$work/initrd.gz"

cat > "$work/syslinux.cfg" <<'CFG'
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  APPEND initrd=initrd.gz console=ttyS0 quiet panic=-1
CFG

# unified kernel image: each section placed after the stub's last one, aligned to its SectionAlignment
align=$((16#$(objdump -p "$efi_stub" | awk '$1 == "SectionAlignment" { print $2 }')))
read -r size vma < <(objdump -h "$efi_stub" | awk 'NF == 7 && $1 ~ /^[0-9]+$/ { s = $3; v = $4 } END { print s, v }')
offset=$((16#$size + 16#$vma))
echo "console=ttyS0 quiet panic=-1" > "$work/cmdline.txt"
sections=()
for section in cmdline:"$work/cmdline.txt" linux:"$kernel" initrd:"$work/initrd.gz"; do
    sec=${section%%:*}
    file=${section#*:}
    offset=$(( (offset + align - 1) / align * align ))
    sections+=(--add-section ".$sec=$file" --change-section-vma ".$sec=$(printf '0x%x' "$offset")")
    offset=$((offset + $(stat -Lc %s "$file")))
done
objcopy "${sections[@]}" "$efi_stub" "$work/BOOTX64.EFI"

raw=$work/disk.raw
truncate -s 32M "$raw"
mkfs.vfat -n SOLSTICE "$raw" >/dev/null
mcopy -i "$raw" "$kernel" ::vmlinuz
mcopy -i "$raw" "$work/initrd.gz" ::initrd.gz
mcopy -i "$raw" "$work/syslinux.cfg" ::syslinux.cfg
mmd -i "$raw" ::EFI ::EFI/BOOT
mcopy -i "$raw" "$work/BOOTX64.EFI" ::EFI/BOOT/BOOTX64.EFI
syslinux --install "$raw"

qemu-img convert -f raw -O qcow2 "$raw" "$work/$name.qcow2"
zstd -q -19 -T0 -f "$work/$name.qcow2" -o "$work/$name.qcow2.zst"
mv -f "$work/$name.qcow2" "$outdir/$name.qcow2"
mv -f "$work/$name.qcow2.zst" "$outdir/$name.qcow2.zst"
echo "$want_stamp" > "$stamp"
echo "built $outdir/$name.qcow2 ($(du -h "$outdir/$name.qcow2" | cut -f1)) and .zst ($(du -h "$outdir/$name.qcow2.zst" | cut -f1)) from kernel $kver"
