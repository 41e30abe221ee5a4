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

# Found by reading the unit-file target's slowest inputs: a unit file
# within convert's bound (1 MiB) of continued lines, or of one setting of
# many words, was copied again for each line and counted again for each
# word; minutes of work for one file. Read now in linear time; generated
# here rather than kept in the corpus, which stays small.
if [ -x "$fuzz/fuzz-unit-file" ]; then
        bin=("$fuzz/fuzz-unit-file" -runs=1 -close_fd_mask=1)
else
        bin=("$fuzz/fuzz-replay-unit-file")
fi
python3 -c 'import sys; sys.stdout.write("[Service]\nExecStart=/bin/true" + " a\\\n" * 250000 + "\n")' >"$TMP/continued.service"
python3 -c 'import sys; sys.stdout.write("[Service]\nExecStart=/bin/true" + " a" * 500000 + "\n")' >"$TMP/words.service"
for f in continued words; do
        start=$(date +%s)
        if timeout 60 "${bin[@]}" "$TMP/$f.service" >/dev/null 2>"$TMP/$f.log"; then
                ok "unit-file: 1 MiB ($f) read in $(( $(date +%s) - start )) s (minutes before)"
        else
                not_ok "unit-file: 1 MiB ($f) not read within 60 s"
                diag "$(tail -n 20 "$TMP/$f.log")"
        fi
done

done_testing
