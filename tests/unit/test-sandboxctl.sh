#!/usr/bin/env bash
# sandboxctl's commands and exit statuses (0 ok, 1 invalid or failed,
# 2 usage), run on copies of the example profiles in two search-path
# directories.
. "$(dirname "$0")/../tap.sh"
# the interpreter itself, not a wrapper script that finds it at every call
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

D1=$TMP/first
D2=$TMP/second
EMPTY=$TMP/empty
mkdir -p "$D1" "$D2" "$EMPTY"
cp -r "$EXAMPLES/." "$D1/"
# in both directories: the first one's must win
cp "$EXAMPLES/nginx.xml" "$D2/nginx.xml"
cp "$EXAMPLES/nightly-report.xml" "$D2/nightly-report.xml"
# only in the second directory, and different from its namesake so that
# it shows which file was read
sed -e 's|<install wanted-by="sandbox.target"/>|<install wanted-by="multi-user.target"/>|' \
        -e 's|<sandbox name="nginx">|<sandbox>|' "$EXAMPLES/nginx.xml" >"$D2/second-only.xml"
# invalid, with its first problem on line 6
cat >"$D1/broken.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec>
    <arg>/bin/true</arg>
  </exec>
  <network mode="bogus"/>
  <resources memory="lots"/>
</sandbox>
EOF
BROKEN_LINE=6
SEARCH="$D1:$D2"
export SANDBOX_PROFILE_PATH=$SEARCH

# the names expected on the search path: every *.xml stem, first one wins
expected_names() {
        local d f n
        local -A seen=()
        for d in "$D1" "$D2"; do
                for f in "$d"/*.xml; do
                        n=${f##*/}
                        n=${n%.xml}
                        [[ -z ${seen[$n]+x} ]] || continue
                        seen[$n]=1
                        printf '%s %s\n' "$n" "$f"
                done
        done | LC_ALL=C sort
}

# The expected wanted-by list of a profile, from its XML and its includes
# (looked up in the profile's base/ and the search path's base/).
wanted_by_of() {
        "$PYTHON" - "$1" "$D1" "$D2" <<'EOF'
import os, sys
import xml.etree.ElementTree as ET

path, dirs = sys.argv[1], sys.argv[2:]
bases = [os.path.join(os.path.dirname(path), "base")] + [os.path.join(d, "base") for d in dirs]

def wanted(p):
    result = None
    for el in ET.parse(p).getroot():
        if el.tag == "include":
            for b in bases:
                f = os.path.join(b, el.get("name") + ".xml")
                if os.path.exists(f):
                    inc = wanted(f)
                    if inc is not None:
                        result = inc
                    break
        elif el.tag == "install" and el.get("wanted-by") is not None:
            result = el.get("wanted-by").split()
    return result

print(",".join(wanted(path) or []))
EOF
}

run() { # run OUT ERR COMMAND...: status in $rc
        local out=$1 err=$2
        shift 2
        "$@" >"$out" 2>"$err"
        rc=$?
}

# unit_state NAME: the ActiveState of sandbox@NAME.service as systemctl
# says it, or "-" where systemd is not the init system to ask
unit_state() {
        if [ -d /run/systemd/system ] && [ -z "${DBUS_SYSTEM_BUS_ADDRESS:-}" ]; then
                systemctl is-active "sandbox@$1.service" 2>/dev/null
        else
                echo -
        fi
}

# ---- list (table) -------------------------------------------------------
run "$TMP/list.out" "$TMP/list.err" "$SANDBOXCTL" list
check "list exits 0 with an invalid profile among the valid ones" test "$rc" -eq 0
check "list prints the header NAME STATE AUTOSTART UNIT PATH" \
        grep -Eq '^NAME +STATE +AUTOSTART +UNIT +PATH$' <(head -n 1 "$TMP/list.out")

# rows: the lines after the header that do not start with a space, up to
# the blank line
awk 'NR > 1 && /^$/ { exit } NR > 1 && !/^ / { print }' "$TMP/list.out" >"$TMP/rows"
if diff <(expected_names) <(awk '{ print $1, $5 }' "$TMP/rows" | sort) >"$TMP/diff"; then
        ok "list prints one row per profile name, with the path of the first directory that has it"
else
        not_ok "list prints one row per profile name, with the path of the first directory that has it"
        diag "$(cat "$TMP/diff")"
fi
check "list's rows are sorted by name" diff <(awk '{ print $1 }' "$TMP/rows") <(awk '{ print $1 }' "$TMP/rows" | LC_ALL=C sort)
check "list ends with the count of profiles" \
        grep -qx "$(expected_names | wc -l) profiles listed." "$TMP/list.out"

while read -r name path; do
        [ "$name" = broken ] && want_state=invalid || want_state=valid
        want_auto=$(wanted_by_of "$path")
        want_unit=$(unit_state "$name")
        row=$(awk -v n="$name" '$1 == n' "$TMP/rows")
        read -r _ state auto unit rowpath <<<"$row"
        if [ "$state" = "$want_state" ] && [ "$auto" = "${want_auto:--}" ] && [ "$unit" = "$want_unit" ] &&
                [ "$rowpath" = "$path" ]; then
                ok "list: $name is $want_state, AUTOSTART ${want_auto:--}, UNIT $want_unit"
        else
                not_ok "list: $name is $want_state, AUTOSTART ${want_auto:--}, UNIT $want_unit"
                diag "row: $row"
        fi
done < <(expected_names)

check "list: the name in both directories has the first directory's path" \
        grep -Eq "^nginx +valid +sandbox.target +$(unit_state nginx) +$D1/nginx.xml$" "$TMP/rows"
check "list: a name only in the second directory has the second directory's path (and its own settings)" \
        grep -Eq "^second-only +valid +multi-user.target +$(unit_state second-only) +$D2/second-only.xml$" "$TMP/rows"
error_line=$(awk '/^broken / { getline; print; exit }' "$TMP/list.out")
if [[ $error_line =~ ^\ +"$D1/broken.xml:$BROKEN_LINE: ".*network.*bogus ]]; then
        ok "list: the invalid profile's row is followed by its first PATH:LINE: error"
else
        not_ok "list: the invalid profile's row is followed by its first PATH:LINE: error"
        diag "got: $error_line"
fi
check "list: only the first problem of the invalid profile is shown" \
        test "$(grep -c "$D1/broken.xml:" "$TMP/list.out")" -eq 1

# ---- list --json --------------------------------------------------------
run "$TMP/json1" "$TMP/json1.err" "$SANDBOXCTL" list --json
check "list --json exits 0" test "$rc" -eq 0
run "$TMP/json2" "$TMP/json2.err" "$SANDBOXCTL" --json list
check "--json list exits 0" test "$rc" -eq 0
check "list --json is valid JSON" "$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/json1"
check "--json list is valid JSON" "$PYTHON" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/json2"
check "list --json and --json list print the same" cmp -s "$TMP/json1" "$TMP/json2"
check "list --json writes nothing to stderr" test ! -s "$TMP/json1.err"

# the expected objects, from the fixture and the profiles' XML
: >"$TMP/expected.tsv"
while read -r name path; do
        printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$([ "$name" = broken ] && echo false || echo true)" \
                "$(wanted_by_of "$path")" "$(unit_state "$name")" >>"$TMP/expected.tsv"
done < <(expected_names)

check_json() { # check_json FILE EXPECTED.TSV: exits 1 and explains when a value is wrong
        "$PYTHON" - "$1" "$2" "$BROKEN_LINE" <<'EOF'
import json, sys

got = json.load(open(sys.argv[1]))
expected = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
broken_line = sys.argv[3]
problems = []
if not isinstance(got, list):
    sys.exit("# not a JSON array")
if [o.get("name") for o in got] != [e[0] for e in expected]:
    problems.append("names %r, expected %r" % ([o.get("name") for o in got], [e[0] for e in expected]))
fields = {"name", "path", "valid", "error", "autostart", "wanted_by", "unit_state", "network", "user_namespace"}
for o, (name, path, valid, wanted, unit) in zip(got, expected):
    wanted = wanted.split(",") if wanted else []
    if set(o) != fields:
        problems.append("%s: fields %s" % (name, sorted(o)))
        continue
    if o["path"] != path:
        problems.append("%s: path %r, expected %r" % (name, o["path"], path))
    if o["valid"] is not (valid == "true"):
        problems.append("%s: valid %r" % (name, o["valid"]))
    if o["valid"] and o["error"] is not None:
        problems.append("%s: error %r for a valid profile" % (name, o["error"]))
    if not o["valid"] and not (isinstance(o["error"], str) and o["error"].startswith("%s:%s: " % (path, broken_line))):
        problems.append("%s: error %r, expected %s:%s: ..." % (name, o["error"], path, broken_line))
    if o["wanted_by"] != wanted:
        problems.append("%s: wanted_by %r, expected %r" % (name, o["wanted_by"], wanted))
    if o["autostart"] is not bool(wanted):
        problems.append("%s: autostart %r" % (name, o["autostart"]))
    if o["unit_state"] != (None if unit == "-" else unit):
        problems.append("%s: unit_state %r, expected %r" % (name, o["unit_state"], unit))
    # none runs, and none has a range of <user-namespace mode="private"/>
    if o["user_namespace"] is not None:
        problems.append("%s: user_namespace %r, expected null" % (name, o["user_namespace"]))
for p in problems:
    print("# " + p)
sys.exit(1 if problems else 0)
EOF
}
check "list --json: exactly name, path, valid, error, autostart, wanted_by, unit_state, network, user_namespace, with each profile's values" \
        check_json "$TMP/json1" "$TMP/expected.tsv"
check "list --json: the invalid profile's error is its first problem, as in the table" \
        "$PYTHON" -c '
import json, sys
o = [o for o in json.load(open(sys.argv[1])) if o["name"] == "broken"][0]
sys.exit(0 if o["error"] == sys.argv[2].strip() else 1)' "$TMP/json1" "$error_line"

# ---- empty search path --------------------------------------------------
for what in "an empty SANDBOX_PROFILE_PATH" "a search path of one empty directory"; do
        [ "$what" = "an empty SANDBOX_PROFILE_PATH" ] && sp= || sp=$EMPTY
        out=$(SANDBOX_PROFILE_PATH=$sp "$SANDBOXCTL" list)
        rc=$?
        if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | awk 'NR > 1 && NF' )" = "0 profiles listed." ] &&
                [[ $(head -n 1 <<<"$out") =~ ^NAME\ +STATE ]]; then
                ok "list with $what prints the header and no rows"
        else
                not_ok "list with $what prints the header and no rows"
                diag "status $rc" "$out"
        fi
        out=$(SANDBOX_PROFILE_PATH=$sp "$SANDBOXCTL" list --json)
        rc=$?
        check "list --json with $what prints []" \
                "$PYTHON" -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1]) == [] and sys.argv[2] == "0" else 1)' "$out" "$rc"
done

# ---- show ---------------------------------------------------------------
HELPER_PATH=$(sed -n 's/^#define SANDBOX_HELPER_PATH "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")
run "$TMP/show.out" "$TMP/show.err" "$SANDBOXCTL" show nginx
check "show NAME exits 0" test "$rc" -eq 0
check "show NAME prints SourcePath= with the absolute path of the first directory's profile" \
        grep -qx "SourcePath=$D1/nginx.xml" "$TMP/show.out"
check "show NAME resets ExecStart= and then sets it to the configured helper ($HELPER_PATH)" \
        bash -c 'grep -A1 -x "ExecStart=" "$1" | grep -q "^ExecStart=$2 --name=nginx "' _ "$TMP/show.out" "$HELPER_PATH"
check "show NAME resets the template's ExecStartPre= before ExecStart=" \
        bash -c 'grep -B1 -x "ExecStart=" "$1" | grep -qx "ExecStartPre="' _ "$TMP/show.out"
check "show NAME passes the profile's path to the helper" grep -q -- " --profile=$D1/nginx.xml " "$TMP/show.out"
check "show NAME has [Unit] and [Service] sections" \
        bash -c 'grep -qx "\[Unit\]" "$1" && grep -qx "\[Service\]" "$1"' _ "$TMP/show.out"
run "$TMP/show2.out" "$TMP/show2.err" "$SANDBOXCTL" show second-only
check "show NAME of a name only in the second directory reads that file" \
        grep -qx "SourcePath=$D2/second-only.xml" "$TMP/show2.out"

# <user-namespace mode="private"/> reaches the helper as its option
run "$TMP/userns.out" "$TMP/userns.err" "$SANDBOXCTL" show "$SOURCE_ROOT/tests/profiles/valid/user-namespace-private.xml"
check "show of a profile with <user-namespace mode=\"private\"/> passes --user-namespace=private" \
        bash -c '[ "$1" -eq 0 ] && grep "^ExecStart=/" "$2" | grep -q -- " --user-namespace=private "' _ "$rc" "$TMP/userns.out"

run "$TMP/bad.out" "$TMP/bad.err" "$SANDBOXCTL" show broken
check "show of an invalid profile exits 1" test "$rc" -eq 1
check "show of an invalid profile prints PATH:LINE: on stderr" \
        grep -q "^$D1/broken.xml:$BROKEN_LINE: " "$TMP/bad.err"
check "show of an invalid profile prints nothing on stdout" test ! -s "$TMP/bad.out"

# relative paths: to the working directory, made absolute
(cd "$D1" && "$SANDBOXCTL" show ./redis.xml) >"$TMP/rel.out" 2>"$TMP/rel.err"
rc=$?
check "show ./NAME.xml (a relative path) exits 0" test "$rc" -eq 0
check "show ./NAME.xml has SourcePath= with the absolute path" grep -qx "SourcePath=$D1/redis.xml" "$TMP/rel.out"
(cd "$D2" && "$SANDBOXCTL" show nightly-report.xml) >"$TMP/rel2.out" 2>"$TMP/rel2.err"
rc=$?
check "show NAME.xml (relative, no slash) is a path in the working directory, not a name" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "SourcePath=$2/nightly-report.xml" "$3"' _ "$rc" "$D2" "$TMP/rel2.out"
(cd "$TMP" && "$SANDBOXCTL" show "${D1##*/}/memcached.xml") >"$TMP/rel3.out" 2>"$TMP/rel3.err"
rc=$?
check "show DIR/NAME.xml (relative) of a profile with an include exits 0 with SourcePath= absolute" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "SourcePath=$2/memcached.xml" "$3"' _ "$rc" "$D1" "$TMP/rel3.out"

run "$TMP/o" "$TMP/e" "$SANDBOXCTL" show
check "show without arguments exits 2" test "$rc" -eq 2
check "show without arguments says why on stderr" test -s "$TMP/e"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" show nginx redis
check "show with two arguments exits 2" test "$rc" -eq 2
check "show with two arguments prints nothing on stdout" test ! -s "$TMP/o"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" show no-such-profile
check "show of a missing name exits 1" test "$rc" -eq 1

# ---- usage --------------------------------------------------------------
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" frobnicate
check "an unknown command exits 2" test "$rc" -eq 2
check "an unknown command is named in the message on stderr" grep -q frobnicate "$TMP/e"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL"
check "no command exits 2" test "$rc" -eq 2
check "no command prints a message on stderr" test -s "$TMP/e"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" --no-such-option list
check "an unknown option exits 2" test "$rc" -eq 2
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" list extra
check "list with an argument exits 2" test "$rc" -eq 2

run "$TMP/o" "$TMP/e" "$SANDBOXCTL" --help
check "--help exits 0" test "$rc" -eq 0
check "--help prints the usage and every command" \
        bash -c 'grep -q "^sandboxctl " "$1" && grep -qw validate "$1" && grep -qw list "$1" && grep -qw show "$1"' _ "$TMP/o"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" --version
VERSION=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$BUILD_ROOT/meson-info/intro-projectinfo.json" 2>/dev/null)
check "--version exits 0" test "$rc" -eq 0
check "--version prints sandboxctl ${VERSION:-VERSION}" grep -qx "sandboxctl ${VERSION:-.*}" "$TMP/o"

# ---- validate -----------------------------------------------------------
# without arguments: every profile on the search path, as list finds them
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate
check "validate without arguments exits 1 when one profile on the path is invalid" test "$rc" -eq 1
check "validate without arguments says \"PATH: valid\" for every valid profile on the path, first of each name" \
        test "$(sed -n 's/: valid$//p' "$TMP/o")" = "$(expected_names | awk '$1 != "broken" { print $2 }')"
check "validate without arguments reports the invalid one's problems as PATH:LINE:" \
        bash -c '[ "$(grep -c "^$2/broken.xml:[0-9]*: " "$1")" -ge 2 ] && grep -q "^$2/broken.xml:$3: " "$1"' \
        _ "$TMP/e" "$D1" "$BROKEN_LINE"
check "validate without arguments names no valid profile on stderr" \
        test -z "$(grep -v "^$D1/broken.xml:" "$TMP/e")"
SANDBOX_PROFILE_PATH=$D2 run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate
check "validate without arguments exits 0 when every profile on the path is valid" \
        bash -c '[ "$1" -eq 0 ] && [ "$(wc -l <"$2")" -eq "$(ls "$3"/*.xml | wc -l)" ] && [ ! -s "$4" ]' \
        _ "$rc" "$TMP/o" "$D2" "$TMP/e"
SANDBOX_PROFILE_PATH="$EMPTY:$TMP/no-such-dir" run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate
check "validate without arguments on a path without profiles exits 0 and prints nothing" \
        bash -c '[ "$1" -eq 0 ] && [ ! -s "$2" ] && [ ! -s "$3" ]' _ "$rc" "$TMP/o" "$TMP/e"
SANDBOX_PROFILE_PATH=$D1 run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate --
check "validate -- without more arguments is validate without arguments" \
        bash -c '[ "$1" -eq 1 ] && grep -qx "$2/nginx.xml: valid" "$3"' _ "$rc" "$D1" "$TMP/o"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate no-such-profile
check "validate of a missing name exits 1" test "$rc" -eq 1
check "validate of a missing name names it and every searched directory" \
        bash -c 'grep -q "no-such-profile" "$1" && grep -qF "$2" "$1" && grep -qF "$3" "$1"' _ "$TMP/e" "$D1" "$D2"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate nginx memcached
check "validate of valid names exits 0 and reports each valid" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "$2/nginx.xml: valid" "$3" && grep -qx "$2/memcached.xml: valid" "$3"' _ "$rc" "$D1" "$TMP/o"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate nginx broken
check "validate of a valid and an invalid profile exits 1 and reports both" \
        bash -c '[ "$1" -eq 1 ] && grep -qx "$2/nginx.xml: valid" "$3" && grep -q "^$2/broken.xml:$5: " "$4"' \
        _ "$rc" "$D1" "$TMP/o" "$TMP/e" "$BROKEN_LINE"
check "validate reports every problem of the invalid profile, not only the first" \
        test "$(grep -c "^$D1/broken.xml:" "$TMP/e")" -ge 2

# ---- capabilities that reach past the sandbox ---------------------------
# kept with keep-unsafe=: valid, with a warning for each on stderr; in
# keep=: refused, naming the capability, what it does and the opt-in
UNSAFE=$TMP/unsafe
mkdir -p "$UNSAFE"
unsafe_profile() { # unsafe_profile NAME CAPABILITIES-ELEMENT
        printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <exec><arg>/bin/true</arg></exec>\n  <security>\n    %s\n  </security>\n</sandbox>\n' \
                "$2" >"$UNSAFE/$1.xml"
}
unsafe_profile opted-in '<capabilities keep="CAP_CHOWN" keep-unsafe="CAP_SYS_PTRACE CAP_SYS_ADMIN"/>'
unsafe_profile in-keep '<capabilities keep="CAP_CHOWN CAP_SYS_PTRACE"/>'
chmod -R go-w "$UNSAFE"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate "$UNSAFE/opted-in.xml"
check_eq "validate, keep-unsafe=: exit 0" "$rc" 0
check_eq "validate, keep-unsafe=: the profile is valid" "$(cat "$TMP/o")" "$UNSAFE/opted-in.xml: valid"
check_eq "validate, keep-unsafe=: a warning for each capability, at the element's line, on stderr" \
        "$(sed 's/: it lets the service .*//' "$TMP/e")" \
        "$(printf '%s\n' "$UNSAFE/opted-in.xml:5: warning: <capabilities>: CAP_SYS_PTRACE is kept (keep-unsafe)" \
                "$UNSAFE/opted-in.xml:5: warning: <capabilities>: CAP_SYS_ADMIN is kept (keep-unsafe)")"
check "validate, keep-unsafe=: the warning says what the capability lets the service do" \
        grep -q "CAP_SYS_PTRACE is kept (keep-unsafe): it lets the service trace any process it sees" "$TMP/e"
SANDBOX_PROFILE_PATH=$UNSAFE:$D1 run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate opted-in nginx
check_eq "validate, keep-unsafe= and another profile: exit 0" "$rc" 0
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" show "$UNSAFE/opted-in.xml"
check "show, keep-unsafe=: the helper keeps both lists" grep -q -- "--keep-caps=CAP_CHOWN,CAP_SYS_PTRACE,CAP_SYS_ADMIN " "$TMP/o"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate "$UNSAFE/in-keep.xml"
check_eq "validate, CAP_SYS_PTRACE in keep=: exit 1, nothing on stdout" "$rc:$(cat "$TMP/o")" "1:"
check "validate, CAP_SYS_PTRACE in keep=: names it, what it lets the service do, and the opt-in" \
        grep -qx "$UNSAFE/in-keep.xml:5: <capabilities>: CAP_SYS_PTRACE lets the service trace any process it sees, .*; keep it only with keep-unsafe=\"CAP_SYS_PTRACE\"" "$TMP/e"

# ---- a base shared by several profiles ---------------------------------
# each profile that includes a base gets its settings, and each reports a
# problem in it, however many are checked in one run
SHARED=$TMP/shared
mkdir -p "$SHARED/base"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <resources memory="64M"/>\n</sandbox>\n' \
        >"$SHARED/base/limits.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <resources memory="lots"/>\n</sandbox>\n' \
        >"$SHARED/base/faulty.xml"
for n in one two; do
        for b in limits faulty; do
                printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <include name="%s"/>\n  <exec><arg>/bin/%s</arg></exec>\n</sandbox>\n' \
                        "$b" "$n" >"$SHARED/$n-$b.xml"
        done
done
chmod -R go-w "$SHARED"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate "$SHARED/one-limits.xml" "$SHARED/two-limits.xml"
check "two profiles sharing a valid base both validate" test "$rc" -eq 0
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" validate "$SHARED/one-faulty.xml" "$SHARED/two-faulty.xml"
check "two profiles sharing a faulty base: exit 1, the base's problem reported for each" \
        bash -c '[ "$1" -eq 1 ] && [ "$(grep -c "^$2/base/faulty.xml:3: <resources>" "$3")" -eq 2 ]' _ "$rc" "$SHARED" "$TMP/e"
for n in one two; do
        SANDBOX_PROFILE_PATH=$SHARED run "$TMP/o" "$TMP/e" "$SANDBOXCTL" show "$n-limits"
        check "show $n-limits: MemoryMax from the shared base" grep -qx "MemoryMax=64M" "$TMP/o"
done
SANDBOX_PROFILE_PATH=$SHARED run "$TMP/o" "$TMP/e" "$SANDBOXCTL" list --json
check "list: the two profiles on the valid base are valid, the two on the faulty one are not" \
        test "$("$PYTHON" -c 'import json, sys; print(" ".join(o["name"] for o in json.load(open(sys.argv[1])) if o["valid"]))' "$TMP/o")" = "one-limits two-limits"

# ---- run: the host network's <allow> and <deny> are the unit's ------------
# systemd's IPAddressAllow=/IPAddressDeny= on sandbox@NAME.service: run
# has no unit, and refuses before anything is made rather than run
# unfiltered
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <exec><arg>/bin/true</arg></exec>\n  <network mode="host">\n    <allow address="10.0.0.0/8"/>\n    <deny address="any"/>\n  </network>\n</sandbox>\n' \
        >"$SHARED/filtered.xml"
chmod go-w "$SHARED/filtered.xml"
SANDBOX_PROFILE_PATH=$SHARED run "$TMP/o" "$TMP/e" "$SANDBOXCTL" run filtered
check "run of a profile with <allow>/<deny> on the host's network: refused (exit 1), naming the unit and --without-limits" \
        bash -c '[ "$1" -eq 1 ] && grep -q "IPAddressAllow= and IPAddressDeny=: start it as sandbox@filtered.service" "$2" &&
                 grep -q -- --without-limits "$2" && [ ! -s "$3" ]' _ "$rc" "$TMP/e" "$TMP/o"

done_testing
