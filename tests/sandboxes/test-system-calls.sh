#!/usr/bin/env bash
# <system-calls>, systemd's SystemCallFilter= in a profile: the profile's
# own filter, loaded by the helper on top of its default one as the last
# step before execve(). An allow-list without mkdirat() makes it fail
# with the errno given, and kills the process with SIGSYS without one; a
# deny-list refuses what it names and nothing else; a pre-start command
# and a command joined to the running sandbox (sandboxctl exec, a reload)
# are refused the same calls; an allow-list that names mount() or
# unshare() does not let through what the default filter refuses; a call
# newer than the build says ENOSYS, not the list's action. The
# profile's names are checked with the line. Needs root and cc; runs in
# a mount namespace of its own, with everything under $TMP.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

SERVICE_PID=
sc_cleanup() {
        [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
        cleanup
}
trap sc_cleanup EXIT

# what a dynamically linked probe, /bin/true and /bin/sleep need to run,
# and the probe's own calls; without mkdir() and mkdirat(). Names of
# another architecture are valid names (libseccomp knows them) and get
# no rule here.
BASE="access arch_prctl brk close exit_group fstat futex getrandom lseek mmap mprotect munmap newfstatat
openat pread64 prlimit64 read rseq set_robust_list set_tid_address write uname symlinkat ioctl
clock_nanosleep nanosleep rt_sigaction rt_sigprocmask getpid fadvise64"
ALLOW=$(echo $BASE | tr ' ' ',')
SC=(/mnt/sc-filter)
BIND=(--bind-ro="$BIN:/mnt")

# --- without the element ---

HELPER_ARGS=("${BIND[@]}")
begin "without <system-calls>: mkdirat() and symlinkat() work; mount() and a user namespace are refused by the default filter"
run_helper "${SC[@]}"
want uname ok
want mkdir ok
want symlink ok
want mount EPERM
want unshare-user EPERM
finish

# --- an allow-list ---

HELPER_ARGS=("${BIND[@]}" --system-calls="$ALLOW" --system-calls-errno=EACCES)
begin "an allow-list without mkdirat(), errno EACCES: mkdirat() fails with EACCES, what it names works"
run_helper "${SC[@]}"
want uname ok
want mkdir EACCES
want symlink ok
want open-create ok
finish

HELPER_ARGS=("${BIND[@]}" --system-calls="$ALLOW,mount,umount2,unshare" --system-calls-errno=EACCES)
begin "an allow-list that names mount() and unshare(): the default filter still refuses them (EPERM)"
run_helper "${SC[@]}"
want mount EPERM
want unshare-user EPERM
want mkdir EACCES
finish

HELPER_ARGS=("${BIND[@]}" --system-calls="$ALLOW")
begin "an allow-list without errno: mkdirat() kills the process with SIGSYS (status 128+31), nothing after it runs; a call newer than the build says ENOSYS"
run_helper "${SC[@]}" kill
EXPECT_RC=159
want before ok
want newer ENOSYS
grep -q '^after' "$TMP/out" && BAD+=("the probe went on after mkdirat()")
finish

# --- a deny-list ---

HELPER_ARGS=("${BIND[@]}" --system-calls="~mkdirat,mkdir" --system-calls-errno=EPERM)
begin "a deny-list of mkdir() and mkdirat(), errno EPERM: those fail with EPERM, the others work as without it"
run_helper "${SC[@]}"
want mkdir EPERM
want uname ok
want symlink ok
want open-create ok
want mount EPERM
want unshare-user EPERM
finish

HELPER_ARGS=("${BIND[@]}" --system-calls="~symlinkat,symlink" --system-calls-errno=ENOSYS)
begin "a deny-list of symlink() and symlinkat(), errno ENOSYS: symlinkat() fails with ENOSYS, mkdirat() works"
run_helper "${SC[@]}"
want symlink ENOSYS
want mkdir ok
finish

# --- the helper fails closed ---

HELPER_ARGS=(--system-calls="~execve")
run_helper /bin/true
if [ "$RC" -ne 0 ] && grep -q -- '--system-calls=~execve: invalid value' "$TMP/err"; then
        ok "the helper refuses a deny-list that names execve(), which would keep the service from starting (status $RC)"
else
        not_ok "the helper refuses a deny-list that names execve()"
        diag "status $RC" "$(cat "$TMP/err")"
fi

HELPER_ARGS=(--system-calls="read,no_such_call")
run_helper /bin/true
if [ "$RC" -ne 0 ] && grep -q 'unknown system call no_such_call' "$TMP/err"; then
        ok "the helper refuses an allow-list with a name libseccomp does not know, and starts nothing (status $RC)"
else
        not_ok "the helper refuses an allow-list with a name libseccomp does not know"
        diag "status $RC" "$(cat "$TMP/err")"
fi

HELPER_ARGS=(--system-calls="$ALLOW" --allow-new-privileges)
run_helper /bin/true
if [ "$RC" -ne 0 ] && grep -q 'needs no_new_privs' "$TMP/err"; then
        ok "the helper refuses --system-calls with --allow-new-privileges: the filter needs no_new_privs (status $RC)"
else
        not_ok "the helper refuses --system-calls with --allow-new-privileges"
        diag "status $RC" "$(cat "$TMP/err")"
fi

# --- a pre-start command ---

HELPER_ARGS=("${BIND[@]}" --system-calls="$ALLOW" --system-calls-errno=EACCES --exec-start-pre=/mnt/sc-filter)
begin "a pre-start command is refused the same calls: mkdirat() fails with EACCES"
run_helper /bin/true
want mkdir EACCES
want symlink ok
# both filters refuse it: the kernel answers with the errno of the one
# loaded last, the profile's
want mount EACCES
finish

# --- a command joined to the running sandbox ---

HELPER_ARGS=("${BIND[@]}" --system-calls="$ALLOW" --system-calls-errno=EACCES)
timeout -k 5 120 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sleep 100 \
        </dev/null >"$TMP/service.out" 2>"$TMP/service.err" &
SERVICE_PID=$!
joined() {
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
for _ in $(seq 100); do
        joined "${SC[@]}" && break
        sleep 0.1
done
begin "a joined command (sandboxctl exec, a reload) is refused the same calls: mkdirat() fails with EACCES"
want mkdir EACCES
want symlink ok
want mount EACCES
want unshare-user EACCES
host "the sandbox (helper PID $SERVICE_PID) runs on, its service under the same filter" alive "$SERVICE_PID"
finish
joined /mnt/sc-filter kill
begin "a joined command of a sandbox whose filter has an errno is not killed: mkdirat() fails with EACCES"
want before ok
want after EACCES
finish
kill "$SERVICE_PID" 2>/dev/null
wait "$SERVICE_PID" 2>/dev/null
SERVICE_PID=

# --- the profile ---

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
profile() {
        cat >"$PROFILES/$1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/mnt/sc-filter</arg>${3:-}</exec>
  <filesystem><bind source="$BIN" target="/mnt" readonly="yes"/></filesystem>
  <security>
    $2
  </security>
</sandbox>
XML
}
run_profile() {
        timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" "$1" </dev/null >"$TMP/out" 2>"$TMP/err"
        RC=$?
}

profile "$NAME" "<system-calls allow=\"$BASE\" errno=\"EPERM\"/>"
run_profile "$NAME"
begin "a profile with <system-calls allow=\"...\" errno=\"EPERM\"/> without mkdirat, run: mkdirat() fails with EPERM"
want mkdir EPERM
want symlink ok
want mount EPERM
finish

profile "$NAME" "<system-calls allow=\"$BASE\"/>" "<arg>kill</arg>"
run_profile "$NAME"
begin "a profile with <system-calls allow=\"...\"/> without errno=, run: mkdirat() kills the service with SIGSYS"
EXPECT_RC=159
want before ok
want newer ENOSYS
grep -q '^after' "$TMP/out" && BAD+=("the probe went on after mkdirat()")
finish

profile "$NAME" '<system-calls deny="mkdir mkdirat" errno="EROFS"/>'
run_profile "$NAME"
begin "a profile with <system-calls deny=\"mkdir mkdirat\" errno=\"EROFS\"/>, run: mkdirat() fails with EROFS, the rest works"
want mkdir EROFS
want symlink ok
want open-create ok
want uname ok
finish

# validate: NAME LINE-PATTERN MESSAGE-PATTERN DESCRIPTION
refused() {
        local line
        line=$(grep -n "$2" "$PROFILES/$NAME-bad.xml" | head -n 1 | cut -d: -f1)
        timeout -k 5 60 "$SANDBOXCTL" validate "$PROFILES/$NAME-bad.xml" </dev/null >"$TMP/out" 2>"$TMP/err"
        RC=$?
        if [ "$RC" -ne 0 ] && grep -q "$NAME-bad.xml:$line: <system-calls>: $3" "$TMP/err"; then
                ok "$4, with its line ($line)"
        else
                not_ok "$4, with its line"
                diag "status $RC" "$(cat "$TMP/err")"
        fi
}

profile "$NAME-bad" '<system-calls allow="read write mkdri"/>'
refused "$NAME-bad" mkdri 'unknown system call "mkdri"' "validate refuses an unknown system call name"
profile "$NAME-bad" '<system-calls allow="read @system-service"/>'
refused "$NAME-bad" system-service 'unknown system call "@system-service"' "validate refuses a set: only names"
profile "$NAME-bad" '<system-calls allow="read write" errno="EBOGUS"/>'
refused "$NAME-bad" EBOGUS 'errno "EBOGUS" is not valid' "validate refuses an unknown errno"
profile "$NAME-bad" '<system-calls deny="mkdir execve"/>'
refused "$NAME-bad" execve 'system call "execve" cannot be refused' "validate refuses a deny-list that names execve()"
profile "$NAME-bad" '<system-calls allow=""/>'
refused "$NAME-bad" 'allow=""' 'allow="" names no system call' "validate refuses an empty list"
profile "$NAME-bad" '<no-new-privileges enabled="no"/>
    <system-calls allow="read write"/>'
refused "$NAME-bad" 'system-calls' 'needs no_new_privs' "validate refuses <system-calls> without no_new_privs"

profile "$NAME-bad" '<system-calls allow="read" deny="write"/>'
timeout -k 5 60 "$SANDBOXCTL" validate "$PROFILES/$NAME-bad.xml" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
if [ "$RC" -ne 0 ]; then
        ok "validate refuses allow= and deny= together (status $RC)"
else
        not_ok "validate refuses allow= and deny= together"
        diag "$(cat "$TMP/err")"
fi

mount_table_unchanged

done_testing
