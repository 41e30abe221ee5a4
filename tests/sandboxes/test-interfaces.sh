#!/usr/bin/env bash
# The system's standard interfaces inside the sandbox (issue "Converted
# services keep working like the originals", item 1), under the real
# helper as root, without systemd. The test's own sockets stand in for
# the journal's (datagram socket and dev-log, stream stdout) at
# /run/systemd/journal and the system bus's at /run/dbus, bound there in
# the test's mount namespace only:
#
# - by default /run/lock (1777, so /var/lock resolves), the journal's
#   three sockets and /dev/log are in, and a message sent from inside,
#   syslog(3)'s too, reaches the test's socket; nothing else of the
#   host's /run is seen, D-Bus is not there;
# - every bound socket cannot be unlinked, renamed, replaced, chmod-ed
#   or bound over from inside (EBUSY, EROFS, EADDRINUSE), and /dev/log
#   cannot be removed (EROFS); the host's sockets stay;
# - --interfaces turns each off, and D-Bus on; a profile's <interfaces>
#   compiles to it; a bad value refuses the start;
# - D-Bus for a service that is root, or keeps CAP_SETUID, refuses the
#   start: the bus grants root systemd's calls, a unit outside among them;
# - a socket the host lacks is left out (debug message; a warning for
#   D-Bus, which is asked for by name); a file, or a
#   symbolic link, where a socket should be is never bound.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

if ! private_run_systemd "$TMP/run-systemd"; then
        echo "1..0 # SKIP cannot bind a directory of the test's at /run/systemd"
        exit 0
fi
JOURNAL=$TMP/run-systemd/journal
DBUS=no
mkdir -p "$JOURNAL" "$TMP/run-dbus"
# /run/dbus is the test's only where the host has one to bind over
[ -d /run/dbus ] && mount --bind "$TMP/run-dbus" /run/dbus && DBUS=yes
mount_table >"$TMP/mounts.before"

LISTENER=
stop_listener() {
        [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null && wait "$LISTENER" 2>/dev/null
}
trap 'stop_listener; cleanup' EXIT

sockets=(dgram:"$JOURNAL/socket" stream:"$JOURNAL/stdout" dgram:"$JOURNAL/dev-log")
[ "$DBUS" = yes ] && sockets+=(stream:/run/dbus/system_bus_socket)
"$BIN/iface-listen" "${sockets[@]}" >"$TMP/got" 2>"$TMP/listen.err" &
LISTENER=$!
for _ in $(seq 50); do
        grep -q '^listening' "$TMP/got" && break
        sleep 0.1
done
if ! grep -q '^listening' "$TMP/got"; then
        echo "Bail out! the test's sockets cannot be made: $(cat "$TMP/listen.err")"
        exit 1
fi

# arrived NAME PATTERN: a message at the test's socket NAME matches PATTERN
arrived() {
        grep -q "^msg $1 [0-9]* $2" "$TMP/got"
}
# none_with TOKEN: no message at any of the test's sockets carries TOKEN
none_with() {
        ! grep -q "$1" "$TMP/got"
}
# received: the listener has had time for what was sent
received() {
        sleep 0.3
}

# --- the default sandbox ---

T=$TOKEN-default
begin "default: /run/lock (1777) and /var/lock resolve to it; nothing of the host's /run but the journal's sockets"
in_sandbox iface-use "$T"
want run lock,systemd
want run-systemd journal
want journal-dir dev-log,socket,stdout
want run-lock dir:1777
want var-lock-create ok
host "no /run/lock/iface-$T on the host" absent "/run/lock/iface-$T"
finish

received
begin "default: /dev/log -> the journal's dev-log; messages to it, syslog(3), the journal socket and stdout reach the host's sockets"
want dev-log /run/systemd/journal/dev-log
want dev-log-send ok
want journal-send ok
want stdout-send ok
host "dev-log got the datagram" arrived dev-log "<14>ifaced: dev-log $T"
host "dev-log got syslog(3)'s line, with its identifier" arrived dev-log "<30>.* ifaced\[[0-9]*\]: syslog $T"
host "socket got the datagram" arrived socket "journal $T"
host "stdout got the stream" arrived stdout "stdout $T|"
finish

begin "default: D-Bus is not there (ENOENT), and nothing reached the test's bus socket"
want dbus-send ENOENT
host "no message on the bus socket" none_with "dbus $T"
finish

for s in socket stdout dev-log; do
        begin "default: $s cannot be unlinked, renamed, replaced (EBUSY), chmod-ed (EROFS), bound over (EADDRINUSE), remounted or unmounted (EPERM)"
        want "remount-$s" EPERM
        want "umount-$s" EPERM
        want "unlink-$s" EBUSY
        want "rename-$s" EBUSY
        want "replace-$s" EBUSY
        want "chmod-$s" EROFS
        want "mknod-$s" EADDRINUSE
        want "type-$s" socket
        host "the host's $s is still a socket, mode 0666" test "$(stat -c %F:%a "$JOURNAL/$s")" = socket:666
        finish
done
# root with every capability a profile may keep: the same
T=$TOKEN-caps
HELPER_ARGS=(--keep-caps=CAP_SYS_ADMIN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_CHOWN,CAP_MKNOD)
in_sandbox iface-use "$T"
for s in socket stdout dev-log; do
        begin "CAP_SYS_ADMIN, CAP_DAC_OVERRIDE, CAP_FOWNER kept: $s is not remounted, unmounted, replaced nor chmod-ed"
        want "remount-$s" EPERM
        want "umount-$s" EPERM
        want "unlink-$s" EBUSY
        want "rename-$s" EBUSY
        want "replace-$s" EBUSY
        want "chmod-$s" EROFS
        want "type-$s" socket
        host "the host's $s is still a socket, mode 0666" test "$(stat -c %F:%a "$JOURNAL/$s")" = socket:666
        finish
done
HELPER_ARGS=()
T=$TOKEN-default
in_sandbox iface-use "$T"
begin "default: /dev/log cannot be removed (EROFS)"
want unlink-dev-log-link EROFS
finish
check_eq "the host's journal directory holds only its sockets" "$(ls "$JOURNAL" | tr '\n' ' ')" "dev-log socket stdout "

# --- each one off, D-Bus on ---

T=$TOKEN-none
HELPER_ARGS=(--interfaces=none)
begin "--interfaces=none: no /run/lock, no /dev/log, no journal socket (ENOENT); nothing arrives"
in_sandbox iface-use "$T"
want run -
want run-systemd ENOENT
want run-lock none
want var-lock-create ENOENT
want dev-log none
want dev-log-send ENOENT
want journal-send ENOENT
want stdout-send ENOENT
want dbus-send ENOENT
received
host "nothing arrived with $T" none_with "$T"
finish

T=$TOKEN-nolock
HELPER_ARGS=(--interfaces=journal,dev-log)
begin "--interfaces=journal,dev-log: no /run/lock, the journal's sockets in"
in_sandbox iface-use "$T"
want run systemd
want run-lock none
want var-lock-create ENOENT
want journal-dir dev-log,socket,stdout
want journal-send ok
finish

T=$TOKEN-nojournal
HELPER_ARGS=(--interfaces=run-lock,dev-log)
begin "--interfaces=run-lock,dev-log: only dev-log in /run/systemd/journal; the journal socket and stdout ENOENT"
in_sandbox iface-use "$T"
want journal-dir dev-log
want journal-send ENOENT
want stdout-send ENOENT
want dev-log-send ok
want run-lock dir:1777
finish

T=$TOKEN-nodevlog
HELPER_ARGS=(--interfaces=run-lock,journal)
begin "--interfaces=run-lock,journal: no /dev/log, no dev-log socket"
in_sandbox iface-use "$T"
want journal-dir socket,stdout
want dev-log none
want dev-log-send ENOENT
want journal-send ok
received
host "nothing arrived at dev-log with $T" test -z "$(grep "^msg dev-log .*$T" "$TMP/got")"
finish

if [ "$DBUS" = yes ]; then
        T=$TOKEN-dbus
        # a user of its own, with the capabilities to replace what root's
        # files it may
        HELPER_ARGS=(--interfaces=run-lock,journal,dev-log,dbus --user=nobody --group=nogroup
                --keep-caps=CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_CHOWN)
        begin "--interfaces=...,dbus: the bus socket alone in /run/dbus, reached from inside, never replaced"
        in_sandbox iface-use "$T"
        want run dbus,lock,systemd
        want dbus-send ok
        want unlink-dbus EBUSY
        want rename-dbus EBUSY
        want replace-dbus EBUSY
        want chmod-dbus EROFS
        want mknod-dbus EADDRINUSE
        want type-dbus socket
        received
        host "the bus socket got the stream" arrived system_bus_socket "dbus $T"
        host "the host's /run/dbus holds only its socket" test "$(ls "$TMP/run-dbus")" = system_bus_socket
        finish
else
        skip_attempt "--interfaces=...,dbus: the bus socket" "the host has no /run/dbus to bind a socket of the test's over"
fi
HELPER_ARGS=()

# the system bus grants uid 0 every call (systemd's StartTransientUnit: a
# unit outside the sandbox): never to a service that is, or may become, root
for how in "root:" "root by name:--user=root" "nobody keeping CAP_SETUID:--user=nobody --keep-caps=CAP_SETUID"; do
        read -r -a extra <<<"${how#*:}"
        HELPER_ARGS=(--interfaces=run-lock,journal,dev-log,dbus "${extra[@]}")
        run_helper /bin/sh -c 'echo ran'
        begin "--interfaces=...,dbus for ${how%%:*}: refused (125), nothing runs"
        EXPECT_RC=125
        host "the command did not run" [ ! -s "$TMP/out" ]
        host "the helper says why" grep -q "interfaces: dbus for a service that .*refusing to start" "$TMP/err"
        finish
done
HELPER_ARGS=()

# --- what the host has there, and bad values ---

# in_ns SETUP PROBE ARGS...: the probe in a default sandbox whose helper
# runs in a mount namespace of its own, after SETUP there
in_ns() {
        local setup=$1
        shift
        timeout -k 5 60 unshare -m --propagation private /bin/sh -c "$setup"' && exec "$@"' sh \
                "$HELPER" --debug --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- "${SHIP[@]}" "$@" <"$BIN/iface-use" \
                >"$TMP/out" 2>"$TMP/err"
        RC=$?
}

mkdir -p "$TMP/empty" "$TMP/odd"
in_ns "mount --bind $TMP/empty /run/systemd/journal" iface-use "$TOKEN-missing"
begin "no journal on the host: the sockets and /dev/log are left out, with a debug message; the sandbox runs"
want run lock
want journal-dir ENOENT
want dev-log none
want run-lock dir:1777
host "a debug message for each socket" grep -q 'the host has no /run/systemd/journal/dev-log; left out' "$TMP/err"
finish

# D-Bus asked for, and the host has none: said, not only in debug
if [ -d /run/dbus ]; then
        HELPER_ARGS=(--interfaces=run-lock,journal,dev-log,dbus --user=nobody --group=nogroup)
        in_ns "mount --bind $TMP/empty /run/dbus" iface-use "$TOKEN-nobus"
        begin "dbus asked for, no bus on the host: left out with a warning (not a debug message); the sandbox runs"
        want dbus-send ENOENT
        want journal-send ok
        host "a warning names the socket" grep -q 'the host has no /run/dbus/system_bus_socket, which the profile asks for' "$TMP/err"
        finish
        HELPER_ARGS=()
else
        skip_attempt "dbus asked for, no bus on the host: a warning" "the host has no /run/dbus to bind over"
fi

# a file, and a symbolic link to the real socket, where sockets should be
: >"$TMP/odd/socket"
ln -s "$JOURNAL/socket" "$TMP/odd/dev-log"
in_ns "mount --bind $TMP/odd /run/systemd/journal" iface-use "$TOKEN-odd"
begin "a file, or a symbolic link, where the host's socket should be is not bound: left out, with a warning"
want run lock
want journal-dir ENOENT
want dev-log none
want journal-send ENOENT
host "a warning for the file" grep -q '/run/systemd/journal/socket on the host is not a socket of root.s' "$TMP/err"
host "a warning for the link" grep -q '/run/systemd/journal/dev-log on the host is not a socket of root.s' "$TMP/err"
finish

for v in bogus journal,journal "" ,journal run-lock,; do
        HELPER_ARGS=(--interfaces="$v")
        run_helper /bin/sh -c 'echo ran'
        check "--interfaces=$v refuses the start, and nothing runs ($RC)" \
                test "$RC" -ne 0 -a ! -s "$TMP/out" -a -n "$(grep -- "--interfaces=$v: invalid value" "$TMP/err")"
done
HELPER_ARGS=()

# --- the profile ---

mkdir -p "$TMP/profiles"
install -m 0644 "$SOURCE_ROOT/tests/profiles/valid/interfaces.xml" "$TMP/profiles/"
sed 's|<interfaces .*/>|<interfaces dev-log="yes"/>|' "$TMP/profiles/interfaces.xml" >"$TMP/profiles/ifdefault.xml"
SANDBOX_PROFILE_PATH=$TMP/profiles "$SANDBOXCTL" show interfaces >"$TMP/show" 2>"$TMP/err"
check "a profile's <interfaces run-lock=\"no\" dev-log=\"no\" dbus=\"yes\"/> gives --interfaces=journal,dbus" \
        grep -q '^ExecStart=.* --interfaces=journal,dbus .*-- ' "$TMP/show"
SANDBOX_PROFILE_PATH=$TMP/profiles "$SANDBOXCTL" show ifdefault >"$TMP/show" 2>"$TMP/err"
check "a profile that keeps the defaults gives no --interfaces" \
        sh -c 'grep -q "^ExecStart=.*--network=host .*-- /usr/sbin/daemon\$" "$0" && ! grep -q -- --interfaces "$0"' "$TMP/show"

mount_table_unchanged
done_testing
