#!/usr/bin/env bash
# The example profiles and every profile in tests/profiles/valid pass
# `sandboxctl validate`, with nothing on stderr but, for NAME.xml, the
# warnings of NAME.warnings (capabilities kept with keep-unsafe=); several
# files at once are each reported; a profile is found by name along
# SANDBOX_PROFILE_PATH.
. "$(dirname "$0")/../tap.sh"

# includes are looked up only in each profile's own base/
export SANDBOX_PROFILE_PATH=

# copies with the right owner and mode, whatever the checkout's umask
for d in examples valid; do
        mkdir -p "$TMP/$d/base"
done
install -m 0644 "$EXAMPLES"/*.xml "$TMP/examples/"
install -m 0644 "$EXAMPLES"/base/*.xml "$TMP/examples/base/"
install -m 0644 "$SOURCE_ROOT"/tests/profiles/valid/*.xml "$SOURCE_ROOT"/tests/profiles/valid/*.warnings "$TMP/valid/"
install -m 0644 "$SOURCE_ROOT"/tests/profiles/valid/base/*.xml "$TMP/valid/base/"

# valid DIR FILE: one assertion that DIR/FILE validates, run from DIR,
# with exactly the warnings of DIR/NAME.warnings (none without it)
valid() {
        local rc=0 warnings=$1/${2%.xml}.warnings what=

        if [ -e "$warnings" ]; then
                what=", with the warnings of ${warnings##*/}"
        else
                warnings=/dev/null
        fi
        (cd "$1" && "$SANDBOXCTL" validate "$2") >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
        if [ "$rc" -eq 0 ] && cmp -s "$warnings" "$TMP/stderr" && [ "$(cat "$TMP/stdout")" = "$2: valid" ]; then
                ok "$(basename "$1")/$2 is valid$what"
        else
                not_ok "$(basename "$1")/$2 is valid$what"
                diag "exit status $rc" "$(diff -u "$warnings" "$TMP/stderr")"
        fi
}

for d in "$TMP/examples" "$TMP/valid"; do
        for f in "$d"/*.xml; do
                valid "$d" "${f##*/}"
        done
done

# exactly 1 MiB is still allowed
cd "$TMP/valid" || exit 1
{ cat minimal.xml; head -c 1048576 /dev/zero | tr '\0' ' '; } | head -c 1048576 >exactly-one-mebibyte.xml
valid "$TMP/valid" exactly-one-mebibyte.xml

# several files: one invalid among them fails the run, the others are
# still checked and reported
printf '<sandbox>\n  <exec><arg>/usr/bin/true</arg></exec>\n  <network mode="bogus"/>\n</sandbox>\n' >broken.xml
rc=0
"$SANDBOXCTL" validate minimal.xml broken.xml every-element.xml >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
check "several files, one invalid: exit status 1" test "$rc" -eq 1
check "several files, one invalid: the valid ones are reported valid" \
        test "$(cat "$TMP/stdout")" = "$(printf 'minimal.xml: valid\nevery-element.xml: valid')"
check "several files, one invalid: its problem is reported" \
        test "$(cat "$TMP/stderr")" = 'broken.xml:3: <network>: mode="bogus" is not allowed; allowed: host, none, private, bridge'

# lookup by name along the search path
rc=0
SANDBOX_PROFILE_PATH=$TMP/examples "$SANDBOXCTL" validate nginx >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
check "validate nginx: found on SANDBOX_PROFILE_PATH and valid" \
        test "$rc" -eq 0 -a "$(cat "$TMP/stdout")" = "$TMP/examples/nginx.xml: valid" -a ! -s "$TMP/stderr"

rc=0
SANDBOX_PROFILE_PATH=$TMP/examples:$TMP/valid "$SANDBOXCTL" validate nosuch >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
check "validate nosuch: exit status 1" test "$rc" -eq 1
check "validate nosuch: names the directories searched" \
        test "$(cat "$TMP/stderr")" = "sandboxctl: no profile named \"nosuch\"; looked for nosuch.xml in $TMP/examples, $TMP/valid"
check "validate nosuch: nothing on stdout" test ! -s "$TMP/stdout"

done_testing
