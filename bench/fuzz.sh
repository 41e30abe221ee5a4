#!/bin/bash
# One fuzz target of tests/fuzz/ under libFuzzer with ASan and UBSan
# (any UBSan report ends the run), for SECONDS, from its corpus in
# tests/fuzz/corpus/TARGET/; prints the executions, executions per
# second and the size of the corpus at the end. What the run finds new is
# kept in a directory of its own, not in the source tree; a crash, leak
# or timeout leaves its input there and the run fails.
#
#   bench/fuzz.sh TARGET SECONDS     (TARGET: profile, helper-options,
#                                     unit-file, proc)
#   FUZZ_BUILD=... FUZZ_OUT=... bench/fuzz.sh ...   (build dir, output dir)
#
# tests/fuzz/TARGET.dict, where there is one, lists the names of the
# format (libFuzzer's -dict). The build is clang's, in build-fuzz/ unless
# FUZZ_BUILD says otherwise, with every file instrumented for coverage,
# so that the target sees into the code it calls.

set -eu

SOURCE_ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${FUZZ_BUILD:=$SOURCE_ROOT/build-fuzz}"
if [ $# -ne 2 ] || [ ! -d "$SOURCE_ROOT/tests/fuzz/corpus/$1" ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
        echo "usage: $0 TARGET SECONDS; targets: $(ls "$SOURCE_ROOT/tests/fuzz/corpus" | tr '\n' ' ')" >&2
        exit 2
fi
TARGET=$1
SECONDS_=$2

if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
        CC=clang meson setup "$FUZZ_BUILD" "$SOURCE_ROOT" \
                -Dfuzzing=enabled -Db_sanitize=address,undefined -Db_lundef=false \
                -Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=all' \
                -Dc_link_args='-fsanitize=fuzzer-no-link' >/dev/null
fi
ninja -C "$FUZZ_BUILD" "tests/fuzz/fuzz-$TARGET" >/dev/null

: "${FUZZ_OUT:=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-fuzz-$TARGET.XXXXXX")}"
mkdir -p "$FUZZ_OUT/corpus" "$FUZZ_OUT/artifacts"
echo "fuzz-$TARGET: $SECONDS_ s; new inputs and any crash in $FUZZ_OUT"

# the targets write each input to a file: on a tmpfs where there is one
# (an order of magnitude more executions than on a disk)
target_tmp=${TMPDIR:-/tmp}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
        target_tmp=/dev/shm
fi
# the names of the format, where the target has them
dict=()
[ ! -f "$SOURCE_ROOT/tests/fuzz/$TARGET.dict" ] || dict=(-dict="$SOURCE_ROOT/tests/fuzz/$TARGET.dict")
# the first directory gets what is new; the seeds are only read
rc=0
TMPDIR=$target_tmp ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$FUZZ_BUILD/tests/fuzz/fuzz-$TARGET" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 -close_fd_mask=3 "${dict[@]}" \
        -artifact_prefix="$FUZZ_OUT/artifacts/" \
        "$FUZZ_OUT/corpus" "$SOURCE_ROOT/tests/fuzz/corpus/$TARGET" >"$FUZZ_OUT/log" 2>&1 || rc=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FUZZ_OUT/log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$FUZZ_OUT/log")
seeds=$(find "$SOURCE_ROOT/tests/fuzz/corpus/$TARGET" -type f | wc -l)
new=$(find "$FUZZ_OUT/corpus" -type f | wc -l)
echo "executions: ${execs:-?}"
echo "exec/s: ${rate:-?}"
echo "corpus: $seeds seeds + $new new inputs"
if [ "$rc" -ne 0 ]; then
        echo "fuzz-$TARGET failed (exit $rc): see $FUZZ_OUT/log and $FUZZ_OUT/artifacts/" >&2
        grep -m1 -A20 -E '^==[0-9]+==ERROR|runtime error|ALARM|out-of-memory' "$FUZZ_OUT/log" >&2 || tail -n 30 "$FUZZ_OUT/log" >&2
        exit 1
fi
