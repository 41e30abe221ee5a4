#!/bin/bash
# End-to-end: a Type=notify service reaches "active" through the
# sandbox's PID 1 (sd_notify() from inside its PID namespace); "systemctl
# stop" delivers SIGTERM to it and the unit ends inactive, not failed; a
# crashing one is restarted by Restart=on-failure.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/e2e/lib.sh"

command -v cc >/dev/null || e2e_skip_all "no C compiler for the notify probe"
e2e_init
if ! cc -o "$TMP/notify-probe" "$SOURCE_ROOT/tests/e2e/notify-probe.c" $(pkg-config --cflags --libs libsystemd) 2>"$TMP/cc.err"; then
        echo "Bail out! cannot build the notify probe: $(head -c 300 "$TMP/cc.err")"
        exit 1
fi
e2e_file "$TMP/notify-probe" /usr/local/lib/sandbox-e2e/notify-probe 0755
for name in notifier crasher; do
        arg=; restart=no
        [ $name = crasher ] && { arg="<arg>crash</arg>"; restart=on-failure; }
        cat >"$TMP/$name.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/usr/local/lib/sandbox-e2e/notify-probe</arg>$arg</exec>
  <service type="notify" restart="$restart" restart-sec="200ms"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
XML
        e2e_profile "$TMP/$name.xml" $name
done
e2e_boot

check_eq "the unit is Type=notify" "$(c systemctl show -p Type --value sandbox@notifier)" notify
t0=$(date +%s%N)
c timeout 30 systemctl start sandbox@notifier
rc=$?
t1=$(date +%s%N)
check_eq "start: systemctl start returns 0, the unit is active" "$rc:$(c systemctl is-active sandbox@notifier)" "0:active"
check "start: systemctl start waited for READY=1 (the probe sends it after 0.5 s)" [ $(((t1 - t0) / 1000000)) -ge 450 ]
check_eq "start: the service's STATUS= reached systemd" "$(c systemctl show -p StatusText --value sandbox@notifier)" serving
check_eq "start: the service sent it as PID 2 or above of its own PID namespace" \
        "$(c journalctl -u sandbox@notifier -o cat --no-pager | grep -c 'ready as PID [2-9]')" 1

c systemctl stop sandbox@notifier
check_eq "stop: the unit is inactive, not failed" "$(c systemctl is-active sandbox@notifier)" inactive
check_eq "stop: its result is success" "$(c systemctl show -p Result --value sandbox@notifier)" success
c journalctl -u sandbox@notifier -o cat --no-pager >"$TMP/journal"
check "stop: the service got SIGTERM (forwarded by the sandbox's PID 1) and said so" grep -q 'SIGTERM, exiting' "$TMP/journal"

c systemctl start --no-block sandbox@crasher
restarts=0
for _ in $(seq 100); do
        restarts=$(c systemctl show -p NRestarts --value sandbox@crasher)
        [ "${restarts:-0}" -ge 2 ] && break
        sleep 0.1
done
check "Restart=on-failure: the crashing service was restarted (NRestarts=$restarts)" [ "${restarts:-0}" -ge 2 ]
c journalctl -u sandbox@crasher -o cat --no-pager >"$TMP/journal"
check "the crash is in the journal as the service's status (139 = 128 + SIGSEGV)" grep -q 'status=139' "$TMP/journal"
c systemctl stop sandbox@crasher

done_testing
