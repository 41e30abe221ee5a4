#!/usr/bin/env bash
# Escape attempts from inside a default sandbox: the helper given nothing
# but --name and --state-root. Each probe in tests/escape/ makes one real
# attempt to get out (remount, mount, chroot, kernel interfaces, devices,
# signals, namespaces, capabilities, the state directory, ...) and every
# attempt must fail, asserted on how it fails: the error the kernel gave
# for each step, and where it matters the host checked from outside.
# Finally the host's mount table must be as it was. Needs root and cc;
# everything it writes is under $TMP, plus /run/sandbox/NAME, removed at
# the end.
. "$(dirname "$0")/../escape-lib.sh"

# Not one attempt means anything unless the sandbox runs its command,
# as a sandbox: in its own PID namespace, without the host's /run.
run_helper /bin/sh -c 'test $$ -lt 10 && test ! -e "$1"' sh "$MARKER"
if [ "$RC" -ne 0 ]; then
        echo "Bail out! a default sandbox does not run its command (status $RC): $(head -n 3 "$TMP/err")"
        exit 1
fi
ok "a default sandbox runs its command, in its own PID namespace, without the host's /run"

# --- the read-only root and mounting ---

begin "remount / read-write (mount(2) and mount_setattr(2)): EPERM; / stays read-only (EROFS)"
in_sandbox remount / /escape-"$TOKEN"
want remount-bind-rw EPERM
want remount-rw EPERM
want setattr-rw EPERM
want write-after EROFS
host "no /escape-$TOKEN" absent /escape-"$TOKEN"
finish

begin "remount /etc read-write: EPERM"
in_sandbox remount /etc
want remount-bind-rw EPERM
want remount-rw EPERM
want setattr-rw EPERM
finish

begin "remount /proc/sys read-write: EPERM; it stays read-only (EROFS)"
in_sandbox remount /proc/sys /proc/sys/kernel/core_pattern
want remount-bind-rw EPERM
want remount-rw EPERM
want setattr-rw EPERM
want write-after EROFS
finish

# also_hidden PATH ERRORS: ERRORS, and ENOENT too where PATH is below a
# directory the sandbox has its own of (a source tree in /tmp, say): the
# sandbox does not see the host's file there at all
also_hidden() {
        case $1 in
        /tmp/* | /run/* | /dev/*) echo "$2|ENOENT" ;;
        /root/* | /home/*) echo "$2|EACCES" ;; # masked: an empty tmpfs of mode 0000
        *) echo "$2" ;;
        esac
}

paths=(/usr/escape-"$TOKEN" /root/escape-"$TOKEN" /opt/escape-"$TOKEN" "$SOURCE_ROOT/escape-$TOKEN")
begin "create files on the host's file systems (/usr, /root, /opt, the source tree): EROFS"
in_sandbox write-host "${paths[@]}"
for p in "${paths[@]}"; do
        want "create:$p" "$(also_hidden "$p" EROFS)"
done
for p in "${paths[@]}"; do
        host "no $p" absent "$p"
done
finish

begin "mount a tmpfs, or make a mount namespace to mount in: EPERM"
in_sandbox mount-tmpfs
want tmpfs-on-usr EPERM
want tmpfs-on-tmp EPERM
want unshare-mount-ns EPERM
finish

begin "mount another proc, sysfs or devtmpfs: EPERM"
in_sandbox mount-proc
want proc EPERM
want sysfs EPERM
want devtmpfs EPERM
finish

begin "bind mount / writable elsewhere, bind over /usr, move /tmp: EPERM"
in_sandbox mount-bind
want bind-root EPERM
want bind-over-usr EPERM
want move-tmp EPERM
finish

begin "new mount API: clone the tree (open_tree), fsopen, fspick: EPERM"
in_sandbox mount-api
want open-tree-clone EPERM
want fsopen-tmpfs EPERM
want fspick-root EPERM
finish

begin "unmount the /etc/shadow mask, /proc/sys, /sys, /proc: EPERM; /etc/shadow still unreadable (EACCES)"
in_sandbox umount-mask
want 'umount-*' EPERM
want read-shadow-after EACCES
finish

# --- the way up: /proc/PID/root, chroot, pivot_root, file handles ---

begin "write to the host through /proc/1/root (process 1 is the helper's): EACCES; host /usr and /etc unchanged"
in_sandbox proc-root 1 "$TOKEN" "$MARKER"
want create-usr EACCES
want create-etc EACCES
want host-marker EACCES
host "no /usr/escape-$TOKEN" absent /usr/escape-"$TOKEN"
host "no /etc/escape-$TOKEN" absent /etc/escape-"$TOKEN"
finish

begin "write to the host through /proc/self/root: /usr EROFS, /etc only in the overlay, no way above /"
in_sandbox proc-root self "$TOKEN" "$MARKER"
want root-link /
want create-usr EROFS
want host-marker ENOENT
host "no /usr/escape-$TOKEN" absent /usr/escape-"$TOKEN"
host "no /etc/escape-$TOKEN" absent /etc/escape-"$TOKEN"
finish

begin "chroot, climb with .. and chroot(\".\"): EPERM; still at the sandbox's /, no host file visible"
in_sandbox chroot "$MARKER"
want chroot EPERM
want chroot-dot EPERM
want climb stayed
want host-marker ENOENT
finish

begin "pivot_root to another root: EPERM"
in_sandbox pivot-root
want pivot-root-tmp EPERM
want pivot-root-dot EPERM
finish

begin "open_by_handle_at, with a real and a forged (inode 2) handle: EPERM"
in_sandbox open-by-handle
want open-by-handle EPERM
want open-forged-handle EPERM
finish

# --- kernel settings ---

begin "set /proc/sys/kernel/core_pattern to a pipe (run as root on the host): EROFS; unchanged"
in_sandbox proc-sys-write /proc/sys/kernel/core_pattern "|/tmp/escape-$TOKEN %p"
want open EROFS
host "core_pattern is still \"$CORE_PATTERN\"" test "$(cat /proc/sys/kernel/core_pattern)" = "$CORE_PATTERN"
finish

begin "open every writable setting in /proc/sys/kernel for writing: all EROFS"
in_sandbox open-tree-write /proc/sys/kernel
want opened 0
want error EROFS
finish

begin "open every writable setting in /proc/sys/net (the host's network) for writing: all EROFS"
in_sandbox open-tree-write /proc/sys/net
want opened 0
want error EROFS
finish

# /proc/sys/user/* refuses writers without CAP_SYS_RESOURCE itself
begin "open every writable setting in the rest of /proc/sys (vm, fs, dev, user, ...) for writing: EROFS, or EACCES"
in_sandbox open-tree-write /proc/sys
want opened 0
want error 'EROFS|EACCES'
finish

if [ -e /proc/sysrq-trigger ]; then
        begin "write /proc/sysrq-trigger: EROFS"
        in_sandbox proc-sys-write /proc/sysrq-trigger h
        want open EROFS
        finish
else
        skip_attempt "write /proc/sysrq-trigger" "this kernel has no /proc/sysrq-trigger (built without magic SysRq)"
fi

begin "open every writable file in /sys for writing: all EROFS"
in_sandbox open-tree-write /sys
want opened 0
want error EROFS
finish

# every hierarchy's release_agent as it is now, to see that none changed
for f in /sys/fs/cgroup/*/release_agent; do
        [ -f "$f" ] && printf '%s %s\n' "$f" "$(cat "$f")"
done >"$TMP/release_agent.before"
if [ -s "$TMP/release_agent.before" ]; then
        begin "cgroup v1 release_agent: write it, notify_on_release, mkdir (EROFS); mount a hierarchy (EPERM)"
        in_sandbox cgroup-release-agent "$TOKEN"
        want 'release-agent:*' EROFS
        want 'notify-on-release:*' EROFS
        want 'mkdir:*' EROFS
        want mount-cgroup-v1 EPERM
        want mount-cgroup-v1-none EPERM
        want mount-cgroup2 EPERM
        for f in /sys/fs/cgroup/*/release_agent; do
                [ -f "$f" ] && printf '%s %s\n' "$f" "$(cat "$f")"
        done >"$TMP/release_agent.after"
        host "every release_agent unchanged" cmp -s "$TMP/release_agent.before" "$TMP/release_agent.after"
        host "no escape-$TOKEN cgroup" test -z "$(find /sys/fs/cgroup -maxdepth 2 -name "escape-$TOKEN")"
        finish
else
        skip_attempt "cgroup v1 release_agent" "no cgroup v1 hierarchy under /sys/fs/cgroup"
fi

# The host's file systems below its /sys (debugfs, tracefs, securityfs,
# pstore, efivarfs, bpf): here, a tmpfs on /sys/kernel/debug of a mount
# namespace of the test's own, holding a file; the sandbox's /sys is a
# sysfs of its own, which has none of them.
if [ -d /sys/kernel/debug ]; then
        begin "the host's file systems below /sys (debugfs, tracefs, ...) are not in the sandbox's /sys"
        timeout -k 5 60 unshare -m --propagation private sh -c \
                'mount -t tmpfs escape /sys/kernel/debug && echo host >/sys/kernel/debug/escape-marker && exec "$@"' sh \
                "$HELPER" --name="$NAME" --state-root="$STATE" -- /bin/sh -c \
                'if [ -e /sys/kernel/debug/escape-marker ]; then echo debug-marker visible; else echo debug-marker absent; fi
                 grep -c " /sys/kernel/debug " /proc/self/mountinfo | sed "s/^/debug-mounts /"
                 awk "\$5 == \"/sys\" { print \"sys-type\", \$9; print \"sys-options\", \$6 }" /proc/self/mountinfo' \
                >"$TMP/out" 2>"$TMP/err"
        RC=$?
        want debug-marker absent
        want debug-mounts 0
        want sys-type sysfs
        want sys-options 'ro,nosuid,nodev,noexec,relatime'
        finish
else
        skip_attempt "the host's file systems below /sys" "no /sys/kernel/debug here"
fi

# binfmt_misc_has ENTRY: is ENTRY registered on the host? Looked up in
# a private mount namespace, so the host's mount table stays as it is.
binfmt_misc_has() {
        unshare -m --propagation private sh -c \
                'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null && test -e "/proc/sys/fs/binfmt_misc/$1"' \
                sh "$1"
}
begin "register a binfmt_misc interpreter: mount EPERM, no register file (ENOENT); nothing registered"
in_sandbox binfmt-misc "$TOKEN"
want mount-proc-binfmt EPERM
want mount-tmp-binfmt EPERM
want open-register ENOENT
host "no binfmt_misc entry escape-$TOKEN" eval '! binfmt_misc_has "escape-$TOKEN"'
finish

if [ "$(outside kernel-module init-module)" = ENOSYS ]; then
        skip_attempt "load a kernel module" "this kernel has no module support (init_module gives ENOSYS on the host too)"
else
        begin "load a kernel module (init_module, finit_module): EPERM"
        in_sandbox kernel-module
        want init-module EPERM
        want finit-module EPERM
        finish
fi

if [ "$(outside kexec kexec-load)" = ENOSYS ]; then
        skip_attempt "load a kernel to boot (kexec_load)" "this kernel has no kexec (ENOSYS on the host too)"
else
        begin "load a kernel to boot (kexec_load, kexec_file_load): EPERM"
        in_sandbox kexec
        want kexec-load EPERM
        want kexec-file-load EPERM
        finish
fi

if [ "$(outside swapon swapon)" = ENOSYS ]; then
        skip_attempt "swapon" "this kernel has no swap (ENOSYS on the host too)"
else
        begin "swapon and swapoff: EPERM"
        in_sandbox swapon
        want swapon EPERM
        want swapoff EPERM
        finish
fi

# the default filter refuses adjtimex() even to read, so the probe never
# tries the tick: test-escape-seccomp.sh does, with CAP_SYS_TIME kept
begin "set the clock (clock_settime, settimeofday): EPERM"
in_sandbox clock
want clock-settime EPERM
want settimeofday EPERM
finish

HOSTNAME_BEFORE=$(cat /proc/sys/kernel/hostname)
DOMAINNAME_BEFORE=$(cat /proc/sys/kernel/domainname)
begin "rename the host (sethostname, setdomainname: EPERM; /proc/sys/kernel/hostname: EROFS); unchanged"
in_sandbox hostname "escape-$TOKEN"
want sethostname EPERM
want setdomainname EPERM
want proc-hostname EROFS
want proc-domainname EROFS
host "host name still $HOSTNAME_BEFORE" test "$(cat /proc/sys/kernel/hostname)" = "$HOSTNAME_BEFORE"
host "domain name still $DOMAINNAME_BEFORE" test "$(cat /proc/sys/kernel/domainname)" = "$DOMAINNAME_BEFORE"
finish

begin "reboot(2): EPERM"
in_sandbox reboot
want reboot EPERM
finish

if [ "$(outside io-ports ioperm)" = ENOSYS ]; then
        skip_attempt "I/O port access (iopl, ioperm)" "this kernel has no iopl/ioperm (ENOSYS on the host too)"
else
        begin "I/O port access (iopl, ioperm): EPERM"
        in_sandbox io-ports
        want iopl EPERM
        want ioperm EPERM
        finish
fi

begin "read the kernel log (syslog(2)): EPERM"
in_sandbox syslog
want syslog-read-all EPERM
want syslog-size EPERM
finish

if [ "$(outside bpf map-create)" != ok ]; then
        skip_attempt "bpf()" "bpf(2) does not work on the host either ($(outside bpf map-create))"
else
        begin "bpf(): create a map, load a program: EPERM"
        in_sandbox bpf
        want map-create EPERM
        want prog-load EPERM
        finish
fi

if [ "$(outside perf cpu-wide)" != ok ]; then
        skip_attempt "perf_event_open" "perf events do not work on the host either ($(outside perf cpu-wide))"
else
        # the default system call filter answers before the kernel's
        # perf_event_paranoid check would (EACCES)
        begin "perf_event_open, CPU-wide and with the kernel: EPERM"
        in_sandbox perf
        want cpu-wide EPERM
        want self-with-kernel EPERM
        finish
fi

# --- devices and the network ---

begin "mknod the host's disk and /dev/mem (EPERM), in /dev (EROFS); the disk's /dev node is absent"
in_sandbox mknod
want mknod-disk EPERM
want open-disk-node ENOENT
want mknod-mem EPERM
want mknod-in-dev EROFS
want open-dev-disk ENOENT
finish

begin "open the host's other device nodes (mem, port, kmsg, loop, fuse, console, ...): ENOENT"
in_sandbox dev-nodes
want 'open:*' ENOENT
finish

begin "change the host's /dev through the sandbox's nodes (times, mode, owner, names): EROFS; host /dev unchanged"
in_sandbox dev-write "$TOKEN"
want create-in-dev EROFS
want utimens-null EROFS
want chmod-null EROFS
want chown-null EROFS
want rename-null EROFS
want unlink-zero EROFS
want utimens-tty EROFS
host "/dev/null keeps its time" test "$(stat -c %Y /dev/null)" = "$DEV_NULL_MTIME"
host "/dev/tty keeps its time" test "$(stat -c %Y /dev/tty)" = "$DEV_TTY_MTIME"
host "/dev/null still mode 666" test "$(stat -c %a /dev/null)" = 666
host "no /dev/escape-$TOKEN" absent /dev/escape-"$TOKEN"
finish
# put the host's times back at once where the attempt got through
touch -m -d "@$DEV_NULL_MTIME" /dev/null
touch -m -d "@$DEV_TTY_MTIME" /dev/tty

# the host's routes and links, to see that none changed
net_state() {
        ip -4 route show table all 2>/dev/null
        ip -o link show 2>/dev/null | sed 's/ state .*//'
}
net_state >"$TMP/net.before"
begin "reconfigure the host's network (loopback MTU and flags, a route): EPERM; routes and links unchanged"
in_sandbox net-config
want set-mtu EPERM
want set-flags EPERM
want add-route EPERM
net_state >"$TMP/net.after"
host "routes and links unchanged" cmp -s "$TMP/net.before" "$TMP/net.after"
finish

begin "raw sockets (AF_PACKET raw and datagram, AF_INET/AF_INET6 SOCK_RAW): EPERM"
in_sandbox raw-socket
want packet-raw EPERM
want packet-dgram EPERM
want inet-raw EPERM
want inet6-raw EPERM
finish

# --- processes ---

# a host process for the sandbox to find: it must survive
sleep 1000 &
SLEEP_PID=$!
# ptrace() is refused by the default filter before the kernel looks the PID up
begin "signal and trace a host process by its PID (kill, pidfd_open: ESRCH; ptrace: EPERM); it lives on"
in_sandbox kill-host "$SLEEP_PID"
want proc-entry ENOENT
want kill-0 ESRCH
want kill-term ESRCH
want kill-kill ESRCH
want ptrace-attach EPERM
want ptrace-seize EPERM
want pidfd-open ESRCH
host "the sleep (PID $SLEEP_PID) still runs" alive "$SLEEP_PID"
finish

# process 1 is the helper's resident process, which keeps its capabilities
begin "trace the sandbox's process 1, write its memory, take its fds, use its cwd and root: EPERM/EACCES"
in_sandbox ptrace-init
want ptrace-attach EPERM
want ptrace-seize EPERM
want open-mem EACCES
want vm-writev EPERM
want open-environ EACCES
want pidfd-getfd EPERM
want open-cwd EACCES
want open-root EACCES
want 'open-fd:*' EACCES
finish

# the helper's binary, which its resident processes still are
binaries=("$(readlink -f "$HELPER")")
sha256sum "${binaries[@]}" >"$TMP/binaries.sum"
begin "overwrite the helper through /proc/1/exe (CVE-2019-5736) or by its path: refused; binaries unchanged"
in_sandbox proc-exe "${binaries[@]}"
want self-exe ETXTBSY
want init-exe EACCES
want init-exe-path EACCES
# a binary being executed (the resident process's) is busy before it is read-only
want "binary:${binaries[0]}" "$(also_hidden "${binaries[0]}" 'EROFS|ETXTBSY')"
want "binary-trunc:${binaries[0]}" "$(also_hidden "${binaries[0]}" EROFS)"
host "the binaries' checksums are unchanged" sha256sum --quiet -c "$TMP/binaries.sum"
finish

begin "leaked file descriptors to climb out from (CVE-2024-21626): none beyond 0, 1, 2"
in_sandbox leaked-fds
want leaked 0
finish

if command -v script >/dev/null; then
        begin "TIOCSTI into the terminal the sandbox was started from: it is not there, the sandbox has a pty of its own"
        # script(1) gives the helper a terminal, as an interactive start would
        cmd=$(printf '%q ' timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" -- "${SHIP[@]}")
        script -qec "$cmd <$(printf '%q' "$BIN/tiocsti")" /dev/null </dev/null >"$TMP/out.raw" 2>"$TMP/err"
        RC=$?
        # a character that got through is echoed before the next line
        tr -d '\r' <"$TMP/out.raw" | sed 's/^#*//' >"$TMP/out"
        if awk '$1 == "terminals" && $2 > 0 { found = 1 } END { exit !found }' "$TMP/out"; then
                # the terminal the sandbox was started from stays outside:
                # the service's are a pty of the sandbox's own devpts, and
                # what it pushes there the sandbox alone reads (EPERM: refused
                # by a filter; EIO: the kernel refuses TIOCSTI to everyone
                # without CAP_SYS_ADMIN, dev.tty.legacy_tiocsti=0)
                want terminals-of sandbox
                want 'tiocsti:*' 'EPERM|EIO|ok'
                finish
        else
                skip_attempt "TIOCSTI into the terminal" "the sandbox got no terminal under script(1)"
        fi
else
        skip_attempt "TIOCSTI into the terminal" "no script(1) to give the sandbox a terminal"
fi

# --- capabilities and identity ---

begin "regain capabilities through a setuid-root copy (in /tmp, /dev/shm, /run, /var/tmp, /etc): none"
in_sandbox setuid
want NoNewPrivs:before 1
want CapEff:before 0000000000000000
want CapBnd:before 0000000000000000
want CapEff:/tmp 0000000000000000
want 'CapEff:*' 0000000000000000
want 'CapPrm:*' 0000000000000000
want 'CapAmb:*' 0000000000000000
finish

begin "regain capabilities through file capabilities (security.capability): EPERM"
in_sandbox file-caps
want setxattr-tmp EPERM
want setxattr-etc EPERM
finish

begin "the host's setuid-root programs: mount(8) mounts nothing, su(1) gives no capabilities"
in_sandbox host-setuid
want mount failed
want mounted no
want su-capeff '0000000000000000|failed'
finish

begin "join the namespaces of process 1 and its own through /proc/PID/ns (setns): refused"
in_sandbox setns
want 'setns:1:*' EACCES
want 'setns:self:*' EPERM
finish

begin "unshare a user namespace to regain capabilities: EPERM"
in_sandbox userns
want unshare-user EPERM
finish
if grep -q '^unshare-user ok$' "$TMP/out"; then
        # the attempt above got through; what it can do with it
        begin "in a user namespace of its own: / stays read-only, the masks stay on (locked mounts)"
        want locked-remount-root-rw EPERM
        want locked-umount-mask EINVAL
        want locked-read-shadow EACCES
        want locked-write-usr EROFS
        want locked-umount-proc-sys EINVAL
        finish
else
        skip_attempt "in a user namespace of its own: the mounts stay locked" "no user namespace could be made"
fi

# a key that a root process of the host keeps in root's user keyring
if ! "$BIN/keyring" host-add "$TOKEN" >/dev/null; then
        skip_attempt "keyctl" "no key can be added to root's user keyring on the host"
else
        begin "keyctl: find and read a host key in root's user keyring, add one to it: refused; keyring unchanged"
        in_sandbox keyring probe "$TOKEN"
        want search-host-key 'EPERM|ENOSYS|ENOKEY'
        want add-user-key 'EPERM|ENOSYS'
        host "no key escape-in-$TOKEN in root's user keyring" eval '! "$BIN/keyring" host-find "escape-in-$TOKEN"'
        finish
fi

# --- secrets and state ---

secrets=()
for f in /etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow- /etc/ssh/ssh_host_*_key; do
        [ -e "$f" ] && secrets+=("$f")
done
begin "read ${secrets[*]}, directly and through /proc/self/root: EACCES"
in_sandbox read-secret "${secrets[@]}"
want 'open:*' EACCES
want 'chmod:*' EROFS
finish

# another sandbox's state, as the helper would have made it
mkdir -p "$STATE/other/etc/upper" "$STATE/other/etc/work"
chmod 0700 "$STATE/other" "$STATE/other/etc"
echo "other's file" >"$STATE/other/etc/upper/file"
tree_digest "$STATE/other" >"$TMP/other.before"
# ENOENT where the state root is below a directory the sandbox replaces
# (the host's /tmp, with the default TMPDIR); EACCES where it is visible
# and the helper's mask (an empty directory of mode 0) covers it
begin "reach the state root and another sandbox's upper dir by their host paths: ENOENT/EACCES; untouched"
in_sandbox other-state "$STATE" "$STATE/other/etc/upper"
want 'open-dir:*' 'ENOENT|EACCES'
want 'create:*' 'ENOENT|EACCES'
want 'create-via-proc:*' 'ENOENT|EACCES'
tree_digest "$STATE/other" >"$TMP/other.after"
host "the other sandbox's state is unchanged" cmp -s "$TMP/other.before" "$TMP/other.after"
host "no file named escape anywhere in the state root" test -z "$(find "$STATE" -name escape)"
finish

# state_symlink DESC SANDBOX WHAT: WHAT (a path in SANDBOX's state dir)
# replaced by a symbolic link to a host directory between two runs: the
# second run must refuse to start and leave the directory as it was
state_symlink() {
        local desc=$1 sandbox=$2 what=$3 victim=$TMP/victim-$2
        mkdir -p "$victim/upper" "$victim/work"
        echo precious >"$victim/upper/file"
        tree_digest "$victim" >"$TMP/victim.before"
        run_helper NAME="$sandbox" /bin/true
        begin "$desc"
        if [ "$RC" -ne 0 ]; then
                BAD+=("the first run, which makes the state directory, exited with status $RC")
        fi
        local link=$STATE/$sandbox
        [ "$what" = . ] || link=$link/$what
        rm -rf "$link"
        ln -s "$victim" "$link"
        run_helper NAME="$sandbox" /bin/sh -c 'echo escape >/etc/escape; echo escape >/var/escape'
        EXPECT_RC=125
        grep -qF "$link: is a symbolic link" "$TMP/err" ||
                BAD+=("the helper did not say that $link is a symbolic link")
        tree_digest "$victim" >"$TMP/victim.after"
        host "$victim is unchanged" cmp -s "$TMP/victim.before" "$TMP/victim.after"
        finish
}
state_symlink "state dir etc replaced by a symlink to a host dir before a restart: exit 125, target unchanged" \
        "$NAME-link" etc
state_symlink "state dir etc/upper replaced by a symlink: exit 125, target unchanged" "$NAME-upper" etc/upper
state_symlink "the sandbox's whole state dir replaced by a symlink: exit 125, target unchanged" "$NAME-self" .

# a library planted in the sandbox's persistent /etc as a preload for the
# next start: no process the helper runs in there with its privileges
# may load it (the resident process 1 is a statically linked binary);
# the service does, unless /etc stops it (noexec)
PRELOAD_SUM=$(file_sum /etc/ld.so.preload)
begin "plant /etc/ld.so.preload in the persistent /etc and restart: loaded only without capabilities"
run_helper NAME="$NAME-preload" /bin/sh -c 'cat >/etc/escape-preload.so && echo /etc/escape-preload.so >/etc/ld.so.preload' \
        <"$BIN/preload.so"
[ "$RC" -eq 0 ] || BAD+=("planting it: the sandbox exited with status $RC")
host "the preload is in the sandbox's upper dir" test -s "$STATE/$NAME-preload/etc/upper/ld.so.preload"
run_helper NAME="$NAME-preload" /bin/true
preload_log=$STATE/$NAME-preload/etc/upper/escape-preload.log
if [ -e "$preload_log" ]; then
        cp "$preload_log" "$TMP/out"
        want 'loaded-by:*' 0000000000000000
fi
host "/etc/ld.so.preload unchanged" test "$(file_sum /etc/ld.so.preload)" = "$PRELOAD_SUM"
finish

# a System V shared memory segment of the host's, with a key of this run
SHM_KEY=$((0x5e000000 + $$ % 65536))
SHM_ID=$("$BIN/sysv-ipc" host-create "$SHM_KEY") || SHM_ID=
if [ -z "$SHM_ID" ]; then
        skip_attempt "the host's System V shared memory" "no segment can be made on the host"
else
        begin "the host's System V shared memory by key and by id: ENOENT, EINVAL; it stays, unattached"
        in_sandbox sysv-ipc probe "$SHM_KEY" "$SHM_ID"
        want shmget-key ENOENT
        want shmat-id EINVAL
        want shmctl-stat-id EINVAL
        want shmctl-remove-id EINVAL
        host "segment $SHM_ID is still there, attached by none" test "$("$BIN/sysv-ipc" host-attached "$SHM_ID")" = 0
        finish
fi

HOSTNAME_SUM=$(sha256sum </etc/hostname)
PASSWD_SUM=$(sha256sum </etc/passwd)
begin "write /etc and /var (overlays): the host's /etc and /var are unchanged"
in_sandbox etc-var-overlay "$TOKEN"
want etc-create ok
want var-create ok
host "no /etc/escape-$TOKEN" absent /etc/escape-"$TOKEN"
host "/etc/hostname unchanged" test "$(sha256sum </etc/hostname)" = "$HOSTNAME_SUM"
host "no /var/tmp/escape-$TOKEN" absent /var/tmp/escape-"$TOKEN"
host "/etc/passwd unchanged" test "$(sha256sum </etc/passwd)" = "$PASSWD_SUM"
finish

# --- after all of them ---

mount_table_unchanged

done_testing
