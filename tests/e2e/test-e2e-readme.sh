#!/bin/bash
# End-to-end: the README's tour, run as it is written, under systemd in a
# container where the build is installed. In the tour's section:
#   - an ```xml block is a profile, written to the path the paragraph
#     before it names in backquotes (`/etc/sandbox/profiles/NAME.xml`);
#   - in a ```console block, a line "# COMMAND" is a command run as root
#     (in /root, from an administrator's shell, that is a cgroup of the
#     container's own); the lines after it, up to the next command, are
#     its output as shown: each must be a line of what it printed (to
#     standard output or error), in that order, spaces compared
#     collapsed. A command shown without output must exit 0;
#   - a ```sh block is commands, one a line, which must exit 0.
# The paths are those of the README's install (--prefix=/usr), as
# tests/run-suite builds.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

README=$SOURCE_ROOT/README.md
e2e_init
# the tour's sandbox of a private user namespace idmaps the root: one
# that can be idmapped (not the usual overlay)
e2e_idmappable
e2e_boot

# admin CMD: CMD run by sh in /root of the container, as an administrator
# would; its output (both streams), and its exit status
admin() {
        c systemd-run --quiet --wait --pipe --collect --service-type=exec \
                /bin/sh -c "cd /root && $1" </dev/null 2>&1
}

# The steps, one a record: "file PATH", then the content, or "cmd COMMAND",
# then the lines of output shown; each record ends with a line "\x1e".
python3 - "$README" >"$TMP/steps" <<'EOF'
import re, sys

text = open(sys.argv[1]).read()
start = text.index("## A two-minute tour")
end = text.index("\n## ", start + 1)
tour = text[start:end]
out = sys.stdout
pos = 0
for m in re.finditer(r"^```(\w+)\n(.*?)^```$", tour, re.S | re.M):
    kind, body = m.group(1), m.group(2)
    before = tour[pos:m.start()]
    pos = m.end()
    if kind == "xml":
        paths = re.findall(r"`(/[^`]+\.xml)`", before)
        if not paths:
            sys.exit("an xml block without a path before it")
        out.write("file %s\n%s\x1e\n" % (paths[-1], body))
    elif kind == "console":
        cmd, shown = None, []
        for line in body.splitlines():
            if line.startswith("# "):
                if cmd is not None:
                    out.write("cmd %s\n%s\x1e\n" % (cmd, "".join(l + "\n" for l in shown)))
                cmd, shown = line[2:], []
            elif cmd is None:
                sys.exit("console output before any command: " + line)
            else:
                shown.append(line)
        if cmd is not None:
            out.write("cmd %s\n%s\x1e\n" % (cmd, "".join(l + "\n" for l in shown)))
    elif kind == "sh":
        for line in body.splitlines():
            if line.strip():
                out.write("cmd %s\n\x1e\n" % line)
EOF
check "README: the tour has steps" [ -s "$TMP/steps" ]

# shown_in OUTPUT SHOWN: every line of SHOWN is a line of OUTPUT, in order,
# with runs of spaces compared as one
shown_in() {
        python3 - "$1" "$2" <<'EOF'
import sys

def norm(s):
    return " ".join(s.split())

got = [norm(l) for l in sys.argv[1].splitlines()]
i = 0
for want in sys.argv[2].splitlines():
    want = norm(want)
    while i < len(got) and got[i] != want:
        i += 1
    if i == len(got):
        print("not shown: " + want)
        sys.exit(1)
    i += 1
EOF
}

steps=0
while IFS= read -r head; do
        body=
        while IFS= read -r line && [ "$line" != $'\x1e' ]; do
                body+=$line$'\n'
        done
        steps=$((steps + 1))
        case $head in
        file\ *)
                path=${head#file }
                printf '%s' "$body" | c sh -c "mkdir -p '$(dirname "$path")' && cat >'$path' && chmod 0644 '$path'"
                check "README: the profile $path is written" c test -s "$path"
                ;;
        cmd\ *)
                cmd=${head#cmd }
                output=$(admin "$cmd")
                rc=$?
                if [ -z "$body" ]; then
                        if [ "$rc" -eq 0 ]; then ok "README: # $cmd"; else not_ok "README: # $cmd"; diag "status $rc" "$output"; fi
                elif why=$(shown_in "$output" "$body"); then
                        ok "README: # $cmd (output as shown)"
                else
                        not_ok "README: # $cmd (output as shown)"
                        diag "$why" "status $rc, output:" "$output"
                fi
                ;;
        esac
done <"$TMP/steps"
check "README: every step of the tour ran (${steps})" [ "$steps" -ge 10 ]

done_testing
