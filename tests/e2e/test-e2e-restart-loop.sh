#!/bin/bash
# End-to-end restarts back to back (docs/reliability.md, "A faster
# exit"): the helper, the unit's main process, ends as soon as process 1
# has, while the run lock's keeper, still in the unit's cgroup, takes the
# sandbox's mounts down. systemd counts the unit stopped only once its
# cgroup is empty, so "systemctl restart" many times over must never
# start the sandbox while the old overlays are there: each start works,
# each run finds in its /var what the run before wrote, no stop leaves the
# unit failed, and at the end nothing is mounted, locked or left in the
# cgroup. Then the same, back to back, by "sandboxctl run" in the
# container, alternating with "systemctl start" and "stop".
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/again.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>c=$(cat /var/count 2>/dev/null || echo 0); echo $((c + 1)) >/var/count; exec sleep infinity</arg></exec>
  <filesystem>
    <etc mode="overlay"/><var mode="overlay"/>
    <tmpfs target="/mnt" size="1M"/>
  </filesystem>
</sandbox>
XML
e2e_profile "$TMP/again.xml" again
e2e_boot

U=sandbox@again.service
# the mounts of the sandbox's state or run directory in the container
sandbox_mounts() {
        c sh -c 'grep -h -e " /var/lib/sandbox/again" -e "/run/sandbox/again" /proc/[0-9]*/mountinfo' 2>/dev/null
}

# systemd's own limit on starts (5 in 10 s by default) is not what is tried
c sh -c "mkdir -p /run/systemd/system/$U.d &&
        printf '[Unit]\nStartLimitIntervalSec=0\n' >/run/systemd/system/$U.d/no-start-limit.conf &&
        systemctl daemon-reload"
c systemctl start "$U"
check_eq "the first start: active, and its /var count is 1" \
        "$(c systemctl is-active "$U"):$(in_sandbox "$U" cat /var/count 2>&1)" "active:1"

N=25
fails=()
for ((k = 2; k <= N + 1; k++)); do
        c systemctl restart "$U" || fails+=("restart $k: systemctl restart failed")
        s=$(c systemctl is-active "$U")
        got=$(in_sandbox "$U" cat /var/count 2>&1)
        [ "$s:$got" = "active:$k" ] || fails+=("restart $k: $s, /var count \"$got\"")
done
if [ ${#fails[@]} -eq 0 ]; then ok "$N restarts back to back: each active, each run's /var holds the run before's count"; else
        not_ok "$N restarts back to back: each active, each run's /var holds the run before's count"
        diag "${fails[@]}"
fi
check_eq "no start met the old lock (\"already running\" or \"has ended\" in the journal)" \
        "$(c journalctl -q -u "$U" -g 'already running|has ended, but' 2>/dev/null | wc -l)" 0

c systemctl stop "$U"
check_eq "the last stop leaves the unit inactive (not failed), its cgroup empty" \
        "$(c systemctl is-active "$U"):$(c systemctl show -p ControlGroup --value "$U")" "inactive:"
check_eq "no mount of the sandbox is left in the container" "$(sandbox_mounts)" ""
check "nothing holds the run lock" c flock -n /run/sandbox/again/lock true

# stop and start, and "sandboxctl run" in between, back to back
fails=()
want=$((N + 1))
for ((k = 1; k <= 10; k++)); do
        out=$(c sandboxctl run again -- /bin/cat /var/count 2>&1)
        [ "$out" = "$want" ] || fails+=("sandboxctl run $k: \"$out\" where $want was written")
        c systemctl start "$U" || fails+=("start $k: systemctl start failed")
        want=$((want + 1))
        got=$(in_sandbox "$U" cat /var/count 2>&1)
        [ "$got" = "$want" ] || fails+=("start $k: /var count \"$got\"")
        c systemctl stop "$U"
        s=$(c systemctl is-active "$U")
        [ "$s" = inactive ] || fails+=("stop $k: $s")
done
if [ ${#fails[@]} -eq 0 ]; then ok "10 times sandboxctl run, systemctl start and stop back to back: each works and reads the /var before"; else
        not_ok "10 times sandboxctl run, systemctl start and stop back to back: each works and reads the /var before"
        diag "${fails[@]}"
fi
check_eq "no mount of the sandbox is left in the container at the end" "$(sandbox_mounts)" ""
check "nothing holds the run lock at the end" c flock -n /run/sandbox/again/lock true
check_eq "no process of the sandbox is left (helper, keeper)" \
        "$(c sh -c 'for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline 2>/dev/null; echo; done' | grep -c -e '--name=again' -e 'sandbox-lock')" 0

done_testing
