#!/usr/bin/env bash
# Landlock rules: the service reads and executes below its read-only
# paths, writes only below its read-write ones, and nothing else; the
# sandbox's own writable /etc overlay included. Without Landlock in the
# kernel (made so here with tests/enosys.c) the sandbox does not start,
# unless the rules are optional. Needs root.
. "$(dirname "$0")/private-ns.sh"
. "$(dirname "$0")/tap.sh"

PREFIX=sblandl$$
. "$(dirname "$0")/sandbox-lib.sh"
trap remove_sandbox_dirs EXIT

abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
if ! [ "${abi:-0}" -gt 0 ] 2>/dev/null; then
        echo "1..0 # SKIP no Landlock in this kernel (landlock_create_ruleset answered ${abi:-nothing})"
        exit 0
fi
diag "Landlock ABI $abi"

mkdir -p "$TMP/data" "$TMP/other"
echo secret >"$TMP/other/file"
RULES=(--landlock-ro=/usr --landlock-ro=/etc --landlock-ro=/proc --landlock-rw=/dev/null --landlock-rw="$TMP/data")
BINDS=(--bind="$TMP/data:$TMP/data" --bind="$TMP/other:$TMP/other")

# try CMD: "ok" when the shell command succeeds in the sandbox, else "denied"
SCRIPT='
try() { if sh -c "$1" >/dev/null 2>&1; then echo "$2 ok"; else echo "$2 denied"; fi; }
try "cat /etc/hostname" read-etc
try "/usr/bin/true" exec-usr
try "echo x > '"$TMP"'/data/f && cat '"$TMP"'/data/f" write-data
try "mkdir '"$TMP"'/data/d && mv '"$TMP"'/data/f '"$TMP"'/data/d/f" rename-in-data
try "echo x > /etc/sandbox-landlock-probe" write-etc
try "cat '"$TMP"'/other/file" read-other
try "echo x > '"$TMP"'/other/new" write-other
try "ls /var" list-var
try "echo x > /tmp/t" write-tmp
try "echo x > /dev/null" write-dev-null
'
name rules
sb "$n" --etc=overlay --var=tmpfs "${BINDS[@]}" "${RULES[@]}" -- /bin/sh -c "$SCRIPT"
check_eq "the service runs under the rules" "$rc" 0
for want in "read-etc ok" "exec-usr ok" "write-data ok" "rename-in-data ok" "write-dev-null ok" \
        "write-etc denied" "read-other denied" "write-other denied" "list-var denied" "write-tmp denied"; do
        check "$want" grep -qx "$want" "$TMP/out"
done
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"
check "the read-only rule holds on the writable /etc overlay: nothing written to its upper layer" \
        test ! -e "$STATE/$n/etc/upper/sandbox-landlock-probe"

name join
sb "$n" --etc=host --var=tmpfs "${BINDS[@]}" --landlock-ro=/usr -- /bin/sh -c 'cat /etc/hostname'
check "without /etc among the paths, /etc cannot be read" test "$rc" -ne 0

name missing
sb "$n" --etc=host --var=tmpfs --landlock-ro=/usr --landlock-ro=/no/such/dir -- /bin/true
check "a path that does not exist in the sandbox: it does not start" test "$rc" -ne 0
check "... and the message names the path" grep -q "landlock: /no/such/dir" "$TMP/err"

if command -v cc >/dev/null && cc -O2 -o "$TMP/enosys" "$SOURCE_ROOT/tests/enosys.c" 2>/dev/null; then
        name old-kernel
        sb "$n" --etc=host --var=tmpfs --landlock-ro=/usr -- /bin/true
        timeout -k 5 60 "$TMP/enosys" landlock_create_ruleset "$HELPER" --name="$n" --state-root="$STATE" \
                --etc=host --var=tmpfs --landlock-ro=/usr --landlock-ro=/etc -- /bin/cat /etc/hostname \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check "no Landlock in the kernel: the sandbox does not start" test "$rc" -ne 0 -a ! -s "$TMP/out"
        check "... and says why" grep -q "Landlock is not in this kernel" "$TMP/err"
        timeout -k 5 60 "$TMP/enosys" landlock_create_ruleset "$HELPER" --name="$n" --state-root="$STATE" \
                --etc=host --var=tmpfs --landlock-ro=/usr --landlock-optional -- /bin/cat /etc/hostname \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "optional rules without Landlock: the service runs without them" "$rc $(cat "$TMP/out")" "0 $(cat /etc/hostname)"
        check "... and says so" grep -q "the service runs without its rules" "$TMP/err"
else
        skip "no Landlock in the kernel: the sandbox does not start" "no C compiler for tests/enosys.c"
        skip "optional rules without Landlock: the service runs without them" "no C compiler for tests/enosys.c"
fi

# from a profile, through sandboxctl run
name profile
profile_run "$n" '<landlock><read-only path="/usr"/><read-write path="/tmp"/><read-write path="/dev/null"/></landlock>' -- \
        /bin/sh -c 'echo x >/tmp/f && echo tmp-written; cat /etc/hostname >/dev/null 2>&1 || echo etc-denied'
check_eq "a profile's <landlock>: /tmp writable, /etc not readable" "$out" "tmp-written
etc-denied"

done_testing
