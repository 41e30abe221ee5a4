#!/usr/bin/env bash
# Bounded state (<state size=...>): the /etc and /var overlays' upper dirs
# on an ext4 of that size in STATE/NAME/state.img. A service that fills
# its /var gets ENOSPC; the state directory grows no more than the cap;
# what was written before survives a restart; status shows the use; diff,
# clone and delete work on it (clone also on one with a range of host IDs
# of its own, the copy's files in its image moved to a range of its own), diff and status of a running sandbox on
# its own loop device and of a stopped one without writing to the image,
# also over what a hostile service left there; no loop device and no
# mount is left after a stop, a killed helper or a killed PID 1; an
# uncapped state is taken into the image, as it was, or the start fails
# and it stays where it was; a grow (also one interrupted) keeps the data
# and a shrink is refused. Needs root, loop devices and e2fsprogs. Everything is under $TMP, but
# /run/sandbox/NAME for this run's own names.
# With TEST_OVERLAYS=attached (test-state-disk-attached.sh) the overlays
# are made as where the kernel takes no layer on a detached mount (lib.sh,
# overlays_attached_helper), and a start says so.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
# in a mount namespace of its own, before anything is made
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbdisk$$
. "$(dirname "$0")/lib.sh"

if [ ! -e /dev/loop-control ] || { [ ! -x /usr/sbin/mkfs.ext4 ] && [ ! -x /sbin/mkfs.ext4 ]; } ||
        ! command -v debugfs >/dev/null; then
        echo "1..0 # SKIP no /dev/loop-control, or no mkfs.ext4 or debugfs (e2fsprogs) here"
        exit 0
fi

overlays_attached_helper

BACKGROUND=()
cleanup() {
        local pid
        for pid in "${BACKGROUND[@]}"; do
                kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
        done
        umount /etc /var 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

host_overlay "$TMP/host"
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER

# profile NAME SIZE [ETC-MODE]: $PROFILES/NAME.xml with <state size=SIZE>
profile() {
        local state=
        [ -z "$2" ] || state="<state size=\"$2\"/>"
        cat >"$PROFILES/$1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox name="$1">
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <etc mode="${3:-overlay}"/>
    $state
  </filesystem>
</sandbox>
EOF
}

# in_sandbox NAME SCRIPT: sh -c SCRIPT in NAME's sandbox; status in $rc,
# output in $TMP/out and $TMP/err; returns once the lock is free, as
# "systemctl stop" does once the unit's cgroup is empty: the helper
# reports the service's end before the keeper of its lock has taken the
# mounts down, and the image is read and written directly below
in_sandbox() {
        timeout -k 5 120 "$SANDBOXCTL" run --state-root="$STATE" "$1" -- /bin/sh -c "$2" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        [ ! -e "/run/sandbox/$1/lock" ] || flock -w 10 "/run/sandbox/$1/lock" true
}
ctl() {
        timeout -k 5 120 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
check() { # check DESCRIPTION COMMAND...: one assertion, the output shown when it fails
        local d=$1
        shift
        if "$@"; then ok "$d"; else not_ok "$d"; diag "status ${rc:-?}" "$(cat "$TMP/out" "$TMP/err" 2>/dev/null)"; fi
}

# loops_of IMAGE: the loop devices bound to IMAGE, after the last
# teardown had up to 5 s to end
loops_of() {
        local i l
        for ((i = 0; i < 100; i++)); do
                l=$(losetup -n -O NAME -j "$1" 2>/dev/null)
                [ -z "$l" ] && return 0
                sleep 0.05
        done
        echo "$l"
}
no_loop() { [ -z "$(loops_of "$1")" ]; }
# no mount of this run's state or of a loop device in the test's table
# (the host's, but for the test's own /etc and /var overlays)
no_mount() {
        ! grep -qE "$STATE|/dev/loop" /proc/self/mountinfo
}
# lock_free NAME: waits up to 10 s for NAME's run lock to be free: its
# last start's mounts, and with them the image's file system, are gone
lock_free() {
        local i
        for ((i = 0; i < 200; i++)); do
                flock -n "/run/sandbox/$1/lock" true 2>/dev/null && return 0
                sleep 0.05
        done
        return 1
}
kib() { du -sk --apparent-size "$@" | awk '{ print $1 }'; }
allocated_kib() { du -sk "$1" | awk '{ print $1 }'; }

# ---------------------------------------------------------------------------
# a capped sandbox fills its /var

name fill
F=$n
profile "$F" 32M
IMG=$STATE/$F/state.img
in_sandbox "$F" 'echo kept >/var/before && echo etc-kept >/etc/before-etc &&
        head -c 64M /dev/zero >/var/fill; echo "status $?"; ls -l /var/fill; cat /var/before'
check "a service writing past the cap gets ENOSPC" grep -q "No space left on device" "$TMP/err"
check "the write failed and the sandbox went on" grep -q "^status 1" "$TMP/out"
check "what was written before the cap is readable" grep -q "^kept" "$TMP/out"
check "the image is STATE/NAME/state.img, a regular file of mode 0600" \
        test "$(stat -c '%F %a %u' "$IMG" 2>/dev/null)" = "regular file 600 0"
used=$(allocated_kib "$STATE/$F")
check "the state directory takes no more than the cap on the host ($used KiB of 32768)" test "$used" -le 32768
check "the image stays sparse where nothing was written (apparent $(kib "$IMG") KiB)" test "$(kib "$IMG")" -le 32768
check "no loop device is bound to the image after the stop" no_loop "$IMG"
check "no mount of the state or a loop device is left" no_mount
if [ "${TEST_OVERLAYS:-}" = attached ]; then
        timeout -k 5 120 "$HELPER" --debug --name="$F" --state-root="$STATE" --state-size=32M -- /bin/cat /var/before \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check "SANDBOX_FAULT_OVERLAYS=attached: the overlays are made in a mount namespace of their own" \
                sh -c "[ $rc = 0 ] && grep -qx kept '$TMP/out' && grep -q 'made in a mount namespace of their own' '$TMP/err'"
        check "and no loop device is left after the stop" no_loop "$IMG"
        check "and no mount" no_mount
fi

in_sandbox "$F" 'cat /var/before /etc/before-etc; rm /var/fill && echo removed; echo more >/var/after && echo written'
check "after a restart the data is intact" grep -qx "kept" "$TMP/out"
check "and /etc's too" grep -qx "etc-kept" "$TMP/out"
check "removing the filler frees the space" grep -qx "written" "$TMP/out"
check "no loop device after the second run" no_loop "$IMG"

# status: the use, stopped and running
ctl status --state-root="$STATE" "$F"
check "status shows the use of the image when stopped" grep -qE "disk: .* used of .* in state.img" "$TMP/out"
ctl status --json --state-root="$STATE" "$F"
size=$(sed -n 's/.*"state_disk": {"image": "state.img", "used_bytes": \([0-9]*\), "size_bytes": \([0-9]*\)}.*/\2/p' "$TMP/out")
check "status --json gives the size of the image's file system ($size)" \
        test -n "$size" -a "${size:-0}" -gt $((16 << 20)) -a "${size:-0}" -le $((32 << 20))
check "status leaves no loop device" no_loop "$IMG"

"$SANDBOXCTL" run --state-root="$STATE" "$F" -- /bin/sh -c 'head -c 8M /dev/zero >/var/eight; sleep 300' \
        </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
bg=$!
BACKGROUND+=("$bg")
for ((i = 0; i < 200; i++)); do
        [ "$(cat "/run/sandbox/$F/lock" 2>/dev/null)" = "$bg" ] && break
        sleep 0.05
done
sleep 1
ctl status --json --state-root="$STATE" "$F"
used_running=$(sed -n 's/.*"state_disk": {"image": "state.img", "used_bytes": \([0-9]*\),.*/\1/p' "$TMP/out")
check "status of the running sandbox shows what it wrote (${used_running:-?} bytes used)" \
        test "${used_running:-0}" -ge $((8 << 20))
ctl diff --state-root="$STATE" "$F"
check "diff reads the running sandbox's image" grep -qx "A /var/eight" "$TMP/out"
check_eq "while it runs, status and diff used its loop device: one is bound to the image" \
        "$(losetup -n -O NAME -j "$IMG" | wc -l)" 1
helper=$(cat "/run/sandbox/$F/lock" 2>/dev/null)
init=$(pgrep -P "${helper:-0}" | head -1)
if [ -n "$init" ] && [ "$(wc -l <"/proc/$init/mountinfo")" -gt 5 ]; then
        check_eq "the running sandbox's file system is in no mount table: the host's, its PID 1's" \
                "$(cat /proc/self/mountinfo "/proc/$init/mountinfo" |
                        awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 2) ~ /^\/dev\/loop/) n++ } END { print n + 0 }')" 0
else
        not_ok "the running sandbox's PID 1 is found (helper ${helper:-?})"
fi
kill -KILL "$bg"
wait "$bg" 2>/dev/null
check "a helper killed with SIGKILL leaves no loop device" no_loop "$IMG"
check "and no mount" no_mount

# PID 1 killed
"$HELPER" --name="$F" --state-root="$STATE" --state-size=32M -- /bin/sleep 300 </dev/null >/dev/null 2>&1 &
bg=$!
BACKGROUND+=("$bg")
init=
for ((i = 0; i < 200; i++)); do
        init=$(pgrep -P "$bg" | head -1)
        [ -n "$init" ] && pgrep -P "$init" >/dev/null && break
        sleep 0.05
done
[ -n "$init" ] && kill -KILL "$init"
wait "$bg" 2>/dev/null
check "a sandbox whose PID 1 was killed leaves no loop device" no_loop "$IMG"
in_sandbox "$F" 'cat /var/before /var/after'
check "its data is intact after the kills" test "$(cat "$TMP/out")" = "$(printf 'kept\nmore')"

# diff of the stopped sandbox
ctl diff --state-root="$STATE" "$F"
check "diff lists what the service added, from the image" grep -qx "A /var/before" "$TMP/out"
check "diff lists /etc's changes too" grep -qx "A /etc/before-etc" "$TMP/out"
check "diff leaves no loop device" no_loop "$IMG"
sum=$(sha256sum <"$IMG")
ctl status --state-root="$STATE" "$F"
ctl diff --state-root="$STATE" "$F"
check_eq "status and diff of a stopped sandbox write nothing to its image" "$(sha256sum <"$IMG")" "$sum"
# a read-only loop device bound to the image (as sandboxctl's own is) is
# not the sandbox's: it starts on one of its own, writable
ro=$(losetup -r -f --show "$IMG" 2>/dev/null)
if [ -n "$ro" ]; then
        in_sandbox "$F" 'echo beside-ro >/var/beside-ro && cat /var/beside-ro'
        check_eq "a sandbox starts and writes beside a read-only loop device of its image" "$rc:$(cat "$TMP/out")" "0:beside-ro"
        losetup -d "$ro"
else
        skip "a sandbox starts and writes beside a read-only loop device of its image" "losetup -r failed"
fi

# what a hostile service leaves in a capped state: a link to a secret of
# the host's, a FIFO a writer outside waits on, a hard link and a huge
# sparse file; diff, status and clone read the image without following,
# opening or filling anything
echo 'root:HOST-SECRET:19000::::::' >"/etc/$PREFIX-shadow"
chmod 0600 "/etc/$PREFIX-shadow"
mkfifo "$TMP/outside-fifo"
( exec 3>"$TMP/outside-fifo"; echo opened >"$TMP/fifo-opened" ) &
writer=$!
BACKGROUND+=("$writer")
in_sandbox "$F" "ln -s /etc/$PREFIX-shadow /var/evil && ln -s $TMP/outside-fifo /var/evil-fifo &&
        mkfifo /var/pipe && ln /var/before /var/hard && truncate -s 8G /var/huge && echo made"
check "a capped service makes its links, FIFO, hard link and 8 GiB sparse file" grep -qx made "$TMP/out"
ctl diff --state-root="$STATE" "$F"
check "diff lists them, as links and a FIFO, in its time" \
        sh -c "grep -qx 'A /var/evil' '$TMP/out' && grep -qx 'A /var/huge' '$TMP/out' && grep -q '^A /var/pipe' '$TMP/out'"
check "diff shows no secret of the host's" sh -c "! grep -q HOST-SECRET '$TMP/out' '$TMP/err'"
ctl status --state-root="$STATE" "$F"
check "status counts the sparse file as what it takes" grep -qE "disk: .* used of" "$TMP/out"
check "the FIFO outside was never opened" test ! -e "$TMP/fifo-opened"
kill "$writer" 2>/dev/null
in_sandbox "$F" 'rm /var/evil /var/evil-fifo /var/pipe /var/hard /var/huge'
rm -f "/etc/$PREFIX-shadow"

# ---------------------------------------------------------------------------
# clone and delete

name copy
C=$n
# a machine ID in the state, as a service that wrote /etc/machine-id
# leaves it (the sandbox's own /etc/machine-id is not writable here)
echo 0123456789abcdef0123456789abcdef >"$TMP/machine-id"
# written from outside only once the last start's teardown is done (its
# run lock free): before, its file system may still be mounted
lock_free "$F"
debugfs -w -R "write $TMP/machine-id /etc/upper/machine-id" "$IMG" >/dev/null 2>&1
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$F" "$C"
check "clone copies a capped sandbox" test "$rc" -eq 0 -a -f "$STATE/$C/state.img"
check "the copy of the image is sparse ($(allocated_kib "$STATE/$C/state.img") KiB allocated, the source $(allocated_kib "$IMG"))" \
        test "$(allocated_kib "$STATE/$C/state.img")" -le $(( $(allocated_kib "$IMG") + 1024 ))
check "clone leaves no loop device" no_loop "$STATE/$C/state.img"
in_sandbox "$C" 'cat /var/before; echo clone-only >/var/clone'
check "the copy's sandbox reads the source's data" grep -qx "kept" "$TMP/out"
id=$(debugfs -R "cat /etc/upper/machine-id" "$STATE/$C/state.img" 2>/dev/null)
check "the copy got a machine ID of its own, inside its image ($id)" \
        sh -c "echo '$id' | grep -qxE '[0-9a-f]{32}' && [ '$id' != 0123456789abcdef0123456789abcdef ]"
in_sandbox "$F" 'test -e /var/clone && echo shared || echo apart'
check_eq "the source keeps its machine ID" "$(debugfs -R "cat /etc/upper/machine-id" "$IMG" 2>/dev/null)" \
        0123456789abcdef0123456789abcdef
check "the copy's writes stay in the copy" grep -qx "apart" "$TMP/out"
ctl delete --state-root="$STATE" "$C"
check "delete removes a capped sandbox's state" test "$rc" -eq 0 -a ! -e "$STATE/$C"

# a capped state with a range of host IDs of its own (<user-namespace
# mode="private"/>), made by hand from one a sandbox left: its record,
# and the files in its image owned by BASE+ID
name mapped
MP=$n
profile "$MP" 32M
in_sandbox "$MP" 'echo mine >/var/mapped-file && mkdir /var/mapped-dir && echo made'
check "a capped sandbox leaves a file in its image" grep -qx made "$TMP/out"
MBASE=2046820352
lock_free "$MP"
loop=$(losetup -f --show "$STATE/$MP/state.img") && mkdir -p "$TMP/mapped" && mount -t ext4 "$loop" "$TMP/mapped" &&
        chmod 4755 "$TMP/mapped/var/upper/mapped-file" && python3 - "$TMP/mapped" "$MBASE" <<'PY'
import os, sys
top, base = sys.argv[1], int(sys.argv[2])
for sub in ("etc/upper", "var/upper"):
    d = os.path.join(top, sub)
    for p in [d] + [os.path.join(r, n) for r, ds, fs in os.walk(d) for n in ds + fs]:
        st = os.lstat(p)
        os.lchown(p, base + st.st_uid, base + st.st_gid)
        if not os.path.islink(p):
            os.chmod(p, st.st_mode & 0o7777)
PY
umount "$TMP/mapped" 2>/dev/null
[ -z "$loop" ] || losetup -d "$loop"
printf '%s 65536 ready\n' "$MBASE" >"$STATE/$MP/userns"
name mapped-copy
MC=$n
ctl clone --state-root="$STATE" --profile-dir="$PROFILES" "$MP" "$MC"
check "clone copies a capped state with a range" test "$rc" -eq 0 -a -f "$STATE/$MC/state.img"
read -r MBASE2 _ <"$STATE/$MC/userns"
owner() { debugfs -R "stat $2" "$1" 2>/dev/null | sed -n 's/.*User: *\([0-9]*\) *Group: *\([0-9]*\).*/\1:\2/p'; }
mode() { debugfs -R "stat $2" "$1" 2>/dev/null | sed -n 's/.*Mode: *\([0-7]*\).*/\1/p'; }
check_eq "the copy has a range of its own, and in its image every file is owned by it, set-user-ID kept" \
        "$(owner "$STATE/$MC/state.img" /var/upper/mapped-file) $(owner "$STATE/$MC/state.img" /var/upper/mapped-dir) \
$(owner "$STATE/$MC/state.img" /var/upper) $(mode "$STATE/$MC/state.img" /var/upper/mapped-file)" \
        "$MBASE2:$MBASE2 $MBASE2:$MBASE2 $MBASE2:$MBASE2 04755"
check "... a range apart from the source's ($MBASE2)" test -n "$MBASE2" -a "$MBASE2" != "$MBASE"
check_eq "the source's image is as it was" "$(owner "$STATE/$MP/state.img" /var/upper/mapped-file)" "$MBASE:$MBASE"
check "clone leaves no loop device" no_loop "$STATE/$MC/state.img"
ctl delete --state-root="$STATE" "$MC"
check "delete removes it, its record too" test "$rc" -eq 0 -a ! -e "$STATE/$MC"

# ---------------------------------------------------------------------------
# a size that changes

ctl run --state-root="$STATE" "$F" -- /bin/true
profile "$F" 24M
in_sandbox "$F" 'echo ran'
check "a smaller size is refused, and says so" grep -q "is not shrunk" "$TMP/err"
check "the refusal is the start's failure (status 125)" test "$rc" -eq 125
check "the refused start leaves no loop device" no_loop "$IMG"
profile "$F" 64M
in_sandbox "$F" 'cat /var/before; df -k /var | awk "NR == 2 { print \$2 }"'
check "a larger size grows the file system, offline with resize2fs (now $(sed -n 2p "$TMP/out") KiB)" \
        test "$(sed -n 2p "$TMP/out")" -gt 50000
check "and keeps the data" grep -qx "kept" "$TMP/out"
check "and says so" grep -q "grown from 33554432 to 67108864 bytes" "$TMP/err"
check_eq "the image is the new size" "$(stat -c %s "$IMG")" 67108864
check "no loop device after the grow" no_loop "$IMG"
# a grow interrupted after the image file grew: the next start finishes it
truncate -s 80M "$IMG"
profile "$F" 80M
in_sandbox "$F" 'cat /var/before; df -k /var | awk "NR == 2 { print \$2 }"'
check "a grow interrupted after the file grew is finished by the next start (now $(sed -n 2p "$TMP/out") KiB)" \
        test "$(sed -n 2p "$TMP/out")" -gt 70000 -a "$(sed -n 1p "$TMP/out")" = kept
# online: a superblock of the image still alive (as a previous instance's
# whose teardown has not ended), here a mount in the test's namespace
capeff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
if (( (0x$capeff >> 24) & 1 )); then # CAP_SYS_RESOURCE
        held=$(losetup -f --show "$IMG") && mkdir -p "$TMP/held" && mount -t ext4 "$held" "$TMP/held"
        profile "$F" 96M
        in_sandbox "$F" 'cat /var/before; df -k /var | awk "NR == 2 { print \$2 }"'
        check "with a superblock alive, a larger size grows it online" grep -q "bytes, online" "$TMP/err"
        check "and keeps the data" grep -qx "kept" "$TMP/out"
        umount "$TMP/held"
        losetup -d "$held"
else
        skip "with a superblock alive, a larger size grows it online" \
                "no CAP_SYS_RESOURCE here, which ext4's online resize takes"
fi

# ---------------------------------------------------------------------------
# a state kept before the cap: taken into the image, whiteouts, opaque
# directories, links and FIFOs as they were

name old
O=$n
profile "$O" ""
in_sandbox "$O" 'echo precious >/var/precious && rm /etc/hostname && rm -rf /etc/default && mkdir /etc/default &&
        echo only >/etc/default/only && ln -s /nowhere /var/link && mkfifo /var/fifo'
chown 1:1 "$STATE/$O/var/upper/precious"
check "an uncapped sandbox kept a whiteout and an opaque directory" \
        test "$(stat -c %t:%T "$STATE/$O/etc/upper/hostname" 2>/dev/null)" = 0:0
profile "$O" 32M
in_sandbox "$O" 'cat /var/precious; stat -c %u:%g /var/precious; test -e /etc/hostname && echo hostname || echo no-hostname;
        ls /etc/default; readlink /var/link; stat -c %F /var/fifo'
check "a profile that gains the cap takes the old state into the image: the sandbox starts" test "$rc" -eq 0
check_eq "its files, owners, whiteouts, opaque directories, links and FIFOs are there" "$(cat "$TMP/out")" \
        "$(printf 'precious\n1:1\nno-hostname\nonly\n/nowhere\nfifo')"
check "it says so" grep -q "taking in the /etc and /var kept before" "$TMP/err"
check_eq "the old directories are gone from the state directory" "$(ls -A "$STATE/$O")" state.img
check "no loop device is left" no_loop "$STATE/$O/state.img"

# interrupted after the directories were moved aside: the next start goes on
name aside
A=$n
profile "$A" ""
in_sandbox "$A" 'echo aside >/var/aside'
mkdir -m 0700 "$STATE/$A/.uncapped" && mv "$STATE/$A/etc" "$STATE/$A/var" "$STATE/$A/.uncapped/"
profile "$A" 32M
in_sandbox "$A" 'cat /var/aside'
check_eq "a take-in interrupted after the move aside is finished by the next start" "$(cat "$TMP/out"):$(ls -A "$STATE/$A")" \
        "aside:state.img"
# interrupted before the moved tree was removed
mkdir -p "$STATE/$A/.uncapped/var/upper" && echo stale >"$STATE/$A/.uncapped/var/upper/stale"
in_sandbox "$A" 'cat /var/aside; test -e /var/stale && echo stale'
check_eq "one interrupted before the old tree was removed: it is removed, the image is the state" \
        "$(cat "$TMP/out"):$(ls -A "$STATE/$A")" "aside:state.img"

# larger than the cap
name big
B=$n
profile "$B" ""
in_sandbox "$B" 'head -c 40M /dev/urandom >/var/big && echo big-written'
profile "$B" 16M
in_sandbox "$B" 'echo started'
check "an old state larger than the cap: the start fails (125)" test "$rc" -eq 125
check "and says why" grep -q "could not be taken in" "$TMP/err"
check_eq "the old state is where it was, whole" "$(stat -c %s "$STATE/$B/var/upper/big" 2>/dev/null):$(echo $(ls -A "$STATE/$B"))" \
        "41943040:etc var"
check "no loop device is left" no_loop "$STATE/$B/state.img"

# both: an image and files kept without the cap since
in_sandbox "$O" 'true'
mkdir -p "$STATE/$O/var/upper" && echo later >"$STATE/$O/var/upper/later"
in_sandbox "$O" 'true'
check "an image and an uncapped state both: the start fails (125)" test "$rc" -eq 125
check "and says which files" grep -q "also has files in $STATE/$O/etc/upper" "$TMP/err"

for l in "$STATE"/*/state.img; do
        [ -e "$l" ] && check "no loop device at the end for $l" no_loop "$l"
done
done_testing
