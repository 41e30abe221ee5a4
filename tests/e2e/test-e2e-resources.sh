#!/bin/bash
# End-to-end: the profile's resource settings reach the unit as systemd
# loaded it, and the sandbox's /sys/fs/cgroup is its unit's cgroup; every
# tmpfs has its share of the memory limit; "sandboxctl run" takes a
# transient scope with the unit's limits.
# (Whether they are enforced is for a machine whose cgroup v2 has the
# controllers, tests/vm/; the test machines' containers do not.)
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

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
# memory="64M": every tmpfs has its share; tasks="32" for a bounded fork
# bomb, under systemctl start and under sandboxctl run (a scope)
cat >"$TMP/bounded.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem><var mode="tmpfs"/><tmpfs target="/var/scratch"/></filesystem>
  <resources memory="64M" tasks="32"/>
</sandbox>
XML
e2e_profile "$TMP/bounded.xml" bounded
PROBES=/usr/local/lib/sandbox-resources
HAVE_PROBES=no
if command -v cc >/dev/null; then
        HAVE_PROBES=yes
        for probe in run-fork-bound run-tmpfs-fill; do
                if ! cc -std=gnu11 -O2 -Wall -o "$TMP/$probe" "$SOURCE_ROOT/tests/escape/$probe.c" 2>"$TMP/cc.log"; then
                        echo "Bail out! cannot compile $probe.c: $(head -n 5 "$TMP/cc.log")"
                        exit 1
                fi
                e2e_file "$TMP/$probe" "$PROBES/$probe" 0755
        done
fi
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

# --- the tmpfs sizes under systemd: the shares of memory="64M" ---

if [ "$HAVE_PROBES" = yes ]; then
        c systemctl start sandbox@bounded
        c_service_executed sandbox@bounded >/dev/null
        out=$(c sandboxctl exec bounded -- "$PROBES/run-tmpfs-fill" /dev/shm /tmp /run /var /var/scratch 2>&1)
        for p in /dev/shm:16 /tmp:16 /run:8 /var:16 /var/scratch:16; do
                mib=${p#*:}
                p=${p%:*}
                check_eq "systemctl start, memory=\"64M\": $p is $mib MiB, 1024 inodes, and full at that (ENOSPC)" \
                        "$(awk -v p="$p" '$1 == "size:" p || $1 == "mount-inodes:" p || $1 == "write:" p || $1 == "create:" p { print $2 }' <<<"$out" | tr '\n' ' ')" \
                        "$((mib * 1024 * 1024)) 1024 ENOSPC ENOSPC "
        done
        c systemctl stop sandbox@bounded
else
        skip "systemctl start: the tmpfs sizes" "no C compiler (cc) to build the probes"
fi

# --- sandboxctl run under systemd: a transient scope with the unit's limits ---

c timeout 30 sandboxctl run bounded -- /bin/sleep 4 >"$TMP/run.out" 2>"$TMP/run.err" &
RUN_PID=$!
scope=
for _ in $(seq 50); do
        scope=$(c systemctl list-units --type=scope --state=active --no-legend --plain 'sandbox-run-bounded-*' | cut -d' ' -f1)
        [ -n "$scope" ] && break
        sleep 0.1
done
check "sandboxctl run: the scope sandbox-run-bounded-PID.scope is active while it runs" test -n "$scope"
if [ -n "$scope" ]; then
        check_eq "sandboxctl run: the scope is in sandbox.slice" "$(show "$scope" Slice)" sandbox.slice
        check_eq "sandboxctl run: the scope has the profile's TasksMax= and MemoryMax=" \
                "$(show "$scope" TasksMax) $(show "$scope" MemoryMax)" "32 67108864"
        check "sandboxctl run: the sandbox's processes are in the scope's cgroup" \
                bash -c '[ "$(wc -l <<<"$0")" -ge 2 ]' "$(c cat "/sys/fs/cgroup/sandbox.slice/$scope/cgroup.procs")"
else
        skip "sandboxctl run: the scope's slice and limits" "no scope"
fi
wait "$RUN_PID"
check_eq "sandboxctl run: the command's status (sleep 4)" "$?" 0
check_eq "sandboxctl run: the scope is gone after" \
        "$(c systemctl list-units --type=scope --all --no-legend --plain 'sandbox-run-bounded-*')" ""

if [ "$HAVE_PROBES" = yes ]; then
        out=$(c sandboxctl run bounded -- "$PROBES/run-fork-bound" 200 2>&1)
        if c grep -qw pids /sys/fs/cgroup/sandbox.slice/cgroup.controllers 2>/dev/null; then
                check "sandboxctl run: a fork bomb stops before 32 (EAGAIN)" \
                        bash -c 'grep -qx "fork-error EAGAIN" <<<"$0" && [ "$(sed -n "s/^forks //p" <<<"$0")" -lt 32 ]' "$out"
        else
                skip "sandboxctl run: a fork bomb stops before 32" "the container's cgroup2 has no pids controller: TasksMax= is not enforced here"
        fi
        check "sandboxctl run: the fork bomb's children all exit" \
                bash -c '[ "$(sed -n "s/^forks //p" <<<"$0")" = "$(sed -n "s/^reaped //p" <<<"$0")" ]' "$out"
else
        skip "sandboxctl run: the fork bomb" "no C compiler (cc) to build the probes"
fi

done_testing
