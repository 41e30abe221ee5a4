#!/usr/bin/env bash
# Encrypted state, as far as a machine without device-mapper can try it:
# the helper refuses --state-key it cannot honour; sandbox-state-crypt
# refuses what is not its to do, formats a blank image as LUKS2 with the
# key, refuses a wrong key (-EPERM) and a state in the clear
# (-EMEDIUMTYPE, the image unchanged), and, where the kernel has dm-crypt,
# opens the image as its mapping. The whole way under systemd is the VM
# suite's (tests/vm/checks-crypt.sh).
. "$(dirname "$0")/../tap.sh"
PYTHON=$(python3 -c 'import sys; print(sys.executable)') || PYTHON=python3
unset SANDBOX_DEBUG
TOOL=$BUILD_ROOT/helper/sandbox-state-crypt

"$HELPER" --name=t --dry-run --state-key=key -- /bin/true >/dev/null 2>"$TMP/err"
check "the helper refuses a relative --state-key: exit 1, naming it" \
        bash -c '[ "$1" -eq 1 ] && grep -qF -- "--state-key=key: invalid value" "$2"' _ $? "$TMP/err"
"$HELPER" --name=t --dry-run --state-key=/run/credentials/k -- /bin/true >/dev/null 2>"$TMP/err"
rc=$?
if [ -x "$TOOL" ]; then
        check "the helper refuses --state-key without a state file system of the sandbox's own: exit 1" \
                bash -c '[ "$1" -eq 1 ] && grep -qF "encrypted only on a file system of its own, --state-size" "$2"' _ "$rc" "$TMP/err"
else
        check "a build without libcryptsetup refuses --state-key: exit 1, naming libcryptsetup" \
                bash -c '[ "$1" -eq 1 ] && grep -qF "needs libcryptsetup" "$2"' _ "$rc" "$TMP/err"
fi

# validate: accepted where the build can encrypt, refused (exit 1, the
# line naming libcryptsetup) where it cannot
cat >"$TMP/vault.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/bin/true</arg></exec>
  <filesystem>
    <state size="64M" encryption="luks2"/>
  </filesystem>
</sandbox>
XML
SANDBOX_PROFILE_PATH= "$SANDBOXCTL" validate -- "$TMP/vault.xml" >/dev/null 2>"$TMP/err"
rc=$?
if [ -x "$TOOL" ]; then
        check_eq "validate accepts <state encryption=\"luks2\">" "$rc" 0
        SANDBOX_PROFILE_PATH= "$SANDBOXCTL" show -- "$TMP/vault.xml" >"$TMP/show" 2>"$TMP/err"
        check "show: its drop-in loads the key and gives it to the helper" bash -c \
                'grep -qx "LoadCredentialEncrypted=sandbox-state-key:/var/lib/sandbox/vault/state-key.cred" "$1" &&
                 grep -qx "Requires=sandbox-state-key@vault.service" "$1" &&
                 grep -q "^ExecStart=.* --state-size=64M .*--state-key=%d/sandbox-state-key -- /usr/bin/true$" "$1"' _ "$TMP/show"
else
        check_eq "a build without libcryptsetup refuses <state encryption=\"luks2\">: exit 1, one line naming it" \
                "$rc $(wc -l <"$TMP/err") $(grep -c "needs libcryptsetup" "$TMP/err")" "1 1 1"
fi

if [ ! -x "$TOOL" ]; then
        skip "sandbox-state-crypt's refusals, format and open" "this build has no libcryptsetup"
        done_testing
        exit 0
fi

# tool KEYFILE ARGS...: runs sandbox-state-crypt with the key on its stdin
# and a socket as its stdout, as the helper does; prints its exit status
# and what it sent ("f" or "o", and "fd" when an fd came with it)
TOOL_RUN='
import os, socket, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
p = subprocess.run(sys.argv[1:], stdout=b.fileno(), stdin=sys.stdin)
b.close()
sent = ""
if p.returncode == 0:
    msg, fds, _, _ = socket.recv_fds(a, 1, 1)
    sent = msg.decode() + (" fd" if fds else "")
    for fd in fds:
        os.close(fd)
print(p.returncode, sent)
'
tool() {
        local key=$1
        shift
        "$PYTHON" -c "$TOOL_RUN" "$TOOL" "$@" <"$key" 2>>"$TMP/tool.err"
}

head -c 64 /dev/urandom >"$TMP/key"
head -c 64 /dev/urandom >"$TMP/other-key"
head -c 31 /dev/urandom >"$TMP/short-key"
truncate -s 32M "$TMP/state.img"

check_eq "usage: no verb is -EINVAL" "$(tool "$TMP/key" --quiet)" "22 "
check_eq "a mapping name not of a sandbox's state is -EINVAL" \
        "$(tool "$TMP/key" --quiet open "$TMP/state.img" evil)" "22 "
check_eq "a mapping name of an invalid sandbox name is -EINVAL" \
        "$(tool "$TMP/key" --quiet open "$TMP/state.img" sandbox-state-../x@loop1)" "22 "
check_eq "a relative device is -EINVAL" "$(cd "$TMP" && tool "$TMP/key" --quiet open state.img sandbox-state-t@loop99)" "22 "
"$TOOL" --quiet open "$TMP/state.img" sandbox-state-t@loop99 <"$TMP/key" >"$TMP/out" 2>/dev/null
check_eq "an output that is not a socket is -ENOTSOCK" "$?" 88
check_eq "a key of 31 bytes is -EBADMSG" "$(tool "$TMP/short-key" --quiet open "$TMP/state.img" sandbox-state-t@loop99)" "74 "
check "and the image is still blank" cmp -s -n 65536 "$TMP/state.img" /dev/zero

# the blank image is formatted; opening it needs dm-crypt
got=$(tool "$TMP/key" --quiet open "$TMP/state.img" sandbox-state-t@loop99)
check "a blank image gets a LUKS2 header" bash -c 'head -c 8 "$1" | od -An -tx1 | grep -q "4c 55 4b 53 ba be 00 02"' _ "$TMP/state.img"
check "labelled sandbox-state" bash -c 'head -c 4096 "$1" | grep -qaF sandbox-state' _ "$TMP/state.img"
check "its key slot is PBKDF2, not a passphrase's argon2" grep -qaF '"type":"pbkdf2"' "$TMP/state.img"
check "none of the key's bytes are in the header" bash -c '! grep -qaF -f <(od -An -v -tx1 "$1" | tr -d " \n" | head -c 32) <(od -An -v -tx1 "$2" | tr -d " \n")' _ "$TMP/key" "$TMP/state.img"
if [ "$got" = "0 f fd" ]; then
        ok "dm-crypt: the blank image is formatted and opened, its mapping's fd sent"
        check "dm-crypt: the mapping is gone once the fd is closed (deferred removal)" test ! -e /dev/mapper/sandbox-state-t@loop99
else
        skip "dm-crypt: the blank image is formatted and opened" "no device-mapper here ($(tail -n 1 "$TMP/tool.err"))"
fi

check_eq "a wrong key is -EPERM" "$(tool "$TMP/other-key" --quiet open "$TMP/state.img" sandbox-state-t@loop99)" "1 "
sum=$(sha256sum <"$TMP/state.img")
check_eq "and the image is unchanged" "$(sha256sum <"$TMP/state.img")" "$sum"

truncate -s 32M "$TMP/clear.img"
if command -v mkfs.ext4 >/dev/null && mkfs.ext4 -q -F "$TMP/clear.img" 2>/dev/null; then
        sum=$(sha256sum <"$TMP/clear.img")
        check_eq "a state in the clear (ext4) is -EMEDIUMTYPE, never formatted over" \
                "$(tool "$TMP/key" --quiet open "$TMP/clear.img" sandbox-state-t@loop99)" "124 "
        check_eq "and the image is unchanged" "$(sha256sum <"$TMP/clear.img")" "$sum"
else
        skip "a state in the clear is -EMEDIUMTYPE" "no mkfs.ext4 here"
fi

check_eq "close of a mapping that does not exist: 0, nothing to do" \
        "$("$TOOL" --quiet close sandbox-state-t@loop99 2>/dev/null; echo $?)" 0
check_eq "close of a name not of a sandbox's state is -EINVAL" "$("$TOOL" --quiet close root 2>/dev/null; echo $?)" 22

done_testing
