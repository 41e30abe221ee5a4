#!/usr/bin/env bash
# <user-namespace mode="identity"/> (--user-namespace=identity), systemd's
# PrivateUsers=yes, from inside the sandbox and checked from the host:
# the maps are the identity ones (root, the service's user, group and
# supplementary groups, nothing else); a host file of another owner is
# the overflow ID inside, and the capabilities kept are the namespace's:
# root with CAP_DAC_OVERRIDE cannot read that file, with CAP_KILL cannot
# signal a process of another user the test started in the sandbox's PID
# namespace, with CAP_NET_BIND_SERVICE cannot bind a port below 1024 on
# the host's network, with CAP_SYS_ADMIN cannot make a nested user
# namespace (the default seccomp filter). What the service writes in its
# /var overlay is its real user's on the host; a command joined to the
# sandbox is in the same user namespace.
. "$(dirname "$0")/../escape-lib.sh"
. "$(dirname "$0")/userns-wait.sh"

ADM=$(getent group adm | cut -d: -f3)
[ -n "$ADM" ] || ADM=4
PORT=$((600 + RANDOM % 400))
IDENTITY=(--user-namespace=identity --bind="$SHARE:/run/share" --network=host)
ROOT_CAPS=--keep-caps=CAP_KILL,CAP_DAC_OVERRIDE,CAP_NET_BIND_SERVICE,CAP_SYS_ADMIN

# the probe's own report on the host: the kernel's maps, outside
[ "$(outside userns-identity uid_map maps)" = 0-0-4294967295 ] ||
        diag "the host's own uid_map is not the whole range: this test runs in a user namespace already"

HELPER_ARGS=("${IDENTITY[@]}" "$ROOT_CAPS" --supplementary-groups=adm)
begin "root with capabilities: the identity maps, root and the groups given, nothing else"
in_sandbox userns-identity maps
want uid_map "0-0-1"
want gid_map "0-0-1,$ADM-$ADM-1"
host "the host's user namespace is not the service's" \
        test "$(awk '$1 == "userns" { print $2 }' "$TMP/out")" != "$(stat -L -c %i /proc/self/ns/user)"
finish

begin "root with CAP_DAC_OVERRIDE: a host file of another owner is 65534:65534, and unreadable"
in_sandbox userns-identity stat:/run/share/other
want owner "65534:65534"
want read EACCES
finish

HELPER_ARGS=(--bind="$SHARE:/run/share" --network=host "$ROOT_CAPS")
begin "... while without the user namespace, the same root reads it as its owner's"
in_sandbox userns-identity stat:/run/share/other
want owner "$OTHER:$OTHER"
want read ok
finish

HELPER_ARGS=("${IDENTITY[@]}" "$ROOT_CAPS")
begin "root with CAP_NET_BIND_SERVICE: no port below 1024 ($PORT) on the host's network"
in_sandbox userns-identity "bind:$PORT"
want bind-low EACCES
finish

begin "root with CAP_SYS_ADMIN: no nested user namespace, by unshare() or clone()"
in_sandbox userns-identity unshare
want unshare-user EPERM
want clone-user EPERM
finish

# A process of another user's, started by the test in the sandbox's PID
# namespace (so that the service can name it), but not in its user
# namespace: the service, root with CAP_KILL, waits until it is told
# the PID, tries, says it has, and stays while the host looks. The
# default Landlock domain, which keeps signals inside the sandbox's
# processes, is left out: what refuses here is the user namespace.
HELPER_ARGS=("${IDENTITY[@]}" "$ROOT_CAPS" --landlock-default=no)
begin "root with CAP_KILL: a process of another user's in its PID namespace, not in its user namespace, cannot be signalled"
signal_attempt "$OTHER" setpriv --reuid="$OTHER" --regid="$OTHER" --clear-groups /bin/sleep 60
want kill-0 EPERM
want kill-term EPERM
finish

# process 1 stays in the host's user namespace: a root service that
# keeps CAP_SYS_PTRACE, with the filter's and Landlock's refusals of
# ptrace() lifted, could trace it without the namespace (the probe's
# attach then leaves process 1 stopped, so that is not run here), not
# with it
TRACER=(--keep-caps=CAP_SYS_PTRACE --seccomp-allow=ptrace --seccomp-allow=process_vm_writev --landlock-default=no)
HELPER_ARGS=("${IDENTITY[@]}" "${TRACER[@]}")
begin "root with CAP_SYS_PTRACE: process 1, in the host's user namespace, cannot be traced nor its memory written"
in_sandbox ptrace-init
want ptrace-attach EPERM
want ptrace-seize EPERM
want open-mem EACCES
want vm-writev EPERM
finish
HELPER_ARGS=("${IDENTITY[@]}" --user="$SVC" --group="$SVC" --keep-caps=CAP_KILL)
begin "a user of its own: the identity maps are root and that user and group"
in_sandbox userns-identity maps "write:/var/tmp/userns-$TOKEN"
want uid_map "0-0-1,$SVC-$SVC-1"
want gid_map "0-0-1,$SVC-$SVC-1"
want write ok
host "the file it wrote in its /var overlay is its real user's and group's on the host" \
        test "$(stat -c %u:%g "$STATE/$NAME/var/upper/tmp/userns-$TOKEN" 2>&1)" = "$SVC:$SVC"
finish

begin "a pre-start command runs in the service's user namespace, with its maps"
HELPER_ARGS=("${IDENTITY[@]}" --user="$SVC" --group="$SVC"
        "--exec-start-pre=/bin/sh:-c:echo pre-userns \$(stat -L -c %i /proc/self/ns/user); exec /run/share/probe maps")
run_helper /bin/sh -c 'echo service-userns $(stat -L -c %i /proc/self/ns/user)'
PRE=$(awk '$1 == "pre-userns" { print $2 }' "$TMP/out")
want uid_map "0-0-1,$SVC-$SVC-1"
want gid_map "0-0-1,$SVC-$SVC-1"
host "the same namespace as the service's" test -n "$PRE" -a "$PRE" = "$(awk '$1 == "service-userns" { print $2 }' "$TMP/out")"
host "not the host's" test "$PRE" != "$(stat -L -c %i /proc/self/ns/user)"
finish

HELPER_ARGS=("${IDENTITY[@]}" --user="$SVC" --group="$SVC" --keep-caps=CAP_KILL)
begin "more groups than a map takes: the start fails (125), saying so, and does not wait"
HELPER_ARGS=("${IDENTITY[@]}" --user="$SVC" --group="$SVC" --supplementary-groups="$(seq 100000 100400 | paste -sd,)")
run_helper /bin/true
EXPECT_RC=125
host "the message says why" grep -q "gid_map: too many IDs to map" "$TMP/err"
finish

HELPER_ARGS=("${IDENTITY[@]}" --user="$SVC" --group="$SVC" --keep-caps=CAP_KILL)
# a command joined to the running sandbox
timeout -k 5 60 "$HELPER" --name="$NAME" --state-root="$STATE" "${HELPER_ARGS[@]}" -- /bin/sleep 60 \
        >"$TMP/service.out" 2>"$TMP/service.err" &
BACKGROUND=$!
begin "a joined command: the service's user namespace, the same maps"
if wait_service "$BACKGROUND"; then
        SERVICE_NS=$(stat -L -c %i "/proc/$MAIN/ns/user")
        timeout -k 5 60 "$HELPER" --join="$NAME" -- "${SHIP[@]}" maps <"$BIN/userns-identity" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        want uid_map "0-0-1,$SVC-$SVC-1"
        want gid_map "0-0-1,$SVC-$SVC-1"
        want userns "$SERVICE_NS"
        host "the service's namespace is not the host's" test "$SERVICE_NS" != "$(stat -L -c %i /proc/self/ns/user)"
        host "the service's uid_map is the identity one" \
                test "$(awk '{ printf "%s%s-%s-%s", (NR > 1 ? "," : ""), $1, $2, $3 }' "/proc/$MAIN/uid_map")" = "0-0-1,$SVC-$SVC-1"
else
        RC=1
        BAD+=("the service did not start: $(cat "$TMP/service.err")")
fi
finish
stop_background

mount_table_unchanged
done_testing
