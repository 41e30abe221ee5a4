#!/bin/bash
# docs/security.md against systemd-analyze security --offline=true: for
# each profile in profiles/examples, the generator's drop-in and the
# template are scored, and the figure the document lists for that example
# must be the one printed now. The tests' valid profiles are scored too,
# against the document's figures with and without PrivateNetwork=yes.
#
# Everything is in a root of its own, passed as --root=: the template
# where the build installs it, the drop-ins in etc/systemd/system
# (systemd-analyze in offline mode reads no generator directory).

. "$(dirname "$0")/../tap.sh"

DOC=$SOURCE_ROOT/docs/security.md
VALID=$SOURCE_ROOT/tests/profiles/valid

if ! command -v systemd-analyze >/dev/null; then
        echo "1..0 # SKIP no systemd-analyze on this machine"
        exit 0
fi
if ! systemd-analyze --help 2>/dev/null | grep -q -- '--offline='; then
        echo "1..0 # SKIP systemd-analyze has no --offline (systemd before 250)"
        exit 0
fi

# the figures are systemd's own: another version may weigh its checks
# otherwise, so they are compared only under the one the document names
DOC_VERSION=$(sed -n 's/.*printed by systemd \([0-9][0-9]*\).*/\1/p' "$DOC" | head -1)
VERSION=$(systemd-analyze --version | sed -n '1s/^systemd \([0-9][0-9]*\).*/\1/p')
check "docs/security.md names the systemd version of its figures" test -n "$DOC_VERSION"

UNIT_DIR=$(sed -n 's/^#define SANDBOX_UNIT_DIR "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")

# doc_figure CELL: the figure in the document's first table row whose
# first cell is CELL ("| CELL | 8.8 EXPOSED | ..."), or nothing
doc_figure() {
        awk -F' [|] ' -v cell="$1" '
                $1 == "| " cell && $2 ~ /^[0-9]+\.[0-9] [A-Z]+( [|])?$/ { sub(/ [|]$/, "", $2); print $2; exit }' "$DOC"
}

# score ROOT NAME: systemd's figure for sandbox@NAME.service in ROOT,
# as "8.8 EXPOSED"; its output in $TMP/security.log, its status in $rc
score() {
        rc=0
        systemd-analyze security --offline=true --root="$1" --no-pager "sandbox@$2.service" \
                >"$TMP/security.log" 2>&1 || rc=$?
        figure=$(sed -n "s/^.*Overall exposure level for sandbox@$2\\.service: \\([0-9][0-9.]* [A-Z][A-Z]*\\).*\$/\\1/p" \
                "$TMP/security.log")
}

# private_network CONF: whether the drop-in CONF sets PrivateNetwork=yes
private_network() {
        grep -qx 'PrivateNetwork=yes' "$1"
}

# make_root DIR PROFILES: the template and the generator's output for
# the profiles in PROFILES under DIR; the generator's exit status in $rc
make_root() {
        mkdir -p "$1$UNIT_DIR" "$1/etc/systemd/system"
        cp "$BUILD_ROOT/units/sandbox@.service" "$1$UNIT_DIR/"
        rc=0
        SANDBOX_PROFILE_PATH=$2 "$GENERATOR" "$1/etc/systemd/system" >"$TMP/gen.log" 2>&1 || rc=$?
}

# --- the examples, against the document's table ---------------------------

ROOT=$TMP/examples
make_root "$ROOT" "$EXAMPLES"
check "the generator writes the examples' drop-ins" test "$rc" -eq 0 -a ! -s "$TMP/gen.log"

names=
for f in "$EXAMPLES"/*.xml; do
        n=$(basename "$f" .xml)
        names="$names $n"
        conf=$ROOT/etc/systemd/system/sandbox@$n.service.d/50-profile.conf
        score "$ROOT" "$n"
        if [ "$rc" -eq 0 ] && [ -n "$figure" ]; then
                ok "systemd-analyze security sandbox@$n.service prints an exposure level ($figure)"
        else
                not_ok "systemd-analyze security sandbox@$n.service prints an exposure level"
                diag "exit status $rc" "$(tail -20 "$TMP/security.log")"
                continue
        fi
        # that the drop-in was read: systemd's PrivateNetwork= line is the
        # drop-in's, as the template alone never sets it
        if private_network "$conf"; then
                expected="Service has no access to the host's network"
        else
                expected="Service has access to the host's network"
        fi
        check "sandbox@$n.service: systemd read the drop-in (PrivateNetwork= as it sets it)" \
                grep -qF -- "$expected" "$TMP/security.log"
        documented=$(doc_figure "\`$n\`")
        if [ "$VERSION" != "$DOC_VERSION" ]; then
                skip "docs/security.md lists $n's figure as printed now" \
                        "the document has systemd $DOC_VERSION's figures, this is systemd $VERSION"
        else
                check_eq "docs/security.md lists $n's figure as printed now" "$figure" "$documented"
        fi
done

# no row for an example that is gone
rows=$(sed -n 's/^| `\([^`]*\)` | [0-9][0-9]*\.[0-9] [A-Z][A-Z]* |.*/\1/p' "$DOC" | tr '\n' ' ')
check_eq "docs/security.md has a row for each example and no other" "$rows" "${names# } "

# --- the tests' valid profiles: one figure with PrivateNetwork=yes, one without

ROOT=$TMP/valid
make_root "$ROOT" "$VALID"
# (its only messages: the warnings of those that keep capabilities with
# keep-unsafe=)
check "the generator writes the valid profiles' drop-ins" \
        test "$rc" -eq 0 -a -z "$(grep -v -e ': warning: <capabilities>: CAP_[A-Z_]* is kept (keep-unsafe): ' "$TMP/gen.log")"
with=$(doc_figure "with \`PrivateNetwork=yes\`")
without=$(doc_figure without)
check "docs/security.md lists the figures with and without PrivateNetwork=yes" test -n "$with" -a -n "$without"

for d in "$ROOT"/etc/systemd/system/sandbox@*.service.d; do
        n=$(basename "$d" .service.d)
        n=${n#sandbox@}
        score "$ROOT" "$n"
        if [ "$rc" -ne 0 ] || [ -z "$figure" ]; then
                not_ok "valid/$n: systemd-analyze security prints an exposure level"
                diag "exit status $rc" "$(tail -20 "$TMP/security.log")"
                continue
        fi
        if private_network "$d/50-profile.conf"; then
                expected=$with what="with PrivateNetwork=yes"
        else
                expected=$without what="without PrivateNetwork="
        fi
        if [ "$VERSION" != "$DOC_VERSION" ]; then
                ok "valid/$n: systemd-analyze security prints an exposure level ($figure)"
        elif grep -q -e '<unit-setting' -e '<allow address=' -e '<deny address=' "$VALID/$n.xml" 2>/dev/null; then
                # settings passed through (IPAddressDeny=, UMask=, ...),
                # and the host network's <allow> and <deny> (IPAddressAllow=,
                # IPAddressDeny=), are systemd's to score: they may only
                # lower the figure
                check "valid/$n: its <unit-setting>s lower the figure docs/security.md lists $what, or keep it ($figure)" \
                        awk -v a="${figure%% *}" -v b="${expected%% *}" 'BEGIN { exit !(a <= b) }'
        else
                check_eq "valid/$n: the figure docs/security.md lists $what" "$figure" "$expected"
        fi
done

done_testing
