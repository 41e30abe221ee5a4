#!/usr/bin/env bash
# Encrypted state in the real helper, as far as this machine goes: the
# helper reads --state-key (bounded, its last component not followed)
# before it makes anything; an encrypted image under a start without a key
# is refused (EMEDIUMTYPE) and left as it was; a start with a key whose
# LUKS2 layer cannot be opened here (no device-mapper, or no
# sandbox-state-crypt installed) fails, closed, and leaves no image, no
# unfinished image, no loop device and no mapping. The encrypted start
# itself is the VM suite's (tests/vm/checks-crypt.sh). Needs root, loop
# devices and mkfs.ext4. Everything is under $TMP, but /run/sandbox/NAME
# for this run's own names.

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP the helper builds sandboxes only as root"
        exit 0
fi
# in a mount namespace of its own, before anything is made
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbcrypt$$
. "$(dirname "$0")/lib.sh"

if [ ! -e /dev/loop-control ] || { [ ! -x /usr/sbin/mkfs.ext4 ] && [ ! -x /sbin/mkfs.ext4 ]; }; then
        echo "1..0 # SKIP no /dev/loop-control or no mkfs.ext4 here"
        exit 0
fi
trap remove_sandbox_dirs EXIT
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3
TOOL=$BUILD_ROOT/helper/sandbox-state-crypt

# helper NAME ARGS...: the helper on NAME's state, the rest of its
# options ARGS; status in $rc, messages in $TMP/err
helper() {
        local n=$1
        shift
        timeout -k 5 120 "$HELPER" --name="$n" --state-root="$STATE" "$@" -- /bin/true </dev/null >/dev/null 2>"$TMP/err"
        rc=$?
}
loops_of() {
        local i l
        for ((i = 0; i < 100; i++)); do
                l=$(losetup -n -O NAME -j "$1" 2>/dev/null)
                [ -z "$l" ] && return 0
                sleep 0.05
        done
        echo "$l"
}
no_loop() { [ -z "$(loops_of "$1")" ]; }
no_mapping() { ! ls /dev/mapper/ 2>/dev/null | grep -q "^sandbox-state-$1@"; }
says() { grep -q "$1" "$TMP/err" || { diag "$(cat "$TMP/err")"; false; }; }

head -c 64 /dev/urandom >"$TMP/key"
chmod 0600 "$TMP/key"

if ! grep -q "^#define HAVE_LIBCRYPTSETUP 1" "$BUILD_ROOT/config.h"; then
        name a
        helper "$n" --state-size=32M --state-key="$TMP/key"
        check_eq "a build without libcryptsetup refuses --state-key: exit 1" "$rc" 1
        check "... naming libcryptsetup, with no image made" \
                bash -c 'grep -q "needs libcryptsetup" "$1" && test ! -e "$2"' _ "$TMP/err" "$STATE/$n/state.img"
        done_testing
        exit 0
fi

# the key is read first, and a bad one stops the start before anything
name a
A=$n
ln -s "$TMP/key" "$TMP/key-link"
helper "$A" --state-size=32M --state-key="$TMP/key-link"
check_eq "a key that is a symbolic link: exit 125" "$rc" 125
check "... not followed (ELOOP)" says "state key $TMP/key-link: Too many levels of symbolic links"
check "... and no image is made" test ! -e "$STATE/$A/state.img" -a ! -e "$STATE/$A/state.img.new"
head -c 16 /dev/urandom >"$TMP/short-key"
helper "$A" --state-size=32M --state-key="$TMP/short-key"
check_eq "a key of 16 bytes: exit 125" "$rc" 125
check "... refused as too short, and no image made" \
        bash -c 'grep -q "16 bytes; a key has 32 to 1024" "$1" && test ! -e "$2"' _ "$TMP/err" "$STATE/$A/state.img"

# a key, and no LUKS2 layer to be had here: closed, and nothing left
helper "$A" --state-size=32M --state-key="$TMP/key"
if [ "$rc" -eq 0 ]; then
        skip "without device-mapper or sandbox-state-crypt, a start with a key fails" "this machine has both"
else
        check_eq "without device-mapper or sandbox-state-crypt, a start with a key: exit 125" "$rc" 125
        check "... the LUKS2 layer says why" says "sandbox-state-crypt\|open as sandbox-state-$A@loop\|libcryptsetup"
        check "... no image is left, nor an unfinished one" test ! -e "$STATE/$A/state.img" -a ! -e "$STATE/$A/state.img.new"
        check "... no loop device is left" bash -c '! losetup -n -O BACK-FILE 2>/dev/null | grep -q "$1"' _ "$STATE/$A/"
        check "... no mapping is left" no_mapping "$A"
fi

# an encrypted image under a start without a key
name b
B=$n
if [ -x "$TOOL" ]; then
        mkdir -p -m 0700 "$STATE/$B"
        truncate -s 32M "$STATE/$B/state.img"
        chmod 0600 "$STATE/$B/state.img"
        "$PYTHON" -c '
import socket, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
subprocess.run(sys.argv[1:], stdout=b.fileno(), stdin=sys.stdin)' \
                "$TOOL" --quiet open "$STATE/$B/state.img" "sandbox-state-$B@loop999" <"$TMP/key" 2>/dev/null
        sum=$(sha256sum <"$STATE/$B/state.img")
        helper "$B" --state-size=32M
        check_eq "an encrypted image, a start without a key: exit 125" "$rc" 125
        check "... refused: the profile does not ask for encryption" says "is encrypted (LUKS2), but the profile does not ask"
        check_eq "... the image is unchanged" "$(sha256sum <"$STATE/$B/state.img")" "$sum"
        check "... no loop device is left" no_loop "$STATE/$B/state.img"
else
        skip "an encrypted image under a start without a key is refused" "this build has no libcryptsetup"
fi

done_testing
