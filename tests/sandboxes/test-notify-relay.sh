#!/usr/bin/env bash
# The service speaks to systemd only through the helper, and nothing
# from the environment decides a mount (issue "Trust nothing the
# service, a profile's environment or a unit file controls", findings 1
# and 2), under the real helper as root, without systemd:
#
# - validate refuses a profile's <env> that sets what systemd and the
#   sandbox give a meaning to, with the line;
# - a NOTIFY_SOCKET that is not a socket below /run/systemd/ (a host
#   directory, a symbolic link to a socket, a file, a socket elsewhere,
#   a socket or directory of another user's,
#   a path with "..") refuses the start: nothing runs, nothing is mounted;
# - with a socket of the test's own at /run/systemd/notify (in the test's
#   mount namespace), the relay passes on READY=1, STATUS=, WATCHDOG=1,
#   STOPPING=1 and a barrier, each message sent by the helper itself
#   (SCM_CREDENTIALS), and drops MAINPID=, NOTIFYACCESS=, the file
#   descriptor store (unless --fd-store) and a message from outside the
#   sandbox; the watchdog's PID is the service's own; a joined command
#   has no NOTIFY_SOCKET.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

if ! private_run_systemd "$TMP/run-systemd"; then
        echo "1..0 # SKIP cannot bind a directory of the test's at /run/systemd"
        exit 0
fi
# the test's own mount, not the sandboxes'
mount_table >"$TMP/mounts.before"
LISTENERS=()
HELPER_PID=
stop_started() {
        local p
        for p in "${LISTENERS[@]}"; do
                kill "$p" 2>/dev/null
        done
        if [ -n "$HELPER_PID" ] && grep -q sandbox-helper "/proc/$HELPER_PID/cmdline" 2>/dev/null; then
                kill -KILL "$HELPER_PID"
        fi
}
trap 'stop_started; remove_sandbox_rundir "$NAME-pre"; cleanup' EXIT

# --- validate: the names systemd and the sandbox set ---

mkdir -p "$TMP/profiles"
for var in NOTIFY_SOCKET LISTEN_FDS LISTEN_PID LISTEN_FDNAMES MAINPID MANAGERPID WATCHDOG_PID WATCHDOG_USEC \
           SANDBOX_DEBUG SANDBOX_PROFILE_PATH CREDENTIALS_DIRECTORY INVOCATION_ID JOURNAL_STREAM SYSTEMD_EXEC_PID \
           RUNTIME_DIRECTORY STATE_DIRECTORY CACHE_DIRECTORY LOGS_DIRECTORY CONFIGURATION_DIRECTORY \
           MEMORY_PRESSURE_WATCH MEMORY_PRESSURE_WRITE TRIGGER_UNIT MONITOR_UNIT FDSTORE; do
        f=$TMP/profiles/env-$var.xml
        cat >"$f" <<XML
<?xml version="1.0"?>
<sandbox>
  <exec>
    <arg>/bin/true</arg>
    <env name="$var" value="/etc"/>
  </exec>
</sandbox>
XML
        rc=0
        SANDBOX_PROFILE_PATH= "$SANDBOXCTL" validate -- "$f" >"$TMP/out" 2>"$TMP/err" || rc=$?
        check_eq "validate: <env name=\"$var\"> is refused, with its line" "$rc:$(cat "$TMP/err")" \
                "1:$f:5: <env>: $var is set by systemd and the sandbox, not by a profile"
done
# a name that only contains one is the profile's to set
sed 's/name="FDSTORE"/name="MY_NOTIFY_SOCKET"/' "$TMP/profiles/env-FDSTORE.xml" >"$TMP/profiles/env-own.xml"
rc=0
SANDBOX_PROFILE_PATH= "$SANDBOXCTL" validate -- "$TMP/profiles/env-own.xml" >"$TMP/out" 2>"$TMP/err" || rc=$?
check_eq "validate: <env name=\"MY_NOTIFY_SOCKET\"> is the profile's own" "$rc" 0
# $PIDFILE only tells a service where its PID file is (haproxy's unit sets
# it for its own command line); neither systemd nor the helper reads it
sed 's/name="FDSTORE"/name="PIDFILE"/' "$TMP/profiles/env-FDSTORE.xml" >"$TMP/profiles/env-pidfile.xml"
rc=0
SANDBOX_PROFILE_PATH= "$SANDBOXCTL" validate -- "$TMP/profiles/env-pidfile.xml" >"$TMP/out" 2>"$TMP/err" || rc=$?
check_eq "validate: <env name=\"PIDFILE\"> is the profile's own" "$rc" 0
# sandboxctl run refuses it before any helper runs
rc=0
SANDBOX_PROFILE_PATH= timeout 60 "$SANDBOXCTL" run -- "$TMP/profiles/env-NOTIFY_SOCKET.xml" >"$TMP/out" 2>"$TMP/err" || rc=$?
check "run: a profile with <env name=\"NOTIFY_SOCKET\"> does not start ($rc)" \
        grep -q 'NOTIFY_SOCKET is set by systemd and the sandbox, not by a profile' "$TMP/err"

# <service fd-store="N">: FileDescriptorStoreMax=N and --fd-store
for v in 0 1025 x; do
        sed "s|</exec>|</exec>\n  <service type=\"notify\" fd-store=\"$v\"/>|" "$TMP/profiles/env-own.xml" >"$TMP/profiles/store-$v.xml"
        rc=0
        SANDBOX_PROFILE_PATH= "$SANDBOXCTL" validate -- "$TMP/profiles/store-$v.xml" >"$TMP/out" 2>"$TMP/err" || rc=$?
        check_eq "validate: fd-store=\"$v\" is refused, with its line" "$rc:$(cat "$TMP/err")" \
                "1:$TMP/profiles/store-$v.xml:7: <service>: fd-store \"$v\" is not a number of file descriptors; allowed: 1 to 1024"
done
sed 's|</exec>|</exec>\n  <service type="notify" fd-store="4"/>|' "$TMP/profiles/env-own.xml" >"$TMP/profiles/store.xml"
SANDBOX_PROFILE_PATH= "$SANDBOXCTL" show -- "$TMP/profiles/store.xml" >"$TMP/out" 2>"$TMP/err"
check "show: fd-store=\"4\" is FileDescriptorStoreMax=4" grep -qx 'FileDescriptorStoreMax=4' "$TMP/out"
check "show: and the helper's --fd-store" grep -q '^ExecStart=.* --fd-store -- ' "$TMP/out"

# --- NOTIFY_SOCKET: anything but systemd's socket refuses the start ---

# listen PATH OUT: a stand-in for systemd's socket at PATH, its report in
# OUT; waits until it is bound
listen() {
        "$BIN/notify-listen" "$1" >"$2" &
        LISTENERS+=($!)
        for _ in $(seq 100); do [ -S "$1" ] && return; sleep 0.05; done
}
listen /run/systemd/notify "$TMP/recv"
listen "$TMP/elsewhere.sock" "$TMP/recv-elsewhere"
listen /run/systemd/theirs "$TMP/recv-theirs"
chown 65534 /run/systemd/theirs
mkdir -m 0755 /run/systemd/their-dir && chown 65534 /run/systemd/their-dir
listen /run/systemd/their-dir/notify "$TMP/recv-their-dir"
ln -s notify /run/systemd/link
ln -s "$TMP/elsewhere.sock" /run/systemd/link-out
: >/run/systemd/file
mkdir /run/systemd/dir

ESCAPE=/etc/notify-escape-$TOKEN
refused() {
        local value=$1 why=$2
        begin "NOTIFY_SOCKET=$value ($why): the start is refused, nothing runs in the sandbox"
        NOTIFY_SOCKET=$value run_helper /bin/sh -c "echo ran; touch $ESCAPE $value/escape-$TOKEN"
        EXPECT_RC=125
        host "the command did not run" [ ! -s "$TMP/out" ]
        host "the helper says why, naming NOTIFY_SOCKET" grep -q "NOTIFY_SOCKET=.*refusing to start" "$TMP/err"
        host "$ESCAPE is not there" absent "$ESCAPE"
        host "/run/sandbox/$NAME/root is mounted nowhere" \
                eval "! grep -q ' /run/sandbox/$NAME/root' /proc/self/mountinfo"
        finish
}
refused /etc "a host directory"
refused /run/systemd/link "a symbolic link to the socket"
refused /run/systemd/link-out "a symbolic link to a socket elsewhere"
refused /run/systemd/file "a regular file"
refused /run/systemd/dir "a directory"
refused "$TMP/elsewhere.sock" "a socket outside /run/systemd"
refused /run/systemd/theirs "a socket of another user's"
refused /run/systemd/their-dir/notify "a socket in a directory of another user's"
refused /run/systemd/../../etc "not normalised"
refused run/systemd/notify "relative"
check_eq "/etc on the host is unchanged: no $ESCAPE" "$(ls -d "$ESCAPE" 2>&1 >/dev/null | grep -c 'No such')" 1
check "nothing reached the socket elsewhere" [ ! -s "$TMP/recv-elsewhere" ]
check "nothing reached the other user's sockets" [ ! -s "$TMP/recv-theirs" ] && [ ! -s "$TMP/recv-their-dir" ]

# --- the relay ---

# the service's process, as the host sees it: process 1's child
service_pid() {
        local init
        init=$(awk '{ print $1 }' "/proc/$HELPER_PID/task/$HELPER_PID/children" 2>/dev/null)
        [ -n "$init" ] && awk '{ print $1 }' "/proc/$init/task/$init/children" 2>/dev/null
}

# with the helper's PID as WATCHDOG_PID, as systemd sets it
WATCHDOG_PID=self WATCHDOG_USEC=30000000 NOTIFY_SOCKET=/run/systemd/notify \
        sh -c 'export WATCHDOG_PID=$$; exec "$@"' sh \
        "$HELPER" --name="$NAME" --state-root="$STATE" -- "${SHIP[@]}" \
        'READY=1\nMAINPID=1\nSTATUS=up' '+fd:FDSTORE=1\nFDNAME=kept\nSTATUS=store' +barrier 'WATCHDOG=1' \
        'NOTIFYACCESS=all' 'MAINPID=1' $'STATUS=\e]0;title\a\e[2Jescape' +sleep:1500 'STATUS=late' 'STOPPING=1' \
        +sleep:300 \
        <"$BIN/notify-send" >"$TMP/out" 2>"$TMP/err" &
HELPER_PID=$!
for _ in $(seq 100); do grep -q 'READY=1' "$TMP/recv" && break; sleep 0.05; done
svc=$(service_pid)
# a host process (root) writes into the sandbox's socket: not the sandbox's
if [ -n "$svc" ]; then
        "$BIN/notify-send" --to="/proc/$svc/root/run/systemd/notify" 'STATUS=from-host' >"$TMP/host-send"
        "$HELPER" --join="$NAME" -- /bin/sh -c 'echo "joined ${NOTIFY_SOCKET:-unset}"' >"$TMP/join" 2>&1
        caps=$(for t in /proc/"$HELPER_PID"/task/*; do awk '$1 == "CapEff:" { print $2 }' "$t/status"; done | sort | tr '\n' ' ')
fi
wait "$HELPER_PID"
RC=$?
helper=$HELPER_PID
HELPER_PID=
"$BIN/notify-send" --to=/run/systemd/notify END >/dev/null
wait "${LISTENERS[0]}"

begin "relay: the service is given the sandbox's socket and its own watchdog PID"
want env /run/systemd/notify
want watchdog-pid self
want watchdog-usec 30000000
want 'send-*' ok
want barrier ok
finish
check_eq "relay: every message reached the socket from the helper ($helper), as root" \
        "$(awk '{ print $2, $3 }' "$TMP/recv" | sort -u)" "$helper 0"
check "relay: READY=1 and STATUS=, without MAINPID=" grep -qx "msg $helper 0 0 READY=1|STATUS=up" "$TMP/recv"
check "relay: no MAINPID= at all" eval "! grep -q MAINPID '$TMP/recv'"
check "relay: the file descriptor store is dropped (no --fd-store), descriptor and all; STATUS= goes on" \
        grep -qx "msg $helper 0 0 STATUS=store" "$TMP/recv"
check "relay: no FDSTORE= or FDNAME= at all" eval "! grep -q FD '$TMP/recv'"
check "relay: the barrier goes on, with its pipe" grep -qx "msg $helper 0 1 BARRIER=1" "$TMP/recv"
check "relay: WATCHDOG=1" grep -qx "msg $helper 0 0 WATCHDOG=1" "$TMP/recv"
check "relay: NOTIFYACCESS= is dropped" eval "! grep -q NOTIFYACCESS '$TMP/recv'"
check "relay: a STATUS= with terminal escapes is dropped" eval "! grep -q escape '$TMP/recv'"
check "relay: STATUS= after it goes on" grep -qx "msg $helper 0 0 STATUS=late" "$TMP/recv"
check "relay: STOPPING=1 went on" \
        grep -qx "msg $helper 0 0 STOPPING=1" "$TMP/recv"
if [ -n "$svc" ]; then
        check_eq "relay: the host wrote into the sandbox's socket" "$(grep send-1 "$TMP/host-send")" "send-1 ok"
        check "relay: a message written into the socket from the host is dropped" \
                eval "! grep -q from-host '$TMP/recv'"
        check_eq "join: a joined command has no NOTIFY_SOCKET" "$(cat "$TMP/join")" "joined unset"
        check_eq "relay: the helper's relaying thread holds no capability, its waiting one CAP_KILL only" \
                "$caps" "0000000000000000 0000000000000020 "
else
        not_ok "relay: the service's process was found to write into its socket from the host"
fi
check "relay: the helper warned once about MAINPID=" [ "$(grep -c 'MAINPID=' "$TMP/err")" -eq 1 ]

# a WATCHDOG_PID that is not the helper's is nobody's in the sandbox
begin "relay: a WATCHDOG_PID not the helper's is unset for the service, and WATCHDOG_USEC with it"
WATCHDOG_PID=1 WATCHDOG_USEC=30000000 NOTIFY_SOCKET=/run/systemd/notify in_sandbox notify-send
want watchdog-pid unset
want watchdog-usec unset
finish

# --- a flood: the relay waits, and so does the sender; the rest goes on ---

listen /run/systemd/notify-flood "$TMP/recv-flood"
begin "relay: a service that sends 600 messages at once is slowed down, not dropped, and READY=1 after them goes on"
NOTIFY_SOCKET=/run/systemd/notify-flood in_sandbox notify-send '+repeat:600:STATUS=flood' 'READY=1' +sleep:300
want 'send-*' ok
host "the helper says the rest wait" grep -q 'more than 256 messages a second; the rest wait' "$TMP/err"
finish
"$BIN/notify-send" --to=/run/systemd/notify-flood END >/dev/null
wait "${LISTENERS[-1]}"
check_eq "relay: all 600 and READY=1 arrived, in order" \
        "$(grep -c 'STATUS=flood$' "$TMP/recv-flood"):$(tail -n 1 "$TMP/recv-flood" | awk '{ print $5 }')" "600:READY=1"

# --- the file descriptor store, when the profile allows it ---

listen /run/systemd/notify-store "$TMP/recv-store"
HELPER_ARGS=(--fd-store)
begin "relay with --fd-store: FDSTORE=1 and FDNAME= go on, with the descriptor"
NOTIFY_SOCKET=/run/systemd/notify-store in_sandbox notify-send '+fd:FDSTORE=1\nFDNAME=kept' 'MAINPID=1\nSTATUS=x' +sleep:300
want 'send-*' ok
finish
HELPER_ARGS=()
"$BIN/notify-send" --to=/run/systemd/notify-store END >/dev/null
wait "${LISTENERS[-1]}"
check_eq "relay with --fd-store: the store's message and its descriptor arrived, MAINPID= still not" \
        "$(awk '{ print $4, $5 }' "$TMP/recv-store")" "1 FDSTORE=1|FDNAME=kept
0 STATUS=x"

# --- a pre-start command: no READY=1 before the service, as systemd's
# control processes under NotifyAccess=main ---

NOTIFY_SOCKET=/run/systemd/notify WATCHDOG_USEC=30000000 timeout -k 5 60 "$HELPER" --name="$NAME-pre" \
        --state-root="$STATE" '--exec-start-pre=/bin/sh:-c:echo "pre ${NOTIFY_SOCKET-unset} ${WATCHDOG_USEC-unset}"' \
        -- /bin/sh -c 'echo "service ${NOTIFY_SOCKET-unset}"' </dev/null >"$TMP/pre-out" 2>"$TMP/pre-err"
check_eq "a pre-start command has no NOTIFY_SOCKET nor watchdog; the service has its socket" \
        "$?:$(cat "$TMP/pre-out")" "0:pre unset unset
service /run/systemd/notify"

# --- after all of them ---

mount_table_unchanged

done_testing
