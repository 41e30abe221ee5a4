#!/bin/bash
# End-to-end: the key of a sandbox's encrypted state. sandbox-state-key@
# makes it once, as a systemd credential (systemd-creds encrypt) below the
# sandbox's state directory, written whole or not at all; a unit's
# LoadCredentialEncrypted= gets the key that systemd-creds decrypt gives;
# the credential holds none of the key's bytes in the clear; a second start
# keeps the key. A sandbox with encrypted state requires the key's unit,
# and its helper gets the key (systemd's, or sandboxctl run's, which makes
# and decrypts the credential itself) as far as sandbox-state-crypt; the
# LUKS2 state itself needs the kernel's dm-crypt, which the VM suite has
# (tests/vm/checks-crypt.sh), and is skipped here where it is missing.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/locked.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo kept >/var/kept; exec sleep infinity</arg></exec>
  <service restart="no"/>
  <filesystem><state size="64M" encryption="luks2"/></filesystem>
</sandbox>
XML
e2e_profile "$TMP/locked.xml" locked
e2e_boot

if ! c systemd-creds has-tpm2 >/dev/null 2>&1 && ! c sh -c 'echo probe | systemd-creds encrypt --name=probe - - >/dev/null 2>&1'; then
        e2e_skip_all "systemd-creds cannot encrypt in the container"
fi

cred=/var/lib/sandbox/vault/state-key.cred
check "no key before the first start" c test ! -e "$cred"
c systemctl start sandbox-state-key@vault
check_eq "the key unit ran and exited" "$(c systemctl show -P Result sandbox-state-key@vault)" success
check "the credential is there" c test -f "$cred"
check_eq "the credential: root's alone, mode 0600" "$(c stat -c '%U %a' "$cred")" "root 600"
check_eq "the sandbox's state directory: root's alone, mode 0700" "$(c stat -c '%U %a' /var/lib/sandbox/vault)" "root 700"
check "no temporary credential left" c test ! -e /var/lib/sandbox/vault/.state-key.cred.new

key_hex=$(c sh -c "systemd-creds decrypt --name=sandbox-state-key $cred - | od -An -v -tx1 | tr -d ' \n'")
check_eq "decrypted, the key is 64 bytes" "${#key_hex}" 128
check "decrypted under another name, it is refused (the name is bound into it)" \
        c sh -c "! systemd-creds decrypt --name=other $cred - >/dev/null 2>&1"
cred_hex=$(c sh -c "od -An -v -tx1 $cred | tr -d ' \n'")
not_in_clear() { [ -n "$cred_hex" ] && [ "${#key_hex}" -ge 32 ] && [[ $cred_hex != *"${key_hex:0:32}"* ]]; }
check "the credential does not hold the key's bytes in the clear" not_in_clear

got=$(c systemd-run --quiet --wait --pipe --collect -p "LoadCredentialEncrypted=sandbox-state-key:$cred" \
        sh -c 'od -An -v -tx1 "$CREDENTIALS_DIRECTORY/sandbox-state-key" | tr -d " \n"')
check_eq "a unit's LoadCredentialEncrypted= gets that key in its credentials directory" "$got" "$key_hex"

before=$(c sha256sum "$cred")
c systemctl start sandbox-state-key@vault
check_eq "a second start is skipped: the key stays" "$(c sha256sum "$cred")" "$before"
check_eq "... by its condition" "$(c systemctl show -P ConditionResult sandbox-state-key@vault)" no

# key_then_image LOG: the helper's messages show that it read the key and
# went on to open the image, and show nothing else amiss with the key
key_then_image() {
        if grep -q "state key\|decrypt" <<<"$1" || ! grep -q "state image\|open as sandbox-state-locked@" <<<"$1"; then
                diag "$(tail -n 4 <<<"$1")"
                return 1
        fi
}

# a sandbox with encrypted state, under systemd
check_eq "sandbox@locked requires the key's unit" \
        "$(c systemctl show -P Requires sandbox@locked | tr ' ' '\n' | grep -x 'sandbox-state-key@locked.service')" \
        sandbox-state-key@locked.service
c systemctl start sandbox@locked 2>/dev/null
check_eq "its key was made first" "$(c systemctl show -P Result sandbox-state-key@locked)" success
check "as the credential in its state directory" c test -s /var/lib/sandbox/locked/state-key.cred
journal=$(c journalctl -q -b -o cat -u sandbox@locked --no-pager)
if [ "$(c systemctl is-active sandbox@locked)" = active ]; then
        check_eq "with dm-crypt: the service's /var is on the encrypted state" \
                "$(c sandboxctl exec locked -- cat /var/kept)" kept
        c systemctl stop sandbox@locked
else
        # the key is read before the image is made: a start that went on
        # to the image had it (where the container has loop devices, as
        # far as sandbox-state-crypt, which then lacks dm-crypt)
        check "the helper read the key from its credentials directory and went on to the image" key_then_image "$journal"
        skip "the encrypted state, started" "no loop devices or no dm-crypt here"
fi
check "nothing is mapped after it" c sh -c '! ls /dev/mapper/ 2>/dev/null | grep -q "^sandbox-state-locked@"'
check_eq "no loop device holds its image after it" \
        "$(c sh -c 'cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -c /var/lib/sandbox/locked/')" 0

# sandboxctl run makes the key itself, and hands it to the helper
c sandboxctl run --state-root=/run/sandbox-run /etc/sandbox/profiles/locked.xml -- /bin/true \
        >"$TMP/run.out" 2>"$TMP/run.err"
rc=$?
check_eq "run: the credential made in its state root, root's alone" \
        "$(c stat -c '%U %a' /run/sandbox-run/locked/state-key.cred)" "root 600"
check_eq "run: it decrypts to a key of 64 bytes" \
        "$(c sh -c 'systemd-creds decrypt --name=sandbox-state-key /run/sandbox-run/locked/state-key.cred - | wc -c')" 64
if [ "$rc" -eq 0 ]; then
        ok "run: with dm-crypt, the command ran on the encrypted state"
else
        check "run: the helper read the key from its fd and went on to the image" key_then_image "$(cat "$TMP/run.err")"
        skip "run: the command on the encrypted state" "no loop devices or no dm-crypt here"
fi
check "run: nothing is mapped after it" c sh -c '! ls /dev/mapper/ 2>/dev/null | grep -q "^sandbox-state-locked@"'

done_testing
