# Shared helpers for the shell tests: TAP output (ok N - description),
# the build's binaries, and a private temporary directory that is removed
# at exit. Source it: . "$(dirname "$0")/tap.sh"

set -u

: "${SOURCE_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD_ROOT:=$SOURCE_ROOT/build}"
GENERATOR="$BUILD_ROOT/generator/sandbox-generator"
SANDBOXCTL="$BUILD_ROOT/ctl/sandboxctl"
HELPER="$BUILD_ROOT/helper/sandbox-helper"
EXAMPLES="$SOURCE_ROOT/profiles/examples"

tap_n=0
tap_failed=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-test.XXXXXX")
# profiles must not be writable by group or others
chmod 0755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
umask 022

# remove_sandbox_rundir NAME...: /run/sandbox/NAME, which the helper
# leaves after a sandbox of the test's has ended, unless its lock is held
# (a sandbox of that name runs) or something is mounted below it. The
# lock's keeper of a sandbox that has just ended may hold it a moment
# longer, while it takes the mounts down: that is waited for, up to 5 s.
remove_sandbox_rundir() {
        local n d
        for n in "$@"; do
                d=/run/sandbox/$n
                [ -d "$d" ] || continue
                awk -v d="$d" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo &&
                        continue
                [ ! -e "$d/lock" ] || flock -w 5 "$d/lock" true 2>/dev/null || continue
                rm -rf "$d"
        done
}

ok() {
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $*"
}

not_ok() {
        tap_n=$((tap_n + 1))
        tap_failed=$((tap_failed + 1))
        echo "not ok $tap_n - $*"
}

# skip DESCRIPTION [REASON]: an assertion that cannot be made here
skip() {
        tap_n=$((tap_n + 1))
        echo "ok $tap_n - $1 # SKIP${2:+ $2}"
}

# todo DESCRIPTION REASON: an assertion known to fail until REASON is
# dealt with (TAP's TODO: reported, not counted as a failure)
todo() {
        tap_n=$((tap_n + 1))
        echo "not ok $tap_n - $1 # TODO $2"
}

# check DESCRIPTION COMMAND...: one assertion from a command's status.
check() {
        local what=$1
        shift
        # what the command prints is not TAP: to the log's other stream
        if "$@" >&2; then ok "$what"; else not_ok "$what"; fi
}

# check_eq DESCRIPTION GOT EXPECTED: one assertion that two strings are
# equal; on failure the log shows both and the last run's stderr
check_eq() {
        if [ "$2" = "$3" ]; then
                ok "$1"
        else
                not_ok "$1"
                diag "got: $2" "expected: $3"
                [ -s "$TMP/err" ] && diag "stderr: $(head -c 2000 "$TMP/err")"
        fi
        return 0
}

# diag TEXT: explanation for the log, after a failed assertion.
diag() {
        printf '%s\n' "$@" | sed 's/^/# /'
}

# host_unit_dir: prints the host's vendor unit directory (the one with
# sysinit.target), resolved; prints nothing when there is none.
host_unit_dir() {
        local d
        for d in /usr/lib/systemd/system /lib/systemd/system; do
                if [ -f "$d/sysinit.target" ]; then
                        readlink -f "$d"
                        return
                fi
        done
}

# follow_host_links DIR: DIR holds a tree to lay over a root like the
# host's (a "meson install --destdir" tree); what it has below a top
# directory that is a symbolic link on the host (/lib -> usr/lib on a
# merged /usr) is moved to where that points, so that the link stays one
follow_host_links() {
        local d
        for d in "$1"/*; do
                [ -L "/${d##*/}" ] || continue
                mkdir -p "$1$(readlink -f "/${d##*/}")"
                cp -a "$d/." "$1$(readlink -f "/${d##*/}")/"
                rm -rf "$d"
        done
}

done_testing() {
        echo "1..$tap_n"
        [ "$tap_failed" -eq 0 ]
}
