#!/bin/bash
# End-to-end fault injection (docs/reliability.md): under systemd, the
# helper of sandbox@fault is stopped at each step of each process's table
# that the plan lists (SANDBOX_FAULT in a drop-in), then the unit's main
# process is killed (SIGKILL, as a crash would) or the unit stopped
# (SIGTERM), and then: no mount of the sandbox is left in the container,
# the lock is free, the /var data written before is intact and the next
# "systemctl start" works; and at the end "sandboxctl run". Skipped where the helper is
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

# the steps, as PROCESS:NAME#K, from the plan of the helper's command
# line for the profile (this build's, as the container has it)
mkdir -p "$TMP/plan"
cp "$TMP/fault.xml" "$TMP/plan/fault.xml"
line=$(SANDBOX_PROFILE_PATH=$TMP/plan "$SANDBOXCTL" show fault | grep '^ExecStart=')
line=${line#*sandbox-helper }
line=${line% -- *}
read -r -a argv <<<"$line"
STEPS=$("$HELPER" "${argv[@]}" --dry-run -- /bin/true | awk '
        /^the helper, on the host:/ { p = "helper"; next }
        /^process 1/ { p = "init"; next }
        /^the service/ { p = "service"; next }
        p && $1 ~ /^[0-9]+\.$/ { k = ++seen[p ":" $2]; print p ":" $2 "#" k }')
nsteps=$(wc -w <<<"$STEPS")
check "the plan lists the steps ($nsteps)" test "$nsteps" -ge 20

# trial STEP END: the unit started with its helper stopped at STEP, then
# ended by END: "kill" (SIGKILL to the main process, as a crash) or
# "stop" ("systemctl stop": SIGTERM and SIGCONT to the main process, and
# SIGKILL to what is left after TimeoutStopSec=)
trial() {
        local fault=$1 end=$2 what="stopped at $1, then $2" fails=() i s="" m out cursor
        local msg="fault injection: ${fault%%:*} stops at step ${fault#*:}"
        c sh -c "mkdir -p /run/systemd/system/$U.d &&
                printf '[Service]\nEnvironment=SANDBOX_FAULT=$fault:stop\nTimeoutStopSec=5\n' >/run/systemd/system/$U.d/fault.conf &&
                systemctl daemon-reload"
        cursor=$(c journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
        c systemctl start --no-block "$U"
        for ((i = 0; i < 150; i++)); do
                c journalctl -q --after-cursor="$cursor" -u "$U" -g "$msg \\(" 2>/dev/null | grep -q . && break
                s=$(c systemctl is-active "$U")
                [ "$s" = active ] && break
                sleep 0.1
        done
        if [ "$i" = 150 ] || [ "$s" = active ]; then
                c systemctl stop "$U"
                c sh -c "rm /run/systemd/system/$U.d/fault.conf && systemctl daemon-reload && systemctl reset-failed $U" 2>/dev/null
                if [ "$s" = active ]; then
                        skip "$what" "not a step of its own in the walk (reached without a stop)"
                else
                        not_ok "$what"
                        diag "neither stopped at the step nor started in 15 s: $(c systemctl is-active "$U")"
                fi
                return
        fi
        case $end in
        kill) c systemctl kill --signal=KILL --kill-whom=main "$U" ;;
        stop) c systemctl stop "$U" ;;
        esac
        for ((i = 0; i < 100; i++)); do
                s=$(c systemctl is-active "$U")
                [ "$s" = failed ] || [ "$s" = inactive ] && break
                sleep 0.1
        done
        c sh -c "rm /run/systemd/system/$U.d/fault.conf && systemctl daemon-reload && systemctl reset-failed $U" 2>/dev/null
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
}

for step in $STEPS; do
        trial "$step" kill
        trial "$step" stop
done
# "sandboxctl run" of the same profile, after the last trial
out=$(c sandboxctl run fault -- cat /var/e2e-kept 2>&1)
check_eq "the next sandboxctl run works, and sees /var's data" "$out" kept
check_eq "no mount of the sandbox left after the last stop" "$(sandbox_mounts)" ""

done_testing
