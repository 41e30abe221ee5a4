#!/bin/bash
# Quoting round trip through systemd's own parser: a profile whose
# arguments, environment, description, mount paths and file path are hard
# to quote is compiled by sandbox-generator; systemd 252 then loads the
# drop-in (`systemd --test` dumps the parsed unit) and what it parsed must
# be exactly what the profile says. `systemd-analyze verify` must accept
# the unit too.

. "$(dirname "$0")/../tap.sh"

HELPER_PATH=$(sed -n 's/^#define SANDBOX_HELPER_PATH "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")
UNIT_DIR=$(sed -n 's/^#define SANDBOX_UNIT_DIR "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")
SYSTEMD=/lib/systemd/systemd

# A directory name that needs quoting itself: it ends up in SourcePath=,
# in the header comment and in the helper's --profile=.
PROFILE_DIR="$TMP/pro files %i %% \$HOME 'sq' \"dq\" back\\slash é;#"
mkdir -p "$PROFILE_DIR"
CASES=$TMP/cases.json

# The test cases, written once: python3 writes the profile from them and
# later compares systemd's view with them.
python3 - "$PROFILE_DIR/q.xml" "$CASES" <<'EOF'
import json, sys
from xml.sax.saxutils import escape, quoteattr

profile, cases = sys.argv[1], sys.argv[2]

args = [
    "/opt/100% sure/bin/run $X",   # the command itself
    "%i", "%%", "100%", "%", "%%%", "%n%i",
    "$HOME", "${X}", "$$", "$", "$$$", "a$b", "${}", "$1",
    '"', "'", "\\", "\\n", "trailing\\", "\\\\", "\\x41", "\\;",
    ";", ";;", "a;b",
    "",
    " ", "a b", "  two  spaces  ",
    "a\tb", "\t",
    "é", "日本", "🦊", "\u00a0nbsp", "\u2028",
    "--flag=a b", "-leading-dash", "-", "--", "@at", "+plus", "!bang", ":colon",
    '--x="y"', "'single quoted'", "`backquote`", "#hash", "*?[glob]", "=", "a=b c",
    "\x7f",
]
# <arg expand="yes">: systemd must store them with their "$" as they are,
# to expand them at each start
expand_args = ["$HOME", "${X}", "--o=${X}x %i \"q\" 'q' \\ $$ $", "$1"]
env = [
    ("PERCENT", "%i %% 100%"),
    ("DOLLAR", "$HOME ${X} $$ $"),
    ("QUOTES", "\"d\" 'e'"),
    ("BACKSLASH", "a\\b\\n\\"),
    ("UNICODE", "é 日本 🦊"),
    ("SPACES", "  lead and trail  "),
    ("EMPTY", ""),
]
description = "Quoting %i %% 100% $HOME \"q\" 'q' a\\b é 🦊"
bind = ("/srv/a b:c\\d %i $HOME", "/mnt/x 'y' \"z\"")
mask = "/etc/\"secret\" file:%%"
workdir = "/srv/work dir/%i/$HOME"

def text(s):
    # tab and DEL as character references, so that they survive editors
    return escape(s).replace("\t", "&#9;").replace("\x7f", "&#127;")

with open(profile, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n')
    f.write("  <description>%s</description>\n" % text(description))
    f.write("  <exec workdir=%s>\n" % quoteattr(workdir))
    for a in args:
        f.write("    <arg>%s</arg>\n" % text(a))
    for a in expand_args:
        f.write('    <arg expand="yes">%s</arg>\n' % text(a))
    for n, v in env:
        f.write("    <env name=%s value=%s/>\n" % (quoteattr(n), quoteattr(v)))
    f.write("  </exec>\n  <filesystem>\n")
    f.write("    <bind source=%s target=%s/>\n" % (quoteattr(bind[0]), quoteattr(bind[1])))
    f.write("    <mask path=%s/>\n" % quoteattr(mask))
    f.write("  </filesystem>\n</sandbox>\n")

with open(cases, "w") as f:
    json.dump({"args": args, "expand_args": expand_args, "env": env, "description": description,
               "bind": bind, "mask": mask, "workdir": workdir}, f)
EOF

# --- generate ------------------------------------------------------------

UNITS=$TMP/units
mkdir "$UNITS"
cp "$BUILD_ROOT/units/sandbox@.service" "$SOURCE_ROOT/units/sandbox.slice" "$SOURCE_ROOT/units/sandbox.target" "$UNITS/"
rc=0
SANDBOX_PROFILE_PATH=$PROFILE_DIR "$GENERATOR" "$UNITS" >"$TMP/gen.log" 2>&1 || rc=$?
DROPIN=$UNITS/sandbox@q.service.d/50-profile.conf
if [ "$rc" -eq 0 ] && [ -f "$DROPIN" ]; then
        ok "generator compiles the quoting profile"
else
        not_ok "generator compiles the quoting profile"
        diag "exit status $rc" "$(cat "$TMP/gen.log")"
        done_testing
        exit
fi
chmod -R a+rX "$UNITS"

# --- systemd --test: how systemd 252 parses the drop-in -----------------

# `systemd --test --system` refuses to run as root; as root, run it as
# nobody (it only reads unit files and prints what it parsed).
run_as=()
why_not=
if [ ! -x "$SYSTEMD" ]; then
        why_not="no $SYSTEMD"
elif ! grep -qs " /sys/fs/cgroup " /proc/self/mountinfo; then
        # systemd's manager, even under --test, starts by finding its cgroup
        why_not="no cgroup file system on /sys/fs/cgroup, which systemd --test needs"
elif [ "$(id -u)" -eq 0 ]; then
        if ! command -v setpriv >/dev/null; then
                why_not="no setpriv to drop root for systemd --test"
        elif ! getent passwd 65534 >/dev/null; then
                why_not="no user 65534 (nobody) to run systemd --test as"
        else
                run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
                if ! "${run_as[@]}" test -r "$DROPIN"; then
                        why_not="nobody cannot read $TMP (set TMPDIR to a world-readable place)"
                fi
        fi
fi

DUMP=$TMP/dump.txt
if [ -n "$why_not" ]; then
        skip "systemd --test parses the drop-in: $why_not"
else
        rc=0
        "${run_as[@]}" env -i PATH=/usr/bin:/bin HOME=/ SYSTEMD_UNIT_PATH="$UNITS:" \
                "$SYSTEMD" --test --system --unit=sandbox@q.service --log-target=console --log-level=warning \
                >"$DUMP" 2>"$TMP/systemd.err" || rc=$?
        if [ "$rc" -eq 0 ] && grep -q $'^\t-> Unit sandbox@q.service:$' "$DUMP"; then
                ok "systemd --test loads sandbox@q.service"
        else
                not_ok "systemd --test loads sandbox@q.service"
                diag "exit status $rc" "$(tail -20 "$TMP/systemd.err")"
                why_not="systemd --test failed"
        fi
fi

# Compare systemd's view with the cases. systemd prints the parsed argv as
# "Command Line: ..." quoted by its quote_command_line(): a word is left
# bare unless it is empty or has white space, a control character or one
# of "\`$*?['()<>|&;!; then it is put in double quotes, inside which
# " \ ` $ get a backslash and control characters C escapes (\t, \177).
#
# systemd keeps "$$" in a parsed command line and turns it into "$" only
# when it runs the command, where "${NAME}" and "$NAME" would be replaced
# by variables (systemd.service(5), "Command lines"). The comparison
# applies that exec-time step to systemd's argv; a "$" that would expand
# there shows up as «expands:...» and so never matches.
if [ -z "$why_not" ]; then
        python3 - "$DUMP" "$CASES" "$HELPER_PATH" "$PROFILE_DIR/q.xml" >"$TMP/results" <<'EOF'
import json, re, sys

dump_path, cases_path, helper, profile = sys.argv[1:]
cases = json.load(open(cases_path))

def report(good, what, detail=""):
    # one line each; no "#" in a description, where TAP reads directives
    what = what.replace("#", "\\x23")
    print("%s\t%s\t%s" % ("ok" if good else "not ok", what.replace("\t", "\\t").replace("\n", " "),
                          detail.replace("\t", "\\t").replace("\n", " ")))

ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11,
           "\\": 92, '"': 34, "'": 39, "`": 96, "$": 36}

def split_command_line(line):
    """systemd's quote_command_line() output back into words (bytes)."""
    b = line.encode("utf-8", "surrogateescape")
    words, i = [], 0
    while i < len(b):
        if b[i:i+1] == b'"':
            i += 1
            w = bytearray()
            while True:
                if i >= len(b):
                    raise ValueError("unterminated quote")
                c = b[i:i+1]
                if c == b'"':
                    i += 1
                    break
                if c == b"\\":
                    e = chr(b[i+1])
                    if e in ESCAPES:
                        w.append(ESCAPES[e]); i += 2
                    elif re.match(rb"[0-7]{3}", b[i+1:i+4]):
                        w.append(int(b[i+1:i+4], 8)); i += 4
                    else:
                        raise ValueError("unknown escape \\%s" % e)
                else:
                    w += c; i += 1
            words.append(bytes(w))
        else:
            j = b.find(b" ", i)
            j = len(b) if j < 0 else j
            w = b[i:j]
            if re.search(rb"[\"\\`$*?\[\]'()<>|&;!\t\r\n\x00-\x1f\x7f]", w):
                raise ValueError("unquoted word needs quotes: %r" % w)
            words.append(w)
            i = j
        if i < len(b):
            if b[i:i+1] != b" ":
                raise ValueError("no space after a word at %d" % i)
            i += 1
    return [w.decode("utf-8", "surrogateescape") for w in words]

def at_exec(word):
    """What systemd makes of a stored word when it runs the command."""
    out, i = "", 0
    while i < len(word):
        if word[i] == "$":
            if word[i+1:i+2] == "$":
                out += "$"; i += 2; continue
            m = re.match(r"\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)", word[i:])
            if m:
                out += "«expands:%s»" % m.group(0); i += len(m.group(0)); continue
        out += word[i]; i += 1
    return out

# the block of our unit in the dump
block, inside = [], False
for line in open(dump_path, encoding="utf-8", errors="surrogateescape"):
    line = line.rstrip("\n")
    if line.startswith("\t-> Unit "):
        inside = line == "\t-> Unit sandbox@q.service:"
        continue
    if inside:
        block.append(line)

def field(name):
    return [l[len("\t\t" + name + ": "):] for l in block if l.startswith("\t\t" + name + ": ")]

# ExecStart: the "Command Line:" lines after "-> ExecStart:"
commands, in_exec = [], False
for l in block:
    if l == "\t\t-> ExecStart:":
        in_exec = True
    elif in_exec and l.startswith("\t\t\tCommand Line: "):
        commands.append(l[len("\t\t\tCommand Line: "):])
    elif not l.startswith("\t\t\t"):
        in_exec = False
report(len(commands) == 1, "systemd has exactly one ExecStart= command", "got %d" % len(commands))
try:
    argv = split_command_line(commands[0]) if commands else []
    report(True, "systemd's Command Line: splits into words")
except ValueError as e:
    argv = []
    report(False, "systemd's Command Line: splits into words", "%s in %s" % (e, commands[0]))
raw = argv[len(argv) - len(cases["expand_args"]):]
argv = [at_exec(w) for w in argv[:len(argv) - len(cases["expand_args"])]]
for i, a in enumerate(cases["expand_args"]):
    got = raw[i] if i < len(raw) else None
    report(got == a, "argument with expand=yes %s, kept for systemd to expand" % ascii(a), "systemd has %s" % ascii(got))

def spec(*fields):
    return ":".join(f.replace("\\", "\\\\").replace(":", "\\:") for f in fields)

options = [helper, "--name=q", "--profile=" + profile, "--etc=overlay", "--var=overlay",
           "--bind-ro=" + spec(*cases["bind"]), "--mask=" + cases["mask"], "--network=host",
           "--workdir=" + cases["workdir"], "--ready-on-exec"]
expected = options + ["--"] + cases["args"]

for o in options[1:]:
    name = o.split("=", 1)[0]
    got = [a for a in argv[:argv.index("--") if "--" in argv else len(argv)] if a.split("=", 1)[0] == name]
    report(got == [o], "option %s" % ascii(o), "systemd has %s" % ascii(got))

sep = argv.index("--") if "--" in argv else len(argv)
service = argv[sep + 1:]
for i, a in enumerate(cases["args"]):
    got = service[i] if i < len(service) else None
    report(got == a, "argument %d %s" % (i, ascii(a)), "systemd has %s" % ascii(got))

report(argv == expected, "whole argv as systemd will execute it",
       "systemd %s != expected %s" % (ascii(argv), ascii(expected)) if argv != expected else "")

env = field("Environment")
for n, v in cases["env"]:
    want = "%s=%s" % (n, v)
    got = [e for e in env if e.split("=", 1)[0] == n]
    report(got == [want], "Environment %s" % ascii(want), "systemd has %s" % ascii(got))

report(field("Description") == [cases["description"]], "Description %s" % ascii(cases["description"]),
       "systemd has %s" % ascii(field("Description")))
report(field("Source Path") == [profile], "SourcePath= is the profile's path",
       "systemd has %s" % ascii(field("Source Path")))
EOF
        [ $? -eq 0 ] || not_ok "comparing systemd's view with the profile"
        while IFS=$'\t' read -r result what detail; do
                if [ "$result" = ok ]; then
                        ok "$what"
                else
                        not_ok "$what"
                        diag "$detail"
                fi
        done <"$TMP/results"
else
        skip "arguments as systemd parses them: $why_not"
fi

# --- systemd-analyze verify on the same unit ----------------------------

# verify checks that ExecStart='s program exists: give it a root with the
# units, the drop-in, the helper where the build installs it, and the
# host's own units that the template depends on (sysinit.target, ...).
HOST_UNITS=$(host_unit_dir)
if [ -z "$HOST_UNITS" ] || ! command -v systemd-analyze >/dev/null; then
        skip "systemd-analyze verify sandbox@q.service: no systemd-analyze or unit directory"
else
        ROOT=$TMP/root
        mkdir -p "$ROOT$UNIT_DIR" "$ROOT/usr/lib/systemd/system" "$ROOT/run/systemd/system" "$(dirname "$ROOT$HELPER_PATH")"
        cp "$UNITS/sandbox@.service" "$UNITS/sandbox.slice" "$UNITS/sandbox.target" "$ROOT$UNIT_DIR/"
        cp -R "$UNITS/sandbox@q.service.d" "$ROOT/run/systemd/system/"
        cp "$HELPER" "$ROOT$HELPER_PATH"
        tar -C "$HOST_UNITS" --exclude='./sandbox*' -cf - . |
                tar -C "$ROOT/usr/lib/systemd/system" --skip-old-files -xf -
        rc=0
        systemd-analyze verify --root="$ROOT" --man=no sandbox@q.service >"$TMP/verify.log" 2>&1 || rc=$?
        if [ "$rc" -eq 0 ] && [ ! -s "$TMP/verify.log" ]; then
                ok "systemd-analyze verify sandbox@q.service: no errors or warnings"
        else
                not_ok "systemd-analyze verify sandbox@q.service: no errors or warnings"
                diag "exit status $rc" "$(cat "$TMP/verify.log")"
        fi
fi

done_testing
