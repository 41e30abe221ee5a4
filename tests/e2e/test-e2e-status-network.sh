#!/bin/bash
# End-to-end, under systemd booted in a container: what "sandboxctl
# status" and "sandboxctl list --json" show of a running sandbox's lease
# (lib/core/net-lease.h): its bridge, interfaces, addresses, gateways,
# outbound and forwards, and nothing of it once the sandbox has stopped.
# The lease is taken by tests/e2e/lease-probe, with the lease code the
# network's set-up uses, in the container's own /run/sandbox/.network,
# while the sandbox runs; no interface is made for it: this is the view,
# not the network.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/web.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>e2e status of a network</description>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <network mode="none"/>
</sandbox>
XML
e2e_profile "$TMP/web.xml" web
e2e_file "$BUILD_ROOT/tests/lease-probe" /usr/local/lib/sandbox-e2e/lease-probe 0755
e2e_boot

# status NAME [ARG...]: output in $TMP/out, status in $rc
status() {
        local name=$1
        shift
        c sandboxctl status "$@" "$name" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
# json_field EXPRESSION: a value of the JSON in $TMP/out, printed by Python
json_field() {
        python3 -c 'import json, sys; o = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/out" "$1"
}
list_network() {
        c sandboxctl list --json </dev/null >"$TMP/out"
        python3 -c 'import json, sys; print([o for o in json.load(open(sys.argv[1])) if o["name"] == "web"][0]["network"])' \
                "$TMP/out"
}

c systemctl start sandbox@web
state=$(c_wait_active sandbox@web)
check "start: sandbox@web is active" [ -z "$state" ]
status web
check "running without a lease: no network line" bash -c '! grep -q "network:" "$1"' _ "$TMP/out"
check_eq "running without a lease: list --json gives the profile's mode and no addresses" "$(list_network)" \
        "{'mode': 'none', 'bridge': None, 'interface': None, 'host_interface': None, 'addresses': None, 'gateways': None, 'outbound': None, 'forwards': None}"

lease=$(c /usr/local/lib/sandbox-e2e/lease-probe take web tcp/8080/80 udp/5353/53/192.0.2.1 tcp/8443/443/2001:db8::1)
check_eq "a lease is taken for web while it runs" "$lease" "10.92.0.2 fd92:5a:b0::2 vsb0"
check_eq "the lease is root's, 0644" "$(c stat -c '%U %a' /run/sandbox/.network/web)" "root 644"

status web
check_eq "status exits 0, nothing on stderr" "$rc $(cat "$TMP/err")" "0 "
check_eq "status: the network line" "$(grep 'network:' "$TMP/out")" \
        "    network: bridge sandbox0, eth0 10.92.0.2/16 fd92:5a:b0::2/64 (host side vsb0), gateway 10.92.0.1 fd92:5a:b0::1, outbound yes"
check_eq "status: a forward line each" "$(grep 'forward:' "$TMP/out")" \
        "    forward: tcp 0.0.0.0:8080 -> 80
    forward: udp 192.0.2.1:5353 -> 53
    forward: tcp [2001:db8::1]:8443 -> 443"

status web --json
check_eq "status --json: the network" "$(json_field 'o["network"]')" \
        "{'mode': 'bridge', 'bridge': 'sandbox0', 'interface': 'eth0', 'host_interface': 'vsb0', 'addresses': ['10.92.0.2/16', 'fd92:5a:b0::2/64'], 'gateways': ['10.92.0.1', 'fd92:5a:b0::1'], 'outbound': True, 'forwards': [{'protocol': 'tcp', 'host_address': None, 'host_port': 8080, 'sandbox_port': 80}, {'protocol': 'udp', 'host_address': '192.0.2.1', 'host_port': 5353, 'sandbox_port': 53}, {'protocol': 'tcp', 'host_address': '2001:db8::1', 'host_port': 8443, 'sandbox_port': 443}]}"
network=$(json_field 'o["network"]')
check_eq "list --json: the same network as status --json" "$(list_network)" "$network"

c systemctl stop sandbox@web
check "stopped: the lease is still there (nothing takes it down yet)" c test -f /run/sandbox/.network/web
status web
check "stopped: status shows no network" bash -c '! grep -q "network:\|forward:" "$1"' _ "$TMP/out"
status web --json
check_eq "stopped: status --json: the mode alone" "$(json_field '(o["network"]["mode"], o["network"]["addresses"], o["network"]["forwards"])')" \
        "('none', None, None)"
check_eq "stopped: list --json: the profile's mode, no addresses" "$(list_network)" \
        "{'mode': 'none', 'bridge': None, 'interface': None, 'host_interface': None, 'addresses': None, 'gateways': None, 'outbound': None, 'forwards': None}"
check "the lease is freed" c /usr/local/lib/sandbox-e2e/lease-probe free web
check "... and gone" c test ! -e /run/sandbox/.network/web

done_testing
