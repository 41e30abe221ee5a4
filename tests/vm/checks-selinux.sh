# SELinux checks, driven over ssh in a guest booted with SELinux
# (vm_boot selinux: permissive at boot, made enforcing here); sourced by
# test-vm.sh, which calls checks_selinux.
#
# What Debian 12's selinux-policy-default (refpolicy 2.20221101) allows,
# with the project's module (profiles/selinux/sandbox.cil) loaded:
# - systemd runs the helper (bin_t) as initrc_t; the module lets it enter
#   svirt_t (contexts/virtual_domain_context, the helper's choice for
#   mcs="dynamic"), under no_new_privs too. Other domains initrc_t may
#   enter by executing a bin_t program are matrixd_t, systemd_networkd_t,
#   sympa_t, mailman_cgi_t and unconfined_t, without no_new_privs only:
#   SEL_LABEL is the first, which may run a simple program and read
#   /etc, not the host's secrets;
# - contexts/lxc_contexts names container_t, container_file_t and
#   container_ro_file_t, which the policy does not have (a TODO below):
#   the helper takes libvirt's svirt_t and svirt_image_t instead, and
#   labels the mounts only of a service in svirt_t.
#
# A labelled sandbox and a control without a label run probe
# (tests/vm/probe.c) "each" as their service: it prints what it may do
# to the journal, and waits. (sandboxctl exec cannot join the matrixd_t
# one from an ssh session: unconfined_t has no transition to it.)

SEL_LABEL=${SEL_LABEL:-system_u:system_r:matrixd_t:s0}
# (CAP_DAC_READ_SEARCH reaches past the sandbox: kept with keep-unsafe=,
# on purpose, for the label to deny what it would read)
SEL_KEEP='keep="CAP_DAC_OVERRIDE" keep-unsafe="CAP_DAC_READ_SEARCH"'
# what probe does in each: "CMD ARG" LABELLED CONTROL, the results
# expected in the labelled sandbox and in the control (the helper hides
# every sandbox's state under an empty /var/lib/sandbox: a directory,
# which read() refuses with EISDIR)
SEL_CASES=(
        "read /etc/passwd"      ok      ok
        "read /etc/shadow"      EACCES  ok
        "read /etc/gshadow"     EACCES  ok
        "read /var/lib/sandbox/" EACCES EISDIR
)

# the checks of per-sandbox MCS labels (<selinux mcs="dynamic"/>): each
# a function, run after the label checks in the enforcing guest
SELINUX_MCS_CHECKS=(checks_selinux_mcs checks_selinux_mcs_free)

# sel_profile MODE [XML]: a profile whose service is probe "each", with
# /etc and /var of MODE and XML in its <security>
sel_profile() {
        local i args= mode=$1
        shift
        for ((i = 0; i < ${#SEL_CASES[@]}; i += 3)); do args+="<arg>${SEL_CASES[i]}</arg>"; done
        cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>$VM_PROBE</arg><arg>each</arg>$args</exec>
  <filesystem><etc mode="$mode"/><var mode="$mode"/></filesystem>
  <security><capabilities $SEL_KEEP/>$*</security>
</sandbox>
EOF
}

# sel_probe NAME "CMD ARG": what probe "each" printed for CMD ARG in
# sandbox NAME (waiting up to 10 s for it)
sel_probe() {
        local i out
        for i in $(seq 50); do
                out=$(g journalctl -q -b -o cat -u "sandbox@$1" --no-pager | sed -n "s|^$2: ||p" | tail -n 1)
                [ -n "$out" ] && break
                sleep 0.2
        done
        echo "$out"
}

# sel_lxc_contexts: whether the contexts of the policy's lxc_contexts,
# which the helper mounts the sandbox's file systems with, are valid
sel_lxc_contexts() {
        local bad
        bad=$(g sh -c 'f=/etc/selinux/default/contexts/lxc_contexts
                sed -n "s/^ *[a-z_]* *= *\"\\(.*\\)\"/\\1/p" $f | sort -u | while read -r c; do
                        printf %s "$c" >/sys/fs/selinux/context 2>/dev/null || echo "$c"
                done')
        diag "lxc_contexts: $(g cat /etc/selinux/default/contexts/lxc_contexts | tr '\n' ' ')"
        if [ -z "$bad" ]; then
                ok "the contexts of lxc_contexts are valid in the loaded policy"
                return
        fi
        todo "the contexts of lxc_contexts are valid in the loaded policy" "Debian's policy lacks the container types"
        diag "not valid: $(tr '\n' ' ' <<<"$bad")"
}

# sel_overlay: whether a sandbox labelled SEL_LABEL may read its /etc
# overlay, mounted with the policy's context for container files
sel_overlay() {
        g systemctl start sandbox@sel-overlay 2>/dev/null
        check_active sandbox@sel-overlay
        if [ "$(sel_probe sel-overlay "read /etc/passwd")" = ok ]; then
                ok "a labelled sandbox reads its /etc overlay"
        else
                todo "a labelled sandbox reads its /etc overlay" "mounted as $(g head -n 1 /etc/selinux/default/contexts/virtual_image_context), which $SEL_LABEL may not read"
        fi
        g systemctl stop sandbox@sel-overlay
}

# sel_generator_after_run: whether "daemon-reload" still makes the
# drop-ins once sandboxes have run (the helper made /run/sandbox, on the
# generator's search path, as initrc_t)
sel_generator_after_run() {
        g systemctl daemon-reload
        if g test -d /run/systemd/generator/sandbox@sel-none.service.d; then
                ok "after sandboxes ran, daemon-reload still makes their drop-ins"
                return
        fi
        todo "after sandboxes ran, daemon-reload still makes their drop-ins" "the generator may not search /run/sandbox"
        diag "$(g sh -c 'ls -dZ /run/sandbox; journalctl -q -b -k --no-pager | grep "avc: *denied.*sandbox-generat" | tail -n 2')"
        # for what follows: a label the generator may search
        g chcon -t var_run_t /run/sandbox
        g systemctl daemon-reload
}

# mcs_profile NAME [XML]: a profile of <selinux mcs="dynamic"/> (with
# no_new_privs, as by default), whose service is probe "each", with XML
# added to its <filesystem>
mcs_profile() {
        sel_profile overlay '<selinux mcs="dynamic"/>' | sed "s|</filesystem>|${2-}</filesystem>|" | g_profile "$1"
}

# level_of LABEL: its MCS level, "s0:cA,cB"
level_of() {
        cut -d: -f4- <<<"$1"
}

# checks_selinux_mcs: two sandboxes of <selinux mcs="dynamic"/>, mcs-a
# and mcs-b, each labelled with categories of its own. mcs-a sees
# mcs-b's state directory at /mnt (through a bind mount the test makes
# on the guest, /srv/mcs-b-state: a profile's <bind> of the state root is
# refused, and this is the layer behind that), and a directory the test labels
# at mcs-a's own level at /media (existing directories of the host's root): the same type, svirt_image_t, where
# only the categories differ. DAC allows both (CAP_DAC_OVERRIDE).
checks_selinux_mcs() {
        local la lb lb2 record
        g sh -c 'mkdir -p /srv/mcs-mine /srv/mcs-b-state && echo mine >/srv/mcs-mine/file'
        mcs_profile mcs-b
        g systemctl daemon-reload
        g systemctl start sandbox@mcs-b
        check_active sandbox@mcs-b
        g mount --bind /var/lib/sandbox/mcs-b /srv/mcs-b-state
        mcs_profile mcs-a '<bind source="/srv/mcs-b-state" target="/mnt" readonly="yes"/><bind source="/srv/mcs-mine" target="/media" readonly="yes"/>'
        g systemctl daemon-reload
        g systemctl start sandbox@mcs-a
        check_active sandbox@mcs-a
        la=$(g cat "/proc/$(g_service_pid sandbox@mcs-a)/attr/current" | tr -d '\0')
        lb=$(g cat "/proc/$(g_service_pid sandbox@mcs-b)/attr/current" | tr -d '\0')
        diag "mcs-a: $la" "mcs-b: $lb"
        check "mcs-a runs in the container domain at two categories of its own" \
                grep -Eqx 'system_u:system_r:svirt_t:s0:c[0-9]+,c[0-9]+' <<<"$la"
        check "mcs-b too" grep -Eqx 'system_u:system_r:svirt_t:s0:c[0-9]+,c[0-9]+' <<<"$lb"
        check "their categories differ" test -n "$la" -a "$(level_of "$la")" != "$(level_of "$lb")"
        record=$(g cat /var/lib/sandbox/.selinux-mcs)
        check "both pairs are recorded in /var/lib/sandbox/.selinux-mcs" \
                bash -c 'grep -qx "mcs-a ${1#s0:}" <<<"$0" && grep -qx "mcs-b ${2#s0:}" <<<"$0"' \
                "$record" "$(level_of "$la")" "$(level_of "$lb")"
        check_eq "mcs-b's state directory is the container files' type at mcs-b's level" \
                "$(g stat -c %C /var/lib/sandbox/mcs-b)" "system_u:object_r:svirt_image_t:$(level_of "$lb")"
        check_eq "mcs-a reads its /etc overlay (mounted at its level)" "$(sel_probe mcs-a "read /etc/passwd")" ok
        check_eq "mcs-a: /etc/shadow stays denied" "$(sel_probe mcs-a "read /etc/shadow")" EACCES
        check_eq "sandboxctl status shows mcs-a's label" \
                "$(g sandboxctl status mcs-a | sed -n 's/^ *label: //p')" "$la"
        check_eq "a command of sandboxctl exec gets mcs-a's label" \
                "$(g sandboxctl exec mcs-a -- cat /proc/self/attr/current 2>&1 | tr -d '\0')" "$la"
        # its syslog lines reach the journal through the sockets bound in,
        # enforcing, without a denial
        g sandboxctl exec mcs-a -- logger -t mcs-a-log "from mcs-a"
        check "mcs-a's syslog line is in the journal, through /dev/log" \
                g sh -c 'for i in $(seq 20); do
                        journalctl -q -b -t mcs-a-log --no-pager | grep -q "from mcs-a" && exit 0; sleep 0.25
                done; exit 1'
        check "... with no AVC denial of mcs-a's label on the journal's sockets" eval \
                '! g journalctl -q -b -k --no-pager | grep "avc: *denied" | grep -F "scontext=$la " | grep -q "devlog_t\|syslogd_t"'

        # what mcs-b writes itself, as the helper labels its state
        check_eq "mcs-b writes a file in its /var" \
                "$(g sandboxctl exec mcs-b -- "$VM_PROBE" write /var/mcs-b-own 2>&1)" ok
        check_eq "mcs-a cannot open mcs-b's state directory: EACCES" \
                "$(g sandboxctl exec mcs-a -- "$VM_PROBE" read /mnt/ 2>&1)" EACCES
        check_eq "mcs-a cannot read the file mcs-b wrote: EACCES" \
                "$(g sandboxctl exec mcs-a -- "$VM_PROBE" read /mnt/var/upper/mcs-b-own 2>&1)" EACCES
        # and with every file below at mcs-b's level, against one of
        # mcs-a's own: the categories alone decide
        g sh -c 'echo secret >/var/lib/sandbox/mcs-b/var/upper/secret'
        g chcon -R -t svirt_image_t -l "$(level_of "$lb")" /var/lib/sandbox/mcs-b/var
        g chcon -R -t svirt_image_t -l "$(level_of "$la")" /srv/mcs-mine
        check_eq "mcs-a reads a file of its own level (the same type)" \
                "$(g sandboxctl exec mcs-a -- "$VM_PROBE" read /media/file 2>&1)" ok
        check_eq "mcs-a cannot read mcs-b's state: EACCES" \
                "$(g sandboxctl exec mcs-a -- "$VM_PROBE" read /mnt/var/upper/secret 2>&1)" EACCES
        check "... an AVC denial of mcs-a's label" eval \
                'g journalctl -q -b -k --no-pager | grep "avc: *denied" | grep -qF "scontext=$la "'

        g systemctl restart sandbox@mcs-b
        lb2=$(g cat "/proc/$(g_service_pid sandbox@mcs-b)/attr/current" | tr -d '\0')
        check_eq "restarted, mcs-b has the same categories" "$lb2" "$lb"
        g systemctl stop sandbox@mcs-a sandbox@mcs-b
        g umount /srv/mcs-b-state
}

# checks_selinux_mcs_free: after checks_selinux_mcs (mcs-a and mcs-b
# stopped, each with its line in the record), a clone of mcs-b, mcs-c,
# gets no line at the clone and a pair of its own at its first start,
# its state labelled at that level; sandboxctl delete refuses while it
# runs, and once it is stopped takes its line out of the record, and
# nothing else.
checks_selinux_mcs_free() {
        local la lb lc record out
        record=$(g cat /var/lib/sandbox/.selinux-mcs)
        la=$(sed -n 's/^mcs-a //p' <<<"$record")
        lb=$(sed -n 's/^mcs-b //p' <<<"$record")
        check "mcs-a's and mcs-b's pairs are recorded" test -n "$la" -a -n "$lb"
        check "sandboxctl clone mcs-b mcs-c" g sandboxctl clone mcs-b mcs-c
        check "... the record has no line of mcs-c before it starts" eval \
                '! g grep -q "^mcs-c " /var/lib/sandbox/.selinux-mcs'
        g systemctl daemon-reload
        g systemctl start sandbox@mcs-c
        check_active sandbox@mcs-c
        lc=$(g cat "/proc/$(g_service_pid sandbox@mcs-c)/attr/current" | tr -d '\0')
        diag "mcs-c: $lc"
        check "mcs-c, mcs-b's clone, runs at categories of its own, not mcs-b's nor mcs-a's" \
                bash -c '[[ $0 =~ ^system_u:system_r:svirt_t:s0:(c[0-9]+,c[0-9]+)$ ]] &&
                        [ "${BASH_REMATCH[1]}" != "$1" ] && [ "${BASH_REMATCH[1]}" != "$2" ]' "$lc" "$lb" "$la"
        check "... recorded as mcs-c's line, once" \
                bash -c '[ "$(grep -c "^mcs-c " <<<"$0")" = 1 ] && grep -qx "mcs-c ${1#s0:}" <<<"$0"' \
                "$(g cat /var/lib/sandbox/.selinux-mcs)" "$(level_of "$lc")"
        check_eq "... its state directory is labelled at its level" \
                "$(g stat -c %C /var/lib/sandbox/mcs-c)" "system_u:object_r:svirt_image_t:$(level_of "$lc")"
        check "sandboxctl delete refuses while mcs-c runs" eval '! g sandboxctl delete mcs-c'
        check "... and its line stays" g grep -q "^mcs-c " /var/lib/sandbox/.selinux-mcs
        g systemctl stop sandbox@mcs-c
        out=$(g sandboxctl delete mcs-c 2>&1)
        check "stopped, sandboxctl delete mcs-c: done, and it says its pair is free" \
                grep -qF "sandbox mcs-c's MCS categories ${lc##*:s0:} are free" <<<"$out"
        check "... its state is gone" eval '! g test -e /var/lib/sandbox/mcs-c'
        check_eq "... its line is gone from the record, mcs-a's and mcs-b's are as they were" \
                "$(g cat /var/lib/sandbox/.selinux-mcs | sort)" "$(sort <<<"$record")"
        check_eq "... the record is still root's, 0600, a regular file" \
                "$(g stat -c '%U %a %F' /var/lib/sandbox/.selinux-mcs)" "root 600 regular file"
        g rm -f /etc/sandbox/profiles/mcs-c.xml
        g systemctl daemon-reload
}

checks_selinux() {
        local pid f p i

        check_eq "the guest's kernel runs SELinux, permissive at boot" "$(g getenforce)" Permissive
        check "the policy \"default\" is loaded" g sh -c 'sestatus | grep -q "^Loaded policy name: *default$"'
        check_eq "the image's files are labelled: /etc/shadow" "$(g stat -c %C /etc/shadow)" \
                system_u:object_r:shadow_t:s0
        # the build was copied in after boot: its files get the labels the
        # policy gives their paths, as a package's would
        g restorecon -R /usr/bin/sandboxctl /usr/libexec/sandbox /usr/libexec/sandbox-tests \
                /usr/lib/systemd/system /usr/lib/systemd/system-generators /usr/share/sandbox /etc/sandbox
        g sh -c 'mkdir -p /var/lib/sandbox/other/var && echo secret >/var/lib/sandbox/other/var/secret &&
                chmod 0700 /var/lib/sandbox/other'

        check "the project's policy module loads (semodule -i sandbox.cil)" \
                g semodule -i /usr/share/sandbox/selinux/sandbox.cil
        g setenforce 1
        check_eq "setenforce 1 makes it enforcing" "$(g getenforce)" Enforcing

        sel_profile host "<no-new-privileges enabled=\"no\"/><selinux label=\"$SEL_LABEL\"/>" | g_profile sel-label
        sel_profile overlay "<no-new-privileges enabled=\"no\"/><selinux label=\"$SEL_LABEL\"/>" | g_profile sel-overlay
        sel_profile host | g_profile sel-none
        g systemctl daemon-reload
        sel_lxc_contexts
        sel_overlay
        for f in sel-label sel-none; do
                g systemctl start "sandbox@$f"
                check_active "sandbox@$f"
        done
        diag "the helper runs as $(g ps -o label= -p "$(g systemctl show -p MainPID --value sandbox@sel-label)")"

        pid=$(g_service_pid sandbox@sel-label)
        check_eq "its service's /proc/PID/attr/current is the label" \
                "$(g cat "/proc/$pid/attr/current" | tr -d '\0')" "$SEL_LABEL"
        check_eq "ps -Z shows it" "$(g ps -o label= -p "$pid" | tr -d ' ')" "$SEL_LABEL"
        pid=$(g_service_pid sandbox@sel-none)
        diag "the control's service runs as $(g ps -o label= -p "$pid")"

        for ((i = 0; i < ${#SEL_CASES[@]}; i += 3)); do
                p=${SEL_CASES[i]}
                check_eq "sel-label: $p: ${SEL_CASES[i + 1]}" "$(sel_probe sel-label "$p")" "${SEL_CASES[i + 1]}"
                check_eq "sel-none (the control): $p: ${SEL_CASES[i + 2]}" "$(sel_probe sel-none "$p")" "${SEL_CASES[i + 2]}"
        done
        check "the denials are SELinux's (AVC records of its label)" eval \
                'g journalctl -q -b -k --no-pager | grep "avc: *denied" | grep -qF "scontext=$SEL_LABEL "'
        diag "sandboxctl exec into sel-label: $(g sandboxctl exec sel-label -- cat /proc/self/attr/current 2>&1 | tr -d '\0' | head -n 2)"

        sel_generator_after_run
        for f in "${SELINUX_MCS_CHECKS[@]}"; do
                "$f"
        done

        for f in sel-label sel-none; do
                g systemctl stop "sandbox@$f"
        done
}
