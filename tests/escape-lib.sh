#!/usr/bin/env bash
# The escape tests' shared part, sourced by tests/escape/test-escape*.sh: skips
# where the helper or the probes cannot run, builds the probes of
# tests/escape/, and gives run_helper, in_sandbox, outside and the
# begin/want/host/finish assertions. A test sets HELPER_ARGS (an array)
# for a sandbox other than the default one. Everything is written under
# $TMP, plus /run/sandbox/NAME, removed at exit.
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
# debug output would mix with the probes' reports
unset SANDBOX_DEBUG

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
if ! command -v cc >/dev/null; then
        echo "1..0 # SKIP no C compiler (cc) to build the probes"
        exit 0
fi

# descriptors inherited from whoever started this script are not the
# helper's to close: close them here, so that a descriptor found open in
# the sandbox is one the helper leaked
for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && [ "$fd" -ne 255 ] && eval "exec $fd>&-"
done

PROBES=$SOURCE_ROOT/tests/escape
BIN=$TMP/bin
STATE=$TMP/state
# unique per run: the names of the sandboxes, and of everything an
# attempt would leave on the host if it got through
NAME=escape-$$
TOKEN=$$-$RANDOM
MARKER=/run/escape-marker-$TOKEN
NAMES=("$NAME" "$NAME-link" "$NAME-upper" "$NAME-self" "$NAME-preload")
RUN_SANDBOX_EXISTED=no
[ -e /run/sandbox ] && RUN_SANDBOX_EXISTED=yes
SLEEP_PID=
SHM_ID=
CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern)
DEV_NULL_MTIME=$(stat -c %Y /dev/null)
DEV_TTY_MTIME=$(stat -c %Y /dev/tty)

# mount_table: the host's mounts, as mount point, mount options, type,
# source and super-block options, sorted (ids left out: they are reused)
mount_table() {
        awk '{ for (i = 7; $i != "-"; i++) ; print $5, $6, $(i + 1), $(i + 2), $(i + 3) }' /proc/self/mountinfo | sort
}
mount_table >"$TMP/mounts.before"

# remove_rundir DIR: removes a sandbox's /run/sandbox/NAME, but never
# through something still mounted below it
remove_rundir() {
        local d=$1
        [ -e "$d" ] || return 0
        if awk -v d="$d" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
                echo "# not removing $d: something is still mounted below it"
                return
        fi
        rm -rf "$d"
}

cleanup() {
        local n
        # only the process this script started, by PID
        [ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null && wait "$SLEEP_PID" 2>/dev/null
        # the shared memory segment made on the host
        [ -n "$SHM_ID" ] && "$BIN/sysv-ipc" host-remove "$SHM_ID"
        # root's keyring is the host's: the key put there, and one that an
        # attempt that got through added
        if [ -x "$BIN/keyring" ]; then
                "$BIN/keyring" host-remove "escape-host-$TOKEN"
                "$BIN/keyring" host-remove "escape-in-$TOKEN"
        fi
        # what an attempt that got through changed on the host
        [ "$(cat /proc/sys/kernel/core_pattern)" = "$CORE_PATTERN" ] ||
                printf '%s\n' "$CORE_PATTERN" >/proc/sys/kernel/core_pattern
        [ "$(stat -c %Y /dev/null)" = "$DEV_NULL_MTIME" ] || touch -m -d "@$DEV_NULL_MTIME" /dev/null
        [ "$(stat -c %Y /dev/tty)" = "$DEV_TTY_MTIME" ] || touch -m -d "@$DEV_TTY_MTIME" /dev/tty
        if [ -f "$TMP/net.before" ] && ! grep -q '^198\.51\.100\.0/24 dev lo' "$TMP/net.before"; then
                ip -4 route del 198.51.100.0/24 dev lo 2>/dev/null
        fi
        rm -f "$MARKER"
        rm -f /escape-"$TOKEN" /usr/escape-"$TOKEN" /root/escape-"$TOKEN" /opt/escape-"$TOKEN" \
                /etc/escape-"$TOKEN" /var/tmp/escape-"$TOKEN" /dev/escape-"$TOKEN" "$SOURCE_ROOT/escape-$TOKEN"
        for n in "${NAMES[@]}"; do
                remove_rundir "/run/sandbox/$n"
        done
        [ "$RUN_SANDBOX_EXISTED" = no ] && rmdir /run/sandbox 2>/dev/null
        rm -rf "$TMP"
}
trap cleanup EXIT

# skip_attempt DESCRIPTION REASON: an attempt that cannot be made here
skip_attempt() {
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $1 # SKIP $2"
}

# Build the probes. They are shipped into the sandbox's own /tmp to run:
# $TMP need not be visible in there (below the host's /tmp, it is not).
mkdir -p "$BIN"
for c in "$PROBES"/*.c; do
        out=$BIN/$(basename "$c" .c)
        flags=()
        # not a program: the library planted as /etc/ld.so.preload
        [ "$(basename "$c")" = preload.c ] && out=$out.so && flags=(-shared -fPIC)
        if ! cc -std=gnu11 -O2 -Wall "${flags[@]}" -o "$out" "$c" 2>"$TMP/cc.log"; then
                echo "Bail out! cannot compile $c: $(head -n 5 "$TMP/cc.log")"
                exit 1
        fi
done

# the helper's options beyond --name and --state-root
HELPER_ARGS=()

# run_helper [NAME=...] COMMAND...: runs COMMAND in a sandbox (a default
# one, unless HELPER_ARGS says otherwise);
# sets RC, the command's output is in $TMP/out, the helper's in $TMP/err
run_helper() {
        local name=$NAME
        case $1 in NAME=*) name=${1#NAME=}; shift ;; esac
        timeout -k 5 60 "$HELPER" --name="$name" --state-root="$STATE" "${HELPER_ARGS[@]}" -- "$@" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}

# SHIP: the command that copies a probe from standard input into the
# sandbox's /tmp and runs it there with the arguments given after it
SHIP=(/bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe && exec /tmp/probe "$@"' probe)

# in_sandbox PROBE [ARGUMENT...]: runs a probe in a default sandbox: a C
# probe after it is shipped in, a shell probe read by sh
in_sandbox() {
        local probe=$1
        shift
        if [ -f "$PROBES/$probe.sh" ]; then
                run_helper /bin/sh -s -- "$@" <"$PROBES/$probe.sh"
        else
                run_helper "${SHIP[@]}" "$@" <"$BIN/$probe"
        fi
}

# outside PROBE KEY [ARGUMENT...]: what step KEY of PROBE gives on the
# host, outside any sandbox: tells whether this kernel has the feature
outside() {
        local probe=$1 key=$2
        shift 2
        "$BIN/$probe" "$@" 2>/dev/null | awk -v k="$key" '$1 == k { print $2 }'
}

# An attempt is one assertion: "begin" names it, a probe runs, "want" and
# "host" add conditions, "finish" prints ok, or not ok with every
# condition that did not hold and the probe's whole report.
begin() {
        DESC=$1
        BAD=()
        EXPECT_RC=0
}

# want KEY RESULT[|RESULT...]: the probe reported step KEY with one of
# the RESULTs; a KEY ending in "*" stands for every step of that prefix
# (at least one)
want() {
        local key=$1 allowed=$2 k v n=0
        while read -r k v; do
                if [[ $key == *'*' ]]; then
                        [[ $k == "${key%\*}"* ]] || continue
                else
                        [ "$k" = "$key" ] || continue
                fi
                n=$((n + 1))
                [[ "|$allowed|" == *"|$v|"* ]] || BAD+=("$k gave $v; expected $allowed")
        done <"$TMP/out"
        [ "$n" -gt 0 ] || BAD+=("$key: not reported; expected $allowed")
}

# host WHAT COMMAND...: a condition checked on the host, outside
host() {
        local what=$1
        shift
        "$@" || BAD+=("on the host: $what")
}

finish() {
        [ "$RC" -eq "$EXPECT_RC" ] || BAD+=("the sandbox exited with status $RC; expected $EXPECT_RC")
        if [ ${#BAD[@]} -eq 0 ]; then
                ok "$DESC"
                # with ESCAPE_VERBOSE set, every report: what each attempt did
                if [ -n "${ESCAPE_VERBOSE:-}" ]; then
                        diag "probe report:" "$(cat "$TMP/out")" "helper messages:" "$(cat "$TMP/err")"
                fi
        else
                not_ok "$DESC"
                diag "${BAD[@]}" "probe report:" "$(cat "$TMP/out")" "helper messages:" "$(cat "$TMP/err")"
        fi
}

# mount_table_unchanged: the last assertion of an escape test, that the
# host's mount table is as it was before the attempts
mount_table_unchanged() {
        mount_table >"$TMP/mounts.after"
        if cmp -s "$TMP/mounts.before" "$TMP/mounts.after"; then
                ok "the host's mount table (mount points and options) is as it was before the attempts"
        else
                not_ok "the host's mount table (mount points and options) is as it was before the attempts"
                diag "$(diff "$TMP/mounts.before" "$TMP/mounts.after")"
        fi
}

# absent PATH: nothing at PATH (used for "host" conditions)
absent() {
        [ ! -e "$1" ] && [ ! -L "$1" ]
}

# alive PID: PID runs (killed, it would be a zombie until waited for)
alive() {
        [ -r "/proc/$1/stat" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat")" != Z ]
}

# file_sum FILE: FILE's checksum, or "none" when there is no FILE
file_sum() {
        if [ -e "$1" ]; then sha256sum <"$1"; else echo none; fi
}

# tree_digest DIR: names, modes and contents of everything below DIR
tree_digest() {
        (cd "$1" && find . -printf '%p %y %m %s\n' | sort && find . -type f -exec sha256sum {} + | sort)
}

# a file only the host has, for the attempts that climb out of the root:
# in /run, which a sandbox replaces with its own (as it does /tmp, but
# $TMP need not be in /tmp): $MARKER
echo host >"$MARKER"
