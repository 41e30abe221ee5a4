#!/usr/bin/env bash
# <runtime-directory> and the helper's --runtime-dir: /run/NAME in the
# sandbox's own /run, the service's user's and group's with the mode
# asked for, the directories above it root's; nothing on the host's /run.
# Needs root.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbrundir$$
. "$(dirname "$0")/lib.sh"
trap remove_sandbox_dirs EXIT

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER
name dirs
cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/bin/true</arg></exec>
  <filesystem>
    <etc mode="host"/><var mode="tmpfs"/>
    <runtime-directory name="app/sockets" mode="2770"/>
    <runtime-directory name="other"/>
  </filesystem>
</sandbox>
EOF

out=$(timeout 60 "$SANDBOXCTL" run --state-root="$STATE" "$n" -- /bin/sh -c \
        'stat -c "%n %U %G %a" /run/app /run/app/sockets /run/other; touch /run/app/sockets/s && echo written' 2>&1)
check_eq "the directories, their owners and modes; the service writes there" "$out" "/run/app root root 755
/run/app/sockets nobody nogroup 2770
/run/other nobody nogroup 755
written"
check "nothing of them on the host's /run" [ ! -e /run/app/sockets/s ]
"$HELPER" --name="$n" --runtime-dir=../x:0755 -- /bin/true 2>"$TMP/err"
check "--runtime-dir with \"..\": refused before anything is built" grep -q -- '--runtime-dir=../x:0755: invalid value' "$TMP/err"
"$HELPER" --name="$n" --runtime-dir=x:999 -- /bin/true 2>"$TMP/err"
check "--runtime-dir with a bad mode: refused" grep -q 'invalid value' "$TMP/err"
"$HELPER" --name="$n" --runtime-dir=x:0755 --dry-run -- /bin/true >"$TMP/plan"
check "--dry-run shows it" grep -q 'runtime directory.*/run/x:0755' "$TMP/plan"

# a profile's bind below /run is not the sandbox's to chown: its source is
# the host's
mkdir -p "$TMP/hostdir"
chmod 0755 "$TMP/hostdir"
name bound
"$HELPER" --name="$n" --state-root="$STATE" --etc=host --var=tmpfs --user=nobody --group=nogroup \
        --bind="$TMP/hostdir:/run/app" --runtime-dir=app:0700 -- /bin/true </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "a runtime directory on a bind mount: refused (125)" "$rc" 125
check "... saying it is another mount" grep -q "runtime directory /run/app: app is another mount" "$TMP/err"
check_eq "... and the host's directory keeps its owner and mode" "$(stat -c '%U %a' "$TMP/hostdir")" "root 755"

done_testing
