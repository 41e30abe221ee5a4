#!/usr/bin/env bash
# A sandbox whose configuration asks for its own system call filter
# (--system-calls, a profile's <system-calls>) never runs a command
# without it: the service, a pre-start command and a command joined to
# the running sandbox each carry the default filter and the profile's
# (Seccomp_filters: 2 in /proc/PID/status, read from the host for the
# service), and one filter without the element. The helper fails the
# start when the configuration asked for one and none was prepared
# (helper/profile-filter.c): shown with the preparing step skipped by
# fault injection, for the service, a pre-start command and a joined
# command.
# Needs root and a kernel that counts the filters (5.9); its mounts are in
# a mount namespace of its own, everything it writes under $TMP.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbflt$$
. "$(dirname "$0")/lib.sh"
trap 'kill_bg_helpers; remove_sandbox_dirs' EXIT

if ! grep -q '^Seccomp_filters:' /proc/self/status; then
        echo "1..0 # SKIP the kernel does not count seccomp filters (Seccomp_filters:, 5.9)"
        exit 0
fi

# filters PID: the count of seccomp filters of process PID
filters() {
        awk '$1 == "Seccomp_filters:" { print $2 }' "/proc/$1/status"
}

# (no ":" in it: the words of --exec-start-pre are joined with ":")
PRE='/bin/sh:-c:grep ^Seccomp_filters /proc/self/status >/tmp/pre-filters'
count() {
        awk '$1 == "Seccomp_filters:" { print $2 }'
}
for mode in with without; do
        name "$mode"
        args=(--etc=host --var=tmpfs --exec-start-pre="$PRE")
        [ "$mode" = with ] && args+=(--system-calls='~mkdir,mkdirat' --system-calls-errno=EPERM)
        [ "$mode" = with ] && want=2 || want=1
        sb_bg "$n" "${args[@]}" -- /bin/sh -c 'touch /tmp/ready; exec sleep 60'
        helper=$bg
        service=
        for ((i = 0; i < 200; i++)); do
                init=$(cat "/proc/$helper/task/$helper/children" 2>/dev/null)
                init=${init%% *}
                [ -n "$init" ] && service=$(cat "/proc/$init/task/$init/children" 2>/dev/null)
                service=${service%% *}
                [ -n "$service" ] && [ "$(readlink "/proc/$service/exe")" != "$(readlink -f "$HELPER")" ] &&
                        grep -q sleep "/proc/$service/comm" 2>/dev/null && break
                kill -0 "$helper" 2>/dev/null || break
                sleep 0.05
        done
        check_eq "$mode --system-calls: the service has $want filter(s), seen from the host" \
                "$(filters "$service" 2>/dev/null)" "$want"
        out=$(timeout -k 5 60 "$HELPER" --join="$n" -- /bin/cat /tmp/pre-filters 2>&1 | count)
        check_eq "$mode --system-calls: the pre-start command had $want" "$out" "$want"
        out=$(timeout -k 5 60 "$HELPER" --join="$n" -- /bin/cat /proc/self/status 2>&1 | count)
        check_eq "$mode --system-calls: a joined command has $want" "$out" "$want"
        if [ "$mode" = with ]; then
                out=$(timeout -k 5 60 "$HELPER" --join="$n" -- /bin/mkdir /tmp/made 2>&1)
                check "... and the profile's filter is the one it has: mkdir refused (EPERM)" \
                        grep -q "Operation not permitted" <<<"$out"
        fi
        kill -TERM "$helper"
        reap "$helper"
        check_eq "$mode --system-calls: the sandbox ends on SIGTERM, with the service (143)" "$rc" 143
done

# the refusal, provoked: the step that prepares the filter skipped (a
# build with -Dfault-injection=true: SANDBOX_FAULT=PROCESS:filter-prepare:skip)
if SANDBOX_FAULT=malformed "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>&1; then
        skip "the start refuses when the filter asked for was not prepared" "the helper is built without -Dfault-injection=true"
        done_testing
        exit
fi
name skipped
SYS=(--system-calls='~mkdir,mkdirat' --system-calls-errno=EPERM)
SANDBOX_FAULT=service:filter-prepare:skip sb "$n" --etc=host --var=tmpfs "${SYS[@]}" -- /bin/echo started
check_eq "the filter's preparation skipped: the service is not executed, the start fails (125)" \
        "$rc $(cat "$TMP/out")" "125 "
check "... after the skip, it says the filter is missing" \
        bash -c 'grep -q "fault injection: service skips step filter-prepare#1" "$0" &&
                grep -q "system-calls: load the profile.s filter: No data available" "$0"' "$TMP/err"
SANDBOX_FAULT=service:filter-prepare:skip sb "$n" --etc=host --var=tmpfs "${SYS[@]}" \
        --exec-start-pre=/bin/echo:pre -- /bin/echo started
check_eq "... with a pre-start command: neither it nor the service is executed (125)" "$rc $(cat "$TMP/out")" "125 "
check "... the pre-start command's load is what refuses" \
        grep -q "exec-start-pre: load the profile's system call filter: No data available" "$TMP/err"
SANDBOX_FAULT=service:filter-prepare:skip sb "$n" --etc=host --var=tmpfs -- /bin/echo started
check_eq "... without --system-calls, the same skip changes nothing: started" "$rc $(cat "$TMP/out")" "0 started"

sb_bg "$n" --etc=host --var=tmpfs "${SYS[@]}" -- /bin/sh -c 'touch /tmp/ready; exec sleep 60'
helper=$bg
for ((i = 0; i < 200; i++)); do
        timeout -k 5 60 "$HELPER" --join="$n" -- /bin/test -e /tmp/ready >/dev/null 2>&1 && break
        kill -0 "$helper" 2>/dev/null || break
        sleep 0.05
done
out=$(SANDBOX_FAULT=join:filter-prepare:skip timeout -k 5 60 "$HELPER" --join="$n" -- /bin/echo joined 2>"$TMP/err")
rc=$?
check_eq "a joined command whose filter was not prepared is not executed (125)" "$rc $out" "125 "
check "... it says the filter is missing" grep -q "join: load the profile's system call filter: No data available" "$TMP/err"
kill -TERM "$helper"
reap "$helper"

done_testing
