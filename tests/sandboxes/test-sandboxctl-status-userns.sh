#!/usr/bin/env bash
# sandboxctl status, status --json and list --json of a sandbox running
# with <user-namespace mode="private"/>: the users line shows the maps
# the kernel gives its service, "0 BASE 65536" for UIDs and GIDs, the
# range line BASE-END, the same BASE as the record in its state
# (STATE_ROOT/NAME/userns) and as /proc/PID/uid_map read here; the JSON
# carries mode, base, size and the maps. Once stopped, the range stays
# shown from the record, the maps gone. Skipped where the helper refuses
# --user-namespace=private. Needs root. Everything is under $TMP, but
# /run/sandbox/NAME for this run's own names.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
if ! "${HELPER:-$BUILD_ROOT/helper/sandbox-helper}" --name=x --dry-run --user-namespace=private -- /bin/true >/dev/null 2>&1; then
        echo "1..0 # SKIP this sandbox-helper refuses --user-namespace=private"
        exit 0
fi
# in a mount namespace of its own (it mounts below the state), before
# anything is made
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

# unique per run, so that two runs of the suite do not share a lock
PREFIX=sbstatusns$$
. "$(dirname "$0")/lib.sh"
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

BACKGROUND=()
cleanup() {
        local pid
        for pid in "${BACKGROUND[@]}"; do
                kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
        done
        remove_sandbox_dirs
}
trap cleanup EXIT

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
# no systemd manager on this bus: the unit is unknown, wherever this runs
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus

# ctl ARG...: sandboxctl; status in $rc, output in $TMP/out and $TMP/err
ctl() {
        timeout -k 5 60 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
# line WORD: the value of the line "WORD: ..." of the last text output
line() {
        sed -n "s/^ *$1: //p" "$TMP/out"
}
# json_field FILE EXPRESSION: a value of sandboxctl's JSON, printed by
# Python (None for null)
json_field() {
        "$PYTHON" -c 'import json, sys; o = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

name private
A=$n
cat >"$PROFILES/$A.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox name="$A">
  <exec><arg>/bin/sleep</arg><arg>300</arg></exec>
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
  </filesystem>
  <user-namespace mode="private"/>
</sandbox>
EOF
"$SANDBOXCTL" run --state-root="$STATE" "$A" </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
bg=$!
BACKGROUND+=("$bg")
service=
for ((i = 0; i < 200; i++)); do
        if [ "$(cat "/run/sandbox/$A/lock" 2>/dev/null)" = "$bg" ]; then
                init=$(for c in $(cat "/proc/$bg/task/$bg/children" 2>/dev/null); do
                        [ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/$c/status")" = 1 ] && echo "$c"
                done)
                service=$(cat "/proc/$init/task/$init/children" 2>/dev/null)
                service=${service% }
                [ -n "$service" ] && [ "$(cat "/proc/$service/comm" 2>/dev/null)" = sleep ] && break
        fi
        kill -0 "$bg" 2>/dev/null || break
        sleep 0.05
done
if [ -n "$service" ] && [ -s "$STATE/$A/userns" ]; then
        ok "the sandbox runs, and its range is recorded in its state"
else
        not_ok "the sandbox runs, and its range is recorded in its state"
        diag "$(cat "$TMP/bg.err")"
        done_testing
        exit
fi
read -r BASE SIZE RSTATE <"$STATE/$A/userns"
diag "the record: $BASE $SIZE $RSTATE"
check_eq "the record: 65536 IDs, ready" "$SIZE $RSTATE" "65536 ready"
# read here, independently of sandboxctl
check_eq "the kernel's uid_map of the service is the range" "$(awk '{ print $1, $2, $3 }' "/proc/$service/uid_map")" \
        "0 $BASE 65536"
check_eq "... and its gid_map" "$(awk '{ print $1, $2, $3 }' "/proc/$service/gid_map")" "0 $BASE 65536"

ctl status --state-root="$STATE" "$A"
check_eq "status of a running sandbox with the mode: exit status 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
check_eq "status: the users line, the maps" "$(line users)" \
        "a user namespace of its own: uid_map 0 $BASE 65536; gid_map 0 $BASE 65536"
check_eq "status: the range line, first and last ID" "$(line range)" "$BASE-$((BASE + 65535)) (private)"
ctl status --json --state-root="$STATE" "$A"
check_eq "status --json: exit status 0" "$rc" 0
check_eq "status --json: user_namespace private, base, size, the maps" \
        "$(json_field "$TMP/out" 'o["user_namespace"]')" \
        "{'mode': 'private', 'base': $BASE, 'size': 65536, 'uid_map': '0 $BASE 65536', 'gid_map': '0 $BASE 65536'}"
# list reads the default state root: the range from the running service's maps
ctl list --json
check_eq "list --json: the running sandbox's user_namespace, from its service's maps" \
        "$(json_field "$TMP/out" '[e for e in o if e["name"] == "'"$A"'"][0]["user_namespace"]' 2>&1)" \
        "{'mode': 'private', 'base': $BASE, 'size': 65536, 'uid_map': '0 $BASE 65536', 'gid_map': '0 $BASE 65536'}"

kill -TERM "$bg"
wait "$bg" 2>/dev/null
ctl status --state-root="$STATE" "$A"
check_eq "stopped: exit status 3, no users line, the range still shown (its state is still its own)" \
        "$rc $(line users) $(line range)" "3  $BASE-$((BASE + 65535)) (private)"
ctl status --json --state-root="$STATE" "$A"
check_eq "stopped: status --json: the range, no maps" "$(json_field "$TMP/out" 'o["user_namespace"]')" \
        "{'mode': 'private', 'base': $BASE, 'size': 65536, 'uid_map': None, 'gid_map': None}"

done_testing
