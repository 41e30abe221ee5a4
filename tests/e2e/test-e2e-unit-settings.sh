#!/bin/bash
# End-to-end: a profile's <unit-setting>s reach the unit and the service
# under a real systemd. LimitNOFILE= and UMask= are the service's own, read
# from outside in /proc; LoadCredential= and SetCredential= give the
# service $CREDENTIALS_DIRECTORY with the files readable by its user and
# the directory read-only; a unit that Requires= and After= another
# starts it first; WatchdogSec= is kept by the service's pings through
# the relay, also with a UMask= that would close the relay's socket to it
# were the sandbox's own files made with it. "sandboxctl run" refuses a
# profile with unit settings, which only the unit applies.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/settings.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
  <unit-setting section="Service" name="LimitNOFILE" value="1234:2345"/>
  <unit-setting section="Service" name="UMask" value="0027"/>
  <unit-setting section="Service" name="LoadCredential" value="token:/etc/credstore-test/token"/>
  <unit-setting section="Service" name="SetCredential" value="greeting:hello from the unit"/>
  <unit-setting section="Service" name="SyslogIdentifier" value="settings-test"/>
</sandbox>
XML
e2e_profile "$TMP/settings.xml" settings
e2e_sleep_profile >"$TMP/base.xml"
e2e_profile "$TMP/base.xml" base
e2e_sleep_profile '  <unit-setting section="Unit" name="Requires" value="sandbox@base.service"/>' \
        '  <unit-setting section="Unit" name="After" value="sandbox@base.service"/>' >"$TMP/dependent.xml"
e2e_profile "$TMP/dependent.xml" dependent
HAVE_PROBE=no
if command -v cc >/dev/null &&
        cc -o "$TMP/notify-probe" "$SOURCE_ROOT/tests/e2e/notify-probe.c" $(pkg-config --cflags --libs libsystemd) 2>"$TMP/cc.err"; then
        HAVE_PROBE=yes
        e2e_file "$TMP/notify-probe" /usr/local/lib/sandbox-e2e/notify-probe 0755
        cat >"$TMP/watchdogger.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/usr/local/lib/sandbox-e2e/notify-probe</arg><arg>watchdog</arg></exec>
  <service type="notify"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <unit-setting section="Service" name="WatchdogSec" value="1s"/>
  <unit-setting section="Service" name="UMask" value="0077"/>
</sandbox>
XML
        e2e_profile "$TMP/watchdogger.xml" watchdogger
fi
printf 'secret-token-42\n' >"$TMP/token"
e2e_file "$TMP/token" /etc/credstore-test/token 0600
e2e_boot

show() {
        c systemctl show -p "$2" --value "$1"
}

# --- limits and umask --------------------------------------------------

check_eq "the unit has LimitNOFILE=2345, LimitNOFILESoft=1234" \
        "$(show sandbox@settings LimitNOFILE) $(show sandbox@settings LimitNOFILESoft)" "2345 1234"
check_eq "the unit has UMask=0027" "$(show sandbox@settings UMask)" 0027
c systemctl start sandbox@settings
pid=$(c_service_executed sandbox@settings)
check "the service runs" test -n "$pid"
check_eq "from outside, /proc/PID/limits of the service: open files 1234 soft, 2345 hard" \
        "$(c awk '/^Max open files/ { print $4, $5 }' "/proc/$pid/limits")" "1234 2345"
check_eq "from outside, /proc/PID/status of the service: Umask 0027" \
        "$(c awk '$1 == "Umask:" { print $2 }' "/proc/$pid/status")" 0027
check_eq "the service's user is nobody's" "$(c awk '$1 == "Uid:" { print $2 }' "/proc/$pid/status")" \
        "$(c id -u nobody)"

# --- credentials -------------------------------------------------------

dir=/run/credentials/sandbox@settings.service
check_eq "the service's \$CREDENTIALS_DIRECTORY is the unit's" \
        "$(c cat "/proc/$pid/environ" | tr '\0' '\n' | sed -n 's/^CREDENTIALS_DIRECTORY=//p')" "$dir"
# as the service: its user, its namespaces
as_service() {
        c nsenter -t "$pid" -m -p -u -i -S "$(c id -u nobody)" -G "$(c id -g nobody)" "$@"
}
check_eq "inside, as the service's user: the LoadCredential= file reads" \
        "$(as_service cat "$dir/token" 2>&1)" secret-token-42
check_eq "inside, as the service's user: the SetCredential= value reads" \
        "$(as_service cat "$dir/greeting" 2>&1)" "hello from the unit"
check_eq "inside: the files are the service user's, 0400; the directory 0500" \
        "$(as_service stat -c '%U %a' "$dir/token" "$dir" 2>&1)" "nobody 400
nobody 500"
out=$(in_sandbox sandbox@settings sh -c "echo x >$dir/new" 2>&1)
check "inside, even as root: nothing can be created in it (read-only file system)" \
        grep -q "Read-only file system" <<<"$out"
out=$(in_sandbox sandbox@settings sh -c "echo x >>$dir/token" 2>&1)
check "inside, even as root: a credential cannot be changed (read-only file system)" \
        grep -q "Read-only file system" <<<"$out"
# the last mount on the path is the one seen (the host's ramfs came with
# the root's bind, under the sandbox's fresh /run)
check_eq "inside: it is a tmpfs of its own, read-only" \
        "$(in_sandbox sandbox@settings awk -v d="$dir" '$5 == d { split($6, o, ","); m = $9 " " o[1] } END { print m }' /proc/self/mountinfo)" \
        "tmpfs ro"
check "inside: its mount has nosuid, nodev and noexec" bash -c 'grep -q nosuid <<<"$0" && grep -q nodev <<<"$0" && grep -q noexec <<<"$0"' \
        "$(in_sandbox sandbox@settings awk -v d="$dir" '$5 == d { m = $6 } END { print m }' /proc/self/mountinfo)"
check_eq "nothing else of the host's /run/credentials is inside" \
        "$(in_sandbox sandbox@settings ls /run/credentials)" sandbox@settings.service
check_eq "the host's credentials directory is unchanged" "$(c cat "$dir/token")" secret-token-42

# an admin's drop-in that sets the variable to another path: refused,
# nothing of that path is copied in
c mkdir -p /run/systemd/system/sandbox@base.service.d
c sh -c 'printf "[Service]\nEnvironment=CREDENTIALS_DIRECTORY=/etc/credstore-test\n" >/run/systemd/system/sandbox@base.service.d/90-test.conf'
c systemctl daemon-reload
c systemctl start sandbox@base 2>/dev/null
for _ in $(seq 50); do
        state=$(c systemctl is-active sandbox@base)
        [ "$state" = failed ] && break
        sleep 0.1
done
check_eq "CREDENTIALS_DIRECTORY set to another path by a drop-in: the sandbox is refused" "$state" failed
check "the journal says it is not the unit's" bash -c 'grep -q "CREDENTIALS_DIRECTORY=/etc/credstore-test is not this unit" <<<"$0"' \
        "$(c journalctl -b -u sandbox@base --no-pager 2>&1)"
c rm -r /run/systemd/system/sandbox@base.service.d
c systemctl daemon-reload
c systemctl reset-failed sandbox@base

# --- dependencies ------------------------------------------------------

check "the unit has Requires=sandbox@base.service" grep -qw sandbox@base.service <<<"$(show sandbox@dependent Requires)"
check "the unit is After=sandbox@base.service" grep -qw sandbox@base.service <<<"$(show sandbox@dependent After)"
check_eq "before: sandbox@base is inactive" "$(c systemctl is-active sandbox@base)" inactive
c systemctl start sandbox@dependent
check_eq "starting sandbox@dependent starts sandbox@base too" \
        "$(c systemctl is-active sandbox@dependent) $(c systemctl is-active sandbox@base)" "active active"
c systemctl stop sandbox@base
check_eq "stopping sandbox@base stops sandbox@dependent (Requires=)" \
        "$(c systemctl is-active sandbox@dependent)" inactive

# --- the watchdog ------------------------------------------------------

if [ "$HAVE_PROBE" = yes ]; then
        rc=0
        c timeout 30 systemctl start sandbox@watchdogger || rc=$?
        check_eq "WatchdogSec=1s, UMask=0077: the service (nobody) reaches the relay, READY=1: it starts" \
                "$rc:$(c systemctl is-active sandbox@watchdogger)" "0:active"
        sleep 2.5
        check_eq "its pings keep it active past WatchdogSec=1s" \
                "$(c systemctl is-active sandbox@watchdogger):$(c systemctl show -p NRestarts --value sandbox@watchdogger)" "active:0"
        c systemctl kill -s USR1 --kill-whom=main sandbox@watchdogger
        for _ in $(seq 50); do
                [ "$(c systemctl show -p Result --value sandbox@watchdogger)" = watchdog ] && break
                sleep 0.1
        done
        check_eq "without pings, systemd ends it (Result=watchdog)" \
                "$(c systemctl show -p Result --value sandbox@watchdogger)" watchdog
else
        skip "WatchdogSec=: no C compiler or libsystemd for the notify probe"
fi

# --- sandboxctl run ----------------------------------------------------

rc=0
out=$(c sandboxctl run settings 2>&1 </dev/null) || rc=$?
check_eq "sandboxctl run refuses a profile with <unit-setting>s: status 1" "$rc" 1
check "the message says they apply only to the unit, and names --without-limits" \
        bash -c 'grep -q "apply only to its unit" <<<"$0" && grep -q -- --without-limits <<<"$0"' "$out"

done_testing
