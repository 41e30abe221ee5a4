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
# without the mode; what it writes in /var is owned on the guest by BASE;
# what the LSM denies stays denied where the control of the mode alone
# may do it. (/etc/shadow is masked in every sandbox by an empty file of
# mode 0000, root's: not the range's, so that root inside, whose
# CAP_DAC_OVERRIDE is the namespace's, cannot read it, in the control
# too; so with the directory that hides /var/lib/sandbox.) With SELinux, the label is that of <selinux mcs="dynamic"/>, and
# the denial that of a file at other categories, bound in.

# un_profile XML [CASE...]: a profile of the mode whose service is probe
# "each" (tests/vm/probe.c: prints what it may do to the journal, and
# waits) with the cases of both LSMs and CASE..., XML in its <security>
# (the system call ptrace allowed, for the case "ptrace"), /srv/un-other
# bound in read-only; with UN_NET set, a private network, which the
# sandbox's user namespace owns, and CAP_NET_RAW kept (for "raw")
un_profile() {
        local xml=$1 c args= net= caps=CAP_DAC_OVERRIDE
        shift
        [ -z "${UN_NET:-}" ] || { net='<network mode="private"/>'; caps+=" CAP_NET_RAW"; }
        for c in "read /etc/passwd" "read /etc/shadow" "write /var/un-probe" "$@"; do
                args+="<arg>$c</arg>"
        done
        cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>$VM_PROBE</arg><arg>each</arg>$args</exec>
  <filesystem>
    <etc mode="overlay"/><var mode="overlay"/>
    <bind source="/srv/un-other" readonly="yes"/>
  </filesystem>$net
  <security><capabilities keep="$caps"/><seccomp><allow syscall="ptrace"/></seccomp>$xml</security>
  <user-namespace mode="private"/>
</sandbox>
EOF
}

# un_refused: why the mode cannot be checked here (a build that refuses
# it), or nothing
un_refused() {
        un_profile "" >"$TMP/un.xml"
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

# un_maps NAME: assertions that sandbox@NAME's service runs in a user
# namespace of its record's range, and that what it wrote in /var is the
# range's on the guest
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

# un_case LABELLED CONTROL "CMD ARG" IN-LABELLED IN-CONTROL: assertions
# on what probe printed for CMD ARG in each
un_case() {
        check_eq "$1: $3: $4" "$(un_probe "$1" "$3")" "$4"
        check_eq "$2 (the control, the mode alone): $3: $5" "$(un_probe "$2" "$3")" "$5"
}

# un_common LABELLED CONTROL: the cases of both LSMs
un_common() {
        un_case "$1" "$2" "read /etc/passwd" ok ok
        un_case "$1" "$2" "read /etc/shadow" EACCES EACCES
        un_case "$1" "$2" "write /var/un-probe" ok ok
}

checks_userns_apparmor() {
        local why pid net=
        if why=$(un_refused); then
                skip "AppArmor with <user-namespace mode=\"private\"/>" "refused here: $why"
                return
        fi
        # CAP_NET_RAW, real in a network namespace that the sandbox's user
        # namespace owns: kept where this build's profiles allow it
        UN_NET=1 un_profile "" raw >"$TMP/un-raw.xml"
        "$SANDBOXCTL" validate "$TMP/un-raw.xml" >"$TMP/un-raw.err" 2>&1 && net=1
        g sh -c 'mkdir -p /srv/un-other && echo other >/srv/un-other/file'
        UN_NET=$net un_profile '<apparmor profile="sandbox-default"/>' ptrace "read /var/lib/sandbox/" ${net:+raw} |
                g_profile un-aa
        UN_NET=$net un_profile "" ptrace "read /var/lib/sandbox/" ${net:+raw} | g_profile un-aa-none
        un_start un-aa un-aa-none
        pid=$(g_service_pid sandbox@un-aa)
        check_eq "un-aa, of the mode, runs under sandbox-default" \
                "$(g cat "/proc/$pid/attr/current" | tr -d '\0')" "sandbox-default (enforce)"
        un_maps un-aa
        un_maps un-aa-none
        un_common un-aa un-aa-none
        # AppArmor's: the control may (a deny rule of the profile's, which
        # AppArmor does not audit)
        un_case un-aa un-aa-none ptrace EACCES ok
        # the empty directory that hides every sandbox's state is root's,
        # not the range's: closed to the control too, as the masks
        un_case un-aa un-aa-none "read /var/lib/sandbox/" EACCES EACCES
        # the namespace's capability opens a raw socket in its own network;
        # sandbox-default still denies it
        if [ -n "$net" ]; then
                un_case un-aa un-aa-none raw EACCES ok
        else
                skip "un-aa: a raw socket with CAP_NET_RAW in a network of its own" \
                        "refused here: $(head -n 1 "$TMP/un-raw.err")"
        fi
        g systemctl stop sandbox@un-aa sandbox@un-aa-none
}

checks_userns_selinux() {
        local why pid label
        if why=$(un_refused); then
                skip "SELinux with <user-namespace mode=\"private\"/>" "refused here: $why"
                return
        fi
        # a file of the container files' type at categories of no sandbox's
        g sh -c 'mkdir -p /srv/un-other && echo other >/srv/un-other/file &&
                chcon -R -t svirt_image_t -l s0:c1,c2 /srv/un-other'
        # the container domain at categories of its own, which reads its
        # overlays (mounted at its level), as checks_selinux_mcs shows
        un_profile '<selinux mcs="dynamic"/>' "read /srv/un-other/file" | g_profile un-sel
        un_profile "" "read /srv/un-other/file" | g_profile un-sel-none
        un_start un-sel un-sel-none
        pid=$(g_service_pid sandbox@un-sel)
        label=$(g cat "/proc/$pid/attr/current" | tr -d '\0')
        check "un-sel, of the mode, runs in the container domain at two categories of its own: $label" \
                grep -Eqx 'system_u:system_r:svirt_t:s0:c[0-9]+,c[0-9]+' <<<"$label"
        un_maps un-sel
        un_maps un-sel-none
        un_common un-sel un-sel-none
        un_case un-sel un-sel-none "read /srv/un-other/file" EACCES ok
        check "the denial is SELinux's (an AVC record of its label)" eval \
                'g journalctl -q -b -k --no-pager | grep "avc: *denied" | grep -qF "scontext=$label "'
        g systemctl stop sandbox@un-sel sandbox@un-sel-none
}
