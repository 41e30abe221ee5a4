#!/usr/bin/env bash
# Every profile in tests/profiles/invalid is refused: `sandboxctl validate`
# exits 1, prints nothing on stdout and exactly NAME.expected on stderr.
# Then the cases a checkout cannot hold (size, mode, owner, symlink,
# directory, FIFO) and a 1 MiB entity bomb, made here at run time.
. "$(dirname "$0")/../tap.sh"

CORPUS=$SOURCE_ROOT/tests/profiles/invalid
# includes are looked up only in the corpus's own base/
export SANDBOX_PROFILE_PATH=

mkdir -p "$TMP/invalid/base"
install -m 0644 "$CORPUS"/*.xml "$CORPUS"/*.expected "$TMP/invalid/"
install -m 0644 "$CORPUS"/base/*.xml "$TMP/invalid/base/"
cd "$TMP/invalid" || exit 1

# refused FILE EXPECTED: validating FILE fails with exactly the lines in
# the file EXPECTED on stderr and nothing on stdout.
refused() {
        local file=$1 expected=$2 rc=0

        "$SANDBOXCTL" validate -- "$file" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
        if [ "$rc" -eq 1 ]; then
                ok "$file: exit status 1"
        else
                not_ok "$file: exit status 1"
                diag "exit status $rc"
        fi
        if [ ! -s "$TMP/stdout" ]; then
                ok "$file: nothing on stdout"
        else
                not_ok "$file: nothing on stdout"
                diag "$(cat "$TMP/stdout")"
        fi
        if cmp -s -- "$expected" "$TMP/stderr"; then
                ok "$file: messages"
        else
                not_ok "$file: messages"
                diag "$(diff -u -- "$expected" "$TMP/stderr")"
        fi
}

# refused_with FILE MESSAGE...: as refused, with the expected lines given
refused_with() {
        local file=$1
        shift
        printf '%s\n' "$@" >"$TMP/expected"
        refused "$file" "$TMP/expected"
}

for f in *.xml; do
        if [ -e "./${f%.xml}.expected" ]; then
                refused "$f" "./${f%.xml}.expected"
        else
                not_ok "$f: has ${f%.xml}.expected"
        fi
done
for e in *.expected; do
        check "$e: has ${e%.expected}.xml" [ -e "./${e%.expected}.xml" ]
done

# Generated cases, in a directory of their own.
mkdir "$TMP/generated"
cd "$TMP/generated" || exit 1
profile() {
        printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <exec>\n    <arg>/usr/bin/true</arg>\n  </exec>\n</sandbox>\n'
}
# padded SIZE: a well-formed profile, padded with blanks to SIZE bytes
padded() {
        { profile; head -c "$1" /dev/zero | tr '\0' ' '; } | head -c "$1"
}

padded 2097152 >too-large.xml
refused_with too-large.xml "too-large.xml: is 2097152 bytes; a profile may be at most 1 MiB"

padded 1048577 >one-byte-too-large.xml
refused_with one-byte-too-large.xml "one-byte-too-large.xml: is 1048577 bytes; a profile may be at most 1 MiB"

# a pre-start command is one argument of the helper's: bounded as one
printf '<sandbox><exec><arg>/bin/true</arg></exec><exec-start-pre><arg>/bin/echo</arg><arg>%s</arg></exec-start-pre></sandbox>\n' \
        "$(head -c 70000 /dev/zero | tr '\0' x)" >hook-too-long.xml
refused_with hook-too-long.xml \
        "hook-too-long.xml:1: <exec-start-pre>: the command line comes to 140020 bytes (escaped); allowed: at most 131008"

profile >group-writable.xml
chmod 0664 group-writable.xml
refused_with group-writable.xml \
        "group-writable.xml: is writable by its group (mode 0664); a profile must be writable only by its owner (chmod go-w)"

profile >other-writable.xml
chmod 0646 other-writable.xml
refused_with other-writable.xml \
        "other-writable.xml: is writable by others (mode 0646); a profile must be writable only by its owner (chmod go-w)"

profile >target.xml
ln -s target.xml symlinked.xml
refused_with symlinked.xml \
        "symlinked.xml: is a symbolic link; a profile must be a regular file (copy it instead of linking)"

if [ "$(id -u)" -eq 0 ] && nobody=$(id -u nobody 2>/dev/null); then
        profile >owned-by-nobody.xml
        chown nobody owned-by-nobody.xml
        refused_with owned-by-nobody.xml "owned-by-nobody.xml: is owned by uid $nobody; a profile must be owned by root"
else
        skip "a profile owned by another user is refused (needs root and a user nobody)"
fi

mkdir directory.xml
refused_with directory.xml "directory.xml: is not a regular file; a profile must be a regular file"

mkfifo fifo.xml
refused_with fifo.xml "fifo.xml: is not a regular file; a profile must be a regular file"

refused_with missing.xml "missing.xml: cannot open: No such file or directory"

profile >web.conf
refused_with ./web.conf "./web.conf: the file name does not end in .xml; the profile of sandbox NAME is NAME.xml"

# base profiles get the same file checks as the profile that includes them
mkdir base
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <network mode="none"/>\n</sandbox>\n' >base/target.xml
ln -s target.xml base/linked.xml
cp base/target.xml base/group-writable.xml
chmod 0664 base/group-writable.xml
printf '<sandbox>\n  <include name="linked"/>\n  <include name="group-writable"/>\n  <exec><arg>/usr/bin/true</arg></exec>\n</sandbox>\n' >includes-unsafe-bases.xml
refused_with includes-unsafe-bases.xml \
        "./base/linked.xml: is a symbolic link; a profile must be a regular file (copy it instead of linking)" \
        "./base/group-writable.xml: is writable by its group (mode 0664); a profile must be writable only by its owner (chmod go-w)"

# Profiles that are well-formed but could not start: what the kernel and
# systemd take, named in the message with the line of <exec>.
# limit_profile FILE PYTHON-EXPR-FOR-THE-BODY: FILE with an <exec> whose
# inner XML the expression gives
limit_profile() {
        python3 -c 'import sys
body = eval(sys.argv[2])
open(sys.argv[1], "w").write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sandbox>\n  <exec>\n" + body + "  </exec>\n</sandbox>\n")' "$1" "$2"
}
ARG=' the kernel takes at most 131071 bytes for one argument (MAX_ARG_STRLEN, its NUL included), and the start would fail with E2BIG'
limit_profile arg-200k.xml '"    <arg>/bin/echo</arg>\n    <arg>" + "a" * 204800 + "</arg>\n"'
refused_with arg-200k.xml "arg-200k.xml:3: <exec>: argument 2 is 204800 bytes;$ARG"
limit_profile arg-max-plus-1.xml '"    <arg>/bin/echo</arg>\n    <arg>" + "a" * 131072 + "</arg>\n"'
refused_with arg-max-plus-1.xml "arg-max-plus-1.xml:3: <exec>: argument 2 is 131072 bytes;$ARG"
limit_profile arg-max.xml '"    <arg>/bin/echo</arg>\n    <arg>" + "a" * 131071 + "</arg>\n"'
check "an argument of 131071 bytes (MAX_ARG_STRLEN with its NUL) is valid" "$SANDBOXCTL" validate -- arg-max.xml
limit_profile env-140k.xml '"    <arg>/bin/echo</arg>\n    <env name=\"BIG\" value=\"" + "e" * 140000 + "\"/>\n"'
refused_with env-140k.xml "env-140k.xml:3: <env name=\"BIG\">: NAME=VALUE is 140004 bytes; the kernel takes at most 131071 bytes \
for one environment variable (MAX_ARG_STRLEN, its NUL included), and the start would fail with E2BIG"
# includes add up: eight bases of 130 variables of 2 KiB each, over 2 MiB in all
mkdir -p base
for i in 1 2 3 4 5 6 7 8; do
        python3 -c 'import sys
i = sys.argv[1]
envs = "".join("    <env name=\"V%s_%d\" value=\"%s\"/>\n" % (i, k, "v" * 2048) for k in range(130))
open("base/env-part%s.xml" % i, "w").write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sandbox>\n  <exec>\n" + envs + "  </exec>\n</sandbox>\n")' "$i"
done
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<sandbox>' \
        '  <include name="env-part1"/>' '  <include name="env-part2"/>' '  <include name="env-part3"/>' \
        '  <include name="env-part4"/>' '  <include name="env-part5"/>' '  <include name="env-part6"/>' \
        '  <include name="env-part7"/>' '  <include name="env-part8"/>' \
        '  <exec>' '    <arg>/bin/echo</arg>' '  </exec>' '</sandbox>' >env-total.xml
rc=0
"$SANDBOXCTL" validate -- env-total.xml >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
check "a command line and environment over ARG_MAX (2 MiB, from includes): refused, naming ARG_MAX and E2BIG" \
        test "$rc" -eq 1 -a "$(grep -c '^env-total\.xml:11: <exec>: the command line and environment come to .* (ARG_MAX: .* E2BIG$' "$TMP/stderr")" -eq 1
# a profile near 1 MiB whose ExecStart= line is longer than systemd takes:
# every "%" is written "%%"
limit_profile percent.xml '"    <arg>/bin/echo</arg>\n" + "".join("    <arg>" + "%" * 100000 + "</arg>\n" for _ in range(9))'
size=$(stat -c %s percent.xml)
rc=0
"$SANDBOXCTL" validate -- percent.xml >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
check "a profile of $size bytes whose ExecStart= line would be 1.8 MB: refused, naming LONG_LINE_MAX" \
        test "$rc" -eq 1 -a "$(grep -c "^percent\.xml:3: <exec>: the drop-in's ExecStart= line would be [0-9]* bytes; systemd rejects the unit for a line of 1048576 bytes or more (LONG_LINE_MAX)" "$TMP/stderr")" -eq 1

# The boundary is systemd's own: a profile whose ExecStart= line is one
# byte under LONG_LINE_MAX is valid, one at it is refused; systemd's
# parser loads the first line and rejects the second. The profile stays
# under 1 MiB: its last argument is "%" (written "%%") and one "b" or none;
# the names are as long as the probe's, which the line holds twice.
# line_profile FILE PERCENTS BS: nine arguments, the last PERCENTS times
# "%" and BS times "b"
line_profile() {
        limit_profile "$1" '"    <arg>/bin/echo</arg>\n" + "".join("    <arg>" + "a" * 130000 + "</arg>\n" for _ in range(8)) + "    <arg>" + "%" * '"$2"' + "b" * '"$3"' + "</arg>\n"'
}
line_profile probe.xml 1000 0
len=$("$SANDBOXCTL" show -- probe.xml 2>/dev/null | awk '/^ExecStart=./ { print length($0) }')
more=$((1048575 - len))
line_profile under.xml $((1000 + more / 2)) $((more % 2))
line_profile atlim.xml $((1000 + (more + 1) / 2)) $(((more + 1) % 2))
rc=0
"$SANDBOXCTL" show -- under.xml >"$TMP/under.conf" 2>"$TMP/stderr" || rc=$?
check_eq "a profile whose ExecStart= line is 1048575 bytes is valid, and the line is that long" \
        "$rc $(awk '/^ExecStart=./ { print length($0) }' "$TMP/under.conf")" "0 1048575"
rc=0
"$SANDBOXCTL" validate -- atlim.xml >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
check "a profile whose ExecStart= line would be 1048576 bytes is refused, the length named" \
        test "$rc" -eq 1 -a "$(grep -c "ExecStart= line would be 1048576 bytes" "$TMP/stderr")" -eq 1
if command -v systemd-analyze >/dev/null; then
        # the drop-in's lines as a unit of their own, and the same with one
        # byte more on the ExecStart= line
        { printf '[Unit]\nDescription=limit\n[Service]\n'; grep '^ExecStart=.' "$TMP/under.conf"; } >"$TMP/under.service"
        { printf '[Unit]\nDescription=limit\n[Service]\n'; grep '^ExecStart=.' "$TMP/under.conf" | sed 's/$/b/'; } >"$TMP/at.service"
        (cd "$TMP" && systemd-analyze verify --man=no ./under.service) >"$TMP/verify-under" 2>&1
        (cd "$TMP" && systemd-analyze verify --man=no ./at.service) >"$TMP/verify-at" 2>&1
        check "systemd loads the 1048575-byte ExecStart= line" \
                bash -c '! grep -q "No buffer space available\|too long" "$1"' _ "$TMP/verify-under"
        check "systemd refuses the 1048576-byte one (ENOBUFS)" grep -q "No buffer space available" "$TMP/verify-at"
else
        skip "systemd loads the 1048575-byte ExecStart= line" "no systemd-analyze"
        skip "systemd refuses the 1048576-byte one (ENOBUFS)" "no systemd-analyze"
fi

# a LoadCredential= path that resolves, through a symbolic link, into
# what every sandbox masks: systemd would follow it as root
ln -s /proc/self/environ "$TMP/invalid/credential-link"
cat >credential-link.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/bin/true</arg></exec>
  <unit-setting section="Service" name="LoadCredential" value="env:$TMP/invalid/credential-link"/>
</sandbox>
XML
chmod 0644 credential-link.xml
"$SANDBOXCTL" validate -- credential-link.xml >"$TMP/stdout" 2>"$TMP/stderr"
check_eq "LoadCredential= of a link into /proc: refused" "$?" 1
check "... saying where it resolves" grep -q "^credential-link.xml:4: <unit-setting>: LoadCredential= path \"$TMP/invalid/credential-link\" resolves into or above a path the sandbox always masks: /proc/[0-9]*/environ;" "$TMP/stderr"
rm credential-link.xml "$TMP/invalid/credential-link"

# An entity bomb of just under 1 MiB: thousands of entities, each ten of
# the one before. Refused quickly, whatever the parser's entity limits.
awk 'BEGIN {
        head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE sandbox [\n<!ENTITY e0 \"lol\">\n"
        printf "%s", head
        n = length(head)
        for (i = 1; n < 1048576 - 1024; i++) {
                line = "<!ENTITY e" i " \""
                for (k = 0; k < 10; k++)
                        line = line "&e" (i - 1) ";"
                line = line "\">\n"
                printf "%s", line
                n += length(line)
        }
        printf "]>\n<sandbox>\n  <exec>\n    <arg>/usr/bin/true</arg>\n    <arg>&e%d;</arg>\n  </exec>\n</sandbox>\n", i - 1
}' >entity-bomb.xml
size=$(stat -c %s entity-bomb.xml)
check "entity-bomb.xml is just under 1 MiB ($size bytes)" test "$size" -gt 1000000 -a "$size" -le 1048576
start=${EPOCHREALTIME/[.,]/}
rc=0
"$SANDBOXCTL" validate entity-bomb.xml >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
ms=$(((${EPOCHREALTIME/[.,]/} - start) / 1000))
check "entity-bomb.xml: exit status 1" test "$rc" -eq 1
check "entity-bomb.xml: nothing on stdout" test ! -s "$TMP/stdout"
check "entity-bomb.xml: one message, for entity-bomb.xml" \
        test "$(grep -c '^entity-bomb\.xml:[0-9]*: ' "$TMP/stderr")" -eq 1 -a "$(wc -l <"$TMP/stderr")" -eq 1
check "entity-bomb.xml: refused in under 2 seconds (took $ms ms)" test "$ms" -lt 2000

done_testing
