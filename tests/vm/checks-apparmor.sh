# AppArmor checks, driven over ssh in a guest booted with AppArmor
# (vm_boot apparmor); sourced by test-vm.sh, which calls checks_apparmor.
#
# Three sandboxes alike but for their AppArmor profile run "sleep
# infinity" under systemd: aa-default (sandbox-default), aa-raw
# (sandbox-net-raw) and aa-none (no profile: the control, showing that
# it is AppArmor that denies, and not the mounts, masks, capabilities or
# seccomp filter).
# They keep the capabilities that would let them do what AppArmor is to
# deny (read past file modes, mount, open raw sockets), and probe
# (tests/vm/probe.c) is run in each with "sandboxctl exec": it prints
# "ok" or the error, EACCES being AppArmor's.

# the capabilities, and the system calls of the helper's default
# seccomp deny-list, without which the control would be denied anyway
# (CAP_DAC_READ_SEARCH and CAP_SYS_ADMIN reach past the sandbox: kept
# with keep-unsafe=, on purpose, for AppArmor to deny them); no default
# Landlock domain either, which refuses every mount
AA_KEEP='keep="CAP_NET_RAW CAP_DAC_OVERRIDE" keep-unsafe="CAP_DAC_READ_SEARCH CAP_SYS_ADMIN"'
AA_SECCOMP='<seccomp><allow syscall="@mount"/><allow syscall="ptrace"/></seccomp><landlock default="no"/>'

# aa_profile [XML]: a sandbox's profile, with XML in its <security>
aa_profile() {
        cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem>
    <etc mode="overlay"/><var mode="overlay"/>
    <bind source="/srv/outside" readonly="no"/>
  </filesystem>
  <network mode="private"/>
  <security><capabilities $AA_KEEP/>$AA_SECCOMP$*</security>
</sandbox>
EOF
}

# in_sandbox NAME CMD...: CMD run in the running sandbox NAME, as one of
# its service's processes
in_sandbox() {
        local name=$1
        shift
        g sandboxctl exec "$name" -- "$@" 2>"$TMP/err"
}

# aa_case DESCRIPTION "PROBE ARGS" DEFAULT RAW NONE: one assertion per
# sandbox, that probe prints DEFAULT in aa-default, RAW in aa-raw and
# NONE in aa-none
aa_case() {
        local what=$1 name expected i=3
        # shellcheck disable=SC2086
        for name in aa-default aa-raw aa-none; do
                expected=${!i}
                i=$((i + 1))
                check_eq "$name: $what: $expected" "$(in_sandbox "$name" "$VM_PROBE" $2)" "$expected"
        done
}

checks_apparmor() {
        local name pid

        check_eq "the guest's kernel has AppArmor enabled" "$(g cat /sys/module/apparmor/parameters/enabled)" Y
        check "the shipped profiles are installed in /etc/apparmor.d" \
                g test -f /etc/apparmor.d/sandbox-default -a -f /etc/apparmor.d/sandbox-net-raw \
                -a -f /etc/apparmor.d/abstractions/sandbox-service
        # as the administrator does after installing (or the boot's
        # apparmor.service would do)
        check "apparmor_parser loads sandbox-default and sandbox-net-raw" \
                g apparmor_parser -r -W /etc/apparmor.d/sandbox-default /etc/apparmor.d/sandbox-net-raw
        check "both are loaded in enforce mode" g sh -c \
                'grep -qx "sandbox-default (enforce)" /sys/kernel/security/apparmor/profiles &&
                 grep -qx "sandbox-net-raw (enforce)" /sys/kernel/security/apparmor/profiles'

        # a writable bind outside the sandbox's state, and the state of
        # another sandbox
        g sh -c 'mkdir -p /srv/outside /var/lib/sandbox/other/var && echo secret >/var/lib/sandbox/other/var/secret &&
                chmod 0700 /var/lib/sandbox/other'
        aa_profile '<apparmor profile="sandbox-default"/>' | g_profile aa-default
        aa_profile '<apparmor profile="sandbox-net-raw"/>' | g_profile aa-raw
        aa_profile | g_profile aa-none
        g systemctl daemon-reload
        for name in aa-default aa-raw aa-none; do
                g systemctl start "sandbox@$name"
                check_active "sandbox@$name"
        done

        pid=$(g_service_pid sandbox@aa-default)
        check_eq "the service of aa-default runs under sandbox-default" \
                "$(g cat "/proc/$pid/attr/current" | tr -d '\0')" "sandbox-default (enforce)"
        pid=$(g_service_pid sandbox@aa-raw)
        check_eq "the service of aa-raw runs under sandbox-net-raw" \
                "$(g cat "/proc/$pid/attr/current" | tr -d '\0')" "sandbox-net-raw (enforce)"
        pid=$(g_service_pid sandbox@aa-none)
        check_eq "the service of aa-none is unconfined" \
                "$(g cat "/proc/$pid/attr/current" | tr -d '\0')" "unconfined"
        check_eq "a command of sandboxctl exec runs under the service's profile" \
                "$(in_sandbox aa-default cat /proc/self/attr/current | tr -d '\0')" "sandbox-default (enforce)"

        check_eq "aa-default: executes the host's programs" "$(in_sandbox aa-default /bin/sh -c 'echo ok')" ok
        #       what                                  probe arguments                  default  raw      none
        aa_case "reads the host's files"              "read /etc/passwd"               ok       ok       ok
        aa_case "reads /etc/shadow"                   "read /etc/shadow"               EACCES   EACCES   ok
        aa_case "reads /etc/gshadow"                  "read /etc/gshadow"              EACCES   EACCES   ok
        # the helper hides every sandbox's state under an empty
        # /var/lib/sandbox; AppArmor denies even that
        aa_case "reads another sandbox's state"       "read /var/lib/sandbox/other/var/secret" ENOENT ENOENT ENOENT
        aa_case "opens /var/lib/sandbox"              "read /var/lib/sandbox/"         EACCES   EACCES   EISDIR
        aa_case "writes its /etc overlay"             "write /etc/probe"               ok       ok       ok
        aa_case "writes its /var overlay"             "write /var/probe"               ok       ok       ok
        aa_case "writes its /tmp"                     "write /tmp/probe"               ok       ok       ok
        aa_case "writes its /run"                     "write /run/probe"               ok       ok       ok
        aa_case "writes its /dev/shm"                 "write /dev/shm/probe"           ok       ok       ok
        aa_case "writes a writable bind (not state)"  "write /srv/outside/probe"       EACCES   EACCES   ok
        aa_case "writes the host's /usr"              "write /usr/probe"               EROFS    EROFS    EROFS
        aa_case "mounts a tmpfs"                      "mount /mnt"                     EACCES   EACCES   ok
        aa_case "ptraces a process (its own child)"   "ptrace"                         EACCES   EACCES   ok
        aa_case "reads a peer's /proc/PID/environ"    "peek"                           ok       ok       ok
        aa_case "opens a raw socket"                  "raw"                            EACCES   ok       ok
        aa_case "opens a packet socket"               "packet"                         EACCES   ok       ok

        check "sandboxctl status aa-default says it runs" g sh -c 'sandboxctl status aa-default >/dev/null'
        check_eq "sandboxctl status aa-default: its first line names it" \
                "$(g sandboxctl status aa-default | head -n 1 | cut -d' ' -f1)" aa-default
        check_eq "sandboxctl status aa-default shows its label" \
                "$(g sandboxctl status aa-default | sed -n 's/^ *label: //p')" "sandbox-default (enforce)"

        for name in aa-default aa-raw aa-none; do
                g systemctl stop "sandbox@$name"
        done
}
