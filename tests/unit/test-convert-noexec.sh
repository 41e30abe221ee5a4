#!/usr/bin/env bash
# sandboxctl convert of NoExecPaths= and ExecPaths= read from unit files
# (no manager to ask): the lines add up and an empty one starts over, as
# systemd reads them; "-" becomes optional="yes"; the profile validates.
# A value the elements cannot take (a specifier, "+", a path in both,
# one that is not normalised) is refused as a widening, one line each,
# and only --accept-widening converts it, saying it is lost.
. "$(dirname "$0")/../tap.sh"

UNITS=$TMP/units
mkdir -p "$UNITS" "$TMP/profiles" "$TMP/tmpfiles"
export SYSTEMD_UNIT_PATH=$UNITS SANDBOX_PROFILE_PATH=$TMP/profiles DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus
export SANDBOX_TMPFILES_PATH=$TMP/tmpfiles

ctl() { "$SANDBOXCTL" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }

# unit NAME LINE...: a service running /usr/bin/true with LINE... added
unit() {
        local name=$1
        shift
        printf '[Service]\nExecStart=/usr/bin/true\n' >"$UNITS/$name.service"
        printf '%s\n' "$@" >>"$UNITS/$name.service"
}

unit redis 'NoExecPaths=/' 'ExecPaths=/usr/bin/redis-server /usr/lib' 'ExecPaths=-/lib'
ctl convert redis --output=-
check_eq "NoExecPaths=/ and ExecPaths= as Debian's redis-server has them: converted" "$rc" 0
check "<no-exec-path path=\"/\"/>" grep -qx '    <no-exec-path path="/"/>' "$TMP/out"
check "the ExecPaths= lines add up, \"-\" as optional" grep -qz \
        '    <exec-path path="/usr/bin/redis-server"/>.    <exec-path path="/usr/lib"/>.    <exec-path path="/lib" optional="yes"/>' \
        "$TMP/out"
check "... said as carried" grep -q 'ExecPaths=/usr/bin/redis-server /usr/lib -/lib: carried' "$TMP/err"
cp "$TMP/out" "$TMP/profiles/redis.xml"
check "... a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/profiles/redis.xml"

unit reset 'NoExecPaths=/' 'ExecPaths=/usr' 'ExecPaths=' 'ExecPaths=/usr/lib'
ctl convert reset --output=-
check_eq "an empty ExecPaths= line starts the list over: converted" "$rc" 0
check "... only what follows it" bash -c 'grep -q "<exec-path path=\"/usr/lib\"/>" "$0" && ! grep -q "<exec-path path=\"/usr\"/>" "$0"' "$TMP/out"

for value in 'ExecPaths=/usr/lib %h' 'ExecPaths=+/usr/lib' 'ExecPaths=/usr/lib/' 'ExecPaths=/'; do
        unit refused 'NoExecPaths=/' "$value"
        ctl convert refused --output=-
        check_eq "NoExecPaths=/ $value: refused" "$rc" 1
        check "... one line for each, saying what the elements take" bash -c \
                '[ "$(grep -c "<no-exec-path> and <exec-path> take absolute, normalised paths" "$0")" = 2 ]' "$TMP/err"
        check_eq "... and no profile" "$(wc -c <"$TMP/out")" 0
done

unit accepted 'NoExecPaths=/ %h' 'ExecPaths=/usr/lib'
ctl convert accepted --accept-widening --output=-
check_eq "--accept-widening converts a value the elements cannot take" "$rc" 0
check "... said as NOT CARRIED" grep -q 'NoExecPaths=/ %h: NOT CARRIED' "$TMP/err"
check "... and no element for it" bash -c '! grep -q "exec-path path=" "$0"' "$TMP/out"

done_testing
