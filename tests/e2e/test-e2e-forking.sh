#!/bin/bash
# End-to-end: a profile of type="forking" whose command forks its daemon
# and exits 0 becomes active under systemd (Type=notify: the sandbox's
# PID 1 reports it ready), with the daemon still running in the
# sandbox; "systemctl stop" ends the daemon and leaves the unit inactive,
# not failed; a command that fails fails the start; a daemon that
# crashes later fails the unit.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
# profile NAME SCRIPT: a forking profile whose command is sh -c SCRIPT
profile() {
        cat >"$TMP/$1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>$2</arg></exec>
  <service type="forking" timeout-start-sec="20s"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
XML
        e2e_profile "$TMP/$1.xml" "$1"
}
profile daemon 'sleep infinity &amp; exit 0'
profile failing 'sleep infinity &amp; exit 3'
profile crashing 'sh -c "sleep 1; kill -SEGV \$\$" &amp; exit 0'
e2e_boot

# comms_of UNIT: the names of the processes in the unit's cgroup, sorted
comms_of() {
        c sh -c 'for p in $(cat "/sys/fs/cgroup$(systemctl show -p ControlGroup --value "$1")/cgroup.procs" 2>/dev/null); do
                cat /proc/$p/comm 2>/dev/null
        done | sort | tr "\n" " "' sh "$1"
}

check_eq "the unit is Type=notify" "$(c systemctl show -p Type --value sandbox@daemon)" notify
c timeout 30 systemctl start sandbox@daemon
rc=$?
check_eq "start: systemctl start returns 0, the unit is active" "$rc:$(c systemctl is-active sandbox@daemon)" "0:active"
check_eq "start: the unit's processes are the helper, the sandbox's PID 1, the lock's keeper and the daemon; its command has exited" \
        "$(comms_of sandbox@daemon)" "sandbox-helper sandbox-helper sandbox-lock sleep "
main=$(c systemctl show -p MainPID --value sandbox@daemon)
check "start: the helper is the unit's main process" c grep -q sandbox-helper "/proc/$main/cmdline"
sleep 1
check_eq "running: still active a second later" "$(c systemctl is-active sandbox@daemon)" active

c systemctl stop sandbox@daemon
check_eq "stop: the unit is inactive, not failed" "$(c systemctl is-active sandbox@daemon)" inactive
check_eq "stop: its result is success" "$(c systemctl show -p Result --value sandbox@daemon)" success
check_eq "stop: the daemon is gone" "$(c pgrep -xf 'sleep infinity' | wc -l)" 0

c timeout 30 systemctl start sandbox@failing
rc=$?
check "failing command: systemctl start fails" [ "$rc" -ne 0 ]
check_eq "failing command: the unit is failed" "$(c systemctl is-active sandbox@failing)" failed
check_eq "failing command: its exit status is the command's (3)" \
        "$(c systemctl show -p ExecMainStatus --value sandbox@failing)" 3
check_eq "failing command: nothing of it is left" "$(c pgrep -xf 'sleep infinity' | wc -l)" 0

c timeout 30 systemctl start sandbox@crashing
rc=$?
check_eq "crashing daemon: the start succeeds" "$rc" 0
for _ in $(seq 100); do
        [ "$(c systemctl is-active sandbox@crashing)" = failed ] && break
        sleep 0.1
done
check_eq "crashing daemon: the unit fails when it crashes" "$(c systemctl is-active sandbox@crashing)" failed
check_eq "crashing daemon: with status 139 (128 + SIGSEGV)" \
        "$(c systemctl show -p ExecMainStatus --value sandbox@crashing)" 139

done_testing
