#!/bin/bash
# End-to-end: 20 sandboxes started at the same time all run, each in its
# own sandbox; a sandbox is one instance however often it is started: a
# second "systemctl start" is a no-op, and "sandboxctl run" next to the
# running unit, or two of them at once, are refused by the instance lock.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

N=20
e2e_init
e2e_sleep_profile >"$TMP/light.xml"
NAMES=$(seq -f 's%02g' 1 "$N")
for n in $NAMES; do
        e2e_profile "$TMP/light.xml" "$n"
done
SANDBOXCTL_INSTALLED=$(meson introspect --installed "$BUILD_ROOT" |
        python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$BUILD_ROOT/ctl/sandboxctl")
e2e_boot

before=$(c_mounts)

# --- 20 at once, each from a "systemctl start" of its own
for n in $NAMES; do
        c systemctl start "sandbox@$n" >"$TMP/start-$n" 2>&1 &
done
failed=
for n in $NAMES; do
        wait -n || failed="$failed $n"
done
check_eq "20 concurrent \"systemctl start\": every one exits 0" "$failed" ""

bad=
for n in $NAMES; do
        [ "$(c_service_comm "sandbox@$n")" = sleep ] || bad="$bad $n"
done
check_eq "all 20 run their service in a sandbox" "$bad" ""
bad=
for n in $NAMES; do
        pid=$(c_service_pid "sandbox@$n")
        [ "$(c findmnt -N "$pid" -n -o FSTYPE /etc 2>/dev/null):$(c findmnt -N "$pid" -n -o FSTYPE /var 2>/dev/null)" = overlay:overlay ] ||
                bad="$bad $n"
        [ -d "$E2E_DIR/state/$n/etc/upper" ] && [ -d "$E2E_DIR/state/$n/var/upper" ] || bad="$bad $n(state)"
done
check_eq "all 20 have their own /etc and /var overlays, with upper directories in their own state" "$bad" ""
sleep 1
bad=
for n in $NAMES; do
        s="$(c systemctl show -p ActiveState --value "sandbox@$n") $(c systemctl show -p NRestarts --value "sandbox@$n")"
        [ "$s" = "active 0" ] || bad="$bad $n($s)"
done
check_eq "a second later all 20 are still active, none restarted" "$bad" ""
check_eq "no sandbox unit failed" "$(c systemctl list-units --state=failed --plain --no-legend 'sandbox@*')" ""

# --- the same one twice
# procs UNIT: the processes of UNIT's cgroup, by command name
procs() {
        local g
        g=$(c systemctl show -p ControlGroup --value "$1")
        for p in $(c cat "/sys/fs/cgroup$g/cgroup.procs"); do
                c cat "/proc/$p/comm"
        done | sort | tr '\n' ' '
}
# helpers NAME: the sandbox-helper processes of the container built for
# sandbox NAME (a helper and its PID 1 of the sandbox per instance)
helpers() {
        c sh -c 'for p in /proc/[0-9]*; do
                        [ "$(cat "$p/comm" 2>/dev/null)" = sandbox-helper ] &&
                                tr "\0" "\n" <"$p/cmdline" 2>/dev/null | grep -qx -- "--name=$1" && echo "${p#/proc/}"
                done' sh "$1" | wc -l
}
main=$(c systemctl show -p MainPID --value sandbox@s01)
invocation=$(c systemctl show -p InvocationID --value sandbox@s01)
check_eq "s01: its cgroup holds the helper, PID 1 of the sandbox, the lock's keeper and the service" \
        "$(procs sandbox@s01)" "sandbox-helper sandbox-helper sandbox-lock sleep "
c systemctl start sandbox@s01
check_eq "a second \"systemctl start sandbox@s01\" exits 0 and starts nothing: same main PID, same invocation" \
        "$?:$(c systemctl show -p MainPID --value sandbox@s01):$(c systemctl show -p InvocationID --value sandbox@s01)" \
        "0:$main:$invocation"
check_eq "... and its cgroup holds the same processes" "$(procs sandbox@s01)" "sandbox-helper sandbox-helper sandbox-lock sleep "

# run_twice ARGS...: two "sandboxctl run ARGS..." in the container at
# once; their exit statuses in $rcs, in the order they end, their
# standard error in $TMP/run1.err and run2.err
run_twice() {
        local i
        for i in 1 2; do
                c "$SANDBOXCTL_INSTALLED" run "$@" </dev/null >/dev/null 2>"$TMP/run$i.err" &
        done
        rcs=
        for i in 1 2; do
                wait -n
                rcs="$rcs $?"
        done
}

# two "sandboxctl run s01" at once, next to the running unit
run_twice s01
check_eq "two concurrent \"sandboxctl run s01\" next to the running unit: both refused with status 125" "$rcs" " 125 125"
for i in 1 2; do
        check_eq "sandboxctl run s01 ($i): the instance lock's message names the unit's helper" \
                "$(cat "$TMP/run$i.err")" \
                "sandbox-helper: s01: lock: sandbox s01 is already running (helper PID $main, lock /run/sandbox/s01/lock); one instance per name"
done
check_eq "after them, sandbox@s01 is the one instance: the same main PID and processes" \
        "$(c systemctl is-active sandbox@s01):$(c systemctl show -p MainPID --value sandbox@s01):$(procs sandbox@s01)" \
        "active:$main:sandbox-helper sandbox-helper sandbox-lock sleep "
check_eq "the container has one helper and one PID 1 of sandbox s01, no more" "$(helpers s01)" 2

# two "sandboxctl run" at once of a sandbox that is not running: one runs
c systemctl stop sandbox@s20
run_twice s20 -- /bin/sleep 2
check_eq "two concurrent \"sandboxctl run s20\": the refused one ends first (125), the other runs its command (0)" \
        "$rcs" " 125 0"
check "the refused one says so with the instance lock's message" \
        grep -q "lock: sandbox s20 is already running" "$TMP/run1.err" "$TMP/run2.err"
c systemctl start sandbox@s20
check_eq "then systemctl start sandbox@s20 runs it again" "$(c_service_comm sandbox@s20)" sleep

# --- all stopped at once
c systemctl stop 'sandbox@*'
check_eq "systemctl stop 'sandbox@*' exits 0" "$?" 0
bad=
for n in $NAMES; do
        s=$(c systemctl is-active "sandbox@$n")
        [ "$s" = inactive ] || bad="$bad $n($s)"
done
check_eq "all 20 are inactive (not failed)" "$bad" ""
check_eq "no process is left in sandbox.slice" \
        "$(c find /sys/fs/cgroup/sandbox.slice -name cgroup.procs -exec cat {} + 2>/dev/null)" ""
check_mounts_as "the container's mount table is as before the starts" "$before"

done_testing
