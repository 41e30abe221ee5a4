#!/usr/bin/env bash
# <no-exec-path> and <exec-path> (--no-exec-path, --exec-path): below
# "/" nothing executes (execve() EACCES, mmap(PROT_EXEC) EPERM) but what
# an exec path allows again: the probe, bound read-only on /run/probes,
# and its loader and libraries in /usr/lib (/lib and /lib64 point there
# on a merged /usr). The sandbox's own noexec mounts stay noexec below
# an exec path; no other flag of any mount changes; a joined command
# sees the same; the service, even with CAP_SYS_ADMIN, cannot make a
# mount executable again. A service that cannot be executed fails the
# start with the helper's "not executed" status; a path that is missing
# refuses the start unless it is optional; validate refuses a bad path
# with its file and line. Needs root and cc; everything it writes is
# under $TMP, plus /run/sandbox/NAME, removed at the end.
. "$(dirname "$0")/../escape-lib.sh"

PROBE=/run/probes/noexec-paths
BOUND=(--bind-ro="$BIN":/run/probes)
ALLOWED=(--exec-path=/run/probes --exec-path=/usr/lib --exec-path=-/usr/lib64)
NOEXEC=("${BOUND[@]}" --no-exec-path=/ "${ALLOWED[@]}")
# the probe's loader and libraries, wherever ldd names them, must lie
# in /usr/lib or /usr/lib64 once their links are followed
for f in $(ldd "$BIN/noexec-paths" | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
        case $(readlink -f "$f") in
        /usr/lib/* | /usr/lib64/*) ;;
        *)
                echo "1..0 # SKIP the probe's $f is not below /usr/lib"
                exit 0
                ;;
        esac
done

# probe ARGUMENT...: the probe as the service
probe() {
        run_helper "$PROBE" "$@"
}

HELPER_ARGS=("${NOEXEC[@]}")
begin "no-exec /: a program outside the exec paths is refused (EACCES), one below them runs"
probe exec:/usr/bin/true exec:/bin/true exec:/usr/sbin/nologin exec:"$PROBE"
want exec:/usr/bin/true EACCES
want exec:/bin/true EACCES
want exec:/usr/sbin/nologin EACCES
want exec:"$PROBE" ok
finish

begin "no-exec /: mmap(PROT_EXEC) of a file below it is refused (EPERM), of a library below an exec path allowed"
libc=$(ldd "$BIN/noexec-paths" | awk '$1 ~ /^libc\.so/ { print $3 }')
probe mmap:/usr/bin/true mmap:"$libc"
want mmap:/usr/bin/true EPERM
want mmap:"$libc" ok
finish

begin "no-exec /: /tmp, /run, /var and /etc noexec; the exec paths not"
probe noexec:/tmp noexec:/run noexec:/var noexec:/etc noexec:/usr/bin noexec:/usr/lib noexec:/run/probes
want noexec:/tmp yes
want noexec:/run yes
want noexec:/var yes
want noexec:/etc yes
want noexec:/usr/bin yes
want noexec:/usr/lib no
want noexec:/run/probes no
finish

# the sandbox's own noexec mounts: /dev, /dev/pts, /proc, /sys, the
# /root and /home masks; /dev/shm is not one of them
HELPER_ARGS=("${NOEXEC[@]}" --exec-path=/dev --exec-path=/proc --exec-path=/sys --exec-path=/root)
begin "the sandbox's own noexec mounts (/dev, /dev/pts, /proc, /sys, /root) stay noexec below an exec path"
probe noexec:/dev noexec:/dev/pts noexec:/proc noexec:/proc/sys noexec:/sys noexec:/root noexec:/dev/shm noexec:/tmp
want noexec:/dev yes
want noexec:/dev/pts yes
want noexec:/proc yes
want noexec:/proc/sys yes
want noexec:/sys yes
want noexec:/root yes
want noexec:/dev/shm no
want noexec:/tmp yes
finish

# every mount's other flags, without and with the paths: the same
HELPER_ARGS=("${BOUND[@]}")
probe opts
sort -u "$TMP/out" >"$TMP/opts.plain"
HELPER_ARGS=("${NOEXEC[@]}" --exec-path=/dev --no-exec-path=/dev/shm --exec-path=/var)
probe opts
sort -u "$TMP/out" >"$TMP/opts.paths"
awk '{ print $1 }' "$TMP/opts.plain" | sort -u >"$TMP/points"
grep -F -f "$TMP/points" -x -v <(awk '{ print $1 }' "$TMP/opts.paths" | sort -u) >"$TMP/points.new" || true
if [ -s "$TMP/opts.plain" ] && diff <(grep -v -F -f <(sed 's/$/ /' "$TMP/points.new") "$TMP/opts.paths") "$TMP/opts.plain" >"$TMP/opts.diff"; then
        ok "ro, nosuid and nodev of every mount are as without the paths"
else
        not_ok "ro, nosuid and nodev of every mount are as without the paths"
        diag "$(cat "$TMP/opts.diff")" "$(cat "$TMP/err")"
fi
root_opts=$(awk '$1 == "opts:/" { print $2 }' "$TMP/opts.paths" | head -n 1)
lib_opts=$(awk '$1 == "opts:/usr/lib" { print $2 }' "$TMP/opts.paths")
check_eq "/usr/lib, bound onto itself, keeps the flags of the root it lies on" "$lib_opts" "$root_opts"

# on a kernel without mount_setattr(2) (before 5.12): remounts, the
# same result
if cc -O2 -o "$BIN/enosys" "$SOURCE_ROOT/tests/enosys.c" 2>/dev/null; then
        printf '#!/bin/sh\nexec "%s" mount_setattr "%s" "$@"\n' "$BIN/enosys" "$HELPER" >"$TMP/enosys-helper"
        chmod 0755 "$TMP/enosys-helper"
        REAL_HELPER=$HELPER
        HELPER=$TMP/enosys-helper
        HELPER_ARGS=("${NOEXEC[@]}" --exec-path=/dev --exec-path=/proc)
        begin "without mount_setattr(2): /usr/bin/true refused, the exec paths executable, /dev and /proc still noexec"
        probe exec:/usr/bin/true exec:"$PROBE" noexec:/tmp noexec:/dev noexec:/proc noexec:/dev/shm opts
        want exec:/usr/bin/true EACCES
        want exec:"$PROBE" ok
        want noexec:/tmp yes
        want noexec:/dev yes
        want noexec:/proc yes
        want noexec:/dev/shm no
        lib_opts=$(awk '$1 == "opts:/usr/lib" { print $2 }' "$TMP/out")
        [ "$lib_opts" = "$root_opts" ] || BAD+=("/usr/lib has $lib_opts, the root $root_opts")
        finish
        HELPER=$REAL_HELPER
else
        skip "without mount_setattr(2): the same" "no tests/enosys.c build"
fi

# a pre-start command (<exec-start-pre>) runs in the same root: the
# same refusals; one outside the exec paths is not executed
HELPER_ARGS=("${NOEXEC[@]}" "--exec-start-pre=$PROBE:exec\\:/usr/bin/true:noexec\\:/tmp" --exec-start-pre=/usr/bin/true)
begin "a pre-start command: /usr/bin/true refused (EACCES), /tmp noexec; one outside the exec paths fails the start"
probe exec:"$PROBE"
want exec:/usr/bin/true EACCES
want noexec:/tmp yes
grep -q 'exec-start-pre: execute /usr/bin/true: Permission denied' "$TMP/err" || BAD+=("the helper did not say why")
grep -q "^exec:$PROBE" "$TMP/out" && BAD+=("the service ran after a failed pre-start command")
[ "$RC" -ne 0 ] && EXPECT_RC=$RC
[ "$RC" -ne 0 ] || BAD+=("the start did not fail")
finish

# a joined command (sandboxctl exec, <exec-reload>): the same mounts
HELPER_ARGS=("${NOEXEC[@]}")
timeout -k 5 120 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- "$PROBE" sleep \
        </dev/null >"$TMP/service.out" 2>"$TMP/service.err" &
SERVICE_PID=$!
joined() {
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "$PROBE" "$@" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
for _ in $(seq 100); do
        joined exec:/usr/bin/true mmap:/usr/bin/true noexec:/tmp && [ -s "$TMP/out" ] && break
        sleep 0.1
done
begin "a joined command: /usr/bin/true refused (EACCES, EPERM), /tmp noexec, as for the service"
want exec:/usr/bin/true EACCES
want mmap:/usr/bin/true EPERM
want noexec:/tmp yes
host "the sandbox (helper PID $SERVICE_PID) runs on" alive "$SERVICE_PID"
finish
begin "a joined command of a program outside the exec paths is not executed"
timeout -k 5 60 "$HELPER" --join="$NAME" -- /usr/bin/true >"$TMP/out" 2>"$TMP/err"
RC=$?
EXPECT_RC=126
grep -q 'Permission denied' "$TMP/err" || BAD+=("no \"Permission denied\" from the join")
finish
kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
SERVICE_PID=

# with CAP_SYS_ADMIN, under the default filter: the mount calls that
# could take noexec off are refused, and nothing executes after them
HELPER_ARGS=("${NOEXEC[@]}" --keep-caps=CAP_SYS_ADMIN)
begin "CAP_SYS_ADMIN: remount, mount_setattr(2), a new bind, open_tree(2) refused (EPERM); /usr/bin/true still not executed"
probe undo:/usr/bin/true undo:/usr/lib
want "remount-bind:*" EPERM
want "remount-root:*" EPERM
want "setattr:*" EPERM
want "setattr-root:*" EPERM
want "bind:*" EPERM
want "open-tree:*" EPERM
want exec-after:/usr/bin/true EACCES
finish

# --- the start ---

HELPER_ARGS=("${NOEXEC[@]}")
begin "a service outside the exec paths: not executed (status 126, EACCES said)"
run_helper /usr/bin/true
EXPECT_RC=126
grep -q 'execute /usr/bin/true: Permission denied' "$TMP/err" || BAD+=("the helper did not say why")
finish

HELPER_ARGS=("${NOEXEC[@]}" --exec-path=/nonexistent-$TOKEN)
begin "an exec path the root lacks refuses the start, and says which"
run_helper "$PROBE" ran
[ "$RC" -ne 0 ] && EXPECT_RC=$RC
grep -q "exec path /nonexistent-$TOKEN: No such file or directory" "$TMP/err" || BAD+=("the helper did not name the path")
[ "$RC" -ne 0 ] || BAD+=("the sandbox started")
finish

HELPER_ARGS=("${NOEXEC[@]}" --exec-path=-/nonexistent-$TOKEN --no-exec-path=-/nonexistent-$TOKEN/x)
begin "an optional path the root lacks is left out"
probe exec:"$PROBE" exec:/usr/bin/true
want exec:"$PROBE" ok
want exec:/usr/bin/true EACCES
finish

HELPER_ARGS=("${BOUND[@]}" --no-exec-path=usr/lib)
begin "the helper refuses a relative path"
run_helper "$PROBE" ran
[ "$RC" -ne 0 ] && EXPECT_RC=$RC
grep -q -- '--no-exec-path=usr/lib: invalid value' "$TMP/err" || BAD+=("the helper did not refuse the value")
[ "$RC" -ne 0 ] || BAD+=("the sandbox started")
finish

# --- validate ---

mkdir -p "$TMP/profiles"
cat >"$TMP/profiles/noexec-bad.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/bin/true</arg></exec>
  <filesystem>
    <no-exec-path path="/"/>
    <exec-path path="/usr//lib"/>
  </filesystem>
</sandbox>
XML
out=$("$SANDBOXCTL" validate -- "$TMP/profiles/noexec-bad.xml" 2>&1)
rc=$?
check_eq "validate refuses a path that is not normalised, with the file and line" \
        "$rc: $out" "1: $TMP/profiles/noexec-bad.xml:6: <exec-path>: path \"/usr//lib\" is not a normalised path; it must be absolute and normalised (no \"//\", \".\", \"..\" or trailing \"/\")"

mount_table_unchanged

done_testing
