# Encrypted state (<state size=... encryption="luks2">), in the guest,
# whose Debian kernel has dm-crypt (the test machines' has no
# device-mapper): driven over ssh; sourced by test-vm.sh, which calls
# checks_crypt.
#
# Under systemd: sandbox-state-key@ makes the key, the unit loads it with
# LoadCredentialEncrypted=, the service writes to /var; the image's bytes
# hold none of it (a state in the clear, side by side, shows that the
# same search finds it there); once stopped nothing is mapped and the
# image's file system cannot be read without the key; the next start
# sees the data; a wrong key fails the start and changes nothing;
# sandboxctl status, diff, clone and delete work on it.

CRYPT_MARK_A=plain
CRYPT_MARK_B=text-in-var-4d1c

# crypt_profile NAME ENCRYPTION: a sandbox whose service keeps a line per
# start in /var/starts, and the marker in /var/secret
crypt_profile() {
        cat <<EOF2 | g_profile "$1"
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo start >>/var/starts; printf '%s-%s\\n' $CRYPT_MARK_A $CRYPT_MARK_B >/var/secret; sync; exec sleep infinity</arg></exec>
  <service restart="no"/>
  <filesystem><etc mode="overlay"/><var mode="overlay"/><state size="64M" encryption="$2"/></filesystem>
</sandbox>
EOF2
}

# crypt_loops IMAGE: the loop devices bound to IMAGE in the guest, after
# waiting up to 5 s for them to go (autoclear follows the mapping)
crypt_loops() {
        g sh -c 'for i in $(seq 50); do
                        l=$(for b in /sys/block/loop*/loop/backing_file; do
                                [ -e "$b" ] && [ "$(cat "$b")" = "$1" ] && echo "$b"; done)
                        [ -z "$l" ] && exit 0; sleep 0.1
                done; echo "$l"' _ "$1"
}

# crypt_unmapped NAME: waits up to 10 s for the mappings NAME@loopN to go
# (their removal follows the last unmount); whether they went
crypt_unmapped() {
        g sh -c 'for i in $(seq 100); do ls /dev/mapper/ | grep -q "^$1@loop" || exit 0; sleep 0.1; done; exit 1' _ "$1"
}

checks_crypt() {
        local img=/var/lib/sandbox/vault/state.img cred=/var/lib/sandbox/vault/state-key.cred mark tool

        mark="$CRYPT_MARK_A-$CRYPT_MARK_B"
        if ! grep -q "^#define HAVE_LIBCRYPTSETUP 1" "$BUILD_ROOT/config.h"; then
                skip "encrypted state" "this build has no libcryptsetup"
                return
        fi
        tool=$(sed -n 's/^#define SANDBOX_STATE_CRYPT_PATH "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")
        check "sandbox-state-crypt is installed in the guest, at $tool" g test -x "$tool"
        crypt_profile vault luks2
        crypt_profile clear none
        g systemctl daemon-reload
        check_eq "the unit requires the key's unit" \
                "$(g systemctl show -P Requires sandbox@vault | tr ' ' '\n' | grep -x sandbox-state-key@vault.service)" \
                sandbox-state-key@vault.service
        check_eq "the unit loads the key as an encrypted credential" \
                "$(g systemctl cat sandbox@vault | grep -x 'LoadCredentialEncrypted=.*')" \
                "LoadCredentialEncrypted=sandbox-state-key:/var/lib/sandbox/vault/state-key.cred"

        g systemctl start sandbox@vault sandbox@clear
        check_active sandbox@vault
        check_active sandbox@clear
        check "the key was made before the first start, as a credential" g test -s "$cred"
        check "the state is mapped while it runs: /dev/mapper/sandbox-state-vault@loopN" \
                g sh -c 'ls /dev/mapper/ | grep -q "^sandbox-state-vault@loop[0-9]*$"'
        check_eq "inside, /var has what the service wrote" "$(g sandboxctl exec vault -- cat /var/secret)" "$mark"
        check_eq "the decrypted key is not in the service's reach" \
                "$(g sandboxctl exec vault -- sh -c 'test -e /run/credentials/sandbox@vault.service && echo seen || echo unseen')" \
                unseen
        check "sandboxctl status of the running sandbox" g sandboxctl status vault
        check_eq "sandboxctl diff of the running sandbox lists /var/secret" \
                "$(g sandboxctl diff vault | grep -c /var/secret)" 1

        g systemctl stop sandbox@vault sandbox@clear
        g sync
        check "stopped: nothing is mapped" crypt_unmapped sandbox-state-vault
        check_eq "stopped: no loop device holds the image" "$(crypt_loops "$img")" ""
        check_eq "the image starts with a LUKS2 header" "$(g sh -c "head -c 6 $img | od -An -tx1")" " 4c 55 4b 53 ba be"
        check_eq "the image's bytes do not hold what the service wrote" "$(g grep -c -a -F "$mark" "$img")" 0
        check "(the image of a state in the clear does: the search would find it)" \
                test "$(g grep -c -a -F "$mark" /var/lib/sandbox/clear/state.img)" -gt 0
        check "without the key, the image's file system cannot be mounted" \
                g sh -c 'mkdir -p /tmp/crypt-try && ! mount -o ro,loop '"$img"' /tmp/crypt-try 2>/dev/null'
        check_eq "and nothing is left mounted or bound by the try" "$(g sh -c 'mountpoint -q /tmp/crypt-try && echo mounted; true')" ""

        # status 3: the sandbox does not run (sandboxctl(1)); the disk's
        # use read from the image, opened with the key from its credential
        check_eq "sandboxctl status of the stopped sandbox (the key from its credential): not running, the disk's use shown" \
                "$(g sh -c 'sandboxctl status vault >/tmp/crypt-status; echo "status $?"; grep -c "^ *disk: .* used of .* in state.img$" /tmp/crypt-status' 2>/dev/null)" \
                "$(printf 'status 3\n1')"
        check_eq "sandboxctl diff of the stopped sandbox lists /var/secret" \
                "$(g sandboxctl diff vault | grep -c /var/secret)" 1
        check "after status and diff, nothing is mapped" crypt_unmapped sandbox-state-vault
        check_eq "after status and diff, no loop device holds the image" "$(crypt_loops "$img")" ""

        g systemctl start sandbox@vault
        check_active sandbox@vault
        check_eq "the next start sees what was written before" "$(g sandboxctl exec vault -- cat /var/starts)" "start
start"
        g systemctl stop sandbox@vault

        # a wrong key: the start fails, and the state is as it was
        local sum
        sum=$(g sha256sum "$img")
        g sh -c "cp -p $cred /root/vault.cred && rm $cred && head -c 64 /dev/urandom | systemd-creds encrypt --name=sandbox-state-key - $cred"
        check "with a wrong key, the start fails" g sh -c '! systemctl start sandbox@vault'
        check_eq "and says the key does not open it" \
                "$(g journalctl -q -b -o cat -u sandbox@vault --no-pager | grep -c "the key does not open it")" 1
        check_eq "and the image is unchanged" "$(g sha256sum "$img")" "$sum"
        check "and nothing is mapped" crypt_unmapped sandbox-state-vault
        g sh -c "mv /root/vault.cred $cred"
        g systemctl reset-failed sandbox@vault

        # clone: the copy keeps the same key (its credential copied)
        check "sandboxctl clone of the encrypted sandbox" g sandboxctl clone vault vault2
        check "the copy has its image and its key" g test -s /var/lib/sandbox/vault2/state.img -a -s /var/lib/sandbox/vault2/state-key.cred
        check_eq "the copy's image holds nothing in the clear either" \
                "$(g grep -c -a -F "$mark" /var/lib/sandbox/vault2/state.img)" 0
        g systemctl daemon-reload
        g systemctl start sandbox@vault2
        check_active sandbox@vault2
        check_eq "the copy sees the original's data" "$(g sandboxctl exec vault2 -- cat /var/secret)" "$mark"
        g systemctl stop sandbox@vault2
        check "sandboxctl delete of the copy" g sandboxctl delete vault2
        check "its state, image and key are gone" g test ! -e /var/lib/sandbox/vault2
        check "nothing of the copy is mapped" crypt_unmapped sandbox-state-vault2
        check "sandboxctl delete of the original" g sandboxctl delete vault
        check "its state, image and key are gone" g test ! -e /var/lib/sandbox/vault
        g sandboxctl delete clear >/dev/null 2>&1
}
