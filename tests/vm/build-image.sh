#!/usr/bin/env bash
# Builds the VM test suite's Debian image: build-image.sh OUT MIRROR SUITE
#
# Writes OUT/disk.img (ext4, the whole root, SELinux labels in its
# extended attributes), OUT/vmlinuz, OUT/initrd.img and OUT/id_ed25519
# (the key root logs in with over ssh). Run as root. The harness
# (tests/vm/lib.sh) keeps OUT as a cache named by a hash of this file:
# any change here builds a new image.
set -eu
out=$1 mirror=$2 suite=$3
root=$out/root

packages=(
        # a systemd machine reached over ssh
        systemd systemd-sysv dbus udev kmod iproute2 openssh-server procps
        linux-image-amd64 initramfs-tools e2fsprogs
        # the LSMs
        apparmor apparmor-utils selinux-basics selinux-policy-default policycoreutils
        # what the project's binaries are linked with
        libxml2 libsystemd0 libcap-ng0 libmount1 libseccomp2 libselinux1 libapparmor1 libcryptsetup12
)
masks=(apt-daily.timer apt-daily-upgrade.timer man-db.timer fstrim.timer e2scrub_all.timer
        e2scrub_reap.service systemd-networkd-wait-online.service getty@tty1.service
        systemd-timesyncd.service)

keyring=()
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] &&
        keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)

debootstrap --variant=minbase "${keyring[@]}" --include="$(IFS=,; echo "${packages[*]}")" \
        "$suite" "$root" "$mirror"

echo sandbox-vm >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 sandbox-vm\n' >"$root/etc/hosts"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$root/etc/fstab"
: >"$root/etc/machine-id"

# root logs in over ssh with a key of the image's own, and only so
ssh-keygen -q -t ed25519 -N '' -C sandbox-vm -f "$out/id_ed25519"
install -d -m 0700 "$root/root/.ssh"
install -m 0600 "$out/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
passwd -R "$root" -l root >/dev/null
printf '%s\n' 'PermitRootLogin prohibit-password' 'PasswordAuthentication no' 'UseDNS no' \
        >"$root/etc/ssh/sshd_config.d/sandbox-vm.conf"

# the one network: qemu's user-mode one, by DHCP
cat >"$root/etc/systemd/network/80-vm.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=ipv4
NET
chroot "$root" systemctl enable systemd-networkd.service ssh.service >/dev/null 2>&1
for u in "${masks[@]}"; do
        ln -sf /dev/null "$root/etc/systemd/system/$u"
done

# SELinux: permissive until the test says "setenforce 1"
cat >"$root/etc/selinux/config" <<'SEL'
SELINUX=permissive
SELINUXTYPE=default
SEL
# the files labelled now, as the policy says: setfiles works without
# SELinux in the build machine's kernel (it only writes extended
# attributes); it reaches the files through /proc/self/fd, so it runs
# with a /proc of the chroot's, in a mount namespace that ends with it
unshare -m --propagation private sh -c 'mount -t proc proc "$1/proc" &&
        chroot "$1" setfiles -F -e /proc -e /sys -e /dev /etc/selinux/default/contexts/files/file_contexts /' \
        - "$root"

# the kernel, and its initrd: initramfs-tools' MODULES=most puts the
# drivers of a virtio disk in it
kernel=$(ls -v "$root"/boot/vmlinuz-* | tail -n 1)
initrd=/boot/initrd.img-${kernel##*/vmlinuz-}
if ! chroot "$root" lsinitramfs "$initrd" | grep -q '/virtio_blk\.ko'; then
        echo "E: no virtio_blk in $initrd"
        exit 1
fi
cp "$kernel" "$out/vmlinuz"
cp "$root$initrd" "$out/initrd.img"

apt_cache=$root/var/cache/apt
rm -f "$apt_cache"/archives/*.deb "$apt_cache"/*.bin
rm -rf "$root"/var/lib/apt/lists/*_*

# the disk: the tree with its owners, modes and extended attributes
truncate -s 4G "$out/disk.img"
mkfs.ext4 -q -L root -d "$root" "$out/disk.img"
rm -rf "$root"
