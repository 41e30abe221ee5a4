#!/usr/bin/env bash
# Where the kernel has no SELinux or AppArmor (the test machines), a label
# asked for refuses the sandbox before anything is built, and an optional
# one lets it start without; dynamic MCS categories are then neither
# allocated nor recorded. What the labels do where the LSMs are enabled
# is tests/vm/'s. Needs root.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sblsm$$
. "$(dirname "$0")/lib.sh"
trap remove_sandbox_dirs EXIT

if [ "$(stat -f -c %T /sys/fs/selinux 2>/dev/null)" = selinuxfs ] ||
        [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
        echo "1..0 # SKIP SELinux or AppArmor is enabled here"
        exit 0
fi

for opt in --selinux-label=system_u:system_r:container_t:s0 --selinux-mcs --apparmor-profile=sandbox-default; do
        name refused
        sb "$n" --etc=host --var=tmpfs "$opt" -- /bin/echo started
        check "$opt without the LSM: refused (status 125, nothing run)" test "$rc" -eq 125 -a ! -s "$TMP/out"
        check "... with a message that says so" grep -q "is not enabled on this system" "$TMP/err"
        check "... before anything is built (no state directory)" test ! -e "$STATE/$n"
        name optional
        case $opt in
        --selinux*) optional=--selinux-optional ;;
        *) optional=--apparmor-optional ;;
        esac
        sb "$n" --etc=host --var=tmpfs "$opt" "$optional" -- /bin/echo started
        check_eq "$opt $optional without the LSM: the service runs without it" "$rc $(cat "$TMP/out")" "0 started"
done
check "--selinux-mcs without SELinux: no categories recorded" test ! -e "$STATE/.selinux-mcs"

done_testing
