#!/usr/bin/env bash
# What a less trusted caller of sandboxctl (sudo -E) or the helper
# controls besides a profile: the environment (SANDBOX_HELPER,
# SANDBOX_PROFILE_PATH, SYSTEMD_UNIT_PATH, SANDBOX_TMPFILES_PATH,
# DBUS_SYSTEM_BUS_ADDRESS, SANDBOX_DEBUG, LISTEN_FDS, HOME, TMPDIR; huge
# and non-UTF-8 values), the unit names given to convert and the profile
# and sandbox names given to every verb. Each is refused in one line, or
# has no effect; no program the caller chose runs, and nothing is read
# or written outside where it should be: the test's /etc is an overlay
# whose upper layer must stay empty. Needs root. Everything is under
# $TMP, but /run/sandbox/NAME for this run's own names.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbhostin$$
. "$(dirname "$0")/lib.sh"

bg=
cleanup() {
        [ -n "$bg" ] && kill "$bg" 2>/dev/null && wait "$bg" 2>/dev/null
        umount /etc /var 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

host_overlay "$TMP/host"
UPPER=$TMP/host/etc-up

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus
MARK=$TMP/mark
NOBODY=$(id -u nobody 2>/dev/null || echo 65534)

name good
GOOD=$n
cat >"$PROFILES/$GOOD.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox name="$GOOD">
  <exec><arg>/bin/true</arg></exec>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
EOF

# ctl [VAR=VALUE...] ARG...: sandboxctl with the environment's changes;
# status in $rc, output in $TMP/out and $TMP/err
ctl() {
        local envs=()
        while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do
                envs+=("$1")
                shift
        done
        timeout -k 5 60 env "${envs[@]}" "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}

# raw_controls FILE: FILE holds a control character other than newline
raw_controls() {
        LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1"
}

# refused DESCRIPTION STATUS WORD: the last command exited STATUS, printed
# nothing on stdout and one line on stderr holding WORD, with no raw
# control character and at most 5000 bytes
refused() {
        if [ "$rc" -eq "$2" ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
                grep -qF -- "$3" "$TMP/err" && ! raw_controls "$TMP/err" && [ "$(wc -c <"$TMP/err")" -le 5000 ]; then
                ok "$1"
        else
                not_ok "$1"
                diag "status $rc (expected $2, \"$3\")" "$(head -c 3000 "$TMP/out" "$TMP/err")"
        fi
}

# nothing_written DESCRIPTION: no mark of a foreign program, nothing new
# in the test's /etc's upper layer (since $BASE), no state made
BASE=
nothing_written() {
        local extra
        extra=$(find "$UPPER" -mindepth 1 2>/dev/null | sort | comm -23 - <(printf '%s' "$BASE") | head -5)
        if [ ! -e "$MARK" ] && [ -z "$extra" ] && [ ! -e "$STATE" ]; then
                ok "$1"
        else
                not_ok "$1"
                diag "mark: $(cat "$MARK" 2>/dev/null)" "in /etc: $extra" "state: $(ls -A "$STATE" 2>/dev/null)"
        fi
        rm -f "$MARK"
}

# ---------------------------------------------------------------------------
# SANDBOX_HELPER: the program run, exec and shell execute as root

# a program that leaves a mark, wherever it is put
mark_program() {
        printf '#!/bin/sh\necho "$0 $*" >%s\n' "$MARK" >"$1"
        chmod 0755 "$1"
}
OPEN=$TMP/open
mkdir -p "$OPEN" && chmod 0777 "$OPEN"
mark_program "$OPEN/helper"
TRUSTED=$TMP/trusted
mkdir -p "$TRUSTED" && chmod 0700 "$TRUSTED"
mark_program "$TRUSTED/theirs" && chown "$NOBODY" "$TRUSTED/theirs"
mark_program "$TRUSTED/group-writable" && chmod 0775 "$TRUSTED/group-writable"
mark_program "$TRUSTED/not-executable" && chmod 0644 "$TRUSTED/not-executable"
ln -s "$OPEN/helper" "$TRUSTED/link"
mkfifo "$TRUSTED/fifo"
BIG=/$(head -c 100000 /dev/zero | tr '\0' a)

for verb in run exec; do
        while IFS='|' read -r what value; do
                ctl SANDBOX_HELPER="$value" "$verb" "$GOOD" -- /bin/true
                refused "SANDBOX_HELPER, $verb: $what is refused" 1 "SANDBOX_HELPER="
                nothing_written "SANDBOX_HELPER, $verb: $what: nothing ran"
        done <<EOF
a program in a directory others can write|$OPEN/helper
a program another user owns|$TRUSTED/theirs
a group-writable program|$TRUSTED/group-writable
a file that is not executable|$TRUSTED/not-executable
a symbolic link to a program in an open directory|$TRUSTED/link
a FIFO|$TRUSTED/fifo
a device|/dev/null
a relative name|sandbox-helper
a directory|$TRUSTED/
EOF
done
ctl SANDBOX_HELPER="$BIG" run "$GOOD" -- /bin/true
refused "SANDBOX_HELPER of 100 KB: refused, the message cut" 1 "SANDBOX_HELPER=/aaa"
ctl SANDBOX_HELPER="$OPEN/"$'\e]0;owned\a\xff\xfe' run "$GOOD" -- /bin/true
refused "SANDBOX_HELPER with control characters and bytes that are not UTF-8: refused, escaped" 1 "SANDBOX_HELPER="
nothing_written "SANDBOX_HELPER: a huge or non-UTF-8 value ran nothing"

# a trusted one runs: root's, 0755, in a directory only root writes
cat >"$TRUSTED/wrapper" <<EOF
#!/bin/sh
echo wrapper >$MARK
exec $HELPER "\$@"
EOF
chmod 0755 "$TRUSTED/wrapper"
ctl SANDBOX_HELPER="$TRUSTED/wrapper" run --state-root="$STATE" "$GOOD" -- /bin/echo inside
if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = inside ] && [ "$(cat "$MARK" 2>/dev/null)" = wrapper ]; then
        ok "SANDBOX_HELPER: root's program in root's directory is run"
else
        not_ok "SANDBOX_HELPER: root's program in root's directory is run"
        diag "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
rm -rf "$MARK" "$STATE"

# ---------------------------------------------------------------------------
# SANDBOX_PROFILE_PATH: profiles only from directories root alone writes

cp "$PROFILES/$GOOD.xml" "$OPEN/$GOOD.xml"
ctl SANDBOX_PROFILE_PATH="$OPEN" run --state-root="$STATE" "$GOOD" -- /bin/sh -c "echo ran >$MARK"
if [ "$rc" -eq 1 ] && grep -qF "writable by others" "$TMP/err" && ! raw_controls "$TMP/err"; then
        ok "SANDBOX_PROFILE_PATH: a profile in a directory others can write is not run"
else
        not_ok "SANDBOX_PROFILE_PATH: a profile in a directory others can write is not run"
        diag "status $rc" "$(cat "$TMP/out" "$TMP/err")"
fi
nothing_written "SANDBOX_PROFILE_PATH: nothing ran from the open directory"
for what in huge non-UTF-8 relative; do
        case $what in
        huge) value=$(for ((i = 0; i < 2000; i++)); do printf '/x%d/%s:' "$i" "${BIG:1:40}"; done) ;;
        non-UTF-8) value=$TMP/$'\xff\e[2J' ;;
        relative) value=../../../etc ;;
        esac
        ctl SANDBOX_PROFILE_PATH="$value" validate "$GOOD"
        if [ "$rc" -eq 1 ] && grep -qF "no profile named" "$TMP/err" && ! raw_controls "$TMP/err"; then
                ok "SANDBOX_PROFILE_PATH $what: the name is not found, and said so"
        else
                not_ok "SANDBOX_PROFILE_PATH $what: the name is not found, and said so"
                diag "status $rc" "$(head -c 2000 "$TMP/err")"
        fi
done

# ---------------------------------------------------------------------------
# the rest of sandboxctl's and the helper's environment

# SANDBOX_DEBUG, HOME, TMPDIR and the like decide nothing: a run with odd
# values works as one without, and TMPDIR is not written to
mkdir -p "$TMP/tmpdir"
ctl SANDBOX_DEBUG="$BIG" HOME=/etc/shadow TMPDIR="$TMP/tmpdir" XDG_RUNTIME_DIR=/proc \
        LANG=$'\xff' LC_ALL=$'\xff' run --state-root="$STATE" "$GOOD" -- /bin/echo inside
if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = inside ] && [ -z "$(ls -A "$TMP/tmpdir")" ]; then
        ok "SANDBOX_DEBUG, HOME, TMPDIR, locale with odd values: the run works, TMPDIR is untouched"
else
        not_ok "SANDBOX_DEBUG, HOME, TMPDIR, locale with odd values: the run works, TMPDIR is untouched"
        diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
fi
rm -rf "$STATE"

# socket activation and the watchdog, with numbers out of range or junk:
# unset, and the service starts without them
for v in "LISTEN_FDS=99999999999999999999999" "LISTEN_FDS=-1" "LISTEN_FDS=3x" "WATCHDOG_USEC=$BIG"; do
        timeout -k 5 60 env "$v" /bin/sh -c 'LISTEN_PID=$$ WATCHDOG_PID=$$ exec "$@"' sh \
                "$HELPER" --name="$GOOD" --state-root="$STATE" -- /bin/sh -c 'echo "${LISTEN_FDS:-none} ${WATCHDOG_USEC:-none}"' \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "helper with ${v:0:30}: started, the variables unset" "$rc $(cat "$TMP/out")" "0 none none"
        rm -rf "$STATE"
done

# NOTIFY_SOCKET huge, or not UTF-8: the start is refused (125), in a line
for v in "$BIG" $'/run/systemd/\xff\e]0;x\a'; do
        timeout -k 5 60 env NOTIFY_SOCKET="$v" "$HELPER" --name="$GOOD" --state-root="$STATE" -- /bin/true \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        refused "helper with a NOTIFY_SOCKET of $(printf %s "$v" | wc -c) bytes that is not systemd's: refused" 125 "NOTIFY_SOCKET"
done
rm -rf "$STATE"

# CREDENTIALS_DIRECTORY that is not systemd's directory for the unit (a
# host directory, huge): the start is refused before anything is copied
for v in /etc "$BIG"; do
        timeout -k 5 60 env CREDENTIALS_DIRECTORY="$v" "$HELPER" --name="$GOOD" --state-root="$STATE" -- /bin/true \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        refused "helper with CREDENTIALS_DIRECTORY=${v:0:24}: refused" 125 "credentials: CREDENTIALS_DIRECTORY="
done
rm -rf "$STATE"

# TERM huge or with escapes: a value passed on, nothing more
ctl TERM="$BIG" run --state-root="$STATE" "$GOOD" -- /bin/sh -c 'echo ${#TERM}'
check_eq "TERM of 100 KB: passed on as a value, the run works" "$rc $(cat "$TMP/out")" "0 100001"
rm -rf "$STATE"

# the caller's environment does not reach the service of a run: only
# PATH and TERM (the dynamic loader's own variables act on sandboxctl
# itself, as on any program; sudo removes them)
ctl FOO=bar LD_LIBRARY_PATH=/nonexistent SANDBOX_DEBUG=1 NOTIFY_SOCKET=/nonexistent TERM=dumb \
        run --state-root="$STATE" "$GOOD" -- /usr/bin/env
check_eq "the caller's environment does not reach the service of a run: PATH and TERM only" \
        "$rc $(cut -d= -f1 "$TMP/out" | sort | tr '\n' ' ')" "0 PATH TERM "
rm -rf "$STATE"

# ... nor a command joined to a running sandbox, which gets the service's
"$SANDBOXCTL" run --state-root="$STATE" "$GOOD" -- /bin/sleep 60 </dev/null >/dev/null 2>&1 &
bg=$!
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$GOOD/lock" 2>/dev/null)" = "$bg" ] && break
        sleep 0.05
done
ctl FOO=bar NOTIFY_SOCKET=/etc LISTEN_FDS=1 LISTEN_PID=$$ CREDENTIALS_DIRECTORY=/etc WATCHDOG_USEC=1 \
        exec "$GOOD" -- /usr/bin/env
if [ "$rc" -eq 0 ] && grep -q '^PATH=' "$TMP/out" &&
        ! grep -qE '^(FOO|NOTIFY_SOCKET|LISTEN_|CREDENTIALS_DIRECTORY|WATCHDOG_)' "$TMP/out"; then
        ok "exec into a running sandbox: the caller's FOO, NOTIFY_SOCKET, LISTEN_*, CREDENTIALS_DIRECTORY do not reach the command"
else
        not_ok "exec into a running sandbox: the caller's FOO, NOTIFY_SOCKET, LISTEN_*, CREDENTIALS_DIRECTORY do not reach the command"
        diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
fi
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null
bg=
rm -rf "$STATE"

# DBUS_SYSTEM_BUS_ADDRESS somewhere else: status and delete --force say
# they cannot ask, without hanging or reading the file
for v in "unix:path=/etc/shadow" "unix:path=$TMP/trusted/fifo" "$BIG" $'unix:path=\xff'; do
        ctl DBUS_SYSTEM_BUS_ADDRESS="$v" status --state-root="$STATE" "$GOOD"
        if [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] && ! raw_controls "$TMP/err" && ! grep -q "root:" "$TMP/out" "$TMP/err"; then
                ok "status with DBUS_SYSTEM_BUS_ADDRESS=${v:0:24}: answers (status $rc), nothing of the file shown"
        else
                not_ok "status with DBUS_SYSTEM_BUS_ADDRESS=${v:0:24}: answers, nothing of the file shown"
                diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
        fi
done

# DBUS_SYSTEM_BUS_ADDRESS naming a bus of another user's: convert, which
# asks the bus what the unit is and writes that into a profile, does not
# ask it. A stand-in bus records what reaches it until the caller closes
# (or 2 s), and answers the authentication only, after which a client
# sends its first message (Hello); its socket is in another user's
# directory, or is another user's file (neither is connected to), or
# another user listens on it (bound by root, listen()ed as nobody:
# connected to, as SO_PEERCRED can only tell then, and closed before any
# message is sent); root's own, as a control, gets the messages.
cat >"$TMP/fake-bus.py" <<'EOF'
import os, socket, sys
path, log, how, nobody = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o777)
if how == "socket-theirs":
    os.chown(path, nobody, -1)
if how == "listener-theirs":
    os.setgroups([])
    os.setresgid(nobody, nobody, nobody)
    os.setresuid(nobody, nobody, nobody)
s.listen(8)
open(log + ".ready", "w").close()
while True:
    c, _ = s.accept()
    c.settimeout(2)
    data = b""
    try:
        while len(data) < 65536:
            more = c.recv(65536)
            if not more:
                break
            # the server's side of the authentication, as a bus daemon's:
            # a client then sends its first message, Hello
            if b"BEGIN" in more and b"BEGIN" not in data:
                c.sendall(b"DATA\r\nOK 0123456789abcdef0123456789abcdef\r\nAGREE_UNIX_FD\r\n")
            data += more
    except OSError:
        pass
    with open(log, "ab") as f:
        f.write(b"connection " + data.replace(b"\0", b"") + b"\n")
    c.close()
EOF
PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
mkdir -p "$TRUSTED/units" "$TMP/buses/theirs" "$TMP/buses/roots" "$TMP/buses/logs"
printf '[Service]\nExecStart=/bin/true\n' >"$TRUSTED/units/$PREFIX-bus.service"
chmod 0755 "$TMP/buses" "$TMP/buses/roots"
chown "$NOBODY" "$TMP/buses/theirs"
# the stand-in's log, written by whichever user it runs as
chmod 0777 "$TMP/buses/logs"
if [ -z "$PYTHON" ]; then
        skip "DBUS_SYSTEM_BUS_ADDRESS: a bus of another user's is not asked" "no python3 for the stand-in bus"
else
        # nobody reaches its directory and its log through $TMP
        chmod 0711 "$TMP"
        for how in dir-theirs socket-theirs listener-theirs root; do
                case $how in
                dir-theirs) sock=$TMP/buses/theirs/bus; as=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups) ;;
                *) sock=$TMP/buses/roots/bus-$how; as=() ;;
                esac
                log=$TMP/buses/logs/$how
                "${as[@]}" "$PYTHON" "$TMP/fake-bus.py" "$sock" "$log" "$how" "$NOBODY" 2>"$TMP/bus-$how.err" &
                busp=$!
                wait_for "$log.ready" 10 || diag "the stand-in bus did not start: $(cat "$TMP/bus-$how.err")"
                ctl SYSTEMD_UNIT_PATH="$TRUSTED/units" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$sock" \
                        convert --output=- "$PREFIX-bus.service"
                kill "$busp" 2>/dev/null
                wait "$busp" 2>/dev/null
                if [ "$how" = root ]; then
                        check "DBUS_SYSTEM_BUS_ADDRESS: a bus root listens on, in root's directory, is asked" \
                                grep -q "Hello" "$log"
                elif { [ ! -s "$log" ] || { [ "$how" = listener-theirs ] && ! grep -q "Hello\|org.freedesktop" "$log"; }; } &&
                        grep -qF "DBUS_SYSTEM_BUS_ADDRESS=unix:path=$sock is not used" "$TMP/err" &&
                        ! raw_controls "$TMP/err"; then
                        ok "DBUS_SYSTEM_BUS_ADDRESS: a bus of another user's ($how) is not asked, and convert says so"
                        diag "$(grep -F "is not used" "$TMP/err")"
                else
                        not_ok "DBUS_SYSTEM_BUS_ADDRESS: a bus of another user's ($how) is not asked, and convert says so"
                        diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")" "bus: $(head -c 500 "$log" 2>/dev/null)"
                fi
        done
        chmod 0700 "$TMP"
fi
nothing_written "DBUS_SYSTEM_BUS_ADDRESS: no profile written"

# SYSTEMD_UNIT_PATH and SANDBOX_TMPFILES_PATH: convert reads units only
# from directories root alone writes. A unit in an open directory (here a
# link to a root-only file) is not read, and no profile is written.
printf 'secret:HASHED-SECRET\n[Service]\nExecStart=/bin/true\n' >"$TMP/root-only"
chmod 0600 "$TMP/root-only"
ln -s "$TMP/root-only" "$OPEN/$PREFIX-unit.service"
ctl SYSTEMD_UNIT_PATH="$OPEN" convert "$PREFIX-unit.service"
if [ "$rc" -ne 0 ] && grep -qF "SYSTEMD_UNIT_PATH: the directory $OPEN is skipped" "$TMP/err" &&
        grep -qF "no such unit" "$TMP/err" && ! grep -q "SECRET" "$TMP/out" "$TMP/err"; then
        ok "SYSTEMD_UNIT_PATH: a directory others can write is skipped, said so, the unit not read"
else
        not_ok "SYSTEMD_UNIT_PATH: a directory others can write is skipped, said so, the unit not read"
        diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
fi
nothing_written "SYSTEMD_UNIT_PATH: no profile written"
mkdir -p "$TRUSTED/units"
printf '[Service]\nExecStart=/bin/true\nRuntimeDirectory=%s\n' "$PREFIX" >"$TRUSTED/units/$PREFIX-unit.service"
printf 'd /run/%s 0700 root root -\n' "$PREFIX" >"$OPEN/x.conf"
ctl SYSTEMD_UNIT_PATH="$TRUSTED/units" SANDBOX_TMPFILES_PATH="$OPEN" convert "$PREFIX-unit.service"
if grep -qF "SANDBOX_TMPFILES_PATH: the directory $OPEN is skipped" "$TMP/err" && ! raw_controls "$TMP/err"; then
        ok "SANDBOX_TMPFILES_PATH: a directory others can write is skipped, and said so"
else
        not_ok "SANDBOX_TMPFILES_PATH: a directory others can write is skipped, and said so"
        diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
fi
# that conversion wrote its profile in the test's /etc: what is there now
# is the new base
rm -f "/etc/sandbox/profiles/$PREFIX-unit.xml" "$MARK"
BASE=$(find "$UPPER" -mindepth 1 | sort)
[ -n "$BASE" ] && BASE+=$'\n'

# ---------------------------------------------------------------------------
# unit names given to convert

LONG=$(head -c 300 /dev/zero | tr '\0' u)
export SYSTEMD_UNIT_PATH=$TRUSTED/units
while IFS='|' read -r what unit; do
        unit=$(printf '%b' "$unit")
        ctl convert "$unit"
        if [ "$rc" -eq 1 ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && ! raw_controls "$TMP/err"; then
                ok "convert $what: refused in one line"
        else
                not_ok "convert $what: refused in one line"
                diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
        fi
        nothing_written "convert $what: nothing written"
done <<EOF
../../etc/passwd|../../etc/passwd
a path up and out|../../../etc/shadow.service
a name with /|a/b.service
an absolute path|/etc/systemd/system/ssh.service
a newline|a\nb.service
an escape sequence|\033]0;x\007.service
300 bytes|$LONG.service
a bare template|$PREFIX-unit@.service
two @|a@b@c.service
an empty instance prefix|@x.service
a glob|*.service
EOF
for unit in -x.service --x.service; do
        ctl convert "$unit"
        refused "convert $unit: an unknown option, in one line" 2 "unknown option"
        nothing_written "convert $unit: nothing written"
done

# ---------------------------------------------------------------------------
# profile and sandbox names on the command line

while IFS='|' read -r what bad; do
        bad=$(printf '%b' "$bad")
        for verb in validate show run status diff delete exec; do
                case $verb in
                run) ctl "$verb" --state-root="$STATE" -- "$bad" ;;
                exec) ctl "$verb" --state-root="$STATE" "$bad" -- /bin/true ;;
                status | diff | delete) ctl "$verb" --state-root="$STATE" "$bad" ;;
                *) ctl "$verb" -- "$bad" ;;
                esac
                if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
                        ! raw_controls "$TMP/err"; then
                        ok "$verb $what: refused in one line (status $rc)"
                else
                        not_ok "$verb $what: refused in one line"
                        diag "status $rc" "$(head -c 2000 "$TMP/out" "$TMP/err")"
                fi
        done
        ctl clone --state-root="$STATE" "$GOOD" "$bad"
        refused "clone to $what: refused" 1 "not a valid sandbox name"
        ctl clone --state-root="$STATE" "$bad" "$GOOD-copy"
        refused "clone from $what: refused" 1 "not a valid sandbox name"
        nothing_written "$what: nothing written by any verb"
done <<EOF
../x|../x
../../etc/shadow|../../../../etc/shadow
an absolute path|/etc/shadow
a newline|a\nb
an escape sequence|\033]0;x\007
bytes that are not UTF-8|\xff\xfe
300 bytes|$LONG
EOF
# a name starting with "-" is an option, and refused as a usage error
for verb in validate show run status diff delete exec; do
        ctl "$verb" -x
        refused "$verb -x: a usage error" 2 "-x"
done
[ ! -e "$PROFILES/$GOOD-copy.xml" ] && ok "no profile was cloned" || not_ok "no profile was cloned"

done_testing
