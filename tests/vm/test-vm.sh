#!/usr/bin/env bash
# The VM test suite: what the test machines' kernel cannot show, in a
# Debian virtual machine (tests/vm/lib.sh): AppArmor confinement with
# the shipped profiles, cgroup v2 limits enforced, and SELinux labels.
# Boots the guest twice: with AppArmor (checks-apparmor.sh,
# checks-resources.sh, checks-crypt.sh), then with SELinux (checks-selinux.sh);
# a private user namespace under each (checks-userns.sh). Skipped,
# as a whole, where the guest cannot be built or booted.
. "$(dirname "$0")/../tap.sh"
. "$SOURCE_ROOT/tests/vm/lib.sh"
. "$SOURCE_ROOT/tests/vm/checks-apparmor.sh"
. "$SOURCE_ROOT/tests/vm/checks-crypt.sh"
. "$SOURCE_ROOT/tests/vm/checks-landlock.sh"
. "$SOURCE_ROOT/tests/vm/checks-resources.sh"
. "$SOURCE_ROOT/tests/vm/checks-selinux.sh"
. "$SOURCE_ROOT/tests/vm/checks-userns.sh"

vm_init
start=$SECONDS
vm_image
echo "# image: $VM_IMAGE (ready in $((SECONDS - start)) s)"

# VM_BOOTS="selinux", say, boots only that one (while working on it)
for lsm in ${VM_BOOTS:-apparmor selinux}; do
        start=$SECONDS
        vm_boot "$lsm"
        echo "# booted with $lsm in $((SECONDS - start)) s"
        case $lsm in
        apparmor)
                checks_apparmor
                checks_userns_apparmor
                checks_resources
                checks_landlock
                checks_crypt
                ;;
        selinux)
                checks_selinux
                checks_userns_selinux
                ;;
        esac
        vm_stop
done

done_testing
