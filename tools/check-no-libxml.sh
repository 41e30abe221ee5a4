#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The line of docs/architecture.md: lib/core and the helper have nothing
# of libxml2, neither a symbol (defined, as linked statically, or wanted)
# nor a library they load. A file given as +FILE is the control: it must
# show libxml2, or the check could not see it. TAP, one test per file.
set -u
n=0
echo "1..$#"
for arg in "$@"; do
        n=$((n + 1))
        f=${arg#+}
        syms=$(nm "$f" 2>&1) || { echo "not ok $n - $f: nm: $syms"; continue; }
        if [ -z "$syms" ] || printf '%s\n' "$syms" | grep -q 'no symbols'; then
                echo "ok $n - $f # SKIP stripped: its symbols cannot be read"
                continue
        fi
        found=$(printf '%s\n' "$syms" | grep -E ' xml[A-Z][A-Za-z0-9]*$' | head -3 | tr '\n' ' ')
        needed=$(readelf -d "$f" 2>/dev/null | grep -E 'NEEDED.*libxml2' || true)
        if [ "$arg" != "$f" ]; then
                if [ -n "$found$needed" ]; then
                        echo "ok $n - $f, the control, shows libxml2"
                else
                        echo "not ok $n - $f, the control, shows no libxml2: the check cannot see it"
                fi
        elif [ -n "$found$needed" ]; then
                echo "not ok $n - $f has libxml2 in it: $found$needed"
        else
                echo "ok $n - $f has no libxml2 symbol and loads no libxml2"
        fi
done
