#!/usr/bin/env bash
# validate --json and show --json: JSON that a parser reads, with the
# same facts as their text: validate's problems and warnings as its
# standard error has them, show's settings as its drop-in has them, and
# both checked against the profiles they were given.
. "$(dirname "$0")/../tap.sh"
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3

D=$TMP/profiles
mkdir -p "$D"
cp -r "$EXAMPLES/." "$D/"
# invalid, with problems on lines 5 and 7
cat >"$D/broken.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- invalid on purpose: a relative command, an unknown service type -->
<sandbox>
  <exec user="root">
    <arg>bin/true</arg>
  </exec>
  <service type="sometimes"/>
</sandbox>
EOF
# valid, with a warning: a capability that reaches past the sandbox
cat >"$D/unsafe.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec>
    <arg>/bin/true</arg>
  </exec>
  <security>
    <capabilities keep-unsafe="CAP_SYS_ADMIN"/>
  </security>
</sandbox>
EOF
# an include whose base profile is invalid: the problem is the base's
mkdir -p "$D/base"
cat >"$D/base/bad-base.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <network mode="nowhere"/>
</sandbox>
EOF
cat >"$D/includes-bad.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <include name="bad-base"/>
  <exec>
    <arg>/bin/true</arg>
  </exec>
</sandbox>
EOF
export SANDBOX_PROFILE_PATH=$D

# run OUT ERR COMMAND...: rc set to COMMAND's exit status
run() {
        local out=$1 err=$2
        shift 2
        rc=0
        "$@" >"$out" 2>"$err" || rc=$?
}

# py CODE FILE [ARG...]: python CODE with j, the JSON in FILE, and the
# ARGs in args; its exit status
py() {
        "$PYTHON" -c '
import json, sys
j = json.load(open(sys.argv[1]))
args = sys.argv[2:]
'"$1" "${@:2}"
}

# ---- validate --json ----------------------------------------------------
run "$TMP/v.json" "$TMP/v.err" "$SANDBOXCTL" validate --json "$D/nginx.xml"
check "validate --json of a valid profile exits 0" test "$rc" -eq 0
check "validate --json of a valid profile writes nothing to stderr" test ! -s "$TMP/v.err"
check "validate --json of a valid profile: an array of one object, exactly file, valid, problems, warnings" \
        py 'sys.exit(not (len(j) == 1 and sorted(j[0]) == ["file", "problems", "valid", "warnings"]))' "$TMP/v.json"
check "... its file is the path given, valid true, no problems, no warnings" \
        py 'o = j[0]; sys.exit(not (o["file"] == args[0] and o["valid"] is True and o["problems"] == [] and o["warnings"] == []))' \
        "$TMP/v.json" "$D/nginx.xml"
run "$TMP/v2.json" "$TMP/v2.err" "$SANDBOXCTL" --json validate "$D/nginx.xml"
check "--json validate prints the same as validate --json" cmp -s "$TMP/v.json" "$TMP/v2.json"

# the problems are the text's, field by field
run "$TMP/b.json" "$TMP/b.err" "$SANDBOXCTL" validate --json "$D/broken.xml"
check "validate --json of an invalid profile exits 1" test "$rc" -eq 1
check "validate --json of an invalid profile writes nothing to stderr" test ! -s "$TMP/b.err"
run "$TMP/b.txt" "$TMP/b.txterr" "$SANDBOXCTL" validate "$D/broken.xml"
check "... valid false, and problems on lines 5 and 7 of the profile, each with file, line, message" \
        py 'o = j[0]
sys.exit(not (o["file"] == args[0] and o["valid"] is False and
              all(sorted(p) == ["file", "line", "message"] and p["file"] == args[0] for p in o["problems"]) and
              {5, 7} <= {p["line"] for p in o["problems"]}))' "$TMP/b.json" "$D/broken.xml"
check "... the problems are validate's lines on stderr, PATH:LINE: MESSAGE, in their order" \
        py 'got = ["%s:%d: %s" % (p["file"], p["line"], p["message"]) for p in j[0]["problems"]]
want = open(args[0]).read().splitlines()
if got != want: print("# got", got, "\n# want", want)
sys.exit(got != want)' "$TMP/b.json" "$TMP/b.txterr"

# warnings: valid, and the text's warning lines
run "$TMP/u.json" "$TMP/u.err" "$SANDBOXCTL" validate --json unsafe
check "validate --json of a profile with keep-unsafe exits 0" test "$rc" -eq 0
run "$TMP/u.txt" "$TMP/u.txterr" "$SANDBOXCTL" validate unsafe
check "... valid true, no problems, a warning on CAP_SYS_ADMIN at its <capabilities> line, as on stderr" \
        py 'o = j[0]
got = ["%s:%d: %s" % (w["file"], w["line"], w["message"]) for w in o["warnings"]]
want = open(args[1]).read().splitlines()
sys.exit(not (o["file"] == args[0] and o["valid"] is True and o["problems"] == [] and got == want and
              len(got) == 1 and o["warnings"][0]["line"] == 7 and "CAP_SYS_ADMIN" in got[0]))' \
        "$TMP/u.json" "$D/unsafe.xml" "$TMP/u.txterr"

# a problem in a base profile names the base's file
run "$TMP/i.json" "$TMP/i.err" "$SANDBOXCTL" validate --json includes-bad
check "validate --json of a profile whose base is invalid exits 1" test "$rc" -eq 1
check "... its problem is in the base profile's file, at line 3" \
        py 'o = j[0]
sys.exit(not (o["file"] == args[0] and o["valid"] is False and
              any(p["file"] == args[1] and p["line"] == 3 for p in o["problems"])))' \
        "$TMP/i.json" "$D/includes-bad.xml" "$D/base/bad-base.xml"

# a file that is not there: invalid, a problem about the whole file
run "$TMP/m.json" "$TMP/m.err" "$SANDBOXCTL" validate --json "$TMP/missing.xml"
check "validate --json of a missing file exits 1" test "$rc" -eq 1
check "... valid false, one problem with line null saying it cannot be opened" \
        py 'o = j[0]
sys.exit(not (o["file"] == args[0] and o["valid"] is False and len(o["problems"]) == 1 and
              o["problems"][0]["line"] is None and o["problems"][0]["file"] == args[0] and
              "No such file" in o["problems"][0]["message"]))' "$TMP/m.json" "$TMP/missing.xml"

# several, and without arguments: every profile on the search path
run "$TMP/s.json" "$TMP/s.err" "$SANDBOXCTL" validate --json "$D/nginx.xml" "$D/broken.xml" "$D/redis.xml"
check "validate --json of three, one invalid, exits 1 with three objects in order" \
        py 'sys.exit(not (args[0] == "1" and [(o["file"], o["valid"]) for o in j] == [(args[1], True), (args[2], False), (args[3], True)]))' \
        "$TMP/s.json" "$rc" "$D/nginx.xml" "$D/broken.xml" "$D/redis.xml"
run "$TMP/all.json" "$TMP/all.err" "$SANDBOXCTL" validate --json
run "$TMP/list.json" "$TMP/list.err" "$SANDBOXCTL" list --json
check "validate --json without arguments: one object for each profile list finds, same path and validity" \
        py 'l = json.load(open(args[0]))
sys.exit(not ([(o["file"], o["valid"]) for o in j] == [(o["path"], o["valid"]) for o in l] and len(j) > 3))' \
        "$TMP/all.json" "$TMP/list.json"
check "list --json: each profile's network, with its mode (null when invalid) and, as none of them runs, no addresses" \
        py 'import xml.etree.ElementTree as ET
keys = ["addresses", "bridge", "forwards", "gateways", "host_interface", "interface", "mode", "outbound"]
def mode(o):
    if not o["valid"]:
        return None
    n = ET.parse(o["path"]).getroot().find("network")
    return None if n is None else n.get("mode")
sys.exit(not (j and all(sorted(o["network"]) == keys and all(o["network"][k] is None for k in keys if k != "mode") and
                        (o["network"]["mode"] is None) == (not o["valid"]) and
                        mode(o) in (None, o["network"]["mode"]) for o in j) and
              any(mode(o) for o in j)))' "$TMP/list.json"
# a directory of the search path that is skipped: said on stderr, no object
W=$TMP/writable
mkdir -p "$W"
cp "$D/redis.xml" "$W/untrusted.xml"
chmod 0777 "$W"
SANDBOX_PROFILE_PATH=$W:$D run "$TMP/w.json" "$TMP/w.err" "$SANDBOXCTL" validate --json
check "validate --json with a skipped directory exits 1, says why on stderr, and has no object from it" \
        py 'sys.exit(not (args[0] == "1" and any((args[2] + ": skipped: ") in l for l in open(args[1])) and
              j and not any(o["file"].startswith(args[2] + "/") for o in j)))' "$TMP/w.json" "$rc" "$TMP/w.err" "$W"
SANDBOX_PROFILE_PATH=$TMP/nowhere run "$TMP/e.json" "$TMP/e.err" "$SANDBOXCTL" validate --json
check "validate --json on an empty search path prints [] and exits 0" \
        py 'sys.exit(not (j == [] and args[0] == "0"))' "$TMP/e.json" "$rc"

# ---- show --json --------------------------------------------------------
run "$TMP/sh.json" "$TMP/sh.err" "$SANDBOXCTL" show --json http-server
check "show --json exits 0" test "$rc" -eq 0
check "show --json writes nothing to stderr" test ! -s "$TMP/sh.err"
run "$TMP/sh.txt" "$TMP/sh.txterr" "$SANDBOXCTL" show http-server
check "show --json: exactly name, path and dropin; the sections of show's text, with every setting's values in order" \
        py 'want, section = {}, None
for line in open(args[0]).read().splitlines():
    if line.startswith("["):
        section = want.setdefault(line[1:-1], {})
    elif line and not line.startswith("#"):
        k, v = line.split("=", 1)
        section.setdefault(k, []).append(v)
sys.exit(not (sorted(j) == ["dropin", "name", "path"] and j["dropin"] == want and
              list(j["dropin"]) == ["Unit", "Service"]))' "$TMP/sh.json" "$TMP/sh.txt"
check "show --json against the profile: its name and absolute path, <description>, <resources>, <service>" \
        py 'import xml.etree.ElementTree as ET
x = ET.parse(args[0]).getroot()
u, s = j["dropin"]["Unit"], j["dropin"]["Service"]
r, sv = x.find("resources"), x.find("service")
sys.exit(not (j["name"] == "http-server" and j["path"] == args[0] and
              u["Description"] == [x.find("description").text] and u["SourcePath"] == [args[0]] and
              s["MemoryMax"] == [r.get("memory")] and s["CPUQuota"] == [r.get("cpu")] and
              s["TasksMax"] == [r.get("tasks")] and s["Restart"] == [sv.get("restart")] and
              s["RestartSec"] == [sv.get("restart-sec")]))' "$TMP/sh.json" "$D/http-server.xml"
check "show --json: ExecStart reset, then the helper with the profile's name, path, bind and command" \
        py 'import xml.etree.ElementTree as ET
x = ET.parse(args[0]).getroot()
e = j["dropin"]["Service"]["ExecStart"]
b = x.find("filesystem/bind")
cmd = " ".join(a.text for a in x.findall("exec/arg"))
sys.exit(not (len(e) == 2 and e[0] == "" and "--name=http-server " in e[1] and ("--profile=%s " % args[0]) in e[1] and
              ("--bind-ro=%s:%s " % (b.get("source"), b.get("target"))) in e[1] and e[1].endswith(" -- " + cmd)))' \
        "$TMP/sh.json" "$D/http-server.xml"
(cd "$D" && "$SANDBOXCTL" show --json ./redis.xml) >"$TMP/rel.json" 2>"$TMP/rel.err"
check "show --json ./NAME.xml: the path made absolute, the name from the profile" \
        py 'sys.exit(not (j["path"] == args[0] and j["name"] == "redis" and j["dropin"]["Unit"]["SourcePath"] == [args[0]]))' \
        "$TMP/rel.json" "$D/redis.xml"

run "$TMP/sb.json" "$TMP/sb.err" "$SANDBOXCTL" show --json broken
check "show --json of an invalid profile exits 1" test "$rc" -eq 1
check "... prints nothing on stdout, and its problems as PATH:LINE: on stderr" \
        bash -c '[ ! -s "$1" ] && grep -q "^$2:5: " "$3"' _ "$TMP/sb.json" "$D/broken.xml" "$TMP/sb.err"
run "$TMP/o" "$TMP/e" "$SANDBOXCTL" show --json
check "show --json without a profile: usage error (status 2)" test "$rc" -eq 2

done_testing
