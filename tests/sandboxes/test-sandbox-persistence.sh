#!/usr/bin/env bash
# What the sandbox's /etc and /var keep between runs, mode by mode:
# overlay (changes persist in the state root, later changes to the host's
# lower layer show through), private (persistent, empty at first), tmpfs
# (empty every time) and host (read-only); and that the host's own /etc
# and /var never change. Needs root; everything it writes is under $TMP.

# in a mount namespace of its own (see below), before anything is made
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbpersist$$
. "$(dirname "$0")/lib.sh"

cleanup() {
        local n
        # the test's /etc and /var first, then the binds of the real ones
        umount /etc /var 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

# line_of PREFIX: the rest of the line of $TMP/out that starts with PREFIX
line_of() {
        awk -v p="$1" 'index($0, p) == 1 { print substr($0, length(p) + 1); exit }' "$TMP/out"
}

# mount_type MOUNTINFO MOUNTPOINT: the file system type of the topmost
# mount on MOUNTPOINT
mount_type() {
        awk -v mp="$2" '$5 == mp { for (i = 7; $i != "-"; i++) ; t = $(i + 1) } END { print t }' "$1"
}

# The whole test runs in a private mount namespace whose /etc and /var
# are overlays on the host's, with their upper layers under $TMP: that is
# the "host" the sandboxes see. Whatever a sandbox (or a broken helper)
# writes to it lands in those upper layers, never in the host's real files,
# which stay visible, for the checks at the end, through binds under $TMP.
HOSTVIEW=$TMP/host
host_overlay "$HOSTVIEW"

# The host as it is before any sandbox runs: a marker for "changed since",
# checksums of some files, a listing of /etc, the top of /var.
MARKER=$TMP/marker
touch "$MARKER"
HOST_FILES=
for f in passwd group hosts hostname os-release fstab; do
        [ -f "$REAL_ETC/$f" ] && HOST_FILES="$HOST_FILES $f"
done
host_sums() {
        (cd "$REAL_ETC" && sha256sum $HOST_FILES)
}
host_etc_listing() {
        (cd "$REAL_ETC" && find . -xdev -printf '%p %y %s %m\n' | LC_ALL=C sort)
}
sums_before=$(host_sums)
etc_before=$(host_etc_listing)
var_before=$(ls -A "$REAL_VAR")
var_lib_sandbox_before=$(ls -d "$REAL_VAR/lib/sandbox" 2>/dev/null)

# ---------------------------------------------------------------------------
# overlay: changes persist in STATE/NAME, the host's files stay as they are

# a file of the host's /etc that the sandbox deletes
DELETED=
for f in /etc/issue.net /etc/motd /etc/issue /etc/debian_version; do
        if [ -f "$f" ]; then
                DELETED=$f
                break
        fi
done

name overlay
sb "$n" -- /bin/sh -c '
        echo one >"/etc/sandbox-test-$1" &&
        echo one >"/var/sandbox-test-$1" &&
        mkdir -p "/var/lib/sandbox-test-$1" && echo deep >"/var/lib/sandbox-test-$1/f" &&
        echo "# $1" >>/etc/hosts &&
        { [ -z "$2" ] || rm "$2"; }' sh "$n" "$DELETED"
check_eq "overlay: the first run writes to /etc and /var (status 0)" "$rc" 0
sb "$n" -- /bin/sh -c '
        echo "etc: $(cat "/etc/sandbox-test-$1")"
        echo "var: $(cat "/var/sandbox-test-$1")"
        echo "var/lib: $(cat "/var/lib/sandbox-test-$1/f")"
        echo "hosts: $(tail -n 1 /etc/hosts)"
        if [ -n "$2" ] && [ -e "$2" ]; then echo "deleted: back"; else echo "deleted: gone"; fi' sh "$n" "$DELETED"
check_eq "overlay: the second run runs (status 0)" "$rc" 0
check_eq "overlay: a file written to /etc survives into the second run" "$(line_of 'etc: ')" one
check_eq "overlay: a file written to /var survives into the second run" "$(line_of 'var: ')" one
check_eq "overlay: a new directory in /var/lib survives into the second run" "$(line_of 'var/lib: ')" deep
check_eq "overlay: a change to a host file (/etc/hosts) survives into the second run" "$(line_of 'hosts: ')" "# $n"
if [ -n "$DELETED" ]; then
        check_eq "overlay: a host file deleted inside ($DELETED) stays deleted" "$(line_of 'deleted: ')" gone
        check "overlay: ... and is still there on the host" [ -f "$DELETED" ]
else
        skip "overlay: a host file deleted inside stays deleted" "no candidate file in /etc"
        skip "overlay: ... and is still there on the host" "no candidate file in /etc"
fi
check_eq "overlay: the change is kept in STATE/NAME/etc/upper" \
        "$(cat "$STATE/$n/etc/upper/sandbox-test-$n" 2>/dev/null)" one
check_eq "overlay: ... and STATE/NAME/var/upper" \
        "$(cat "$STATE/$n/var/upper/lib/sandbox-test-$n/f" 2>/dev/null)" deep
check "overlay: the host's /etc and /var did not get the new files" \
        [ ! -e "/etc/sandbox-test-$n" -a ! -e "/var/sandbox-test-$n" -a ! -e "/var/lib/sandbox-test-$n" ]
check "overlay: the host's /etc/hosts does not have the change" [ -z "$(grep -xF "# $n" /etc/hosts)" ]

# A different name does not see this one's changes.
name overlay-other
sb "$n" -- /bin/sh -c '[ -e "/etc/sandbox-test-$1" ] && echo seen || echo unseen' sh "$PREFIX-overlay"
check_eq "overlay: another sandbox name starts from the host's /etc" "$rc $(cat "$TMP/out")" "0 unseen"

# ---------------------------------------------------------------------------
# overlay: what the host adds to or changes in its /etc and /var between
# two runs shows through, except where the sandbox made its own change

name lower
echo v1 >"/etc/sandbox-test-untouched-$n"
echo v1 >"/etc/sandbox-test-rewritten-$n"
sb "$n" -- /bin/sh -c 'echo sandbox >"/etc/sandbox-test-rewritten-$1"' sh "$n"
check_eq "lower layer: the first run (status 0)" "$rc" 0
# the host changes its files while the sandbox is not running
echo added >"/etc/sandbox-test-added-$n"
mkdir -p "/var/lib/sandbox-test-added-$n" && echo added >"/var/lib/sandbox-test-added-$n/f"
echo v2 >"/etc/sandbox-test-untouched-$n"
echo v2 >"/etc/sandbox-test-rewritten-$n"
sb "$n" -- /bin/sh -c '
        echo "added etc: $(cat "/etc/sandbox-test-added-$1")"
        echo "added var: $(cat "/var/lib/sandbox-test-added-$1/f")"
        echo "untouched: $(cat "/etc/sandbox-test-untouched-$1")"
        echo "rewritten: $(cat "/etc/sandbox-test-rewritten-$1")"' sh "$n"
check_eq "lower layer: the second run (status 0)" "$rc" 0
check_eq "lower layer: a file added to the host's /etc after the first run is seen in the second" \
        "$(line_of 'added etc: ')" added
check_eq "lower layer: a file added to the host's /var/lib after the first run is seen in the second" \
        "$(line_of 'added var: ')" added
check_eq "lower layer: a host file changed between runs shows the host's new content" \
        "$(line_of 'untouched: ')" v2
check_eq "lower layer: a host file the sandbox had changed keeps the sandbox's content" \
        "$(line_of 'rewritten: ')" sandbox
# the only files of the host's view that changed are the ones this test
# wrote there itself
LOWER=$n
# ---------------------------------------------------------------------------
# private: empty at first, persistent, kept in STATE/NAME/{etc,var}/private

# listing: what the command prints about /etc and /var
LISTING='echo "etc: $(ls -A /etc | tr "\n" " ")"; echo "var: $(ls -A /var | tr "\n" " ")"'

name private
sb "$n" --etc=private --var=private -- /bin/sh -c "$LISTING"'
        echo p-etc >/etc/p && echo p-var >/var/p'
check_eq "private: the first run writes to /etc and /var (status 0)" "$rc" 0
check_eq "private: /etc is empty at first" "$(line_of 'etc: ')" ""
check_eq "private: /var is empty at first" "$(line_of 'var: ')" ""
sb "$n" --etc=private --var=private -- /bin/sh -c "$LISTING"'
        echo "etc p: $(cat /etc/p)"; echo "var p: $(cat /var/p)"'
check_eq "private: the second run (status 0)" "$rc" 0
check_eq "private: /etc has only what the first run wrote" "$(line_of 'etc: ')" "p "
check_eq "private: /var has only what the first run wrote" "$(line_of 'var: ')" "p "
check_eq "private: the file in /etc survives" "$(line_of 'etc p: ')" p-etc
check_eq "private: the file in /var survives" "$(line_of 'var p: ')" p-var
check_eq "private: /etc is kept in STATE/NAME/etc/private" "$(cat "$STATE/$n/etc/private/p" 2>/dev/null)" p-etc
check_eq "private: /var is kept in STATE/NAME/var/private" "$(cat "$STATE/$n/var/private/p" 2>/dev/null)" p-var
check "private: the host's /etc and /var did not get the files" [ ! -e /etc/p -a ! -e /var/p ]

# ---------------------------------------------------------------------------
# tmpfs: empty at every start, nothing kept

name tmpfs
sb "$n" --etc=tmpfs --var=tmpfs -- /bin/sh -c "$LISTING"'
        echo t >/etc/t && echo t >/var/t && cat /proc/self/mountinfo >/var/mountinfo && cp /var/mountinfo /etc/mountinfo
        cat /etc/mountinfo'
check_eq "tmpfs: the first run writes to /etc and /var (status 0)" "$rc" 0
check_eq "tmpfs: /etc is empty at first" "$(line_of 'etc: ')" ""
check_eq "tmpfs: /var is empty at first" "$(line_of 'var: ')" ""
check_eq "tmpfs: /etc is a tmpfs" "$(mount_type "$TMP/out" /etc)" tmpfs
check_eq "tmpfs: /var is a tmpfs" "$(mount_type "$TMP/out" /var)" tmpfs
sb "$n" --etc=tmpfs --var=tmpfs -- /bin/sh -c "$LISTING"
check_eq "tmpfs: the second run (status 0)" "$rc" 0
check_eq "tmpfs: /etc is empty again in the second run" "$(line_of 'etc: ')" ""
check_eq "tmpfs: /var is empty again in the second run" "$(line_of 'var: ')" ""
check_eq "tmpfs: nothing was kept in the state root" "$(find "$STATE/$n" -type f 2>/dev/null)" ""
check "tmpfs: the host's /etc and /var did not get the files" [ ! -e /etc/t -a ! -e /var/t ]

# ---------------------------------------------------------------------------
# host: the host's own /etc and /var, read-only

name host
sb "$n" --etc=host --var=host -- /bin/sh -c '
        echo "passwd: $(sha256sum </etc/passwd)"
        echo "var: $(ls -A /var | tr "\n" " ")"
        touch /etc/sandbox-probe 2>&1; touch /var/sandbox-probe 2>&1; true'
check_eq "host: the command runs (status 0)" "$rc" 0
check_eq "host: /etc is the host's (same /etc/passwd)" "$(line_of 'passwd: ')" "$(sha256sum </etc/passwd)"
check_eq "host: /var is the host's (same entries)" "$(line_of 'var: ')" "$(ls -A /var | tr '\n' ' ')"
check_eq "host: writing to /etc and /var fails with EROFS" "$(grep -c 'Read-only file system' "$TMP/out")" 2
check "host: nothing was written to the host" [ ! -e /etc/sandbox-probe -a ! -e /var/sandbox-probe ]

# ---------------------------------------------------------------------------
# the host's /etc and /var after all of it

# The view the sandboxes had: its upper layers hold exactly what this
# script wrote there itself, nothing from any sandbox.
check_eq "host unchanged: the sandboxes' host /etc got only the test's own files" \
        "$(cd "$HOSTVIEW/etc-up" && find . -mindepth 1 | LC_ALL=C sort)" \
        "$(printf './sandbox-test-%s-'"$LOWER"'\n' added rewritten untouched)"
check_eq "host unchanged: the sandboxes' host /var got only the test's own files" \
        "$(cd "$HOSTVIEW/var-up" && find . -mindepth 1 | LC_ALL=C sort)" \
        "$(printf '%s\n' ./lib "./lib/sandbox-test-added-$LOWER" "./lib/sandbox-test-added-$LOWER/f")"
# The host's real /etc and /var.
check_eq "host unchanged: nothing in the real /etc is newer than the start of the test" \
        "$(find "$REAL_ETC" -xdev -newer "$MARKER" | head -n 20)" ""
check_eq "host unchanged: checksums of$HOST_FILES in the real /etc" "$(host_sums)" "$sums_before"
check_eq "host unchanged: the listing of the real /etc (paths, types, sizes, modes)" \
        "$(diff <(echo "$etc_before") <(host_etc_listing) | head -n 20)" ""
check_eq "host unchanged: the entries of the real /var" "$(ls -A "$REAL_VAR")" "$var_before"
check_eq "host unchanged: the real /var/lib/sandbox (the default state root) is as it was" \
        "$(ls -d "$REAL_VAR/lib/sandbox" 2>/dev/null)" "$var_lib_sandbox_before"
check_eq "host unchanged: no test file anywhere in the real /var" \
        "$(find "$REAL_VAR" -xdev -name 'sandbox-test-*' 2>/dev/null | head -n 20)" ""

done_testing
