# Shared by the tests that run real sandboxes (test-sandbox.sh,
# test-sandbox-forking.sh, test-sandbox-persistence.sh, test-leaks.sh); sourced after
# tap.sh, with PREFIX set to a name unique to the script and run.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
# debug output would add lines to the messages checked
unset SANDBOX_DEBUG

STATE=$TMP/state
NAMES=()
BG_PIDS=()
RUN_SANDBOX_EXISTED=no
[ -e /run/sandbox ] && RUN_SANDBOX_EXISTED=yes

# mounts_under DIR: the mount points at or below DIR, deepest first
mounts_under() {
        awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# safe_remove DIR: removes DIR, but never through a mount left on or
# below it (a leaked bind of the host's / would be deleted otherwise)
safe_remove() {
        local d=$1 m
        [ -e "$d" ] || return 0
        for m in $(mounts_under "$d"); do
                umount -l "$m" 2>/dev/null
        done
        if [ -n "$(mounts_under "$d")" ]; then
                echo "# not removing $d: something is still mounted below it"
                return
        fi
        rm -rf --one-file-system "$d"
}

# ident PID: "PID:START-TIME", which a later process with the same PID
# does not share
ident() {
        local s
        s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
        s=${s##*) }
        set -- "$1" $s
        echo "$1:${21}"
}

# remove_sandbox_dirs: the /run/sandbox/NAME of every name of this run,
# and /run/sandbox itself when this run made it; then $TMP
remove_sandbox_dirs() {
        local n
        for n in "${NAMES[@]}"; do
                safe_remove "/run/sandbox/$n"
        done
        [ "$RUN_SANDBOX_EXISTED" = yes ] || rmdir /run/sandbox 2>/dev/null
        safe_remove "$TMP"
}

# host_overlay DIR: in a test's private mount namespace (private-ns.sh),
# the test's /etc and /var become overlays on the host's with their upper
# layers in DIR, so that whatever a sandbox (or a broken helper) writes
# there never reaches the real files; those stay visible, for checks, at
# $REAL_ETC and $REAL_VAR (binds below DIR). Skips the whole test where
# that cannot be done.
host_overlay() {
        local d
        for d in etc var; do
                mkdir -p "$1/real-$d" "$1/$d-up" "$1/$d-work"
                if ! mount --bind "/$d" "$1/real-$d" ||
                        ! mount -t overlay overlay -o "lowerdir=/$d,upperdir=$1/$d-up,workdir=$1/$d-work" "/$d"; then
                        echo "1..0 # SKIP cannot put a test /etc and /var over the host's here"
                        exit 0
                fi
        done
        REAL_ETC=$1/real-etc
        REAL_VAR=$1/real-var
}

# With TEST_OVERLAYS=attached (test-state-disk-attached.sh,
# test-fault-walk-capped-attached.sh): $HELPER becomes a wrapper, in
# $TMP, that starts the helper with SANDBOX_FAULT_OVERLAYS=attached, also
# under "sandboxctl run" (SANDBOX_HELPER), which passes no environment of
# its caller on: a capped state's overlays are made as where the kernel
# takes no layer on a detached mount (before Linux 6.15). Skips the whole
# test without fault injection in the build.
overlays_attached_helper() {
        [ "${TEST_OVERLAYS:-}" = attached ] || return 0
        if SANDBOX_FAULT_OVERLAYS=malformed "$HELPER" --name=x --dry-run -- /bin/true >/dev/null 2>&1; then
                echo "1..0 # SKIP the helper is built without fault injection (meson configure -Dfault-injection=true)"
                exit 0
        fi
        printf '#!/bin/sh\nSANDBOX_FAULT_OVERLAYS=attached exec \x27%s\x27 "$@"\n' "$HELPER" >"$TMP/helper-attached"
        chmod 0755 "$TMP/helper-attached"
        HELPER=$TMP/helper-attached
}

# name LABEL: sets n to a sandbox name of this run, remembered for the
# clean-up
name() {
        n=$PREFIX-$1
        NAMES+=("$n")
}

# profile_run NAME SECURITY -- COMMAND...: writes a profile NAME whose
# <security> holds SECURITY (host /etc, tmpfs /var), and runs COMMAND in
# its sandbox with "sandboxctl run", so that the compiled options reach
# the helper; its output (both streams) in $out
profile_run() {
        local n=$1 security=$2
        shift 3
        mkdir -p "$TMP/profiles"
        cat >"$TMP/profiles/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <security>$security</security>
</sandbox>
EOF
        out=$(SANDBOX_PROFILE_PATH=$TMP/profiles SANDBOX_HELPER=$HELPER timeout 60 \
                "$SANDBOXCTL" run --state-root="$STATE" "$n" -- "$@" 2>&1)
}

# sb NAME OPTIONS... -- COMMAND...: runs the helper in the foreground with a
# time limit; the status is in $rc, the output in $TMP/out and $TMP/err
sb() {
        local n=$1
        shift
        timeout -k 5 60 "$HELPER" --name="$n" --state-root="$STATE" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}

# sb_bg NAME OPTIONS... -- COMMAND...: starts the helper in the
# background; its PID is in $bg, its output in $TMP/NAME.out and .err.
# SIGINT and SIGQUIT get back the default disposition that bash takes
# away from background commands, as a service manager would give them.
sb_bg() {
        local n=$1
        shift
        env --default-signal=INT,QUIT "$HELPER" --name="$n" --state-root="$STATE" "$@" </dev/null >"$TMP/$n.out" 2>"$TMP/$n.err" &
        bg=$!
        BG_PIDS+=("$(ident "$bg")")
}

# wait_for FILE [SECONDS]: waits until FILE exists
wait_for() {
        local i limit=$(( ${2:-20} * 20 ))
        for ((i = 0; i < limit; i++)); do
                [ -e "$1" ] && return 0
                sleep 0.05
        done
        return 1
}

# reap PID [SECONDS]: waits for a background helper to end and sets rc to
# its status; one that hangs is killed (and the status says so)
reap() {
        local pid=$1 i limit=$(( ${2:-30} * 20 )) s
        for ((i = 0; i < limit; i++)); do
                s=$(cat "/proc/$pid/stat" 2>/dev/null) || break
                s=${s##*) }
                [ "${s%% *}" = Z ] && break
                sleep 0.05
        done
        if [ "$i" -ge "$limit" ]; then
                diag "helper $pid still running after ${2:-30} s; killed"
                kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
        rc=$?
}

# kill_bg_helpers: for the clean-up, the helpers sb_bg started that
# still run, by PID and start time
kill_bg_helpers() {
        local p
        for p in "${BG_PIDS[@]}"; do
                [ "$(ident "${p%:*}")" = "$p" ] && kill -KILL "${p%:*}" 2>/dev/null
        done
}
