#!/bin/bash
# End-to-end: the container that e2e_idmappable boots, for the sandboxes
# of a private user namespace, whose helper idmaps the container's root,
# /etc and /var (an overlay, the usual container's root, cannot be
# idmapped: mount_setattr says EINVAL). Its /, /etc, /var and /usr, and
# every other mount below its root but the kernel's own (/proc, /sys,
# /dev, /run), can be idmapped, each showing the host's owners shifted by
# the map; it boots fresh, with the build installed; nothing of the
# host's is writable from it. The boot time is said.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
CC=$(command -v cc || command -v gcc) || e2e_skip_all "no C compiler for tests/e2e/idmap-probe.c"
"$CC" -O1 -Wall -Werror -o "$TMP/idmap-probe" "$SOURCE_ROOT/tests/e2e/idmap-probe.c" ||
        e2e_skip_all "tests/e2e/idmap-probe.c does not build here"
BASE=1879048192
DST=$TMP/idmap-dst

# the reason for it all, on the host: an overlay cannot be idmapped
mkdir -p "$TMP/ov"/{lower,upper,work,merged} "$DST"
check_eq "an overlay (the usual container's root) cannot be idmapped: EINVAL" \
        "$(unshare -m --propagation private sh -c 'mount -t overlay ov -o "lowerdir=$0/lower,upperdir=$0/upper,workdir=$0/work" "$0/merged" &&
                "$1" "$2" "$0/merged" "$3"' "$TMP/ov" "$TMP/idmap-probe" "$BASE" "$DST")" \
        "$TMP/ov/merged mount_setattr EINVAL"

e2e_file "$TMP/idmap-probe" /usr/local/bin/idmap-probe 0755
e2e_idmappable
start=$(date +%s%N)
e2e_boot
boot_ms=$((($(date +%s%N) - start) / 1000000))
diag "the idmappable container booted in $boot_ms ms ($(grep -o 'idmappable root: .*' "$E2E_DIR/console.log"))"

check_eq "its root is a tmpfs" "$(c findmnt -n -o FSTYPE /)" tmpfs
check_eq "its /etc and /var are the root's (copies)" "$(c findmnt -n -o TARGET -T /etc),$(c findmnt -n -o TARGET -T /var/lib)" /,/
check "the build is installed: sandboxctl runs" c sandboxctl list
check "... the helper is there" c test -x /usr/libexec/sandbox/sandbox-helper
check "... the generator ran at boot: sandbox.target is known" c systemctl cat sandbox.target
check "... the test's own file is in /usr/local/bin" c test -x /usr/local/bin/idmap-probe
check "the machine's enabling is hidden: /etc/systemd/system holds only the layer's" \
        c sh -c '[ -z "$(ls /etc/systemd/system)" ]'

# owner PATH: its "UID:GID" as the host has it
owner() { stat -c %u:%g "$1"; }
# shifted UID:GID: both plus BASE
shifted() { echo "$((${1%:*} + BASE)):$((${1#*:} + BASE))"; }

c mkdir -p /tmp/idm
for p in / /etc /var /usr; do
        d=/tmp/idm/$(echo "$p" | tr / _)
        c mkdir -p "$d"
        check_eq "$p can be idmapped (the map 0 $BASE 65536)" "$(c idmap-probe "$BASE" "$p" "$d" 2>&1)" "$p ok"
done
check_eq "... / shows /etc/shadow owned by BASE and BASE + shadow's group" \
        "$(c stat -c %u:%g /tmp/idm/_/etc/shadow)" "$(shifted "$(owner /etc/shadow)")"
check_eq "... /etc too" "$(c stat -c %u:%g /tmp/idm/_etc/shadow)" "$(shifted "$(owner /etc/shadow)")"
check_eq "... /var: /var/log" "$(c stat -c %u:%g /tmp/idm/_var/log)" "$(shifted "$(owner /var/log)")"
check_eq "... /usr: /usr/bin/ls" "$(c stat -c %u:%g /tmp/idm/_usr/bin/ls)" "$(shifted "$(owner /usr/bin/ls)")"
c mkdir -p /tmp/idm/usr-r
check_eq "/usr and every mount below it, at once (AT_RECURSIVE)" \
        "$(c idmap-probe -r "$BASE" /usr /tmp/idm/usr-r 2>&1)" "/usr ok"
check_eq "... a read-only bind of the host's there: /usr/include" \
        "$(c stat -c %u:%g /tmp/idm/usr-r/include)" "$(shifted "$(owner /usr/include)")"

# every mount below the root, apart from the kernel's own (which a
# sandbox gets its own of), and the test's own above
c sh -c 'findmnt -rn -o TARGET | grep -Ev "^/(proc|sys|dev|run|tmp/idm)(/|$)"' >"$TMP/mounts"
check "the container has mounts of the host's below its root: $(wc -l <"$TMP/mounts")" test -s "$TMP/mounts"
c sh -c 'n=0; while read -r m; do
                 n=$((n + 1)); d=/tmp/idm/all-$n
                 if [ -d "$m" ]; then mkdir "$d"; else : >"$d"; fi
                 idmap-probe "$0" "$m" "$d" 2>&1 | grep -v " ok$"
         done' "$BASE" <"$TMP/mounts" >"$TMP/bad"
check "... and every one of them can be idmapped" test ! -s "$TMP/bad" || diag "$(head -n 20 "$TMP/bad")"

# nothing of the host's is writable from the container
check "the host's /usr is read-only in it (EROFS): /usr/include" \
        bash -c 'nsenter -t "$0" -a touch /usr/include/e2e-probe 2>&1 | grep -q "Read-only file system"' "$E2E_PID1"
big=$(find /usr/bin -maxdepth 1 -type f -size +1M -print -quit)
check "... a large file of a grafted directory ($big) too" \
        bash -c 'nsenter -t "$0" -a sh -c "echo x >>$1" 2>&1 | grep -q "Read-only file system"' "$E2E_PID1" "$big"
check "a file written in the container's /etc, /var and /usr/bin is its own" \
        c sh -c 'touch /etc/e2e-probe /var/lib/e2e-probe /usr/bin/e2e-probe'
check "... not the host's" test ! -e /etc/e2e-probe -a ! -e /var/lib/e2e-probe -a ! -e /usr/bin/e2e-probe

e2e_stop
start=$(date +%s%N)
e2e_boot
diag "booted again in $((($(date +%s%N) - start) / 1000000)) ms"
check "a second boot is fresh: the files written are gone" \
        c sh -c '! test -e /etc/e2e-probe -o -e /var/lib/e2e-probe -o -e /usr/bin/e2e-probe'

done_testing
