#!/usr/bin/env bash
# <user-namespace mode="private"/> (--user-namespace=private), from inside
# the sandbox and checked from the host: the service's user namespace maps
# 0..65535 to the sandbox's range, recorded in its state and the same at
# every start, another sandbox's another; the host's files keep their
# owners inside (idmapped mounts), what the service writes in its /var
# overlay is owned on the host by BASE+ID; root inside is nobody outside:
# with CAP_DAC_READ_SEARCH and its filter's refusal lifted, it cannot open
# a root-only host file by a handle made outside (open_by_handle_at), with
# CAP_KILL it cannot signal a host root process it is given the PID of,
# with CAP_SYS_ADMIN it makes no nested user namespace; its capabilities
# over its own network namespace are real (a port below 1024), over the
# host's network they are not.
. "$(dirname "$0")/../escape-lib.sh"
. "$(dirname "$0")/userns-wait.sh"

# a root-only file of the host's that no sandbox here binds
SECRET=$TMP/secret
printf 'the host'\''s secret\n' >"$SECRET"
chmod 0600 "$SECRET"
PORT=$((600 + RANDOM % 400))
PRIVATE=(--user-namespace=private --bind="$SHARE:/run/share")
NAMES+=("$NAME-b" "$NAME-plain" "$NAME-shift" "$NAME-ov")

# base NAME: the first field of NAME's record
base() {
        awk '{ print $1 }' "$STATE/$1/userns" 2>/dev/null
}

HELPER_ARGS=("${PRIVATE[@]}")
begin "the maps: 0..65535 to the range in the state's record, one of the pool's"
in_sandbox userns-identity maps "write:/var/tmp/root-$TOKEN" stat:/usr/bin/passwd stat:/run/share/other
BASE=$(base "$NAME")
want uid_map "0-$BASE-65536"
want gid_map "0-$BASE-65536"
host "the record reads BASE 65536 ready" test "$(cat "$STATE/$NAME/userns" 2>&1)" = "$BASE 65536 ready"
host "BASE is in the pool, on a 65536 boundary" \
        test -n "$BASE" -a "$BASE" -ge $((0x70000000)) -a "$BASE" -lt $((0x7FFE0000)) -a $((BASE % 65536)) -eq 0
want write ok
host "what root wrote in its /var overlay is BASE's on the host" \
        test "$(stat -c %u:%g "$STATE/$NAME/var/upper/tmp/root-$TOKEN" 2>&1)" = "$BASE:$BASE"
host "the host's user namespace is not the service's" \
        test "$(awk '$1 == "userns" { print $2 }' "$TMP/out")" != "$(stat -L -c %i /proc/self/ns/user)"
finish

begin "the host's files keep their owners: a root file of the root, a bound file of another user's"
host "the probe said two owners, root's and the other user's" \
        test "$(awk '$1 == "owner" { print $2 }' "$TMP/out" | paste -sd' ')" = "0:0 $OTHER:$OTHER"
finish

begin "the same range at the next start"
in_sandbox userns-identity maps
want uid_map "0-$BASE-65536"
finish

begin "another sandbox, another range"
run_helper NAME="$NAME-b" "${SHIP[@]}" maps <"$BIN/userns-identity"
BASE_B=$(base "$NAME-b")
want uid_map "0-$BASE_B-65536"
host "its record has another base" test -n "$BASE_B" -a "$BASE_B" != "$BASE"
finish

# the overlays made as before Linux 6.15 (no detached layer taken): the
# idmapped lower dirs attached in the overlays' own mount namespace
D="the overlays on idmapped lower dirs made in a mount namespace of their own (as before Linux 6.15)"
if SANDBOX_FAULT_OVERLAYS=malformed "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>&1; then
        skip_attempt "$D" "the helper is built without fault injection"
else
        begin "$D"
        HELPER_ARGS=("${PRIVATE[@]}" --debug)
        SANDBOX_FAULT_OVERLAYS=attached run_helper "${SHIP[@]}" stat:/etc/passwd "write:/etc/attached-$TOKEN" \
                <"$BIN/userns-identity"
        want owner "0:0"
        want write ok
        host "the helper says so" grep -q "made in a mount namespace of their own" "$TMP/err"
        host "what root wrote in /etc is BASE's on the host" \
                test "$(stat -c %u:%g "$STATE/$NAME/etc/upper/attached-$TOKEN" 2>&1)" = "$BASE:$BASE"
        finish
fi

HELPER_ARGS=("${PRIVATE[@]}" --user="$SVC" --group="$SVC")
begin "a user of its own: what it writes is BASE+ID's on the host"
in_sandbox userns-identity "write:/var/tmp/user-$TOKEN"
want write ok
host "the file is $((BASE + SVC))'s on the host" \
        test "$(stat -c %u:%g "$STATE/$NAME/var/upper/tmp/user-$TOKEN" 2>&1)" = "$((BASE + SVC)):$((BASE + SVC))"
finish

# a state made without the mode: shifted once into the range, with a
# message, and back once the mode is off again
SHIFTED=$NAME-shift
HELPER_ARGS=(--bind="$SHARE:/run/share" --user="$SVC" --group="$SVC")
begin "a state made without the mode keeps its files' owners as the IDs themselves"
run_helper NAME="$SHIFTED" "${SHIP[@]}" "write:/var/tmp/before-$TOKEN" <"$BIN/userns-identity"
want write ok
host "the file is $SVC's on the host" test "$(stat -c %u "$STATE/$SHIFTED/var/upper/tmp/before-$TOKEN" 2>&1)" = "$SVC"
host "there is no record" absent "$STATE/$SHIFTED/userns"
finish

HELPER_ARGS=("${PRIVATE[@]}" --user="$SVC" --group="$SVC")
begin "started with the mode, it is shifted once into its range, saying so; the service finds its file as its own"
run_helper NAME="$SHIFTED" "${SHIP[@]}" "stat:/var/tmp/before-$TOKEN" maps <"$BIN/userns-identity"
SBASE=$(base "$SHIFTED")
want owner "$SVC:$SVC"
want read ok
want uid_map "0-$SBASE-65536"
host "the helper said it shifted the state" grep -q "shifted once into its range" "$TMP/err"
host "the file is BASE+$SVC's on the host" \
        test "$(stat -c %u "$STATE/$SHIFTED/var/upper/tmp/before-$TOKEN" 2>&1)" = "$((SBASE + SVC))"
host "so is the upper dir's top BASE's" test "$(stat -c %u "$STATE/$SHIFTED/var/upper" 2>&1)" = "$SBASE"
host "the record says ready" test "$(cat "$STATE/$SHIFTED/userns" 2>&1)" = "$SBASE 65536 ready"
finish

HELPER_ARGS=(--bind="$SHARE:/run/share" --user="$SVC" --group="$SVC")
begin "the mode turned off: shifted back, the record gone, the file the IDs' own again"
run_helper NAME="$SHIFTED" "${SHIP[@]}" "stat:/var/tmp/before-$TOKEN" <"$BIN/userns-identity"
want owner "$SVC:$SVC"
want read ok
host "the helper said it shifted the state back" grep -q "shifted back once" "$TMP/err"
host "the file is $SVC's on the host" test "$(stat -c %u "$STATE/$SHIFTED/var/upper/tmp/before-$TOKEN" 2>&1)" = "$SVC"
host "the record is gone" absent "$STATE/$SHIFTED/userns"
finish

# a capped state (an image) made without the mode is refused with it,
# saying why, rather than shifted inside its image
IMGSTATE=$NAME-capped
NAMES+=("$IMGSTATE")
D="a capped state made without the mode: the start with it is refused (125), saying so"
if ! command -v mkfs.ext4 >/dev/null; then
        skip_attempt "$D" "mkfs.ext4 is missing here"
else
        HELPER_ARGS=(--state-size=16M)
        run_helper NAME="$IMGSTATE" /bin/sh -c 'echo kept >/var/tmp/kept'
        begin "$D"
        host "the capped state's image is there" test -f "$STATE/$IMGSTATE/state.img"
        HELPER_ARGS=(--state-size=16M --user-namespace=private)
        run_helper NAME="$IMGSTATE" /bin/true
        EXPECT_RC=125
        host "the message says the image's owners cannot be shifted" grep -q "in an image (<state size=>)" "$TMP/err"
        host "no range was taken" absent "$STATE/$IMGSTATE/userns"
        finish
fi

# a capped state made with the mode: its upper dirs in the image are the
# range's, kept from one start to the next
CAPPED=$NAME-capped-new
NAMES+=("$CAPPED")
D="a capped state made with the mode keeps what the service wrote, root's inside"
if ! command -v mkfs.ext4 >/dev/null; then
        skip_attempt "$D" "mkfs.ext4 is missing here"
else
        begin "$D"
        HELPER_ARGS=(--state-size=16M --user-namespace=private)
        run_helper NAME="$CAPPED" /bin/sh -c 'echo kept >/var/tmp/kept'
        run_helper NAME="$CAPPED" /bin/sh -c 'echo "kept $(cat /var/tmp/kept)"; echo "owner $(stat -c %u:%g /var/tmp/kept)"'
        want kept kept
        want owner "0:0"
        host "its record is there" test -s "$STATE/$CAPPED/userns"
        finish
fi

# an image and a block device: the image's files keep their owners (an
# idmapped mount of its ext4), the block node is root's inside
IMG=$TMP/image.ext4
mkdir -p "$TMP/image-root"
echo owned >"$TMP/image-root/file"
chown "$OTHER:$OTHER" "$TMP/image-root/file"
D="an image's files keep their owners; a block device's node is root's inside and reads"
if ! command -v mkfs.ext4 >/dev/null || ! truncate -s 8M "$IMG" || ! mkfs.ext4 -q -F -d "$TMP/image-root" "$IMG" 2>/dev/null ||
        ! LOOP=$(losetup -f --show -r "$IMG" 2>/dev/null) || [ -z "$LOOP" ]; then
        skip_attempt "$D" "mkfs.ext4 or a loop device is missing here"
else
        begin "$D"
        HELPER_ARGS=("${PRIVATE[@]}" --image-ro="$IMG:/mnt" --block-ro="data:$LOOP")
        run_helper /bin/sh -c 'echo "image-owner $(stat -c %u:%g /mnt/file)"; echo "node-owner $(stat -L -c %u:%g /dev/disk/by-tag/data)"
                if dd if=/dev/disk/by-tag/data of=/dev/null bs=1024 count=1 2>/dev/null; then echo "node-read ok"; else echo "node-read EACCES"; fi'
        want image-owner "$OTHER:$OTHER"
        want node-owner "0:0"
        want node-read ok
        finish
        losetup -d "$LOOP"
fi

# the shocker: a handle of the host's secret, made outside
HANDLE=$(outside userns-handle handle "make:$SECRET")
SHOCKER=(--keep-caps=CAP_DAC_READ_SEARCH,CAP_DAC_OVERRIDE --seccomp-allow=open_by_handle_at --landlock-default=no)
HELPER_ARGS=(--bind="$SHARE:/run/share" "${SHOCKER[@]}")
D="without the user namespace, root with CAP_DAC_READ_SEARCH opens the host's secret by its handle (the primitive works)"
if [ -z "$HANDLE" ]; then
        skip_attempt "$D" "the file system of $TMP gives no handles"
else
        begin "$D"
        run_helper NAME="$NAME-plain" "${SHIP[@]}" "open:$HANDLE" <"$BIN/userns-handle"
        want open-by-handle ok
        finish
fi

HELPER_ARGS=("${PRIVATE[@]}" "${SHOCKER[@]}")
D="root inside, with CAP_DAC_READ_SEARCH and the call allowed: the host's secret by its handle is refused"
if [ -z "$HANDLE" ]; then
        skip_attempt "$D" "the file system of $TMP gives no handles"
else
        begin "$D"
        in_sandbox userns-handle "open:$HANDLE"
        want open-by-handle EPERM
        finish
fi

HELPER_ARGS=("${PRIVATE[@]}" --network=none --keep-caps=CAP_NET_BIND_SERVICE)
begin "root with CAP_NET_BIND_SERVICE binds a port below 1024 ($PORT) in its own network namespace"
in_sandbox userns-identity "bind:$PORT"
want bind-low ok
finish

HELPER_ARGS=("${PRIVATE[@]}" --network=host --keep-caps=CAP_NET_BIND_SERVICE)
begin "... but not on the host's network"
in_sandbox userns-identity "bind:$PORT"
want bind-low EACCES
finish

HELPER_ARGS=("${PRIVATE[@]}" --keep-caps=CAP_SYS_ADMIN)
begin "root with CAP_SYS_ADMIN: no nested user namespace, by unshare() or clone()"
in_sandbox userns-identity unshare
want unshare-user EPERM
want clone-user EPERM
finish

# A root process of the host's, started by the test in the sandbox's PID
# namespace (so that the service can name it), not in its user
# namespace: the service, root with CAP_KILL, is given its PID.
HELPER_ARGS=("${PRIVATE[@]}" --keep-caps=CAP_KILL --landlock-default=no)
chmod 0777 "$SHARE"
begin "root with CAP_KILL: a root process of the host's, given its PID, cannot be signalled"
signal_attempt 0 /bin/sleep 60
want kill-0 EPERM
want kill-term EPERM
finish
chmod 0755 "$SHARE"

# a command joined to the running sandbox: the service's user namespace,
# as its user
HELPER_ARGS=("${PRIVATE[@]}" --user="$SVC" --group="$SVC")
timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sleep 60 \
        >"$TMP/service.out" 2>"$TMP/service.err" &
BACKGROUND=$!
begin "a joined command: the service's user namespace and range, and what it writes is BASE+ID's"
if wait_service "$BACKGROUND"; then
        SERVICE_NS=$(stat -L -c %i "/proc/$MAIN/ns/user")
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "${SHIP[@]}" maps "write:/var/tmp/joined-$TOKEN" \
                <"$BIN/userns-identity" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        want uid_map "0-$BASE-65536"
        want userns "$SERVICE_NS"
        want write ok
        host "the joined command's file is BASE+$SVC's" \
                test "$(stat -c %u "$STATE/$NAME/var/upper/tmp/joined-$TOKEN" 2>&1)" = "$((BASE + SVC))"
else
        RC=1
        BAD+=("the service did not start: $(cat "$TMP/service.err")")
fi
finish
stop_background

# the same for a service of root's: the joined command is root inside
# (BASE), and signals the service, as a unit's ExecReload=kill -HUP
# $MAINPID does
HELPER_ARGS=("${PRIVATE[@]}")
timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sleep 60 \
        >"$TMP/service.out" 2>"$TMP/service.err" &
BACKGROUND=$!
begin "a joined command of a root service: root inside, BASE on the host, and it signals the service"
if wait_service "$BACKGROUND"; then
        SERVICE_PID=$(awk '$1 == "NSpid:" { print $NF }' "/proc/$MAIN/status")
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "${SHIP[@]}" "write:/var/tmp/joined-root-$TOKEN" \
                "kill:$SERVICE_PID" <"$BIN/userns-identity" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        want write ok
        want kill-0 ok
        want kill-term ok
        host "the joined command's file is BASE's" \
                test "$(stat -c %u "$STATE/$NAME/var/upper/tmp/joined-root-$TOKEN" 2>&1)" = "$BASE"
else
        RC=1
        BAD+=("the service did not start: $(cat "$TMP/service.err")")
fi
finish
stop_background

# a root on a file system that takes no idmapping (overlayfs) is refused,
# saying why, before the service runs: in a mount namespace of the
# test's own
begin "a root directory on overlayfs: the start is refused (125), naming the file system's limit"
mkdir -p "$TMP/ov/upper" "$TMP/ov/work" "$TMP/ov/root"
HELPER_ARGS=(--user-namespace=private)
unshare -m --propagation private sh -c 'mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$1/root" &&
        exec timeout -k 5 60 "$2" --name="$3" --state-root="$4" --user-namespace=private --root-directory="$1/root" -- /bin/echo ran' \
        sh "$TMP/ov" "$HELPER" "$NAME-ov" "$STATE" >"$TMP/out" 2>"$TMP/err"
RC=$?
EXPECT_RC=125
host "the message names the reason" grep -q "cannot be idmapped" "$TMP/err"
host "the service did not run" test ! -s "$TMP/out"
finish

mount_table_unchanged
done_testing
