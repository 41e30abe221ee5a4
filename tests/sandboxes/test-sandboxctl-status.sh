#!/usr/bin/env bash
# sandboxctl status on a real sandbox run with "sandboxctl run": while it
# runs, the helper's PID, the sandbox's PID 1, the mounts that one sees,
# the service's security label and the size of the state, as text and as
# JSON, exit status 0; once
# stopped, "not running" and exit status 3; a sandbox whose profile is
# gone; unknown and bad names and usage errors. There is no systemd to
# ask here (the system bus is pointed at nothing), so the unit is
# "unknown". Needs root. Everything is under $TMP, but /run/sandbox/NAME
# for this run's own names.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
# in a mount namespace of its own (it mounts below the state), before
# anything is made
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbstatus$$
. "$(dirname "$0")/lib.sh"
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

BACKGROUND=()
cleanup() {
        local pid
        for pid in "${BACKGROUND[@]}"; do
                kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
        done
        umount "$STATE/$PREFIX-main/var/upper/other-fs" 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

PROFILES=$TMP/profiles
DATA=$TMP/data
mkdir -p "$PROFILES" "$DATA"
echo data >"$DATA/file"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
# no systemd manager on this bus: the unit is unknown, wherever this runs
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus

# profile NAME: $PROFILES/NAME.xml with overlays for /etc and /var, a
# read-only bind on /srv and a tmpfs /tmp
profile() {
        cat >"$PROFILES/$1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox name="$1">
  <description>Status of $1</description>
  <exec><arg>/bin/sleep</arg><arg>300</arg></exec>
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
    <tmp size="8M"/>
    <bind source="$DATA" target="/srv" readonly="yes"/>
  </filesystem>
</sandbox>
EOF
}

# ctl ARG...: sandboxctl; status in $rc, output in $TMP/out and $TMP/err
ctl() {
        timeout -k 5 60 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
# one_line_error STATUS WORD: the last command exited with STATUS,
# printed nothing, and said why in one line on stderr that contains WORD
check_error() { # check_error DESCRIPTION STATUS WORD
        if [ "$rc" -eq "$2" ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qF -- "$3" "$TMP/err"; then
                ok "$1"
        else
                not_ok "$1"
                diag "status $rc" "$(cat "$TMP/out" "$TMP/err")"
        fi
}
# line WORD: the value of the line "WORD: ..." of the last text output
line() {
        sed -n "s/^ *$1: //p" "$TMP/out"
}
# du_bytes DIR: the disk space below DIR as du counts it, one file system
du_bytes() {
        du -sx -B1 "$1" | cut -f1
}
# mounts_of PID: "MOUNTPOINT FSTYPE ro|rw" for each line of its mountinfo,
# read here independently of sandboxctl
mounts_of() {
        "$PYTHON" - "$1" <<'EOF'
import re, sys
unescape = lambda s: re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)
for line in open("/proc/%s/mountinfo" % sys.argv[1]):
    f = line.split()
    dash = f.index("-", 6)
    ro = "ro" in f[5].split(",") or "ro" in f[dash + 3].split(",")
    print(unescape(f[4]), f[dash + 1], "ro" if ro else "rw")
EOF
}
# json_mounts FILE: the same from sandboxctl's JSON
json_mounts() {
        "$PYTHON" -c '
import json, sys
for m in json.load(open(sys.argv[1]))["mounts"] or []:
    print(m["path"], m["fstype"], "ro" if m["read_only"] else "rw")' "$1"
}
# label_of PID: PID's security label as the kernel shows it, read here
# independently of sandboxctl: AppArmor's own file, else the one the LSMs
# share; "none" when neither gives one (missing, EINVAL, empty)
label_of() {
        local f l
        for f in "/proc/$1/attr/apparmor/current" "/proc/$1/attr/current"; do
                l=$(tr -d '\0' <"$f" 2>/dev/null) || continue
                if [ -n "$l" ]; then
                        printf '%s\n' "$l"
                        return
                fi
        done
        echo none
}
# json_field FILE EXPRESSION: a value of sandboxctl's JSON, printed by
# Python (None for null)
json_field() {
        "$PYTHON" -c 'import json, sys; o = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---------------------------------------------------------------------------
# a running sandbox

name main
A=$n
profile "$A"
# it writes 1 MiB into its /var, and a second name of that file
"$SANDBOXCTL" run --state-root="$STATE" "$A" -- /bin/sh -c \
        'head -c 1048576 /dev/urandom >/var/big && ln /var/big /var/big-link && touch /tmp/ready && exec sleep 300' \
        </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
bg=$!
BACKGROUND+=("$bg")
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$A/lock" 2>/dev/null)" = "$bg" ] && [ -e "$STATE/$A/var/upper/big-link" ] && break
        kill -0 "$bg" 2>/dev/null || break
        sleep 0.05
done
if [ -e "$STATE/$A/var/upper/big-link" ]; then
        ok "the sandbox runs in the background and has written its file"
else
        not_ok "the sandbox runs in the background and has written its file"
        diag "$(cat "$TMP/bg.err")"
fi
# the sandbox's PID 1: the helper's child, PID 1 in its PID namespace
init=$(for c in $(cat "/proc/$bg/task/$bg/children" 2>/dev/null); do
        [ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/$c/status")" = 1 ] && echo "$c"
done)
check "the sandbox's PID 1 is found below the helper" test -n "$init"
# the service: PID 1's only child, the shell that became sleep
service=$(cat "/proc/$init/task/$init/children" 2>/dev/null)
service=${service% }
check "the sandbox's PID 1 has one child, the service" test -n "$service" -a "${service// /}" = "$service"
label=$(label_of "$service")
diag "the kernel's label of the service's process $service: $label"

ctl status --state-root="$STATE" "$A"
check_eq "status of a running sandbox: exit status 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
check_eq "status: the first line is the name and the profile's description" "$(head -n 1 "$TMP/out")" "$A - Status of $A"
check_eq "status: the profile's path" "$(line profile)" "$PROFILES/$A.xml"
check_eq "status: the unit is unknown without systemd, and says why" "$(line unit)" \
        "unknown (no systemd: system bus: No such file or directory)"
check_eq "status: running, with the helper's PID (the lock's) and the sandbox's PID 1" "$(line sandbox)" \
        "running (helper PID $bg, the sandbox's PID 1 is $init)"
state_line=$(line state)
check "status: the state's path and a size" test "${state_line%%, *}" = "$STATE/$A" -a -n "${state_line#*, }"
check_eq "status: the service's label, as the kernel shows it (\"none\" without an LSM to show one)" \
        "$(line label)" "$label"
check_eq "status: the service's users, the host's" "$(line users)" "the host's"
check_eq "status: one label line, after the sandbox line" \
        "$(grep -A1 '^ *sandbox: ' "$TMP/out" | sed -n 's/^ *label: .*/label/p')$(grep -c '^ *label: ' "$TMP/out")" "label1"
check_eq "status: the number of mounts is that of the sandbox's PID 1" "$(line mounts)" "$(mounts_of "$init" | wc -l)"
awk '/^ *mounts: / { m = 1; next } m' "$TMP/out" | awk '{ print $1, $2, $3 }' >"$TMP/text-mounts"
check_eq "status: the mounts listed are the sandbox's PID 1's, with type and ro/rw" \
        "$(cat "$TMP/text-mounts")" "$(mounts_of "$init")"
check "status: / is the host's, read-only" grep -qx '/ [^ ]* ro' "$TMP/text-mounts"
check "status: /etc is an overlay, writable" grep -qx '/etc overlay rw' "$TMP/text-mounts"
check "status: /var is an overlay, writable" grep -qx '/var overlay rw' "$TMP/text-mounts"
check "status: /tmp is a tmpfs, writable" grep -qx '/tmp tmpfs rw' "$TMP/text-mounts"
check "status: the bind on /srv is read-only" grep -qx "/srv $(findmnt -n -o FSTYPE -T "$DATA") ro" "$TMP/text-mounts"

ctl status --json --state-root="$STATE" "$A"
cp "$TMP/out" "$TMP/running.json"
check_eq "status --json of a running sandbox: exit status 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
check "status --json: valid JSON" "$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/running.json"
check_eq "status --json: exactly its fields" "$(json_field "$TMP/running.json" 'sorted(o)')" \
        "['description', 'helper_pid', 'init_pid', 'label', 'mounts', 'mounts_truncated', 'name', 'network', 'profile', 'profile_valid', 'running', 'service_pid', 'state_bytes', 'state_disk', 'state_path', 'unit', 'user_namespace']"
check_eq "status --json: name, profile, valid" \
        "$(json_field "$TMP/running.json" '(o["name"], o["profile"], o["profile_valid"])')" "('$A', '$PROFILES/$A.xml', True)"
check_eq "status --json: running, the helper's PID and the sandbox's PID 1" \
        "$(json_field "$TMP/running.json" '(o["running"], o["helper_pid"], o["init_pid"])')" "(True, $bg, $init)"
if [ "$label" = none ]; then
        expected_label=None
else
        expected_label=$("$PYTHON" -c 'import sys; print(repr(sys.argv[1]))' "$label")
fi
check_eq "status --json: the service's PID and its label as the kernel shows it (null without one)" \
        "$(json_field "$TMP/running.json" '(o["service_pid"], o["label"])')" "($service, $expected_label)"
check_eq "status --json: the unit's name and states unknown, and why" \
        "$(json_field "$TMP/running.json" '(o["unit"]["name"], o["unit"]["active_state"], o["unit"]["main_pid"], o["unit"]["error"])')" \
        "('sandbox@$A.service', None, None, 'no systemd: system bus: No such file or directory')"
check_eq "status --json: the mounts are the sandbox's PID 1's" "$(json_mounts "$TMP/running.json")" "$(mounts_of "$init")"
check_eq "status --json: the state's path" "$(json_field "$TMP/running.json" 'o["state_path"]')" "$STATE/$A"
check_eq "status --json: no user namespace of its own, no range: user_namespace null" \
        "$(json_field "$TMP/running.json" 'o["user_namespace"]')" None
check "status: no range line without one" test -z "$(line range)"
ctl status --json --state-root="$STATE" "$A"
bytes=$(json_field "$TMP/out" 'o["state_bytes"]')
check_eq "status --json: the state's size is what du -sx says (the file of two names counted once)" "$bytes" \
        "$(du_bytes "$STATE/$A")"
check "status --json: ... which is more than the 1 MiB written" test "$bytes" -gt 1048576

# another file system mounted in the state is no part of its size
mkdir "$STATE/$A/var/upper/other-fs"
mount -t tmpfs -o size=4M tmpfs "$STATE/$A/var/upper/other-fs"
head -c 2097152 /dev/zero >"$STATE/$A/var/upper/other-fs/fill"
ctl status --json --state-root="$STATE" "$A"
check_eq "status --json: a file system mounted in the state is left out of its size" \
        "$(json_field "$TMP/out" 'o["state_bytes"]')" "$(du_bytes "$STATE/$A")"
umount "$STATE/$A/var/upper/other-fs"
rmdir "$STATE/$A/var/upper/other-fs"

# the global --json before the command, too
ctl --json status --state-root="$STATE" "$A"
check_eq "--json status prints the same fields" "$(json_field "$TMP/out" 'sorted(o)')" \
        "$(json_field "$TMP/running.json" 'sorted(o)')"

# a running sandbox whose profile is gone is still reported
mv "$PROFILES/$A.xml" "$TMP/$A.xml"
ctl status --state-root="$STATE" "$A"
check_eq "status of a running sandbox without profile: exit status 0" "$rc" 0
check_eq "... no profile, says where it looked" "$(line profile)" "none (no $A.xml on the search path)"
check_eq "... still running" "$(line sandbox)" "running (helper PID $bg, the sandbox's PID 1 is $init)"
mv "$TMP/$A.xml" "$PROFILES/$A.xml"

# a lock held by another process, which wrote no PID into it: running
# all the same, by the kernel's list of locks
name held
L=$n
mkdir -p -m 0700 "/run/sandbox/$L"
echo not-a-pid >"/run/sandbox/$L/lock"
"$PYTHON" -c '
import fcntl, sys, time
f = open(sys.argv[1])
fcntl.flock(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(300)' "/run/sandbox/$L/lock" >"$TMP/locker.out" &
locker=$!
BACKGROUND+=("$locker")
for ((i = 0; i < 100; i++)); do
        [ -s "$TMP/locker.out" ] && break
        sleep 0.05
done
ctl status --state-root="$STATE" "$L"
check_eq "status of a sandbox whose lock is held without a PID in it: exit status 0, running, PID unknown" \
        "$rc $(line sandbox)" "0 running (helper PID unknown)"
kill "$locker"
wait "$locker" 2>/dev/null
ctl status --state-root="$STATE" "$L"
check_error "... once let go of, with no profile and no state: no such sandbox, status 1" 1 "no sandbox named"

# ---------------------------------------------------------------------------
# stopped

kill -TERM "$bg"
wait "$bg" 2>/dev/null
check "the sandbox stopped" test ! -e "/proc/$bg"
ctl status --state-root="$STATE" "$A"
check_eq "status of a stopped sandbox: exit status 3, nothing on stderr" "$rc $(cat "$TMP/err")" "3 "
check_eq "status: not running" "$(line sandbox)" "not running"
check "status: no mounts listed" test -z "$(line mounts)"
check "status: no label line" test -z "$(grep '^ *label: ' "$TMP/out")"
check_eq "status: the state is still there" "$(line state | cut -d, -f1)" "$STATE/$A"
ctl status --json --state-root="$STATE" "$A"
check_eq "status --json of a stopped sandbox: exit status 3" "$rc" 3
check_eq "status --json: not running, no PIDs, no label, no mounts" \
        "$(json_field "$TMP/out" '(o["running"], o["helper_pid"], o["init_pid"], o["service_pid"], o["label"], o["mounts"])')" \
        "(False, None, None, None, None, None)"
check_eq "status --json: the state's size is what du -sx says" "$(json_field "$TMP/out" 'o["state_bytes"]')" \
        "$(du_bytes "$STATE/$A")"

# a range of <user-namespace mode="private"/> kept in the state, as its
# helper writes it (STATE_ROOT/NAME/userns): shown while it does not run,
# as it stays the sandbox's for as long as the state exists
record() { # record TEXT: the record, root's and 0644 whatever the umask
        printf '%b' "$1" >"$STATE/$A/userns" && chmod 0644 "$STATE/$A/userns"
}
record '1879113728 65536 ready\n'
ctl status --state-root="$STATE" "$A"
check_eq "status of a stopped sandbox with a range: exit status 3, nothing on stderr" "$rc $(cat "$TMP/err")" "3 "
check_eq "... the range, first and last ID" "$(line range)" "1879113728-1879179263 (private)"
check "... no users line, as nothing runs" test -z "$(line users)"
ctl status --json --state-root="$STATE" "$A"
check_eq "status --json: user_namespace private, the range's base and size, no maps while it does not run" \
        "$(json_field "$TMP/out" 'o["user_namespace"]')" \
        "{'mode': 'private', 'base': 1879113728, 'size': 65536, 'uid_map': None, 'gid_map': None}"
record '1879113728 65536 shifting\n'
ctl status --state-root="$STATE" "$A"
check_eq "status: a range whose state's shift is not finished says so" "$rc $(line range)" \
        "3 1879113728-1879179263 (private; the shift of its state is not finished, done again at the next start)"
# what is not a range of the pool's, or not root's alone, is refused
for bad in '1879113729 65536 ready' '65536 65536 ready' '2147352576 65536 ready' '1879113728 4096 ready' \
        '1879113728 65536 done' '01879113728 65536 ready' '1879113728 65536 ready extra' '1879113728  65536 ready'; do
        record "$bad\\n"
        ctl status --state-root="$STATE" "$A"
        check_eq "status with a record \"$bad\": exit status 1, no range line, one line naming it" \
                "$rc $(line range) $(wc -l <"$TMP/err") $(grep -c "$STATE/$A/userns is not \"BASE 65536" "$TMP/err")" "1  1 1"
done
record '1879113728 65536 ready'
ctl status --state-root="$STATE" "$A"
check_eq "status with a record without its newline: exit status 1" "$rc $(line range)" "1 "
record '1879113728 65536 ready\n'
chmod 0666 "$STATE/$A/userns"
ctl status --state-root="$STATE" "$A"
check_eq "status with a record others can write: exit status 1, not read" "$rc $(line range)" "1 "
rm "$STATE/$A/userns"
ln -s /etc/hostname "$STATE/$A/userns"
ctl status --state-root="$STATE" "$A"
check_eq "status with a record that is a symbolic link: exit status 1, not followed" "$rc $(line range)" "1 "
rm "$STATE/$A/userns"

# the profile gone, the state left: still a sandbox
rm "$PROFILES/$A.xml"
ctl status --state-root="$STATE" "$A"
check_eq "status of a sandbox with state but no profile: exit status 3" "$rc" 3
check_eq "... no profile" "$(line profile)" "none (no $A.xml on the search path)"
check_eq "... its state" "$(line state | cut -d, -f1)" "$STATE/$A"
ctl status --json --state-root="$STATE" "$A"
check_eq "status --json: profile and its validity null, the description too" \
        "$(json_field "$TMP/out" '(o["profile"], o["profile_valid"], o["description"])')" "(None, None, None)"

# a profile that never ran, and an invalid one
name fresh
F=$n
profile "$F"
ctl status --state-root="$STATE" "$F"
check_eq "status of a sandbox that never ran: exit status 3" "$rc" 3
check_eq "... no state" "$(line state)" "none (no $STATE/$F)"
ctl status --json --state-root="$STATE" "$F"
check_eq "status --json: no state size" "$(json_field "$TMP/out" 'o["state_bytes"]')" None
sed -i 's|<tmp size="8M"/>|<tmp size="lots"/>|' "$PROFILES/$F.xml"
ctl status --state-root="$STATE" "$F"
check_eq "status of an invalid profile: exit status 3, the profile marked invalid" "$rc $(line profile)" \
        "3 $PROFILES/$F.xml (invalid; see sandboxctl validate)"

# ---------------------------------------------------------------------------
# errors

ctl status --state-root="$STATE" "$PREFIX-unknown"
check_error "status of a name with no profile, no state, not running: status 1, one line" 1 \
        "no sandbox named \"$PREFIX-unknown\""
ctl status --state-root="$STATE" 'bad name'
check_error "status of an invalid name: status 1, one line" 1 "not a valid sandbox name"
ctl status --state-root="$STATE" ../etc
check_error "status of a name with a slash: status 1, one line" 1 "not a valid sandbox name"
ctl status
check_error "status without a name: status 2, one line" 2 "expected exactly one sandbox name"
ctl status "$A" "$F"
check_error "status with two names: status 2, one line" 2 "expected exactly one sandbox name"
ctl status --bogus "$A"
check_error "status with an unknown option: status 2, one line" 2 'unknown option "--bogus"'
ctl status "$A" --state-root
check_error "status --state-root without a value: status 2, one line" 2 "needs a value"
ctl status --state-root=../x "$A"
check_error "status --state-root with \"..\": status 1, one line" 1 "state root"
ctl status --help
check "status --help: status 0, the usage" bash -c '[ "$1" -eq 0 ] && grep -q "^sandboxctl status " "$2"' _ "$rc" "$TMP/out"

# not root: one line that says root is needed, not a bare "Permission
# denied"; nothing is changed
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        for verb in status diff delete exec shell; do
                rc=0
                timeout -k 5 60 setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
                        "$SANDBOXCTL" "$verb" --state-root="$STATE" "$A" </dev/null >"$TMP/out" 2>"$TMP/err" || rc=$?
                check_error "$verb as nobody: status 1, one line saying root is needed" 1 "$verb: needs root"
        done
        check "... and delete as nobody deleted nothing" test -d "$STATE/$A"
        # root without the privilege to read others' files: the real
        # operation's "Permission denied" says what is needed
        mkdir -p "$TMP/closed/$A"
        chown -R nobody "$TMP/closed"
        chmod 0700 "$TMP/closed"
        for verb in status diff delete; do
                rc=0
                timeout -k 5 60 setpriv --bounding-set=-dac_override,-dac_read_search \
                        "$SANDBOXCTL" "$verb" --state-root="$TMP/closed" "$A" </dev/null >"$TMP/out" 2>"$TMP/err" || rc=$?
                if [ "$rc" -eq 1 ] && grep -qF "state directory $TMP/closed: Permission denied; this needs root" "$TMP/err"; then
                        ok "$verb where root's privileges are missing: Permission denied, and that root's are needed"
                else
                        not_ok "$verb where root's privileges are missing: Permission denied, and that root's are needed"
                        diag "status $rc" "$(cat "$TMP/err")"
                fi
        done
else
        skip "status, diff, delete, exec and shell as nobody say root is needed" "no setpriv or no user nobody"
fi

done_testing
