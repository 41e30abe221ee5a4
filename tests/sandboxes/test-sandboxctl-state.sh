#!/usr/bin/env bash
# sandboxctl diff, delete and clone on the state that real sandboxes
# leave: what "diff" reports after a sandbox added, changed and deleted
# files in its /etc and /var; that "delete" and "clone" refuse while a
# sandbox runs, and that "delete --force" stops it through systemd (a
# stand-in for systemd's manager on a private bus); what "delete"
# removes and what it leaves alone; what "clone" copies and what it
# changes. Then state shaped against them, as a service can shape it:
# deeper than a path can name, device nodes, FIFOs and sockets, a file
# swapped for a FIFO while diff reads it, immutable files, and a delete
# killed half-way. And a state with a range of host IDs of its own, made
# by hand: diff compares its owners as the sandbox sees them, clone gives
# the copy a range of its own and moves its owners there, delete frees
# the range. Needs root. Everything is under $TMP, but /run/sandbox/NAME
# for this run's own names.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
# in a mount namespace of its own (see below), before anything is made
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbstate$$
. "$(dirname "$0")/lib.sh"
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

BACKGROUND=()
IMMUTABLE=()
cleanup() {
        local pid
        for pid in "${BACKGROUND[@]}"; do
                kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
        done
        # what a failed delete left (gone after one that worked)
        [ "${#IMMUTABLE[@]}" -eq 0 ] || chattr -ia "${IMMUTABLE[@]}" 2>/dev/null
        umount "$STATE/$PREFIX-main/etc/upper/$PREFIX-main-newdir" 2>/dev/null
        umount /etc /var 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

# The sandboxes' host is the test's: /etc and /var are overlays on the
# host's, with their upper layers under $TMP, so that the test can give
# the host the files it needs without writing to the real ones.
host_overlay "$TMP/host"

PROFILES=$TMP/profiles
mkdir -p "$PROFILES/base"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
NO_BUS=unix:path=$TMP/no-bus

# profile NAME [ETC-MODE VAR-MODE [MORE XML]]: $PROFILES/NAME.xml, named
# and with NAME as its host name
profile() {
        cat >"$PROFILES/$1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- $1: a sandbox of test-sandboxctl-state.sh -->
<sandbox name="$1">
  <description>State of $1</description>${4:-}
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <etc mode="${2:-overlay}"/>
    <var mode="${3:-overlay}"/>
  </filesystem>
  <hostname>$1</hostname>
</sandbox>
EOF
}

# in_sandbox NAME SCRIPT [ARG...]: runs sh -c SCRIPT in NAME's sandbox;
# status in $rc, output in $TMP/out and $TMP/err
in_sandbox() {
        local n=$1 script=$2
        shift 2
        timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" "$n" -- /bin/sh -c "$script" sh "$@" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}

# ctl ARG...: sandboxctl; status in $rc, output in $TMP/out and $TMP/err
ctl() {
        timeout -k 5 150 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}

# one_line_error WORD: the last command failed with status 1, printed
# nothing, and said why in one line on stderr that contains WORD
one_line_error() {
        [ "$rc" -eq 1 ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qF -- "$1" "$TMP/err"
}
# usage_error: status 2, one line on stderr, nothing on stdout
usage_error() {
        [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]
}
check_error() { # check_error DESCRIPTION WORD: one assertion of one_line_error
        if one_line_error "$2"; then ok "$1"; else not_ok "$1"; diag "status $rc" "$(cat "$TMP/out" "$TMP/err")"; fi
}

# start_sandbox NAME: runs NAME's sandbox in the background (sleeping)
# and waits until its helper holds the lock; its PID in $bg
start_sandbox() {
        "$SANDBOXCTL" run --state-root="$STATE" "$1" -- /bin/sleep 300 </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
        bg=$!
        BACKGROUND+=("$bg")
        local i
        # the helper writes its PID into the lock file once it holds it
        for ((i = 0; i < 200; i++)); do
                [ "$(cat "/run/sandbox/$1/lock" 2>/dev/null)" = "$bg" ] && return 0
                kill -0 "$bg" 2>/dev/null || break
                sleep 0.05
        done
        return 1
}
stop_sandbox() { # stop_sandbox PID
        kill -TERM "$1" 2>/dev/null
        wait "$1" 2>/dev/null
}

# tree_listing DIR: every entry below DIR with its type, mode, owner,
# times, device, link target, content and extended attributes; one a line
tree_listing() {
        "$PYTHON" - "$1" <<'EOF'
import hashlib, os, stat, sys
top = sys.argv[1]
paths = [top] + [os.path.join(d, n) for d, dirs, files in os.walk(top) for n in dirs + files]
for p in sorted(paths):
    st = os.lstat(p)
    x = sorted((a, os.getxattr(p, a, follow_symlinks=False).hex()) for a in os.listxattr(p, follow_symlinks=False))
    link = os.readlink(p) if stat.S_ISLNK(st.st_mode) else ""
    data = hashlib.sha256(open(p, "rb").read()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
    print(repr(os.path.relpath(p, top)), oct(st.st_mode), st.st_uid, st.st_gid, st.st_mtime_ns,
          os.major(st.st_rdev), os.minor(st.st_rdev), link, data, x)
EOF
}

# ---------------------------------------------------------------------------
# a sandbox that adds, changes and deletes files of the host's

name main
A=$n
H=/etc/$A-host
profile "$A"
# the host as the sandbox finds it (in the test's /etc and /var only)
rm -f /etc/machine-id /etc/hostname
echo 0123456789abcdef0123456789abcdef >/etc/machine-id
echo testhost >/etc/hostname
echo keep >"$H-keep"
echo host >"$H-mod"
echo same >"$H-same"
echo c >"$H-chmod" && chmod 0644 "$H-chmod"
echo del >"$H-del"
echo later >"$H-later"
mkdir "$H-dir" && echo a >"$H-dir/a" && echo b >"$H-dir/b"
mkdir -p "$H-gone/sub" && echo g >"$H-gone/sub/f"
ln -s target-one "$H-link"
ln -s target "$H-samelink"
mkdir -p "/var/lib/$A" && echo v1 >"/var/lib/$A/host-var"
ID_A=fedcba9876543210fedcba9876543210

# (no capabilities in the sandbox: a file root cannot write is replaced)
in_sandbox "$A" '
        set -e
        A=$1 H=$2
        rm -f /etc/machine-id && echo "$3" >/etc/machine-id
        rm -f /etc/hostname && echo "$A" >/etc/hostname
        echo sandbox >"$H-mod"
        echo same >"$H-same"
        chmod 0600 "$H-chmod"
        rm "$H-del" "$H-later"
        rm -r "$H-dir" && mkdir "$H-dir" && echo a >"$H-dir/a" && echo c >"$H-dir/c"
        rm -r "$H-gone"
        ln -sfn target-two "$H-link"
        rm "$H-samelink" && ln -s target "$H-samelink"
        echo new >"/etc/$A-new"
        mkdir -p "/etc/$A-newdir/sub" && echo f >"/etc/$A-newdir/sub/f"
        ln -s / "/etc/$A-newlink"
        echo sp >"/etc/$A-sp ace"
        printf "nl\n" >"/etc/$A-nl
x"
        echo v2 >>"/var/lib/$A/host-var"
        echo new >"/var/$A-new"' "$A" "$H" "$ID_A"
check_eq "a sandbox changes its /etc and /var (status 0)" "$rc" 0
# the host then deletes a file the sandbox deleted too, and adds one to
# the directory the sandbox replaced
rm "$H-later"
echo late >"$H-dir/late"

# What the test did, as diff reports it: "PATH<tab>LETTER", sorted by
# path (escaped or not: the names differ before the escaped newline).
expected_changes() {
        printf '%s\tM\n' /etc/hostname /etc/machine-id "$H-chmod" "$H-link" "$H-mod" "/var/lib/$A/host-var"
        printf '%s\tD\n' "$H-del" "$H-dir/b" "$H-dir/late" "$H-gone"
        printf '%s\tR\n' "$H-dir"
        printf '%s\tA\n' "$H-dir/c" "/etc/$A-new" "/etc/$A-newdir" "/etc/$A-newdir/sub" "/etc/$A-newdir/sub/f" \
                "/etc/$A-newlink" "/etc/$A-sp ace" '/etc/'"$A"'-nl\nx' "/var/$A-new"
}
EXPECTED=$(expected_changes | LC_ALL=C sort -t "$(printf '\t')" -k1,1 | awk -F '\t' '{ print $2 " " $1 }')

before=$(tree_listing "$STATE/$A")
ctl diff --state-root="$STATE" "$A"
check_eq "diff: status 0" "$rc" 0
check_eq "diff: one line per change, A/M/D/R and the path, sorted; unchanged files, a rewrite with the same content, \
a recreated identical symlink, copied-up directories and a deletion the host made too are not listed; a host file \
hidden by the replaced directory is" "$(cat "$TMP/out")" "$EXPECTED"
check "diff: nothing on stderr" test ! -s "$TMP/err"
check_eq "diff: reads the state without changing it (types, modes, times, content, xattrs)" \
        "$(tree_listing "$STATE/$A")" "$before"
cp "$TMP/out" "$TMP/diff-$A"

ctl diff --json --state-root="$STATE" "$A"
cp "$TMP/out" "$TMP/json1"
check "diff --json: status 0, valid JSON" \
        bash -c '[ "$1" -eq 0 ] && "$2" -c "import json, sys; json.load(sys.stdin)" <"$3"' _ "$rc" "$PYTHON" "$TMP/json1"
check "diff --json: exactly {change, path} per change, the same changes as the text" "$PYTHON" -c '
import json, sys
words = {"A": "added", "M": "modified", "D": "deleted", "R": "replaced"}
want = [{"change": words[l[0]], "path": l[2:].replace("\\n", "\n")} for l in sys.argv[2].split("\n")]
sys.exit(0 if json.load(open(sys.argv[1])) == want else 1)' "$TMP/json1" "$EXPECTED"
ctl --json diff --state-root="$STATE" "$A"
check "--json diff prints the same as diff --json" cmp -s "$TMP/out" "$TMP/json1"

# /etc private, /var an overlay: only /var can be compared
name private
P=$n
profile "$P" private overlay
in_sandbox "$P" 'echo p >/etc/p && echo new >"/var/$1-new"' "$P"
check_eq "private /etc: the sandbox runs (status 0)" "$rc" 0
ctl diff --state-root="$STATE" "$P"
check_eq "diff of a private /etc and an overlay /var: the changes in /var only, status 0" \
        "$rc $(cat "$TMP/out")" "0 A /var/$P-new"
check "diff of a private /etc: one line on stderr says it is private and not compared" \
        bash -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "/etc is kept whole in private mode" "$1"' _ "$TMP/err"

# /etc a tmpfs, /var the host's: nothing is kept
name tmpfs
T=$n
profile "$T" tmpfs host
in_sandbox "$T" 'echo t >/etc/t'
check_eq "tmpfs /etc, host /var: the sandbox runs (status 0)" "$rc" 0
check "tmpfs /etc, host /var: the helper keeps no state" test ! -e "$STATE/$T"
ctl diff --state-root="$STATE" "$T"
check "diff of a sandbox without state: status 0, nothing on stdout, one line on stderr naming its modes" \
        bash -c '[ "$1" -eq 0 ] && [ ! -s "$2" ] && [ "$(wc -l <"$3")" -eq 1 ] && grep -q "no state.*/etc tmpfs, /var host" "$3"' \
        _ "$rc" "$TMP/out" "$TMP/err"
ctl diff --json --state-root="$STATE" "$T"
check_eq "diff --json of a sandbox without state prints []" "$rc $(cat "$TMP/out")" "0 []"

# bad input
ctl diff --state-root="$STATE" "$PREFIX-unknown"
check_error "diff of a name with neither state nor profile: status 1, one line naming it" "$PREFIX-unknown"
ctl diff --state-root="$STATE" 'bad/name'
check_error "diff of an invalid name: status 1, one line" "not a valid sandbox name"
ctl diff --state-root="$STATE"
check "diff without a name: usage error (status 2), one line" usage_error
ctl diff --state-root="$STATE" "$A" "$P"
check "diff with two names: usage error (status 2), one line" usage_error
ctl diff --no-such-option "$A"
check "diff with an unknown option: usage error (status 2), one line" usage_error
ctl diff --help
check "diff --help: status 0, the usage" bash -c '[ "$1" -eq 0 ] && grep -q "^sandboxctl diff " "$2"' _ "$rc" "$TMP/out"
ln -s "$A" "$STATE/$PREFIX-link"
ctl diff --state-root="$STATE" "$PREFIX-link"
check_error "diff refuses a state directory that is a symbolic link: status 1, one line" "symbolic link"
ctl delete --state-root="$STATE" "$PREFIX-link"
check_error "delete refuses it too" "symbolic link"
check "... and leaves the link and what it points to" test -L "$STATE/$PREFIX-link" -a -f "$STATE/$A/etc/upper/$A-new"
rm "$STATE/$PREFIX-link"

# ---------------------------------------------------------------------------
# while the sandbox runs

if start_sandbox "$A"; then
        ok "a sandbox runs in the background, its helper holding the lock"
else
        not_ok "a sandbox runs in the background, its helper holding the lock"
        diag "$(cat "$TMP/bg.err")"
fi
RUNNING=$bg
running_before=$(tree_listing "$STATE/$A")
ctl delete --state-root="$STATE" "$A"
check_error "delete refuses while the sandbox runs: status 1, one line naming the helper's PID" "helper PID $RUNNING"
DBUS_SYSTEM_BUS_ADDRESS=$NO_BUS ctl delete --force --state-root="$STATE" "$A"
check_error "delete --force without a systemd manager to reach: status 1, one line saying so" \
        "no systemd manager is reachable"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" "$PREFIX-busy"
check_error "clone refuses while the source runs: status 1, one line" "is running"
check "clone made nothing while the source runs" test ! -e "$PROFILES/$PREFIX-busy.xml" -a ! -e "$STATE/$PREFIX-busy"

# a stand-in for systemd's manager on a private bus: answers Hello,
# GetUnitByPID (with the unit given, or "-" for none), the unit's Id, and
# StopUnit, which it carries out by sending SIGTERM to the PID in the
# lock file; logs each call
cat >"$TMP/manager.py" <<'EOF'
import os, signal, socket, struct, sys

path, unit_id, lock, log = sys.argv[1:5]

def align(b, n):
    return b + b"\0" * (-len(b) % n)

def get(data, off, t):
    if t in "so":
        off += -off % 4
        n, = struct.unpack_from("<I", data, off)
        return data[off + 4:off + 4 + n].decode(), off + 5 + n
    if t == "g":
        return data[off + 1:off + 1 + data[off]].decode(), off + 2 + data[off]
    if t == "u":
        off += -off % 4
        return struct.unpack_from("<I", data, off)[0], off + 4
    raise ValueError(t)

def put(b, t, v):
    if t in "so":
        v = v.encode()
        return align(b, 4) + struct.pack("<I", len(v)) + v + b"\0"
    if t == "g":
        return b + bytes([len(v)]) + v.encode() + b"\0"
    if t == "u":
        return align(b, 4) + struct.pack("<I", v)
    if t == "v":
        return put(put(b, "g", "s"), "s", v)
    raise ValueError(t)

serial = 0
def reply(to, sig, values, error=None):
    global serial
    serial += 1
    body = b""
    for t, v in zip(sig, values):
        body = put(body, t, v)
    fields = b""
    for code, t, v in [(5, "u", to), (8, "g", sig)] + ([(4, "s", error)] if error else []):
        fields = put(put(align(fields, 8) + bytes([code]), "g", t), t, v)
    head = struct.pack("<cBBBIII", b"l", 3 if error else 2, 0, 1, len(body), serial, len(fields)) + fields
    return align(head, 8) + body

def answer(member, args):
    if member == "Hello":
        return ("s", [":1.1"])
    if member == "GetUnitByPID":
        if unit_id == "-":
            return ("s", ["no unit"], "org.freedesktop.systemd1.NoUnitForPID")
        return ("o", ["/org/freedesktop/systemd1/unit/test"])
    if member == "Get":
        return ("v", [unit_id])
    if member == "StopUnit":
        os.kill(int(open(lock).read().split()[0]), signal.SIGTERM)
        return ("o", ["/org/freedesktop/systemd1/job/1"])
    return ("s", [member], "org.freedesktop.DBus.Error.UnknownMethod")

def serve(conn):
    data = b""
    while b"BEGIN\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    # AUTH EXTERNAL without an initial response is answered with DATA
    conn.sendall(b"DATA\r\nOK " + b"0123456789abcdef" * 2 + b"\r\n" +
                 (b"AGREE_UNIX_FD\r\n" if b"NEGOTIATE_UNIX_FD" in data else b""))
    data = data.split(b"BEGIN\r\n", 1)[1]
    while True:
        while len(data) < 16 or len(data) < 16 + struct.unpack_from("<I", data, 12)[0]:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        _, kind, _, _, size, ser, flen = struct.unpack_from("<cBBBIII", data, 0)
        start = 16 + flen + (-(16 + flen) % 8)
        while len(data) < start + size:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        fields, off = {}, 16
        while off < 16 + flen:
            off += -off % 8
            t, off2 = get(data, off + 1, "g")
            fields[data[off]], off = get(data, off2, t)
        body, args, off = data[start:start + size], [], 0
        for t in fields.get(8, ""):
            v, off = get(body, off, t)
            args.append(v)
        data = data[start + size:]
        if kind != 1:
            continue
        with open(log, "a") as f:
            f.write(" ".join([fields.get(3, "")] + [str(a) for a in args]) + "\n")
        a = answer(fields.get(3), args)
        conn.sendall(reply(ser, *a))

srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(8)
while True:
    conn, _ = srv.accept()
    try:
        serve(conn)
    finally:
        conn.close()
EOF
# manager UNIT-ID NAME: starts the stand-in for sandbox NAME on
# $TMP/bus-N; its address in $bus, its log in $bus_log
managers=0
manager() {
        managers=$((managers + 1))
        local socket=$TMP/bus-$managers i
        bus_log=$TMP/bus-$managers.log
        bus=unix:path=$socket
        : >"$bus_log"
        "$PYTHON" "$TMP/manager.py" "$socket" "$1" "/run/sandbox/$2/lock" "$bus_log" 2>"$TMP/bus-$managers.err" &
        BACKGROUND+=("$!")
        for ((i = 0; i < 100; i++)); do
                [ -S "$socket" ] && return 0
                sleep 0.05
        done
        return 1
}

manager "user@0.service" "$A"
DBUS_SYSTEM_BUS_ADDRESS=$bus ctl delete --force --state-root="$STATE" "$A"
check_error "delete --force of a sandbox that systemd does not run as sandbox@NAME.service: status 1, one line" \
        "but not as sandbox@$A.service: it is in user@0.service"
check_eq "... systemd was asked which unit runs the helper, and nothing was stopped" \
        "$(cut -d ' ' -f 1,2 "$bus_log")" "$(printf 'Hello\nGetUnitByPID %s\nGet org.freedesktop.systemd1.Unit' "$RUNNING")"
manager - "$A"
DBUS_SYSTEM_BUS_ADDRESS=$bus ctl delete --force --state-root="$STATE" "$A"
check_error "delete --force of a sandbox that runs in no unit of systemd's: status 1, one line" \
        "but not as sandbox@$A.service; stop that process first"
check_eq "the state is all still there after the refusals" "$(tree_listing "$STATE/$A")" "$running_before"
stop_sandbox "$RUNNING"
check "the sandbox stopped" test ! -e "/proc/$RUNNING"

# ---------------------------------------------------------------------------
# clone

name clone
C=$n
# an extended attribute of the user's own, besides the overlay's
"$PYTHON" -c 'import os, sys; os.setxattr(sys.argv[1], "user.sandbox-test", b"kept")' \
        "$STATE/$A/etc/upper/$A-new" 2>/dev/null
before=$(tree_listing "$STATE/$A")
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" "$C"
check_eq "clone: status 0, nothing printed" "$rc $(cat "$TMP/out" "$TMP/err")" "0 "
check_eq "clone: the new profile is the source's with the name and the host name changed, nothing else" \
        "$(cat "$PROFILES/$C.xml" 2>&1)" \
        "$(sed -e "s|<sandbox name=\"$A\">|<sandbox name=\"$C\">|" -e "s|<hostname>$A</hostname>|<hostname>$C</hostname>|" \
                "$PROFILES/$A.xml")"
check_eq "clone: the new profile is owned by root, mode 0644" "$(stat -c '%u %a' "$PROFILES/$C.xml")" "0 644"
ctl validate "$C"
check_eq "clone: the new profile is valid under its name" "$rc $(cat "$TMP/out")" "0 $PROFILES/$C.xml: valid"
check_eq "clone: the source's state is unchanged" "$(tree_listing "$STATE/$A")" "$before"
check_eq "clone: the copy has every entry with its type, mode, owner, times, device, link, content and xattrs, \
but for the machine ID and host name" \
        "$(tree_listing "$STATE/$C" | grep -v -e "^'etc/upper/machine-id' " -e "^'etc/upper/hostname' ")" \
        "$(grep -v -e "^'etc/upper/machine-id' " -e "^'etc/upper/hostname' " <<<"$before")"
check_eq "clone: the copy kept the whiteouts (character devices 0:0), as many as the source has" \
        "$(stat -c '%F %t:%T' "$STATE/$C/etc/upper/${H#/etc/}-del") $(find "$STATE/$C" -type c | wc -l)" \
        "character special file 0:0 $(find "$STATE/$A" -type c | wc -l)"
check_eq "clone: the copy kept the opaque directory's trusted.overlay.opaque" \
        "$("$PYTHON" -c 'import os, sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' \
                "$STATE/$C/etc/upper/${H#/etc/}-dir" 2>&1)" y
check_eq "clone: the copy kept the symbolic link to / as a link" "$(readlink "$STATE/$C/etc/upper/$A-newlink")" /
NEW_ID=$(cat "$STATE/$C/etc/upper/machine-id")
if [[ $NEW_ID =~ ^[0-9a-f]{32}$ ]] && [ "$NEW_ID" != "$ID_A" ]; then
        ok "clone: the copy has a new machine ID of 32 hex digits"
else
        not_ok "clone: the copy has a new machine ID of 32 hex digits"
        diag "got: $NEW_ID"
fi
check_eq "clone: the copy's /etc/hostname is the new name" "$(cat "$STATE/$C/etc/upper/hostname")" "$C"
ctl diff --state-root="$STATE" "$C"
check_eq "clone: diff of the copy reports what diff of the source does" \
        "$(cat "$TMP/out")" "$(cat "$TMP/diff-$A")"
in_sandbox "$C" '
        echo "hostname: $(cat /proc/sys/kernel/hostname) $(cat /etc/hostname)"
        echo "machine-id: $(cat /etc/machine-id)"
        [ -e "$1-del" ] && echo "deleted: back" || echo "deleted: gone"
        echo "dir: $(ls "$1-dir" | tr "\n" " ")"' "$H"
check_eq "clone: the copy's sandbox runs (status 0)" "$rc" 0
check_eq "clone: ... its host name is the new name, from the profile and from /etc/hostname" \
        "$(sed -n 's/^hostname: //p' "$TMP/out")" "$C $C"
check_eq "clone: ... it sees the new machine ID" "$(sed -n 's/^machine-id: //p' "$TMP/out")" "$NEW_ID"
check_eq "clone: ... a file deleted in the source stays deleted" "$(sed -n 's/^deleted: //p' "$TMP/out")" gone
check_eq "clone: ... the replaced directory has the source's entries only" "$(sed -n 's/^dir: //p' "$TMP/out")" "a c "

sum=$(sha256sum "$PROFILES/$C.xml")
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" "$C"
check_error "clone to a name that has a profile: status 1, one line" "already has a profile"
check_eq "... the existing profile is untouched" "$(sha256sum "$PROFILES/$C.xml")" "$sum"
mkdir -m 0700 "$STATE/$PREFIX-taken"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" "$PREFIX-taken"
check_error "clone to a name that has state but no profile: status 1, one line" "already has state"
check "... and made no profile" test ! -e "$PROFILES/$PREFIX-taken.xml"
rmdir "$STATE/$PREFIX-taken"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" 'bad name'
check_error "clone to an invalid name: status 1, one line" "not a valid sandbox name"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$PREFIX-unknown" "$PREFIX-new"
check_error "clone of a name without a profile: status 1, one line" "no profile named"
ctl clone --state-root="$STATE" "$A"
check "clone with one name: usage error (status 2), one line" usage_error
ctl clone --help
check "clone --help: status 0, the usage" bash -c '[ "$1" -eq 0 ] && grep -q "^sandboxctl clone " "$2"' _ "$rc" "$TMP/out"

# a source without state: only the profile is made
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$T" "$T-copy"
check "clone of a sandbox without state: status 0, a profile and no state" \
        test "$rc" -eq 0 -a -f "$PROFILES/$T-copy.xml" -a ! -e "$STATE/$T-copy"
rm -f "$PROFILES/$T-copy.xml"

# A failure after the state is copied leaves nothing: the profile
# directory is read-only.
mkdir "$TMP/ro" && mount -t tmpfs -o ro tmpfs "$TMP/ro"
ctl clone --state-root="$STATE" --profile-dir="$TMP/ro" "$A" "$PREFIX-failed"
check_error "clone to a profile directory it cannot write: status 1, one line" "Read-only file system"
check_eq "... and leaves no state, no hidden copy, no profile" \
        "$(ls -A "$STATE" | grep -F -- "$PREFIX-failed"; ls -A "$TMP/ro")" ""
umount "$TMP/ro"
# ... or a bind mount of the same file system met half-way through the copy
mkdir "$TMP/bind-source" && echo b >"$TMP/bind-source/b"
mount --bind "$TMP/bind-source" "$STATE/$A/etc/upper/$A-newdir"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" "$PREFIX-failed"
check_error "clone with a bind mount inside the source's state: status 1, one line naming it" \
        "copy $STATE/$A/etc/upper/$A-newdir: another file system is mounted there"
check_eq "... and leaves no state, no hidden copy, no profile" \
        "$(ls -A "$STATE" "$PROFILES" | grep -F -- "$PREFIX-failed")" ""
umount "$STATE/$A/etc/upper/$A-newdir"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$A" "${PREFIX}_underscore"
check_error "clone to a name that is no host name, where the host name must be set: status 1, one line" \
        "not a valid host name"

# a host name that is the source's name, set in a base profile: the new
# profile sets its own
name base
B=$n
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <hostname>%s</hostname>\n</sandbox>\n' "$B" \
        >"$PROFILES/base/$B-base.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <include name="%s-base"/>\n  <exec><arg>/bin/true</arg></exec>\n</sandbox>\n' \
        "$B" >"$PROFILES/$B.xml"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$B" "$B-copy"
check_eq "clone of a profile whose host name comes from a base profile: status 0" "$rc" 0
check_eq "... the new profile adds <hostname> with the new name before </sandbox>, and is otherwise the same" \
        "$(cat "$PROFILES/$B-copy.xml" 2>&1)" "$(sed "s|^</sandbox>|  <hostname>$B-copy</hostname>\n</sandbox>|" "$PROFILES/$B.xml")"
ctl show "$B-copy"
check "... which the helper is given" grep -q -- " --hostname=$B-copy " "$TMP/out"

# ---------------------------------------------------------------------------
# delete --force through systemd

if start_sandbox "$C"; then
        ok "the copy runs in the background"
else
        not_ok "the copy runs in the background"
        diag "$(cat "$TMP/bg.err")"
fi
RUNNING=$bg
manager "sandbox@$C.service" "$C"
DBUS_SYSTEM_BUS_ADDRESS=$bus ctl delete --force --state-root="$STATE" "$C"
check_eq "delete --force of a running sandbox: status 0, nothing printed" "$rc $(cat "$TMP/out" "$TMP/err")" "0 "
check_eq "... systemd was asked to stop sandbox@NAME.service, mode replace" \
        "$(grep '^StopUnit' "$bus_log")" "StopUnit sandbox@$C.service replace"
wait "$RUNNING" 2>/dev/null
check "... the sandbox stopped" test ! -e "/proc/$RUNNING"
check "... its state and runtime directory are gone" test ! -e "$STATE/$C" -a ! -e "/run/sandbox/$C"

# ---------------------------------------------------------------------------
# state the service shaped against the host-side verbs: deeper than a
# path can name, device nodes, FIFOs and sockets, files swapped while
# diff reads them, immutable files, an interrupted delete

# tree_compare A B: the trees below A and B, walked by descriptor to any
# depth, have the same names, types, modes, owners, link targets and
# contents; prints the first difference, or how many entries they have
tree_compare() {
        "$PYTHON" - "$1" "$2" <<'EOF'
import os, stat, sys
def entries(top):
    out, stack = [], [(os.open(top, os.O_RDONLY | os.O_DIRECTORY), "")]
    while stack:
        fd, rel = stack.pop()
        for n in sorted(os.listdir(fd)):
            st = os.stat(n, dir_fd=fd, follow_symlinks=False)
            data = b""
            if stat.S_ISREG(st.st_mode):
                f = os.open(n, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
                data = os.read(f, 1 << 20)
                os.close(f)
            elif stat.S_ISLNK(st.st_mode):
                data = os.readlink(n, dir_fd=fd).encode()
            out.append((rel + "/" + n, st.st_mode, st.st_uid, st.st_gid, st.st_rdev, data))
            if stat.S_ISDIR(st.st_mode):
                stack.append((os.open(n, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd), rel + "/" + n))
        os.close(fd)
    return out
a, b = entries(sys.argv[1]), entries(sys.argv[2])
for x, y in zip(a, b):
    if x != y:
        print("differ:", x[0][-200:], y[0][-200:])
        sys.exit(1)
print("same" if len(a) == len(b) else "differ in number", len(a), len(b))
EOF
}

# deep_tree DIR DEPTH [NAME]: DEPTH directories NAME (default "d") one in
# the other below DIR, made by descriptor (the path grows longer than
# PATH_MAX), and a file "file" in the deepest, holding "deep DEPTH"
deep_tree() {
        "$PYTHON" - "$1" "$2" "${3:-d}" <<'EOF'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
name = sys.argv[3]
for i in range(int(sys.argv[2])):
    os.mkdir(name, 0o755, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
    os.close(fd)
    fd = nfd
f = os.open("file", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=fd)
os.write(f, b"deep %s\n" % sys.argv[2].encode())
EOF
}

# state_of NAME: an empty state of NAME's, as a helper makes it
state_of() {
        mkdir -m 0700 "$STATE/$1"
        mkdir -m 0755 -p "$STATE/$1/etc/upper" "$STATE/$1/etc/work" "$STATE/$1/var/upper" "$STATE/$1/var/work"
}

name deep
D=$n
profile "$D"
for depth in 200 5000; do
        state_of "$D"
        deep_tree "$STATE/$D/etc/upper" "$depth"
        deep_path="/etc$(printf '/d%.0s' $(seq "$depth"))/file"

        ctl diff --state-root="$STATE" "$D"
        check_eq "$depth deep: diff: status 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
        check_eq "$depth deep: diff lists every directory and the deepest file as added" \
                "$(wc -l <"$TMP/out") $(grep -c '^A /etc/d' "$TMP/out")" "$((depth + 1)) $((depth + 1))"
        check "$depth deep: ... the last line is the file, by its whole path" \
                test "$(tail -n 1 "$TMP/out")" = "A $deep_path"

        ctl status --json --state-root="$STATE" "$D"
        bytes=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["state_bytes"])' "$TMP/out" 2>&1)
        check_eq "$depth deep: status: not running (status 3), the state's size what du -sx says" \
                "$rc $bytes" "3 $(du -sx -B1 "$STATE/$D" | cut -f1)"

        ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$D" "$D-copy"
        check_eq "$depth deep: clone: status 0, nothing printed" "$rc $(cat "$TMP/out" "$TMP/err")" "0 "
        check_eq "$depth deep: clone: the copy has every directory and the file, with its content" \
                "$(tree_compare "$STATE/$D" "$STATE/$D-copy")" "same $((depth + 7)) $((depth + 7))"

        ctl delete --state-root="$STATE" "$D-copy"
        check_eq "$depth deep: delete of the copy: status 0, nothing printed, nothing left" \
                "$rc $(cat "$TMP/out" "$TMP/err")$(ls -A "$STATE" | grep -F -- "$D-copy")" "0 "
        rm -f "$PROFILES/$D-copy.xml"
        ctl delete --state-root="$STATE" "$D"
        check_eq "$depth deep: delete: status 0, nothing printed, nothing left" \
                "$rc $(cat "$TMP/out" "$TMP/err")$(ls -A "$STATE" | grep -F -- "$D")" "0 "
done

# a chain of long names: the paths diff would hold grow with the square
# of its depth (here about 125 MB); diff refuses past its bound, and
# delete still removes it all
state_of "$D"
deep_tree "$STATE/$D/etc/upper" 1000 "$(printf 'n%.0s' $(seq 250))"
ctl diff --state-root="$STATE" "$D"
check_eq "1000 deep, 250-byte names: diff refuses (status 1), past its bound on the paths it holds" \
        "$rc $(grep -c 'more than 64 MiB' "$TMP/err")" "1 1"
ctl delete --state-root="$STATE" "$D"
check_eq "1000 deep, 250-byte names: delete: status 0, nothing left" \
        "$rc $(ls -A "$STATE" | grep -F -- "$D")" "0 "

# device nodes, a FIFO and a socket in the upper dir, as a service with
# CAP_MKNOD makes them; a writer waits on the FIFO, and would go on (and
# leave a mark) the moment anything opened it for reading
name special
X=$n
profile "$X"
state_of "$X"
U=$STATE/$X/etc/upper
mkfifo "$U/$X-fifo"
mkfifo "$U/$X-was-file"
echo host >"/etc/$X-was-file"
chmod 0644 "$U/$X-was-file" "/etc/$X-was-file"
"$PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$U/$X-sock"
null=$(stat -c '%t %T' /dev/null)
null_dev=$((16#${null% *})):$((16#${null#* }))
mknod "$U/$X-null" c $((16#${null% *})) $((16#${null#* }))
block=$(ls /sys/dev/block 2>/dev/null | head -n 1)
devices=1
[ -n "$block" ] && mknod "$U/$X-block" b "${block%:*}" "${block#*:}" && devices=2
( exec 3>"$U/$X-fifo"; echo opened >"$TMP/fifo-opened" ) 2>/dev/null &
WRITER=$!
BACKGROUND+=("$WRITER")

timeout -k 1 10 "$SANDBOXCTL" diff --state-root="$STATE" "$X" </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
expected=$(printf 'A /etc/%s\n' "$X-fifo	fifo" "$X-null	character device $null_dev" "$X-sock	socket"
        printf 'M /etc/%s\n' "$X-was-file	fifo")
[ -n "$block" ] && expected=$(printf 'A /etc/%s\tblock device %s\n%s' "$X-block" "$block" "$expected")
check_eq "special files: diff does not block (status 0) and lists each by its type, a device with its number, \
after a tab" "$rc $(cat "$TMP/out")" "0 $expected"
timeout -k 1 10 "$SANDBOXCTL" diff --json --state-root="$STATE" "$X" </dev/null >"$TMP/out" 2>"$TMP/err"
check "special files: diff --json gives the type, and a device's number" "$PYTHON" -c '
import json, sys
c = {x["path"].rsplit("-", 1)[1]: x for x in json.load(open(sys.argv[1]))}
sys.exit(0 if c["fifo"]["type"] == "fifo" and c["sock"]["type"] == "socket" and c["file"]["change"] == "modified"
         and c["null"] == {"change": "added", "path": c["null"]["path"], "type": "character device",
                           "device": sys.argv[2]} else 1)' "$TMP/out" "$null_dev"

timeout -k 1 10 "$SANDBOXCTL" status --state-root="$STATE" "$X" </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "special files: status does not block (status 3) and gives the state's size" \
        "$rc $(grep -c "state: $STATE/$X, [0-9]" "$TMP/out")" "3 1"

ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$X" "$X-copy"
check_eq "special files: clone: status 0, a warning per device node, which it does not copy" \
        "$rc $(grep -c 'not copied: device nodes made in a sandbox are left out' "$TMP/err") $(wc -l <"$TMP/err")" \
        "0 $devices $devices"
check_eq "special files: ... the copy has the FIFOs and the socket, and no device node" \
        "$(cd "$STATE/$X-copy/etc/upper" && find . -mindepth 1 -printf '%y %p\n' | sort)" \
        "$(printf 'p ./%s\n' "$X-fifo" "$X-was-file"; printf 's ./%s' "$X-sock")"
ctl delete --state-root="$STATE" "$X-copy"
rm -f "$PROFILES/$X-copy.xml"
ctl delete --state-root="$STATE" "$X"
check_eq "special files: delete: status 0, nothing printed, nothing left" \
        "$rc $(cat "$TMP/out" "$TMP/err")$(ls -A "$STATE" | grep -F -- "$X")" "0 "
check "special files: the FIFO was never opened: its writer still waits, and left no mark" \
        test ! -e "$TMP/fifo-opened" -a -d "/proc/$WRITER"
kill "$WRITER" 2>/dev/null
wait "$WRITER" 2>/dev/null

# A regular file of the upper dir that has the host's size, so that
# diff opens it to compare the content, is swapped with a FIFO (a
# rename that exchanges the two, as fast as it goes) while diff runs.
name race
R=$n
profile "$R"
state_of "$R"
mkdir -m 0700 "$STATE/$R/spare"
echo host >"/etc/$R-race"
echo uppr >"$STATE/$R/etc/upper/$R-race"
mkfifo -m 0644 "$STATE/$R/spare/fifo"
chmod 0644 "/etc/$R-race" "$STATE/$R/etc/upper/$R-race"
rm -f "$TMP/fifo-opened"
( exec 3>"$STATE/$R/spare/fifo"; echo opened >"$TMP/fifo-opened" ) 2>/dev/null &
WRITER=$!
BACKGROUND+=("$WRITER")
"$PYTHON" - "$STATE/$R/etc/upper/$R-race" "$STATE/$R/spare/fifo" "$TMP/swaps" <<'EOF' 2>"$TMP/swapper.err" &
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
a, b = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2])
n = 0
while True:
    if libc.renameat2(-100, a, -100, b, 2) != 0:  # AT_FDCWD, RENAME_EXCHANGE
        sys.exit("renameat2: " + os.strerror(ctypes.get_errno()))
    n += 1
    if n % 100 == 1:  # whole, whenever the test reads it
        open(sys.argv[3] + ".new", "w").write("%d\n" % n)
        os.replace(sys.argv[3] + ".new", sys.argv[3])
EOF
SWAPPER=$!
BACKGROUND+=("$SWAPPER")
# from its first swap on
for ((i = 0; i < 400; i++)); do
        [ -s "$TMP/swaps" ] || ! kill -0 "$SWAPPER" 2>/dev/null && break
        sleep 0.05
done
blocked=0 bad=0 regular=0 fifo=0 stale=0
for ((i = 0; i < 50; i++)); do
        timeout -k 1 10 "$SANDBOXCTL" diff --state-root="$STATE" "$R" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        if [ "$rc" -ge 124 ]; then
                blocked=$((blocked + 1))
        elif [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = "M /etc/$R-race" ] && [ ! -s "$TMP/err" ]; then
                regular=$((regular + 1))
        elif [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = "M /etc/$R-race	fifo" ] && [ ! -s "$TMP/err" ]; then
                fifo=$((fifo + 1))
        elif [ "$rc" -eq 1 ] && [ ! -s "$TMP/out" ] && grep -q "diff /etc/$R-race: changed while being read" "$TMP/err"; then
                stale=$((stale + 1))
        else
                bad=$((bad + 1))
                diag "diff $i: status $rc: $(cat "$TMP/out" "$TMP/err")"
        fi
done
swaps=$(cat "$TMP/swaps" 2>/dev/null)
if [ -d "/proc/$SWAPPER" ] && [ "${swaps:-0}" -gt 0 ]; then
        ok "race: the file was swapped with the FIFO all along (${swaps}+ times)"
else
        not_ok "race: the file was swapped with the FIFO all along"
        diag "swaps: ${swaps:-none}" "$(cat "$TMP/swapper.err")"
fi
kill "$SWAPPER" 2>/dev/null
wait "$SWAPPER" 2>/dev/null
check_eq "race: 50 diffs, none blocked, each found the file or the FIFO by its type, or said it changed while \
being read ($regular file, $fifo FIFO, $stale changed)" "$blocked $bad $((regular + fifo + stale))" "0 0 50"
check "race: the FIFO was never opened: its writer still waits, and left no mark" \
        test ! -e "$TMP/fifo-opened" -a -d "/proc/$WRITER"
kill "$WRITER" 2>/dev/null
wait "$WRITER" 2>/dev/null
ctl delete --state-root="$STATE" "$R"
check_eq "race: delete: status 0, nothing left" "$rc $(ls -A "$STATE" | grep -F -- "$R")" "0 "

# immutable and append-only files and directories, where the file
# system has the flags
name immutable
I=$n
profile "$I"
state_of "$I"
U=$STATE/$I/var/upper
mkdir -p "$U/0" "$U/a/b" "$U/z"
echo x >"$U/0/x"
echo f >"$U/a/b/f"
echo g >"$U/a/g"
echo z >"$U/z/z"
if chattr +i "$U/a/b/f" 2>/dev/null; then
        IMMUTABLE=("$U/a/b/f" "$U/a/g" "$U/a" "$U/z")
        chattr +a "$U/a/g" && chattr +a "$U/a" && chattr +i "$U/z"
        # without CAP_LINUX_IMMUTABLE the flags stay: delete removes what
        # it can before, says which one is in the way, and leaves a tree
        setpriv --bounding-set=-linux_immutable "$SANDBOXCTL" delete --state-root="$STATE" "$I" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_error "immutable files, without CAP_LINUX_IMMUTABLE: delete fails (status 1) in one line naming the \
append-only directory" "delete $U/a: clear its immutable or append-only flag: Operation not permitted"
        check "... and leaves a tree of what it could not remove yet" test ! -e "$U/0" -a -f "$U/a/b/f" -a -d "$U/z"
        ctl delete --state-root="$STATE" "$I"
        check_eq "immutable files: a second delete clears the flags and finishes: status 0, nothing printed, \
nothing left" "$rc $(cat "$TMP/out" "$TMP/err")$(ls -A "$STATE" | grep -F -- "$I")" "0 "
else
        skip "immutable files: delete clears the flags" "$STATE's file system has no immutable flag"
        ctl delete --state-root="$STATE" "$I"
fi

# A directory moved while clone is deep below it, where the walk holds
# its directories closed: clone is held at the open of the deepest file
# (a fanotify permission event) while the test moves a directory near
# the top elsewhere; climbing back, the walk must find that ".." is no
# longer the directory it came from, and stop.
name moved
V=$n
profile "$V"
state_of "$V"
U=$STATE/$V/etc/upper
mkdir "$U/a" "$U/b"
deep_tree "$U/a" 100
"$PYTHON" - "$U/a$(printf '/d%.0s' $(seq 100))/file" "$U/a/d/d/d" "$U/b/moved" "$TMP/held" <<'EOF' \
        >"$TMP/fanotify.out" 2>&1 &
import ctypes, os, select, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.fanotify_mark.argtypes = [ctypes.c_int, ctypes.c_uint, ctypes.c_uint64, ctypes.c_int, ctypes.c_char_p]
fan = libc.fanotify_init(0x4 | 0x1, os.O_RDONLY)  # FAN_CLASS_CONTENT | FAN_CLOEXEC
if fan < 0 or libc.fanotify_mark(fan, 0x1, 0x10000, -100, os.fsencode(sys.argv[1])) < 0:  # FAN_OPEN_PERM
    print("no fanotify permission events:", os.strerror(ctypes.get_errno()))
    sys.exit(0)
open(sys.argv[4], "w").close()
if not select.select([fan], [], [], 60)[0]:
    sys.exit("no open of the file")
_, _, _, _, mask, fd, pid = struct.unpack("IBBHQii", os.read(fan, 4096)[:24])
os.rename(sys.argv[2], sys.argv[3])
os.write(fan, struct.pack("iI", fd, 0x1))  # FAN_ALLOW
os.close(fd)
print("held and moved")
EOF
HOLDER=$!
BACKGROUND+=("$HOLDER")
for ((i = 0; i < 400; i++)); do
        [ -e "$TMP/held" ] || ! kill -0 "$HOLDER" 2>/dev/null && break
        sleep 0.05
done
if [ -e "$TMP/held" ]; then
        ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$V" "$V-copy"
        wait "$HOLDER"
        check_eq "moved directory: clone was held at the deepest file while a directory above it was moved" \
                "$(cat "$TMP/fanotify.out")" "held and moved"
        check_error "moved directory: clone stops (status 1) in one line: the directory is no longer where the walk \
came from" "copy $U/a/d/d/d: open the directory it is in: changed while being read (replaced or moved); refusing to go on"
        check_eq "... and leaves nothing of the copy" "$(ls -A "$STATE" "$PROFILES" | grep -F -- "$V-copy")" ""
else
        wait "$HOLDER"
        skip "moved directory: clone stops" "$(cat "$TMP/fanotify.out")"
fi
ctl delete --state-root="$STATE" "$V"
check_eq "moved directory: delete: status 0, nothing left" "$rc $(ls -A "$STATE" | grep -F -- "$V")" "0 "

# delete killed half-way: 300 directories of 100 files; it is killed
# once the first directory (in the order it deletes) is gone
name killed
K=$n
profile "$K"
state_of "$K"
"$PYTHON" - "$STATE/$K/var/upper" <<'EOF'
import os, sys
for d in range(300):
    p = os.path.join(sys.argv[1], "d%03d" % d)
    os.mkdir(p)
    for f in range(100):
        open(os.path.join(p, "f%03d" % f), "w").close()
EOF
"$SANDBOXCTL" delete --state-root="$STATE" "$K" </dev/null >"$TMP/out" 2>"$TMP/err" &
DELETER=$!
BACKGROUND+=("$DELETER")
for ((i = 0; i < 2000; i++)); do
        [ -e "$STATE/$K/var/upper/d000" ] || break
        sleep 0.005
done
kill -KILL "$DELETER" 2>/dev/null
wait "$DELETER" 2>/dev/null
left=$(find "$STATE/$K" -mindepth 1 | wc -l)
if [ -d "$STATE/$K" ] && [ "$left" -lt 30306 ]; then
        ok "delete killed (SIGKILL) half-way: part of the state is gone, $left entries are left"
else
        not_ok "delete killed (SIGKILL) half-way: part of the state is gone"
        diag "left: $left"
fi
ctl delete --state-root="$STATE" "$K"
check_eq "... a second delete finishes: status 0, nothing printed, nothing left" \
        "$rc $(cat "$TMP/out" "$TMP/err")$(ls -A "$STATE" | grep -F -- "$K")" "0 "

# Names a service made reach the admin's terminal escaped in messages, as
# in diff's output: ESC, BEL and a C1 CSI (U+009B) in every directory of a
# chain 40 deep; with few descriptors the walk of diff, status and delete
# fails deep in that chain, and says where
name escapes
E=$n
profile "$E"
in_sandbox "$E" 'n=$(printf "x\033]0;owned\007\033[31m\302\233"); p=/etc; for i in $(seq 40); do p="$p/$1$i$n"; done; mkdir -p "$p"' "$E"
check_eq "a service makes directories named with ESC, BEL and C1 controls (status 0)" "$rc" 0
# raw_controls FILE: FILE holds a control character other than newline,
# or a C1 control
raw_controls() {
        "$PYTHON" -c 'import sys; d = open(sys.argv[1], "rb").read().replace(b"\n", b"")
sys.exit(0 if any(b < 0x20 or b == 0x7f for b in d) or b"\xc2\x9b" in d else 1)' "$1"
}
# few_fds VERB ARG...: sandboxctl VERB with 12 descriptors at most
few_fds() {
        (ulimit -n 12 && exec timeout -k 5 150 "$SANDBOXCTL" "$@") </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
ESCAPED="$E"'1x\033]0;owned\007\033[31m\302\233'
for verb in diff status delete; do
        few_fds "$verb" --state-root="$STATE" "$E"
        if grep -qF -- "$ESCAPED" "$TMP/err" && ! raw_controls "$TMP/err" && ! raw_controls "$TMP/out"; then
                ok "$verb: a message naming what the service made shows its control characters escaped"
        else
                not_ok "$verb: a message naming what the service made shows its control characters escaped"
                diag "status $rc" "$(cat -v "$TMP/out" "$TMP/err" | head -c 2000)"
        fi
done
check "... the failed delete stopped where it failed: the state is there" test -d "$STATE/$E"
# a mount point below the state, named by the service
M=$(ls -d "$STATE/$E/etc/upper/$E"1*)
mount -t tmpfs tmpfs "$M"
ctl delete --state-root="$STATE" "$E"
check_error "delete with a file system mounted on a directory the service named: the name escaped" \
        "$STATE/$E/etc/upper/$ESCAPED is a mount point"
if raw_controls "$TMP/err"; then not_ok "... and no raw control character"; else ok "... and no raw control character"; fi
umount "$M"
ctl delete --state-root="$STATE" "$E"
check_eq "delete with enough descriptors: status 0, nothing left" "$rc $(ls -A "$STATE" | grep -F -- "$E")" "0 "

# ---------------------------------------------------------------------------
# delete

mkdir -p "$TMP/outside" && echo outside >"$TMP/outside/file"
ln -s "$TMP/outside" "$STATE/$A/etc/upper/$A-outside"
ln -s "$TMP/outside/file" "$STATE/$A/var/upper/$A-outside-file"
mount -t tmpfs tmpfs "$STATE/$A/etc/upper/$A-newdir"
ctl delete --state-root="$STATE" "$A"
check_error "delete with a file system mounted below the state: status 1, one line naming the mount point" \
        "$STATE/$A/etc/upper/$A-newdir is a mount point"
check "... nothing was deleted" test -f "$STATE/$A/etc/upper/$A-new" -a -d "/run/sandbox/$A"
umount "$STATE/$A/etc/upper/$A-newdir"

private_before=$(tree_listing "$STATE/$P")
check "before delete: the sandbox has state and a runtime directory" test -d "$STATE/$A" -a -d "/run/sandbox/$A"
ctl delete --state-root="$STATE" "$A"
check_eq "delete: status 0, nothing printed" "$rc $(cat "$TMP/out" "$TMP/err")" "0 "
check "delete: the state is gone, all of it" test ! -e "$STATE/$A"
check "delete: the runtime directory is gone" test ! -e "/run/sandbox/$A"
check_eq "delete: symbolic links in the state were removed, not followed" "$(cat "$TMP/outside/file")" outside
check_eq "delete: other sandboxes' state is untouched" "$(tree_listing "$STATE/$P")" "$private_before"
check "delete: the profile stays" test -f "$PROFILES/$A.xml"
ctl delete --state-root="$STATE" "$A"
check_error "delete of a sandbox without state: status 1, one line" "has no state"
ctl delete --state-root="$STATE" 'bad/name'
check_error "delete of an invalid name: status 1, one line" "not a valid sandbox name"
ctl delete --state-root="$STATE"
check "delete without a name: usage error (status 2), one line" usage_error
ctl delete --help
check "delete --help: status 0, the usage" bash -c '[ "$1" -eq 0 ] && grep -q "^sandboxctl delete " "$2"' _ "$rc" "$TMP/out"

# ---------------------------------------------------------------------------
# the state of a sandbox with a range of host IDs of its own
# (<user-namespace mode="private"/>), made by hand as the helper leaves
# it: its record STATE/NAME/userns, its files owned on the host by
# BASE+ID where the sandbox sees ID; no sandbox runs

name mapped
M=$n
profile "$M"
BASE=2046820352 # 0x7A000000, a slot of the pool
mkdir -m 0700 "$STATE/$M" "$STATE/$M/etc" "$STATE/$M/var" "$STATE/$M/etc/work" "$STATE/$M/var/work"
mkdir -m 0755 "$STATE/$M/etc/upper" "$STATE/$M/var/upper"
printf '%s 65536 ready\n' "$BASE" >"$STATE/$M/userns"
chmod 0644 "$STATE/$M/userns"
# host files the sandbox's copies are compared with: root's, 0644 / 0755
echo same >"/etc/$M-same" && echo same >"/etc/$M-chown" && mkdir -m 0755 "/etc/$M-dir"
U=$STATE/$M/etc/upper
echo same >"$U/$M-same" && echo same >"$U/$M-chown" && chmod 0644 "$U/$M-same" "$U/$M-chown"
mkdir -m 0755 "$U/$M-dir" && echo new >"$U/$M-dir/new"
mkdir -m 0755 "$STATE/$M/var/upper/lib" && echo new >"$STATE/$M/var/upper/$M-new"
chown -R "$BASE:$BASE" "$STATE/$M/etc/upper" "$STATE/$M/var/upper"
chown "$((BASE + 5)):$((BASE + 5))" "$U/$M-chown"
chown "$((BASE + 1000)):$((BASE + 1000))" "$U/$M-dir/new"
chown "$((BASE + 1000)):$((BASE + 1000))" "$STATE/$M/var/upper/$M-new"
chmod 04755 "$STATE/$M/var/upper/$M-new"

ctl diff --state-root="$STATE" "$M"
check_eq "diff of a state with a range: owners compared as the sandbox sees them (BASE+ID is ID), status 0" \
        "$rc $(cat "$TMP/out")" "0 M /etc/$M-chown
A /etc/$M-dir/new
A /var/$M-new"
DIFF_M=$(cat "$TMP/out")
mv "$STATE/$M/userns" "$TMP/userns-$M"
ctl diff --state-root="$STATE" "$M"
check_error "... without its record, an upper dir owned by BASE is refused, as any not root's: one line" \
        "owned by uid $BASE"
mv "$TMP/userns-$M" "$STATE/$M/userns"

# offsets LISTING BASE: a tree_listing's lines with each owner made ID-BASE
# and the times left out (a copy's directories are its own)
offsets() {
        awk -v base="$2" '{ $3 = $3 - base; $4 = $4 - base; $5 = ""; print }' <<<"$1"
}
name mapped-copy
M2=$n
before=$(tree_listing "$STATE/$M")
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$M" "$M2"
check_eq "clone of a state with a range: status 0, nothing printed" "$rc $(cat "$TMP/out" "$TMP/err")" "0 "
check_eq "clone: the source's state, its record too, is unchanged" "$(tree_listing "$STATE/$M")" "$before"
read -r BASE2 SIZE2 READY2 <"$STATE/$M2/userns"
if [ "$SIZE2 $READY2" = "65536 ready" ] && [ "$BASE2" != "$BASE" ] && [ "$BASE2" -ge 1879048192 ] &&
        [ "$BASE2" -lt 2147352576 ] && [ $((BASE2 % 65536)) -eq 0 ]; then
        ok "clone: the copy has a range of its own, not the source's: $BASE2 65536 ready"
else
        not_ok "clone: the copy has a range of its own, not the source's"
        diag "$(cat "$STATE/$M2/userns")"
fi
check_eq "clone: its record is root's, 0644, a regular file" "$(stat -c '%u %a %F' "$STATE/$M2/userns")" \
        "0 644 regular file"
check_eq "clone: every file of the copy is owned by BASE2+ID where the source's is BASE+ID, set-user-ID kept" \
        "$(offsets "$(tree_listing "$STATE/$M2/etc/upper"; tree_listing "$STATE/$M2/var/upper")" "$BASE2")" \
        "$(offsets "$(tree_listing "$STATE/$M/etc/upper"; tree_listing "$STATE/$M/var/upper")" "$BASE")"
check_eq "clone: the work dirs stay root's" "$(stat -c '%u:%g' "$STATE/$M2/etc/work" "$STATE/$M2/var/work")" \
        "0:0
0:0"
check_eq "clone: no other state's record holds the copy's range" \
        "$(grep -l "^$BASE2 " "$STATE"/*/userns)" "$STATE/$M2/userns"
ctl diff --state-root="$STATE" "$M2"
check_eq "clone: diff of the copy reports what diff of the source does" "$(cat "$TMP/out")" "$DIFF_M"

ctl delete --state-root="$STATE" "$M2"
check_eq "delete of a state with a range: status 0, nothing printed" "$rc $(cat "$TMP/out" "$TMP/err")" "0 "
check "delete: the state and its record are gone" test ! -e "$STATE/$M2"
check "delete: no record holds its range any more" bash -c '! grep -qs "^$1 " "$2"/*/userns' _ "$BASE2" "$STATE"
rm "$PROFILES/$M2.xml"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$M" "$M2"
check_eq "delete: the range is free again: a new clone of the same name takes it (status 0)" \
        "$rc $(cut -d' ' -f1 "$STATE/$M2/userns" 2>&1)" "0 $BASE2"
ctl delete --state-root="$STATE" "$M2"
rm -f "$PROFILES/$M2.xml"

name mapped-bad
M3=$n
# a file the sandbox could not have made: owned by the host's root
echo same >"/etc/$M-rooted" && echo same >"$U/$M-rooted" && chmod 0644 "/etc/$M-rooted" "$U/$M-rooted"
ctl diff --state-root="$STATE" "$M"
check "diff: a file of the host's root in the state is a change (the sandbox sees nobody)" \
        grep -qx "M /etc/$M-rooted" "$TMP/out"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$M" "$M3"
check_error "clone refuses a file owned outside the source's range: status 1, one line naming it" "$M-rooted: owned by UID 0"
check "... and made nothing: no profile, no state, no hidden copy, no record" \
        bash -c '[ ! -e "$1/$3.xml" ] && [ ! -e "$2/$3" ] && ! ls -a "$2" | grep -q "^\.$3" &&
                [ "$(cat "$2"/*/userns | wc -l)" -eq 1 ]' _ "$PROFILES" "$STATE" "$M3"
rm "$U/$M-rooted"
printf '%s 65536 shifting\n' "$BASE" >"$STATE/$M/userns"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$M" "$M3"
check_error "clone refuses a state whose owners are half-way moved (its record says shifting): one line" \
        "half-way moved"
check "... and made nothing" test ! -e "$PROFILES/$M3.xml" -a ! -e "$STATE/$M3"
ln -sf "$TMP/userns-elsewhere" "$STATE/$M/userns"
printf '%s 65536 ready\n' "$BASE" >"$TMP/userns-elsewhere"
ctl diff --state-root="$STATE" "$M"
check_error "diff refuses a record that is a symbolic link: status 1, one line" "symbolic link"
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$M" "$M3"
check_error "clone refuses it too" "symbolic link"

done_testing
