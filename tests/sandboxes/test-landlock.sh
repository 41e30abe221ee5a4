#!/usr/bin/env bash
# Landlock. The default domain: the service writes where the sandbox's
# mounts are writable (its /etc and /var but where they are the host's,
# /tmp, /run, /dev/shm, /proc, the profile's writable binds and tmpfs
# mounts), reads and executes everywhere, and cannot signal process 1;
# --landlock-default=no and <landlock default="no"/> turn it off. The
# profile's rules: the service reads and executes below its read-only
# paths, writes only below its read-write ones, and nothing else; the
# sandbox's own writable /etc overlay included. Without Landlock in the
# kernel (made so here with tests/enosys.c) the default domain is left
# out and the sandbox starts; with rules it does not start, unless they
# are optional. Needs root.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sblandl$$
. "$(dirname "$0")/lib.sh"
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
        timeout -k 5 60 "$TMP/enosys" landlock_create_ruleset "$HELPER" --name="$n" --state-root="$STATE" \
                --etc=host --var=tmpfs -- /bin/sh -c 'kill -0 1 && cat /etc/hostname' </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "no Landlock in the kernel, no rules: the service runs without the default domain, silently" \
                "$rc $(cat "$TMP/out") $(cat "$TMP/err")" "0 $(cat /etc/hostname) "
        timeout -k 5 60 "$TMP/enosys" landlock_create_ruleset "$HELPER" --name="$n" --state-root="$STATE" \
                --etc=host --var=tmpfs --debug -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
        check "... but for --debug, which says so" \
                grep -q "Landlock is not in this kernel.*; the service runs without the default domain" "$TMP/err"
        timeout -k 5 60 "$TMP/enosys" landlock_create_ruleset "$HELPER" --name="$n" --state-root="$STATE" \
                --etc=host --var=tmpfs --landlock-default=no -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
        check_eq "no Landlock in the kernel, the default domain off: nothing said" "$rc $(cat "$TMP/err")" "0 "
else
        skip "no Landlock in the kernel: the sandbox does not start" "no C compiler for tests/enosys.c"
        skip "optional rules without Landlock: the service runs without them" "no C compiler for tests/enosys.c"
        skip "no Landlock in the kernel, no rules: the service runs without the default domain, silently" "no C compiler for tests/enosys.c"
        skip "... but for --debug, which says so" "no C compiler for tests/enosys.c"
        skip "no Landlock in the kernel, the default domain off: nothing said" "no C compiler for tests/enosys.c"
fi

# --- the default domain ---

# try COMMAND LABEL: "LABEL ok" when the shell command succeeds in the
# sandbox, else LABEL and its message's last words (Read-only file
# system, Operation not permitted)
DEFAULT_SCRIPT='
try() { if sh -c "$1" 2>/tmp/e; then echo "$2 ok"; else echo "$2 $(sed "s/.*: //" /tmp/e)"; fi; }
try "echo x >/tmp/f" write-tmp
try "echo x >/run/f" write-run
try "echo x >/etc/landlock-probe" write-etc
try "echo x >/var/landlock-probe" write-var
try "echo x >/dev/shm/f" write-dev-shm
try "echo x >/dev/null" write-dev-null
try "echo landlock-probe >/proc/self/comm" write-proc-self
try "echo x >/srv/f" write-bind
try "echo x >/mnt/f" write-tmpfs
try "echo x >/opt/f" write-bind-ro
try "cat /etc/hostname >/dev/null" read-etc
try "/usr/bin/true" exec-usr
try "kill -0 1" signal-init
try "sleep 30 & kill \$!" signal-child
'
mkdir -p "$TMP/bound" "$TMP/bound-ro"
name default
sb "$n" --etc=overlay --var=overlay --bind="$TMP/bound:/srv" --bind-ro="$TMP/bound-ro:/opt" \
        --tmpfs=/mnt:1M: -- /bin/sh -c "$DEFAULT_SCRIPT"
check_eq "the default domain: the service runs" "$rc" 0
for want in "write-tmp ok" "write-run ok" "write-etc ok" "write-var ok" "write-dev-shm ok" "write-dev-null ok" \
        "write-proc-self ok" "write-bind ok" "write-tmpfs ok" "write-bind-ro Read-only file system" \
        "read-etc ok" "exec-usr ok" "signal-child ok"; do
        check "the default domain: $want" grep -qx "$want" "$TMP/out"
done
if [ "$abi" -ge 6 ]; then
        check "the default domain: process 1 cannot be signalled" grep -qx "signal-init .*Operation not permitted" "$TMP/out"
else
        skip "the default domain: process 1 cannot be signalled" "Landlock ABI $abi: signals are scoped from ABI 6"
fi
check "the default domain: what was written to the bind is in its source" test -f "$TMP/bound/f"
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/err")"

name default-host
sb "$n" --etc=host --var=host -- /bin/sh -c "$DEFAULT_SCRIPT"
for want in "write-etc Read-only file system" "write-var Read-only file system" "write-tmp ok"; do
        check "the default domain, /etc and /var the host's: $want" grep -qx "$want" "$TMP/out"
done

name default-off
sb "$n" --etc=host --var=tmpfs --landlock-default=no -- /bin/sh -c "$DEFAULT_SCRIPT"
check "--landlock-default=no: process 1 can be signalled (the old behaviour)" grep -qx "signal-init ok" "$TMP/out"

# the plan says what the domain is, from the same configuration
"$HELPER" --name=plan --etc=host --bind="$TMP/bound:/srv" --bind-ro="$TMP/bound-ro:/opt" \
        --tmpfs=/mnt:1M: --dry-run -- /bin/true >"$TMP/plan"
line=$(grep ' landlock ' "$TMP/plan")
check "--dry-run: the default domain writes below /var /tmp /run ... /srv /mnt, not /etc (host)" \
        bash -c '[[ $1 == *"write below /var /tmp /run /dev/pts /dev/shm /proc "*" /srv /mnt;"* && $1 != *"/etc"* ]]' _ "$line"
check "--dry-run: device ioctls below /dev and the read-only bind" bash -c '[[ $1 == *"device ioctls below /dev /opt;"* ]]' _ "$line"
"$HELPER" --name=plan --landlock-default=no --dry-run -- /bin/true >"$TMP/plan"
check "--dry-run, --landlock-default=no: no Landlock step" bash -c '! grep -q " landlock " "$1"' _ "$TMP/plan"
"$HELPER" --name=plan --landlock-default=maybe -- /bin/true >/dev/null 2>"$TMP/err"
check_eq "--landlock-default=maybe: refused (1), saying what is allowed" "$? $(cat "$TMP/err")" \
        "1 sandbox-helper: --landlock-default=maybe: invalid value; allowed: yes, no"

# from a profile, through sandboxctl run
name profile
profile_run "$n" '<landlock><read-only path="/usr"/><read-write path="/tmp"/><read-write path="/dev/null"/></landlock>' -- \
        /bin/sh -c 'echo x >/tmp/f && echo tmp-written; cat /etc/hostname >/dev/null 2>&1 || echo etc-denied'
check_eq "a profile's <landlock>: /tmp writable, /etc not readable" "$out" "tmp-written
etc-denied"

if [ "$abi" -ge 6 ]; then
        name profile-default
        profile_run "$n" '' -- /bin/sh -c 'kill -0 1 2>/dev/null && echo signalled || echo refused'
        check_eq "a profile without <landlock>: the default domain (process 1 not signalled)" "$out" refused
        name profile-off
        profile_run "$n" '<landlock default="no"/>' -- /bin/sh -c 'kill -0 1 2>/dev/null && echo signalled || echo refused'
        check_eq "<landlock default=\"no\"/>: no default domain (process 1 signalled)" "$out" signalled
        name profile-off-rules
        profile_run "$n" '<landlock default="no"><read-only path="/usr"/><read-write path="/dev/null"/></landlock>' -- \
                /bin/sh -c 'kill -0 1 2>/dev/null && echo signalled; cat /etc/hostname >/dev/null 2>&1 || echo etc-denied'
        check_eq "<landlock default=\"no\"> with rules: the rules alone" "$out" "signalled
etc-denied"
else
        for what in "a profile without <landlock>: the default domain (process 1 not signalled)" \
                "<landlock default=\"no\"/>: no default domain (process 1 signalled)" \
                "<landlock default=\"no\"> with rules: the rules alone"; do
                skip "$what" "Landlock ABI $abi: signals are scoped from ABI 6"
        done
fi

done_testing
