#!/usr/bin/env bash
# Fault injection at every set-up step (docs/reliability.md): for each
# step that --dry-run lists, in each process's table (the helper, process
# 1, the service's process), the helper is started with SANDBOX_FAULT so
# that it stops there; then the outer helper gets SIGKILL or SIGTERM
# (steps of the helper), or the outer helper or process 1 gets SIGKILL
# (steps of process 1 and of the service's process); once for a fresh
# sandbox and once for a restarted one whose /var overlay holds data.
# After each: the lock is freed only once process 1 has ended (the lock
# outlives every mount of the sandbox), no process holds a mount of the
# sandbox's state, the data written before is intact, and the next start
# works, by "sandboxctl run" and by the helper directly; and a --join
# killed at each of its steps leaves the sandbox running. Needs root and a
# build with -Dfault-injection=true (skipped otherwise); everything it
# writes is under $TMP, its mounts in a mount namespace of its own.
# With FAULT_WALK_STATE_SIZE (test-fault-walk-capped.sh) the sandbox's
# state is capped (<state size=...>): then no loop device may stay bound
# to its image after a trial either.
# With TEST_OVERLAYS=attached (test-fault-walk-capped-attached.sh) the
# overlays are made as where the kernel takes no layer on a detached
# mount (lib.sh, overlays_attached_helper).
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbfault$$
. "$(dirname "$0")/lib.sh"
trap 'kill_bg_helpers; remove_sandbox_dirs' EXIT

if SANDBOX_FAULT=malformed "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>&1; then
        echo "1..0 # SKIP the helper is built without -Dfault-injection=true"
        exit 0
fi
overlays_attached_helper

# the switch: a malformed value refuses the start, for root; for a real
# user who is not root (even with root's effective ID) it is inert
SANDBOX_FAULT=malformed "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>"$TMP/err"
check_eq "SANDBOX_FAULT malformed, as root: refused (125), with the reason" \
        "$?:$(grep -c "SANDBOX_FAULT=malformed: not PROCESS" "$TMP/err")" "125:1"
for ids in "--reuid=65534 --regid=65534 --clear-groups" "--ruid=65534"; do
        # shellcheck disable=SC2086
        SANDBOX_FAULT=malformed setpriv $ids "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>"$TMP/err"
        check_eq "SANDBOX_FAULT malformed, real user nobody (setpriv $ids): inert" "$?:$(cat "$TMP/err")" "0:"
done

CAP=${FAULT_WALK_STATE_SIZE:-}
STATE_XML=
if [ -n "$CAP" ]; then
        [ -e /dev/loop-control ] || { echo "1..0 # SKIP no /dev/loop-control here"; exit 0; }
        [ -x /usr/sbin/mkfs.ext4 ] || [ -x /sbin/mkfs.ext4 ] || { echo "1..0 # SKIP no mkfs.ext4 here"; exit 0; }
        STATE_XML="<state size=\"$CAP\"/>"
fi

name walk
PROFILES=$TMP/profiles
mkdir -p "$PROFILES" "$TMP/data"
echo bound >"$TMP/data/file"
# every kind of step: overlays, a bind, a tmpfs, masks
cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <etc mode="overlay"/><var mode="overlay"/>
    <bind source="$TMP/data" target="/srv"/>
    <tmpfs target="/mnt" size="1M"/>
    $STATE_XML
  </filesystem>
</sandbox>
EOF
line=$(SANDBOX_PROFILE_PATH=$PROFILES "$SANDBOXCTL" show "$n" | grep '^ExecStart=')
line=${line#*sandbox-helper }
line=${line% -- *}
read -r -a all <<<"$line"
ARGS=()
for a in "${all[@]}"; do
        case $a in --name=*) ;; *) ARGS+=("$a") ;; esac
done

# the steps, as PROCESS:NAME#K, from the plan
STEPS=$("$HELPER" --name="$n" "${ARGS[@]}" --dry-run -- /bin/true | awk '
        /^the helper, on the host:/ { p = "helper"; next }
        /^process 1/ { p = "init"; next }
        /^the service/ { p = "service"; next }
        p && $1 ~ /^[0-9]+\.$/ { k = ++seen[p ":" $2]; print p ":" $2 "#" k }')
nsteps=$(wc -w <<<"$STEPS")
[ "$nsteps" -ge 20 ] || { echo "1..0 # SKIP the plan lists $nsteps steps"; exit 0; }

next_start() {
        SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run --state-root="$STATE" \
                "$n" -- /bin/sh -c 'cat /var/keep 2>/dev/null; cat /srv/file' </dev/null 2>&1
}

# state_mounted: PIDs of the processes with a mount of the sandbox's state
state_mounted() {
        grep -l -F "$STATE/" /proc/[0-9]*/mountinfo 2>/dev/null | cut -d/ -f3
}

# image_loops: the loop devices still bound to a capped state's image,
# after its teardown had up to 5 s
image_loops() {
        local i l
        [ -n "$CAP" ] && [ -e "$STATE/$n/state.img" ] || return 0
        for ((i = 0; i < 100; i++)); do
                l=$(losetup -n -O NAME -j "$STATE/$n/state.img" 2>/dev/null)
                [ -z "$l" ] && return 0
                sleep 0.05
        done
        echo "$l"
}

# kept: what the sandbox's /var keeps in "keep", read from the state
kept() {
        if [ -n "$CAP" ]; then
                SANDBOX_PROFILE_PATH=$PROFILES "$SANDBOXCTL" diff --state-root="$STATE" "$n" 2>/dev/null |
                        grep -qx "A /var/keep" && echo kept
        else
                cat "$STATE/$n/var/upper/keep"
        fi
}

# lock_free [SECONDS]: waits until the run lock can be taken
lock_free() {
        local i
        # none yet: nothing holds it
        [ -e "/run/sandbox/$n/lock" ] || return 0
        for ((i = 0; i < ${1:-10} * 100; i++)); do
                flock -n "/run/sandbox/$n/lock" true 2>/dev/null && return 0
                sleep 0.01
        done
        return 1
}

# alive PID: the process exists and has not ended (a zombie has)
alive() {
        local s
        s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        s=${s##*) }
        [ "${s%% *}" != Z ]
}

# trial STATE STEP SIGNAL TARGET
trial() {
        local kind=$1 step=$2 sig=$3 target=$4 what="$1 ${2%%:*} stopped at ${2#*:}, SIG$3 to $4"
        local i init="" proc=${2%%:*} fails=() out
        if [ "$kind" = fresh ]; then
                safe_remove "$STATE/$n"
        fi
        : >"$TMP/$n.err"
        SANDBOX_FAULT=$step:stop sb_bg "$n" "${ARGS[@]}" -- /bin/sh -c 'exit 0'
        for ((i = 0; i < 500; i++)); do
                grep -q "fault injection" "$TMP/$n.err" && break
                alive "$bg" || break
                sleep 0.01
        done
        if ! grep -q "fault injection" "$TMP/$n.err"; then
                reap "$bg"
                skip "$what" "not a step of its own in the walk (reached without a stop)"
                return
        fi
        read -r init _ <"/proc/$bg/task/$bg/children" 2>/dev/null
        # the process stopped: SIGSTOP's state, or process 1 waiting
        sleep 0.02
        if [ "$target" = helper ]; then
                kill "-$sig" "$bg"
                kill -CONT "$bg" 2>/dev/null
        else
                kill "-$sig" "$init"
        fi
        # a stopped process 1 or service that the helper waits on: ended
        # by what ends the unit, as systemd would after its stop timeout
        for ((i = 0; i < 300; i++)); do
                alive "$bg" || break
                sleep 0.01
        done
        if alive "$bg"; then
                [ -n "$init" ] && kill -KILL "$init" 2>/dev/null
                kill -KILL "$bg" 2>/dev/null
                fails+=("the helper did not end by SIG$sig to $target")
        fi
        reap "$bg" 10
        if ! lock_free 10; then
                fails+=("run lock still held")
        elif [ -n "$init" ] && alive "$init"; then
                fails+=("run lock freed while process 1 ($init) still runs")
        fi
        out=$(state_mounted)
        [ -z "$out" ] || fails+=("mounts of the state still held by: $out")
        [ -z "$(mounts_under "$STATE")$(mounts_under "/run/sandbox/$n")" ] || fails+=("mounts left here")
        out=$(image_loops)
        [ -z "$out" ] || fails+=("loop devices left bound to the state image: $out")
        out=$(next_start)
        [ "$kind" = fresh ] && want=bound || want=$'kept\nbound'
        [ "$out" = "$want" ] || fails+=("next sandboxctl run: $out")
        sb "$n" "${ARGS[@]}" -- /bin/cat /srv/file
        [ "$rc" = 0 ] || fails+=("next helper start: status $rc: $(head -c 500 "$TMP/err")")
        out=$(image_loops)
        [ -z "$out" ] || fails+=("loop devices left bound to the state image after the next start: $out")
        if [ ${#fails[@]} -eq 0 ]; then
                ok "$what"
        else
                not_ok "$what"
                diag "${fails[@]}" "helper's stderr: $(head -c 1000 "$TMP/$n.err")"
        fi
}

for kind in fresh restarted; do
        if [ "$kind" = restarted ]; then
                safe_remove "$STATE/$n"
                SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run \
                        --state-root="$STATE" "$n" -- /bin/sh -c 'echo kept >/var/keep' </dev/null
        fi
        for step in $STEPS; do
                case $step in
                helper:*) trial "$kind" "$step" KILL helper; trial "$kind" "$step" TERM helper ;;
                *) trial "$kind" "$step" KILL helper; trial "$kind" "$step" KILL init ;;
                esac
        done
done
check "the /var overlay's data written before is intact" test "$(kept)" = kept

# the other action: killed by the hook itself (process 1, which cannot
# kill itself, ends as the killed would)
for step in helper:namespaces init:mask service:seccomp; do
        SANDBOX_FAULT=$step:kill sb "$n" "${ARGS[@]}" -- /bin/true
        fails=()
        # 128 + SIGKILL: the helper's own, or process 1's passed on
        [ "$rc" = 137 ] || fails+=("status $rc, not 137: $(head -c 500 "$TMP/err")")
        lock_free 10 || fails+=("run lock still held")
        [ -z "$(state_mounted)" ] || fails+=("mounts of the state still held by: $(state_mounted)")
        [ -z "$(image_loops)" ] || fails+=("loop devices left bound to the state image")
        [ "$(next_start)" = $'kept\nbound' ] || fails+=("next sandboxctl run failed")
        if [ ${#fails[@]} -eq 0 ]; then ok "$step:kill: clean"; else not_ok "$step:kill: clean"; diag "${fails[@]}"; fi
done

# --join: a joining process killed at each of its steps leaves the
# sandbox running and joinable, and its end as clean as ever
: >"$TMP/$n.err"
sb_bg "$n" "${ARGS[@]}" -- /bin/sleep 60
main=$bg
for ((i = 0; i < 250; i++)); do
        "$HELPER" --join="$n" -- /bin/true </dev/null >/dev/null 2>&1 && break
        sleep 0.02
done
for step in find names cgroups namespaces terminal identity; do
        what="--join stopped at $step, SIGKILL to it"
        SANDBOX_FAULT=join:$step:stop "$HELPER" --join="$n" -- /bin/true </dev/null >/dev/null 2>"$TMP/join.err" &
        jp=$!
        for ((i = 0; i < 1000; i++)); do
                grep -q "fault injection" "$TMP/join.err" && break
                alive "$jp" || break
                sleep 0.01
        done
        if ! grep -q "fault injection" "$TMP/join.err"; then
                # stopped only after the wait gave up, on a loaded machine:
                # not waited for stopped
                kill -KILL "$jp" 2>/dev/null
                wait "$jp"
                skip "$what" "not reached"
                continue
        fi
        kill -KILL "$jp"
        wait "$jp" 2>/dev/null
        fails=()
        alive "$main" || fails+=("the sandbox ended")
        "$HELPER" --join="$n" -- /bin/cat /srv/file </dev/null >"$TMP/out" 2>"$TMP/err" || fails+=("the next --join failed")
        [ "$(cat "$TMP/out")" = bound ] || fails+=("the next --join read: $(cat "$TMP/out")")
        if [ ${#fails[@]} -eq 0 ]; then ok "$what"; else not_ok "$what"; diag "${fails[@]}" "$(cat "$TMP/err")"; fi
done
kill -TERM "$main"
reap "$main" 10
fails=()
lock_free 10 || fails+=("run lock still held")
[ -z "$(state_mounted)" ] || fails+=("mounts of the state still held by: $(state_mounted)")
[ -z "$(image_loops)" ] || fails+=("loop devices left bound to the state image")
if [ ${#fails[@]} -eq 0 ]; then ok "the joined sandbox ends clean"; else not_ok "the joined sandbox ends clean"; diag "${fails[@]}"; fi
diag "$nsteps steps, 2 signals each, fresh and restarted${CAP:+, state capped at $CAP}${TEST_OVERLAYS:+, overlays $TEST_OVERLAYS}"
done_testing
