#!/bin/bash
# A soak under a real systemd: in the end-to-end test container
# (tests/e2e/lib.sh), SANDBOXES sandboxes of a light profile (a service
# that counts its starts in its /var overlay and sleeps) go through a
# random sequence of operations for SECONDS seconds:
#   start, restart, stop      systemctl, on sandbox@NAME
#   exec                      sandboxctl exec NAME -- a shell that appends
#                             a sequence number to /var/soak/exec-log
#                             (running or not: a stopped sandbox gets a
#                             fresh one of its profile, on its state)
#   clone, delete-clone       sandboxctl clone NAME to a new name (the
#                             clone's /var read back through exec), and
#                             later sandboxctl delete of that clone
#   kill-unit                 systemctl kill -s KILL sandbox@NAME
#   kill-helper               kill -KILL of the unit's main process, the
#                             helper outside the sandbox
#   kill-starting             systemctl start --no-block, and at once
#                             kill -KILL of the unit's first process, a
#                             helper: halfway through its set-up (counted
#                             as kill-starting-setup) or just after it
#                             (-running)
# WORKERS workers (default 4) run at once, each on its own share of the
# sandboxes, so that one sandbox sees one operation at a time. The seed
# (SEED, default random) is printed; the same seed gives the same choices
# (not the same timing). Then everything is stopped and each of these is
# a TAP line:
#   - every operation the test did not itself break exited 0;
#   - no mount of a sandbox is left in the container's mount table, which
#     is as it was before the soak;
#   - no lock /run/sandbox/NAME/lock is held;
#   - no cgroup sandbox@* is left (sandbox.slice, system.slice);
#   - no MCS pair leaked: where the container has SELinux, the profile
#     asks for <selinux mcs="dynamic"/>, and every pair the helpers
#     recorded belongs to a sandbox whose state exists; elsewhere the soak
#     writes the record (/var/lib/sandbox/.selinux-mcs) as the helper
#     would, a line for each sandbox before the soak and one for each
#     clone as it is made, under the record's lock, and every deleted
#     clone's line is gone while every other line is there as written
#     (the deletes' rewrites, concurrent with each other and with the
#     soak's additions, lost none);
#   - /run/sandbox/NAME holds only what sandbox-helper(8) documents (lock,
#     root, mask), and a deleted clone left nothing there, in
#     /var/lib/sandbox or among the profiles; no half-made clone;
#   - no process of a sandbox is left (no sandbox-helper, nothing in
#     sandbox.slice);
#   - every sequence number an exec reported written is in that sandbox's
#     /var (read from its state), and the start counter is there and no
#     lower than any value an exec saw;
#   - the journal has no error of a helper or a sandbox unit but within
#     10 s after the soak killed that sandbox's helper.
# Then a summary: seed, duration, operations per kind, what leaked.
#
# With SOAK_STATE_SIZE (such as 32M) every sandbox's state is capped
# (<state size=...>, docs/reliability.md): the container gets the host's
# loop devices, what a sandbox wrote is read from its image (debugfs),
# and no loop device may be left bound to an image.
#
#   bench/soak.sh SECONDS [SANDBOXES]    (as root; default 50 sandboxes)
#   BUILD_ROOT=build-dev SEED=1234 WORKERS=4 bench/soak.sh 600 50
#
# Exits 0 when every check holds. tests/e2e/test-e2e-soak.sh runs a short
# one in CI.

[ $# -ge 1 ] && [ "$1" -gt 0 ] 2>/dev/null || {
        echo "usage: $0 SECONDS [SANDBOXES]" >&2
        exit 2
}
DURATION=$1
N=${2:-50}
WORKERS=${WORKERS:-4}
[ "$N" -ge "$WORKERS" ] || WORKERS=$N
: "${SEED:=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}"

. "$(dirname "$0")/../tests/tap.sh"
. "$(dirname "$0")/../tests/e2e/lib.sh"
# the container lives as long as the soak, and the checks after it
E2E_TIMEOUT=$((DURATION + 600))

echo "# soak: $DURATION s, $N sandboxes, $WORKERS workers, seed $SEED"
e2e_init
# the service counts its starts in its /var, then sleeps
cat >"$TMP/soak.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>mkdir -p /var/soak; n=$(cat /var/soak/starts 2>/dev/null); echo $((${n:-0} + 1)) >/var/soak/starts.new; mv /var/soak/starts.new /var/soak/starts; exec sleep infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
XML
CAP=${SOAK_STATE_SIZE:-}
if [ -n "$CAP" ]; then
        [ -e /dev/loop-control ] && command -v debugfs >/dev/null && command -v mkfs.ext4 >/dev/null ||
                e2e_skip_all "no loop devices, debugfs or mkfs.ext4 here"
        sed -i "s|</filesystem>|<state size=\"$CAP\"/></filesystem>|" "$TMP/soak.xml"
        {
                echo --bind=/dev/loop-control
                for d in /dev/loop[0-9]*; do
                        [ -b "$d" ] && echo "--bind=$d"
                done
        } >"$E2E_DIR/nspawn-args"
fi
# state_file NAME PATH: PATH below the /var upper dir of NAME's state, as
# the state holds it (in its image, when capped; the sandbox stopped)
state_file() {
        local img=$E2E_DIR/state/$1/state.img
        if [ -f "$img" ]; then
                debugfs -R "cat /var/upper/$2" "$img" 2>/dev/null
        else
                cat "$E2E_DIR/state/$1/var/upper/$2" 2>/dev/null
        fi
}
# where SELinux is on (the container's kernel is the host's), each sandbox
# and clone gets an MCS pair of its own, whose record the checks read
if [ -e /sys/fs/selinux/enforce ]; then
        sed -i 's|</sandbox>|  <security><selinux mcs="dynamic"/></security>\n</sandbox>|' "$TMP/soak.xml"
fi
NAMES=()
for ((i = 1; i <= N; i++)); do
        NAMES+=("$(printf 'soak%02d' "$i")")
        e2e_profile "$TMP/soak.xml" "${NAMES[-1]}"
done
# systemd's start rate limit (5 starts in 10 s) would refuse the soak's
# starts, not the sandbox: lifted for the sandbox units, as an
# administrator's drop-in would
printf '[Unit]\nStartLimitIntervalSec=0\n' >"$TMP/soak.conf"
e2e_file "$TMP/soak.conf" /etc/systemd/system/sandbox@.service.d/soak.conf
e2e_boot
SOAK=$TMP/soak
mkdir -p "$SOAK"
before=$(c_mounts)

# Without SELinux no helper records MCS pairs: the soak does, as the
# helper would at each first start, so that the deletes' freeing of them
# is tried all the same. Each sandbox gets c0,cI; a clone of worker W,
# its K-th, gets c(W+1),c(W+2+K%900): distinct from every other line.
MCS_SEEDED=
if ! c test -e /sys/fs/selinux/enforce; then
        MCS_SEEDED=yes
        for ((i = 1; i <= N; i++)); do
                printf '%s c0,c%d\n' "${NAMES[i - 1]}" "$i"
        done >"$SOAK/mcs-before"
        c sh -c 'umask 077 && mkdir -p /var/lib/sandbox && cat >/var/lib/sandbox/.selinux-mcs' <"$SOAK/mcs-before"
fi

# mcs_add LINE: LINE added to the record under its lock, as the helper
# adds one: the lock is on the file that is the record once it is held
# (a delete may have renamed a new one over it meanwhile)
mcs_add() {
        c sh -c 'r=/var/lib/sandbox/.selinux-mcs
                while :; do
                        exec 9<"$r" || exit 1
                        flock 9 || exit 1
                        [ "$(stat -L -c %d:%i /proc/self/fd/9)" = "$(stat -c %d:%i "$r")" ] && break
                        exec 9<&-
                done
                printf "%s\n" "$1" >>"$r"' sh "$1"
}

now() { date +%s.%N; }

# admin CMD...: as an administrator's shell runs it, in a cgroup of the
# container's own
admin() {
        c systemd-run --quiet --wait --pipe --collect --service-type=exec "$@"
}

# op W KIND NAME RC: one operation of worker W, counted
op() {
        echo "$2 $3 $4" >>"$SOAK/ops.$1"
        # the error output above it is this one's
        [ "$4" = 0 ] || echo "^^^ $(now) $2 $3 exited $4" >>"$SOAK/err.$1"
}

# killed W NAME: the soak is about to kill NAME's helper (the journal's
# errors of NAME shortly after are its own doing)
killed() {
        echo "$(now) $2" >>"$SOAK/kills.$1"
}

main_pid() {
        c systemctl show -p MainPID --value "sandbox@$1"
}

# worker W: operations on the sandboxes i with i % WORKERS == W until the
# deadline
worker() {
        local w=$1 deadline=$2 mine=() i name r rc seq=0 pid state out clones=() cl nclone=0
        RANDOM=$((SEED * 31 + w))
        for ((i = w; i < N; i += WORKERS)); do mine+=("${NAMES[i]}"); done
        while [ "$(date +%s)" -lt "$deadline" ]; do
                name=${mine[RANDOM % ${#mine[@]}]}
                r=$((RANDOM % 100))
                if [ "$r" -lt 20 ]; then
                        c systemctl start "sandbox@$name" >>"$SOAK/err.$w" 2>&1
                        op "$w" start "$name" $?
                elif [ "$r" -lt 33 ]; then
                        c systemctl restart "sandbox@$name" >>"$SOAK/err.$w" 2>&1
                        op "$w" restart "$name" $?
                elif [ "$r" -lt 46 ]; then
                        c systemctl stop "sandbox@$name" >>"$SOAK/err.$w" 2>&1
                        op "$w" stop "$name" $?
                elif [ "$r" -lt 71 ]; then
                        seq=$((seq + 1))
                        out=$(admin sandboxctl exec "$name" -- /bin/sh -c \
                                "mkdir -p /var/soak && echo $w.$seq >>/var/soak/exec-log && { cat /var/soak/starts 2>/dev/null; true; }" \
                                </dev/null 2>>"$SOAK/err.$w")
                        rc=$?
                        op "$w" exec "$name" $rc
                        if [ $rc -eq 0 ]; then
                                echo "$name $w.$seq" >>"$SOAK/written.$w"
                                [ -n "$out" ] && echo "$name $out" >>"$SOAK/seen.$w"
                        fi
                elif [ "$r" -lt 77 ]; then
                        # a clone is made of a stopped sandbox
                        c systemctl stop "sandbox@$name" >>"$SOAK/err.$w" 2>&1
                        op "$w" stop "$name" $?
                        nclone=$((nclone + 1))
                        cl=${name}c${w}x$nclone
                        c sandboxctl clone "$name" "$cl" </dev/null >>"$SOAK/err.$w" 2>&1
                        rc=$?
                        op "$w" clone "$name" $rc
                        if [ $rc -eq 0 ]; then
                                clones+=("$cl")
                                echo "$cl" >>"$SOAK/clones.$w"
                                if [ -n "$MCS_SEEDED" ]; then
                                        mcs_add "$cl c$((w + 1)),c$((w + 2 + nclone % 900))"
                                        op "$w" mcs-record "$cl" $?
                                fi
                                # its /var, through a fresh sandbox of its own profile
                                out=$(admin sandboxctl exec "$cl" -- /bin/sh -c 'cat /var/soak/exec-log 2>/dev/null; true' </dev/null 2>>"$SOAK/err.$w")
                                rc=$?
                                [ $rc -eq 0 ] && [ "$out" = "$(state_file "$name" soak/exec-log)" ] ||
                                        rc=100
                                op "$w" clone-read "$cl" $rc
                        fi
                elif [ "$r" -lt 82 ]; then
                        [ ${#clones[@]} -gt 0 ] || continue
                        cl=${clones[0]}
                        clones=("${clones[@]:1}")
                        c sandboxctl delete "$cl" </dev/null >>"$SOAK/err.$w" 2>&1 &&
                                c rm "/etc/sandbox/profiles/$cl.xml"
                        rc=$?
                        op "$w" delete-clone "$cl" $rc
                        [ $rc -eq 0 ] && echo "$cl" >>"$SOAK/deleted.$w"
                elif [ "$r" -lt 88 ]; then
                        killed "$w" "$name"
                        c systemctl kill -s KILL "sandbox@$name" >>"$SOAK/err.$w" 2>&1
                        op "$w" kill-unit "$name" $?
                elif [ "$r" -lt 94 ]; then
                        pid=$(main_pid "$name")
                        [ -n "$pid" ] && [ "$pid" != 0 ] || continue
                        killed "$w" "$name"
                        c kill -KILL "$pid" 2>>"$SOAK/err.$w"
                        op "$w" kill-helper "$name" $?
                else
                        # halfway through the set-up: a start, and a kill of
                        # the first process of the unit (the helper of
                        # ExecStartPre= or of ExecStart=) after 0 to 39 times
                        # it was seen; counted as -setup when the unit had no
                        # process of the service's yet (sh, sleep), else
                        # -running
                        c systemctl stop "sandbox@$name" >>"$SOAK/err.$w" 2>&1
                        op "$w" stop "$name" $?
                        killed "$w" "$name"
                        state=$(c bash -c 'g=/sys/fs/cgroup/sandbox.slice/sandbox@$1.service skip=$2
                                # the poller first, reading with builtins only: fast enough to
                                # see the helper within its set-up
                                ( for ((i = 0; i < 200000; i++)); do
                                        p=; read -r p <"$g/cgroup.procs" 2>/dev/null || continue
                                        [ -n "$p" ] || continue
                                        [ $((skip--)) -gt 0 ] && continue
                                        s=setup
                                        while read -r q; do
                                                read -r comm <"/proc/$q/comm" 2>/dev/null
                                                case $comm in sh | sleep) s=running ;; esac
                                        done <"$g/cgroup.procs"
                                        kill -KILL "$p" && echo "$s"
                                        exit
                                done; echo missed ) &
                                systemctl start --no-block "sandbox@$1"
                                wait' sh "$name" "$((RANDOM % 40))" 2>>"$SOAK/err.$w")
                        rc=$?
                        case $state in
                        setup | running) op "$w" "kill-starting-$state" "$name" $rc ;;
                        *) op "$w" kill-starting-missed "$name" $rc ;;
                        esac
                fi
        done
        # what is left of its clones
        for cl in "${clones[@]}"; do
                c sandboxctl delete "$cl" </dev/null >>"$SOAK/err.$w" 2>&1 &&
                        c rm "/etc/sandbox/profiles/$cl.xml"
                rc=$?
                op "$w" delete-clone "$cl" $rc
                [ $rc -eq 0 ] && echo "$cl" >>"$SOAK/deleted.$w"
        done
}

start=$(date +%s)
deadline=$((start + DURATION))
pids=()
for ((w = 0; w < WORKERS; w++)); do
        worker "$w" "$deadline" &
        pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
end=$(date +%s)

# --- all stopped
c systemctl stop 'sandbox@*' >/dev/null 2>&1
for _ in $(seq 100); do
        [ -z "$(c systemctl list-units --plain --no-legend --state=active,activating,deactivating 'sandbox@*')" ] && break
        sleep 0.1
done
cat "$SOAK"/ops.* >"$SOAK/ops" 2>/dev/null
cat "$SOAK"/kills.* 2>/dev/null | sort -n >"$SOAK/kills"
leaks=()

# an operation may fail for a reason the soak gave it: a restart or stop
# while the unit is killed; a start whose helper it killed. Anything else
# is a failure of the sandbox.
failed=$(awk '$3 != 0 && $1 !~ /^kill/' "$SOAK/ops")
check_eq "every operation exited 0 ($(wc -l <"$SOAK/ops") in $((end - start)) s)" "$failed" ""
[ -n "$failed" ] && diag "$(sort "$SOAK"/err.* | uniq -c | sort -rn | head -n 20)"

mounts=$(c cat /proc/1/mountinfo | awk '$5 ~ "^/run/sandbox/" || $5 ~ "^/var/lib/sandbox/" || $4 ~ "^/run/sandbox/"')
check_eq "no mount of a sandbox is left in the container's mount table" "$mounts" ""
[ -n "$mounts" ] && leaks+=("mounts: $(wc -l <<<"$mounts")")
check_mounts_as "the container's mount table is as it was before the soak" "$before"

if [ -n "$CAP" ]; then
        loops=$(for img in "$E2E_DIR"/state/*/state.img; do
                [ -e "$img" ] && losetup -n -O NAME -j "$img"
        done)
        check_eq "no loop device is left bound to a state image ($(ls "$E2E_DIR"/state/*/state.img 2>/dev/null | wc -l) images)" "$loops" ""
        [ -n "$loops" ] && leaks+=("loop devices: $(wc -l <<<"$loops")")
fi

held=$(c sh -c 'for l in /run/sandbox/*/lock; do [ -e "$l" ] || continue; flock -n "$l" true || echo "$l"; done')
check_eq "no sandbox lock is held" "$held" ""
[ -n "$held" ] && leaks+=("locks: $held")

cg=$(c find /sys/fs/cgroup/sandbox.slice /sys/fs/cgroup/system.slice -maxdepth 1 -name 'sandbox@*' 2>/dev/null)
check_eq "no cgroup of a sandbox is left" "$cg" ""
[ -n "$cg" ] && leaks+=("cgroups: $cg")

record=$(c cat /var/lib/sandbox/.selinux-mcs 2>/dev/null)
if [ -n "$MCS_SEEDED" ]; then
        # what the soak wrote, less what delete took out: the sandboxes'
        # lines as they were, and no clone's (every clone was deleted)
        stale=$(awk 'NR == FNR { made[$1] = 1; next } $1 in made' <(cat "$SOAK"/clones.* 2>/dev/null) <(echo "$record"))
        check_eq "no MCS pair leaked: each deleted clone's line is gone from the record ($(grep -c '^mcs-record .* 0$' "$SOAK/ops") recorded)" \
                "$stale" ""
        kept=$(grep -v -F -f <(cat "$SOAK"/clones.* 2>/dev/null | sed 's/$/ /') <<<"$record" | sort)
        check_eq "... and every sandbox's line is there as written, none lost to the deletes' rewrites" \
                "$kept" "$(sort "$SOAK/mcs-before")"
        [ -n "$stale" ] && leaks+=("MCS pairs: $stale")
        [ "$kept" = "$(sort "$SOAK/mcs-before")" ] || leaks+=("MCS record: lines lost or changed")
else
        stale=$(c sh -c 'test -f /var/lib/sandbox/.selinux-mcs || exit 0
                while read -r n pair; do [ -d "/var/lib/sandbox/$n" ] || echo "$n $pair"; done </var/lib/sandbox/.selinux-mcs')
        check_eq "no MCS pair is held by a sandbox without state" "$stale" ""
        [ -n "$stale" ] && leaks+=("MCS pairs: $stale")
fi

extra=$(c sh -c 'for d in /run/sandbox/*/; do
        for e in "$d"* "$d".[!.]*; do
                [ -e "$e" ] || [ -L "$e" ] || continue
                case ${e##*/} in lock | ending | root | mask) ;; *) echo "$e" ;; esac
        done; done')
check_eq "/run/sandbox/NAME holds only lock, ending (the note beside it), root and mask" "$extra" ""
[ -n "$extra" ] && leaks+=("files: $extra")
deleted=$(cat "$SOAK"/deleted.* 2>/dev/null)
made=$(cat "$SOAK"/clones.* 2>/dev/null | sort)
left=
for cl in $made; do
        for p in "/run/sandbox/$cl" "/var/lib/sandbox/$cl" "/etc/sandbox/profiles/$cl.xml"; do
                c test -e "$p" && left="$left $p"
        done
done
left="$left$(c sh -c 'ls -A /var/lib/sandbox /etc/sandbox/profiles' | grep -E '^\..*\.clone-' | sed 's/^/ /' | tr -d '\n')"
check_eq "every clone was deleted ($(wc -w <<<"$made") made, $(wc -w <<<"$deleted") deleted), and nothing of it or of a half-made one is left" \
        "$left:$(wc -w <<<"$made")" ":$(wc -w <<<"$deleted")"
[ -n "$left" ] && leaks+=("clones:$left")

procs=$(c sh -c 'for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = sandbox-helper ] && echo "${p#/proc/}"; done
        find /sys/fs/cgroup/sandbox.slice -name cgroup.procs -exec cat {} + 2>/dev/null')
check_eq "no process of a sandbox is left" "$procs" ""
[ -n "$procs" ] && leaks+=("processes: $procs")

# --- what was written is there
lost=
for name in "${NAMES[@]}"; do
        f=$SOAK/exec-log.$name
        state_file "$name" soak/exec-log >"$f"
        want=$(cat "$SOAK"/written.* 2>/dev/null | awk -v n="$name" '$1 == n { print $2 }' | sort)
        [ -n "$want" ] || continue
        missing=$(comm -23 <(echo "$want") <(sort "$f" 2>/dev/null))
        [ -z "$missing" ] || lost="$lost $name:$(echo $missing | tr ' ' ,)"
done
check_eq "every line an exec wrote to a sandbox's /var is in its state ($(cat "$SOAK"/written.* 2>/dev/null | wc -l) lines)" "$lost" ""
[ -n "$lost" ] && leaks+=("lost writes:$lost")
bad=
started=0
for name in "${NAMES[@]}"; do
        seen=$(cat "$SOAK"/seen.* 2>/dev/null | awk -v n="$name" '$1 == n && $2 > m { m = $2 } END { print m + 0 }')
        n=$(state_file "$name" soak/starts)
        if grep -q "^\(start\|restart\) $name 0$" "$SOAK/ops"; then
                [ -n "$n" ] && [ "$n" -ge "$seen" ] || bad="$bad $name(${n:-none}<$seen)"
        fi
        started=$((started + ${n:-0}))
done
check_eq "every started sandbox's start counter is in its /var, no lower than an exec saw it ($started starts counted)" "$bad" ""
[ -n "$bad" ] && leaks+=("counters:$bad")

# --- the journal: errors of helpers and of sandbox units, but those
# within 10 s after a kill of the same sandbox
c journalctl -b -o json --no-pager -p err >"$SOAK/journal.json"
unexplained=$(python3 - "$SOAK/journal.json" "$SOAK/kills" <<'PY'
import json, sys
kills = {}
for line in open(sys.argv[2]):
    t, name = line.split()
    kills.setdefault(name, []).append(float(t))
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    unit = e.get("_SYSTEMD_UNIT", "") if e.get("_PID") != "1" else e.get("UNIT", "")
    ident = e.get("SYSLOG_IDENTIFIER", "")
    if not unit.startswith("sandbox@") and ident not in ("sandbox-helper", "sandboxctl"):
        continue
    msg = e.get("MESSAGE", "")
    if isinstance(msg, list):
        msg = bytes(msg).decode(errors="replace")
    name = unit[len("sandbox@"):-len(".service")] if unit.startswith("sandbox@") else ""
    t = int(e.get("__REALTIME_TIMESTAMP", "0")) / 1e6
    if any(k <= t + 0.5 and t - k < 10 for k in kills.get(name, [])):
        print(f"caused {unit}: {msg}")
        continue
    print(f"{unit or ident}: {msg}")
PY
)
caused=$(grep -c '^caused ' <<<"$unexplained")
[ -n "${SOAK_LOGS:-}" ] && grep '^caused ' <<<"$unexplained" >"$SOAK/journal-caused"
unexplained=$(grep -v '^caused ' <<<"$unexplained")
check_eq "the journal has no error of a helper that the soak did not cause ($(wc -l <"$SOAK/kills") kills, $caused errors after them)" "$unexplained" ""
[ -n "$unexplained" ] && leaks+=("journal errors: $(wc -l <<<"$unexplained")")

# the logs, for a look after the run
if [ -n "${SOAK_LOGS:-}" ]; then
        mkdir -p "$SOAK_LOGS" && cp -a "$SOAK/." "$SOAK_LOGS/"
fi

# --- summary
echo "# soak summary: seed $SEED, $((end - start)) s, $N sandboxes, $WORKERS workers"
awk '{ n[$1]++; if ($3 != 0) f[$1]++; t++ }
        END { for (k in n) printf "#   %-20s %7d%s\n", k, n[k], (f[k] ? sprintf("  (%d exited non-zero)", f[k]) : "")
              printf "#   %-20s %7d\n", "total", t }' "$SOAK/ops" | sort
if [ ${#leaks[@]} -eq 0 ]; then
        echo "# leaked: nothing"
else
        printf '# leaked: %s\n' "${leaks[@]}"
fi
done_testing
