#!/usr/bin/env bash
# The shipped AppArmor profiles (profiles/apparmor/) parse, with their
# abstraction, as apparmor_parser compiles them for the kernel; the
# kernel is not asked (the test machines' has no AppArmor; tests/vm/
# loads and enforces them). Skipped without apparmor_parser.
. "$(dirname "$0")/../tap.sh"

APPARMOR_DIR=$SOURCE_ROOT/profiles/apparmor
PARSER=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
if [ ! -x "$PARSER" ] || [ ! -d /etc/apparmor.d/abstractions ]; then
        echo "1..0 # SKIP no apparmor_parser and /etc/apparmor.d here (apt-get install apparmor)"
        exit 0
fi

for p in sandbox-default sandbox-net-raw; do
        # -Q: parse and compile only; -K: no cache. Abstractions are
        # found in the source tree first, then in /etc/apparmor.d.
        if "$PARSER" -Q -K -I "$APPARMOR_DIR" "$APPARMOR_DIR/$p" 2>"$TMP/err" &&
                ! grep -v '^Cache read/write disabled' "$TMP/err" | grep -q .; then
                ok "$p parses"
        else
                not_ok "$p parses"
                diag "$(cat "$TMP/err")"
        fi
        # the name the profiles' <apparmor profile=...> asks for
        check "$p defines the profile $p" grep -q "^profile $p " "$APPARMOR_DIR/$p"
done

# what the profiles allow and deny, from the parser's own view of them
# (-p: the profile with its includes expanded)
"$PARSER" -p -I "$APPARMOR_DIR" "$APPARMOR_DIR/sandbox-default" >"$TMP/default" 2>/dev/null
"$PARSER" -p -I "$APPARMOR_DIR" "$APPARMOR_DIR/sandbox-net-raw" >"$TMP/raw" 2>/dev/null
check "sandbox-default denies raw and packet sockets" grep -q '^ *deny network raw,' "$TMP/default"
check "sandbox-net-raw allows raw sockets" grep -q '^ *network raw,' "$TMP/raw"
check "sandbox-net-raw does not deny them" eval '! grep -q "deny network raw" "$TMP/raw"'
for f in default raw; do
        check "$f: denies mounts" grep -q '^ *deny mount,' "$TMP/$f"
        check "$f: denies every sandbox's state" grep -q '^ *deny /var/lib/sandbox/' "$TMP/$f"
        check "$f: denies /etc/shadow" grep -q '^ *deny /etc/{shadow,gshadow}' "$TMP/$f"
done

done_testing
