#!/bin/bash
# End-to-end, under systemd booted in a container: "sandboxctl status"
# and "sandboxctl list" report sandbox@NAME.service as systemd itself
# does (states, main PID, since when it is active), before it starts,
# while it runs and after it stops, and for a unit that failed.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/web.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>e2e status</description>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
  </filesystem>
  <network mode="none"/>
</sandbox>
XML
# a service that exits at once with a failure
sed -e 's|<arg>/bin/sleep</arg><arg>infinity</arg>|<arg>/bin/false</arg>|' \
        -e 's|e2e status|e2e failing|' "$TMP/web.xml" >"$TMP/failing.xml"
e2e_profile "$TMP/web.xml" web
e2e_profile "$TMP/failing.xml" failing
e2e_boot

# status NAME [ARG...]: sandboxctl status in the container; status in
# $rc, output in $TMP/out and $TMP/err
status() {
        local name=$1
        shift
        c sandboxctl status "$@" "$name" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
# line WORD: the value of the line "WORD: ..." of the last text output
line() {
        sed -n "s/^ *$1: //p" "$TMP/out"
}
# json_field EXPRESSION: a value of the last JSON output, printed by
# Python (None for null)
json_field() {
        python3 -c 'import json, sys; o = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/out" "$1"
}
# list_unit_state NAME: unit_state of NAME in "sandboxctl list --json"
list_unit_state() {
        c sandboxctl list --json </dev/null |
                python3 -c 'import json, sys; print([o for o in json.load(sys.stdin) if o["name"] == sys.argv[1]][0]["unit_state"])' "$1"
}
# list_column NAME: the UNIT column of NAME's row in "sandboxctl list"
list_column() {
        c sandboxctl list </dev/null | awk -v n="$1" '$1 == n { print $4 }'
}
# monotonic: the container's CLOCK_MONOTONIC, in µs
monotonic() {
        c python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000)'
}

# --- before the start
status web
check_eq "before the start: status exits 3, nothing on stderr" "$rc $(cat "$TMP/err")" "3 "
check_eq "before the start: the unit is loaded and inactive, as systemctl says" "$(line unit)" \
        "sandbox@web.service: $(c systemctl show -p LoadState --value sandbox@web), $(c systemctl is-active sandbox@web) ($(c systemctl show -p SubState --value sandbox@web))"
check_eq "before the start: not running" "$(line sandbox)" "not running"
check_eq "before the start: list --json has unit_state \"inactive\"" "$(list_unit_state web)" inactive
check_eq "before the start: list's UNIT column says inactive" "$(list_column web)" inactive

# --- running
c systemctl start sandbox@web
state=$(c_wait_active sandbox@web)
check "start: sandbox@web is active" [ -z "$state" ]
main=$(c systemctl show -p MainPID --value sandbox@web)
init=$(c cat "/proc/$main/task/$main/children" | awk '{ print $1 }')
status web
check_eq "running: status exits 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
check "running: the unit is loaded, active (running), since when, how long ago" \
        grep -Eq "^ *unit: sandbox@web.service: loaded, active \(running\) since .+; .+ ago$" "$TMP/out"
check_eq "running: the main PID is systemd's MainPID" "$(line 'main PID')" "$main"
check_eq "running: the helper (the lock's holder) is the main PID, its child the sandbox's PID 1" "$(line sandbox)" \
        "running (helper PID $main, the sandbox's PID 1 is $init)"
check "running: the mounts include /etc and /var as overlays, / read-only" \
        bash -c 'grep -Eq "^ +/etc +overlay +rw$" "$1" && grep -Eq "^ +/var +overlay +rw$" "$1" && grep -Eq "^ +/ +[^ ]+ +ro$" "$1"' \
        _ "$TMP/out"

status web --json
check_eq "running: status --json exits 0" "$rc" 0
check_eq "running: status --json has the unit's states" \
        "$(json_field '(o["unit"]["load_state"], o["unit"]["active_state"], o["unit"]["sub_state"], o["unit"]["error"])')" \
        "('loaded', 'active', 'running', None)"
check_eq "running: status --json: main_pid is systemd's MainPID, and the helper's PID" \
        "$(json_field '(o["unit"]["main_pid"], o["helper_pid"], o["init_pid"], o["running"])')" "($main, $main, $init, True)"
check_eq "running: status --json: active since ActiveEnterTimestamp (to the second)" \
        "$(json_field 'o["unit"]["active_enter_realtime_usec"] // 1000000')" \
        "$(c systemctl show -p ActiveEnterTimestamp --value --timestamp=unix sandbox@web | tr -d @)"
# the duration is on the monotonic clock: it lies between the clock's
# readings around the call, less the monotonic time the unit became active
entered=$(c systemctl show -p ActiveEnterTimestampMonotonic --value sandbox@web)
before=$(monotonic)
status web --json
uptime=$(json_field 'o["unit"]["uptime_usec"]')
after=$(monotonic)
if [ "$uptime" -ge $((before - entered)) ] 2>/dev/null && [ "$uptime" -le $((after - entered)) ]; then
        ok "running: status --json: uptime_usec is the monotonic time since ActiveEnterTimestampMonotonic"
else
        not_ok "running: status --json: uptime_usec is the monotonic time since ActiveEnterTimestampMonotonic"
        diag "uptime $uptime, expected between $((before - entered)) and $((after - entered))"
fi
check_eq "running: status --json: the state's size is what du -sx says" "$(json_field 'o["state_bytes"]')" \
        "$(c du -sx -B1 /var/lib/sandbox/web | cut -f1)"
check_eq "running: list --json has unit_state \"active\"" "$(list_unit_state web)" active
check_eq "running: list's UNIT column says active" "$(list_column web)" active
check_eq "running: a sandbox that was never started is still inactive in list --json" "$(list_unit_state failing)" inactive

# --- stopped
c systemctl stop sandbox@web
status web
check_eq "stopped: status exits 3, nothing on stderr" "$rc $(cat "$TMP/err")" "3 "
check_eq "stopped: the unit is inactive (dead)" "$(line unit)" "sandbox@web.service: loaded, inactive (dead)"
check_eq "stopped: not running, no main PID" "$(line sandbox)|$(line 'main PID')" "not running|"
status web --json
check_eq "stopped: status --json: inactive, no main PID, no uptime, not running" \
        "$(json_field '(o["unit"]["active_state"], o["unit"]["main_pid"], o["unit"]["uptime_usec"], o["running"])')" \
        "('inactive', None, None, False)"
check_eq "stopped: list --json has unit_state \"inactive\"" "$(list_unit_state web)" inactive

# --- failed
c systemctl start sandbox@failing
for ((i = 0; i < 100; i++)); do
        [ "$(c systemctl is-active sandbox@failing)" = failed ] && break
        sleep 0.1
done
systemd_says=$(c systemctl is-active sandbox@failing)
check_eq "failed: systemd has the unit failed" "$systemd_says" failed
check_eq "failed: list --json has unit_state as systemd says" "$(list_unit_state failing)" "$systemd_says"
status failing
check_eq "failed: status exits 3, the unit failed" "$rc $(line unit)" \
        "3 sandbox@failing.service: loaded, failed ($(c systemctl show -p SubState --value sandbox@failing))"

done_testing
