#!/bin/bash
# The directories profiles are read from: each directory on the search
# path, and every directory above it, must be root's and writable by no
# one else (a sticky one above it excepted). One that is not, or that
# cannot be read, is skipped with a message naming it and why, by
# `sandboxctl list`, `validate` and the generator alike, and the other
# directories' profiles still count.

. "$(dirname "$0")/../tap.sh"

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP needs root, to make directories owned by others"
        exit 0
fi
NOBODY=$(id -u nobody 2>/dev/null) || {
        echo "1..0 # SKIP no user nobody"
        exit 0
}

GOOD=$SOURCE_ROOT/tests/unit/generator/good
D=$TMP/dirs
mkdir "$D"

# mkprofiles DIR NAME...: DIR (made, mode 0755) with a minimal profile for
# each NAME, root's and 0644
mkprofiles() {
        local dir=$1 n
        shift
        mkdir -p "$dir"
        chmod 0755 "$dir"
        for n in "$@"; do
                cp "$GOOD/minimal.xml" "$dir/$n.xml"
                chmod 0644 "$dir/$n.xml"
        done
}

# run_ctl PREFIX PATH ARGS...: sandboxctl with SANDBOX_PROFILE_PATH=PATH,
# output in PREFIX.out and PREFIX.err, status in $rc
run_ctl() {
        local prefix=$1 path=$2
        shift 2
        rc=0
        SANDBOX_PROFILE_PATH=$path DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus \
                "$SANDBOXCTL" "$@" >"$prefix.out" 2>"$prefix.err" || rc=$?
}

# run_gen PREFIX PATH: the generator into PREFIX.d (made empty), output in
# PREFIX.out and PREFIX.err, status in $rc
run_gen() {
        local prefix=$1 path=$2
        rm -rf "$prefix.d"
        mkdir "$prefix.d"
        rc=0
        SANDBOX_PROFILE_PATH=$path "$GENERATOR" "$prefix.d" >"$prefix.out" 2>"$prefix.err" || rc=$?
}

# has FILE TEXT: FILE has a line holding TEXT (fixed string)
has() {
        grep -qF -- "$2" "$1"
}

# expect_skip WHAT PATH DIR WHY: with search path PATH, list, validate
# and the generator each name DIR as skipped because of WHY; the profile
# "trusted" of $D/trusted still counts, "untrusted" is not used
expect_skip() {
        local what=$1 path=$2 dir=$3 why=$4

        run_ctl "$TMP/l" "$path" list
        if [ "$rc" -eq 0 ] && has "$TMP/l.err" "$dir: skipped: $why" && has "$TMP/l.out" "trusted " \
                && ! grep -q '^untrusted ' "$TMP/l.out" && has "$TMP/l.out" "1 profiles listed; 1 directories skipped"; then
                ok "$what: list skips it, saying why, and lists the others"
        else
                not_ok "$what: list skips it, saying why, and lists the others"
                diag "rc $rc" "$(cat "$TMP/l.out" "$TMP/l.err")"
        fi

        run_ctl "$TMP/v" "$path" validate
        if [ "$rc" -ne 0 ] && has "$TMP/v.err" "$dir: skipped: $why" && has "$TMP/v.out" "/trusted.xml: valid" \
                && ! has "$TMP/v.out" "untrusted.xml"; then
                ok "$what: validate fails, saying why, and validates the others"
        else
                not_ok "$what: validate fails, saying why, and validates the others"
                diag "rc $rc" "$(cat "$TMP/v.out" "$TMP/v.err")"
        fi

        run_gen "$TMP/g" "$path"
        if [ "$rc" -ne 0 ] && has "$TMP/g.err" "$dir: skipped: $why" \
                && [ -f "$TMP/g.d/sandbox@trusted.service.d/50-profile.conf" ] \
                && [ ! -e "$TMP/g.d/sandbox@untrusted.service.d" ]; then
                ok "$what: the generator skips it, saying why, and writes the others' drop-ins"
        else
                not_ok "$what: the generator skips it, saying why, and writes the others' drop-ins"
                diag "rc $rc" "$(cat "$TMP/g.err")" "$(ls -R "$TMP/g.d")"
        fi
}

mkprofiles "$D/trusted" trusted

# the directory itself owned by another user
mkprofiles "$D/owned" untrusted
chown "$NOBODY" "$D/owned"
expect_skip "a directory owned by nobody" "$D/owned:$D/trusted" "$D/owned" \
        "directory $D/owned is owned by uid $NOBODY"

# group- and world-writable, sticky or not
mkprofiles "$D/gw" untrusted
chmod 0775 "$D/gw"
expect_skip "a group-writable directory" "$D/gw:$D/trusted" "$D/gw" \
        "directory $D/gw is writable by its group (mode 0775)"
mkprofiles "$D/ws" untrusted
chmod 1777 "$D/ws"
expect_skip "a world-writable directory, even sticky" "$D/ws:$D/trusted" "$D/ws" \
        "directory $D/ws is writable by others (mode 1777)"
# named by its path, a root-owned profile in a sticky directory (/tmp)
# is read: no one else can replace it there, and no name is looked up
run_ctl "$TMP/wsp" "$D/trusted" validate "$D/ws/untrusted.xml"
check "a profile named by its path in a sticky directory: validated" \
        test "$rc" -eq 0 -a -n "$(grep -F "$D/ws/untrusted.xml: valid" "$TMP/wsp.out")"
chmod 0777 "$D/ws"
run_ctl "$TMP/wsp" "$D/trusted" validate "$D/ws/untrusted.xml"
check "... but not in a world-writable one that is not sticky" \
        test "$rc" -ne 0 -a -n "$(grep -F "directory $D/ws is writable by others (mode 0777)" "$TMP/wsp.err" "$TMP/wsp.out")"
chmod 1777 "$D/ws"

# an ancestor: its owner or writers could swap the directory itself
mkdir -p "$D/up-owned/a"
mkprofiles "$D/up-owned/a/profiles" untrusted
chown "$NOBODY" "$D/up-owned"
expect_skip "a directory below one owned by nobody" "$D/up-owned/a/profiles:$D/trusted" "$D/up-owned/a/profiles" \
        "directory $D/up-owned is owned by uid $NOBODY"
mkdir -p "$D/up-ww"
mkprofiles "$D/up-ww/profiles" untrusted
chmod 0777 "$D/up-ww"
expect_skip "a directory below a world-writable one" "$D/up-ww/profiles:$D/trusted" "$D/up-ww/profiles" \
        "directory $D/up-ww is writable by others (mode 0777)"

# a symlinked directory is followed, and where it ends up is checked,
# with that place's ancestors
mkdir -p "$D/srv-bad"
mkprofiles "$D/srv-bad/profiles" untrusted
chown "$NOBODY" "$D/srv-bad"
ln -s "$D/srv-bad/profiles" "$D/link-bad"
expect_skip "a symlink to a directory below one owned by nobody" "$D/link-bad:$D/trusted" "$D/link-bad" \
        "directory $D/srv-bad is owned by uid $NOBODY"
# ... and so is the directory holding the link
mkdir "$D/linkdir"
ln -s "$D/trusted" "$D/linkdir/profiles"
chown "$NOBODY" "$D/linkdir"
run_ctl "$TMP/ld" "$D/linkdir/profiles" list
check "a symlink in a directory owned by nobody is not followed" \
        has "$TMP/ld.err" "$D/linkdir/profiles: skipped: directory $D/linkdir is owned by uid $NOBODY"
# a link nobody made in a sticky directory (as /tmp) is not trusted either
mkdir "$D/sticky"
chmod 1777 "$D/sticky"
ln -s "$D/trusted" "$D/sticky/profiles"
chown -h "$NOBODY" "$D/sticky/profiles"
run_ctl "$TMP/sl" "$D/sticky/profiles" list
check "a symlink owned by nobody in a sticky directory is not followed" \
        has "$TMP/sl.err" "$D/sticky/profiles: skipped: symbolic link $D/sticky/profiles is owned by uid $NOBODY"

# what an admin may have: /etc/sandbox/profiles -> /srv/profiles, root's;
# and a sticky world-writable directory above one of root's (as /tmp)
mkdir -p "$D/srv/profiles" "$D/etc/sandbox"
mkprofiles "$D/srv/profiles" linked
ln -s ../../srv/profiles "$D/etc/sandbox/profiles"
mkdir "$D/sticky/root-own"
mkprofiles "$D/sticky/root-own" sticky-below
run_gen "$TMP/ok" "$D/etc/sandbox/profiles:$D/sticky/root-own:$D/trusted"
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/ok.err" ] && [ -f "$TMP/ok.d/sandbox@linked.service.d/50-profile.conf" ] \
        && [ -f "$TMP/ok.d/sandbox@sticky-below.service.d/50-profile.conf" ]; then
        ok "a root-owned symlinked directory, and one below a sticky directory, are used"
else
        not_ok "a root-owned symlinked directory, and one below a sticky directory, are used"
        diag "rc $rc" "$(cat "$TMP/ok.err")"
fi
check "the drop-in of a symlinked directory's profile names the path as given" \
        grep -qF "SourcePath=$D/etc/sandbox/profiles/linked.xml" "$TMP/ok.d/sandbox@linked.service.d/50-profile.conf"

# the swap: the owner of a directory renames root's profiles in it; the
# profile is not read from there, neither found nor given as a path
mkprofiles "$D/swap" web other
sed -i 's|/bin/true|/bin/false|' "$D/swap/other.xml"
chown "$NOBODY" "$D/swap"
setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups sh -c \
        "mv '$D/swap/web.xml' '$D/swap/web.tmp' && mv '$D/swap/other.xml' '$D/swap/web.xml'"
run_ctl "$TMP/sw" "$D/swap:$D/trusted" show web
check "show: a name only in a skipped directory is not found, and the skip is said" \
        test "$rc" -ne 0 -a -s "$TMP/sw.err"
check "show: the skip names the directory and its owner" \
        has "$TMP/sw.err" "$D/swap: skipped: directory $D/swap is owned by uid $NOBODY"
run_ctl "$TMP/swp" "" validate "$D/swap/web.xml"
check "validate PATH: a profile in a directory owned by nobody is not read" \
        test "$rc" -ne 0
check "validate PATH: the message names the directory" \
        has "$TMP/swp.err" "$D/swap/web.xml: not read: directory $D/swap is owned by uid $NOBODY"

# base profiles for <include> come from checked directories too
mkprofiles "$D/inc" includer
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<sandbox>' '  <include name="hardened"/>' \
        '  <exec><arg>/bin/true</arg></exec>' '</sandbox>' >"$D/inc/includer.xml"
mkprofiles "$D/inc/base" hardened
chown "$NOBODY" "$D/inc/base"
run_ctl "$TMP/inc" "$D/inc" validate includer
check "an include from a base directory owned by nobody is refused, naming it" \
        test "$rc" -ne 0 -a -n "$(grep -F "$D/inc/base: skipped: directory $D/inc/base is owned by uid $NOBODY" "$TMP/inc.err")"

# --json keeps its form: the skip goes to stderr only
run_ctl "$TMP/j" "$D/owned:$D/trusted" list --json
check "list --json: still JSON, the skip on stderr" \
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (len(d) == 1 and d[0]["name"] == "trusted"))' "$TMP/j.out"

# an unreadable directory (to the generator run as nobody here) is skipped
# with a message; before, the generator wrote no drop-in at all
mkprofiles "$D/closed" closed
chmod 0700 "$D/closed"
mkdir -p "$D/up-closed"
mkprofiles "$D/up-closed/profiles" below-closed
chmod 0700 "$D/up-closed"
rm -rf "$TMP/nb.d"
mkdir "$TMP/nb.d"
chown "$NOBODY" "$TMP/nb.d"
rc=0
SANDBOX_PROFILE_PATH="$D/closed:$D/up-closed/profiles:$D/trusted" setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups \
        "$GENERATOR" "$TMP/nb.d" >"$TMP/nb.out" 2>"$TMP/nb.err" || rc=$?
check "an unreadable directory: the generator says which and why" \
        has "$TMP/nb.err" "$D/closed: skipped: cannot open directory $D/closed: Permission denied"
check "a directory below an unreadable one: the generator says which and why" \
        has "$TMP/nb.err" "$D/up-closed/profiles: skipped: cannot open directory $D/up-closed/profiles: Permission denied"
check "an unreadable directory: the other directories' profiles still get drop-ins" \
        test -f "$TMP/nb.d/sandbox@trusted.service.d/50-profile.conf"
check "an unreadable directory: the generator's status says something was skipped" test "$rc" -ne 0
rc=0
SANDBOX_PROFILE_PATH="$D/closed:$D/trusted" setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups \
        "$SANDBOXCTL" list >"$TMP/nbl.out" 2>"$TMP/nbl.err" || rc=$?
check "an unreadable directory: list lists the others, and says which was skipped" \
        test "$rc" -eq 0 -a -n "$(grep '^trusted ' "$TMP/nbl.out")" -a -n "$(grep -F "$D/closed: skipped" "$TMP/nbl.err")"

# SANDBOX_HELPER: sandboxctl runs as root, so the program it names is
# executed only when root's and writable by no one else, in directories
# that are too; otherwise run refuses, exit status 1, and executes nothing
H=$TMP/helpers
mkdir -m 0755 "$H" "$H/open"
chmod 0777 "$H/open"
# fakehelper FILE: a "helper" that leaves $TMP/ran behind
fakehelper() {
        printf '#!/bin/sh\ntouch "%s/ran"\n' "$TMP" >"$1"
        chmod 0755 "$1"
}
fakehelper "$H/good"
fakehelper "$H/open/helper"
fakehelper "$H/group-writable"
chmod 0775 "$H/group-writable"
fakehelper "$H/nobodys"
chown "$NOBODY" "$H/nobodys"
ln -s good "$H/link"
for bad in "$H/open/helper:directory $H/open is writable by others" \
           "$H/group-writable:writable by group or others" \
           "$H/nobodys:owned by another user" \
           "$H/link:not a regular file" \
           "helpers/good:not an absolute path to a file"; do
        rm -f "$TMP/ran"
        rc=0
        (cd "$TMP" && SANDBOX_HELPER=${bad%%:*} "$SANDBOXCTL" run --state-root="$TMP/hs" "$D/trusted/trusted.xml" -- /bin/true) \
                >"$TMP/h.out" 2>"$TMP/h.err" || rc=$?
        check "SANDBOX_HELPER=${bad%%:*}: refused, status 1" test "$rc" -eq 1
        check "SANDBOX_HELPER=${bad%%:*}: says why (${bad#*:})" has "$TMP/h.err" "${bad#*:}"
        check "SANDBOX_HELPER=${bad%%:*}: not executed" test ! -e "$TMP/ran"
done
rm -f "$TMP/ran"
SANDBOX_HELPER=$H/good "$SANDBOXCTL" run --state-root="$TMP/hs" "$D/trusted/trusted.xml" -- /bin/true >/dev/null 2>&1 || :
check "SANDBOX_HELPER: root's, writable by no one else, in such directories: executed" test -e "$TMP/ran"

done_testing
