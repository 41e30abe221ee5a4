#!/bin/bash
# End-to-end: what the service writes to its /etc overlay survives
# "systemctl restart"; what changes in the container's own /etc shows
# through after a restart.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/keeper.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo edited-inside >/etc/e2e-inside; exec sleep infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
XML
e2e_profile "$TMP/keeper.xml" keeper
e2e_boot

c systemctl start sandbox@keeper
check_eq "start: active" "$(c systemctl is-active sandbox@keeper)" active
# the file is written as the service starts
for _ in $(seq 50); do in_sandbox sandbox@keeper test -e /etc/e2e-inside 2>/dev/null && break; sleep 0.1; done
in_sandbox sandbox@keeper sh -c 'echo var-data >/var/e2e-data; sed -i "s/^/# edited: /" /etc/hostname'
c sh -c 'echo from-host-1 >/etc/e2e-host'
check_eq "before the restart: the container's /etc is untouched by the sandbox" \
        "$(c sh -c 'test -e /etc/e2e-inside && echo present; head -c 10 /etc/hostname')" "$(head -c 10 /etc/hostname)"

c systemctl restart sandbox@keeper
check_eq "restart: active again" "$(c systemctl is-active sandbox@keeper)" active
check_eq "restart: a file the service wrote to /etc survives" "$(in_sandbox sandbox@keeper cat /etc/e2e-inside)" edited-inside
check_eq "restart: a file written to /var survives" "$(in_sandbox sandbox@keeper cat /var/e2e-data)" var-data
check_eq "restart: an edit of a host file (/etc/hostname) survives" \
        "$(in_sandbox sandbox@keeper head -c 10 /etc/hostname)" "# edited: "
check_eq "restart: a file added to the container's /etc since the last start shows through" \
        "$(in_sandbox sandbox@keeper cat /etc/e2e-host)" from-host-1

c sh -c 'echo from-host-2 >/etc/e2e-host'
c systemctl restart sandbox@keeper
check_eq "restart: a change of that file on the host shows through too" "$(in_sandbox sandbox@keeper cat /etc/e2e-host)" from-host-2
check "the state is where the profile's state lives: /var/lib/sandbox/keeper/etc/upper" \
        [ -f "$E2E_DIR/state/keeper/etc/upper/e2e-inside" ]
c systemctl stop sandbox@keeper

done_testing
