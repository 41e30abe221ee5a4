#!/usr/bin/env bash
# Escape attempts that only the default system call filter stops: the
# sandbox keeps the capabilities each call needs (CAP_SYS_ADMIN,
# CAP_SYS_PTRACE, CAP_SYS_TIME, CAP_SYSLOG, ...), so that the refusal is
# the filter's and not the missing capability's. fanotify on the shared
# root file system, file-system-wide ioctls through a read-only bind of a
# loop-mounted ext4 image, terminal injection, set-ID files in a writable
# bind, io_uring, the clock, the kernel log, ptrace and its kin, AF_VSOCK
# and AF_ALG sockets, and the calls a service never needs. Each asserts the errno and, where it
# matters, the host from outside; one shows that an allow gives a call
# back. Needs root and cc; runs in a mount namespace of its own, with
# everything under $TMP.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

CAPS=CAP_SYS_ADMIN,CAP_SYS_PTRACE,CAP_SYS_TIME,CAP_SYSLOG,CAP_FOWNER,CAP_FSETID,CAP_MKNOD,CAP_SYS_TTY_CONFIG
HELPER_ARGS=(--keep-caps="$CAPS")

FSMNT=$TMP/fsmnt
HOST_LOOP_PID=
seccomp_cleanup() {
        [ -n "$HOST_LOOP_PID" ] && kill "$HOST_LOOP_PID" 2>/dev/null && wait "$HOST_LOOP_PID" 2>/dev/null
        if mountpoint -q "$FSMNT" 2>/dev/null; then
                # a freeze that got through would make the unmount hang
                fsfreeze -u "$FSMNT" 2>/dev/null
                umount "$FSMNT"
        fi
        cleanup
}
trap seccomp_cleanup EXIT

run_helper /bin/sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status'
if [ "$RC" -ne 0 ] || ! grep -q '^Seccomp:[[:space:]]*2$' "$TMP/out"; then
        echo "Bail out! a sandbox that keeps $CAPS does not run its command under a filter (status $RC): $(head -n 3 "$TMP/err")"
        exit 1
fi
ok "a sandbox that keeps $CAPS runs its command under the default filter"

# --- fanotify through the shared superblock ---

if [ "$(outside fanotify-mark init-notif 0 0)" = ENOSYS ]; then
        skip_attempt "fanotify" "this kernel has no fanotify (ENOSYS on the host too)"
else
        # a host file that host processes keep opening while the probe waits:
        # a mark that got through would get its events, and write through
        # them (only to this file: the probe is given its inode)
        VICTIM=$TMP/fanotify-victim
        echo host >"$VICTIM"
        (for _ in $(seq 1 50); do cat "$VICTIM" >/dev/null; sleep 0.1; done) &
        HOST_LOOP_PID=$!
        begin "fanotify on the root file system shared with the host (init, marks on it, its mount, an inode): EPERM; nothing reached"
        in_sandbox fanotify-mark 3 "$(stat -c %i "$VICTIM")"
        want init-notif EPERM
        want init-content EPERM
        want mark-filesystem EPERM
        want mark-mount EPERM
        want mark-inode EPERM
        want events 0
        host "$VICTIM, opened by the host meanwhile, is unchanged" test "$(cat "$VICTIM")" = host
        finish
        kill "$HOST_LOOP_PID" 2>/dev/null
        wait "$HOST_LOOP_PID" 2>/dev/null
        HOST_LOOP_PID=
fi

# --- file-system-wide ioctls through a read-only bind ---

mkdir -p "$FSMNT"
if ! command -v mke2fs >/dev/null; then
        skip_attempt "FIFREEZE and the other file system ioctls" "no mke2fs to make an ext4 image"
elif ! truncate -s 64M "$TMP/fs.img" || ! mke2fs -q -t ext4 -L sbtest "$TMP/fs.img" ||
        ! mount -o loop "$TMP/fs.img" "$FSMNT" 2>"$TMP/mount.err"; then
        skip_attempt "FIFREEZE and the other file system ioctls" "cannot loop-mount an ext4 image: $(head -n 1 "$TMP/mount.err")"
else
        echo before >"$FSMNT/before"
        HELPER_ARGS=(--keep-caps="$CAPS" --bind-ro="$FSMNT":/run/fsimg)
        begin "FIFREEZE, FITHAW, FITRIM, shutdown, label, ext4 checkpoint through a read-only bind of a host file system: EPERM; the host writes on"
        in_sandbox fs-freeze /run/fsimg
        want open ok
        want fifreeze EPERM
        want fifreeze-high-bits EPERM
        want fithaw EPERM
        want fitrim EPERM
        want fs-ioc-setfslabel EPERM
        want ext4-ioc-checkpoint EPERM
        want fs-ioc-shutdown EPERM
        host "a write to the file system, and its sync, still work" \
                timeout 10 sh -c 'echo after >"$1/after" && sync "$1/after" && test "$(cat "$1/before")" = before' sh "$FSMNT"
        host "its label is unchanged" test "$(e2label "$TMP/fs.img" 2>/dev/null)" = sbtest
        finish
        HELPER_ARGS=(--keep-caps="$CAPS")
fi

# --- the terminal ---

begin "TIOCSTI, TIOCLINUX (also with the request's upper bits set) and TIOCCONS on a pty of the sandbox's own: EPERM"
in_sandbox tiocsti-push
want open-pty-slave ok
want tiocsti:own-pty EPERM
want tiocsti-high-bits:own-pty EPERM
want tioclinux:own-pty EPERM
want tioccons:own-pty EPERM
finish

if command -v script >/dev/null; then
        begin "TIOCSTI and TIOCLINUX into the terminal the sandbox was started from, with CAP_SYS_ADMIN: EPERM"
        # script(1) gives the helper a terminal, as an interactive start would
        cmd=$(printf '%q ' timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- "${SHIP[@]}")
        script -qec "$cmd <$(printf '%q' "$BIN/tiocsti-push")" /dev/null </dev/null >"$TMP/out.raw" 2>"$TMP/err"
        RC=$?
        # a character that got through is echoed before the next line
        tr -d '\r' <"$TMP/out.raw" | sed 's/^#*//' >"$TMP/out"
        if awk '$1 == "terminals" && $2 > 0 { found = 1 } END { exit !found }' "$TMP/out"; then
                want 'tiocsti:fd*' EPERM
                want 'tiocsti-high-bits:fd*' EPERM
                want 'tioclinux:fd*' EPERM
                host "no character came back to the terminal" eval '! grep -q "^#" <(tr -d "\r" <"$TMP/out.raw")'
                finish
        else
                skip_attempt "TIOCSTI into the terminal" "the sandbox got no terminal under script(1)"
        fi
else
        skip_attempt "TIOCSTI into the terminal" "no script(1) to give the sandbox a terminal"
fi

# --- set-ID files in a writable bind ---

mkdir -p "$TMP/rw"
HELPER_ARGS=(--keep-caps="$CAPS" --bind="$TMP/rw":/run/rw)
begin "set-user-ID and set-group-ID bits in a writable bind (chmod, open, creat, O_TMPFILE, mknod): EPERM, openat2 ENOSYS; none on the host"
in_sandbox setid-bits /run/rw
want create-plain ok
for b in suid sgid; do
        for k in chmod fchmod fchmodat fchmodat2 open-creat openat-creat creat open-tmpfile mknod mknodat; do
                want "$k:$b" EPERM
        done
        want "openat2-creat:$b" ENOSYS
done
# what stays allowed
want chmod-0700 ok
want chmod-sticky ok
want open-creat-0644 ok
want open-no-creat-mode-ignored ok
want mkdir-2775 ok
want mode:plain 1755
host "no set-ID file in the bound directory ($(find "$TMP/rw" -perm /6000 -type f | head -n 3 | tr '\n' ' '))" \
        test -z "$(find "$TMP/rw" -perm /6000 -type f)"
finish

# the opt-in: an allow of @setid gives the calls back
mkdir -p "$TMP/rw-allowed"
HELPER_ARGS=(--keep-caps="$CAPS" --bind="$TMP/rw-allowed":/run/rw --seccomp-allow=@setid)
begin "with --seccomp-allow=@setid: chmod 4755 and openat2 work again (the opt-in); the bit is on the host"
in_sandbox setid-bits /run/rw
want chmod:suid ok
want open-creat:sgid ok
want openat2-creat:suid ok
host "the set-user-ID file is there on the host" test -n "$(find "$TMP/rw-allowed" -perm -4000 -type f)"
finish
rm -rf "$TMP/rw-allowed"
HELPER_ARGS=(--keep-caps="$CAPS")

# --- the kernel's other surfaces ---

if [ "$(outside io-uring io-uring-setup)" != ok ]; then
        skip_attempt "io_uring" "io_uring does not work on the host either ($(outside io-uring io-uring-setup))"
else
        begin "io_uring_setup, io_uring_enter, io_uring_register: EPERM"
        in_sandbox io-uring
        want io-uring-setup EPERM
        want io-uring-enter EPERM
        want io-uring-register EPERM
        finish
fi

begin "set the host's clock with CAP_SYS_TIME (clock_settime, settimeofday, adjtimex, clock_adjtime, even reading): EPERM"
in_sandbox clock-set2
want clock-settime EPERM
want settimeofday EPERM
want adjtimex-read EPERM
want adjtimex-tick EPERM
want clock-adjtime-read EPERM
finish

begin "read the kernel log with CAP_SYSLOG (syslog(2)): EPERM"
in_sandbox klog-read
want 'syslog-*' EPERM
finish

begin "ptrace, process_vm_readv/writev and pidfd_getfd on a child, with CAP_SYS_PTRACE: EPERM; pidfd_open and kcmp stay"
in_sandbox trace-child
want fork ok
want ptrace-attach EPERM
want ptrace-seize EPERM
want process-vm-readv EPERM
want process-vm-writev EPERM
want pidfd-open ok
want pidfd-getfd EPERM
want kcmp-file ok
finish

HELPER_ARGS=(--keep-caps="$CAPS" --network=none)
begin "AF_VSOCK (the hypervisor, past <network mode=\"none\">) and AF_ALG sockets: EPERM; AF_UNIX stays"
in_sandbox vsock-alg
want socket-vsock-stream EPERM
want socket-vsock-dgram EPERM
want socket-alg EPERM
want socket-unix ok
finish
HELPER_ARGS=(--keep-caps="$CAPS")

begin "quotactl, quotactl_fd, vhangup, uselib, lookup_dcookie, nfsservctl, open_tree_attr (a writable clone of /): EPERM"
in_sandbox admin-calls
want quotactl EPERM
want quotactl-fd EPERM
want vhangup EPERM
want uselib EPERM
want lookup-dcookie EPERM
want nfsservctl EPERM
want open-tree-attr-clone-rw EPERM
host "no escape-open-tree-attr file in /" absent /escape-open-tree-attr
finish

# --- calls newer than the filter knows ---

# statmount, listmount, mseal, file_getattr, file_setattr: numbers past
# libseccomp's table here; the filter says ENOSYS to each, as a kernel
# without them would. x86-64 numbers: elsewhere they differ by an offset.
HELPER_ARGS=(--keep-caps="$CAPS")
if [ "$(uname -m)" = x86_64 ]; then
        begin "system calls newer than the filter knows (statmount, listmount, mseal, file_getattr, file_setattr): ENOSYS"
        in_sandbox newer-calls
        for call in statmount listmount mseal file_getattr file_setattr; do
                want "$call" ENOSYS
                # the kernel has it where the call fails otherwise outside
                v=$(outside newer-calls "$call")
                [ -n "$v" ] && [ "$v" != ENOSYS ] || diag "$call: this kernel lacks it; the ENOSYS is also the kernel's"
        done
        finish
else
        skip_attempt "system calls newer than the filter knows" "the probe has x86-64's numbers"
fi

# --- after all of them ---

if mountpoint -q "$FSMNT"; then
        umount "$FSMNT"
fi
mount_table_unchanged

done_testing
