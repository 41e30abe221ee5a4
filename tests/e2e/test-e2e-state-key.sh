#!/bin/bash
# End-to-end: the key of a sandbox's encrypted state. sandbox-state-key@
# makes it once, as a systemd credential (systemd-creds encrypt) below the
# sandbox's state directory, written whole or not at all; a unit's
# LoadCredentialEncrypted= gets the key that systemd-creds decrypt gives;
# the credential holds none of the key's bytes in the clear; a second start
# keeps the key. The LUKS2 state itself needs the kernel's dm-crypt, which
# the VM suite has (tests/vm/checks-crypt.sh).
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
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

done_testing
