# Shared by the user namespace tests (test-userns-identity.sh,
# test-userns-private.sh): a sandbox run in the background by timeout(1),
# its processes found and ended; a directory to share with it. Sourced
# after escape-lib.sh.

BACKGROUND=

# SHARE, bound into the sandboxes at /run/share: the probe, and a file
# of another user's (OTHER), readable by its owner alone
OTHER=4242 # a user and group of nobody's here: the owner of a host file
SVC=4343   # the service's user and group, for the runs that need one
SHARE=$TMP/share
mkdir -p "$SHARE"
chmod 0755 "$SHARE"
install -m 0755 "$BIN/userns-identity" "$SHARE/probe"
printf 'another user'\''s\n' >"$SHARE/other"
chown "$OTHER:$OTHER" "$SHARE/other"
chmod 0600 "$SHARE/other"

# first_child PID: PID's first child, or nothing
first_child() {
        awk '{ print $1 }' "/proc/$1/task/$1/children" 2>/dev/null
}

# wait_service PID: the helper that timeout(1) at PID runs, its init's
# child has executed the service; sets INIT and MAIN (host PIDs)
wait_service() {
        local helper i
        INIT= MAIN=
        for i in $(seq 100); do
                helper=$(first_child "$1")
                [ -n "$helper" ] && INIT=$(first_child "$helper")
                [ -n "$INIT" ] && MAIN=$(first_child "$INIT")
                if [ -n "$MAIN" ] && [ "$(readlink "/proc/$MAIN/exe")" != "$(readlink "/proc/$INIT/exe")" ]; then
                        return 0
                fi
                sleep 0.1
        done
        return 1
}

stop_background() {
        [ -n "$BACKGROUND" ] || return 0
        kill "$BACKGROUND" 2>/dev/null
        wait "$BACKGROUND" 2>/dev/null
        BACKGROUND=
}

# signal_attempt UID COMMAND...: a sandbox of HELPER_ARGS whose service (the
# probe at /run/share/probe, SHARE on the host) waits for a PID in
# SHARE/go and tries to signal it; COMMAND is started by the test in the
# sandbox's PID namespace (not in its user namespace) and its PID given;
# it must run as UID.
# Sets RC (the probe's status), SLEEPER (COMMAND's host PID) and BAD;
# the probe's report is in TMP/out. Ends the sandbox and COMMAND after.
signal_attempt() {
        local i inside sleep_pid uid=$1
        shift
        rm -f "$SHARE/go" "$SHARE/done"
        timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sh -c \
                'while [ ! -s /run/share/go ]; do sleep 0.05; done; /run/share/probe "kill:$(cat /run/share/go)"
                 echo $? >/run/share/done.new && mv /run/share/done.new /run/share/done && exec sleep 60' \
                >"$TMP/out" 2>"$TMP/err" &
        BACKGROUND=$!
        RC=1
        SLEEPER=
        if ! wait_service "$BACKGROUND"; then
                BAD+=("the service did not start: $(cat "$TMP/err")")
                stop_background
                return
        fi
        nsenter --target "$INIT" --pid -- "$@" &
        sleep_pid=$!
        for i in $(seq 50); do
                SLEEPER=$(first_child "$sleep_pid")
                [ -n "$SLEEPER" ] && break
                sleep 0.1
        done
        inside=$(awk '$1 == "NSpid:" { print $NF }' "/proc/$SLEEPER/status" 2>/dev/null)
        echo "$inside" >"$SHARE/go.new" && mv "$SHARE/go.new" "$SHARE/go"
        for i in $(seq 100); do
                [ -s "$SHARE/done" ] && break
                sleep 0.1
        done
        [ -s "$SHARE/done" ] && RC=$(cat "$SHARE/done")
        host "the process is still there" alive "$SLEEPER"
        host "it runs as $uid" test "$(stat -c %u "/proc/$SLEEPER" 2>&1)" = "$uid"
        stop_background
        # the end of the sandbox's PID namespace has ended COMMAND too
        kill "$sleep_pid" 2>/dev/null
        wait "$sleep_pid" 2>/dev/null
        return 0
}
