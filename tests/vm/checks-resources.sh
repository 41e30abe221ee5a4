# Resource limits, driven over ssh in the guest, whose systemd has every
# cgroup v2 controller (the test machines' own hierarchy does not, so
# the end-to-end tests only see that the settings reach the unit);
# sourced by test-vm.sh, which calls checks_resources.
#
# <resources memory="64M" tasks="32"/> becomes MemoryMax= and TasksMax=:
# a service touching ever more memory is killed by the kernel's OOM
# killer at 64 MiB, and one forking without end cannot go past 32 tasks.

RES_LIMITS='<resources memory="64M" tasks="32"/>'

# res_profile ARG...: a profile whose service is ARG..., with the limits
# (and RES_USERNS, an element more: a user namespace of its own)
res_profile() {
        local a args=
        for a; do args+="<arg>$a</arg>"; done
        cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec>$args</exec>
  <service restart="no"/>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
  $RES_LIMITS
  ${RES_USERNS:-}
</sandbox>
EOF
}

# g_journal UNIT: what UNIT's processes printed, this boot
g_journal() {
        g journalctl -q -b -o cat -u "$1" --no-pager
}

checks_resources() {
        local cg out n

        res_profile /bin/sleep infinity | g_profile res-view
        res_profile "$VM_PROBE" hog | g_profile res-memory
        res_profile "$VM_PROBE" forks 200 | g_profile res-tasks
        RES_USERNS='<user-namespace mode="private"/>' res_profile "$VM_PROBE" hog | g_profile res-memory-userns
        g systemctl daemon-reload

        # the limits, as the unit has them and as the sandbox sees them
        g systemctl start sandbox@res-view
        check_active sandbox@res-view
        check_eq "the unit has MemoryMax= and TasksMax= from <resources>" \
                "$(g systemctl show -p MemoryMax -p TasksMax sandbox@res-view | sort | tr '\n' ' ')" \
                "MemoryMax=67108864 TasksMax=32 "
        cg=$(g systemctl show -p ControlGroup --value sandbox@res-view)
        check_eq "the unit's cgroup has memory.max 64 MiB" "$(g cat "/sys/fs/cgroup$cg/memory.max")" 67108864
        check_eq "the unit's cgroup has pids.max 32" "$(g cat "/sys/fs/cgroup$cg/pids.max")" 32
        check_eq "inside, /proc/self/cgroup is the root of its cgroup namespace" \
                "$(g sandboxctl exec res-view -- cat /proc/self/cgroup)" "0::/"
        # the guest has systemd's unified layout: the sandbox's
        # /sys/fs/cgroup is a read-only cgroup2 of its cgroup namespace,
        # whose root is the unit's cgroup, with the limits in it
        check_eq "inside, /sys/fs/cgroup is a read-only cgroup2" \
                "$(g sandboxctl exec res-view -- sh -c 'stat -f -c %T /sys/fs/cgroup; mkdir /sys/fs/cgroup/x 2>/dev/null || echo refused')" \
                "cgroup2fs
refused"
        check_eq "inside, /sys/fs/cgroup is the unit's cgroup: no system.slice" \
                "$(g sandboxctl exec res-view -- sh -c 'test -e /sys/fs/cgroup/system.slice || echo absent')" absent
        check_eq "inside, /sys/fs/cgroup/memory.max is 64 MiB" \
                "$(g sandboxctl exec res-view -- cat /sys/fs/cgroup/memory.max 2>&1)" 67108864
        check_eq "inside, /sys/fs/cgroup/pids.max is 32" \
                "$(g sandboxctl exec res-view -- cat /sys/fs/cgroup/pids.max 2>&1)" 32
        g systemctl stop sandbox@res-view

        # memory: killed by the OOM killer at MemoryMax=, and systemd
        # says so
        g systemctl start sandbox@res-memory
        out=$(g_wait_state sandbox@res-memory failed 120)
        check "the memory hog's unit fails${out:+ (it is $out)}" [ -z "$out" ]
        check_eq "its Result= is oom-kill" "$(g systemctl show -p Result --value sandbox@res-memory)" oom-kill
        out=$(g_journal sandbox@res-memory)
        n=$(grep -o '^touched [0-9]*' <<<"$out" | tail -n 1 | cut -d' ' -f2)
        check "it had touched memory, and less than 64 MiB (last: ${n:-none})" [ "${n:-999}" -lt 64 ]
        check "it did not get to 2 GiB" eval '! grep -q "^survived" <<<"$out"'
        check "the journal has the OOM kill" eval 'g journalctl -q -b -k --no-pager | grep -q "Memory cgroup out of memory"'

        # the same in a user namespace with a range of its own: the limit is
        # the unit's cgroup's, which the namespace does not change
        g systemctl start sandbox@res-memory-userns
        out=$(g_wait_state sandbox@res-memory-userns failed 120)
        check "in a user namespace of its own, the memory hog's unit fails too${out:+ (it is $out)}" [ -z "$out" ]
        check_eq "... its Result= is oom-kill" "$(g systemctl show -p Result --value sandbox@res-memory-userns)" oom-kill
        out=$(g_journal sandbox@res-memory-userns)
        check "... it did not get to 2 GiB" eval '! grep -q "^survived" <<<"$out"'

        # tasks: forks fail at TasksMax=
        g systemctl start sandbox@res-tasks
        for _ in $(seq 100); do
                out=$(g_journal sandbox@res-tasks | grep '^forked' | tail -n 1)
                [ -n "$out" ] && break
                sleep 0.2
        done
        diag "the fork bomb: $out"
        n=$(cut -d' ' -f2 <<<"$out")
        check "its forks stopped before 32 tasks (forked: ${n:-none})" [ "${n:-999}" -lt 32 ]
        check_eq "the fork that failed failed with EAGAIN" "$(cut -d' ' -f3 <<<"$out")" EAGAIN
        cg=$(g systemctl show -p ControlGroup --value sandbox@res-tasks)
        n=$(g cat "/sys/fs/cgroup$cg/pids.current")
        check "pids.current is not above 32 (${n:-none})" [ "${n:-999}" -le 32 ]
        check "pids.events counts the refused forks" eval '[ "$(g cat "/sys/fs/cgroup$cg/pids.events" | cut -d" " -f2)" -gt 0 ]'
        check_eq "sandbox@res-tasks is still active" "$(g systemctl is-active sandbox@res-tasks)" active
        g systemctl stop sandbox@res-tasks
        check_eq "it stops, children and all" "$(g systemctl is-active sandbox@res-tasks)" inactive
}
