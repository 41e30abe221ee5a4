#!/usr/bin/env bash
# Nothing of a sandbox outlives it: the caller's mount table (mount
# points, sources, options) is the same before and after every run, and
# the helper and everything it started are gone, whether the service
# ends by itself, is killed, the helper is killed, or the set-up fails
# half-way. Needs root; everything it writes is under $TMP.
. "$(dirname "$0")/../tap.sh"


# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbleak$$
. "$(dirname "$0")/lib.sh"
BG_PIDS=()

cleanup() {
        local p n
        # only what this script started, by PID (and start time)
        for p in "${BG_PIDS[@]}"; do
                alive "$p" && kill -KILL "${p%:*}" 2>/dev/null
        done
        remove_sandbox_dirs
}
trap cleanup EXIT

# name LABEL: sets n as lib.sh's name does, and makes $TMP/LABEL
# (in $dir) for the files the service and the test exchange: "ready" from
# the service, the FIFO "go" from the test
name() {
        n=$PREFIX-$1
        NAMES+=("$n")
        dir=$TMP/$1
        mkdir -p "$dir"
        mkfifo "$dir/go"
}

# release: lets the service of the last name end (it reads "go"); gives up
# after 10 s when nothing reads
release() {
        timeout 10 /bin/sh -c 'echo go >"$1"' sh "$dir/go"
}

# marked NAME: the PIDs of the processes that carry the mark of NAME in
# their environment: the helper, what it execs and the service inherit it
marked() {
        local pid
        # an ended process that the machine's init has not reaped yet (the
        # run lock's keeper ends just after the helper) holds nothing
        for pid in $(grep -lzx "SANDBOX_TEST_MARK=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
                [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = Z ] || echo "$pid"
        done
}

# mounts: this namespace's mount table, for before and after
mounts() {
        cat /proc/self/mountinfo
}

# same_mounts DESCRIPTION BEFORE: one assertion that the mount table is
# still BEFORE
same_mounts() {
        check_eq "$1" "$(diff <(echo "$2") <(mounts))" ""
}

# alive PID:START-TIME: that very process still exists (a zombie counts)
alive() {
        [ "$(ident "${1%:*}")" = "$1" ]
}

# tree PID: the idents of PID and of all its descendants
tree() {
        local c
        ident "$1"
        for c in $(pgrep -P "$1"); do
                tree "$c"
        done
}

# left_after SECONDS IDENT...: prints those of the processes still there
# after waiting up to SECONDS for all of them to go
left_after() {
        local limit=$(( $1 * 20 )) i p left
        shift
        for ((i = 0; i < limit; i++)); do
                left=
                for p in "$@"; do
                        alive "$p" && left="$left $p"
                done
                [ -z "$left" ] && return 0
                sleep 0.05
        done
        echo "$left"
}

# sandbox_pid1 IDENT...: the one whose PID in its own namespace is 1
sandbox_pid1() {
        local p
        for p in "$@"; do
                [ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/${p%:*}/status" 2>/dev/null)" = 1 ] && echo "$p" && return
        done
}

# start_bg NAME OPTIONS... -- COMMAND...: the helper in the background;
# its PID in $h, its stderr in $TMP/err
start_bg() {
        local n=$1
        shift
        SANDBOX_TEST_MARK=$n "$HELPER" --name="$n" --state-root="$STATE" "$@" </dev/null >"$TMP/out" 2>"$TMP/err" &
        h=$!
        BG_PIDS+=("$(ident "$h")")
}

# reap PID: waits (at most 30 s) for the background helper PID and sets rc
# to its status; one that hangs is killed and the status says so
reap() {
        local i s
        for ((i = 0; i < 600; i++)); do
                s=$(cat "/proc/$1/stat" 2>/dev/null) || break
                s=${s##*) }
                [ "${s%% *}" = Z ] && break
                sleep 0.05
        done
        [ "$i" -lt 600 ] || { diag "helper $1 hung; killed"; kill -KILL "$1"; }
        wait "$1" 2>/dev/null
        rc=$?
}

# wait_for FILE: waits (at most 20 s) until FILE exists
wait_for() {
        local i
        for ((i = 0; i < 400; i++)); do
                [ -e "$1" ] && return 0
                sleep 0.05
        done
        return 1
}

# The service of the background cases: a child of its own that would
# outlive it, then "ready", then it waits for "go" (without a process
# coming and going meanwhile).
SERVICE='/bin/sleep 1000 & echo ready >/srv/ready; read x </srv/go'

# running NAME: after start_bg, waits for the service and collects
# the processes: all in $procs, the in-sandbox PID 1 in $pid1, the
# service (PID 1's child) in $service; fails when the service never came
running() {
        if ! wait_for "$dir/ready"; then
                diag "$1: the service did not start" "$(cat "$TMP/err")"
                return 1
        fi
        # the service's child may still be on its way
        sleep 0.2
        procs=$(tree "$h")
        pid1=$(sandbox_pid1 $procs)
        service=
        [ -n "$pid1" ] && service=$(pgrep -P "${pid1%:*}" | head -n 1)
        return 0
}

# ---------------------------------------------------------------------------
# the service ends by itself

name normal
before=$(mounts)
start_bg "$n" --bind="$dir":/srv -- /bin/sh -c "$SERVICE"
if running "$n"; then
        check "normal exit: the helper runs a PID 1 and the service (found $(echo $procs | wc -w) processes)" \
                [ -n "$pid1" -a -n "$service" ]
        release
        reap "$h"
        check_eq "normal exit: status 0" "$rc" 0
        check_eq "normal exit: no process left (the service's own child neither)" "$(left_after 5 $procs)" ""
        check_eq "normal exit: no process with the sandbox's mark left" "$(marked "$n")" ""
else
        reap "$h"
        not_ok "normal exit: the helper runs a PID 1 and the service"
        not_ok "normal exit: status 0"
        not_ok "normal exit: no process left (the service's own child neither)"
        not_ok "normal exit: no process with the sandbox's mark left"
fi
same_mounts "normal exit: the mount table is unchanged" "$before"

# ---------------------------------------------------------------------------
# the service killed from outside with SIGKILL

name kill-service
before=$(mounts)
start_bg "$n" --bind="$dir":/srv -- /bin/sh -c "$SERVICE"
if running "$n" && [ -n "$service" ]; then
        kill -KILL "$service"
        reap "$h"
        check_eq "service killed: the helper exits 137 (128 + SIGKILL)" "$rc" 137
        check_eq "service killed: no process left" "$(left_after 5 $procs)" ""
        check_eq "service killed: no process with the sandbox's mark left" "$(marked "$n")" ""
else
        reap "$h"
        not_ok "service killed: the helper exits 137 (128 + SIGKILL)"
        not_ok "service killed: no process left"
        not_ok "service killed: no process with the sandbox's mark left"
        diag "no service process found under the helper's PID 1: $procs"
fi
same_mounts "service killed: the mount table is unchanged" "$before"

# ---------------------------------------------------------------------------
# the helper killed from outside with SIGKILL

name kill-helper
before=$(mounts)
start_bg "$n" --bind="$dir":/srv -- /bin/sh -c "$SERVICE"
if running "$n"; then
        # (without bash's "Killed" report of its job on stderr)
        { kill -KILL "$h"; reap "$h"; } 2>/dev/null
        check_eq "helper killed: no process left (PID 1, the service, its child)" "$(left_after 5 $procs)" ""
        check_eq "helper killed: no process with the sandbox's mark left" "$(marked "$n")" ""
else
        reap "$h"
        not_ok "helper killed: no process left (PID 1, the service, its child)"
        not_ok "helper killed: no process with the sandbox's mark left"
fi
same_mounts "helper killed: the mount table is unchanged" "$before"
# the killed helper's lock must not keep the name from starting again
timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
check_eq "helper killed: the same name starts again" "$?" 0

# the helper's process 1 in the sandbox, when it is another process
name kill-pid1
before=$(mounts)
start_bg "$n" --bind="$dir":/srv -- /bin/sh -c "$SERVICE"
if running "$n" && [ -n "$pid1" ] && [ "${pid1%:*}" != "$h" ]; then
        { kill -KILL "${pid1%:*}"; reap "$h"; } 2>/dev/null
        check "helper's PID 1 killed: the helper fails (a status other than 0)" [ "$rc" -ne 0 ]
        check_eq "helper's PID 1 killed: no process left" "$(left_after 5 $procs)" ""
        check_eq "helper's PID 1 killed: no process with the sandbox's mark left" "$(marked "$n")" ""
        same_mounts "helper's PID 1 killed: the mount table is unchanged" "$before"
elif [ -n "$pid1" ]; then
        release
        reap "$h"
        for what in "the helper fails" "no process left" "no process with the sandbox's mark left" \
                "the mount table is unchanged"; do
                skip "helper's PID 1 killed: $what" "the helper is itself the sandbox's PID 1"
        done
else
        reap "$h"
        for what in "the helper fails" "no process left" "no process with the sandbox's mark left" \
                "the mount table is unchanged"; do
                not_ok "helper's PID 1 killed: $what"
        done
        diag "no process with PID 1 in its namespace under the helper: $procs"
fi

# ---------------------------------------------------------------------------
# a mount made inside with CAP_SYS_ADMIN stays inside

name inner-mount
before=$(mounts)
# (the default system call filter denies @mount, and the default Landlock
# domain every mount: both allowed back here)
timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" --keep-caps=CAP_SYS_ADMIN --seccomp-allow=@mount \
        --landlock-default=no -- /bin/sh -c 'mount -t tmpfs -o size=1M sandbox-inner /media && grep -c sandbox-inner /proc/self/mountinfo' \
        </dev/null >"$TMP/out" 2>"$TMP/err"
check_eq "inner mount: the service mounts a tmpfs on /media" "$? $(cat "$TMP/out")" "0 1"
same_mounts "inner mount: the mount table is unchanged" "$before"

# ---------------------------------------------------------------------------
# set-up failing half-way: status 125, nothing left

# fails LABEL DESCRIPTION WANT OPTIONS... -- COMMAND...: one failing run
# with its assertions (status, mounts, processes)
fails() {
        local label=$1 what=$2 want=$3
        shift 3
        name "$label"
        before=$(mounts)
        SANDBOX_TEST_MARK=$n timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" "$@" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        check_eq "set-up fails ($what): status $want" "$?" "$want"
        same_mounts "set-up fails ($what): the mount table is unchanged" "$before"
        check_eq "set-up fails ($what): no process of the sandbox left" "$(marked "$n")" ""
}

mkdir -p "$TMP/ok"
fails bind-missing "--bind of a missing source" 125 \
        --bind="$TMP/missing":/srv -- /bin/true
fails tmpfs-readonly "--tmpfs under a missing directory of the read-only root" 125 \
        --tmpfs=/usr/"$PREFIX"-missing/x:1M: -- /bin/true
check "set-up fails: nothing was made in the host's /usr" [ ! -e /usr/"$PREFIX"-missing ]
fails after-mounts "a missing source after other mounts" 125 \
        --bind="$TMP/ok":/srv --tmpfs=/media:1M: --bind-ro="$TMP/ok":/opt --bind="$TMP/missing":/home -- /bin/true
fails user "an unknown --user, after pivot_root" 125 \
        --user=no-such-user-$$ -- /bin/true
fails workdir "a missing --workdir, the last step" 125 \
        --workdir=/no-such-dir-$$ -- /bin/true
fails command "a command that does not exist (127)" 127 \
        -- /no-such-command-$$

# a second start of a running name is refused and takes nothing with it
name locked
start_bg "$n" --bind="$dir":/srv -- /bin/sh -c "$SERVICE"
if running "$n"; then
        before=$(mounts)
        timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" -- /bin/true </dev/null >"$TMP/out2" 2>"$TMP/err2"
        check_eq "locked: the second start exits 125" "$?" 125
        same_mounts "locked: the mount table is unchanged" "$before"
        gone=
        for p in $procs; do
                alive "$p" || gone="$gone $p"
        done
        check_eq "locked: the first sandbox's processes all still run" "$gone" ""
        release
        reap "$h"
        check_eq "locked: the first sandbox ends normally (status 0)" "$rc" 0
else
        reap "$h"
        for what in "the second start exits 125" "the mount table is unchanged" \
                "the first sandbox still runs" "the first sandbox ends normally (status 0)"; do
                not_ok "locked: $what"
        done
fi

# ---------------------------------------------------------------------------
# propagation: in a namespace whose / is shared (as under systemd), the
# sandbox's mounts must not propagate back. The namespace is first made
# private, so that the host is not its peer, then shared.

cat >"$TMP/shared.sh" <<'EOF'
#!/usr/bin/env bash
set -u
T=$1 HELPER=$2 STATE=$3 n=$4
mount --make-rshared / || exit 99
cat /proc/self/mountinfo >"$T/shared-before"
timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" --keep-caps=CAP_SYS_ADMIN --seccomp-allow=@mount \
        --landlock-default=no -- /bin/sh -c 'mount -t tmpfs -o size=1M sandbox-inner /media' </dev/null >"$T/shared.out" 2>&1
echo $? >"$T/shared-1.rc"
cat /proc/self/mountinfo >"$T/shared-after-1"
timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" --bind="$T/missing":/srv -- /bin/true \
        </dev/null >>"$T/shared.out" 2>&1
echo $? >"$T/shared-2.rc"
cat /proc/self/mountinfo >"$T/shared-after-2"
EOF
name shared
unshare -m --propagation private bash "$TMP/shared.sh" "$TMP" "$HELPER" "$STATE" "$n"
if [ $? -eq 99 ]; then
        for what in "a run that mounts inside (status 0)" "the mount table is unchanged after it" \
                "a failing run (status 125)" "the mount table is unchanged after it"; do
                skip "shared propagation: $what" "cannot make a shared namespace here"
        done
else
        check_eq "shared propagation: a run that mounts inside (status 0)" "$(cat "$TMP/shared-1.rc")" 0
        check_eq "shared propagation: the mount table is unchanged after it" \
                "$(diff "$TMP/shared-before" "$TMP/shared-after-1")" ""
        check_eq "shared propagation: a failing run (status 125)" "$(cat "$TMP/shared-2.rc")" 125
        check_eq "shared propagation: the mount table is unchanged after it" \
                "$(diff "$TMP/shared-before" "$TMP/shared-after-2")" ""
fi

done_testing
