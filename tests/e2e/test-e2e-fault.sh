#!/bin/bash
# End-to-end fault injection (docs/reliability.md): under systemd, the
# helper of sandbox@fault is stopped at a step of each process's table
# (SANDBOX_FAULT in a drop-in), its unit's main process killed (SIGKILL,
# as a crash would), and then: no mount of the sandbox is left in the
# container, the lock is free, the /var data written before is intact
# and the next "systemctl start" works. Skipped where the helper is
# built without -Dfault-injection=true.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

if SANDBOX_FAULT=malformed "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>&1; then
        echo "1..0 # SKIP the helper is built without -Dfault-injection=true"
        exit 0
fi

e2e_init
cat >"$TMP/fault.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>exec sleep infinity</arg></exec>
  <filesystem>
    <etc mode="overlay"/><var mode="overlay"/>
    <tmpfs target="/mnt" size="1M"/>
  </filesystem>
</sandbox>
XML
e2e_profile "$TMP/fault.xml" fault
e2e_boot

U=sandbox@fault.service
c systemctl start "$U"
in_sandbox "$U" sh -c 'echo kept >/var/e2e-kept'
c systemctl stop "$U"

# the mounts of the sandbox's state or run directory in the container
sandbox_mounts() {
        c sh -c 'grep -h -e " /var/lib/sandbox/fault" -e "/run/sandbox/fault" /proc/[0-9]*/mountinfo' 2>/dev/null
}

# the overlays made; moved in, with the root's mounts; the service's
# process about to execute
for fault in helper:var init:mask service:seccomp; do
        what="stopped at $fault, the main process killed"
        c sh -c "mkdir -p /run/systemd/system/$U.d &&
                printf '[Service]\nEnvironment=SANDBOX_FAULT=$fault:stop\n' >/run/systemd/system/$U.d/fault.conf &&
                systemctl daemon-reload"
        c systemctl start --no-block "$U"
        for ((i = 0; i < 100; i++)); do
                c journalctl -q -u "$U" -g "fault injection: ${fault%%:*} stops at step ${fault#*:}" 2>/dev/null |
                        grep -q . && break
                sleep 0.1
        done
        reached=$i
        c systemctl kill --signal=KILL --kill-whom=main "$U"
        for ((i = 0; i < 100; i++)); do
                s=$(c systemctl is-active "$U")
                [ "$s" = failed ] || [ "$s" = inactive ] && break
                sleep 0.1
        done
        c sh -c "rm /run/systemd/system/$U.d/fault.conf && systemctl daemon-reload && systemctl reset-failed $U" 2>/dev/null
        fails=()
        [ "$reached" -lt 100 ] || fails+=("no fault injection message in the journal")
        [ "$s" = failed ] || [ "$s" = inactive ] || fails+=("the unit is $s")
        m=$(sandbox_mounts)
        [ -z "$m" ] || fails+=("mounts left: $m")
        c flock -n /run/sandbox/fault/lock true || fails+=("the lock is held")
        c systemctl start "$U"
        [ "$(c systemctl is-active "$U")" = active ] || fails+=("the next start is $(c systemctl is-active "$U")")
        out=$(in_sandbox "$U" cat /var/e2e-kept 2>&1)
        [ "$out" = kept ] || fails+=("/var/e2e-kept: $out")
        c systemctl stop "$U"
        if [ ${#fails[@]} -eq 0 ]; then ok "$what"; else not_ok "$what"; diag "${fails[@]}"; fi
done
check_eq "no mount of the sandbox left after the last stop" "$(sandbox_mounts)" ""

done_testing
