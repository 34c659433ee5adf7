#!/bin/bash
# Builds a Debian 12 test guest from Debian's packages, as a user's distribution image would be: systemd,
# Debian's cloud-init with the NoCloud datasource, git, the cloud kernel (virtio console, disk, SCSI), booted by
# extlinux. Inside it, a bare repository /srv/repos/solstice/e2e.git and a system gitconfig
#   url."file:///srv/repos/".insteadOf https://git.solstice.test/
# so the orchestrator's DEFAULT job body (`git fetch <repo_url> <sha>`, then `.solstice/job.sh`) works with no
# network: test guests get only the isolated `solstice-test` network.
#
# The repository's commits are made with fixed names and dates, so their ids are the same on every build; they
# are written next to the image (debian-12.commits: "<name> <sha>" per line):
#   exit-0   .solstice/job.sh prints a line and exits 0
#   exit-3   .solstice/job.sh prints a line and exits 3
#
# Usage: testvm/build-debian-image.sh [CACHE_ROOT]      (default /var/cache/solstice-testvm)
#   -> CACHE_ROOT/<hash>/debian-12.qcow2, .qcow2.zst and .commits; prints that directory on its last line.
# <hash> is this script's content hash: a machine builds once (a few minutes) until the script changes.
# Needs root and loop devices; installs what it lacks of debootstrap extlinux syslinux-common e2fsprogs fdisk
# mount qemu-utils zstd.
set -euo pipefail

cache_root=${1:-/var/cache/solstice-testvm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
name=debian-12
hash=$(sha256sum "$0" | cut -c1-16)
out=$cache_root/$hash
root_label=solstice-root
disk_size=2G

if [ -f "$out/$name.qcow2" ] && [ -f "$out/$name.qcow2.zst" ] && [ -f "$out/$name.commits" ]; then
    echo "$out/$name.qcow2 is up to date"
    echo "$out"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: run as root (debootstrap, loop device, mount)" >&2
    exit 1
fi
missing=""
for p in debootstrap extlinux syslinux-common e2fsprogs fdisk mount qemu-utils zstd; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -f "$mbr" ] || { echo "$0: $mbr not found: install syslinux-common" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/var/tmp}/solstice-debian.XXXXXX")
rootfs=$work/root
loop=""
cleanup() {
    for m in dev/pts dev proc sys; do
        mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m"
    done
    mountpoint -q "$rootfs" 2>/dev/null && umount "$rootfs"
    [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# 1. The disk: MBR, one ext4 partition at 1 MiB (partition devices do not appear without udev, so the loop
#    device starts at the partition's offset), mounted where debootstrap writes.
raw=$work/disk.raw
truncate -s "$disk_size" "$raw"
echo 'start=2048, type=83, bootable' | sfdisk -q "$raw"
loop=$(losetup --find --show --offset 1048576 --sizelimit $(( $(stat -c %s "$raw") - 1048576 )) "$raw")
mkfs.ext4 -q -L "$root_label" -O ^has_journal,^metadata_csum,^64bit "$loop"
mkdir -p "$rootfs"
mount "$loop" "$rootfs"

# 2. No documentation, manuals or translations in the guest.
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
cat > "$rootfs/etc/dpkg/dpkg.cfg.d/01-solstice-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF

# 3. The system. cloud-init is not in --include: debootstrap's resolver does not follow virtual packages.
debootstrap --variant=minbase --include=systemd-sysv,udev,kmod,procps,ca-certificates \
    "$suite" "$rootfs" "$mirror"
mount --bind /dev "$rootfs/dev"
mount --bind /dev/pts "$rootfs/dev/pts"
mount -t proc proc "$rootfs/proc"
mount -t sysfs sysfs "$rootfs/sys"
cat > "$rootfs/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
exit 101
EOF
chmod 755 "$rootfs/usr/sbin/policy-rc.d"
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    linux-image-cloud-amd64 initramfs-tools cloud-init git
rm -f "$rootfs/usr/sbin/policy-rc.d"

# 4. Boot: extlinux on the root filesystem, syslinux's MBR code in the first 440 bytes.
mkdir -p "$rootfs/boot/extlinux"
cat > "$rootfs/boot/extlinux/extlinux.conf" <<EOF
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.img root=LABEL=$root_label ro console=ttyS0 quiet panic=-1
EOF
extlinux --install "$rootfs/boot/extlinux" >/dev/null
dd if="$mbr" of="$raw" bs=440 count=1 conv=notrunc status=none
echo "LABEL=$root_label / ext4 defaults,noatime 0 1" > "$rootfs/etc/fstab"
echo "solstice-debian" > "$rootfs/etc/hostname"
: > "$rootfs/etc/machine-id"

# 5. cloud-init: the NoCloud seed only (no probing of cloud metadata services), and no network configuration,
#    so nothing waits for DHCP on the isolated test network.
cat > "$rootfs/etc/cloud/cloud.cfg.d/90-solstice.cfg" <<'EOF'
datasource_list: [ NoCloud, None ]
network: { config: disabled }
EOF

# 6. The repository, reachable under its https URL through the system gitconfig.
chroot "$rootfs" sh -eu <<'EOF'
git config --system url."file:///srv/repos/".insteadOf https://git.solstice.test/
git config --system uploadpack.allowAnySHA1InWant true
git config --system init.defaultBranch main
export GIT_AUTHOR_NAME=solstice GIT_AUTHOR_EMAIL=ci@solstice.test GIT_COMMITTER_NAME=solstice
export GIT_COMMITTER_EMAIL=ci@solstice.test GIT_AUTHOR_DATE='2026-01-01T00:00:00Z'
export GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
mkdir -p /srv/repos/solstice
git init -q --bare /srv/repos/solstice/e2e.git
src=$(mktemp -d)
cd "$src"
git init -q .
mkdir .solstice
commit() {
    printf '#!/bin/sh\necho "e2e: %s from the repository at $SOLSTICE_COMMIT_SHA"\nexit %s\n' "$1" "$2" \
        > .solstice/job.sh
    git add .solstice/job.sh
    git commit -q -m "$1"
    echo "$1 $(git rev-parse HEAD)" >> /srv/repos/solstice/commits
}
commit exit-0 0
commit exit-3 3
git push -q /srv/repos/solstice/e2e.git HEAD:refs/heads/main
cd /
rm -rf "$src"
EOF
mv "$rootfs/srv/repos/solstice/commits" "$work/$name.commits"

# 7. Smaller: package lists and caches are not needed at run time.
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/*.log \
    "$rootfs"/tmp/* "$rootfs"/usr/share/doc/*/changelog*
for m in dev/pts dev proc sys; do umount "$rootfs/$m"; done
fstrim "$rootfs" 2>/dev/null || true
umount "$rootfs"
losetup -d "$loop"
loop=""

mkdir -p "$out"
qemu-img convert -f raw -O qcow2 "$raw" "$work/$name.qcow2"
zstd -q -T0 -3 -f "$work/$name.qcow2" -o "$work/$name.qcow2.zst"
mv -f "$work/$name.commits" "$out/$name.commits"
mv -f "$work/$name.qcow2" "$out/$name.qcow2"
mv -f "$work/$name.qcow2.zst" "$out/$name.qcow2.zst"
chmod 755 "$cache_root" "$out"
chmod 644 "$out"/*
echo "built $out/$name.qcow2 ($(du -h "$out/$name.qcow2" | cut -f1)) and .zst ($(du -h "$out/$name.qcow2.zst" \
    | cut -f1))"
echo "$out"
