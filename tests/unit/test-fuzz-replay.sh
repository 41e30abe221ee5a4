#!/usr/bin/env bash
# The fuzz corpora (tests/fuzz/corpus/TARGET/), every input given once to
# its target: the libFuzzer build of it where there is one (clang), the
# replay main() otherwise, under whatever sanitizers the build has. An
# input that once crashed a target stays in its corpus, so this is its
# regression test. docs/fuzzing.md.
. "$(dirname "$0")/../tap.sh"

corpora="$SOURCE_ROOT/tests/fuzz/corpus"
fuzz="$BUILD_ROOT/tests/fuzz"
targets=(profile helper-options unit-file proc)

for t in "${targets[@]}"; do
        inputs=("$corpora/$t"/*)
        if [ -e "${inputs[0]}" ] && [ "${#inputs[@]}" -ge 2 ]; then
                ok "corpus $t has ${#inputs[@]} inputs"
        else
                not_ok "corpus $t has too few inputs: ${#inputs[@]}"
        fi
        if [ -x "$fuzz/fuzz-$t" ]; then
                bin=("$fuzz/fuzz-$t" -runs=1 -close_fd_mask=1)
        else
                bin=("$fuzz/fuzz-replay-$t")
        fi
        log=$TMP/$t.log
        if "${bin[@]}" "${inputs[@]}" >/dev/null 2>"$log"; then
                ok "$t: ${#inputs[@]} inputs replayed by $(basename "${bin[0]}")"
        else
                not_ok "$t: replay failed (exit $?)"
                diag "$(tail -n 40 "$log")"
        fi
done

done_testing
