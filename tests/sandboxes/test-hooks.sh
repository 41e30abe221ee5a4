#!/usr/bin/env bash
# The unit's other commands in the sandbox: <exec-start-pre> runs in it
# before the service, one after the other, each to its end, and a
# failure stops the start; a command joined with --unit-command (the
# drop-in's ExecReload=, ExecStop=, ExecStartPost=) reaches the service
# as $MAINPID, and has the service's capabilities, seccomp filter, user
# and cgroup, no more. Needs root; everything is under $TMP, but
# /run/sandbox/NAME for this run's own names and a cgroup of its own.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbhook$$
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

if ! command -v cc >/dev/null; then
        echo "1..0 # SKIP no C compiler (cc) to build the probe"
        exit 0
fi
PROFILES=$TMP/profiles
BIN=$TMP/bin
mkdir -p "$PROFILES" "$BIN"
chmod 0755 "$BIN"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
# a call the default filter refuses: a user namespace of one's own
cc -O1 -I"$SOURCE_ROOT/tests/escape" -o "$BIN/userns" "$SOURCE_ROOT/tests/escape/userns.c" || {
        echo "1..0 # SKIP the probe does not build"
        exit 0
}

ctl() {
        timeout -k 5 60 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
out() { cat "$TMP/out"; }
# join NAME ARG...: the drop-in's way, as ExecReload= calls it
join() {
        local n=$1
        shift
        timeout -k 5 60 "$HELPER" --join="$n" --unit-command -- "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}

# The service counts the SIGHUPs it gets, and says what it found of the
# pre-start commands; those write into its /tmp, one after the other.
name svc
SVC=$n
cat >"$PROFILES/$SVC.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup" workdir="/tmp">
    <arg>/bin/sh</arg><arg>-c</arg>
    <arg>n=0; cat /tmp/pre >/tmp/seen; trap 'n=\$((n+1)); echo \$n >/tmp/hups' HUP; while :; do sleep 0.05; done</arg>
  </exec>
  <exec-start-pre><arg>/bin/sh</arg><arg>-c</arg><arg>sleep 0.2; echo "one \$(id -un)" >/tmp/pre</arg></exec-start-pre>
  <exec-start-pre ignore-failure="yes"><arg>/bin/false</arg></exec-start-pre>
  <exec-start-pre><arg>/bin/sh</arg><arg>-c</arg><arg>echo two >>/tmp/pre; grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status >/tmp/pre-status; { head -c1 /proc/\$PPID/maps >/dev/null 2>&amp;1 &amp;&amp; echo readable || echo refused; } >/tmp/pre-parent</arg></exec-start-pre>
  <exec-reload><arg>/bin/kill</arg><arg>-HUP</arg><arg>\$MAINPID</arg></exec-reload>
  <filesystem>
    <etc mode="host"/><var mode="tmpfs"/>
    <bind source="$BIN" target="/mnt" readonly="yes"/>
  </filesystem>
  <network mode="none"/>
  <security><capabilities keep="CAP_NET_BIND_SERVICE"/></security>
</sandbox>
EOF

UNIFIED=
for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
        [ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ] && UNIFIED=$d && break
done
if [ -n "$UNIFIED" ] && mkdir "$UNIFIED/$PREFIX" 2>/dev/null; then
        CGROUP=$UNIFIED/$PREFIX
fi

ctl validate "$PROFILES/$SVC.xml"
check_eq "validate: a profile with pre-start, ignored and reload commands" "$rc" 0

sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 99; shift; exec "$@"' sh "$CGROUP" \
        "$SANDBOXCTL" run --state-root="$STATE" "$SVC" </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
BG=$!
BACKGROUND+=("$BG")
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$SVC/lock" 2>/dev/null)" = "$BG" ] && break
        kill -0 "$BG" 2>/dev/null || break
        sleep 0.05
done
# joined only once the service has executed: after every pre-start command
for ((i = 0; i < 200; i++)); do
        join "$SVC" test -e /tmp/seen
        [ "$rc" -eq 0 ] && break
        kill -0 "$BG" 2>/dev/null || break
        sleep 0.05
done
check_eq "the service runs after its pre-start commands" "$rc" 0
if [ "$rc" -ne 0 ]; then
        diag "$(cat "$TMP/err" "$TMP/bg.err")"
        done_testing
        exit
fi
INIT=$(cat "/proc/$BG/task/$BG/children")
INIT=${INIT%% *}
SERVICE=$(cat "/proc/$INIT/task/$INIT/children")
SERVICE=${SERVICE%% *}

join "$SVC" cat /tmp/seen
check_eq "pre-start: in order, each to its end, as the service's user, before the service; a failure ignored with ignore-failure" \
        "$(out)" "one nobody
two"
expected=$(grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" "/proc/$SERVICE/status")
join "$SVC" cat /tmp/pre-status
check_eq "pre-start: the service's capabilities, no_new_privs and seccomp filter" "$(out)" "$expected"

join "$SVC" cat /tmp/pre-parent
check_eq "pre-start: its parent, whose memory is process 1's, cannot be read through /proc" "$(out)" refused

# $MAINPID: the service's PID in the sandbox
inner=$(awk '/^NSpid:/ { print $NF }' "/proc/$SERVICE/status")
join "$SVC" /bin/sh -c 'echo "$MAINPID"'
check_eq "join: MAINPID in the environment is the service's PID in the sandbox" "$(out)" "$inner"
join "$SVC" /bin/echo '$MAINPID' 'pid=${MAINPID}' '$MAINPIDX' '$$MAINPID'
check_eq "join: \$MAINPID alone and \${MAINPID} anywhere are expanded, nothing else" "$(out)" \
        "$inner pid=$inner \$MAINPIDX \$\$MAINPID"

# one at a time: two signals pending at once are one
timeout -k 5 60 "$HELPER" --join="$SVC" -- /bin/echo '$MAINPID' </dev/null >"$TMP/out" 2>"$TMP/err"
check_eq "join without --unit-command (sandboxctl exec): the words are left as they are" "$(out)" '$MAINPID'

for k in 1 2; do
        join "$SVC" /bin/kill -HUP '$MAINPID'
        check_eq "reload $k: kill -HUP \$MAINPID exits 0" "$rc" 0
        for ((i = 0; i < 100; i++)); do
                [ "$("$HELPER" --join="$SVC" -- cat /tmp/hups 2>/dev/null </dev/null)" = "$k" ] && break
                sleep 0.05
        done
done
join "$SVC" cat /tmp/hups
check_eq "reload: both SIGHUPs reached the service" "$(out)" 2
check "reload: the service still runs" kill -0 "$SERVICE"

# the joined command's confinement against the service's, from outside
join "$SVC" /bin/sh -c 'grep -E "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
expected=$(grep -E "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" "/proc/$SERVICE/status")
check_eq "joined: the service's user, groups, capabilities, no_new_privs and seccomp" "$(out)" "$expected"
check "joined: a seccomp filter (Seccomp: 2)" grep -q "^Seccomp:.*2" <<<"$expected"
join "$SVC" /mnt/userns
check_eq "joined: unshare(CLONE_NEWUSER) is refused, EPERM" "$(grep '^unshare-user' "$TMP/out")" "unshare-user EPERM"
label_in=$(timeout 10 "$HELPER" --join="$SVC" -- cat /proc/self/attr/current 2>/dev/null </dev/null | tr -d '\0')
label_svc=$(tr -d '\0' <"/proc/$SERVICE/attr/current" 2>/dev/null)
check_eq "joined: the service's LSM label" "$label_in" "$label_svc"
if [ -n "$CGROUP" ]; then
        join "$SVC" /bin/sh -c 'grep "^0::" /proc/self/cgroup'
        check_eq "joined: in the sandbox's cgroup" "$(out)" "0::/"
        check "joined: which is the service's, seen from the host" \
                [ "$(grep '^0::' "/proc/$SERVICE/cgroup")" = "0::/$PREFIX" ]
else
        skip "joined: in the sandbox's cgroup" "no cgroup2 hierarchy to make a cgroup in"
fi

# a word that is only $MAINPID, when the PID is unknown, is no word:
# here the PID is known, so the command keeps every word
join "$SVC" '$MAINPID'
check_eq "join: a command that is \$MAINPID alone: executed as the PID, not found (127)" "$rc" 127

# a stop command that ends the service: the sandbox's end kills it, and
# as one of the unit's commands it has done what it was for
join "$SVC" /bin/sh -c 'kill -TERM "$MAINPID"; sleep 10'
check_eq "stop: a unit's command killed as the sandbox ends under it: 0" "$rc" 0
check "... and the join says so" grep -q "ended while the command ran" "$TMP/err"
wait "$BG"
check_eq "... the sandbox ended with the service's status (SIGTERM)" "$?" 143
BACKGROUND=()

# a forking service: once its first process has ended, $MAINPID is the
# daemon it left, which process 1 adopted
name fork
FORK=$n
cat >"$PROFILES/$FORK.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>/bin/sleep 300 &amp; exit 0</arg></exec>
  <service type="forking"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
"$SANDBOXCTL" run --state-root="$STATE" "$FORK" </dev/null >"$TMP/fork.out" 2>&1 &
BG=$!
BACKGROUND+=("$BG")
for ((i = 0; i < 200; i++)); do
        join "$FORK" /bin/sh -c 'tr "\0" " " </proc/$MAINPID/cmdline'
        [ "$rc" -eq 0 ] && [ "$(out)" = "/bin/sleep 300 " ] && break
        kill -0 "$BG" 2>/dev/null || break
        sleep 0.05
done
check_eq "forking: \$MAINPID is the daemon the first process left" "$(out)" "/bin/sleep 300 "
join "$FORK" /bin/kill -TERM '$MAINPID'
check_eq "forking: kill -TERM \$MAINPID exits 0" "$rc" 0
wait "$BG"
check_eq "forking: the sandbox ended with its daemon (SIGTERM)" "$?" 143
BACKGROUND=()

# a pre-start command that leaves a process running, which process 1
# adopts: a join meanwhile waits for the service itself, and its
# $MAINPID is the service's, not that process's
name orphan
ORPHAN=$n
cat >"$PROFILES/$ORPHAN.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>300</arg></exec>
  <exec-start-pre><arg>/bin/sh</arg><arg>-c</arg><arg>(/bin/sleep 301 &amp;); sleep 2; echo done >/tmp/pre-done</arg></exec-start-pre>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
"$SANDBOXCTL" run --state-root="$STATE" "$ORPHAN" </dev/null >"$TMP/orphan.out" 2>&1 &
BG=$!
BACKGROUND+=("$BG")
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$ORPHAN/lock" 2>/dev/null)" = "$BG" ] && break
        sleep 0.05
done
join "$ORPHAN" /bin/sh -c 'cat /tmp/pre-done; tr "\0" " " </proc/$MAINPID/cmdline'
check_eq "a join while a pre-start command runs waits for the service; \$MAINPID is the service, not what the command left" \
        "$rc $(out)" "0 done
/bin/sleep 300 "
kill "$BG" 2>/dev/null
wait "$BG" 2>/dev/null
BACKGROUND=()

# a pre-start command that fails: the service never runs, and the
# helper's status is the command's
name fail
FAIL=$n
cat >"$PROFILES/$FAIL.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo service-ran</arg></exec>
  <exec-start-pre><arg>/bin/sh</arg><arg>-c</arg><arg>echo pre-ran; { head -c1 /proc/\$PPID/maps >/dev/null 2>&amp;1 &amp;&amp; echo parent-readable || echo parent-refused; }; exit 3</arg></exec-start-pre>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
ctl run --state-root="$STATE" "$FAIL"
check_eq "pre-start fails: the start fails with the command's status" "$rc" 3
check "... the command ran" grep -q pre-ran "$TMP/out"
check "... as root, it could not read its parent, whose memory is process 1's" grep -q parent-refused "$TMP/out"
check "... the service did not" bash -c "! grep -q service-ran '$TMP/out'"
check "... and the message names the command" grep -q "exec-start-pre /bin/sh: exited with status 3" "$TMP/err"

# a pre-start command that is not there
sed -i 's|<arg>/bin/sh</arg><arg>-c</arg><arg>echo pre-ran;.*exit 3</arg>|<arg>/no/such/command</arg>|' "$PROFILES/$FAIL.xml"
ctl run --state-root="$STATE" "$FAIL"
check_eq "pre-start command not found: 127, the service not run" "$rc $(grep -c service-ran "$TMP/out")" "127 0"

# the unit's UMask= (the helper's umask) holds for a pre-start command
# as for the service
name umask
UMASK=$n
cat >"$PROFILES/$UMASK.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo "service \$(umask)"</arg></exec>
  <exec-start-pre><arg>/bin/sh</arg><arg>-c</arg><arg>echo "pre \$(umask)"</arg></exec-start-pre>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
(umask 0077; ctl run --state-root="$STATE" "$UMASK"; exit "$rc")
check_eq "umask 0077: the pre-start command and the service both run with it" "$? $(out)" "0 pre 0077
service 0077"

# the helper refuses a malformed one before building anything
"$HELPER" --name="$PREFIX-bad" --exec-start-pre=relative -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check "helper: --exec-start-pre with a relative command is refused" [ "$rc" -ne 0 ] && grep -q "exec-start-pre=relative" "$TMP/err"
"$HELPER" --name="$PREFIX-bad" --unit-command -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check "helper: --unit-command without --join is refused" [ "$rc" -ne 0 ] && grep -q "only with --join" "$TMP/err"

done_testing
