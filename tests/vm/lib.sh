# The VM harness: a Debian virtual machine under qemu (TCG: the test
# machines have no KVM), booted with AppArmor or with SELinux, with this
# build installed, for what the test machines' own kernel cannot show:
# LSM confinement and cgroup v2 limits being enforced. Source it after
# tap.sh:
#
#   vm_init              checks what it needs (or says why the whole test
#                        is skipped), installs the build into a tree of
#                        its own, with the probe (tests/vm/probe.c)
#   vm_image             the image: built once by tests/vm/build-image.sh
#                        with debootstrap from the Debian archive that apt
#                        uses, kept in $VM_CACHE/HASH (HASH: of the
#                        recipe, the archive and the release); skips the
#                        whole test when it cannot be built
#   vm_boot LSM          boots it (LSM: apparmor or selinux) on a
#                        throw-away copy of the disk (snapshot=on), waits
#                        for ssh and systemd, copies the build in
#   g CMD...             runs CMD in the guest, as root, over ssh; CMD's
#                        exit status (255: ssh failed)
#   vm_stop              powers it off: kills the qemu it started, by PID
#                        (also done at exit, whatever happened)
#   g_profile NAME       the profile on standard input becomes the
#                        guest's /etc/sandbox/profiles/NAME.xml
#   g_service_pid UNIT   the PID of UNIT's service process in the guest
#
# Nothing of the host changes but the cache: the guest reaches nothing
# outside (user-mode network, restricted), and its disk writes go to a
# temporary file that qemu drops.

VM_DIR=$TMP/vm
VM_CACHE=${SANDBOX_VM_CACHE:-/var/tmp/sandbox-vm-cache}
# TCG on 2 busy cores: a boot takes 30 s when the machine is idle
VM_BOOT_TIMEOUT=${VM_BOOT_TIMEOUT:-300}
VM_PROBE=/usr/libexec/sandbox-tests/probe
VM_PID=
VM_PORT=
VM_IMAGE=
VM_SSH=()

# vm_skip_all REASON: the whole test cannot run here
vm_skip_all() {
        echo "1..0 # SKIP $1"
        exit 0
}

vm_init() {
        local c
        [ "$(id -u)" -eq 0 ] || vm_skip_all "needs root"
        [ "$(uname -m)" = x86_64 ] || vm_skip_all "the VM is x86_64, this machine is $(uname -m)"
        for c in qemu-system-x86_64 debootstrap ssh ssh-keygen mkfs.ext4 chroot flock apt-get tar; do
                command -v "$c" >/dev/null ||
                        vm_skip_all "no $c here (apt-get install qemu-system-x86 qemu-utils debootstrap openssh-client)"
        done
        [ -x "$BUILD_ROOT/tests/vm-probe" ] || vm_skip_all "no $BUILD_ROOT/tests/vm-probe (a build with sanitizers?)"

        trap vm_cleanup EXIT
        mkdir -p "$VM_DIR/dest"
        if ! meson install -C "$BUILD_ROOT" --destdir "$VM_DIR/dest" --no-rebuild --quiet >"$VM_DIR/install.log" 2>&1; then
                echo "Bail out! meson install --destdir failed: $(tail -n 3 "$VM_DIR/install.log")"
                exit 1
        fi
        install -D -m 0755 "$BUILD_ROOT/tests/vm-probe" "$VM_DIR/dest$VM_PROBE"
        # the guest's /usr is merged, as the host's
        follow_host_links "$VM_DIR/dest"
}

# vm_mirror: the Debian archive apt takes this release's packages from
# (its first source of them), and the release's code name
vm_mirror() {
        local suite
        suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
        [ -n "$suite" ] || return 1
        apt-get indextargets --format '$(REPO_URI)' 'Created-By: Packages' "Release: $suite" \
                'Origin: Debian' 'Component: main' 2>/dev/null | head -n 1 | sed "s|\$| $suite|"
}

vm_image() {
        local recipe=$SOURCE_ROOT/tests/vm/build-image.sh mirror suite hash dir log
        read -r mirror suite < <(vm_mirror) || true
        [ -n "${mirror:-}" ] || vm_skip_all "no Debian archive among apt's sources (apt-get update?)"
        hash=$( { cat "$recipe"; echo "$mirror $suite"; } | sha256sum | cut -c1-16)
        dir=$VM_CACHE/$hash
        mkdir -p "$VM_CACHE"
        chmod 0700 "$VM_CACHE"
        # one build at a time; a second test run waits for the first's
        exec {lock}>"$VM_CACHE/$hash.lock"
        flock "$lock"
        if [ ! -f "$dir/ready" ]; then
                rm -rf "$dir" "$dir.new"
                mkdir -p "$dir.new"
                log=$VM_CACHE/$hash.log
                echo "# building the VM image in $dir (a few minutes, once): $suite from $mirror"
                if ! bash "$recipe" "$dir.new" "$mirror" "$suite" >"$log" 2>&1; then
                        rm -rf "$dir.new"
                        exec {lock}>&-
                        vm_skip_all "cannot build the VM image (log: $log): $(tail -n 2 "$log" | tr '\n' ' ')"
                fi
                date -u +%FT%TZ >"$dir.new/ready"
                mv "$dir.new" "$dir"
                vm_cache_prune "$hash"
        fi
        touch "$dir/ready"
        exec {lock}>&-
        VM_IMAGE=$dir
}

# vm_cache_prune HASH: removes the other images of the cache that no
# test has used for a week (and that no test holds now)
vm_cache_prune() {
        local d h l
        for d in "$VM_CACHE"/*/; do
                d=${d%/}
                h=${d##*/}
                [ "$h" != "$1" ] && [ -f "$d/ready" ] && [ -n "$(find "$d/ready" -mtime +7)" ] || continue
                exec {l}>"$d.lock"
                if flock -n "$l"; then
                        rm -rf "$d" "$d.log"
                        rm -f "$d.lock"
                fi
                exec {l}>&-
        done
}

# vm_qemu_running: whether the qemu of vm_boot is still there (a PID is
# only taken for it while its command line names this harness's disk)
vm_qemu_running() {
        [ -n "$VM_PID" ] && tr '\0' ' ' <"/proc/$VM_PID/cmdline" 2>/dev/null | grep -qF "$VM_DIR/console"
}

# vm_boot LSM: boots the image with AppArmor (apparmor) or SELinux
# (selinux, permissive: the test runs "setenforce 1")
vm_boot() {
        local lsm append i port s
        case $1 in
        apparmor) lsm="apparmor=1 security=apparmor" ;;
        selinux) lsm="security=selinux selinux=1 enforcing=0" ;;
        *) echo "Bail out! vm_boot: no LSM $1"; exit 1 ;;
        esac
        append="root=/dev/vda rw console=ttyS0 panic=-1 quiet $lsm"
        rm -f "$VM_DIR/qemu.pid"
        # a free port for ssh: qemu fails to start when the one tried is
        # taken, and the next is tried
        for ((i = 0; i < 20; i++)); do
                port=$((20000 + (RANDOM % 20000)))
                if qemu-system-x86_64 -name sandbox-vm -machine q35,accel=tcg -cpu max -smp 2 -m 2048 \
                        -kernel "$VM_IMAGE/vmlinuz" -initrd "$VM_IMAGE/initrd.img" -append "$append" \
                        -drive "file=$VM_IMAGE/disk.img,format=raw,if=virtio,snapshot=on" \
                        -netdev "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:22" \
                        -device virtio-net-pci,netdev=net0 \
                        -display none -monitor none -serial "file:$VM_DIR/console-$1.log" \
                        -no-reboot -daemonize -pidfile "$VM_DIR/qemu.pid" >"$VM_DIR/qemu.log" 2>&1; then
                        VM_PORT=$port
                        break
                fi
                grep -q 'hostfwd\|Could not set up host forwarding' "$VM_DIR/qemu.log" ||
                        { echo "Bail out! qemu did not start: $(tail -n 3 "$VM_DIR/qemu.log" | tr '\n' ' ')"; exit 1; }
        done
        [ -n "$VM_PORT" ] || { echo "Bail out! no free port for the guest's ssh"; exit 1; }
        VM_PID=$(cat "$VM_DIR/qemu.pid")
        VM_SSH=(ssh -q -p "$VM_PORT" -i "$VM_DIR/id" -o BatchMode=yes -o StrictHostKeyChecking=no
                -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10
                -o ControlMaster=auto -o "ControlPath=$VM_DIR/ssh-%p" -o ControlPersist=600 root@127.0.0.1)
        install -m 0600 "$VM_IMAGE/id_ed25519" "$VM_DIR/id"

        local deadline=$((SECONDS + VM_BOOT_TIMEOUT))
        until timeout 20 "${VM_SSH[@]}" true </dev/null 2>/dev/null; do
                vm_qemu_running || { echo "Bail out! the guest stopped while booting: $(tail -n 5 "$VM_DIR/console-$1.log" | tr '\n' ' ')"; exit 1; }
                ((SECONDS < deadline)) || { echo "Bail out! no ssh into the guest after ${VM_BOOT_TIMEOUT}s: $(tail -n 5 "$VM_DIR/console-$1.log" | tr '\n' ' ')"; exit 1; }
                sleep 2
        done
        s=$(g timeout "$VM_BOOT_TIMEOUT" systemctl is-system-running --wait 2>&1)
        case $s in
        running | degraded) ;;
        *) echo "Bail out! systemd in the guest is \"$s\""; exit 1 ;;
        esac
        # the build, as "meson install" would put it there
        if ! tar -C "$VM_DIR/dest" -c . | g tar -C / --no-same-owner --keep-directory-symlink -x; then
                echo "Bail out! cannot copy the build into the guest"
                exit 1
        fi
        g systemctl daemon-reload
}

# g CMD...: CMD in the guest (each argument quoted for its shell)
g() {
        "${VM_SSH[@]}" -- "$(printf '%q ' "$@")"
}

# g_profile NAME: standard input becomes the guest's profile NAME
g_profile() {
        g sh -c "mkdir -p /etc/sandbox/profiles && cat >/etc/sandbox/profiles/$1.xml && chmod 0644 /etc/sandbox/profiles/$1.xml"
}

# g_service_pid UNIT: the service's PID in the guest (the unit's main
# process is the helper, its child PID 1 of the sandbox, and that one's
# child the service), waiting up to 10 s for the sandbox to be built
g_service_pid() {
        g sh -c 'for i in $(seq 100); do
                main=$(systemctl show -p MainPID --value "$1")
                init=$(cut -d" " -f1 /proc/$main/task/$main/children 2>/dev/null)
                [ -n "$init" ] && pid=$(cut -d" " -f1 /proc/$init/task/$init/children 2>/dev/null) &&
                        [ -n "$pid" ] && [ "$(cat /proc/$pid/comm)" != sandbox-helper ] && echo "$pid" && exit 0
                sleep 0.1
        done; exit 1' - "$1"
}

# g_wait_state UNIT STATE [SECONDS]: waits until UNIT's ActiveState is
# STATE; prints the last one seen when it does not get there
g_wait_state() {
        g sh -c 'for i in $(seq $(($3 * 10))); do
                s=$(systemctl show -p ActiveState --value "$1")
                [ "$s" = "$2" ] && exit 0
                sleep 0.1
        done; echo "$s"; exit 1' - "$1" "$2" "${3:-30}"
}

# check_active UNIT: an assertion that UNIT is active; on failure, the
# log shows the end of its journal
check_active() {
        local s
        s=$(g systemctl is-active "$1")
        check_eq "$1 is active" "$s" active
        [ "$s" = active ] || diag "$(g journalctl -q -b -o cat -u "$1" --no-pager | tail -n 5)"
}

vm_stop() {
        local i
        if [ ${#VM_SSH[@]} -gt 0 ]; then
                "${VM_SSH[@]}" -O exit 2>/dev/null
        fi
        if vm_qemu_running; then
                kill -TERM "$VM_PID"
                for ((i = 0; i < 50; i++)); do
                        vm_qemu_running || break
                        sleep 0.1
                done
                vm_qemu_running && kill -KILL "$VM_PID"
        fi
        VM_PID=
        VM_PORT=
        VM_SSH=()
}

vm_cleanup() {
        vm_stop
        rm -rf "$TMP"
}
