#!/usr/bin/env bash
# Restarts back to back (docs/reliability.md, "A faster exit"): the
# helper ends as soon as process 1 has, and the sandbox's mounts are
# taken down after it by the run lock's keeper, which frees the lock
# only then. So the same sandbox (with /etc and /var overlays) is started
# again at once, many times, by the helper and by "sandboxctl run": no
# start may fail, each run reads what the run before wrote to /var, and
# the lock, once free, is never free with the old overlays still there
# (an overlay mounted with index=on on the same upper directory is
# refused while another uses it: the test's own probe). A start that finds
# the lock of a sandbox that runs is refused at once; one that finds it
# held by an ending sandbox's keeper (the note beside the lock says so)
# waits for the keeper, up to 5 s, also when the helper was killed.
# Afterwards nothing is mounted and nothing holds the lock. Root only;
# everything under $TMP, the mounts in a mount namespace of its own.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbrestart$$
. "$(dirname "$0")/lib.sh"
trap 'kill_bg_helpers; [ -z "${holder:-}" ] || kill "$holder" 2>/dev/null; remove_sandbox_dirs' EXIT

name loop
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <etc mode="overlay"/><var mode="overlay"/>
    <tmpfs target="/mnt" size="1M"/>
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
LOCK=/run/sandbox/$n/lock
# each run prints the count the run before left in /var, and adds one
COUNT='c=$(cat /var/count 2>/dev/null || echo 0); echo $((c + 1)) >/var/count; echo "$c"'

# state_mounted: PIDs of the processes with a mount of the sandbox's state
state_mounted() {
        grep -l -F "$STATE/" /proc/[0-9]*/mountinfo 2>/dev/null | cut -d/ -f3
}

# lock_listed: whether /proc/locks lists a lock on the run lock's file
lock_listed() {
        local dev ino
        [ -e "$LOCK" ] || return 1
        read -r dev ino < <(stat -c '%D %i' "$LOCK")
        awk -v ino="$ino" '$2 == "FLOCK" && $0 !~ / -> / { split($6, f, ":"); if (f[3] == ino) found = 1 } END { exit !found }' /proc/locks
}

# probe: mounts an overlay with index=on on the sandbox's /var upper
# directory (its own lower and work directories), and unmounts it: the
# kernel refuses it (EBUSY) while another overlay uses that directory
mkdir -p "$TMP/probe/lower" "$TMP/probe/work" "$TMP/probe/m"
probe() {
        mount -t overlay sandbox-test-probe -o \
                "lowerdir=$TMP/probe/lower,upperdir=$STATE/$n/var/upper,workdir=$TMP/probe/work,index=on" \
                "$TMP/probe/m" 2>"$TMP/probe.err" || return 1
        umount "$TMP/probe/m"
}

# the first run makes the state
sb "$n" "${ARGS[@]}" -- /bin/sh -c "$COUNT"
check_eq "the first run starts, with no count in /var" "$rc:$(cat "$TMP/out")" "0:0"
for ((i = 0; i < 500; i++)); do
        ! lock_listed && break
        sleep 0.01
done
PROBE=yes
if ! probe; then
        PROBE=
        skip "the probe of the overlays" "an overlay with index=on cannot be mounted here: $(cat "$TMP/probe.err")"
else
        ok "the probe mounts an overlay with index=on on the idle sandbox's /var upper directory"
fi

# a sandbox that runs: a second start is refused at once, and the probe
# sees its overlay
: >"$TMP/$n.err"
sb_bg "$n" "${ARGS[@]}" -- /bin/sleep 60
main=$bg
for ((i = 0; i < 250; i++)); do
        "$HELPER" --join="$n" -- /bin/true </dev/null >/dev/null 2>&1 && break
        sleep 0.02
done
t0=$(date +%s%N)
sb "$n" "${ARGS[@]}" -- /bin/true
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "a second start of a sandbox that runs is refused (125), as already running" \
        "$rc:$(grep -c "is already running" "$TMP/err")" "125:1"
check "... at once, not after the wait for an ending sandbox (${ms} ms)" test "$ms" -lt 2500
if [ -n "$PROBE" ]; then
        check "the probe is refused while the sandbox's overlay uses the upper directory" eval '! probe'
fi
kill -TERM "$main"
reap "$main" 10
check_eq "the running sandbox ends on SIGTERM" "$rc" 143

# back to back, by the helper; every other run, whether the lock was
# still held (by the keeper) when the helper had ended
N=40
fails=()
held=0
tried=0
for ((k = 1; k <= N; k++)); do
        want=$(cat "$STATE/$n/var/upper/count")
        sb "$n" "${ARGS[@]}" -- /bin/sh -c "$COUNT"
        if [ $((k % 2)) = 0 ]; then
                tried=$((tried + 1))
                lock_listed && held=$((held + 1))
        fi
        [ "$rc:$(cat "$TMP/out")" = "0:$want" ] ||
                fails+=("run $k: status $rc, read \"$(cat "$TMP/out")\" where the run before left $want: $(head -c 300 "$TMP/err")")
done
if [ ${#fails[@]} -eq 0 ]; then ok "$N starts back to back by the helper: each starts and reads the /var of the one before"; else
        not_ok "$N starts back to back by the helper: each starts and reads the /var of the one before"
        diag "${fails[@]}"
fi
diag "the lock was still held, by the keeper, as the helper ended in $held of $tried runs"

# back to back, by sandboxctl run
N2=20
fails=()
for ((k = 1; k <= N2; k++)); do
        want=$(cat "$STATE/$n/var/upper/count")
        out=$(SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run --state-root="$STATE" \
                "$n" -- /bin/sh -c "$COUNT" </dev/null 2>"$TMP/err")
        rc=$?
        [ "$rc:$out" = "0:$want" ] || fails+=("run $k: status $rc, read \"$out\" where the run before left $want: $(head -c 300 "$TMP/err")")
done
if [ ${#fails[@]} -eq 0 ]; then ok "$N2 starts back to back by sandboxctl run: each starts and reads the /var of the one before"; else
        not_ok "$N2 starts back to back by sandboxctl run: each starts and reads the /var of the one before"
        diag "${fails[@]}"
fi

# the lock, the moment it is free, is never free with the old overlay
# still there: the probe, under the lock taken as soon as it can be
if [ -n "$PROBE" ]; then
        fails=()
        for ((k = 1; k <= 20; k++)); do
                sb "$n" "${ARGS[@]}" -- /bin/true
                [ "$rc" = 0 ] || fails+=("run $k: status $rc: $(head -c 300 "$TMP/err")")
                flock -w 10 "$LOCK" bash -c "$(declare -f probe); n=$n STATE=$STATE TMP=$TMP probe" ||
                        fails+=("run $k: the probe under the lock was refused: $(cat "$TMP/probe.err")")
        done
        if [ ${#fails[@]} -eq 0 ]; then ok "20 times, the lock once free: the old overlay is gone (the probe mounts)"; else
                not_ok "20 times, the lock once free: the old overlay is gone (the probe mounts)"
                diag "${fails[@]}"
        fi
fi

# the wait, with a lock held by a process of the test's standing in for a
# keeper: the lock file names a helper, the note beside it ("ending")
# that helper and its keeper. A note naming the lock's helper is waited
# for until the keeper ends ...
NOTE=/run/sandbox/$n/ending
# write_note HELPER KEEPER: the lock file names HELPER, the note HELPER
# and KEEPER, ending (the lock file's helper, when it differs, is given
# third)
write_note() {
        printf '%s\n' "${3:-$1}" >"$LOCK"
        printf '%s %s ending\n' "$1" "$2" >"$NOTE"
}
# hold SECONDS: a process of the test's holds the lock (its PID: holder)
hold() {
        flock -o "$LOCK" sleep "$1" &
        holder=$!
        for ((i = 0; i < 200; i++)); do
                lock_listed && break
                sleep 0.01
        done
}
dead=$(bash -c 'echo $$')
hold 1
write_note "$dead" "$holder"
t0=$(date +%s%N)
sb "$n" "${ARGS[@]}" -- /bin/true
ms=$((($(date +%s%N) - t0) / 1000000))
wait "$holder" 2>/dev/null
holder=
check_eq "a start finding the lock of an ending sandbox waits for its keeper, then starts" "$rc" 0
check "... having waited for it (${ms} ms, the keeper held it about 1000 ms)" test "$ms" -ge 500 -a "$ms" -lt 4500

# ... a note of an earlier instance, naming another helper, is not
# believed: the sandbox runs, and the start is refused at once
hold 30
write_note "$dead" "$holder" "$$"
t0=$(date +%s%N)
sb "$n" "${ARGS[@]}" -- /bin/true
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "a start finding a running sandbox's lock, beside an earlier instance's note, is refused (125) as already running" \
        "$rc:$(grep -c "is already running" "$TMP/err")" "125:1"
check "... at once (${ms} ms)" test "$ms" -lt 2500

# ... and an ending sandbox whose keeper does not end is waited for 5 s
write_note "$dead" "$holder"
t0=$(date +%s%N)
sb "$n" "${ARGS[@]}" -- /bin/true
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "a keeper that does not end: the start is refused (125) after the wait, saying why" \
        "$rc:$(grep -c "has ended, but its mounts are still being taken down" "$TMP/err")" "125:1"
check "... after about 5 s (${ms} ms)" test "$ms" -ge 4500 -a "$ms" -lt 15000
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=

# a helper killed once its sandbox runs: the keeper notes the end itself,
# and a start at once waits for it rather than being refused
: >"$TMP/$n.err"
sb_bg "$n" "${ARGS[@]}" -- /bin/sleep 60
main=$bg
for ((i = 0; i < 250; i++)); do
        "$HELPER" --join="$n" -- /bin/true </dev/null >/dev/null 2>&1 && break
        sleep 0.02
done
kill -KILL "$main"
wait "$main" 2>/dev/null
sb "$n" "${ARGS[@]}" -- /bin/sh -c "$COUNT"
check_eq "a start right after the helper was killed waits for the keeper, starts, and reads /var" \
        "$rc:$(cat "$TMP/out")" "0:$((N + N2 + 1))"

# sandboxctl delete right after a run waits for the keeper as well
sb "$n" "${ARGS[@]}" -- /bin/sh -c "$COUNT"
want=$((N + N2 + 2))
check_eq "the last run reads the count of every run before" "$rc:$(cat "$TMP/out")" "0:$want"
check_eq "the count is in the upper directory" "$(cat "$STATE/$n/var/upper/count")" "$((want + 1))"
SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run --state-root="$STATE" "$n" -- /bin/true \
        </dev/null >/dev/null 2>&1
SANDBOX_PROFILE_PATH=$PROFILES "$SANDBOXCTL" delete --state-root="$STATE" "$n" >"$TMP/out" 2>"$TMP/err"
check_eq "sandboxctl delete right after a run waits for its keeper, and deletes" "$?:$([ -e "$STATE/$n" ] && echo left)" "0:"

# nothing left
for ((i = 0; i < 500; i++)); do
        ! lock_listed && break
        sleep 0.01
done
check "nothing holds the run lock afterwards" eval '! lock_listed'
check_eq "no process holds a mount of the sandbox's state afterwards" "$(state_mounted)" ""
check_eq "nothing is mounted under the state or the run directory afterwards" \
        "$(mounts_under "$STATE")$(mounts_under "/run/sandbox/$n")" ""
done_testing
