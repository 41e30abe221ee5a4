#!/bin/bash
# End-to-end, under systemd booted in a container: a profile in
# /etc/sandbox/profiles becomes sandbox@NAME at boot and at daemon-reload;
# "systemctl start" runs it sandboxed in sandbox.slice; "systemctl stop"
# leaves nothing mounted.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/web.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>e2e web</description>
  <exec user="nobody" group="nogroup" workdir="/srv">
    <arg>/usr/bin/python3</arg><arg>-m</arg><arg>http.server</arg>
    <arg>--bind</arg><arg>127.0.0.1</arg><arg>8000</arg>
  </exec>
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
    <bind source="/usr/share/doc" target="/srv" readonly="yes"/>
  </filesystem>
  <network mode="host"/>
</sandbox>
XML
e2e_profile "$TMP/web.xml" web
e2e_boot

# --- picked up at boot
c systemctl cat sandbox@web >"$TMP/cat" 2>&1
check "boot: systemctl cat sandbox@web shows the template" grep -q '^# /.*/sandbox@.service$' "$TMP/cat"
check "boot: ... and the generated drop-in" grep -q '^# /run/systemd/generator/sandbox@web.service.d/50-profile.conf$' "$TMP/cat"
check "boot: the drop-in names the profile" grep -q '^SourcePath=/etc/sandbox/profiles/web.xml$' "$TMP/cat"

# --- picked up at daemon-reload
sed 's/e2e web/e2e second/' "$TMP/web.xml" | c_profile second
check_eq "daemon-reload: before it, sandbox@second has no drop-in" \
        "$(c systemctl show -p DropInPaths --value sandbox@second)" ""
c systemctl daemon-reload
check_eq "daemon-reload: after it, sandbox@second has its profile's description" \
        "$(c systemctl show -p Description --value sandbox@second)" "e2e second"

# --- start
before=$(c_mounts)
c systemctl start sandbox@web
check_eq "start: systemctl start sandbox@web succeeds, the unit is active" \
        "$?:$(c systemctl is-active sandbox@web)" "0:active"
check_eq "start: the unit's cgroup is sandbox.slice/sandbox@web.service" \
        "$(c systemctl show -p ControlGroup --value sandbox@web)" "/sandbox.slice/sandbox@web.service"
pid=$(c_service_executed sandbox@web)
check "start: the service is a process of its own below the helper" [ -n "$pid" ]
check_eq "start: the service's process is in the unit's cgroup" \
        "$(c cat "/proc/$pid/cgroup" 2>/dev/null | awk -F: '$1 == "0" { print $3 }')" "/sandbox.slice/sandbox@web.service"
check_eq "start: the service is python3, as user nobody" \
        "$(c ps -o comm=,user= -p "$pid" | tr -s ' ')" "python3 nobody"

# --- inside
in_sandbox sandbox@web sh -c 'touch /usr/e2e-probe' >"$TMP/out" 2>&1
check "inside: the host root is read-only (EROFS)" grep -q 'Read-only file system' "$TMP/out"
in_sandbox sandbox@web findmnt -n -o FSTYPE /etc >"$TMP/out" 2>&1
check_eq "inside: /etc is an overlay" "$(cat "$TMP/out")" overlay
in_sandbox sandbox@web findmnt -n -o FSTYPE /var >"$TMP/out" 2>&1
check_eq "inside: /var is an overlay" "$(cat "$TMP/out")" overlay
in_sandbox sandbox@web sh -c 'echo e2e >/etc/e2e-probe && cat /etc/e2e-probe' >"$TMP/out" 2>&1
check_eq "inside: /etc takes writes" "$(cat "$TMP/out")" e2e
if [ -f "$E2E_DIR/state/web/etc/upper/e2e-probe" ] && ! c test -e /etc/e2e-probe; then
        ok "inside: the write is in the sandbox's state, not the container's /etc"
else
        not_ok "inside: the write is in the sandbox's state, not the container's /etc"
fi
# builtins only, so that the probe adds no process but its shell
check_eq "inside: /proc shows the sandbox's processes only (the helper, the service, the probe's shell)" \
        "$(in_sandbox sandbox@web sh -c 'for p in /proc/[0-9]*; do read -r c <"$p/comm"; echo "$c"; done' | sort | tr '\n' ' ')" \
        "python3 sandbox-helper sh "

# --- stop
c systemctl stop sandbox@web
check_eq "stop: systemctl stop succeeds, the unit is inactive (not failed)" \
        "$?:$(c systemctl is-active sandbox@web)" "0:inactive"
check_mounts_as "stop: the container's mount table is as before the start" "$before"
check "stop: no process of the unit is left" [ -z "$(c systemctl show -p MainPID --value sandbox@web | grep -v '^0$')" ]

# --- kill: systemd signals the helper alone, which passes it on through
# process 1, outside the service's Landlock domain, to the service
c systemctl start sandbox@web
c_service_executed sandbox@web >/dev/null
c systemctl kill --kill-whom=main --signal=SIGTERM sandbox@web
for _ in $(seq 50); do
        [ "$(c systemctl is-active sandbox@web)" = active ] || break
        sleep 0.1
done
check_eq "kill: systemctl kill --kill-whom=main (SIGTERM) reaches the service; the unit is inactive (not failed)" \
        "$(c systemctl is-active sandbox@web)" inactive

done_testing
