#!/usr/bin/env bash
# The host-side verbs on the state a service shaped: a real sandbox, its
# service root inside, leaves in its /etc and /var symbolic links
# (absolute and relative, to host files, to a FIFO outside with a writer
# waiting on it, out of the state directory with ../..), FIFOs, sockets, a
# sparse file of a terabyte, a deep tree, names with newlines, escape
# sequences and bytes that are not UTF-8. The test adds what a service
# cannot make itself, as a past escape or a restored backup would have
# left it: a hard link to a file outside the state, a device node, and a
# sparse copy of a sparse host file of the same size (lastlog's shape).
# Then diff, status (text and --json), clone and delete: none blocks or
# takes more than its time, none follows a link out or opens the FIFO,
# their JSON parses, the copy stays sparse; and the host, checked from
# outside (names, types, modes, times and contents), is as it was. Needs
# root. Everything is under $TMP, but /run/sandbox/NAME for this run's
# own names.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbhoststate$$
. "$(dirname "$0")/lib.sh"
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

WRITER=
cleanup() {
        [ -n "$WRITER" ] && kill "$WRITER" 2>/dev/null && wait "$WRITER" 2>/dev/null
        umount /etc /var 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

host_overlay "$TMP/host"
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus

name svc
X=$n
cat >"$PROFILES/$X.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox name="$X">
  <exec><arg>/bin/true</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
EOF

# what the links point at: a directory outside the state, with a file, a
# FIFO a writer waits on (it leaves a mark the moment anything opens the
# FIFO) and the test's own /etc/shadow stand-in
OUT=$TMP/outside
mkdir -p "$OUT/dir"
echo host >"$OUT/file"
echo host >"$OUT/dir/file"
mkfifo "$OUT/fifo"
( exec 3>"$OUT/fifo"; echo opened >"$TMP/fifo-opened" ) 2>/dev/null &
WRITER=$!
echo 'root:HOST-SECRET:19000::::::' >"/etc/$X-shadow"
chmod 0600 "/etc/$X-shadow"
# a sparse host file of a terabyte, as lastlog is on hosts with large ids
truncate -s 1T "/var/$X-lastlog" 2>/dev/null && SPARSE=yes || SPARSE=no
touch -d '2001-01-01' "$OUT" "$OUT"/* "$OUT/dir" "/etc/$X-shadow" "/var/$X-lastlog" 2>/dev/null

# host_listing: every entry of $OUT, the stand-ins of the host's files,
# and the test's /etc and /var upper layers: name, type, mode, times,
# size and content (of regular files up to 1 MiB)
host_listing() {
        "$PYTHON" - "$OUT" "/etc/$X-shadow" "/var/$X-lastlog" "$TMP/host/etc-up" "$TMP/host/var-up" <<'EOF'
import hashlib, os, stat, sys
for top in sys.argv[1:]:
    paths = [top] + ([os.path.join(d, n) for d, ds, fs in os.walk(top) for n in ds + fs] if os.path.isdir(top) else [])
    for p in sorted(paths):
        st = os.lstat(p)
        data = ""
        if stat.S_ISREG(st.st_mode) and st.st_size <= 1 << 20:
            data = hashlib.sha256(open(p, "rb").read()).hexdigest()
        print(repr(p), oct(st.st_mode), st.st_nlink if not stat.S_ISDIR(st.st_mode) else "", st.st_mtime_ns,
              st.st_ctime_ns if p.startswith(sys.argv[1]) else "", st.st_size, data)
EOF
}

# the service, root in its sandbox, shapes its /etc and /var
in_svc() {
        timeout -k 5 120 "$SANDBOXCTL" run --state-root="$STATE" "$X" -- /bin/sh -c "$1" </dev/null \
                >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
in_svc "
set -e
ln -s /etc/$X-shadow /etc/link-abs
ln -s ../../../../../../../../../../etc/$X-shadow /etc/link-rel
ln -s ../../../../outside /var/link-out-dir
ln -s ../../../../outside/file /var/link-out-file
ln -s $OUT/fifo /var/link-fifo
ln -s $OUT /var/link-abs-dir
ln -s /proc/self/root /var/link-root
ln -s link-loop /var/link-loop
mkfifo /var/fifo /etc/fifo
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' /var/sock
truncate -s 1T /var/huge
printf tail | dd of=/var/huge bs=1 seek=1099511627772 conv=notrunc 2>/dev/null
touch \"/etc/new
line\" /etc/\$(printf '\\033]0;title\\007') /etc/\$(printf '\\377\\376') \"/var/\$(printf 'tab\\there')\"
mkdir /var/deep && cd /var/deep && i=0 && while [ \$i -lt 300 ]; do mkdir d && cd d; i=\$((i + 1)); done && echo deep >file
"
check_eq "the service made its links, FIFOs, socket, sparse file, odd names and deep tree" "$rc $(cat "$TMP/err")" "0 "
U=$STATE/$X
check "... they are in its upper dirs, as links (not followed), FIFOs and a sparse file" \
        test -L "$U/etc/upper/link-abs" -a -L "$U/var/upper/link-out-dir" -a -p "$U/var/upper/fifo" \
        -a -S "$U/var/upper/sock" -a "$(du -k "$U/var/upper/huge" | cut -f1)" -lt 1024

# what the service cannot make: a hard link to a file outside the state
# (the upper dir and $OUT are on one file system), a device node, and its
# own sparse copy of the sparse host file
ln "$OUT/file" "$U/var/upper/hardlink" 2>/dev/null && HARD=yes || HARD=no
mknod "$U/etc/upper/zero" c 1 5
[ "$SPARSE" = yes ] && truncate -s 1T "$U/var/upper/$X-lastlog"
touch -d '2001-01-01' "$OUT/file"
BEFORE=$(host_listing)

# verb DESCRIPTION SECONDS ARG...: sandboxctl ARG... within SECONDS; status
# in $rc, output in $TMP/out and $TMP/err; its time in $took
verb() {
        local what=$1 limit=$2 start
        shift 2
        start=$(date +%s%N)
        timeout -k 2 "$limit" "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        took=$(( ($(date +%s%N) - start) / 1000000 ))
        if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
                not_ok "$what: ends within $limit s"
        else
                ok "$what: ends within $limit s (status $rc, $took ms)"
        fi
}
raw_controls() {
        LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$1"
}
# json_ok FILE: FILE is one JSON document
json_ok() {
        "$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1"
}

verb "diff" 60 diff --state-root="$STATE" "$X"
check_eq "diff: status 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
check "diff: no raw control character in its output" eval '! raw_controls "$TMP/out"'
check_eq "diff: the links are listed as added, by their own names (not followed)" \
        "$(grep -c '^A /[a-z]*/link-[a-z-]*$' "$TMP/out")" 8
check "diff: nothing of the files the links point at" eval '! grep -q "HOST-SECRET" "$TMP/out"'
check "diff: the name with a newline is one line, the newline escaped" grep -qxF 'A /etc/new\nline' "$TMP/out"
check "diff: the 300-deep file is listed" grep -q '^A /var/deep/d/.*/d/file$' "$TMP/out"
if [ "$SPARSE" = yes ]; then
        check_eq "diff: the sparse copy of the sparse 1 TB host file, the same, is not listed" \
                "$(grep -c "$X-lastlog" "$TMP/out")" 0
        check "diff: ... compared in less than 20 s ($took ms all told)" test "$took" -lt 20000
fi

verb "diff --json" 60 --json diff --state-root="$STATE" "$X"
check "diff --json: status 0, one valid JSON document" eval '[ "$rc" -eq 0 ] && json_ok "$TMP/out"'
check "diff --json: names that are not UTF-8 and control characters are valid JSON strings" "$PYTHON" -c '
import json, sys
p = [c["path"] for c in json.load(open(sys.argv[1]))]
sys.exit(0 if "/etc/new\nline" in p and "/etc/\x1b]0;title\x07" in p and "/etc/\ufffd\ufffd" in p else 1)' "$TMP/out"

verb "status" 30 status --state-root="$STATE" "$X"
check_eq "status: not running (3), the state's size, a line" \
        "$rc $(grep -c "state: $STATE/$X, [0-9]" "$TMP/out")" "3 1"
verb "status --json" 30 --json status --state-root="$STATE" "$X"
bytes=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["state_bytes"])' "$TMP/out" 2>&1)
check "status --json: valid, the size counts blocks (the terabyte's holes are not counted): $bytes" \
        test "$bytes" -lt $((64 << 20))

verb "clone" 120 clone --state-root="$STATE" --profile-dir="$PROFILES" "$X" "$X-copy"
NAMES+=("$X-copy")
check_eq "clone: status 0, the device node left out with a warning" \
        "$rc $(grep -c 'not copied: device nodes' "$TMP/err")" "0 1"
C=$STATE/$X-copy
check_eq "clone: the links are copied as links, with their targets" \
        "$(readlink "$C/etc/upper/link-abs") $(readlink "$C/var/upper/link-out-dir") $(readlink "$C/var/upper/link-root")" \
        "/etc/$X-shadow ../../../../outside /proc/self/root"
check "clone: the FIFOs and the socket are copied as such" test -p "$C/var/upper/fifo" -a -S "$C/var/upper/sock"
check_eq "clone: the terabyte stays sparse (size, blocks below 1 MiB) and keeps its tail" \
        "$(stat -c %s "$C/var/upper/huge") $(( $(du -k "$C/var/upper/huge" | cut -f1) < 1024 )) \
$(tail -c 4 "$C/var/upper/huge" 2>/dev/null | head -c 4)" "1099511627776 1 tail"
if [ "$HARD" = yes ]; then
        check_eq "clone: the hard link becomes a copy of its own; the outside file keeps its links" \
                "$(stat -c %h "$C/var/upper/hardlink") $(stat -c %h "$OUT/file") $(cat "$C/var/upper/hardlink")" "1 2 host"
else
        skip "clone: a hard link to a file outside" "the upper dir and \$OUT are on different file systems"
fi
check "clone: the 300-deep file is copied" test -n "$(find "$C/var/upper/deep" -name file)"
check "clone: nothing was written into what the links point at" test ! -e "$OUT/dir/d" -a ! -e "$OUT/deep"

verb "delete of the copy" 60 delete --state-root="$STATE" "$X-copy"
check_eq "delete of the copy: status 0, nothing left" "$rc $(ls -A "$STATE" | grep -cxF -- "$X-copy")" "0 0"
rm -f "$PROFILES/$X-copy.xml"
verb "delete" 60 delete --state-root="$STATE" "$X"
check_eq "delete: status 0, nothing printed, nothing left" \
        "$rc $(cat "$TMP/out" "$TMP/err")$(ls -A "$STATE" | grep -cxF -- "$X")" "0 0"

# a state whose upper dir is itself a link out (a restored backup): diff
# refuses it, clone copies the link as a link (the helper refuses to start
# on it), delete removes the link and not what it names
name linked
L=$n
sed "s/$X/$L/g" "$PROFILES/$X.xml" >"$PROFILES/$L.xml"
mkdir -m 0700 "$STATE/$L"
mkdir -p "$STATE/$L/etc/upper" "$STATE/$L/etc/work" "$STATE/$L/var/work"
ln -s "$OUT" "$STATE/$L/var/upper"
verb "diff, upper dir a link out" 30 diff --state-root="$STATE" "$L"
check_eq "diff, upper dir a link out: refused (1), the link named" \
        "$rc $(grep -c "var/upper: is a symbolic link" "$TMP/err")" "1 1"
verb "clone, upper dir a link out" 30 clone --state-root="$STATE" --profile-dir="$PROFILES" "$L" "$L-copy"
NAMES+=("$L-copy")
check_eq "clone, upper dir a link out: the link copied as a link, nothing read through it" \
        "$rc $(readlink "$STATE/$L-copy/var/upper") $(find "$STATE/$L-copy" -name file | wc -l)" "0 $OUT 0"
verb "delete of that copy" 30 delete --state-root="$STATE" "$L-copy"
check_eq "delete of that copy: status 0, gone" "$rc $(ls -A "$STATE" | grep -cxF -- "$L-copy")" "0 0"
rm -f "$PROFILES/$L-copy.xml"
verb "delete, upper dir a link out" 30 delete --state-root="$STATE" "$L"
check_eq "delete, upper dir a link out: status 0, the state gone, what the link named kept" \
        "$rc $(ls -A "$STATE" | grep -cxF -- "$L") $(cat "$OUT/dir/file")" "0 0 host"

check "the FIFO outside was never opened: its writer still waits, and left no mark" \
        test ! -e "$TMP/fifo-opened" -a -d "/proc/$WRITER"
AFTER=$(host_listing)
if [ "$HARD" = yes ]; then
        # the one change: the outside file has one link fewer, as the state's is gone
        BEFORE=$(printf '%s\n' "$BEFORE" | sed "s|^\('$OUT/file' [0-7o]* \)2 \([0-9]*\) [0-9]*|\1N \2 C|")
        AFTER=$(printf '%s\n' "$AFTER" | sed "s|^\('$OUT/file' [0-7o]* \)1 \([0-9]*\) [0-9]*|\1N \2 C|")
fi
check_eq "the host, checked from outside: the files the links and the hard link named, their \
directories, the test's /etc and /var, unchanged (names, modes, times, contents), nothing added" "$AFTER" "$BEFORE"

done_testing
