#!/usr/bin/env bash
# Escapes through the sandbox's mounts. Device nodes and set-user-ID
# files made in its writable places (a writable bind, a private /var, a
# tmpfs of the profile's, /tmp, /run, /dev/shm): every writable mount is
# nodev and nosuid, with mount_setattr(2) and with the remounts that
# stand in for it on older kernels, and no flag of the host's is
# cleared. Then the masks: the OCI runtime's default masked and
# read-only paths, /proc/mtrr, /root, /home (a bind below them still
# seen) and every private key below /etc/ssh. What needs a /root, /home
# or /etc/ssh of its own is made in a mount namespace of the test's
# own, never on the host. The helper is run by hand, and from a profile
# with sandboxctl run. Needs root and cc; everything it writes is under
# $TMP, plus /run/sandbox/NAME, removed at the end.
. "$(dirname "$0")/../escape-lib.sh"

REAL_HELPER=$HELPER
BIND=$TMP/bind
mkdir -p "$BIND"
# the writable places of a converted profile: a writable <bind> (from
# ReadWritePaths=), a private /var, a <tmpfs>
WRITABLE=(--bind="$BIND":/var/escape-bind --var=private --tmpfs=/run/escape-tmpfs::0755)
PLACES=(/var/escape-bind /var /run/escape-tmpfs /tmp /run /dev/shm)

# with_ns SETUP [HELPER]: from now on the helper (or HELPER, a wrapper
# of it) runs in a mount namespace of the test's own, after the shell
# commands SETUP ran there (exit 99 when they cannot); without_ns: as
# before
with_ns() {
        printf '%s\n' "$1" >"$TMP/ns-setup.sh"
        cat >"$TMP/ns-helper" <<EOF
#!/bin/sh
exec unshare -m --propagation private /bin/sh -c '. "\$0" || exit 99; exec "\$@"' "$TMP/ns-setup.sh" "${2:-$REAL_HELPER}" "\$@"
EOF
        chmod 0755 "$TMP/ns-helper"
        HELPER=$TMP/ns-helper
}
without_ns() {
        HELPER=$REAL_HELPER
}

# with_enosys: the helper as on a kernel without mount_setattr(2)
ENOSYS=no
if cc -O2 -o "$BIN/enosys" "$SOURCE_ROOT/tests/enosys.c" 2>/dev/null; then
        ENOSYS=yes
        printf '#!/bin/sh\nexec "%s" mount_setattr "%s" "$@"\n' "$BIN/enosys" "$REAL_HELPER" >"$TMP/enosys-helper"
        chmod 0755 "$TMP/enosys-helper"
fi
# HOWS: the ways the helper sets a mount's flags that can be tried here
HOWS=(mount_setattr)
[ "$ENOSYS" = yes ] && HOWS+=(remount)
use_how() {
        if [ "$1" = remount ]; then HELPER=$TMP/enosys-helper; else HELPER=$REAL_HELPER; fi
}

run_helper /bin/true
if [ "$RC" -ne 0 ]; then
        echo "Bail out! a default sandbox does not run (status $RC): $(head -n 3 "$TMP/err")"
        exit 1
fi

# --- the flags of every mount ---

for how in "${HOWS[@]}"; do
        use_how "$how"
        HELPER_ARGS=("${WRITABLE[@]}")
        begin "mounts ($how): every writable one nodev and nosuid, every read-only one nodev"
        in_sandbox mount-flags
        want 'rw-nodev:*' yes
        want 'rw-nosuid:*' yes
        want 'ro-nodev:*' yes
        want rw-nodev:/var/escape-bind yes
        want rw-nodev:/var yes
        want rw-nodev:/run/escape-tmpfs yes
        finish

        HELPER_ARGS=(--etc=private --var=private)
        begin "mounts ($how): a private /etc and /var, nodev and nosuid"
        in_sandbox mount-flags
        want rw-nodev:/etc yes
        want rw-nosuid:/etc yes
        want rw-nodev:/var yes
        want rw-nosuid:/var yes
        finish
done
# an image of the test's own, writable
if command -v mkfs.ext4 >/dev/null && truncate -s 4M "$TMP/fs.img" && mkfs.ext4 -q -F "$TMP/fs.img" 2>/dev/null; then
        HELPER_ARGS=(--image="$TMP/fs.img":/var/escape-image --var=tmpfs)
        begin "mounts: a writable <image>, nodev and nosuid"
        in_sandbox mount-flags
        want rw-nodev:/var/escape-image yes
        want rw-nosuid:/var/escape-image yes
        finish
else
        skip_attempt "mounts: a writable <image>, nodev and nosuid" "no mkfs.ext4 here"
fi
[ "$ENOSYS" = yes ] || skip_attempt "mounts (remount): flags without mount_setattr(2)" "no enosys helper"

# a bind of a noexec mount keeps noexec: flags are added, never cleared
mkdir -p "$TMP/noexec"
for how in "${HOWS[@]}"; do
        wrapper=$REAL_HELPER
        [ "$how" = remount ] && wrapper=$TMP/enosys-helper
        with_ns "mount -t tmpfs -o noexec,size=64k escape-noexec '$TMP/noexec' || exit 99" "$wrapper"
        HELPER_ARGS=(--bind="$TMP/noexec":/var/escape-noexec --bind-ro="$TMP/noexec":/var/escape-noexec-ro --var=tmpfs)
        begin "mounts ($how): a bind of a noexec mount stays noexec, writable or read-only"
        in_sandbox mount-flags
        if [ "$RC" -eq 99 ]; then
                skip_attempt "$DESC" "cannot mount a tmpfs in a namespace of the test's own"
        else
                want noexec:/var/escape-noexec yes
                want noexec:/var/escape-noexec-ro yes
                want rw-nodev:/var/escape-noexec yes
                want ro-nodev:/var/escape-noexec-ro yes
                finish
        fi
        without_ns
done

# --- device nodes (escape 4) ---

MKNOD_CAPS=--keep-caps=CAP_MKNOD,CAP_FSETID,CAP_CHOWN,CAP_FOWNER,CAP_DAC_OVERRIDE
for how in "${HOWS[@]}"; do
        use_how "$how"
        # the filter off: what the mount layer does alone
        HELPER_ARGS=("${WRITABLE[@]}" "$MKNOD_CAPS" --seccomp-default=no)
        begin "device nodes ($how, no filter): made with CAP_MKNOD in every writable place, opened: EACCES (nodev)"
        in_sandbox bind-mknod "${PLACES[@]}"
        for p in "${PLACES[@]}"; do
                want "mknod-blk:$p" ok
                want "mknod-chr:$p" ok
                want "open-blk:$p" EACCES
                want "open-chr:$p" EACCES
        done
        host "no node left in the bind" absent "$BIND/escape-node-blk"
        finish
done
without_ns

# a device bound on purpose stays usable: a loop device of the test's
# own, as <block> and as a read-only bind of the node
LOOP=
if truncate -s 1M "$TMP/disk.img" 2>/dev/null && LOOP=$(losetup -f --show "$TMP/disk.img" 2>/dev/null); then
        trap 'losetup -d "$LOOP" 2>/dev/null; cleanup' EXIT
        printf 'escape-disk' | dd of="$LOOP" conv=notrunc status=none
        HELPER_ARGS=(--block=escape:"$LOOP" --bind-ro="$LOOP":/run/escape-loop)
        run_helper /bin/sh -c 'head -c 11 /dev/disk/by-tag/escape; echo; head -c 11 /run/escape-loop; echo'
        check_eq "a device bound on purpose (<block>, a bind of its node) opens and reads" "$RC $(tr '\n' ' ' <"$TMP/out")" \
                "0 escape-disk escape-disk "
else
        skip "a device bound on purpose (<block>, a bind of its node) opens and reads" "no loop device here"
fi

# a directory of devices is no device bound on purpose, even read-only:
# a read-only mount does not keep a node from being opened for writing
HELPER_ARGS=(--keep-caps=CAP_DAC_OVERRIDE --bind-ro=/dev:/run/escape-hostdev)
run_helper /bin/sh -c 'grep -q " /run/escape-hostdev .*nodev" /proc/self/mountinfo && echo nodev-yes
        true 2>/dev/null >>/run/escape-hostdev/null && echo null-write-ok || echo null-write-refused'
check_eq "a read-only bind of the host's /dev: nodev, its nodes refuse to open (the host's /dev/null for writing)" \
        "$RC $(tr '\n' ' ' <"$TMP/out")" "0 nodev-yes null-write-refused "

# --- set-user-ID files (escape 5) ---

SUID_CAPS=--keep-caps=CAP_SETUID,CAP_SETGID,CAP_CHOWN,CAP_FOWNER,CAP_FSETID,CAP_DAC_OVERRIDE
# host_euid FILE: the effective user FILE runs as, run on the host by
# nobody (from a shell of nobody's: setpriv itself still has root's
# capabilities when it executes); "none" when it cannot run
host_euid() {
        local out
        out=$(setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c 'exec "$0" euid' "$1" 2>/dev/null) ||
                { echo none; return; }
        echo "${out#euid }"
}

if ! command -v setpriv >/dev/null; then
        skip_attempt "set-user-ID files: from the host" "no setpriv"
fi
for how in "${HOWS[@]}"; do
        use_how "$how"
        # the filter off and new privileges allowed: nothing but the mount
        # stands between the bit and the exec
        HELPER_ARGS=("${WRITABLE[@]}" "$SUID_CAPS" --seccomp-default=no --allow-new-privileges)
        begin "set-user-ID files ($how, no filter, new privileges allowed): made in every writable place, run by nobody inside: euid 65534 (nosuid)"
        in_sandbox bind-setuid /var/escape-bind /var /run/escape-tmpfs /tmp
        want 'chmod:*' ok
        want 'mode:*' 4755
        want 'exec-euid:*' 65534
        # the private /var lies below the state root, which only root can
        # search: no one but root on the host reaches what is made there
        [ -u "$STATE/$NAME/var/private/escape-suid" ] &&
                host "the private /var's copy cannot be run by nobody on the host" \
                        test "$(host_euid "$STATE/$NAME/var/private/escape-suid")" = none
        finish
        # The writable bind's copy is on the host's own mount, which honours
        # the bit: run by nobody on the host it gets euid 0. No flag of the
        # sandbox's mounts can change that; the system call filter's refusal
        # of set-ID modes does (below), and this is shown, not asserted.
        if [ -u "$BIND/escape-suid" ] && command -v setpriv >/dev/null; then
                diag "without the filter, the bind's set-user-ID copy run by nobody on the host: euid $(host_euid "$BIND/escape-suid")" \
                        "(the host's mount honours the bit: the mount layer cannot stop this)"
        fi
        rm -f "$BIND/escape-suid" "$STATE/$NAME/var/private/escape-suid"
done

# the default sandbox's filter, no_new_privs: nothing made in the bind
# may run as root on the host
if command -v setpriv >/dev/null; then
        use_how mount_setattr
        HELPER_ARGS=("${WRITABLE[@]}" "$SUID_CAPS")
        in_sandbox bind-setuid /var/escape-bind
        euid=$(if [ -e "$BIND/escape-suid" ]; then host_euid "$BIND/escape-suid"; else echo none; fi)
        begin "set-user-ID files (default filter): chmod 4755 in a writable bind EPERM; nobody on the host gets no euid 0"
        want chmod:/var/escape-bind EPERM
        host "nobody on the host runs the copy with euid $euid" test "$euid" != 0
        finish
        rm -f "$BIND/escape-suid"
fi

# --- masks: the OCI runtime's defaults, and more ---

HELPER_ARGS=()
without_ns
# runc's default masked paths, /proc/mtrr, and the mount points of what
# the host may have mounted below its /sys: the sandbox's /sys is a sysfs
# of its own, where they are empty directories
MASKED=(/proc/acpi /proc/asound /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats
        /proc/sched_debug /sys/firmware /proc/scsi /proc/interrupts /sys/devices/virtual/powercap /proc/mtrr)
SYS_EMPTY=(/sys/kernel/debug /sys/kernel/tracing /sys/fs/pstore)
# masked_want HOW: for each masked path, HOW (EACCES or empty) when the
# host has it, ENOENT when not (nothing to hide); the mount points below
# /sys empty, or absent
masked_want() {
        local p
        for p in "${MASKED[@]}"; do
                if [ -e "$p" ]; then want "read:$p" "$1"; else want "read:$p" ENOENT; fi
        done
        for p in "${SYS_EMPTY[@]}"; do
                want "read:$p" "empty|ENOENT"
        done
}
begin "masked paths (the OCI defaults, /proc/mtrr, debugfs, tracefs, pstore): unreadable by root without capabilities (EACCES)"
in_sandbox masked-paths "${MASKED[@]}" "${SYS_EMPTY[@]}"
masked_want EACCES
finish

HELPER_ARGS=(--keep-caps=CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH)
begin "masked paths (the OCI defaults, /proc/mtrr, debugfs, tracefs, pstore): empty with CAP_DAC_OVERRIDE"
in_sandbox masked-paths "${MASKED[@]}" "${SYS_EMPTY[@]}"
masked_want empty
finish

# runc's default read-only paths (ENOENT where this kernel has none)
READONLY=(/proc/bus /proc/fs /proc/irq /proc/sys /proc/sys/kernel/core_pattern /proc/sysrq-trigger)
HELPER_ARGS=(--keep-caps=CAP_DAC_OVERRIDE,CAP_FOWNER)
begin "read-only paths (the OCI defaults): a change of mode, or a file opened for writing: EROFS"
in_sandbox readonly-paths "${READONLY[@]}"
for p in "${READONLY[@]}"; do
        if [ -e "$p" ]; then want "chmod:$p" EROFS; else want "chmod:$p" ENOENT; fi
        [ -f "$p" ] && want "write:$p" EROFS
done
finish

# /root and /home: a secret in each, in the test's own namespace
ROOT_SECRET="mount -t tmpfs -o mode=0700,size=64k escape-root /root || exit 99
echo secret >/root/escape-secret && chmod 0600 /root/escape-secret || exit 99
mount -t tmpfs -o size=64k escape-home /home || exit 99
mkdir -p /home/u && echo secret >/home/u/escape-secret && chmod 0600 /home/u/escape-secret || exit 99"
with_ns "$ROOT_SECRET"
HELPER_ARGS=()
begin "/root and /home: unreadable by root without capabilities (EACCES)"
in_sandbox masked-paths /root /root/escape-secret /home /home/u/escape-secret
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot mount a tmpfs in a namespace of the test's own"
else
        want 'read:*' EACCES
        finish
fi
HELPER_ARGS=(--keep-caps=CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH)
begin "/root and /home: empty with CAP_DAC_OVERRIDE, the host's files not there (ENOENT)"
in_sandbox masked-paths /root /root/escape-secret /home /home/u/escape-secret
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot mount a tmpfs in a namespace of the test's own"
else
        want read:/root empty
        want read:/home empty
        want read:/root/escape-secret ENOENT
        want read:/home/u/escape-secret ENOENT
        finish
fi
# a profile's binds below them are seen, by the service's user too; the
# rest stays hidden
mkdir -p "$TMP/homebind" "$TMP/rootbind"
echo bound >"$TMP/homebind/file"
echo bound >"$TMP/rootbind/file"
chmod 0755 "$TMP/homebind" "$TMP/rootbind"
HELPER_ARGS=(--bind-ro="$TMP/homebind":/home/u/data --bind="$TMP/rootbind":/root/data --user=nobody)
begin "/root and /home: a bind below them is seen (as nobody), the host's files are not (ENOENT)"
in_sandbox masked-paths /home/u/data/file /root/data/file /home/u/escape-secret /root/escape-secret
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot mount a tmpfs in a namespace of the test's own"
else
        want read:/home/u/data/file content
        want read:/root/data/file content
        want read:/home/u/escape-secret ENOENT
        want read:/root/escape-secret ENOENT
        finish
fi
without_ns

# copies of the password hashes: Debian's in /var/backups, in a /var of
# the test's own (an overlay whose upper layer is under $TMP)
mkdir -p "$TMP/var-up" "$TMP/var-work"
with_ns "mount -t overlay escape-var -o lowerdir=/var,upperdir=$TMP/var-up,workdir=$TMP/var-work /var || exit 99
mkdir -p /var/backups && echo secret >/var/backups/shadow.bak && chmod 0600 /var/backups/shadow.bak || exit 99"
HELPER_ARGS=()
begin "copies of the password hashes (/var/backups/shadow.bak, /etc/security/opasswd): unreadable by root (EACCES)"
in_sandbox masked-paths /var/backups/shadow.bak /etc/security/opasswd
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test /var here"
else
        want read:/var/backups/shadow.bak EACCES
        if [ -e /etc/security/opasswd ]; then want read:/etc/security/opasswd EACCES; else want read:/etc/security/opasswd ENOENT; fi
        finish
fi
without_ns

# private keys below /etc/ssh: an /etc of the test's own (an overlay
# whose upper layer is under $TMP)
mkdir -p "$TMP/etc-up" "$TMP/etc-work"
ETC="mount -t overlay escape-etc -o lowerdir=/etc,upperdir=$TMP/etc-up,workdir=$TMP/etc-work /etc || exit 99"
SSH="$ETC
mkdir -p /etc/ssh/sub/dir || exit 99
echo secret >/etc/ssh/sub/dir/ssh_host_escape_key && chmod 0644 /etc/ssh/sub/dir/ssh_host_escape_key
echo public >/etc/ssh/sub/dir/ssh_host_escape_key.pub && chmod 0644 /etc/ssh/sub/dir/ssh_host_escape_key.pub
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n' >/etc/ssh/sub/id_escape && chmod 0644 /etc/ssh/sub/id_escape
printf -- '-----BEGIN EC PRIVATE KEY-----\nsecret\n' >/etc/ssh/sub/dir/escape.pem && chmod 0644 /etc/ssh/sub/dir/escape.pem
echo secret >/etc/ssh/sub/escape-only-root && chmod 0600 /etc/ssh/sub/escape-only-root
echo config >/etc/ssh/sub/escape.conf && chmod 0644 /etc/ssh/sub/escape.conf"
with_ns "$SSH"
HELPER_ARGS=(--keep-caps=CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH)
begin "/etc/ssh: private keys in subdirectories (by name, by first line, readable only by root) empty even with CAP_DAC_OVERRIDE; public files not"
in_sandbox masked-paths /etc/ssh/sub/dir/ssh_host_escape_key /etc/ssh/sub/id_escape /etc/ssh/sub/dir/escape.pem \
        /etc/ssh/sub/escape-only-root /etc/ssh/sub/dir/ssh_host_escape_key.pub /etc/ssh/sub/escape.conf
if [ "$RC" -eq 99 ]; then
        skip_attempt "$DESC" "cannot build a test /etc here"
else
        want read:/etc/ssh/sub/dir/ssh_host_escape_key empty
        want read:/etc/ssh/sub/id_escape empty
        want read:/etc/ssh/sub/dir/escape.pem empty
        want read:/etc/ssh/sub/escape-only-root empty
        want read:/etc/ssh/sub/dir/ssh_host_escape_key.pub content
        want read:/etc/ssh/sub/escape.conf content
        finish
fi
# beyond the walk's bounds the sandbox does not start, rather than start
# with a key it did not look at
rm -rf "$TMP/etc-up" "$TMP/etc-work"
mkdir -p "$TMP/etc-up" "$TMP/etc-work"
with_ns "$ETC
mkdir -p /etc/ssh/a/b/c/d/e/f/g/h/i || exit 99"
HELPER_ARGS=()
run_helper /bin/true
if [ "$RC" -eq 99 ]; then
        skip "/etc/ssh more than 8 directories deep: the sandbox is refused (125)" "cannot build a test /etc here"
else
        check_eq "/etc/ssh more than 8 directories deep: the sandbox is refused (125)" \
                "$RC $(grep -c 'directories deep' "$TMP/err")" "125 1"
fi
rm -rf "$TMP/etc-up" "$TMP/etc-work"
mkdir -p "$TMP/etc-up" "$TMP/etc-work"
with_ns "$ETC
mkdir -p /etc/ssh/many && cd /etc/ssh/many && seq 4100 | xargs touch || exit 99"
run_helper /bin/true
if [ "$RC" -eq 99 ]; then
        skip "/etc/ssh with more than 4096 entries: the sandbox is refused (125)" "cannot build a test /etc here"
else
        check_eq "/etc/ssh with more than 4096 entries: the sandbox is refused (125)" \
                "$RC $(grep -c 'more than 4096 entries' "$TMP/err")" "125 1"
fi
without_ns

# --- the same from a profile, under sandboxctl run ---

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
cat >"$PROFILES/$NAME.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>The writable places of a converted service</description>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <var mode="private"/>
    <bind source="$BIND" target="/var/escape-bind" readonly="no"/>
    <tmpfs target="/run/escape-tmpfs"/>
  </filesystem>
</sandbox>
EOF
# ctl_run PROBE [ARGUMENT...]: the probe in the profile's sandbox
ctl_run() {
        local probe=$1
        shift
        SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$REAL_HELPER timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" \
                "$NAME" -- "${SHIP[@]}" "$@" <"$BIN/$probe" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
begin "sandboxctl run: a profile's writable <bind>, private <var> and <tmpfs> are nodev and nosuid"
ctl_run mount-flags
want 'rw-nodev:*' yes
want 'rw-nosuid:*' yes
want rw-nodev:/var/escape-bind yes
want rw-nodev:/var yes
want rw-nodev:/run/escape-tmpfs yes
finish
begin "sandboxctl run: /root, /home, /proc/mtrr and /sys/firmware masked (EACCES)"
ctl_run masked-paths /root /home /proc/mtrr /sys/firmware
for p in /root /home /proc/mtrr /sys/firmware; do
        if [ -e "$p" ]; then want "read:$p" EACCES; else want "read:$p" ENOENT; fi
done
finish

# nothing of this was left mounted on the host
mount_table_unchanged

done_testing
