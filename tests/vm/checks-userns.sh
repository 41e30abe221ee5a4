# <user-namespace mode="private"/> under the guest's LSMs, on Debian's own
# kernel (6.1: the helper makes the overlays of idmapped lower dirs in a
# mount namespace of their own, as that kernel refuses overlay layers on
# detached mounts); sourced by test-vm.sh, which calls
# checks_userns_apparmor after checks_apparmor (its profiles loaded) and
# checks_userns_selinux after checks_selinux (the module loaded,
# enforcing).
#
# In each, a sandbox of the mode with the LSM's confinement and one of the
# mode without it (the control): the service runs in a user namespace
# whose maps are "0 BASE 65536", BASE its record's; it is labelled as
# without the mode; /etc/shadow, which root inside owns through the
# idmapped root (DAC allows it: the control reads it), stays denied by
# the LSM; what it writes in /var is owned on the guest by BASE. With
# SELinux, the label is that of <selinux mcs="dynamic"/>.

# un_profile MODE [XML]: a profile of the mode whose service is probe
# "each" (tests/vm/probe.c: prints what it may do to the journal, and
# waits), with /etc and /var of MODE and XML in its <security>
un_profile() {
        local mode=$1
        shift
        cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>$VM_PROBE</arg><arg>each</arg><arg>read /etc/passwd</arg><arg>read /etc/shadow</arg><arg>write /var/un-probe</arg></exec>
  <filesystem><etc mode="$mode"/><var mode="$mode"/></filesystem>
  <security><capabilities keep="CAP_DAC_OVERRIDE"/>$*</security>
  <user-namespace mode="private"/>
</sandbox>
EOF
}

# un_refused: why the mode cannot be checked here (a build that refuses
# it), or nothing
un_refused() {
        un_profile overlay >"$TMP/un.xml"
        "$SANDBOXCTL" validate "$TMP/un.xml" >"$TMP/un.err" 2>&1 && return 1
        head -n 1 "$TMP/un.err"
}

# un_start NAME...: starts sandbox@NAME..., each an assertion
un_start() {
        local n
        g systemctl daemon-reload
        for n; do
                g systemctl start "sandbox@$n" 2>/dev/null
                check_active "sandbox@$n"
        done
}

# un_maps NAME: an assertion that sandbox@NAME's service runs in a user
# namespace of its record's range; prints nothing
un_maps() {
        local base pid
        base=$(g cat "/var/lib/sandbox/$1/userns" | awk '$2 == 65536 && $3 == "ready" { print $1 }')
        pid=$(g_service_pid "sandbox@$1")
        check_eq "$1: uid_map and gid_map 0 BASE 65536, BASE its record's (${base:-none})" \
                "$(g cat "/proc/$pid/uid_map" "/proc/$pid/gid_map" | awk '{ print $1, $2, $3 }' | sort -u)" \
                "0 ${base:-none} 65536"
        check_eq "$1: what it wrote in /var is owned on the guest by BASE" \
                "$(g stat -c %u:%g "/var/lib/sandbox/$1/var/upper/un-probe" 2>&1)" "${base:-none}:${base:-none}"
}

# un_probe NAME "CMD ARG": what probe "each" printed for CMD ARG in
# sandbox NAME (waiting up to 10 s for it)
un_probe() {
        local i out
        for i in $(seq 50); do
                out=$(g journalctl -q -b -o cat -u "sandbox@$1" --no-pager | sed -n "s|^$2: ||p" | tail -n 1)
                [ -n "$out" ] && break
                sleep 0.2
        done
        echo "$out"
}

# un_cases LABELLED CONTROL: probe's results in both, against those
# expected: passwd read in both, shadow denied in LABELLED only, /var
# written in both
un_cases() {
        check_eq "$1: reads /etc/passwd" "$(un_probe "$1" "read /etc/passwd")" ok
        check_eq "$2 (the control, the mode alone): reads /etc/shadow, which root inside owns" \
                "$(un_probe "$2" "read /etc/shadow")" ok
        check_eq "$1: /etc/shadow stays denied: EACCES" "$(un_probe "$1" "read /etc/shadow")" EACCES
        check_eq "$1: writes its /var" "$(un_probe "$1" "write /var/un-probe")" ok
        check_eq "$2: writes its /var" "$(un_probe "$2" "write /var/un-probe")" ok
}

checks_userns_apparmor() {
        local why pid
        if why=$(un_refused); then
                skip "AppArmor with <user-namespace mode=\"private\"/>" "refused here: $why"
                return
        fi
        un_profile overlay '<apparmor profile="sandbox-default"/>' | g_profile un-aa
        un_profile overlay | g_profile un-aa-none
        un_start un-aa un-aa-none
        pid=$(g_service_pid sandbox@un-aa)
        check_eq "un-aa, of the mode, runs under sandbox-default" \
                "$(g cat "/proc/$pid/attr/current" | tr -d '\0')" "sandbox-default (enforce)"
        un_maps un-aa
        un_maps un-aa-none
        un_cases un-aa un-aa-none
        check "the denial is AppArmor's (an audit record of sandbox-default on /etc/shadow)" \
                g sh -c 'journalctl -q -b -k --no-pager | grep "apparmor=\"DENIED\"" | grep "profile=\"sandbox-default\"" | grep -q "name=\"/etc/shadow\""'
        g systemctl stop sandbox@un-aa sandbox@un-aa-none
}

checks_userns_selinux() {
        local why pid label
        if why=$(un_refused); then
                skip "SELinux with <user-namespace mode=\"private\"/>" "refused here: $why"
                return
        fi
        # the container domain at categories of its own, which reads its
        # overlays (mounted at its level), as checks_selinux_mcs shows
        un_profile overlay '<selinux mcs="dynamic"/>' | g_profile un-sel
        un_profile overlay | g_profile un-sel-none
        un_start un-sel un-sel-none
        pid=$(g_service_pid sandbox@un-sel)
        label=$(g cat "/proc/$pid/attr/current" | tr -d '\0')
        check "un-sel, of the mode, runs in the container domain at two categories of its own: $label" \
                grep -Eqx 'system_u:system_r:svirt_t:s0:c[0-9]+,c[0-9]+' <<<"$label"
        un_maps un-sel
        un_maps un-sel-none
        un_cases un-sel un-sel-none
        check "the denial is SELinux's (an AVC record of its label on shadow_t)" eval \
                'g journalctl -q -b -k --no-pager | grep "avc: *denied" | grep -F "scontext=$label " | grep -q "tcontext=system_u:object_r:shadow_t"'
        g systemctl stop sandbox@un-sel sandbox@un-sel-none
}
