#!/bin/bash
# Start latency of a sandbox: wall time from fork() to the exit of a
# sandbox that runs /bin/true, for
#   (a) unshare -mpfiun --mount-proc /bin/true: the namespace floor;
#   (b) bubblewrap with a read-only host root, tmpfs /tmp and /run, fresh
#       /proc and /dev and the same namespaces;
#   (c) sandbox-helper with the command line that sandboxctl compiles from
#       an example profile (default: redis.xml, which has /etc and /var
#       overlays, masks and every capability dropped), its state under a
#       temporary directory and /bin/true as the command;
#   (d) for scale, not a target: sandboxctl run of the same profile (where
#       sandboxctl has run), which compiles the profile and then executes
#       the helper;
#   (e) (c) without the bridges every sandbox now gets: --interfaces=none
#       (no /run/lock, no journal sockets, no /dev/log), the start as it
#       was before them;
#   (f) (c) with one runtime directory shared with the host, as a
#       converted service with a socket directory has;
#   (g) where BASELINE_ROOT names another build, (c) by that build's
#       helper: a before and after of a change in the same run;
#   (h) (c) with --user-namespace=private: a user namespace of the
#       sandbox's own range, the host's root and the overlays' lower dirs
#       idmapped with it (its own name and state root: the range's record
#       is kept there, and (c)'s state is never shifted);
# median and spread (min, p10, p90, max) of RUNS starts each, the rows run
# in turn round by round so that a change of load hits all of them alike.
# Targets: (c) at most 1.3 x (a), below (b); (c) and (f) at most 1.1 x (e);
# (h) at most 1.5 ms more than (c). Then where the time of (c)
# goes, from the step durations the helper logs with --debug, and the
# memory of the resident helper: VmRSS of the process that stays PID 1 of
# the sandbox while the sandbox runs /bin/sleep, against the target of at
# most 1 MiB.
#
# The starts run in a mount namespace of the benchmark's own. Where the
# host has no journal (no socket at /run/systemd/journal/socket), /run is
# a tmpfs there with the journal's three sockets made by the benchmark, so
# that (c) binds them as on a host with systemd.
#
# Prints figures; it is not a pass/fail test. Run as root. On a machine
# that other work keeps busy, run it under "chrt -f 10" so that the
# starts are not queued behind that work: every row alike (the figures in
# docs/reliability.md say which way they were taken).
#
#   bench/start-latency.sh [RUNS]     (default 51 starts per row, at least 30)
#   BUILD_ROOT=... PROFILE=profiles/examples/NAME.xml bench/start-latency.sh
#   BASELINE_ROOT=/path/to/other/build bench/start-latency.sh

set -eu

SOURCE_ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD_ROOT:=$SOURCE_ROOT/build}"
: "${PROFILE:=$SOURCE_ROOT/profiles/examples/redis.xml}"
HELPER=$BUILD_ROOT/helper/sandbox-helper
SANDBOXCTL=$BUILD_ROOT/ctl/sandboxctl
RUNS=${1:-51}
WARMUP=5
NAME=bench-$$

case $RUNS in
*[!0-9]* | "") RUNS=0 ;;
esac
if [ "$RUNS" -lt 30 ]; then
        echo "RUNS must be a number, at least 30" >&2
        exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
        echo "run as root: the helper and unshare need it" >&2
        exit 1
fi
BASELINE_HELPER=
if [ -n "${BASELINE_ROOT:-}" ]; then
        BASELINE_HELPER=$BASELINE_ROOT/helper/sandbox-helper
fi
for f in "$HELPER" "$SANDBOXCTL" $BASELINE_HELPER; do
        if [ ! -x "$f" ]; then
                echo "no $f (build first, or set BUILD_ROOT)" >&2
                exit 1
        fi
done
if ! command -v bwrap >/dev/null; then
        echo "bwrap not found: install bubblewrap (apt-get install bubblewrap)" >&2
        exit 1
fi
for c in unshare cc python3; do
        if ! command -v "$c" >/dev/null; then
                echo "$c not found" >&2
                exit 1
        fi
done

# a mount namespace of its own, for the journal's sockets below
if [ -z "${SANDBOX_BENCH_NS:-}" ]; then
        exec unshare -m --propagation private env SANDBOX_BENCH_NS=1 "$0" "$@"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-bench.XXXXXX")
chmod 0755 "$TMP"
SLEEPER=

# The helper's mounts live in its own mount namespace; its runtime
# directory on the host is only left empty. Remove it only if nothing is
# mounted below it (a leaked mount would be a bug worth seeing, and rm -rf
# through it could reach the host).
JOURNAL_NOTE="the host's journal sockets"
JOURNAL_PID=
cleanup() {
        if [ -n "$JOURNAL_PID" ]; then
                kill "$JOURNAL_PID" 2>/dev/null || true
                wait "$JOURNAL_PID" 2>/dev/null || true
        fi
        if [ -n "$SLEEPER" ]; then
                kill "$SLEEPER" 2>/dev/null || true
                wait "$SLEEPER" 2>/dev/null || true
        fi
        local run=/run/sandbox/$NAME
        for d in "$run" "$run-baseline" "$run-userns" "$TMP"; do
                if [ -e "$d" ] && grep -q " ${d}[/ ]" /proc/self/mountinfo; then
                        echo "left in place: $d has mounts below it on the host" >&2
                else
                        rm -rf "$d"
                fi
        done
}
trap cleanup EXIT
umask 022

# --- the journal's sockets, where the host has none ----------------------------

if [ ! -S /run/systemd/journal/socket ]; then
        mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
        mkdir -p /run/systemd/journal
        python3 -c '
import socket, sys, time
d = "/run/systemd/journal/"
keep = []
for name, kind in (("socket", socket.SOCK_DGRAM), ("dev-log", socket.SOCK_DGRAM), ("stdout", socket.SOCK_STREAM)):
    s = socket.socket(socket.AF_UNIX, kind)
    s.bind(d + name)
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    keep.append(s)
sys.stdout.write("ready\n")
sys.stdout.flush()
while True:
    time.sleep(3600)
' >"$TMP/journal.ready" &
        JOURNAL_PID=$!
        for _ in $(seq 100); do
                [ -s "$TMP/journal.ready" ] && break
                sleep 0.05
        done
        JOURNAL_NOTE="sockets the benchmark made at /run/systemd/journal (a tmpfs /run of its mount namespace; this host has no journal)"
fi

# --- the timer --------------------------------------------------------------

# starttime ERRFILE -- COMMAND...: runs COMMAND once (stdout to /dev/null,
# stderr to ERRFILE) and prints the time from before fork() to after
# waitpid() on CLOCK_MONOTONIC, in microseconds; exits 2 and prints the
# command's status if it did not exit 0.
cat >"$TMP/starttime.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        struct timespec t0, t1;
        int status, fd;
        pid_t pid;

        if (argc < 4 || strcmp(argv[2], "--") != 0)
                return fprintf(stderr, "usage: starttime ERRFILE -- COMMAND...\n"), 1;
        fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return perror(argv[1]), 1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid = fork();
        if (pid < 0)
                return perror("fork"), 1;
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 1);
                dup2(fd, 2);
                execv(argv[3], argv + 3);
                dprintf(2, "exec %s failed\n", argv[3]);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return perror("waitpid"), 1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                if (WIFEXITED(status))
                        printf("exit status %d\n", WEXITSTATUS(status));
                else
                        printf("killed by signal %d\n", WTERMSIG(status));
                return 2;
        }
        printf("%.1f\n", (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3);
        return 0;
}
EOF
cc -O2 -o "$TMP/starttime" "$TMP/starttime.c"

# --- the rows -----------------------------------------------------------------

UNSHARE=$(command -v unshare)
BWRAP=$(command -v bwrap)
TRUE=/bin/true

ROW_A=("$UNSHARE" -mpfiun --mount-proc "$TRUE")
ROW_B=("$BWRAP" --ro-bind / / --tmpfs /tmp --tmpfs /run --proc /proc --dev /dev
        --unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup --unshare-net
        "$TRUE")

# The profile, copied as $NAME.xml with the base profiles beside it, so
# that the sandbox has a name of its own; a user or group of <exec> that
# this machine does not have becomes nobody or nogroup.
mkdir "$TMP/profiles" "$TMP/state"
if [ -d "$(dirname "$PROFILE")/base" ]; then
        cp -R "$(dirname "$PROFILE")/base" "$TMP/profiles/base"
fi
cp "$PROFILE" "$TMP/profiles/$NAME.xml"
python3 - "$TMP/profiles" "$TMP/notes" <<'EOF'
import glob, grp, pwd, re, sys

dest, notes = sys.argv[1:]
note = []

def fix(m):
    tag = m.group(0)
    for attr, db, other in (("user", pwd.getpwnam, "nobody"), ("group", grp.getgrnam, "nogroup")):
        a = re.search(r'\s%s="([^"]*)"' % attr, tag)
        if a and not a.group(1).isdigit():
            try:
                db(a.group(1))
            except KeyError:
                note.append('%s "%s" does not exist here: %s' % (attr, a.group(1), other))
                tag = tag[:a.start(1)] + other + tag[a.end(1):]
    return tag

for f in glob.glob(dest + "/*.xml") + glob.glob(dest + "/base/*.xml"):
    text = open(f).read()
    new = re.sub(r"<exec\b[^>]*>", fix, text)
    if new != text:
        open(f, "w").write(new)
open(notes, "w").write("".join(n + "\n" for n in note))
EOF

# The helper's options as the generator writes them into ExecStart= (with
# systemd's quoting and "%%"), with --state-root added.
if ! "$SANDBOXCTL" show "$TMP/profiles/$NAME.xml" >"$TMP/show" 2>"$TMP/show.err"; then
        echo "sandboxctl show $PROFILE (copied to $TMP/profiles/$NAME.xml) failed:" >&2
        cat "$TMP/show.err" >&2
        exit 1
fi
mapfile -t HELPER_OPTS < <(python3 - "$TMP/show" <<'EOF'
import shlex, sys

lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("ExecStart=") and l != "ExecStart="]
args = shlex.split(lines[-1][len("ExecStart="):])
print("\n".join(a.replace("%%", "%") for a in args[1:args.index("--")]))
EOF
)
HELPER_OPTS+=("--state-root=$TMP/state")
ROW_C=("$HELPER" "${HELPER_OPTS[@]}" -- "$TRUE")
ROW_E=("$HELPER" "${HELPER_OPTS[@]}" --interfaces=none -- "$TRUE")
ROW_F=("$HELPER" "${HELPER_OPTS[@]}" "--shared-runtime-dir=$NAME:0755" -- "$TRUE")
# (g) under a name of its own: an older helper would not know to wait
# for the lock of (f)'s sandbox while its keeper takes its mounts down
ROW_G=()
if [ -n "$BASELINE_HELPER" ]; then
        ROW_G=("$BASELINE_HELPER")
        for o in "${HELPER_OPTS[@]}"; do
                [ "$o" = "--name=$NAME" ] && o=--name=$NAME-baseline
                ROW_G+=("$o")
        done
        ROW_G+=(-- "$TRUE")
fi

# (h): the private user namespace; an option of the profile's for the
# user namespace is replaced
ROW_H=("$HELPER")
for o in "${HELPER_OPTS[@]}"; do
        case $o in
        --user-namespace=*) continue ;;
        "--name=$NAME") o=--name=$NAME-userns ;;
        --state-root=*) o=--state-root=$TMP/state-userns ;;
        esac
        ROW_H+=("$o")
done
ROW_H+=(--user-namespace=private -- "$TRUE")
mkdir "$TMP/state-userns"

# sandboxctl run, where this sandboxctl has it: the same sandbox started
# from the profile (an extra row, not a target)
ROW_D=()
if "$SANDBOXCTL" --help 2>&1 | grep -q '^ *run '; then
        mkdir "$TMP/state-ctl"
        ROW_D=(/usr/bin/env "SANDBOX_HELPER=$HELPER" "$SANDBOXCTL" run
                "--state-root=$TMP/state-ctl" "$TMP/profiles/$NAME.xml" -- "$TRUE")
fi

LABELS=(a b c d e f g h)
TITLES=("(a) unshare -mpfiun --mount-proc" "(b) bwrap" "(c) sandbox-helper" "(d) sandboxctl run"
        "(e) sandbox-helper, no bridges" "(f) (c), a shared /run dir" "(g) (c), BASELINE_ROOT's helper"
        "(h) (c), a private user namespace")
declare -A FAILED

# run_row KEY: one start of the row, its time appended to $TMP/KEY.times;
# a failure is kept in FAILED[KEY] with the command's message and the row
# is not run again
run_row() {
        local key=$1 out
        [ -z "${FAILED[$key]:-}" ] || return 0
        local -n cmd=ROW_${key^^}
        [ ${#cmd[@]} -gt 0 ] || return 0
        if out=$("$TMP/starttime" "$TMP/$key.err" -- "${cmd[@]}"); then
                echo "$out" >>"$TMP/$key.times"
        else
                FAILED[$key]="$out: $(tr '\n' ' ' <"$TMP/$key.err" | cut -c1-300 | sed 's/ *$//')"
        fi
}

# a check that the helper really runs the command: its exit status must be
# the command's
HELPER_STATUS=
if "$HELPER" "${HELPER_OPTS[@]}" -- /bin/false >/dev/null 2>"$TMP/false.err"; then
        HELPER_STATUS="/bin/false in the sandbox: helper exited 0 (the command's status is lost)"
else
        HELPER_STATUS="/bin/false in the sandbox: helper exited $?"
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$WARMUP"); do
        for k in "${LABELS[@]}"; do
                run_row "$k"
        done
done
rm -f "$TMP"/*.times
for _ in $(seq "$RUNS"); do
        for k in "${LABELS[@]}"; do
                run_row "$k"
        done
done

# stats FILE: median p10 p90 min max in ms (percentiles interpolated)
stats() {
        sort -n "$1" | awk '
                function q(p,   h, l) { h = (NR - 1) * p + 1; l = int(h); return v[l] + (h - l) * (v[l + 1 < NR ? l + 1 : NR] - v[l]) }
                { v[NR] = $1 }
                END { printf "%.2f %.2f %.2f %.2f %.2f\n", q(0.5) / 1000, q(0.1) / 1000, q(0.9) / 1000, v[1] / 1000, v[NR] / 1000 }'
}

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- where the helper's time goes -----------------------------------------

# Starts of (c) with --debug, which logs each set-up step with its duration
# ("step NAME: N ms"). "etc" and "var" are made by the helper outside the
# sandbox while PID 1 builds the root, /tmp, /run, /dev and /proc, and
# "join" is what PID 1 then waits for them: they are listed but not added
# up. The rest of the total
# is outside the logged steps: the start of the helper's own process, the
# forks and execs between the steps (PID 1, the service's process), the
# command's own run and exit, and process 1's (the sandbox's mounts are
# taken down after the helper's end, by the run lock's keeper).
DEBUG_RUNS=11
if [ -z "${FAILED[c]:-}" ]; then
        for _ in $(seq "$DEBUG_RUNS"); do
                if ! total=$("$TMP/starttime" "$TMP/debug.err" -- "$HELPER" "${HELPER_OPTS[@]}" --debug -- "$TRUE"); then
                        break
                fi
                sed -n 's/.*: step \([^ :]*\): \([0-9.]*\) ms$/\1 \2/p' "$TMP/debug.err" >"$TMP/debug.run"
                [ -s "$TMP/debug.run" ] || break
                cat "$TMP/debug.run" >>"$TMP/debug.steps"
                awk -v total="$total" '$1 != "etc" && $1 != "var" { s += $2 } END { printf "%.1f\n", total - s * 1000 }' "$TMP/debug.run" >>"$TMP/debug.outside"
                echo "$total" >>"$TMP/debug.total"
        done
fi

# --- memory of the resident helper ----------------------------------------

# Start the sandbox with /bin/sleep, find the helper that is PID 1 of its
# PID namespace (a descendant of the process started here whose NSpid ends
# in 1) once it has started sleep, and read its VmRSS.
RSS=''
RSS_OUTER=''
RSS_MSG=''
INIT_COMM=''
INIT=''
# status_field FILE FIELD: the last word of FIELD's line in a
# /proc/PID/status file, read without a fork
status_field() {
        local key rest
        while read -r key rest; do
                if [ "$key" = "$2:" ]; then
                        echo "${rest##*[[:space:]]}"
                        return 0
                fi
        done 2>/dev/null <"$1"
        return 1
}
find_init() {
        local f pid p n c
        declare -A parent
        for f in /proc/[0-9]*/status; do
                pid=${f#/proc/}
                pid=${pid%/status}
                parent[$pid]=$(status_field "$f" PPid) || continue
        done
        for pid in "${!parent[@]}"; do
                # a descendant of the helper started here ...
                p=${parent[$pid]}
                n=0
                while [ -n "$p" ] && [ "$p" != "$STARTED" ] && [ "$p" -gt 1 ] && [ $n -lt 16 ]; do
                        p=${parent[$p]:-}
                        n=$((n + 1))
                done
                [ "$p" = "$STARTED" ] || continue
                # ... that is PID 1 of its PID namespace ...
                [ "$(status_field "/proc/$pid/status" NSpid)" = 1 ] || continue
                # ... with the service already started under it
                for c in "${!parent[@]}"; do
                        if [ "${parent[$c]}" = "$pid" ] && [ "$(cat "/proc/$c/comm" 2>/dev/null)" = sleep ]; then
                                echo "$pid"
                                return 0
                        fi
                done
        done
        return 1
}
"$HELPER" "${HELPER_OPTS[@]}" -- /bin/sleep 5 >/dev/null 2>"$TMP/sleep.err" &
SLEEPER=$!
STARTED=$SLEEPER
for _ in $(seq 40); do
        if ! kill -0 "$SLEEPER" 2>/dev/null; then
                break
        fi
        if INIT=$(find_init); then
                break
        fi
        sleep 0.05
done
if [ -n "$INIT" ]; then
        RSS=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$INIT/status")
        INIT_COMM=$(cat "/proc/$INIT/comm")
        if [ "$INIT" != "$SLEEPER" ]; then
                RSS_OUTER=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SLEEPER/status" 2>/dev/null || true)
        fi
elif kill -0 "$SLEEPER" 2>/dev/null; then
        RSS_MSG="no process that is PID 1 of a new PID namespace with sleep under it found below the helper (PID $SLEEPER) within 2 s"
else
        wait "$SLEEPER" && st=0 || st=$?
        RSS_MSG="the helper exited with status $st: $(tr '\n' ' ' <"$TMP/sleep.err" | cut -c1-300 | sed 's/ *$//')"
fi
kill "$SLEEPER" 2>/dev/null || true
wait "$SLEEPER" 2>/dev/null || true
SLEEPER=
# the sandbox's PID 1 ends with the helper or, at the latest, with sleep
if [ -n "$INIT" ]; then
        for _ in $(seq 120); do
                kill -0 "$INIT" 2>/dev/null || break
                sleep 0.05
        done
fi

# --- report -------------------------------------------------------------------

echo "start latency of a sandbox running /bin/true, $RUNS starts per row after $WARMUP warm-up rounds, rows in turn"
echo "machine: $(nproc) CPUs, kernel $(uname -r), load average $LOAD_BEFORE before the starts, $LOAD_AFTER after"
echo "state of (c) on $(stat -f -c %T "$TMP/state") ($TMP/state)"
echo "time: fork() to waitpid() on CLOCK_MONOTONIC, in ms"
echo
echo "(a) ${ROW_A[*]}"
echo "(b) ${ROW_B[*]}    ($($BWRAP --version))"
echo "(c) ${ROW_C[*]}"
echo "    compiled by sandboxctl show from a copy of $PROFILE"
sed 's/^/    note: /' "$TMP/notes"
[ ${#ROW_D[@]} -eq 0 ] || echo "(d) ${ROW_D[*]}"
echo "(e) ${ROW_E[*]}"
echo "(f) ${ROW_F[*]}"
[ ${#ROW_G[@]} -eq 0 ] || echo "(g) ${ROW_G[*]}"
echo "(h) ${ROW_H[*]}"
echo "    journal sockets bound by (c): $JOURNAL_NOTE"
echo
printf '%-34s %8s %8s %8s %8s %8s\n' "" median p10 p90 min max
declare -A MED
for k in "${LABELS[@]}"; do
        i=0
        for l in "${LABELS[@]}"; do [ "$l" = "$k" ] && break; i=$((i + 1)); done
        if [ -n "${FAILED[$k]:-}" ]; then
                printf '%-34s failed: %s\n' "${TITLES[$i]}" "${FAILED[$k]}"
        elif [ -s "$TMP/$k.times" ]; then
                read -r med p10 p90 min max < <(stats "$TMP/$k.times")
                MED[$k]=$med
                printf '%-34s %8s %8s %8s %8s %8s\n' "${TITLES[$i]}" "$med" "$p10" "$p90" "$min" "$max"
        elif [ "$k" = d ]; then
                printf '%-34s %s\n' "${TITLES[$i]}" "not run: this sandboxctl has no run command"
        fi
done
echo
if [ -n "${MED[c]:-}" ]; then
        echo "$HELPER_STATUS"
        awk -v a="${MED[a]}" -v b="${MED[b]}" -v c="${MED[c]}" 'BEGIN {
                printf "c/a = %.2f   target c <= 1.3 x a (%.2f ms): %s\n", c / a, 1.3 * a, (c <= 1.3 * a) ? "met" : "missed"
                printf "c/b = %.2f   target c < b (%.2f ms): %s\n", c / b, b, (c < b) ? "met" : "missed" }'
        if [ -n "${MED[g]:-}" ]; then
                awk -v a="${MED[a]}" -v c="${MED[c]}" -v g="${MED[g]}" 'BEGIN {
                        printf "g/a = %.2f   BASELINE_ROOT'"'"'s helper; c/g = %.2f\n", g / a, c / g }'
        fi
        if [ -n "${MED[h]:-}" ]; then
                awk -v c="${MED[c]}" -v h="${MED[h]}" 'BEGIN {
                        printf "h - c = %+.2f ms (h/c = %.2f)   target h <= c + 1.5 ms (%.2f ms), the private user namespace: %s\n", h - c, h / c, c + 1.5, (h <= c + 1.5) ? "met" : "missed" }'
        else
                echo "h - c: no figure, (h) failed   target h <= c + 1.5 ms: not measured"
        fi
        if [ -n "${MED[e]:-}" ]; then
                awk -v c="${MED[c]}" -v e="${MED[e]}" -v f="${MED[f]:-0}" 'BEGIN {
                        printf "c/e = %.2f   target c <= 1.1 x e (%.2f ms), the interfaces at most 10%%: %s\n", c / e, 1.1 * e, (c <= 1.1 * e) ? "met" : "missed"
                        if (f > 0)
                                printf "f/e = %.2f   target f <= 1.1 x e (%.2f ms), with a shared runtime directory: %s\n", f / e, 1.1 * e, (f <= 1.1 * e) ? "met" : "missed" }'
        else
                echo "c/e, f/e: no figures, (e) failed   targets c, f <= 1.1 x e: not measured"
        fi
else
        echo "c/a, c/b: no figures, the helper failed   targets c <= 1.3 x a, c < b: not measured"
fi
if [ -s "$TMP/debug.steps" ]; then
        echo
        echo "where the time of (c) goes: median of $(wc -l <"$TMP/debug.total") starts with --debug, in ms"
        printf '  %-22s %8s %8s\n' step median p90
        awk '!seen[$1]++ { print $1 }' "$TMP/debug.steps" | while read -r s; do
                awk -v s="$s" '$1 == s { print $2 * 1000 }' "$TMP/debug.steps" >"$TMP/debug.one"
                read -r med _ p90 _ < <(stats "$TMP/debug.one")
                case $s in
                etc | var) s="$s (alongside)" ;;
                esac
                printf '  %-22s %8s %8s\n' "$s" "$med" "$p90"
        done
        read -r med _ p90 _ < <(stats "$TMP/debug.outside")
        printf '  %-22s %8s %8s\n' "outside the steps" "$med" "$p90"
        read -r med _ p90 _ < <(stats "$TMP/debug.total")
        printf '  %-22s %8s %8s\n' total "$med" "$p90"
fi
echo
if [ -n "$RSS" ]; then
        printf 'VmRSS of the helper as PID 1 of the sandbox (PID %s, %s) while it runs /bin/sleep: %s KiB   target <= 1024 KiB: %s\n' \
                "$INIT" "$INIT_COMM" "$RSS" "$([ "$RSS" -le 1024 ] && echo met || echo missed)"
        [ -z "$RSS_OUTER" ] || echo "VmRSS of the helper started here (PID $STARTED, its parent, outside the PID namespace): $RSS_OUTER KiB"
else
        echo "VmRSS of the helper as PID 1 of the sandbox: no figure, $RSS_MSG   target <= 1024 KiB: not measured"
fi
