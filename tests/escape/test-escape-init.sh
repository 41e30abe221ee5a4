#!/usr/bin/env bash
# The sandbox's process 1 (the helper's resident process) against a
# service allowed to trace it: CAP_SYS_PTRACE, CAP_SYS_ADMIN and the
# CAP_DAC_* capabilities kept, ptrace, process_vm_* and pidfd_getfd
# allowed. "Not dumpable" does not stop such a service; what must is
# process 1's own system call filter (code made to run in it can make no
# namespace, open, map, mount or execute nothing) and what process 1
# holds: nothing of the host's that the service does not have itself,
# the instance lock above all. Needs root and cc; x86_64 for the
# injection. In a mount namespace of its own, where /run/systemd, which
# NOTIFY_SOCKET must be below, is one of $TMP's.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"
RUN_SYSTEMD=no
if private_run_systemd "$TMP/run-systemd"; then
        RUN_SYSTEMD=yes
        # the test's own mount, not the sandboxes'
        mount_table >"$TMP/mounts.before"
fi

# Without the default Landlock domain, which on its own keeps a service
# from tracing or opening process 1 (outside its domain: see
# test-escape-landlock.sh): these are the layers behind it.
TRACER=(--keep-caps=CAP_SYS_PTRACE,CAP_SYS_ADMIN,CAP_DAC_OVERRIDE,CAP_DAC_READ_SEARCH
        --seccomp-allow=ptrace --seccomp-allow=process_vm_writev --seccomp-allow=process_vm_readv
        --seccomp-allow=pidfd_getfd --landlock-default=no)
LISTENER=
HELPER_PID=
# the helper of the injection's sandbox, should an injection that got
# through have killed the timeout(1) above it, and the listener below
stop_started() {
        [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
        if [ -n "$HELPER_PID" ] && grep -q sandbox-helper "/proc/$HELPER_PID/cmdline" 2>/dev/null; then
                kill -KILL "$HELPER_PID"
        fi
}
trap 'stop_started; cleanup' EXIT

# quiet: the helper said nothing (no failure of process 1 while it waits)
quiet() {
        [ ! -s "$TMP/err" ]
}

# --- what process 1 is, seen from inside a default sandbox ---

begin "process 1 of a default sandbox: CAP_KILL only, no_new_privs, a seccomp filter of its own"
run_helper /bin/sh -c 'awk '\''/^(CapEff|NoNewPrivs|Seccomp):/ { print $1, $2 }'\'' /proc/1/status'
want CapEff: 0000000000000020
want NoNewPrivs: 1
want Seccomp: 2
finish

# the probe executed as the service itself, its first look at process 1:
# no time for process 1 to confine itself after the service has started
HELPER_ARGS=(--keep-caps=CAP_SYS_PTRACE --landlock-default=no --bind-ro="$BIN":/mnt)
begin "process 1 seen by the service's first instructions: already confined (filter, CAP_KILL, standard error only)"
run_helper /mnt/init-first
want Seccomp: 2
want CapEff: 0000000000000020
want NoNewPrivs: 1
want first-fds-other 0
finish

# --- code made to run in process 1 ---

if [ "$(uname -m)" != x86_64 ]; then
        skip_attempt "system calls injected into process 1" "the injection probe is written for x86_64"
else
        HELPER_ARGS=("${TRACER[@]}")
        begin "system calls injected into a traced process 1: its own answered, namespaces, opens, mounts, maps, exec EPERM; its process group its own; it ends cleanly"
        # a process of the host in the helper's process group, which a
        # kill(0, ...) from process 1 would reach if it shared that group
        timeout -k 5 60 sh -c 'echo $$ >"$1.helper"; sleep 60 & echo $! >"$1"; shift; exec "$@"' sh "$TMP/sentinel" \
                "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- "${SHIP[@]}" \
                <"$BIN/init-inject" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        SLEEP_PID=$(cat "$TMP/sentinel")
        HELPER_PID=$(cat "$TMP/sentinel.helper")
        want seize ok
        want entry-stop ok
        # the injection works: a call process 1 makes itself is answered in it
        want inject-getpid 1
        want inject-kill-group ok
        host "the sleep in the helper's process group (PID $SLEEP_PID) still runs" alive "$SLEEP_PID"
        want inject-unshare-user EPERM
        want inject-unshare-ns EPERM
        want inject-setns EPERM
        want inject-openat EPERM
        want inject-open EPERM
        want inject-open-by-handle EPERM
        want inject-mount EPERM
        want inject-fsopen EPERM
        want inject-memfd EPERM
        want inject-mmap-exec EPERM
        want inject-mprotect-exec EPERM
        want inject-socket EPERM
        want inject-ptrace EPERM
        want inject-prctl-dumpable EPERM
        want inject-seccomp EPERM
        want inject-chdir EPERM
        want inject-pidfd-open EPERM
        want inject-execve EPERM
        want detach ok
        host "the helper logged nothing" quiet
        finish
        kill "$SLEEP_PID" 2>/dev/null
        SLEEP_PID=
        stop_started
        HELPER_PID=
fi

# --- what process 1 holds ---

# fds_case DESCRIPTION [PROBE-ARGUMENT]: the init-fds probe in a sandbox
# with HELPER_ARGS, as the service's command (with --forking, as the
# daemon it leaves, once READY=1 is sent)
fds_case() {
        local desc=$1 wait=${2:-}
        begin "process 1's descriptors, root, cwd, environment, executable ($desc): only standard error, the service's own; nothing of the host's to open"
        if [ -n "$wait" ]; then
                run_helper /bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe && { /tmp/probe "$1" & } && exit 0' \
                        probe "$wait" <"$BIN/init-fds"
        else
                in_sandbox init-fds
        fi
        want init-fd-list 2
        want init-fd-own 0
        want init-root same
        want init-cwd same
        want init-environ-extra 0
        want init-exe-write 'ETXTBSY|EROFS|EACCES'
        # the helper's own mappings: the executable, busy
        want 'init-map-write-exe:*' 'ETXTBSY|EROFS|EACCES'
        finish
        # built with sanitizers, the helper is linked dynamically: the
        # host's libraries it maps are open to a service with
        # CAP_SYS_ADMIN through /proc/1/map_files (see sandbox-helper(8));
        # asked with access(2), not opened, so that no exec on the host
        # meets them open for writing (ETXTBSY)
        if ! grep -q '^init-map-write-lib:' "$TMP/out"; then
                return
        elif ! grep -q '^init-map-write-lib:.* ok$' "$TMP/out"; then
                ok "process 1's mapped libraries ($desc): not writable"
        elif ! is_static "$HELPER"; then
                tap_n=$((tap_n + 1))
                echo "not ok $tap_n - process 1's mapped libraries ($desc): not writable # TODO the helper is linked" \
                        "dynamically (sanitizers): the host's libraries are writable through /proc/1/map_files"
        else
                not_ok "process 1's mapped libraries ($desc): not writable"
                diag "$(grep '^init-map-write-lib:' "$TMP/out")"
        fi
}

# is_static FILE: FILE is an executable linked statically (no interpreter)
is_static() {
        ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'Requesting program interpreter'
}

HELPER_ARGS=("${TRACER[@]}")
fds_case "default"

mkdir -p "$TMP/rw" "$TMP/ro"
HELPER_ARGS=("${TRACER[@]}" --etc=overlay --var=overlay --bind="$TMP/rw":/mnt --bind-ro="$TMP/ro":/media
        --tmpfs=/srv:: --mask=/etc/hostname --runtime-dir=escape-init:0755)
fds_case "overlays, binds, a tmpfs, a mask, a runtime directory"

HELPER_ARGS=("${TRACER[@]}" --network=private --hostname=escape-init)
fds_case "network and host name of its own"

# a descriptor passed on to the service (LISTEN_FDS, with LISTEN_PID the
# helper's): the service's alone, no copy left in process 1
HELPER_ARGS=("${TRACER[@]}")
begin "process 1's descriptors (a LISTEN_FDS descriptor passed on): only standard error; the service has its own"
echo listen >"$TMP/listen"
timeout -k 5 60 sh -c 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$@" 3<>"$0"' "$TMP/listen" \
        "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- \
        /bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe && test -e /proc/self/fd/3 && echo service-fd3 ok && exec /tmp/probe' \
        <"$BIN/init-fds" >"$TMP/out" 2>"$TMP/err"
RC=$?
want service-fd3 ok
want init-fd-list 2
want init-fd-own 0
finish

# with NOTIFY_SOCKET; with --forking, the socket READY=1 goes out on is
# closed once it is sent
if command -v python3 >/dev/null && [ "$RUN_SYSTEMD" = yes ]; then
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[1] + ".bound", "w").close()
s.settimeout(60)
print(s.recv(64).decode())' /run/systemd/notify-init >"$TMP/notify.got" &
        LISTENER=$!
        for _ in $(seq 100); do [ -e /run/systemd/notify-init.bound ] && break; sleep 0.05; done
        export NOTIFY_SOCKET=/run/systemd/notify-init
        # a notify service (Type=notify): the relay's socket is the
        # service's to send on, process 1 has none
        HELPER_ARGS=("${TRACER[@]}")
        fds_case "NOTIFY_SOCKET, without --forking"
        HELPER_ARGS=("${TRACER[@]}" --forking)
        fds_case "--forking, after READY=1" 300
        unset NOTIFY_SOCKET
        wait "$LISTENER"
        LISTENER=
        check_eq "--forking: READY=1 was sent before process 1 let go of its socket" "$(cat "$TMP/notify.got")" READY=1
else
        skip_attempt "process 1's descriptors (--forking, after READY=1)" \
                "no python3 to listen on NOTIFY_SOCKET, or no /run/systemd of the test's"
fi

# --- after all of them ---

mount_table_unchanged

done_testing
