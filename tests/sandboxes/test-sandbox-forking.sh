#!/usr/bin/env bash
# --forking: a command that forks its daemon and exits 0 leaves the
# sandbox running as long as the daemon does; signals reach every
# process, the last one's end is the helper's status, a failing command
# fails at once, and READY=1 reaches NOTIFY_SOCKET (a path or an
# abstract name) only once the command has exited 0. Needs root;
# everything it writes is under $TMP; /run/systemd, where the helper
# alone sends notifications to, is one of $TMP's in a mount namespace of
# the test's own.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbfork$$
. "$(dirname "$0")/lib.sh"
LISTENERS=()

cleanup() {
        local p
        kill_bg_helpers
        for p in "${LISTENERS[@]}"; do
                [ "$(ident "${p%:*}")" = "$p" ] && kill -KILL "${p%:*}" 2>/dev/null
        done
        remove_sandbox_dirs
}
trap cleanup EXIT

command -v python3 >/dev/null || { echo "1..0 # SKIP no python3 for the notification socket"; exit 0; }
private_run_systemd "$TMP/run-systemd" || { echo "1..0 # SKIP cannot bind a directory of the test's at /run/systemd"; exit 0; }

# The "systemd" end of NOTIFY_SOCKET: each datagram becomes a line of
# OUT, followed by "after" when the file MARKER (which the command makes
# just before it exits 0) was there when it came, "before" otherwise.
cat >"$TMP/listen.py" <<'PY'
import os, socket, sys
address, out, marker = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + address[1:] if address.startswith("@") else address)
open(out + ".bound", "w").close()
s.settimeout(60)
while True:
    try:
        m = s.recv(4096)
    except socket.timeout:
        break
    with open(out, "a") as f:
        f.write("%s %s\n" % (m.decode(errors="replace"), "after" if os.path.exists(marker) else "before"))
PY

# listen ADDRESS OUT MARKER: starts the listener and waits until it is bound
listen() {
        python3 "$TMP/listen.py" "$@" &
        LISTENERS+=("$(ident $!)")
        wait_for "$2.bound" 10
}

# in_sandbox PID: the PIDs of PID's descendants, its child being the
# sandbox's PID 1 (so neither it nor PID 1 is listed)
in_sandbox() {
        local init
        init=$(pgrep -P "$1") || return 0
        pgrep --ns "$init" --nslist pid | grep -vx "$init"
}

# alive IDENT: the process ident() named still runs (not as a zombie)
alive() {
        local s
        [ "$(ident "${1%:*}")" = "$1" ] || return 1
        s=$(cat "/proc/${1%:*}/stat" 2>/dev/null) || return 1
        s=${s##*) }
        [ "${s%% *}" != Z ]
}

# ---------------------------------------------------------------------------
# the daemon outlives its starting command; SIGTERM ends them all

mkdir -p "$TMP/daemon"
name daemon
sb_bg "$n" --forking --bind="$TMP/daemon":/srv -- /bin/sh -c '/bin/sleep 300 & echo $! >/srv/pid; exit 0'
h=$bg
wait_for "$TMP/daemon/pid" 20
sleep 0.5
procs=$(in_sandbox "$h")
daemon=
for p in $procs; do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] && daemon=$(ident "$p")
done
check "daemon: the helper still runs after its command exited 0" alive "$(ident "$h")"
check_eq "daemon: the sleep is the only process left in the sandbox but PID 1" "$(wc -w <<<"$procs"):${daemon:+sleep}" 1:sleep
if [ -n "$daemon" ]; then
        check_eq "daemon: it is PID $(cat "$TMP/daemon/pid") of the sandbox's PID namespace" \
                "$(awk '$1 == "NSpid:" { print $3 }' "/proc/${daemon%:*}/status")" "$(cat "$TMP/daemon/pid")"
else
        not_ok "daemon: it is PID $(cat "$TMP/daemon/pid" 2>/dev/null) of the sandbox's PID namespace"
        diag "$(cat "$TMP/$n.err")"
fi
kill -TERM "$h"
reap "$h" 20
check_eq "daemon: SIGTERM to the helper ends it with the status of the daemon's end (143)" "$rc" 143
if [ -n "$daemon" ] && ! alive "$daemon"; then
        ok "daemon: the sleep is gone"
else
        not_ok "daemon: the sleep is gone"
fi

# ---------------------------------------------------------------------------
# the status is the last process's

name crash
sb "$n" --forking -- /bin/sh -c '/bin/sh -c "/bin/sleep 0.3; kill -SEGV \$\$" & exit 0'
check_eq "crash: a daemon killed by SIGSEGV after its command exited 0 gives 139" "$rc" 139

name clean
sb "$n" --forking -- /bin/sh -c '/bin/sh -c "/bin/sleep 0.3; exit 0" & exit 0'
check_eq "clean: a daemon that exits 0 on its own gives 0" "$rc" 0

name last
sb "$n" --forking -- /bin/sh -c '/bin/sh -c "exit 3" & /bin/sh -c "/bin/sleep 0.5; exit 5" & exit 0'
check_eq "last: of two daemon processes, the one that ends last gives the status (5)" "$rc" 5

name nothing
sb "$n" --forking -- /bin/true
check_eq "nothing: a command that exits 0 and leaves nothing behind gives 0" "$rc" 0

# ---------------------------------------------------------------------------
# a command that fails ends the sandbox at once, daemon or not

mkdir -p "$TMP/fail"
listen /run/systemd/fail-notify "$TMP/fail/got" "$TMP/fail/none"
name fail
# a duration of this run's own, to find the sleep by
long=$((300 + $$ % 1000))
t0=$(date +%s%N)
NOTIFY_SOCKET=/run/systemd/fail-notify sb "$n" --forking -- /bin/sh -c "/bin/sleep $long & exit 1"
t1=$(date +%s%N)
check_eq "fail: a command that exits 1 gives 1" "$rc" 1
check "fail: at once, without waiting for what it started ($(((t1 - t0) / 1000000)) ms)" [ $(((t1 - t0) / 1000000)) -lt 10000 ]
check "fail: the sleep it started is gone" [ -z "$(pgrep -xf "/bin/sleep $long")" ]
name killed
NOTIFY_SOCKET=/run/systemd/fail-notify sb "$n" --forking -- /bin/sh -c 'kill -KILL $$'
check_eq "fail: a command killed by SIGKILL gives 137" "$rc" 137
sleep 0.2
check "fail: no READY=1 was sent for either" [ ! -s "$TMP/fail/got" ]

# ---------------------------------------------------------------------------
# READY=1, after the command's exit 0

# notify_case LABEL ADDRESS OPTIONS...: a daemon whose command takes
# half a second, then makes the marker and exits 0, with NOTIFY_SOCKET
# at ADDRESS
notify_case() {
        local label=$1 address=$2
        shift 2
        mkdir -p "$TMP/$label"
        listen "$address" "$TMP/$label/got" "$TMP/$label/exited"
        name "$label"
        NOTIFY_SOCKET=$address sb "$n" --forking --bind="$TMP/$label":/srv "$@" -- \
                /bin/sh -c '/bin/sleep 1 & /bin/sleep 0.5; echo >/srv/exited; exit 0'
        check_eq "$label: the sandbox ends with its daemon (0)" "$rc" 0
        check_eq "$label: READY=1 reached $address once, after the command exited" \
                "$(cat "$TMP/$label/got" 2>/dev/null)" "READY=1 after"
}
notify_case notify-path /run/systemd/notify-path.sock
notify_case notify-abstract "@$PREFIX-notify" --network=private

mkdir -p "$TMP/plain"
listen /run/systemd/plain-notify "$TMP/plain/got" "$TMP/plain/none"
name plain
NOTIFY_SOCKET=/run/systemd/plain-notify sb "$n" -- /bin/true
sleep 0.2
check_eq "plain: without --forking the helper sends nothing itself" "$rc:$(cat "$TMP/plain/got" 2>/dev/null)" 0:

# ---------------------------------------------------------------------------
# --ready-on-exec (simple and exec profiles): READY=1 from the helper once
# the service has been executed, never when the sandbox or the execution
# failed

# ready_case LABEL RC GOT OPTIONS... -- COMMAND...: the helper's status
# is RC and what reached NOTIFY_SOCKET is GOT
ready_case() {
        local label=$1 want_rc=$2 want_got=$3
        shift 3
        mkdir -p "$TMP/$label"
        listen "/run/systemd/$label-notify" "$TMP/$label/got" "$TMP/$label/none"
        name "$label"
        NOTIFY_SOCKET=/run/systemd/$label-notify sb "$n" --ready-on-exec "$@"
        sleep 0.2
        local times=never
        [ -n "$want_got" ] && times=once
        check_eq "$label: the helper exits $want_rc, and READY=1 reached NOTIFY_SOCKET $times" \
                "$rc:$(cat "$TMP/$label/got" 2>/dev/null)" "$want_rc:$want_got"
}
ready_case ready-exec 0 "READY=1 before" -- /bin/true
ready_case ready-enoent 127 "" -- /nonexistent/command
check "ready-enoent: the helper says why" grep -q 'execute /nonexistent/command: No such file or directory' "$TMP/err"
ready_case ready-noexec 126 "" -- /etc/hostname
ready_case ready-workdir 125 "" --workdir=/nonexistent -- /bin/true
ready_case ready-bind 125 "" --bind="$TMP/nonexistent":/srv -- /bin/true
name both
sb "$n" --ready-on-exec --forking -- /bin/true
check_eq "--ready-on-exec with --forking: refused, one readiness or the other" \
        "$rc:$(grep -c -- '--forking and --ready-on-exec' "$TMP/err")" 1:1

name bad-socket
NOTIFY_SOCKET=relative sb "$n" --forking -- /bin/true
check_eq "bad NOTIFY_SOCKET: refused before anything is built (125)" "$rc" 125
check "bad NOTIFY_SOCKET: the message says what is wrong" grep -q "NOTIFY_SOCKET=relative is not systemd's notification socket" "$TMP/err"

# ---------------------------------------------------------------------------
# --dry-run

"$HELPER" --name=plan --forking --dry-run -- /bin/true >"$TMP/out" 2>"$TMP/err"
check "dry-run: the plan's init step says what --forking does" grep -q 'init .*once the command exits 0, READY=1' "$TMP/out"

done_testing
