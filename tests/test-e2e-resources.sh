#!/bin/bash
# End-to-end: the profile's resource settings reach the unit as systemd
# loaded it, and the sandbox's /sys/fs/cgroup is its unit's cgroup.
# (Whether they are enforced is for a machine whose cgroup v2 has the
# controllers, tests/vm/; the test machines' containers do not.)
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/e2e/lib.sh"

e2e_init
cat >"$TMP/limited.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <resources memory="96M" cpu="150%" tasks="17" io-weight="321"/>
</sandbox>
XML
e2e_profile "$TMP/limited.xml" limited
# with a network namespace, /sys is a fresh sysfs, and /sys/fs/cgroup
# is made anew on it
sed 's|<resources |<network mode="none"/><resources |' "$TMP/limited.xml" >"$TMP/limited-nonet.xml"
e2e_profile "$TMP/limited-nonet.xml" limited-nonet
e2e_profile "$EXAMPLES/http-server.xml" web
e2e_boot

show() {
        c systemctl show -p "$2" --value "$1"
}
check_eq "memory=\"96M\" is MemoryMax=100663296" "$(show sandbox@limited MemoryMax)" 100663296
check_eq "tasks=\"17\" is TasksMax=17" "$(show sandbox@limited TasksMax)" 17
check_eq "cpu=\"150%\" is CPUQuotaPerSecUSec=1.500000s" "$(show sandbox@limited CPUQuotaPerSecUSec)" 1.500000s
check_eq "io-weight=\"321\" is IOWeight=321" "$(show sandbox@limited IOWeight)" 321
check_eq "the example http-server.xml: MemoryMax, TasksMax, CPU quota" \
        "$(show sandbox@web MemoryMax) $(show sandbox@web TasksMax) $(show sandbox@web CPUQuotaPerSecUSec)" \
        "134217728 32 250ms"
c systemctl start sandbox@limited
check_eq "the limited sandbox starts" "$(c systemctl is-active sandbox@limited)" active
check_eq "it runs in its own cgroup below sandbox.slice" "$(show sandbox@limited ControlGroup)" /sandbox.slice/sandbox@limited.service
check_eq "a unit without resource settings keeps systemd's defaults (MemoryMax=infinity)" \
        "$(show sandbox@nothing-set MemoryMax)" infinity
# the sandbox's own cgroup2, of its cgroup namespace (the container has
# systemd's unified layout), seen by a command run in it
inside() {
        c sandboxctl exec limited -- /bin/sh -c "$1" 2>&1
}
check_eq "inside: the service's cgroup is the root of its cgroup namespace" "$(inside 'grep "^0::" /proc/1/cgroup')" "0::/"
# mountinfo: mount point in field 5, options in 6, the file system type
# first after " - "
check_eq "inside: /sys/fs/cgroup is a read-only cgroup2" \
        "$(inside "grep ' /sys/fs/cgroup ' /proc/self/mountinfo | tail -n 1 | sed 's/^[^ ]* [^ ]* [^ ]* [^ ]* [^ ]* \([^, ]*\).* - \([^ ]*\) .*/\2 \1/'")" "cgroup2 ro"
check_eq "inside: its root is the unit's cgroup (cgroup.procs there, no sandbox.slice)" \
        "$(inside 'test -e /sys/fs/cgroup/cgroup.procs && echo procs; test -e /sys/fs/cgroup/sandbox.slice || echo no-slice')" \
        "procs
no-slice"
check "inside: the service's sleep is listed in it" bash -c 'grep -qx 1 <<<"$0"' "$(inside 'cat /sys/fs/cgroup/cgroup.procs')"
check "inside: it cannot be written" bash -c '[ -n "$0" ] && ! grep -qx written <<<"$0"' \
        "$(inside 'mkdir /sys/fs/cgroup/escape && echo written')"
c systemctl stop sandbox@limited
c systemctl start sandbox@limited-nonet
c_service_executed sandbox@limited-nonet >/dev/null
check_eq "with its own network too: /sys/fs/cgroup is the unit's, read-only" \
        "$(c sandboxctl exec limited-nonet -- /bin/sh -c 'stat -f -c %T /sys/fs/cgroup; grep -x 1 /sys/fs/cgroup/cgroup.procs
test -e /sys/fs/cgroup/sandbox.slice || echo no-slice; mkdir /sys/fs/cgroup/x 2>/dev/null || echo refused' 2>&1)" \
        "cgroup2fs
1
no-slice
refused"
c systemctl stop sandbox@limited-nonet

# "sandboxctl run" from a process that nsenter(1) moved into the
# container's namespaces but not into its cgroup tree: its cgroup lies
# outside the container's namespace. The sandbox's /sys/fs/cgroup is
# still the cgroup it runs in, and not the container's tree (no
# init.scope, no sandbox.slice).
if c grep -q '^0::/\.\.' /proc/self/cgroup; then
        check_eq "sandboxctl run from outside the container's cgroups: /sys/fs/cgroup is its own cgroup, read-only" \
                "$(c sandboxctl run limited -- /bin/sh -c 'grep "^0::" /proc/self/cgroup
test -e /sys/fs/cgroup/cgroup.procs && echo procs
test -e /sys/fs/cgroup/init.scope || test -e /sys/fs/cgroup/sandbox.slice || echo not-the-tree
mkdir /sys/fs/cgroup/x 2>/dev/null || echo refused' 2>&1)" \
                "0::/
procs
not-the-tree
refused"
else
        skip "sandboxctl run from outside the container's cgroups" "this process's cgroup is inside the container's namespace"
fi

done_testing
