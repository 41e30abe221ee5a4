#!/bin/bash
# End-to-end: a Type=notify service reaches "active" through the
# helper's notification relay (sd_notify() from inside its PID
# namespace, NotifyAccess=main); "systemctl stop" delivers SIGTERM to it
# and the unit ends inactive, not failed; a crashing one is restarted by
# Restart=on-failure. A service that says MAINPID= of another unit's
# process does not become that process for systemd, and stopping it
# leaves that process be; a profile's NOTIFY_SOCKET gets no drop-in, and
# a unit file's makes the start fail, with /etc untouched; the watchdog,
# a reload (RELOADING=1, Type=notify with ExecReload=), a profile's
# pre-start, post-start, reload and stop commands in the sandbox, and, with
# <service fd-store>, the file descriptor store work through the relay.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

command -v cc >/dev/null || e2e_skip_all "no C compiler for the notify probe"
e2e_init
if ! cc -o "$TMP/notify-probe" "$SOURCE_ROOT/tests/e2e/notify-probe.c" $(pkg-config --cflags --libs libsystemd) 2>"$TMP/cc.err"; then
        echo "Bail out! cannot build the notify probe: $(head -c 300 "$TMP/cc.err")"
        exit 1
fi
e2e_file "$TMP/notify-probe" /usr/local/lib/sandbox-e2e/notify-probe 0755
for name in notifier crasher watchdogger reloader storer unstorer; do
        arg=; restart=no
        [ $name = crasher ] && { arg="<arg>crash</arg>"; restart=on-failure; }
        [ $name = watchdogger ] && arg="<arg>watchdog</arg>"
        [ $name = reloader ] && arg="<arg>reload</arg>"
        service=
        [ $name = storer ] && { arg="<arg>store</arg>"; restart=on-failure; service=' fd-store="4"'; }
        [ $name = unstorer ] && { arg="<arg>store</arg>"; restart=on-failure; }
        cat >"$TMP/$name.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/usr/local/lib/sandbox-e2e/notify-probe</arg>$arg</exec>
  <service type="notify" restart="$restart" restart-sec="200ms"$service/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
XML
        e2e_profile "$TMP/$name.xml" $name
done
# an administrator's own drop-ins, next to the generator's
dropin() {
        printf '[Service]\n%s\n' "$2" >"$TMP/dropin.conf"
        e2e_file "$TMP/dropin.conf" "/etc/systemd/system/sandbox@$1.service.d/60-e2e.conf" 0644
}
dropin watchdogger 'WatchdogSec=1s'
dropin reloader 'ExecReload=/bin/kill -HUP $MAINPID'
# a profile that sets NOTIFY_SOCKET: the generator skips it
TOKEN=$$-$RANDOM
cat >"$TMP/envnotify.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>touch "\$NOTIFY_SOCKET/e2e-escape-$TOKEN"; sleep infinity</arg>
    <env name="NOTIFY_SOCKET" value="/etc"/></exec>
  <service type="notify"/>
</sandbox>
XML
e2e_profile "$TMP/envnotify.xml" envnotify
# the same service, valid, with a unit file's Environment= that sets it
sed '/<env /d; s|</arg>$|</arg></exec>|' "$TMP/envnotify.xml" >"$TMP/handenv.xml"
e2e_profile "$TMP/handenv.xml" handenv
dropin handenv 'Environment=NOTIFY_SOCKET=/etc'
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

check_eq "the unit lets only its main process, the helper, notify" \
        "$(c systemctl show -p NotifyAccess --value sandbox@notifier)" main

# --- MAINPID= of another unit's process ---
c systemd-run --quiet --unit=e2e-victim /bin/sleep infinity
victim=$(c systemctl show -p MainPID --value e2e-victim)
c_profile spoofer <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/usr/local/lib/sandbox-e2e/notify-probe</arg><arg>mainpid</arg><arg>$victim</arg></exec>
  <service type="notify"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
XML
c systemctl daemon-reload
c timeout 30 systemctl start sandbox@spoofer
rc=$?
check_eq "MAINPID: the spoofing service starts (READY=1 went through)" "$rc:$(c systemctl is-active sandbox@spoofer)" "0:active"
for _ in $(seq 20); do
        c journalctl -u sandbox@spoofer -o cat --no-pager | grep -q 'said MAINPID' && break
        sleep 0.1
done
sleep 0.3
main=$(c systemctl show -p MainPID --value sandbox@spoofer)
check "MAINPID: the service said MAINPID=$victim" \
        eval "c journalctl -u sandbox@spoofer -o cat --no-pager | grep -q 'said MAINPID=$victim'"
check_eq "MAINPID: systemd's main process is still the helper ($main)" "$(c cat "/proc/$main/comm" 2>/dev/null)" sandbox-helper
check "MAINPID: the helper said it dropped MAINPID=" \
        eval "c journalctl -u sandbox@spoofer -o cat --no-pager | grep -q 'sent MAINPID=, which a sandbox does not pass on'"
c systemctl stop sandbox@spoofer
check_eq "MAINPID: after stopping the sandbox, the other unit's process lives" \
        "$(c systemctl is-active e2e-victim):$(c cat "/proc/$victim/comm" 2>/dev/null)" "active:sleep"
c systemctl stop e2e-victim

# --- NOTIFY_SOCKET from a profile, or from a unit file ---
check "a profile's <env name=\"NOTIFY_SOCKET\">: the generator wrote no drop-in" \
        c test ! -e /run/systemd/generator/sandbox@envnotify.service.d/50-profile.conf
c timeout 30 systemctl start sandbox@envnotify 2>/dev/null
check_eq "a profile's <env name=\"NOTIFY_SOCKET\">: the start fails" "$(c systemctl is-active sandbox@envnotify)" failed
check "a profile's <env name=\"NOTIFY_SOCKET\">: validate says why, with the line" \
        eval "c sandboxctl validate envnotify 2>&1 | grep -q 'envnotify.xml:4: <env>: NOTIFY_SOCKET is set by systemd and the sandbox, not by a profile'"
c timeout 30 systemctl start sandbox@handenv 2>/dev/null
check_eq "a unit file's Environment=NOTIFY_SOCKET=/etc: the start fails" "$(c systemctl is-active sandbox@handenv)" failed
check "a unit file's Environment=NOTIFY_SOCKET=/etc: the helper says why" \
        eval "c journalctl -u sandbox@handenv -o cat --no-pager | grep -q 'NOTIFY_SOCKET=/etc is not systemd.s notification socket'"
check "neither wrote into the host's /etc" c test ! -e "/etc/e2e-escape-$TOKEN"

# --- the watchdog, through the relay ---
c timeout 30 systemctl start sandbox@watchdogger
rc=$?
check_eq "watchdog: the service starts" "$rc:$(c systemctl is-active sandbox@watchdogger)" "0:active"
check "watchdog: sd_watchdog_enabled() inside said yes (WATCHDOG_PID is the service's own)" \
        eval "c journalctl -u sandbox@watchdogger -o cat --no-pager | grep -q 'watchdog every 1000000 us'"
sleep 3
check_eq "watchdog: its pings kept it active past WatchdogSec=1s" \
        "$(c systemctl is-active sandbox@watchdogger):$(c systemctl show -p NRestarts --value sandbox@watchdogger)" "active:0"
c systemctl kill -s USR1 --kill-whom=main sandbox@watchdogger
for _ in $(seq 50); do
        [ "$(c systemctl show -p Result --value sandbox@watchdogger)" = watchdog ] && break
        sleep 0.1
done
check_eq "watchdog: without pings, systemd ends it (Result=watchdog)" \
        "$(c systemctl show -p Result --value sandbox@watchdogger)" watchdog

# --- a reload, through the relay ---
c timeout 30 systemctl start sandbox@reloader
c timeout 30 systemctl reload sandbox@reloader
rc=$?
for _ in $(seq 30); do
        [ "$(c systemctl show -p StatusText --value sandbox@reloader)" = "reloaded 1" ] && break
        sleep 0.1
done
check_eq "reload: systemctl reload returns 0, the unit is active" "$rc:$(c systemctl is-active sandbox@reloader)" "0:active"
check_eq "reload: RELOADING=1 and READY=1 reached systemd (STATUS=reloaded 1)" \
        "$(c systemctl show -p StatusText --value sandbox@reloader)" "reloaded 1"
c systemctl stop sandbox@reloader

# --- the profile's own commands, in the sandbox: a pre-start command
# before the service, a reload that is kill -HUP $MAINPID, joined, and a
# stop command joined as well ---
c_profile hooker <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/usr/local/lib/sandbox-e2e/notify-probe</arg><arg>reload</arg></exec>
  <service type="notify"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <exec-start-pre><arg>/bin/sh</arg><arg>-c</arg><arg>echo "hook pre as $(id -un)"</arg></exec-start-pre>
  <exec-start-post><arg>/bin/sh</arg><arg>-c</arg><arg>echo "hook post sees MAINPID=$MAINPID: $(tr '\0' ' ' &lt;/proc/$MAINPID/cmdline)"</arg></exec-start-post>
  <exec-reload><arg>/bin/kill</arg><arg>-HUP</arg><arg>$MAINPID</arg></exec-reload>
  <exec-stop><arg>/bin/sh</arg><arg>-c</arg><arg>echo "hook stop as $(id -un) with $(grep ^CapEff /proc/self/status), pid ns $(readlink /proc/self/ns/pid)"; kill -TERM ${MAINPID}</arg></exec-stop>
</sandbox>
XML
c systemctl daemon-reload
c timeout 30 systemctl start sandbox@hooker
rc=$?
check_eq "hooks: the sandbox with pre-start, post-start, reload and stop commands starts" \
        "$rc:$(c systemctl is-active sandbox@hooker)" "0:active"
[ "$rc" -eq 0 ] || diag "$(c journalctl -u sandbox@hooker -o cat --no-pager | tail -n 20)"
svc=$(c_service_pid sandbox@hooker)
svc_ns=$(c readlink "/proc/$svc/ns/pid")
c timeout 30 systemctl reload sandbox@hooker
rc=$?
for _ in $(seq 30); do
        [ "$(c systemctl show -p StatusText --value sandbox@hooker)" = "reloaded 1" ] && break
        sleep 0.1
done
check_eq "hooks: systemctl reload runs kill -HUP \$MAINPID in the sandbox; it reaches the service (reloaded 1)" \
        "$rc:$(c systemctl is-active sandbox@hooker):$(c systemctl show -p StatusText --value sandbox@hooker)" "0:active:reloaded 1"
c timeout 30 systemctl reload sandbox@hooker
for _ in $(seq 30); do
        [ "$(c systemctl show -p StatusText --value sandbox@hooker)" = "reloaded 2" ] && break
        sleep 0.1
done
check_eq "hooks: a second reload reaches the same service" "$(c systemctl show -p StatusText --value sandbox@hooker)" "reloaded 2"
c timeout 30 systemctl stop sandbox@hooker
check_eq "hooks: systemctl stop: inactive, not failed" "$(c systemctl is-active sandbox@hooker)" inactive
c journalctl -u sandbox@hooker -o cat --no-pager >"$TMP/journal"
check "hooks: the pre-start command ran as the service's user" grep -q "^hook pre as nobody" "$TMP/journal"
check "hooks: ... before the service said it was ready" \
        awk '/^hook pre as/ { pre = NR } /ready as PID/ && !ready { ready = NR } END { exit !(pre && ready && pre < ready) }' "$TMP/journal"
check "hooks: the post-start command saw the service as \$MAINPID in the sandbox" \
        grep -q "^hook post sees MAINPID=[0-9]*: /usr/local/lib/sandbox-e2e/notify-probe reload" "$TMP/journal"
check "hooks: the stop command ran in the service's PID namespace, as its user, without capabilities" \
        grep -qF "hook stop as nobody with CapEff:	0000000000000000, pid ns $svc_ns" "$TMP/journal"
check "hooks: the service got the stop command's SIGTERM" grep -q 'SIGTERM, exiting' "$TMP/journal"

# --- the file descriptor store, through the relay, with <service fd-store> only ---
check_eq "fd-store: the unit has FileDescriptorStoreMax=4" \
        "$(c systemctl show -p FileDescriptorStoreMax --value sandbox@storer)" 4
for name in storer unstorer; do
        c systemctl start --no-block sandbox@$name
        for _ in $(seq 100); do
                c journalctl -u sandbox@$name -o cat --no-pager | grep -q 'given back [0-9]* stored descriptors' &&
                        [ "$(c systemctl show -p NRestarts --value sandbox@$name)" -ge 1 ] && break
                sleep 0.1
        done
        sleep 0.5
        c journalctl -u sandbox@$name -o cat --no-pager >"$TMP/journal-$name"
done
check "fd-store: restarted, the service is given back the descriptor it stored, by name" \
        grep -q "given back 1 stored descriptors named kept" "$TMP/journal-storer"
check "fd-store: without fd-store in the profile, nothing was stored (given back 0, again)" \
        eval "[ \"\$(grep -c 'given back 0 stored descriptors' '$TMP/journal-unstorer')\" -ge 2 ]"
check "fd-store: the helper said the profile does not allow it" \
        grep -q 'file descriptor store, which its profile does not allow' "$TMP/journal-unstorer"
c systemctl stop sandbox@storer sandbox@unstorer

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
