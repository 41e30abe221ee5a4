#!/usr/bin/env bash
# Every profile in tests/profiles/invalid is refused: `sandboxctl validate`
# exits 1, prints nothing on stdout and exactly NAME.expected on stderr.
# Then the cases a checkout cannot hold (size, mode, owner, symlink,
# directory, FIFO) and a 1 MiB entity bomb, made here at run time.
. "$(dirname "$0")/tap.sh"

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
