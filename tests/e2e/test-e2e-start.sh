#!/bin/bash
# End-to-end: "systemctl start sandbox@NAME" tells the truth. The unit is
# Type=notify and the helper, its main process, says READY=1 through its
# relay only once the service runs in the sandbox: for simple and exec,
# once the service's execve() succeeded; for notify, the service's own
# READY=1. So a sandbox that cannot be built (a bind source that does not
# exist) or a command that cannot be executed fails the start, with the
# helper's message in the journal; a notify service that never says
# READY=1 fails it at TimeoutStartSec=; a simple service is running in
# the unit's cgroup when the start returns; --no-block and Restart= work
# as before.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
TOKEN=$$-$RANDOM
# profile NAME CMD-ARGS [SERVICE-ATTRS] [FILESYSTEM-XML]
profile() {
        cat >"$TMP/$1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec>$2</exec>
  <service${3:-}/>
  <filesystem><etc mode="overlay"/><var mode="overlay"/>${4:-}</filesystem>
</sandbox>
XML
        e2e_profile "$TMP/$1.xml" "$1"
}
SLEEP='<arg>/bin/sleep</arg><arg>infinity</arg>'
profile missing "$SLEEP" '' "<bind source=\"/nonexistent-$TOKEN\" target=\"/srv\"/>"
profile nocmd "<arg>/usr/bin/no-such-command-$TOKEN</arg>"
profile simple "$SLEEP"
profile exec "$SLEEP" ' type="exec"'
profile quick '<arg>/bin/true</arg>'
profile silent "$SLEEP" ' type="notify" timeout-start-sec="2s"'
profile missing-restart "$SLEEP" ' restart="on-failure" restart-sec="100ms"' \
        "<bind source=\"/nonexistent-$TOKEN\" target=\"/srv\"/>"
profile flaky '<arg>/bin/sh</arg><arg>-c</arg><arg>sleep 0.5; exit 3</arg>' ' restart="on-failure" restart-sec="100ms"'
e2e_boot

for u in missing missing-restart nocmd simple exec quick silent flaky; do
        check_eq "sandbox@$u is Type=notify" "$(c systemctl show -p Type --value sandbox@$u)" notify
done

# --- a sandbox that cannot be built
c timeout 60 systemctl start sandbox@missing >"$TMP/out" 2>&1
rc=$?
check "missing bind source: systemctl start exits non-zero ($rc), before the timeout" [ "$rc" -ne 0 -a "$rc" -ne 124 ]
check "missing bind source: systemctl says the job failed" grep -q 'Job for sandbox@missing.service failed' "$TMP/out"
check_eq "missing bind source: the unit is failed, its result exit-code, the helper's status 125" \
        "$(c systemctl is-failed sandbox@missing):$(c systemctl show -p Result --value sandbox@missing):$(c systemctl show -p ExecMainStatus --value sandbox@missing)" \
        "failed:exit-code:125"
c journalctl -u sandbox@missing -o cat --no-pager >"$TMP/journal"
check "missing bind source: the journal has the helper's message, naming the source" \
        grep -q "sandbox-helper: missing: .*/nonexistent-$TOKEN" "$TMP/journal"
grep -q "nonexistent-$TOKEN" "$TMP/journal" || diag "$(cat "$TMP/out")" "$(tail -n 20 "$TMP/journal")"

# ... with Restart=on-failure too, at the first failure; systemd then
# tries again, as Restart= says
c timeout 60 systemctl start sandbox@missing-restart >"$TMP/out" 2>&1
rc=$?
check "missing bind source, Restart=on-failure: systemctl start exits non-zero ($rc), before the timeout" \
        [ "$rc" -ne 0 -a "$rc" -ne 124 ]
for _ in $(seq 50); do
        [ "$(c systemctl show -p NRestarts --value sandbox@missing-restart)" -ge 1 ] 2>/dev/null && break
        sleep 0.1
done
check "missing bind source, Restart=on-failure: systemd restarts it ($(c systemctl show -p NRestarts --value sandbox@missing-restart))" \
        [ "$(c systemctl show -p NRestarts --value sandbox@missing-restart)" -ge 1 ]
c systemctl stop sandbox@missing-restart

# --- a command that does not exist in the sandbox
c timeout 60 systemctl start sandbox@nocmd >"$TMP/out" 2>&1
rc=$?
check "missing command: systemctl start exits non-zero ($rc), before the timeout" [ "$rc" -ne 0 -a "$rc" -ne 124 ]
check_eq "missing command: the unit is failed, with the status of a command not found (127)" \
        "$(c systemctl is-failed sandbox@nocmd):$(c systemctl show -p Result --value sandbox@nocmd):$(c systemctl show -p ExecMainStatus --value sandbox@nocmd)" \
        "failed:exit-code:127"
check "missing command: the journal says why (ENOENT)" \
        eval "c journalctl -u sandbox@nocmd -o cat --no-pager | grep -q 'execute /usr/bin/no-such-command-$TOKEN: No such file or directory'"

# --- simple and exec: the service runs when the start returns
for u in simple exec; do
        c timeout 60 systemctl start sandbox@$u
        rc=$?
        # no waiting: the service has been executed before READY=1
        pid=$(c_service_pid sandbox@$u)
        check_eq "$u: systemctl start returns 0, the unit is active" \
                "$rc:$(c systemctl show -p ActiveState --value sandbox@$u)" "0:active"
        check_eq "$u: when it returns, the service is executed already (sleep, not the helper)" \
                "$(c cat "/proc/$pid/comm" 2>/dev/null)" sleep
        check_eq "$u: ... in the unit's cgroup" \
                "$(c cat "/proc/$pid/cgroup" 2>/dev/null | awk -F: '$1 == "0" { print $3 }')" "/sandbox.slice/sandbox@$u.service"
        c systemctl stop sandbox@$u
        check_eq "$u: stop leaves it inactive" "$(c systemctl is-active sandbox@$u)" inactive
done

# --- a simple service that ends at once, as outside a sandbox
# (READY=1 reaches systemd before the helper's end, 20 times in a row)
got=
for i in $(seq 20); do
        c timeout 60 systemctl start sandbox@quick
        rc=$?
        got+="$rc:$(c systemctl show -p Result --value sandbox@quick) "
done
check_eq "quick: a service that exits 0 at once starts (0), and its result is success, each of 20 times" \
        "$got" "$(printf '0:success %.0s' $(seq 20))"

# --- --no-block returns at once; the unit gets active all the same
c systemctl start --no-block sandbox@simple
rc=$?
for _ in $(seq 100); do
        [ "$(c systemctl is-active sandbox@simple)" = activating ] || break
        sleep 0.1
done
check_eq "--no-block: returns 0, and the unit becomes active" "$rc:$(c systemctl is-active sandbox@simple)" "0:active"
c systemctl stop sandbox@simple

# --- notify: only the service's own READY=1 counts
t0=$(date +%s%N)
c timeout 60 systemctl start sandbox@silent >"$TMP/out" 2>&1
rc=$?
t1=$(date +%s%N)
check "silent notify: systemctl start exits non-zero ($rc), before timeout(1)'s 60 s" [ "$rc" -ne 0 -a "$rc" -ne 124 ]
check "silent notify: it waited for TimeoutStartSec=2s" [ $(((t1 - t0) / 1000000)) -ge 1900 ]
check_eq "silent notify: the unit is failed, by the timeout" \
        "$(c systemctl is-failed sandbox@silent):$(c systemctl show -p Result --value sandbox@silent)" "failed:timeout"

# --- Restart=on-failure: a service that fails after it started is started again
c timeout 60 systemctl start sandbox@flaky
rc=$?
check_eq "restart: the first start succeeds" "$rc" 0
for _ in $(seq 100); do
        [ "$(c systemctl show -p NRestarts --value sandbox@flaky)" -ge 2 ] 2>/dev/null && break
        sleep 0.1
done
check "restart: systemd restarted it after each failure ($(c systemctl show -p NRestarts --value sandbox@flaky))" \
        [ "$(c systemctl show -p NRestarts --value sandbox@flaky)" -ge 2 ]
c systemctl stop sandbox@flaky

done_testing
