#!/usr/bin/env bash
# Escape attempts that the default Landlock domain refuses, most of them
# against the domain turned off (--landlock-default=no) too, which shows
# the old behaviour and that the refusal is Landlock's: a host process's
# abstract unix socket reached through the host network (the containerd
# CVE-2020-15257 class) and signals to process 1 (Landlock ABI 6, skipped
# below it); process 1's root, descriptors and ptrace (ABI 1); writes
# through descriptors that lead out of the sandbox's tree, below a
# writable bind that the profile's rules narrow to read-only, and to /
# after mount_setattr(2) has made it writable; mounts; the writes a
# service makes as a matter of course, which must work; and a command
# joined to a running sandbox (--join, as sandboxctl exec), which gets
# the same domain. Needs root and cc; everything it writes is
# under $TMP, plus /run/sandbox/NAME, removed at the end.
. "$(dirname "$0")/../escape-lib.sh"

ABI=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
if ! [ "${ABI:-0}" -gt 0 ] 2>/dev/null; then
        echo "1..0 # SKIP no Landlock in this kernel (landlock_create_ruleset answered ${ABI:-nothing})"
        exit 0
fi
diag "Landlock ABI $ABI"

# the processes this script starts on the host, ended by PID at exit
LISTENER_PID=
SERVICE_PID=
stop_started() {
        local p
        for p in $LISTENER_PID $SERVICE_PID; do
                kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
        done
}
trap 'stop_started; cleanup' EXIT

# scoped DESCRIPTION: false, after a skip, where the kernel's Landlock
# has no scopes (ABI 6)
scoped() {
        [ "$ABI" -ge 6 ] && return 0
        skip_attempt "$1" "Landlock ABI $ABI here: scopes need ABI 6 (Linux 6.12)"
        return 1
}

# run_bound INPUT PROBE [ARGUMENT...]: runs a probe bound read-only into
# the sandbox (at /run/escape-bin) with INPUT as its standard input; its
# standard output is $TMP/out, a file of the host's
run_bound() {
        local input=$1 probe=$2
        shift 2
        timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" \
                --bind-ro="$BIN:/run/escape-bin" -- "/run/escape-bin/$probe" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}

# --- abstract unix sockets, with the host network ---

"$BIN/abstract-unix" listen "$TOKEN" >"$TMP/listener.out" 2>&1 &
LISTENER_PID=$!
for _ in $(seq 100); do
        grep -q '^listening' "$TMP/listener.out" && break
        sleep 0.05
done
if [ "$(outside abstract-unix connect-stream connect "$TOKEN")" != ok ]; then
        echo "Bail out! the host's abstract socket @escape-$TOKEN does not answer on the host: $(cat "$TMP/listener.out")"
        exit 1
fi

HELPER_ARGS=(--network=host)
if scoped "a host process's abstract unix socket, with the host network: connect and send refused (EPERM)"; then
        begin "a host process's abstract unix socket, with the host network: connect and send refused (EPERM)"
        in_sandbox abstract-unix connect "$TOKEN"
        want connect-stream EPERM
        want send-dgram EPERM
        host "the listener (PID $LISTENER_PID) still runs" alive "$LISTENER_PID"
        finish
fi

begin "the service's own abstract unix socket still answers its own processes"
in_sandbox abstract-unix own "$TOKEN-own"
want connect-own ok
finish

HELPER_ARGS=(--network=host --landlock-default=no)
begin "without the default Landlock domain, the host's abstract socket answers (the old behaviour)"
in_sandbox abstract-unix connect "$TOKEN"
want connect-stream ok
want send-dgram ok
finish

HELPER_ARGS=(--network=none)
begin "with a network of its own, the host's abstract names are not there at all (ECONNREFUSED)"
in_sandbox abstract-unix connect "$TOKEN"
want connect-stream ECONNREFUSED
want send-dgram ECONNREFUSED
finish

# --- process 1, outside the service's domain; the service's own ---
# The Landlock layer alone: no system call filter, and the capabilities
# that would get through the other checks kept.

HELPER_ARGS=(--keep-caps=CAP_KILL,CAP_SYS_PTRACE --seccomp-default=no)
in_sandbox landlock-signal term
if scoped "signals to process 1, with CAP_KILL: refused (EPERM), the sandbox runs on"; then
        begin "signals to process 1, with CAP_KILL: refused (EPERM), the sandbox runs on"
        want kill-init-0 EPERM
        want kill-init-term EPERM
        want kill-child ok
        finish
fi
begin "process 1's root and descriptors, and ptrace, with CAP_SYS_PTRACE: refused (EACCES, EPERM)"
want open-root-init EACCES
want "open-fd-init:*" EACCES
want ptrace-seize-init EPERM
finish
begin "the service signals its own child and its own process group"
want kill-child ok
want child-ended-by TERM
want kill-own-group ok
finish

HELPER_ARGS=(--keep-caps=CAP_KILL,CAP_SYS_PTRACE --seccomp-default=no --landlock-default=no)
begin "without the default Landlock domain, process 1 is reached (the old behaviour)"
in_sandbox landlock-signal
want kill-init-0 ok
want open-root-init ok
want "open-fd-init:*" "ok|ENXIO"
want ptrace-seize-init ok
finish

# --- writes and mounts ---

mkdir -p "$TMP/hostdir" "$TMP/narrow" "$TMP/wide"
BINDS=(--bind="$TMP/narrow:/run/narrow" --bind="$TMP/wide:/run/wide")
HELPER_ARGS=("${BINDS[@]}" --keep-caps=CAP_SYS_ADMIN --seccomp-allow=@mount)
begin "through a host directory handed in, stdout reopened, or a mount: refused (EACCES, EPERM); the service's own writes work"
run_bound "$TMP/hostdir" landlock-write "escape-$TOKEN" /run/narrow /run/wide
want create-in-stdin-dir EACCES
want reopen-stdout EACCES
want mount-tmpfs EPERM
want create:/run/narrow ok
want create:/run/wide ok
want write-proc-self-comm ok
want write-proc-self-oom ok
want write-dev-null ok
want write-dev-shm ok
want write-tmp ok
host "nothing made in the host directory" test -z "$(ls -A "$TMP/hostdir")"
finish
rm -f "$TMP/narrow/escape-$TOKEN" "$TMP/wide/escape-$TOKEN"

HELPER_ARGS=("${BINDS[@]}" --landlock-ro=/usr --landlock-ro=/run/escape-bin --landlock-ro=/run/narrow
        --landlock-rw=/run/wide --landlock-rw=/tmp --landlock-rw=/dev --landlock-rw=/proc)
begin "a writable bind that the profile's rules make read-only: refused (EACCES); its other paths as before"
run_bound "$TMP/hostdir" landlock-write "escape-$TOKEN" /run/narrow /run/wide
want create:/run/narrow EACCES
want create:/run/wide ok
want create-in-stdin-dir EACCES
want write-proc-self-comm ok
want write-dev-null ok
want write-tmp ok
host "nothing made in the narrowed bind's source" absent "$TMP/narrow/escape-$TOKEN"
host "the file made in the other bind's source" test -f "$TMP/wide/escape-$TOKEN"
finish
rm -f "$TMP/wide/escape-$TOKEN"

HELPER_ARGS=("${BINDS[@]}" --keep-caps=CAP_SYS_ADMIN --seccomp-allow=@mount --landlock-default=no)
begin "without the default Landlock domain, the host directory is written and /tmp remounted (the old behaviour)"
run_bound "$TMP/hostdir" landlock-write "escape-$TOKEN"
want create-in-stdin-dir ok
want reopen-stdout ok
want mount-tmpfs ok
host "the file made in the host directory" test -f "$TMP/hostdir/escape-$TOKEN"
finish
rm -f "$TMP/hostdir/escape-$TOKEN"

# mount_setattr(2) has no Landlock hook: with CAP_SYS_ADMIN and no
# filter it makes the sandbox's / (the host's root file system) writable
# as a mount, and Landlock alone keeps the write out. Not tried without
# the domain: that write would be the host's.
HELPER_ARGS=(--keep-caps=CAP_SYS_ADMIN --seccomp-default=no)
begin "/ made read-write with mount_setattr(2) (CAP_SYS_ADMIN, no filter): writing there is still refused (EACCES)"
in_sandbox remount / /escape-"$TOKEN"
want remount-bind-rw EPERM
want remount-rw EPERM
if grep -qx 'setattr-rw ok' "$TMP/out"; then
        want write-after EACCES
else
        want setattr-rw EPERM
        want write-after EROFS
fi
host "no /escape-$TOKEN" absent /escape-"$TOKEN"
finish

# --- a command joined to a running sandbox ---

HELPER_ARGS=(--keep-caps=CAP_KILL,CAP_SYS_PTRACE --seccomp-default=no)
timeout -k 5 120 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sleep 100 \
        </dev/null >"$TMP/service.out" 2>"$TMP/service.err" &
SERVICE_PID=$!
joined() {
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "${SHIP[@]}" "$@" <"$BIN/landlock-signal" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
for _ in $(seq 100); do
        joined && break
        sleep 0.1
done
begin "a joined command (sandboxctl exec): process 1's root, descriptors and ptrace refused (EACCES, EPERM)"
want open-root-init EACCES
want "open-fd-init:*" EACCES
want ptrace-seize-init EPERM
host "the sandbox (helper PID $SERVICE_PID) runs on" alive "$SERVICE_PID"
finish
# its domain is a sibling of the service's, without the signal scope:
# a reload (kill -HUP, nginx -s reload) reaches the service
if scoped "a joined command (sandboxctl exec) signals the service, as a reload does"; then
        timeout -k 5 60 "$HELPER" --join="$NAME" -- /bin/sh -c 'for p in /proc/[0-9]*; do
                [ "$(tr "\0" " " <"$p/cmdline")" = "/bin/sleep 100 " ] || continue
                if kill -0 "${p#/proc/}"; then echo "signal-service ok"; else echo "signal-service refused"; fi; done' \
                >"$TMP/out" 2>"$TMP/err"
        RC=$?
        begin "a joined command (sandboxctl exec) signals the service, as a reload does"
        want signal-service ok
        host "the sandbox (helper PID $SERVICE_PID) runs on" alive "$SERVICE_PID"
        finish
fi
kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
SERVICE_PID=

mount_table_unchanged

done_testing
