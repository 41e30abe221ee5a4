# SELinux checks, driven over ssh in a guest booted with SELinux
# (vm_boot selinux: permissive at boot, made enforcing here); sourced by
# test-vm.sh, which calls checks_selinux.
#
# What Debian 12's selinux-policy-default (refpolicy 2.20221101) allows:
# - systemd runs the helper (bin_t) as initrc_t, and initrc_t has no
#   nnp_transition to any domain: a labelled sandbox must say
#   <no-new-privileges enabled="no"/>, or exec fails with EPERM;
# - the domains initrc_t may enter by executing a bin_t program are
#   matrixd_t, systemd_networkd_t, sympa_t, mailman_cgi_t (confined)
#   and unconfined_t: SEL_LABEL is the first, which may run a simple
#   program and read /etc, and not the host's secrets; svirt_t (its
#   contexts/virtual_domain_context, the helper's choice for
#   mcs="dynamic") is not one of them;
# - contexts/lxc_contexts names container_t, container_file_t and
#   container_ro_file_t, which the policy does not have; the helper
#   then mounts a labelled sandbox's tmpfs and overlays with the
#   context of contexts/virtual_image_context, svirt_image_t, which
#   only svirt_t may use: the labelled sandboxes here keep the host's
#   /etc and /var, read-only (sel-overlay shows what an overlay gets).
#
# A labelled sandbox and a control without a label run probe
# (tests/vm/probe.c) "each" as their service: it prints what it may do
# to the journal, and waits. (sandboxctl exec cannot join the labelled
# one from an ssh session: unconfined_t has no transition to
# matrixd_t.)

SEL_LABEL=${SEL_LABEL:-system_u:system_r:matrixd_t:s0}
SEL_KEEP="CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH"
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
SELINUX_MCS_CHECKS=(checks_selinux_mcs)

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
  <security><capabilities keep="$SEL_KEEP"/>$*</security>
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

# checks_selinux_mcs: two sandboxes of <selinux mcs="dynamic"/>, mcs-a
# and mcs-b, each labelled with categories of its own
checks_selinux_mcs() {
        local a b n denied
        if ! g sandboxctl validate mcs-a >/dev/null 2>&1; then
                skip "two sandboxes with <selinux mcs=\"dynamic\"/> get categories of their own" \
                        "this sandbox refuses mcs=\"dynamic\""
                return
        fi
        for n in mcs-a mcs-b; do
                g systemctl start "sandbox@$n" 2>/dev/null
        done
        if [ "$(g systemctl is-active sandbox@mcs-a sandbox@mcs-b | sort -u)" != active ]; then
                denied=$(g sh -c 'journalctl -q -b -k --no-pager | grep "avc: *denied.*comm=\"sandbox-helper\"" |
                        grep -o "{ [a-z_ ]* }.*tcontext=[^ ]*" | sort -u | tail -n 2')
                diag "$(g journalctl -q -b -o cat -u sandbox@mcs-a --no-pager | grep sandbox-helper | tail -n 2)" "$denied"
                # what Debian's policy does not allow: initrc_t entering
                # the policy's domain for confined guests
                if grep -q 'transition' <<<"$denied"; then
                        todo "two sandboxes with <selinux mcs=\"dynamic\"/> run" "the policy denies the helper's domain the transition"
                else
                        not_ok "two sandboxes with <selinux mcs=\"dynamic\"/> run"
                fi
                g systemctl stop sandbox@mcs-a sandbox@mcs-b
                return
        fi
        ok "two sandboxes with <selinux mcs=\"dynamic\"/> run"
        a=$(g cat "/proc/$(g_service_pid sandbox@mcs-a)/attr/current" | tr -d '\0')
        b=$(g cat "/proc/$(g_service_pid sandbox@mcs-b)/attr/current" | tr -d '\0')
        diag "mcs-a: $a" "mcs-b: $b"
        check "each has categories (s0:cX,cY)" eval '[[ $a == *:s0:c*,c* && $b == *:s0:c*,c* ]]'
        check "they differ" [ "${a##*:}" != "${b##*:}" ]
        g systemctl stop sandbox@mcs-a sandbox@mcs-b
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

        g setenforce 1
        check_eq "setenforce 1 makes it enforcing" "$(g getenforce)" Enforcing

        sel_profile host "<no-new-privileges enabled=\"no\"/><selinux label=\"$SEL_LABEL\"/>" | g_profile sel-label
        sel_profile overlay "<no-new-privileges enabled=\"no\"/><selinux label=\"$SEL_LABEL\"/>" | g_profile sel-overlay
        sel_profile host | g_profile sel-none
        sel_profile overlay "<no-new-privileges enabled=\"no\"/><selinux mcs=\"dynamic\"/>" | g_profile mcs-a
        sel_profile overlay "<no-new-privileges enabled=\"no\"/><selinux mcs=\"dynamic\"/>" | g_profile mcs-b
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
