#!/usr/bin/env bash
# The service's system call filter: the default deny-list answers EPERM
# even where the capability is kept, <allow> takes calls off it, <deny>
# answers the errno asked for or kills, default="no" loads no list, and
# the filter comes last, after the helper's own calls. Probes run inside
# real sandboxes, as root; x86-64 system call numbers.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbsecc$$
. "$(dirname "$0")/lib.sh"
trap remove_sandbox_dirs EXIT

[ "$(uname -m)" = x86_64 ] || { echo "1..0 # SKIP the probes use x86-64 system call numbers"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3 for the probes"; exit 0; }

# PROBE: prints "NAME=ERRNO" (0 on success) for each system call it tries
PROBE='
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def call(name, nr, *args):
    ctypes.set_errno(0)
    r = libc.syscall(nr, *[ctypes.c_long(a) for a in args])
    print("%s=%d" % (name, 0 if r >= 0 else ctypes.get_errno()))
call("keyctl", 250, 0, -3, 0)          # KEYCTL_GET_KEYRING_ID, session
call("uname", 63, 0)                   # a NULL buffer: EFAULT when allowed
call("unshare_user", 272, 0x10000000)  # CLONE_NEWUSER
call("unshare_uts", 272, 0x04000000)   # CLONE_NEWUTS, with CAP_SYS_ADMIN
call("clone3", 435, 0, 0)
call("bpf", 321, 0, 0, 0)
call("perf_event_open", 298, 0, 0, -1, -1, 0)
call("userfaultfd", 323, 0)
call("reboot", 169, 0, 0, 0, 0)        # bad magic: EINVAL when allowed
call("swapon", 167, 0, 0)
call("init_module", 175, 0, 0, 0)
call("kexec_load", 246, 0, 0, 0, 0)
call("acct", 163, 0)
call("umount2", 166, 0, 0)
call("fanotify_init", 300, 0, 0)
call("io_uring_setup", 425, 1, 0)
call("ptrace", 101, 0x4206, os.getppid(), 0, 0)   # PTRACE_SEIZE
call("quotactl", 179, 0, 0, 0, 0)
call("openat2", 437, -100, 0, 0, 0)    # a size of 0: EINVAL when allowed
call("ioctl_fifreeze", 16, 0, 0xc0045877, 0)
call("ioctl_fifreeze_high", 16, 0, 0xffffffffc0045877, 0)
call("ioctl_tiocsti", 16, 0, 0x5412, 0)
call("ioctl_fionread", 16, -1, 0x541b, 0)  # not filtered: EBADF
call("chmod_suid", 90, 0, 0o4755)      # a NULL path: EFAULT when allowed
call("chmod_sgid", 90, 0, 0o2755)
call("chmod_plain", 90, 0, 0o755)
call("open_creat_suid", 2, 0, os.O_CREAT | os.O_WRONLY, 0o4755)
call("open_suid_no_creat", 2, 0, os.O_RDONLY, 0o4755)
call("mknod_sgid", 133, 0, 0o102755, 0)
call("socket_vsock", 41, 40, 1, 0)     # AF_VSOCK, SOCK_STREAM
call("socket_alg", 41, 38, 5, 0)       # AF_ALG, SOCK_SEQPACKET
call("socketpair_unix", 53, 1, 1, 0, 0)  # not filtered: EFAULT on a NULL array
print("Seccomp=" + [l.split()[1] for l in open("/proc/self/status") if l.startswith("Seccomp:")][0])
'

# probe NAME OPTIONS...: runs PROBE in a sandbox that keeps CAP_SYS_ADMIN
# (so that EPERM is the filter's, not the missing capability's); its
# output in $out
probe() {
        local n=$1
        shift
        sb "$n" --etc=host --var=tmpfs --keep-caps=CAP_SYS_ADMIN,CAP_SYS_BOOT,CAP_SYS_MODULE,CAP_SYS_PACCT "$@" \
                -- /usr/bin/python3 -c "$PROBE"
        out=$(cat "$TMP/out")
}

# has KEY=VALUE: the last probe printed it
has() {
        grep -qx -- "$1" <<<"$out"
}

name default
probe "$n"
check_eq "default: the probe ran" "$rc" 0
for c in keyctl unshare_user bpf perf_event_open userfaultfd reboot swapon init_module kexec_load acct umount2; do
        check "default: $c answers EPERM" has "$c=1"
done
for c in fanotify_init io_uring_setup ptrace quotactl ioctl_fifreeze ioctl_fifreeze_high ioctl_tiocsti \
        chmod_suid chmod_sgid open_creat_suid mknod_sgid socket_vsock socket_alg; do
        check "default: $c answers EPERM" has "$c=1"
done
check "default: openat2 answers ENOSYS, so that libc falls back to openat()" has "openat2=38"
check "default: ioctl FIONREAD is not filtered (EBADF on fd -1)" has "ioctl_fionread=9"
check "default: socketpair(AF_UNIX) is not filtered (EFAULT)" has "socketpair_unix=14"
check "default: chmod without a set-ID bit is not filtered (EFAULT)" has "chmod_plain=14"
check "default: open without O_CREAT is not filtered, whatever its mode (EFAULT)" has "open_suid_no_creat=14"
check "default: clone3 answers ENOSYS, so that libc falls back to clone()" has "clone3=38"
check "default: unshare() without CLONE_NEWUSER is allowed (CAP_SYS_ADMIN is kept)" has "unshare_uts=0"
check "default: uname is not filtered (EFAULT on a NULL buffer)" has "uname=14"
check "default: the filter is on (Seccomp: 2)" has "Seccomp=2"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"

name allow
probe "$n" --seccomp-allow=@keyring --seccomp-allow=reboot --seccomp-allow=@mount
check "allow @keyring: keyctl is no longer EPERM" bash -c '! grep -qx keyctl=1 <<<"$0"' "$out"
check "allow reboot: the kernel's own answer (EINVAL for a bad magic number)" has "reboot=22"
check "allow @mount: umount2 reaches the kernel (EFAULT on a NULL path)" has "umount2=14"
check "allow: the rest of the default list stays (bpf EPERM)" has "bpf=1"
check "allow: user namespaces stay refused" has "unshare_user=1"
check "allow: the argument rules stay (chmod 4755 EPERM)" has "chmod_suid=1"

name allow-args
probe "$n" --seccomp-allow=@setid --seccomp-allow=@fs-admin --seccomp-allow=io_uring_setup --seccomp-allow=clone3
check "allow @setid: chmod 4755 reaches the kernel (EFAULT)" has "chmod_suid=14"
check "allow @setid: openat2 reaches the kernel (EINVAL for a size of 0)" has "openat2=22"
check "allow @fs-admin: FIFREEZE reaches the kernel (not EPERM)" bash -c '! grep -qx ioctl_fifreeze=1 <<<"$0"' "$out"
check "allow @fs-admin: TIOCSTI (@tty-inject) stays refused" has "ioctl_tiocsti=1"
check "allow io_uring_setup by name: the kernel's answer (not EPERM)" bash -c '! grep -qx io_uring_setup=1 <<<"$0"' "$out"
check "allow clone3 by name: it replaces the ENOSYS rule (EINVAL for a size of 0)" has "clone3=22"

name allow-ioctl
probe "$n" --seccomp-allow=ioctl --seccomp-allow=openat --seccomp-allow=@af-alg
check "allow ioctl by name: no ioctl rule stays (TIOCSTI not EPERM)" bash -c '! grep -qx ioctl_tiocsti=1 <<<"$0"' "$out"
check "allow @af-alg: AF_ALG reaches the kernel, AF_VSOCK stays refused" \
        bash -c '! grep -qx socket_alg=1 <<<"$0" && grep -qx socket_vsock=1 <<<"$0"' "$out"
check "allow openat by name: the other calls of @setid stay refused (chmod 4755)" has "chmod_suid=1"

name deny
probe "$n" --seccomp-deny=uname:ENOSYS --seccomp-deny=bpf:EACCES --seccomp-deny=@swap:13
check "deny uname:ENOSYS: ENOSYS" has "uname=38"
check "deny bpf:EACCES: the profile's errno replaces the default's" has "bpf=13"
check "deny @swap:13: a number works, and for a set" has "swapon=13"
check "deny: the default list stays (keyctl EPERM)" has "keyctl=1"

name deny-args
probe "$n" --seccomp-deny=@setid:EACCES --seccomp-deny=@tty-inject:EIO
check "deny @setid:EACCES: the argument rules answer EACCES" has "chmod_suid=13"
check "deny @setid:EACCES: openat2 stays ENOSYS" has "openat2=38"
check "deny @tty-inject:EIO: TIOCSTI answers EIO" has "ioctl_tiocsti=5"
check "deny @tty-inject:EIO: FIFREEZE (@fs-admin) stays EPERM" has "ioctl_fifreeze=1"

name nodefault-args
probe "$n" --seccomp-default=no --seccomp-deny=@setid:EPERM
check "default=no with a deny of @setid: only those rules (chmod 4755 EPERM, chmod 755 and keyctl not)" \
        bash -c 'grep -qx chmod_suid=1 <<<"$0" && grep -qx chmod_plain=14 <<<"$0" && ! grep -qx keyctl=1 <<<"$0"' "$out"

name nodefault
probe "$n" --seccomp-default=no
check "default=no: no filter at all (Seccomp: 0)" has "Seccomp=0"
check "default=no: bpf reaches the kernel" bash -c '! grep -qx bpf=1 <<<"$0"' "$out"

name nodefault-deny
probe "$n" --seccomp-default=no --seccomp-deny=uname:EPERM
check "default=no with a deny: only that (uname EPERM, keyctl not)" \
        bash -c 'grep -qx uname=1 <<<"$0" && ! grep -qx keyctl=1 <<<"$0" && grep -qx Seccomp=2 <<<"$0"' "$out"

name kill
sb "$n" --etc=host --var=tmpfs --seccomp-deny=getppid:kill -- /usr/bin/python3 -c 'import os; print("before"); os.getppid(); print("after")'
check_eq "deny getppid:kill: the service is killed by SIGSYS (status 128+31)" "$rc" 159
check_eq "deny getppid:kill: it ran until the call" "$(cat "$TMP/out")" "before"

# last: the profile may deny what the helper itself calls after set-up
name last
sb "$n" --etc=host --var=tmpfs --user=nobody --group=nogroup \
        --seccomp-deny=setresuid:EPERM --seccomp-deny=setgroups:EPERM --seccomp-deny=capset:EPERM -- /usr/bin/id -u
check_eq "filter applied last: denying setresuid, setgroups and capset does not stop the helper" "$rc $(cat "$TMP/out")" "0 65534"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"

name early
sb "$n" --etc=host --var=tmpfs --user=nobody --group=nogroup --allow-new-privileges \
        --seccomp-deny=setresuid:EPERM -- /usr/bin/id -u
check "with new privileges allowed, the filter comes before the change of user: it fails closed" \
        test "$rc" -ne 0 -a ! -s "$TMP/out"
check "... and says which call" grep -q "identity: user 65534" "$TMP/err"

# refused before anything is built
for bad in --seccomp-deny=uname --seccomp-deny=uname:EBOGUS --seccomp-allow=@bogus --seccomp-allow=Uname \
        --seccomp-default=maybe; do
        name refused
        sb "$n" "$bad" -- /bin/true
        check "helper $bad: refused (status 1, invalid value)" \
                bash -c '[ "$0" -eq 1 ] && grep -q "invalid value" "$1"' "$rc" "$TMP/err"
done
name unknown-call
sb "$n" --etc=host --var=tmpfs --seccomp-deny=no_such_call:EPERM -- /bin/true
check "an unknown system call: the sandbox does not start" test "$rc" -ne 0
check "... and the message names it" grep -q "unknown system call no_such_call" "$TMP/err"

# a directory the sandbox declares with a set-group-ID mode is made by
# the helper before the filter exists (as PostgreSQL's socket directory)
name setgid-dirs
sb "$n" --etc=host --var=tmpfs --tmpfs=/run/sock::2775 --runtime-dir=app:2775 -- \
        /bin/sh -c 'stat -c %a /run/sock /run/app; chmod 2775 /run/sock 2>/dev/null || echo refused'
check_eq "--tmpfs and --runtime-dir of mode 2775: made so before the filter; a chmod of the service's to it is refused" \
        "$rc $(cat "$TMP/out" | tr '\n' ' ')" "0 2775 2775 refused "
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"

# from a profile, through sandboxctl run: the compiled options reach the helper
name profile
profile_run "$n" '<seccomp><deny syscall="uname" errno="EACCES"/></seccomp>' -- \
        /usr/bin/python3 -c 'import os
try:
    os.uname(); print("allowed")
except OSError as e:
    print(e.errno)'
check_eq "a profile's <deny syscall=\"uname\" errno=\"EACCES\">: EACCES in the service" "$out" 13

name profile-allow
profile_run "$n" '<seccomp><allow syscall="@setid"/></seccomp>' -- \
        /bin/sh -c 'touch /tmp/f && chmod 4755 /tmp/f && stat -c %a /tmp/f'
check_eq "a profile's <allow syscall=\"@setid\"/>: chmod 4755 works in the service" "$out" 4755
name profile-default
profile_run "$n" '' -- /bin/sh -c 'touch /tmp/f && chmod 4755 /tmp/f 2>/dev/null || echo refused'
check_eq "without it: chmod 4755 is refused" "$out" refused

done_testing
