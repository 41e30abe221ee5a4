#!/usr/bin/env bash
# sandboxctl exec and shell, and sandbox-helper --join: a command in a
# running sandbox is one more of its service's processes (the same
# namespaces, cgroups, user, capabilities, seccomp filter, working
# directory and environment, read from the running helper rather than
# the profile); in a sandbox that does not run, a fresh one from the
# profile. A lock held by something that is not a sandbox's helper is
# never joined. Needs root; everything is under $TMP, but
# /run/sandbox/NAME for this run's own names and a cgroup of its own.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbexec$$
. "$(dirname "$0")/lib.sh"

BACKGROUND=()
CGROUP=
cleanup() {
        local pid
        for pid in "${BACKGROUND[@]}"; do
                kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
        done
        [ -n "$CGROUP" ] && rmdir "$CGROUP" 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER

name svc
SVC=$n
cat >"$PROFILES/$SVC.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup" workdir="/tmp">
    <arg>/bin/sleep</arg><arg>300</arg>
    <env name="PROFILE_VALUE" value="from-the-profile"/>
  </exec>
  <filesystem><etc mode="overlay"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
  <hostname>exec-host</hostname>
  <security><capabilities keep="CAP_NET_BIND_SERVICE"/></security>
</sandbox>
EOF

# ctl ARG...: sandboxctl; status in $rc, output in $TMP/out and $TMP/err
ctl() {
        timeout -k 5 60 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
out() { cat "$TMP/out"; }

# The sandbox runs in a cgroup of this test's, so that joining its
# cgroup is a move the test can see.
UNIFIED=
for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
        [ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ] && UNIFIED=$d && break
done
if [ -n "$UNIFIED" ] && mkdir "$UNIFIED/$PREFIX" 2>/dev/null; then
        CGROUP=$UNIFIED/$PREFIX
fi

# the service's helper in the background, in $CGROUP when there is one
sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 99; shift; exec "$@"' sh "$CGROUP" \
        "$SANDBOXCTL" run --state-root="$STATE" "$SVC" </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
BG=$!
BACKGROUND+=("$BG")

# its helper holds the lock (before that, exec would start a fresh
# sandbox of its own, and take the lock from it)
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$SVC/lock" 2>/dev/null)" = "$BG" ] && break
        kill -0 "$BG" 2>/dev/null || break
        sleep 0.05
done
# ready once a join succeeds (the sandbox is joined only when built)
for ((i = 0; i < 200; i++)); do
        ctl exec "$SVC" -- /bin/true
        [ "$rc" -eq 0 ] && break
        kill -0 "$BG" 2>/dev/null || break
        sleep 0.05
done
check_eq "exec: a command in the running sandbox exits 0" "$rc" 0
if [ "$rc" -ne 0 ]; then
        diag "$(cat "$TMP/err" "$TMP/bg.err")"
        done_testing
fi
INIT=$(cat "/proc/$BG/task/$BG/children")
INIT=${INIT%% *}
SERVICE=$(cat "/proc/$INIT/task/$INIT/children")
SERVICE=${SERVICE%% *}

ctl exec "$SVC" -- cat /proc/1/cmdline
check "exec: /proc/1 is the sandbox's init, the helper with the sandbox's name" \
        grep -qa -- "--name=$SVC" "$TMP/out"

# namespaces, as the kernel names them, inside against the service's
ctl exec "$SVC" -- /bin/sh -c 'for n in mnt pid net uts ipc cgroup; do readlink /proc/self/ns/$n; done'
expected=$(for n in mnt pid net uts ipc cgroup; do readlink "/proc/$SERVICE/ns/$n"; done)
check_eq "exec: the service's mount, PID, network, UTS, IPC and cgroup namespaces" "$(out)" "$expected"

ctl exec "$SVC" -- /bin/sh -c 'grep -E "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
expected=$(grep -E "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" "/proc/$SERVICE/status")
check_eq "exec: the service's user, groups, capabilities, no_new_privs and seccomp" "$(out)" "$expected"

if [ -n "$CGROUP" ]; then
        ctl exec "$SVC" -- /bin/sh -c 'grep "^0::" /proc/self/cgroup; grep "^0::" /proc/1/cgroup'
        check_eq "exec: in the sandbox's cgroup (the root of its cgroup namespace)" "$(out)" "0::/
0::/"
else
        skip "exec: in the sandbox's cgroup" "no cgroup2 hierarchy to make a cgroup in"
fi

SANDBOX_PROBE_CALLER=leak ctl exec "$SVC" -- /bin/sh -c 'pwd; hostname; echo "$PROFILE_VALUE"; echo "${SANDBOX_PROBE_CALLER:-unset}"'
check_eq "exec: the service's working directory, host name and environment, not the caller's" "$(out)" "/tmp
exec-host
from-the-profile
unset"

ctl exec "$SVC" -- /bin/sh -c 'touch /usr/sandbox-exec-probe'
check "exec: the root is the sandbox's, read-only" [ "$rc" -ne 0 ]
check "exec: and the host's /usr has no probe" [ ! -e /usr/sandbox-exec-probe ]

ctl exec "$SVC" -- /bin/sh -c 'exit 7'
check_eq "exec: the exit status is the command's" "$rc" 7
ctl exec "$SVC" -- /bin/sh -c 'kill -TERM $$'
check_eq "exec: a command ended by SIGTERM: 143" "$rc" 143
ctl exec "$SVC" -- no-such-command-here
check_eq "exec: a command not found in the sandbox: 127" "$rc" 127

# signals sent to sandboxctl reach the command
"$SANDBOXCTL" exec "$SVC" -- /bin/sh -c 'trap "echo got-term; exit 3" TERM; touch /tmp/trap-set; while :; do sleep 0.1; done' \
        </dev/null >"$TMP/sig.out" 2>&1 &
sig=$!
BACKGROUND+=("$sig")
for ((i = 0; i < 200; i++)); do
        ctl exec "$SVC" -- test -e /tmp/trap-set
        [ "$rc" -eq 0 ] && break
        sleep 0.05
done
kill -TERM "$sig"
wait "$sig"
check_eq "exec: SIGTERM to sandboxctl reaches the command, whose status it returns" "$? $(cat "$TMP/sig.out")" "3 got-term"

printf 'id -un; echo "$0"\n' | timeout -k 5 60 "$SANDBOXCTL" shell "$SVC" >"$TMP/out" 2>"$TMP/err"
check_eq "shell: /bin/sh as the service's user, reading stdin" "$(out)" "nobody
/bin/sh"

# the commands are gone once they end: the sandbox's PID namespace has
# its init and its service left, as the host sees it
sleep 0.3
ns=$(readlink "/proc/$SERVICE/ns/pid")
left=$(for p in /proc/[0-9]*; do [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"; done | sort -n | tr '\n' ' ')
check_eq "exec: the commands are gone once they end (init and service remain)" "$left" "$(printf '%s\n' "$INIT" "$SERVICE" | sort -n | tr '\n' ' ')"

# usage and errors
ctl exec "$SVC" --debug -- /bin/true
check_eq "exec NAME --debug -- CMD: an option after the name" "$rc" 0
check "... logs the join's steps" grep -q "step find" "$TMP/err"
ctl exec "$SVC" extra
check_eq "exec NAME extra: usage error" "$rc" 2
ctl shell "$SVC" -- /bin/true
check_eq "shell NAME -- CMD: usage error" "$rc" 2
ctl exec
check_eq "exec without a name: usage error" "$rc" 2
ctl exec "../$SVC" -- /bin/true
check_eq "exec with an invalid name: status 1" "$rc" 1
"$HELPER" --join="$SVC" --user=root -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check "helper --join with another option is refused" [ "$rc" -ne 0 ] && grep -q "no option but --debug" "$TMP/err"

# a lock held by something else than a helper is not a sandbox to join
name fake
FAKE=$n
mkdir -p "/run/sandbox/$FAKE"
exec 9>"/run/sandbox/$FAKE/lock"
flock 9
sleep 300 9>&- &
BACKGROUND+=("$!")
echo "$!" >"/run/sandbox/$FAKE/lock"
"$HELPER" --join="$FAKE" -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "join: a lock held by a process that is not the sandbox's helper: refused, 125" "$rc" 125
check "join: and the message says so" grep -q "is not its helper" "$TMP/err"
exec 9>&-

"$HELPER" --join="$PREFIX-none" -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "join: a sandbox that does not run: 125" "$rc" 125
check "join: and the message says it is not running" grep -q "is not running" "$TMP/err"

# stopped: a fresh sandbox of the profile
kill -TERM "$BG"
wait "$BG" 2>/dev/null
ctl exec --state-root="$STATE" "$SVC" -- /bin/sh -c 'hostname; id -un; cat /proc/1/cmdline | tr "\0" " "'
check_eq "exec, not running: status 0" "$rc" 0
check "exec, not running: a fresh sandbox of the profile (host name, user, init)" \
        grep -qx "exec-host" "$TMP/out"
check "exec, not running: its init is a new helper of the sandbox" grep -q -- "--name=$SVC .*-- /bin/sh" "$TMP/out"
ctl exec --state-root="$STATE" "$SVC" -- /bin/true
check_eq "exec, not running: the fresh sandbox is gone after the command (the lock is free again)" "$rc" 0

# a relative --state-root is the working directory's, for run and exec
# as for the verbs that read the state themselves
name rel
cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
EOF
mkdir -p "$TMP/cwd/rel-state"
chmod -R go-rwx "$TMP/cwd"
(cd "$TMP/cwd" && ctl run --state-root=rel-state "$n" -- /bin/sh -c 'echo written >/var/rel' && echo "$rc" >"$TMP/rc")
check_eq "run --state-root=RELATIVE: status 0, the state below the working directory" \
        "$(cat "$TMP/rc"):$(cat "$TMP/cwd/rel-state/$n/var/upper/rel" 2>&1)" "0:written"
(cd "$TMP/cwd" && ctl exec --state-root=./rel-state "$n" -- /bin/cat /var/rel && echo "$rc:$(out)" >"$TMP/rc")
check_eq "exec --state-root=./RELATIVE: the same state" "$(cat "$TMP/rc")" "0:written"

# the sandbox's /etc/passwd is the service's to change: it is never
# read for the user's name (the host's /etc is), so a FIFO there neither
# blocks nor fails the start
name fifo
cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody"><arg>/bin/true</arg></exec>
  <filesystem><etc mode="private"/><var mode="tmpfs"/></filesystem>
</sandbox>
EOF
mkdir -p "$STATE/$n/etc/private"
chmod -R go-rwx "$STATE"
mkfifo "$STATE/$n/etc/private/passwd"
ctl run --state-root="$STATE" "$n"
check_eq "a FIFO as the sandbox's /etc/passwd: not read, not waited on (0)" "$rc" 0

done_testing
