#!/bin/bash
# End-to-end: the service's standard output and error are in its unit's
# journal; SANDBOX_DEBUG=1 from a drop-in ("systemctl edit") shows every
# set-up step of the helper there. A daemon that logs through syslog(3),
# logger(1), systemd-cat(1) and the journal's native protocol
# (sd_journal_send(3), sd_journal_print(3)) from inside its sandbox, as
# an unprivileged user, has its lines in journalctl -u sandbox@NAME, with
# its own identifier and, for the daemon's lines, its own PID as the
# host sees it (the process of the unit's cgroup that runs it).
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

command -v cc >/dev/null || e2e_skip_all "no C compiler for the journal probe"
e2e_init
if ! cc -o "$TMP/journal-probe" "$SOURCE_ROOT/tests/e2e/journal-probe.c" $(pkg-config --cflags --libs libsystemd) 2>"$TMP/cc.err"; then
        echo "Bail out! cannot build the journal probe: $(head -c 300 "$TMP/cc.err")"
        exit 1
fi
e2e_file "$TMP/journal-probe" /usr/local/lib/sandbox-e2e/journal-probe 0755
TOKEN=$$-$RANDOM
# logger and systemd-cat stay until their input ends: the journal learns a
# sender's unit from its /proc/PID/cgroup, which a process that has
# already exited no longer has (as for any unit's short-lived process)
cat >"$TMP/syslogger.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup">
    <arg>/bin/sh</arg><arg>-c</arg>
    <arg>{ echo "logger line \$1"; sleep 3; } | logger -t myd &amp; { echo "cat line \$1"; sleep 3; } | systemd-cat -t myd &amp; exec /usr/local/lib/sandbox-e2e/journal-probe "\$1"</arg>
    <arg>sh</arg><arg>$TOKEN</arg>
  </exec>
</sandbox>
XML
e2e_profile "$TMP/syslogger.xml" syslogger
cat >"$TMP/talker.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo "to stdout $$"; echo "to stderr" >&amp;2; exec sleep infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
XML
e2e_profile "$TMP/talker.xml" talker
e2e_boot

c systemctl start sandbox@talker
journal() {
        c journalctl -u sandbox@talker -o cat --no-pager >"$TMP/journal"
}
for _ in $(seq 50); do journal; grep -q 'to stderr' "$TMP/journal" && break; sleep 0.1; done
check "the service's stdout is in journalctl -u sandbox@talker" grep -qE '^to stdout [0-9]+$' "$TMP/journal"
check "... and its stderr" grep -qx 'to stderr' "$TMP/journal"
check "without debugging, the helper logs no steps" sh -c "! grep -q ': step ' '$TMP/journal'"
c systemctl stop sandbox@talker

c mkdir -p /etc/systemd/system/sandbox@talker.service.d
printf '[Service]\nEnvironment=SANDBOX_DEBUG=1\n' | c sh -c 'cat >/etc/systemd/system/sandbox@talker.service.d/debug.conf'
c systemctl daemon-reload
c systemctl start sandbox@talker
# this start's lines only: the first run's are as recent, to the second
invocation=$(c systemctl show -p InvocationID --value sandbox@talker)
for _ in $(seq 50); do
        c journalctl -o cat --no-pager "_SYSTEMD_INVOCATION_ID=$invocation" >"$TMP/journal"
        grep -q 'to stderr' "$TMP/journal" && break
        sleep 0.1
done
# every step of the plan (sandbox-helper --dry-run) is logged with its duration
for step in lock namespaces propagation root etc var tmpfs dev proc mask pivot_root seccomp capabilities identity no_new_privs init; do
        check "SANDBOX_DEBUG=1: the step \"$step\" is in the journal with its duration" \
                grep -qE ": step $step: [0-9.]+ ms$" "$TMP/journal"
done
c systemctl stop sandbox@talker

# --- a daemon's own logging, through the sandbox's interfaces ---

c systemctl start sandbox@syslogger
syslogger() {
        c journalctl -u sandbox@syslogger -o cat --no-pager "$@"
}
for _ in $(seq 100); do
        syslogger >"$TMP/journal"
        missing=no
        for line in "ready $TOKEN" "print line $TOKEN" "logger line $TOKEN" "cat line $TOKEN"; do
                grep -qx "$line" "$TMP/journal" || missing=yes
        done
        [ "$missing" = no ] && break
        sleep 0.1
done
# the daemon: the process of the unit's cgroup that runs the probe
cgroup=$(c systemctl show -p ControlGroup --value sandbox@syslogger)
daemon=
for p in $(c sh -c "cat \$(find '/sys/fs/cgroup$cgroup' -name cgroup.procs)"); do
        [ "$(c cat "/proc/$p/comm" 2>/dev/null)" = journal-probe ] && daemon=$p
done
main=$(c systemctl show -p MainPID --value sandbox@syslogger)
check "the daemon runs in the unit's cgroup, not as its main process (the helper) ($daemon, $main)" \
        test -n "$daemon" -a "$daemon" != "$main"
syslogger SYSLOG_IDENTIFIER=myd >"$TMP/myd"
check "logger -t myd: its line, with SYSLOG_IDENTIFIER=myd" grep -qx "logger line $TOKEN" "$TMP/myd"
check "systemd-cat -t myd: its line, with SYSLOG_IDENTIFIER=myd" grep -qx "cat line $TOKEN" "$TMP/myd"
syslogger SYSLOG_IDENTIFIER=myd "_PID=$daemon" >"$TMP/daemon"
check "syslog(3): the daemon's line, SYSLOG_IDENTIFIER=myd, _PID the daemon's" grep -qx "syslog line $TOKEN" "$TMP/daemon"
check "sd_journal_send(3): the daemon's line, SYSLOG_IDENTIFIER=myd, _PID the daemon's" \
        grep -qx "native line $TOKEN" "$TMP/daemon"
syslogger "_PID=$daemon" >"$TMP/daemon"
check "sd_journal_print(3): the daemon's line, _PID the daemon's" grep -qx "print line $TOKEN" "$TMP/daemon"
check "its standard output too, _PID the daemon's" grep -qx "ready $TOKEN" "$TMP/daemon"
c systemctl stop sandbox@syslogger

done_testing
