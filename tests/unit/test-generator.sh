#!/bin/bash
# sandbox-generator on the fixture profiles in tests/unit/generator/: the
# drop-ins it writes (compared with golden files), the wants links, the
# search path, bad profiles among good ones, --dry-run, the 1-or-3
# directory contract, and `sandboxctl show` giving the same bytes.
#
# The golden files hold three placeholders, replaced before comparing:
# @FIXTURES@ (where the fixture profiles were copied), @HELPER@ and
# @NETWORK@ (the helper's and sandbox-network's paths this build was
# configured with).

. "$(dirname "$0")/../tap.sh"

config_string() {
        sed -n "s/^#define $1 \"\\(.*\\)\"\$/\\1/p" "$BUILD_ROOT/config.h"
}

HELPER_PATH=$(config_string SANDBOX_HELPER_PATH)
NETWORK_PATH=$(config_string SANDBOX_NETWORK_PATH)
TEMPLATE=$(config_string SANDBOX_UNIT_DIR)/sandbox@.service
VERSION=$(config_string SANDBOX_VERSION)
GOLDEN=$SOURCE_ROOT/tests/unit/generator/expected
FIXTURES=$TMP/fixtures

# Profiles are checked for owner and mode: copy them into a directory of
# ours so that a checkout's umask or owner does not matter.
mkdir "$FIXTURES"
cp -R "$SOURCE_ROOT/tests/unit/generator/good" "$SOURCE_ROOT/tests/unit/generator/second" \
        "$SOURCE_ROOT/tests/unit/generator/bad" "$SOURCE_ROOT/tests/unit/generator/twice" "$FIXTURES/"
chmod -R u+rwX,go-w "$FIXTURES"

# every profile of good/ and second/, and the links their <install> asks for
NAMES="api bridge extra filtered job minimal settings web"
WANTS="backup.target:job graphical.target:web multi-user.target:web sandbox.target:api sandbox.target:extra sandbox.target:web"

sed_escape() {
        printf '%s' "$1" | sed 's/[\\|&]/\\&/g'
}

# the golden drop-ins for this run, in $TMP/golden/NAME.conf
mkdir "$TMP/golden"
for n in $NAMES; do
        sed -e "s|@FIXTURES@|$(sed_escape "$FIXTURES")|g" \
            -e "s|@HELPER@|$(sed_escape "$HELPER_PATH")|g" \
            -e "s|@NETWORK@|$(sed_escape "$NETWORK_PATH")|g" "$GOLDEN/$n.conf" >"$TMP/golden/$n.conf"
done

# same_as_golden NAME FILE: FILE is byte for byte the golden drop-in of NAME
same_as_golden() {
        if cmp -s "$TMP/golden/$1.conf" "$2"; then
                return 0
        fi
        diag "$2 differs from the golden $1.conf:"
        diag "$(diff -u "$TMP/golden/$1.conf" "$2" 2>&1 | head -40)"
        return 1
}

# run_generator OUTPUT_PREFIX ARGS...: runs the generator with stdout and
# stderr in OUTPUT_PREFIX.out and .err; sets $rc
run_generator() {
        local prefix=$1
        shift
        rc=0
        "$GENERATOR" "$@" >"$prefix.out" 2>"$prefix.err" || rc=$?
}

# has_line_starting FILE PREFIX: some line of FILE starts with PREFIX
has_line_starting() {
        awk -v p="$2" 'index($0, p) == 1 { found = 1 } END { exit !found }' "$1"
}

# check_message DESCRIPTION FILE PREFIX: an assertion that some line of
# FILE starts with PREFIX, showing FILE when none does
check_message() {
        if has_line_starting "$2" "$3"; then
                ok "$1"
        else
                not_ok "$1"
                diag "$(cat "$2")"
        fi
}

is_empty_dir() {
        [ -d "$1" ] && [ -z "$(ls -A "$1")" ]
}

# listing DIR: every path under DIR, relative, sorted, with the link
# target of each symlink
listing() {
        (cd "$1" && find . -mindepth 1 \( -type l -printf '%p -> %l\n' -o -printf '%p\n' \) | LC_ALL=C sort)
}

expected_listing() {
        local n w
        {
                for n in $NAMES; do
                        echo "./sandbox@$n.service.d"
                        echo "./sandbox@$n.service.d/50-profile.conf"
                done
                for w in $WANTS; do
                        echo "./${w%%:*}.wants"
                        echo "./${w%%:*}.wants/sandbox@${w#*:}.service -> $TEMPLATE"
                done
        } | LC_ALL=C sort -u
}

# --- the normal run: good/ then second/ -------------------------------

OUT=$TMP/out
mkdir "$OUT"
SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/run" "$OUT"
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/run.err" ]; then
        ok "generator exits 0 and prints nothing on good profiles"
else
        not_ok "generator exits 0 and prints nothing on good profiles"
        diag "exit status $rc" "$(cat "$TMP/run.err")"
fi

for n in $NAMES; do
        check "sandbox@$n.service.d/50-profile.conf equals the golden $n.conf" \
                same_as_golden "$n" "$OUT/sandbox@$n.service.d/50-profile.conf"
done

for w in $WANTS; do
        unit=${w%%:*}
        link=$OUT/$unit.wants/sandbox@${w#*:}.service
        if [ -L "$link" ] && [ "$(readlink "$link")" = "$TEMPLATE" ]; then
                ok "$unit.wants/sandbox@${w#*:}.service links to $TEMPLATE"
        else
                not_ok "$unit.wants/sandbox@${w#*:}.service links to $TEMPLATE"
                diag "$(ls -l "$link" 2>&1)"
        fi
done

check "a profile without <install> gets no wants link" \
        test -z "$(find "$OUT" -name 'sandbox@minimal.service' -print)"

# only drop-ins and links, and exactly the ones expected
listing "$OUT" >"$TMP/listing"
expected_listing >"$TMP/listing.expected"
if cmp -s "$TMP/listing.expected" "$TMP/listing"; then
        ok "output holds exactly one drop-in per profile and the wants links"
else
        not_ok "output holds exactly one drop-in per profile and the wants links"
        diag "$(diff -u "$TMP/listing.expected" "$TMP/listing")"
fi

# not profiles: another suffix, a hidden file, a directory named *.xml,
# and base profiles (only ever included)
for f in notes.txt web.xml.orig .draft.xml archive.xml/ base/common.xml; do
        case $f in
        notes.txt) unit=notes ;;
        web.xml.orig) unit=web.xml ;;
        .draft.xml) unit=.draft ;;
        archive.xml/) unit=archive ;;
        base/common.xml) unit=common ;;
        esac
        check "good/$f is not treated as a profile" \
                test -z "$(find "$OUT" -name "sandbox@$unit*" -print)"
done

# first name wins: good/web.xml shadows second/web.xml
if grep -q "^SourcePath=$FIXTURES/good/web.xml\$" "$OUT/sandbox@web.service.d/50-profile.conf" &&
   ! grep -rq 'web from the second directory' "$OUT" && [ ! -e "$OUT/shadowed.target.wants" ]; then
        ok "first directory's web.xml wins, second/web.xml is ignored"
else
        not_ok "first directory's web.xml wins, second/web.xml is ignored"
fi

OUT=$TMP/out-reversed
mkdir "$OUT"
SANDBOX_PROFILE_PATH="$FIXTURES/second:$FIXTURES/good" run_generator "$TMP/rev" "$OUT"
if [ "$rc" -eq 0 ] &&
   grep -q "^SourcePath=$FIXTURES/second/web.xml\$" "$OUT/sandbox@web.service.d/50-profile.conf" &&
   [ -L "$OUT/shadowed.target.wants/sandbox@web.service" ] &&
   [ ! -e "$OUT/graphical.target.wants" ] &&
   same_as_golden job "$OUT/sandbox@job.service.d/50-profile.conf"; then
        ok "search path order decides: second:good takes second/web.xml"
else
        not_ok "search path order decides: second:good takes second/web.xml"
        diag "exit status $rc" "$(cat "$TMP/rev.err")"
fi

# relative directories in SANDBOX_PROFILE_PATH end up absolute
OUT=$TMP/out-relative
mkdir "$OUT"
(cd "$FIXTURES" && SANDBOX_PROFILE_PATH="good:./second" run_generator "$TMP/rel" "$OUT"; exit "$rc")
rc=$?
good=0
for n in $NAMES; do
        same_as_golden "$n" "$OUT/sandbox@$n.service.d/50-profile.conf" || good=1
done
check "relative SANDBOX_PROFILE_PATH gives the same drop-ins (absolute paths)" test "$rc" -eq 0 -a "$good" -eq 0

# a trailing "/" on a directory of the search path changes nothing
OUT=$TMP/out-slash
mkdir "$OUT"
SANDBOX_PROFILE_PATH="$FIXTURES/good/:$FIXTURES/second/" run_generator "$TMP/slash" "$OUT"
good=0
for n in $NAMES; do
        same_as_golden "$n" "$OUT/sandbox@$n.service.d/50-profile.conf" >/dev/null || good=1
done
check "a trailing / in SANDBOX_PROFILE_PATH gives the same drop-ins" \
        test "$rc" -eq 0 -a "$good" -eq 0

# --- bad profiles among good ones ------------------------------------

OUT=$TMP/out-bad
mkdir "$OUT"
SANDBOX_PROFILE_PATH="$FIXTURES/bad:$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/bad" "$OUT"
check "generator exits 1 when a profile is skipped" test "$rc" -eq 1
good=0
for n in $NAMES; do
        same_as_golden "$n" "$OUT/sandbox@$n.service.d/50-profile.conf" || good=1
done
check "every good profile is still written next to bad ones" test "$good" -eq 0
check "bad profiles get no drop-in" test -z "$(find "$OUT" -name 'sandbox@broken*' -print)"
listing "$OUT" >"$TMP/listing"
check "bad profiles change nothing else in the output" cmp -s "$TMP/listing.expected" "$TMP/listing"

while IFS='|' read -r file line message; do
        check_message "stderr has \"bad/$file:$line: $message ...\"" "$TMP/bad.err" \
                "sandbox-generator: $FIXTURES/bad/$file:$line: $message"
        check "stderr says bad/$file was skipped" \
                has_line_starting "$TMP/bad.err" "sandbox-generator: $FIXTURES/bad/$file: skipped"
done <<'EOF'
broken-value.xml|7|<tmp>: size "64Q" is not a valid size
broken-element.xml|8|<firewall>: unknown element
EOF
check "stderr names no good profile" \
        test -z "$(grep -e '/good/' -e '/second/' "$TMP/bad.err")"

# --- capabilities kept with keep-unsafe= ------------------------------
# compiled as asked (the helper keeps both lists), with one warning line
# for the profile, naming them

UNSAFE_DIR=$TMP/unsafe
mkdir -p "$UNSAFE_DIR" "$TMP/out-unsafe"
cat >"$UNSAFE_DIR/tracer.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/bin/tracer</arg></exec>
  <security>
    <capabilities keep="CAP_CHOWN" keep-unsafe="CAP_SYS_PTRACE CAP_SYS_ADMIN"/>
  </security>
</sandbox>
EOF
chmod -R go-w "$UNSAFE_DIR"
SANDBOX_PROFILE_PATH=$UNSAFE_DIR run_generator "$TMP/unsafe" "$TMP/out-unsafe"
check_eq "keep-unsafe=: the generator exits 0" "$rc" 0
check "keep-unsafe=: the drop-in keeps both lists" \
        grep -q -- " --keep-caps=CAP_CHOWN,CAP_SYS_PTRACE,CAP_SYS_ADMIN " "$TMP/out-unsafe/sandbox@tracer.service.d/50-profile.conf"
# the warnings validate prints, and nothing else
"$SANDBOXCTL" validate "$UNSAFE_DIR/tracer.xml" 2>"$TMP/unsafe.validate" >/dev/null
check_eq "keep-unsafe=: a warning for each capability, as validate's, and nothing else" \
        "$(sed 's/^sandbox-generator: //' "$TMP/unsafe.err")" "$(cat "$TMP/unsafe.validate")"
check_eq "... two of them" "$(grep -c 'is kept (keep-unsafe)' "$TMP/unsafe.err")" 2

# --- an output directory that already has a drop-in -------------------

OUT=$TMP/out-dup
mkdir -p "$OUT/sandbox@web.service.d"
echo "# was here first" >"$OUT/sandbox@web.service.d/50-profile.conf"
SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/dup" "$OUT"
check "existing drop-in: generator exits 1" test "$rc" -eq 1
check_message "existing drop-in: the error names the profile and the file" "$TMP/dup.err" \
        "sandbox-generator: $FIXTURES/good/web.xml: cannot write $OUT/sandbox@web.service.d/50-profile.conf"
check "existing drop-in is left as it was" \
        test "$(cat "$OUT/sandbox@web.service.d/50-profile.conf")" = "# was here first"
check "existing drop-in: no wants links for that profile" \
        test -z "$(find "$OUT" -type l -name 'sandbox@web.service' -print)"
good=0
for n in api extra job minimal; do
        same_as_golden "$n" "$OUT/sandbox@$n.service.d/50-profile.conf" || good=1
done
check "existing drop-in: the other profiles are written" test "$good" -eq 0

# --- a wants link that cannot be made --------------------------------

# the profile is then written whole or not at all: no drop-in, and the
# links made before the failing one are taken back
OUT=$TMP/out-link
mkdir -p "$OUT/multi-user.target.wants"
ln -s /dev/null "$OUT/multi-user.target.wants/sandbox@web.service"
SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/link" "$OUT"
check "existing wants link: generator exits 1" test "$rc" -eq 1
check_message "existing wants link: the error names the profile and the link" "$TMP/link.err" \
        "sandbox-generator: $FIXTURES/good/web.xml: cannot link $OUT/multi-user.target.wants/sandbox@web.service"
check "existing wants link: no drop-in for that profile" test ! -e "$OUT/sandbox@web.service.d/50-profile.conf"
check "existing wants link: its earlier link is taken back" test ! -e "$OUT/sandbox.target.wants/sandbox@web.service" -a ! -L "$OUT/sandbox.target.wants/sandbox@web.service"
check "existing wants link: the link itself is left as it was" test "$(readlink "$OUT/multi-user.target.wants/sandbox@web.service")" = /dev/null
good=0
for n in api extra job minimal; do
        same_as_golden "$n" "$OUT/sandbox@$n.service.d/50-profile.conf" || good=1
done
check "existing wants link: the other profiles are written" test "$good" -eq 0 -a -L "$OUT/sandbox.target.wants/sandbox@extra.service"

# a unit named twice in wanted-by: sandboxctl validate and the generator
# must agree on whether the profile is good
OUT=$TMP/out-twice
mkdir "$OUT"
SANDBOX_PROFILE_PATH="$FIXTURES/twice" run_generator "$TMP/twice" "$OUT"
vrc=0
SANDBOX_PROFILE_PATH="$FIXTURES/twice" "$SANDBOXCTL" validate twice >/dev/null 2>&1 || vrc=$?
check "wanted-by naming a unit twice: sandboxctl validate and the generator agree" \
        test "$(( rc == 0 ))" -eq "$(( vrc == 0 ))"

# --- --dry-run ---------------------------------------------------------

mkdir "$TMP/cwd"
(cd "$TMP/cwd" && SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/dry" --dry-run; exit "$rc")
rc=$?
check "--dry-run exits 0" test "$rc" -eq 0
check "--dry-run writes nothing into the working directory" is_empty_dir "$TMP/cwd"

# Cut the output into one drop-in per "# sandbox@NAME.service.d/50-profile.conf"
# header; the "# UNIT.wants/... -> TEMPLATE" lines and the blank line
# after each drop-in are its separator.
mkdir "$TMP/dry.d"
awk -v dir="$TMP/dry.d" '
function flush(   i, n) {
        if (conf == "")
                return
        n = nl
        if (n > 0 && buf[n] == "")
                n--
        for (i = 1; i <= n; i++)
                print buf[i] > conf
        close(conf)
        close(wants)
        nl = 0
}
/^# sandbox@[^ \/]+\.service\.d\/50-profile\.conf$/ {
        flush()
        name = $2
        sub(/^sandbox@/, "", name)
        sub(/\.service\.d\/50-profile\.conf$/, "", name)
        conf = dir "/" name ".conf"
        wants = dir "/" name ".wants"
        printf "" > conf
        printf "" > wants
        next
}
conf == "" { print "text before the first drop-in: " $0 > "/dev/stderr"; bad = 1; next }
/^# [^ ]+\.wants\/[^ ]+ -> / { print > wants; next }
{ buf[++nl] = $0 }
END { flush(); exit bad }
' "$TMP/dry.out"
check "--dry-run output is a sequence of drop-ins" test $? -eq 0
check "--dry-run prints one drop-in per profile" \
        test "$(cd "$TMP/dry.d" && ls -- *.conf | tr '\n' ' ')" = "$(for n in $NAMES; do printf '%s.conf ' "$n"; done)"
for n in $NAMES; do
        check "--dry-run drop-in of $n equals the golden $n.conf" same_as_golden "$n" "$TMP/dry.d/$n.conf"
done
for w in $WANTS; do
        unit=${w%%:*}
        check "--dry-run shows $unit.wants/sandbox@${w#*:}.service" \
                grep -qxF "# $unit.wants/sandbox@${w#*:}.service -> $TEMPLATE" "$TMP/dry.d/${w#*:}.wants"
done

mkdir "$TMP/out-dry"
SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/dry2" --dry-run "$TMP/out-dry"
check "--dry-run with an output directory exits 0 and writes nothing there" \
        test "$rc" -eq 0 -a -z "$(ls -A "$TMP/out-dry")"
check "--dry-run with an output directory prints the same" cmp -s "$TMP/dry.out" "$TMP/dry2.out"

# --- the directory arguments (systemd.generator(7)) -------------------

mkdir "$TMP/n" "$TMP/e" "$TMP/l"
SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" run_generator "$TMP/three" "$TMP/n" "$TMP/e" "$TMP/l"
listing "$TMP/n" >"$TMP/listing"
if [ "$rc" -eq 0 ] && cmp -s "$TMP/listing.expected" "$TMP/listing" &&
   is_empty_dir "$TMP/e" && is_empty_dir "$TMP/l"; then
        ok "3 directories: everything goes into the first, nothing into early/late"
else
        not_ok "3 directories: everything goes into the first, nothing into early/late"
        diag "exit status $rc" "$(cat "$TMP/three.err")"
fi
good=0
for n in $NAMES; do
        same_as_golden "$n" "$TMP/n/sandbox@$n.service.d/50-profile.conf" || good=1
done
check "3 directories: the drop-ins equal the golden files" test "$good" -eq 0

mkdir "$TMP/cwd0"
(cd "$TMP/cwd0" && SANDBOX_PROFILE_PATH="$FIXTURES/good" run_generator "$TMP/zero"; exit "$rc")
rc=$?
check "0 directories without --dry-run: non-zero exit" test "$rc" -ne 0
check "0 directories: writes nothing into the working directory" is_empty_dir "$TMP/cwd0"
check "0 directories: says why on stderr" test -s "$TMP/zero.err"

mkdir "$TMP/two-a" "$TMP/two-b"
SANDBOX_PROFILE_PATH="$FIXTURES/good" run_generator "$TMP/two" "$TMP/two-a" "$TMP/two-b"
check "2 directories: non-zero exit" test "$rc" -ne 0
check "2 directories: writes nothing" eval 'is_empty_dir "$TMP/two-a" && is_empty_dir "$TMP/two-b"'

mkdir "$TMP/four-a" "$TMP/four-b" "$TMP/four-c" "$TMP/four-d"
SANDBOX_PROFILE_PATH="$FIXTURES/good" run_generator "$TMP/four" "$TMP/four-a" "$TMP/four-b" "$TMP/four-c" "$TMP/four-d"
good=0
for d in "$TMP"/four-?; do
        is_empty_dir "$d" || good=1
done
check "4 directories: non-zero exit, writes nothing" test "$rc" -ne 0 -a "$good" -eq 0

run_generator "$TMP/missing-out" "$TMP/no/such/dir"
check "a missing output directory: non-zero exit" test "$rc" -ne 0

# --- empty and missing search paths -----------------------------------

mkdir "$TMP/out-empty"
SANDBOX_PROFILE_PATH= run_generator "$TMP/empty" "$TMP/out-empty"
check "empty SANDBOX_PROFILE_PATH: exit 0, writes and prints nothing" \
        test "$rc" -eq 0 -a -z "$(ls -A "$TMP/out-empty")" -a ! -s "$TMP/empty.err"

mkdir "$TMP/out-none"
SANDBOX_PROFILE_PATH="$TMP/no-such-dir:$TMP/also/missing" run_generator "$TMP/none" "$TMP/out-none"
check "non-existent profile directories: exit 0, writes and prints nothing" \
        test "$rc" -eq 0 -a -z "$(ls -A "$TMP/out-none")" -a ! -s "$TMP/none.err"

# --- options -----------------------------------------------------------

run_generator "$TMP/help" --help
check "--help exits 0 and describes --dry-run" test "$rc" -eq 0 -a -n "$(grep -e '--dry-run' "$TMP/help.out")"
run_generator "$TMP/version" --version
check "--version exits 0 and prints the version" \
        test "$rc" -eq 0 -a "$(cat "$TMP/version.out")" = "sandbox-generator $VERSION"
run_generator "$TMP/unknown" --no-such-option "$TMP/out-empty"
check "an unknown option: non-zero exit" test "$rc" -ne 0

# --- sandboxctl show prints the generator's drop-in -------------------

mkdir "$TMP/out-examples"
SANDBOX_PROFILE_PATH="$EXAMPLES" run_generator "$TMP/examples" "$TMP/out-examples"
check "generator on profiles/examples exits 0" test "$rc" -eq 0
for f in "$EXAMPLES"/*.xml; do
        n=$(basename "$f" .xml)
        SANDBOX_PROFILE_PATH="$EXAMPLES" "$SANDBOXCTL" show "$n" >"$TMP/show.out" 2>"$TMP/show.err"
        src=$?
        if [ "$src" -eq 0 ] && cmp -s "$TMP/out-examples/sandbox@$n.service.d/50-profile.conf" "$TMP/show.out"; then
                ok "sandboxctl show $n equals the generator's drop-in"
        else
                not_ok "sandboxctl show $n equals the generator's drop-in"
                diag "exit status $src" "$(cat "$TMP/show.err")" \
                        "$(diff -u "$TMP/out-examples/sandbox@$n.service.d/50-profile.conf" "$TMP/show.out" 2>&1 | head -30)"
        fi
done
for n in $NAMES; do
        SANDBOX_PROFILE_PATH="$FIXTURES/good:$FIXTURES/second" "$SANDBOXCTL" show "$n" >"$TMP/show.out" 2>"$TMP/show.err"
        check "sandboxctl show $n (fixture) equals the golden drop-in" same_as_golden "$n" "$TMP/show.out"
done

done_testing
