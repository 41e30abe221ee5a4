#!/usr/bin/env bash
# A runtime directory shared with the host (<runtime-directory
# share="host">, the helper's --shared-runtime-dir): /run/NAME on the
# host, made with the service's owner and mode, bound at the same path,
# the one host path the service writes; a socket made there is reached
# from the host; it goes when the sandbox ends. A symbolic link, a file,
# a mount or another user's directory planted at /run/NAME is refused
# and left as it was; names of the system's own directories, paths and
# what the profile would mount or mask inside it are refused by the
# helper and by validate with the line. Root inside with CAP_MKNOD and
# CAP_FSETID makes nothing the host's side honours: a /run without nodev
# or nosuid is refused. The host's /run is never
# touched: the test runs in a mount namespace of its own with a tmpfs on
# /run. Needs root and cc.
. "$(dirname "$0")/../private-ns.sh"
if [ "$(id -u)" -eq 0 ] && ! mount -t tmpfs -o mode=0755,size=16m,nosuid,nodev sandbox-test-run /run; then
        echo "1..0 # SKIP cannot mount a tmpfs on /run in this namespace"
        exit 0
fi
. "$(dirname "$0")/../escape-lib.sh"

D=share-$TOKEN
SHARED=/run/$D
NAMES+=("$NAME-sym" "$NAME-file" "$NAME-mnt" "$NAME-other")

# stays until the host's side has connected
HELPER_ARGS=(--etc=host --var=tmpfs --user=nobody --group=nogroup --shared-runtime-dir="$D:2770")
timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- "${SHIP[@]}" \
        listen "$SHARED/sock" <"$BIN/share-socket" >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 200); do
        [ -S "$SHARED/sock" ] && break
        sleep 0.05
done
made=$(stat -c '%F %U %G %a' "$SHARED" 2>&1)
sock=$(stat -c '%F %U' "$SHARED/sock" 2>&1)
# the helper (timeout's child) has process 1 as its only child: the
# removing process is not one, but the helper's sibling (joining a
# sandbox looks for that child); of timeout's children, only the helper
# has children at all
helper_children=
for c in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
        n=$(wc -w <"/proc/$c/task/$c/children" 2>/dev/null) || continue
        [ "$n" -eq 0 ] || helper_children="$helper_children $n"
done
helper_children=${helper_children# }
"$BIN/share-socket" connect "$SHARED/sock" >"$TMP/host-out" 2>&1
wait "$pid"
RC=$?
begin "the service listens on a socket in /run/$D, shared with the host; a host client connects to it there"
want bind ok
want accept ok
want send ok
host "/run/$D is the service's user's and group's with mode 2770 (was: $made)" \
        [ "$made" = "directory nobody nogroup 2770" ]
host "the socket is there, the service's (was: $sock)" [ "$sock" = "socket nobody" ]
host "the host's client connected and read the service's reply" grep -qx "reply pong" "$TMP/host-out"
host "/run/$D is gone once the sandbox has ended" absent "$SHARED"
host "meanwhile, the helper had one child, process 1 (had: ${helper_children:-none})" [ "$helper_children" = 1 ]
finish

run_helper /bin/sh -c "awk '\$5 == \"$SHARED\" { print \$6 }' /proc/self/mountinfo | tr , '\n' | sed 's/\$/ set/'"
begin "inside, /run/$D is a writable mount, nosuid, nodev and noexec"
for f in rw nosuid nodev noexec; do
        want "$f" set
done
host "/run/$D is gone" absent "$SHARED"
finish

# as root in the sandbox: every host path but the shared directory stays
# unwritten; the sandbox's own /run, /var/tmp and /dev may be written,
# but are not the host's
HELPER_ARGS=(--etc=host --var=tmpfs --shared-runtime-dir="$D:0755")
ROOTS=(/ /usr /etc /opt /root "$SOURCE_ROOT")
OWN=(/run /var/tmp /dev)
paths=("$SHARED/escape-$TOKEN")
for p in "${ROOTS[@]}" "${OWN[@]}"; do
        paths+=("${p%/}/escape-$TOKEN")
done
run_helper "${SHIP[@]}" "${paths[@]}" <"$BIN/write-host"
begin "as root inside, the shared directory is the only host path written (${ROOTS[*]} refused; ${OWN[*]} the sandbox's own)"
want "create:$SHARED/escape-$TOKEN" ok
for p in "${ROOTS[@]}"; do
        want "create:${p%/}/escape-$TOKEN" "EROFS|EACCES|EPERM|ENOENT"
done
for p in "${ROOTS[@]}" "${OWN[@]}"; do
        host "nothing at ${p%/}/escape-$TOKEN" absent "${p%/}/escape-$TOKEN"
done
finish

# what is planted at /run/NAME before the start is refused, and left
HELPER_ARGS=(--etc=host --var=tmpfs --user=nobody --shared-runtime-dir="$D:0755")
etc_before=$(stat -c '%U %G %a' /etc)
ln -s /etc "$SHARED"
run_helper NAME="$NAME-sym" /bin/true
begin "a symbolic link /run/$D -> /etc: refused before the sandbox is built (125), /etc untouched"
EXPECT_RC=125
host "the helper says it is not a directory" grep -q "shared runtime directory $SHARED: is there, and is not a directory" "$TMP/err"
host "the link is left as it was" [ "$(readlink "$SHARED")" = /etc ]
host "/etc keeps its owner and mode" [ "$(stat -c '%U %G %a' /etc)" = "$etc_before" ]
finish
rm -f "$SHARED"

echo data >"$SHARED"
run_helper NAME="$NAME-file" /bin/true
begin "a regular file at /run/$D: refused (125) and left"
EXPECT_RC=125
host "the helper says it is not a directory" grep -q "is there, and is not a directory" "$TMP/err"
host "the file is left" grep -qx data "$SHARED"
finish
rm -f "$SHARED"

mkdir "$SHARED" && chown 12345:12345 "$SHARED" && chmod 0700 "$SHARED"
run_helper NAME="$NAME-other" /bin/true
begin "another user's directory at /run/$D: refused (125), its owner and mode kept"
EXPECT_RC=125
host "the helper says whose it is" grep -q "belongs to uid 12345, neither root nor the user it is for" "$TMP/err"
host "owner and mode kept" [ "$(stat -c '%u %a' "$SHARED")" = "12345 700" ]
finish
rmdir "$SHARED"

mkdir "$SHARED" && mount -t tmpfs -o size=1m sandbox-test-share "$SHARED"
run_helper NAME="$NAME-mnt" /bin/true
begin "a mount at /run/$D: refused (125), not chowned"
EXPECT_RC=125
host "the helper says it is another mount" grep -q "is another mount, not a directory of /run" "$TMP/err"
host "the mount keeps root as its owner" [ "$(stat -c '%U' "$SHARED")" = root ]
finish
umount "$SHARED" && rmdir "$SHARED"

mkdir "$SHARED" "/run/other-$TOKEN" && mount --bind "/run/other-$TOKEN" "$SHARED"
run_helper NAME="$NAME-mnt" /bin/true
begin "a bind mount of /run's own file system at /run/$D (the same device): refused (125)"
EXPECT_RC=125
host "the helper says it is another mount" grep -q "is another mount, not a directory of /run" "$TMP/err"
host "the bound directory keeps root as its owner" [ "$(stat -c '%U' "/run/other-$TOKEN")" = root ]
finish
umount "$SHARED" && rmdir "$SHARED"

# the removal enters no mount: a directory of the host's bound inside
# the shared one while the sandbox runs keeps what is in it
echo keep >"/run/other-$TOKEN/file"
HELPER_ARGS=(--etc=host --var=tmpfs --user=nobody --shared-runtime-dir="$D:0755")
timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sh -c \
        "mkdir $SHARED/m && while [ ! -e $SHARED/go ]; do sleep 0.05; done" >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 200); do
        [ -d "$SHARED/m" ] && break
        sleep 0.05
done
mount --bind "/run/other-$TOKEN" "$SHARED/m" && touch "$SHARED/go"
wait "$pid"
RC=$?
begin "a mount inside the shared directory at the end: not entered, so what it shows is kept"
host "the file below the mount is still there" grep -qx keep "/run/other-$TOKEN/file"
host "the helper says the directory was not removed" grep -q "shared runtime directory $SHARED: not removed" "$TMP/err"
finish
umount "$SHARED/m"
rm -rf "$SHARED" "/run/other-$TOKEN"

# root's directory there, as systemd-tmpfiles leaves it: taken, chowned,
# then removed with what the service left in it
mkdir -m 0755 "$SHARED"
run_helper /bin/sh -c "stat -c '%U %a' $SHARED; mkdir $SHARED/sub && touch $SHARED/sub/file && ln -s /etc $SHARED/link && echo made yes"
begin "root's directory at /run/$D is taken for the service's user, and removed at the end with what it left"
want nobody 755
want made yes
host "/run/$D is gone" absent "$SHARED"
host "/etc is still there" [ -d /etc ]
finish

# in a user namespace with a range of its own: the directory the host
# made for the service's user (its tmpfiles.d, the unit before it was
# converted) is taken over, owned by BASE+ID while the sandbox runs
SVC=4343
mkdir -m 0755 "$SHARED"
chown "$SVC:$SVC" "$SHARED"
HELPER_ARGS=(--etc=host --var=tmpfs --user="$SVC" --group="$SVC" --shared-runtime-dir="$D:0755" --user-namespace=private)
run_helper NAME="$NAME-userns" /bin/sh -c "stat -c '%u %a' $SHARED; touch $SHARED/file && echo made yes
        awk '{ print \"base\", \$2 }' /proc/self/uid_map"
UBASE=$(awk '$1 == "base" { print $2 }' "$TMP/out")
begin "with a range of its own, the service's user's own directory at /run/$D is taken, as BASE+ID while it runs"
want "$SVC" 755
want made yes
host "the range's base is in the pool ($UBASE)" test -n "$UBASE" -a "${UBASE:-0}" -ge $((0x70000000))
host "/run/$D is gone" absent "$SHARED"
finish
NAMES+=("$NAME-userns")

# root inside with the capabilities to make device nodes and set-ID
# files: what it makes in the shared directory is the host's to see,
# through the host's /run, which is nodev and nosuid
nodes=(blk:b:8:0 chr:c:1:11)
HELPER_ARGS=(--etc=host --var=tmpfs --keep-caps=CAP_MKNOD,CAP_FSETID,CAP_CHOWN,CAP_FOWNER,CAP_DAC_OVERRIDE,CAP_SYS_ADMIN
        --shared-runtime-dir="$D:0755")
timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sh -c "
        for n in ${nodes[*]}; do IFS=: read -r f t a b <<E
\$n
E
                mknod $SHARED/\$f \$t \$a \$b && chmod 0666 $SHARED/\$f && echo \$f made
        done
        cp /bin/sh $SHARED/sh && chmod 4755 $SHARED/sh 2>/dev/null; chmod 0755 $SHARED/sh; echo copied
        while [ ! -e $SHARED/go ]; do sleep 0.05; done" >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 200); do
        grep -q copied "$TMP/out" && break
        sleep 0.05
done
begin "root inside with CAP_MKNOD and CAP_FSETID: a node made in /run/$D cannot be opened on the host (nodev)"
host "both nodes were made" sh -c "grep -qx \"blk made\" '$TMP/out' && grep -qx \"chr made\" '$TMP/out'"
for n in "${nodes[@]}"; do
        f=${n%%:*}
        if [ -e "$SHARED/$f" ]; then
                host "the host cannot open the sandbox's $f node in /run/$D" \
                        sh -c "! setpriv --reuid=65534 --regid=65534 --clear-groups head -c1 '$SHARED/$f' >/dev/null 2>&1 && ! head -c1 '$SHARED/$f' >/dev/null 2>&1"
        fi
done
host "the host's /run, where they are, is nodev and nosuid" sh -c "findmnt -no OPTIONS /run | tr , '\n' | grep -qx nodev && findmnt -no OPTIONS /run | tr , '\n' | grep -qx nosuid"
host "no set-user-ID file in /run/$D" sh -c "! [ -u '$SHARED/sh' ]"
touch "$SHARED/go"
wait "$pid"
RC=$?
host "/run/$D is gone" absent "$SHARED"
finish

# a host whose /run would honour them: refused before anything is made
if mount -o remount,dev,suid /run; then
        HELPER_ARGS=(--etc=host --var=tmpfs --shared-runtime-dir="$D:0755")
        run_helper /bin/true
        begin "a host /run without nodev or nosuid: refused (125), nothing made"
        EXPECT_RC=125
        host "the helper says why" grep -q "the host's /run is mounted without nodev or nosuid" "$TMP/err"
        host "nothing at /run/$D" absent "$SHARED"
        finish
        mount -o remount,nodev,nosuid /run
else
        skip_attempt "a host /run without nodev or nosuid: refused" "cannot remount the test's /run"
fi

# made, then the sandbox cannot be built (a bind source that is not
# there): removed all the same
HELPER_ARGS=(--etc=host --var=tmpfs --user=nobody --shared-runtime-dir="$D:0755" --bind="/nonexistent-$TOKEN:/srv/x")
run_helper /bin/true
begin "a sandbox that cannot be built after /run/$D was made: refused (125), /run/$D removed"
EXPECT_RC=125
host "the helper says why" grep -q "nonexistent-$TOKEN" "$TMP/err"
host "nothing at /run/$D" absent "$SHARED"
finish

# an owner of its own, as a root service that switches to its user needs
# (pg_ctlcluster for postgres): named in the host's /etc; a directory
# that user already has is taken
mkdir -m 0700 "$SHARED" && chown daemon:daemon "$SHARED"
HELPER_ARGS=(--etc=host --var=tmpfs --shared-runtime-dir="$D:2775:daemon:")
run_helper /bin/sh -c "stat -c '%U %G %a' $SHARED; id -un"
begin "--shared-runtime-dir=$D:2775:daemon: for a root service: daemon's directory taken, daemon's with daemon's group, 2775"
want daemon "daemon 2775"
want root ""
host "/run/$D is gone" absent "$SHARED"
finish
HELPER_ARGS=(--etc=host --var=tmpfs --shared-runtime-dir="$D:0755:no-such-user-$TOKEN:")
run_helper /bin/true
begin "an owner that is not in the host's /etc: refused (125), nothing made"
EXPECT_RC=125
host "the helper names the user" grep -q "shared runtime directory /run/$D: user \"no-such-user-$TOKEN\": not in the host's /etc/passwd" "$TMP/err"
host "nothing at /run/$D" absent "$SHARED"
finish

# the helper's own checks, before anything is made
for bad in systemd:0755 sandbox:0755 user:0700 lock:0755 a/b:0755 ..:0755 .x:0755 x:999 x:0755:a:b:c "x:0755:bad user:"; do
        "$HELPER" --name="$NAME" --shared-runtime-dir="$bad" -- /bin/true 2>"$TMP/err"
        RC=$?
        begin "--shared-runtime-dir=$bad: refused with the rule"
        EXPECT_RC=1
        host "it says the value is invalid" grep -q -- "--shared-runtime-dir=$bad: invalid value" "$TMP/err"
        finish
done
HELPER_ARGS=(--etc=host --var=tmpfs --shared-runtime-dir="$D:0755" --tmpfs="$SHARED/t::")
run_helper /bin/true
begin "a mount inside the shared directory: refused (125), nothing made"
EXPECT_RC=125
host "the helper says why" grep -q "shared runtime directory $SHARED: the mount on $SHARED/t is inside it" "$TMP/err"
host "nothing at /run/$D" absent "$SHARED"
finish
HELPER_ARGS=(--etc=host --var=tmpfs --shared-runtime-dir="$D:0755")
timeout 60 "$HELPER" --name="$NAME" --state-root="$SHARED/state" "${HELPER_ARGS[@]}" -- /bin/true >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "a state root inside the shared directory: refused (125)"
EXPECT_RC=125
host "the helper says why" grep -q "the state root $SHARED/state is inside it" "$TMP/err"
host "nothing at /run/$D" absent "$SHARED"
finish

# validate, with the line
cat >"$TMP/shared.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <runtime-directory name="dbus" share="host"/>
    <runtime-directory name="credentials" share="host"/>
    <runtime-directory name="a/b" share="host"/>
    <runtime-directory name="db" share="host"/>
    <bind source="/srv" target="/run/db/x"/>
  </filesystem>
</sandbox>
EOF
"$SANDBOXCTL" validate "$TMP/shared.xml" >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "validate refuses the system's names, a path, and a mount inside, each with its line"
EXPECT_RC=1
for l in 5:dbus 6:credentials 7:a/b; do
        host "line ${l%%:*}: ${l#*:}" grep -q "shared.xml:${l%%:*}: <runtime-directory>: name \"${l#*:}\" cannot be shared with the host" "$TMP/err"
done
host "line 9: the bind inside" grep -q 'shared.xml:9: <bind>: target "/run/db/x" is in the runtime directory shared with the host at .*shared.xml:8' "$TMP/err"
finish

mount_table_unchanged

done_testing
