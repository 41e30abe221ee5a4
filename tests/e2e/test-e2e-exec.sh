#!/bin/bash
# End-to-end: sandboxctl exec and shell join a sandbox that systemd runs:
# /proc/1 is the sandbox's init, the command is in the unit's cgroup
# (and so ends with the unit), with the service's user and environment;
# its exit status is the command's. sandboxctl runs the way an
# administrator's shell would, inside the container's cgroup tree (a
# transient unit of systemd-run), not from outside it.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/web.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup">
    <arg>/bin/sleep</arg><arg>infinity</arg>
    <env name="WEB_SETTING" value="from-the-profile"/>
  </exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
  <hostname>web-box</hostname>
  <resources memory="64M" tasks="16"/>
</sandbox>
XML
e2e_profile "$TMP/web.xml" web
e2e_boot

# admin CMD...: CMD in the container as an administrator's shell would run
# it, in a cgroup of the container's; its exit status and output
admin() {
        c systemd-run --quiet --wait --pipe --collect --service-type=exec "$@"
}

c systemctl start sandbox@web
check_eq "start: active" "$(c systemctl is-active sandbox@web)" active
c_service_executed sandbox@web >/dev/null
main=$(c systemctl show -p MainPID --value sandbox@web)

out=$(admin sandboxctl exec web -- cat /proc/1/cmdline </dev/null | tr '\0' ' ')
check "exec web -- cat /proc/1/cmdline: the sandbox's init, the helper of sandbox web" \
        grep -q -- "sandbox-helper --name=web .* -- /bin/sleep infinity" <<<"$out"
check_eq "... and it is the command line systemd started (the unit's main process)" \
        "$out" "$(c cat "/proc/$main/cmdline" | tr '\0' ' ')"

out=$(admin sandboxctl exec web -- /bin/sh -c 'id -un; hostname; echo "$WEB_SETTING"; grep "^0::" /proc/self/cgroup' </dev/null)
check_eq "exec: the service's user, host name, environment and cgroup" "$out" "nobody
web-box
from-the-profile
0::/"

# a command left running is in the unit's cgroup, under its limits, and
# ends when the unit stops
c systemd-run --quiet --collect --unit=e2e-exec-sleeper sandboxctl exec web -- /bin/sleep 1234
sleeper=
for _ in $(seq 50); do
        sleeper=$(c pgrep -x -f "/bin/sleep 1234") && break
        sleep 0.1
done
check "exec: the joined command runs" [ -n "$sleeper" ]
check "exec: it is in the unit's cgroup" \
        c grep -qx "$sleeper" /sys/fs/cgroup/sandbox.slice/sandbox@web.service/cgroup.procs
# the joining process, which waits for the command, is in the unit's
# cgroup too: the command is born there, already confined
check_eq "exec: two more processes of the unit (helper, init, the lock's keeper, service, the joining process and the command)" \
        "$(c cat /sys/fs/cgroup/sandbox.slice/sandbox@web.service/cgroup.procs | wc -l)" 6

# on a terminal (script(1) gives the admin one, and types its EOF, shown
# as ^@ once the terminal is in raw mode): the command's terminal is a pty
# of the sandbox's own devpts, not the admin's
out=$(admin script -qec "sandboxctl exec web -- /bin/sh -c 'echo tty \$(tty); echo dev \$(stat -c %d /proc/self/fd/0) \$(stat -c %d /dev/pts/ptmx)'" /dev/null </dev/null | tr -d '\r')
check "exec on a terminal: the command's terminal is a pty of the sandbox's devpts (/dev/pts/N)" \
        grep -Eq "(^|[^a-z])tty /dev/pts/[0-9]+$" <<<"$out"
check "... its own devpts, not the host's" \
        awk -v host="$(c stat -c %d /dev/pts/ptmx)" '$1 == "dev" { found = 1; if ($2 != $3 || $2 == host) exit 1 } END { exit !found }' <<<"$out"

# a domain of its own, with the service's rules (here the container lets
# its sandboxes have Landlock, tests/e2e/launch.sh), but for the signal
# scope: it signals the service, as a reload does ("${...}" would be
# systemd-run's to expand)
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
if [ "${abi:-0}" -ge 6 ] 2>/dev/null; then
        out=$(admin sandboxctl exec web -- /bin/sh -c 'for p in /proc/[0-9]*; do
                [ "$(tr "\0" " " <"$p/cmdline")" = "/bin/sleep infinity " ] &&
                        { kill -0 "$(basename "$p")" 2>/dev/null && echo signalled || echo refused; }; done' </dev/null)
        check_eq "exec: a Landlock domain of its own, but the service can be signalled (a reload)" "$out" signalled
else
        skip "exec: a Landlock domain of its own, but the service can be signalled (a reload)" \
                "Landlock ABI ${abi:-none} here: signals are scoped from ABI 6"
fi

check_eq "exec: the command's exit status" "$(admin sandboxctl exec web -- /bin/sh -c 'exit 5' </dev/null; echo $?)" 5
check_eq "shell: a shell in the sandbox, reading stdin" "$(echo 'hostname; id -un' | admin sandboxctl shell web)" "web-box
nobody"

c systemctl stop sandbox@web
check_eq "stop: inactive" "$(c systemctl is-active sandbox@web)" inactive
for _ in $(seq 50); do c pgrep -x -f "/bin/sleep 1234" >/dev/null || break; sleep 0.1; done
check_eq "stop: the joined command ended with the unit" "$(c pgrep -x -f "/bin/sleep 1234")" ""
check "stop: sandboxctl exec, which waited for it, ended too" \
        test "$(c systemctl is-active e2e-exec-sleeper.service)" != active

# not running: a fresh sandbox of the profile, gone with the command
out=$(admin sandboxctl exec web -- /bin/sh -c 'hostname; cat /proc/1/cmdline | tr "\0" " "' </dev/null)
check "exec, stopped: a fresh sandbox of the profile" grep -q "^web-box" <<<"$out"
check "exec, stopped: its init runs the command, not the service" grep -q -- "--name=web .*-- /bin/sh" <<<"$out"
check_eq "exec, stopped: the unit stays inactive" "$(c systemctl is-active sandbox@web)" inactive

done_testing
