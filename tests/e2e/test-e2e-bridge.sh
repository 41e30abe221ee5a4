#!/bin/bash
# End-to-end, under systemd booted in a container: bridged sandboxes
# (<network mode="bridge">) on the default bridge. The container has a
# network namespace of its own (launch.sh's --private-network): it is
# the host here, and the outside world is a network namespace the test
# makes inside it, "peer", behind a veth pair (198.51.100.0/24,
# 2001:db8:1::/64; 203.0.113.2 is a second destination behind it). The
# machine's own network is never touched.
#
# Checked: two sandboxes reach each other exactly as their allow and deny
# lists say; a port forward reaches the service from the peer, over IPv4
# and IPv6, and the service sees the peer's own address; outbound traffic
# is masqueraded, and refused with outbound="no"; a deny list refuses
# what it names and nothing else; resolv.conf and the host name are the
# profile's, and the host's loopback resolver answers through the
# gateway; sandboxctl status shows the interface, addresses and forwards;
# an address or a forward another running sandbox holds is refused,
# naming it; a forward on one host address answers there only; an
# allocated address is kept in the sandbox's state for its next start;
# after systemctl stop, SIGKILL of the helper, and SIGKILL of every
# process of the sandbox, no veth, nft rule or lease is left; 100
# sandboxes started at once get 100 addresses, and leave nothing.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
[ -x "$BUILD_ROOT/helper/sandbox-network" ] ||
        e2e_skip_all "the build has no sandbox-network (meson option network: libmnl and libnftables)"
for t in ip nft; do
        command -v "$t" >/dev/null || e2e_skip_all "no $t here (apt-get install iproute2 nftables)"
done

# the sandboxes' addresses in the default bridge's networks
NET4=10.92.0
GW4=10.92.0.1
GW6=fd92:5a:b0::1
# the peer's side
PEER4=198.51.100.2
HOST_PEER4=198.51.100.1
PEER6=2001:db8:1::2
HOST_PEER6=2001:db8:1::1
FAR4=203.0.113.2

### Programs

# the server and the client (tests/e2e/net-probe.py)
PROBE=/usr/local/lib/sandbox-e2e/net-probe.py
e2e_file "$SOURCE_ROOT/tests/e2e/net-probe.py" "$PROBE" 0755
# the container's resolver is on its loopback, as systemd-resolved's
# 127.0.0.53 is (a fake one, below, answers there): a sandbox without
# <dns> reaches it through its gateway's port 53
echo "nameserver 127.0.0.53" >"$TMP/resolv.conf"
e2e_file "$TMP/resolv.conf" /etc/resolv.conf

### Profiles

# bridged NAME NETWORK-XML [XML...]: a profile whose service is
# net-probe.py's server on TCP and UDP port 80, tagged NAME (or $EXEC's
# <arg>s), with the <network> element NETWORK-XML and the lines XML
bridged() {
        local name=$1 net=$2
        local args=${EXEC:-"<arg>/usr/bin/python3</arg><arg>$PROBE</arg>
    <arg>serve</arg><arg>both</arg><arg>80</arg><arg>$name</arg>"}
        shift 2
        cat >"$TMP/$name.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>e2e bridge: $name</description>
  <exec>
    $args
  </exec>
  <service type="simple" restart="no"/>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
  $net
  $(printf '%s\n' "$@")
  <security><capabilities keep="CAP_NET_BIND_SERVICE"/></security>
</sandbox>
XML
        e2e_profile "$TMP/$name.xml" "$name"
}

# alpha and gamma, and three b's with different lists, at static addresses
A=$NET4.20 BOPEN=$NET4.21 BALLOW=$NET4.22 BDENY=$NET4.23 C=$NET4.24
bridged alpha "<network mode=\"bridge\" address=\"$A\"/>"
bridged gamma "<network mode=\"bridge\" address=\"$C\"/>"
bridged b-open "<network mode=\"bridge\" address=\"$BOPEN\"/>"
bridged b-allow "<network mode=\"bridge\" address=\"$BALLOW\">
    <allow address=\"$A\"/>
    <deny address=\"any\"/>
  </network>"
bridged b-deny "<network mode=\"bridge\" address=\"$BDENY\">
    <deny address=\"$A/32\"/>
  </network>"
# alpha's address, and web's forward, asked for again
bridged clash "<network mode=\"bridge\" address=\"$A\"/>"
bridged web2 '<network mode="bridge"><port host="8080" sandbox="80"/></network>'
# allocated addresses, IPv6, a forward, a resolver and a host name
bridged web '<network mode="bridge" ipv6="yes" mtu="1400">
    <port host="8080" sandbox="80"/>
    <port host="8081" sandbox="80" address="198.51.100.1"/>
    <port host="8053" sandbox="80" protocol="udp"/>
    <dns server="192.0.2.53"/>
  </network>' '<hostname>web-e2e</hostname>'
bridged noout '<network mode="bridge" outbound="no"/>'
bridged denied '<network mode="bridge" ipv6="yes">
    <deny address="198.51.100.0/24"/>
    <deny address="2001:db8:1::/64"/>
  </network>'
# the template of the 100, whose service only sleeps, and one more such
EXEC='<arg>/bin/sleep</arg><arg>infinity</arg>' bridged n000 '<network mode="bridge"/>'
EXEC='<arg>/bin/sleep</arg><arg>infinity</arg>' bridged filler '<network mode="bridge"/>'
MANY=()
for i in $(seq -w 1 100); do
        MANY+=("n$i")
        e2e_profile "$TMP/n000.xml" "n$i"
done
e2e_boot

### Helpers

# in_net UNIT CMD...: CMD in UNIT's service's network namespace (the
# container's files)
in_net() {
        local unit=$1 pid
        shift
        # a unit that is not running has no service to wait for
        [ "$(c systemctl is-active "$unit")" = active ] || { echo "$unit is not active"; return 125; }
        pid=$(c_service_executed "$unit") || { echo "no service process in $unit"; return 125; }
        c nsenter -t "$pid" -n "$@"
}
# from_sandbox NAME ADDRESS PORT [RETRY [TIMEOUT [PROTO]]]: the client's
# line, connecting from sandbox@NAME
from_sandbox() {
        in_net "sandbox@$1" python3 "$PROBE" connect "$2" "$3" "${5:-2}" "${4:-0}" "${6:-tcp}" 2>&1
}
# from_peer ADDRESS PORT [RETRY [TIMEOUT [PROTO]]]: from the peer
# namespace
from_peer() {
        c nsenter --net=/run/netns/peer python3 "$PROBE" connect "$1" "$2" "${4:-2}" "${3:-0}" "${5:-tcp}" 2>&1
}
# from_host ADDRESS PORT [RETRY [TIMEOUT]]: from the container itself
from_host() {
        c python3 "$PROBE" connect "$1" "$2" "${4:-2}" "${3:-0}" tcp 2>&1
}
# failed LINE: the client's LINE is a network error (ETIMEDOUT,
# ECONNREFUSED, EHOSTUNREACH...), not the client or sandbox missing
failed() {
        [[ $1 =~ ^error\ E[A-Z]+$ ]] && [ "$1" != "error EOF" ]
}
# check_fails DESCRIPTION LINE: the connection failed, with what errno
check_fails() {
        if failed "$2"; then
                ok "$1 (${2#error })"
        else
                not_ok "$1"
                diag "got: $2"
        fi
}
# lacks FILE LINE: FILE has no line LINE
lacks() {
        ! grep -qxF -- "$2" "$1"
}
# lacks_any FILE WORD...: FILE has none of the words WORD... (a name
# followed by "-" counts: a chain's name)
lacks_any() {
        local f=$1
        shift
        ! grep -E "(^|[^[:alnum:]_.:-])($(printf '%s|' "$@" | sed 's/[.]/\\./g; s/|$//'))(\$|[^[:alnum:]_.:])" "$f"
}
# start NAME...: systemctl start of sandbox@NAME..., in one job, and
# the assertion that all are active (the first failed one's journal when
# not)
start() {
        local n bad=
        c systemctl start "${@/#/sandbox@}" 2>/dev/null
        for n; do
                [ "$(c systemctl is-active "sandbox@$n")" = active ] && continue
                [ -n "$bad" ] || diag "sandbox@$n's journal, its last lines:" \
                        "$(c journalctl -u "sandbox@$n" -o cat --no-pager 2>&1 | tail -n 8)"
                bad+=" $n"
        done
        check_eq "start: $* active" "${bad# }" ""
}
# journal_has UNIT TEXT: TEXT is a line of UNIT's journal (waits up to 5 s
# for it to be written)
journal_has() {
        local i
        for i in $(seq 50); do
                c journalctl -u "$1" -o cat --no-pager 2>/dev/null | grep -qxF "$2" && return 0
                sleep 0.1
        done
        diag "$1's journal, its last lines:" "$(c journalctl -u "$1" -o cat --no-pager 2>&1 | tail -n 8)"
        return 1
}
# addrs UNIT FAMILY: the global addresses (ADDRESS/LENGTH) of eth0 in
# UNIT's service's network namespace, as the kernel has them
addrs() {
        in_net "$1" ip "-$2" -o addr show dev eth0 scope global 2>/dev/null | awk '{ print $4 }'
}
# host_if NAME: the host's end of sandbox NAME's veth pair, as
# sandboxctl status --json gives it
host_if() {
        c sandboxctl status --json "$1" </dev/null 2>/dev/null |
                python3 -c 'import json, sys; print(json.load(sys.stdin)["network"]["host_interface"])' 2>/dev/null
}
# left_of NAME IFNAME ADDRESS...: what is left of bridged sandbox NAME,
# one line each: its host interface, its lease, its name or an address
# in the nftables ruleset
left_of() {
        local name=$1 ifn=$2 a
        shift 2
        [ -z "$ifn" ] || ! c ip link show dev "$ifn" >/dev/null 2>&1 || echo "link $ifn"
        ! c test -e "/run/sandbox/.network/$name" || echo "lease /run/sandbox/.network/$name"
        c nft list ruleset >"$TMP/ruleset" 2>&1
        grep -qwF -- "$name" "$TMP/ruleset" && echo "nft: $(grep -wF -- "$name" "$TMP/ruleset" | head -n 3 | tr '\n' ' ')"
        for a; do
                grep -qwF -- "$a" "$TMP/ruleset" && echo "nft: $a"
        done
        return 0
}
# wait_clean NAME IFNAME ADDRESS...: left_of NAME... until nothing is left,
# 10 s at most; what is left then
wait_clean() {
        local i left
        for i in $(seq 50); do
                left=$(left_of "$@")
                [ -z "$left" ] && return 0
                sleep 0.2
        done
        echo "$left"
}

### The peer namespace, and servers outside the sandboxes

c ip netns add peer &&
        c ip link add vpeer type veth peer name eth0 netns peer &&
        c ip addr add "$HOST_PEER4/24" dev vpeer &&
        c ip -6 addr add "$HOST_PEER6/64" dev vpeer nodad &&
        c ip link set vpeer up &&
        c ip -n peer link set lo up &&
        c ip -n peer addr add "$PEER4/24" dev eth0 &&
        c ip -n peer addr add "$FAR4/32" dev eth0 &&
        c ip -n peer -6 addr add "$PEER6/64" dev eth0 nodad &&
        c ip -n peer link set eth0 up &&
        c ip -n peer route add default via "$HOST_PEER4" &&
        c ip -n peer -6 route add default via "$HOST_PEER6" &&
        c ip route add "$FAR4/32" via "$PEER4"
check_eq "the peer namespace, behind a veth pair of the container's" "$?" 0
# the peer's server, the container's own on every address (the gateway's
# among them), and a resolver on the container's 127.0.0.53
c systemd-run --quiet --unit=e2e-peer nsenter --net=/run/netns/peer \
        python3 "$PROBE" serve tcp 7000 peer
c systemd-run --quiet --unit=e2e-host python3 "$PROBE" serve tcp 9000 host
c systemd-run --quiet --unit=e2e-resolver python3 "$PROBE" serve udp 53 resolver 127.0.0.53
check_eq "the peer's server answers the container" "$(from_host "$PEER4" 7000 5)" "ok peer sees $HOST_PEER4"
check_eq "... and the peer, the container's server (the peer routes through the container)" \
        "$(from_peer "$HOST_PEER4" 9000 5)" "ok host sees $PEER4"

### Two sandboxes on one bridge, as their lists say

start alpha gamma b-open b-allow b-deny
check_eq "alpha has its static address on eth0" "$(addrs sandbox@alpha 4)" "$A/16"
check_eq "alpha reaches b-open's service (neither has lists)" "$(from_sandbox alpha "$BOPEN" 80 5)" "ok b-open sees $A"
check "... and b-open logged alpha's address" journal_has sandbox@b-open "b-open connection from $A"
check_eq "b-open reaches alpha's service" "$(from_sandbox b-open "$A" 80 5)" "ok alpha sees $BOPEN"
check_eq "alpha reaches b-allow (allows alpha, denies any: allow wins)" "$(from_sandbox alpha "$BALLOW" 80 5)" "ok b-allow sees $A"
check_eq "b-allow reaches alpha" "$(from_sandbox b-allow "$A" 80 5)" "ok alpha sees $BALLOW"
check_fails "gamma does not reach b-allow (denied: any)" "$(from_sandbox gamma "$BALLOW" 80)"
check_fails "b-allow does not reach gamma" "$(from_sandbox b-allow "$C" 80)"
check_eq "gamma reaches b-deny (which denies alpha only)" "$(from_sandbox gamma "$BDENY" 80 5)" "ok b-deny sees $C"
check_fails "alpha does not reach b-deny (denied: alpha's address)" "$(from_sandbox alpha "$BDENY" 80)"
check_fails "b-deny does not reach alpha" "$(from_sandbox b-deny "$A" 80)"
check_eq "alpha reaches gamma, neither with lists" "$(from_sandbox alpha "$C" 80 5)" "ok gamma sees $A"
c journalctl -u sandbox@b-deny -o cat --no-pager >"$TMP/journal" 2>&1
check "b-deny's service never saw a connection from alpha" lacks "$TMP/journal" "b-deny connection from $A"

# the host's resolver on its loopback, through the gateway: alpha's
# resolv.conf (no <dns>) names the gateway, and a query there is answered
check_eq "alpha's resolv.conf names the gateway (the container's resolver is on its loopback)" \
        "$(in_sandbox sandbox@alpha awk '$1 == "nameserver" { print $2 }' /etc/resolv.conf 2>&1)" "$GW4"
check_eq "a query to the gateway's port 53 reaches the container's 127.0.0.53" \
        "$(from_sandbox alpha "$GW4" 53 5 2 udp)" "ok resolver sees $A"

# refused NAME HOLDER: sandbox@NAME does not start, and its journal names
# HOLDER, the running sandbox holding what it asked for; nothing of
# NAME's is left
refused() {
        c systemctl start "sandbox@$1" 2>/dev/null
        check_eq "$1 does not start" "$(c systemctl is-active "sandbox@$1")" failed
        c journalctl -u "sandbox@$1" -o cat --no-pager >"$TMP/journal" 2>&1
        check "... its journal names $2, which holds it" grep -w -- "$2" "$TMP/journal" ||
                diag "$(tail -n 8 "$TMP/journal")"
        check_eq "... and no lease nor host end of $1's is left" \
                "$(c sh -c "test ! -e /run/sandbox/.network/$1 || echo lease; ip -o link show | grep -c 'alias sandbox $1\$'")" 0
}
refused clash alpha
check_eq "alpha still answers at its address" "$(from_sandbox gamma "$A" 80 5)" "ok alpha sees $C"

check_eq "the rules are in the project's own tables: netdev sandbox and inet sandbox" \
        "$(c nft list tables 2>&1 | grep -E '^table (netdev|inet) sandbox$' | sort | tr '\n' ' ')" \
        "table inet sandbox table netdev sandbox "

### A forward, outbound NAT, IPv6, resolv.conf and the host name

# filler takes an address before web does
start filler
filler4=$(addrs sandbox@filler 4)
start web
web4=$(addrs sandbox@web 4)
web6=$(addrs sandbox@web 6)
WEB4=${web4%/*}
WEB6=${web6%/*}
check_eq "web's IPv4 address is allocated in $NET4.0/16" \
        "$(python3 -c 'import ipaddress, sys; print(ipaddress.ip_interface(sys.argv[1]).network)' "$web4" 2>&1)" 10.92.0.0/16
check_eq "web's IPv6 address is fd92:5a:b0::/64 with the IPv4 address's host number" \
        "$(python3 -c 'import ipaddress, sys
a = ipaddress.ip_interface(sys.argv[1])
print(a.network, int(a.ip) & 0xffffffffffffffff)' "$web6" 2>&1)" \
        "fd92:5a:b0::/64 $(python3 -c 'import ipaddress, sys; print(int(ipaddress.ip_address(sys.argv[1])) & 0xffff)' "$WEB4" 2>&1)"
check_eq "web's eth0 has the link-layer address 02:5a: and its IPv4 address" \
        "$(in_net sandbox@web ip -o link show dev eth0 2>&1 | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')" \
        "$(IFS=. read -r b1 b2 b3 b4 <<<"$WEB4"; printf '02:5a:%02x:%02x:%02x:%02x' "$b1" "$b2" "$b3" "$b4")"
check_eq "web's eth0 has the profile's MTU" "$(in_net sandbox@web ip -o link show dev eth0 2>&1 | sed -n 's|.* mtu \([0-9]*\) .*|\1|p')" 1400
webif=$(host_if web)
check_eq "web's host end ${webif:-(none)} is on sandbox0, with the profile's MTU" \
        "$(c ip -o link show dev "$webif" 2>&1 | sed -n 's|.* mtu \([0-9]*\) .* master \([^ ]*\) .*|\1 \2|p')" "1400 sandbox0"
check "... and its alias names web (what a refused start is checked for)" \
        c sh -c "ip -o link show dev '$webif' | grep -q 'alias sandbox web\$'"
check_eq "web's default routes lead to the gateways" \
        "$(in_net sandbox@web ip -4 route show default 2>&1 | awk '{ print $3 }') $(in_net sandbox@web ip -6 route show default 2>&1 | awk '{ print $3 }')" \
        "$GW4 $GW6"

check_eq "forward: the peer reaches web's port 80 at the container's $HOST_PEER4:8080" \
        "$(from_peer "$HOST_PEER4" 8080 5)" "ok web sees $PEER4"
check "... and web's journal shows the peer's own address, not the gateway's" \
        journal_has sandbox@web "web connection from $PEER4"
# the peer routes everything through the container, the bridge's
# network too: web's port is reached only through the forward
check_fails "routed: the peer reaches web's own address, port 80, not at all" "$(from_peer "$WEB4" 80 0 1)"
# the kernel routes nothing from 127.0.0.0/8 past the host: the service
# sees the gateway (sandbox.profile(5), <port>)
check_eq "forward: from the container's loopback, 127.0.0.1:8080, web sees the gateway" \
        "$(from_host 127.0.0.1 8080 5)" "ok web sees $GW4"
check_eq "a forward on one address: the peer reaches web at $HOST_PEER4:8081" \
        "$(from_peer "$HOST_PEER4" 8081 5)" "ok web sees $PEER4"
check_fails "... and nothing answers at the container's 127.0.0.1:8081" "$(from_host 127.0.0.1 8081)"
check_fails "... nor at the gateway's $GW4:8081, from the peer" "$(from_peer "$GW4" 8081)"
check_eq "a UDP forward: the peer reaches web at $HOST_PEER4:8053" \
        "$(from_peer "$HOST_PEER4" 8053 5 2 udp)" "ok web sees $PEER4"
check "... and web's journal shows the peer's own address" journal_has sandbox@web "web datagram from $PEER4"
check_fails "... and no TCP forward at 8053" "$(from_peer "$HOST_PEER4" 8053)"
check_eq "forward over IPv6: the peer reaches web at [$HOST_PEER6]:8080" \
        "$(from_peer "$HOST_PEER6" 8080 5)" "ok web sees $PEER6"
check "... and web's journal shows the peer's IPv6 address" journal_has sandbox@web "web connection from $PEER6"

check_eq "outbound: web reaches the peer, which sees the container's address (masquerade)" \
        "$(from_sandbox web "$PEER4" 7000 5)" "ok peer sees $HOST_PEER4"
check "... and the peer's server logged that address" journal_has e2e-peer.service "peer connection from $HOST_PEER4"
# the same from a command joined to the sandbox with all its confinement,
# as an administrator's shell runs it (in a cgroup of the container's)
check_eq "outbound: a command in web (sandboxctl exec) reaches the peer too" \
        "$(c systemd-run --quiet --wait --pipe --collect --service-type=exec \
                sandboxctl exec web -- /usr/bin/python3 "$PROBE" connect "$PEER4" 7000 2 5 tcp </dev/null 2>&1)" \
        "ok peer sees $HOST_PEER4"
check_eq "IPv6: web reaches its gateway [$GW6]" "$(from_sandbox web "$GW6" 9000 5)" "ok host sees $WEB6"
check_eq "IPv6: web reaches the peer, masqueraded as the container's address" \
        "$(from_sandbox web "$PEER6" 7000 5)" "ok peer sees $HOST_PEER6"

check_eq "web's resolv.conf names the profile's resolver only" \
        "$(in_sandbox sandbox@web awk '$1 == "nameserver" { print $2 }' /etc/resolv.conf 2>&1)" 192.0.2.53
check_eq "web's host name is the profile's" "$(in_sandbox sandbox@web hostname 2>&1)" web-e2e

refused web2 web
check_eq "web's forward still answers" "$(from_peer "$HOST_PEER4" 8080 5)" "ok web sees $PEER4"

# sandboxctl status, in text and JSON
c sandboxctl status web </dev/null >"$TMP/out" 2>&1
check "status web: shows eth0 and its host end" grep -qE "eth0.*vsb[0-9]+" "$TMP/out"
check "status web: shows its IPv4 address" grep -qF "$web4" "$TMP/out"
check "status web: shows its IPv6 address" grep -qF "$web6" "$TMP/out"
check "status web: shows the forward 8080 -> 80" grep -qE "tcp .*:8080 -> 80" "$TMP/out"
check "status web: shows the forward $HOST_PEER4:8081 -> 80" grep -qF "tcp $HOST_PEER4:8081 -> 80" "$TMP/out"
check "status web: shows the UDP forward 8053 -> 80" grep -qE "udp .*:8053 -> 80" "$TMP/out"
# net_summary: the network of the JSON object on standard input, or of
# the entry NAME of a list of them
net_summary() {
        python3 -c 'import json, sys
o = json.load(sys.stdin)
if isinstance(o, list):
    o = [e for e in o if e["name"] == sys.argv[1]][0]
n = o["network"]
print(n["mode"], n["interface"], (n["host_interface"] or "")[:3], sorted(n["addresses"] or []), n["outbound"],
      sorted((f["protocol"], f["host_port"], f["sandbox_port"]) for f in n["forwards"] or []))' "${1:-}" 2>&1
}
want="bridge eth0 vsb $(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$web4" "$web6") True [('tcp', 8080, 80), ('tcp', 8081, 80), ('udp', 8053, 80)]"
check_eq "status --json web: the interface, the kernel's addresses, the forward" \
        "$(c sandboxctl status --json web </dev/null 2>&1 | net_summary)" "$want"
check_eq "list --json: the same for web" "$(c sandboxctl list --json </dev/null 2>&1 | net_summary web)" "$want"

### outbound="no", and a deny list

start noout denied
check_eq "outbound=\"no\": noout still reaches its gateway" "$(from_sandbox noout "$GW4" 9000 5)" \
        "ok host sees $(addrs sandbox@noout 4 | cut -d/ -f1)"
check_fails "outbound=\"no\": noout does not reach the peer" "$(from_sandbox noout "$PEER4" 7000)"
check_eq "deny 198.51.100.0/24: denied reaches $FAR4, outside the list" \
        "$(from_sandbox denied "$FAR4" 7000 5)" "ok peer sees $HOST_PEER4"
check_fails "deny 198.51.100.0/24: denied does not reach the peer at $PEER4" "$(from_sandbox denied "$PEER4" 7000)"
check_eq "deny 2001:db8:1::/64: denied reaches its IPv6 gateway, outside the list" \
        "$(from_sandbox denied "$GW6" 9000 5)" "ok host sees $(addrs sandbox@denied 6 | cut -d/ -f1)"
check_fails "deny 2001:db8:1::/64: denied does not reach the peer at $PEER6" "$(from_sandbox denied "$PEER6" 7000)"
check_fails "... nor does the peer reach denied's own address (the list judges what reaches it too)" \
        "$(c nsenter --net=/run/netns/peer python3 "$PROBE" connect "$(addrs sandbox@denied 4 | cut -d/ -f1)" 80 2 0 tcp 2>&1)"

### Nothing left after a stop, nor after SIGKILL of the helper

# what a running sandbox has: kinds of what left_of finds, one a line
kinds() {
        awk '{ print $1 }' | sort -u | tr '\n' ' '
}
ifn=$(host_if web)
check_eq "web, running: its host end ${ifn:-(none)}, its lease and its nft rules are there" \
        "$(left_of web "$ifn" "$WEB4" "$WEB6" | kinds)" "lease link nft: "
c systemctl stop sandbox@web
check_eq "stop web: the unit is inactive" "$(c systemctl is-active sandbox@web)" inactive
left=$(wait_clean web "$ifn" "$WEB4" "$WEB6")
check_eq "stop web: no $ifn, no lease, no nft rule of web's left" "$left" ""
check_fails "stop web: the forward is gone" "$(from_peer "$HOST_PEER4" 8080 0 1)"
check_eq "stop web: status --json has no interface, addresses nor forwards" \
        "$(c sandboxctl status --json web </dev/null 2>/dev/null | net_summary)" "bridge None  [] None []"
# its address is kept in its state (STATE_ROOT/NAME/network), its first
# choice at the next start, even with a lower one free (filler's, once
# filler stops)
check_eq "web's state keeps the address of its first start" \
        "$(c grep -x "address4=$WEB4" /var/lib/sandbox/web/network 2>&1)" "address4=$WEB4"
start web
check_eq "web started again (filler still has $filler4) has the address it had" "$(addrs sandbox@web 4)" "$web4"
check_eq "... and its forward answers again" "$(from_peer "$HOST_PEER4" 8080 5)" "ok web sees $PEER4"
check_eq "... and its state keeps that address" \
        "$(c grep -x "address4=$WEB4" /var/lib/sandbox/web/network 2>&1)" "address4=$WEB4"
c systemctl stop sandbox@web sandbox@filler
start web
check_eq "web started a third time has the address it had ($web4 $web6), not the lower one freed ($filler4)" \
        "$(addrs sandbox@web 4) $(addrs sandbox@web 6) $([ "${filler4%/*}" != "$WEB4" ] && echo other)" "$web4 $web6 other"
c systemctl stop sandbox@web

ifn=$(host_if noout)
noout4=$(addrs sandbox@noout 4 | cut -d/ -f1)
check_eq "noout, running: its host end ${ifn:-(none)}, its lease and its nft rules are there" \
        "$(left_of noout "$ifn" "$noout4" | kinds)" "lease link nft: "
main=$(c systemctl show -p MainPID --value sandbox@noout)
if [[ $main =~ ^[1-9][0-9]*$ ]] && [ "$main" != 1 ]; then
        c kill -KILL "$main"
        left=$(wait_clean noout "$ifn" "$noout4")
        check_eq "SIGKILL of noout's helper ($main): no $ifn, no lease, no nft rule of noout's left" "$left" ""
        check_eq "... and the unit is failed" "$(c systemctl is-active sandbox@noout)" failed
        start noout
        check_eq "noout starts again, and reaches its gateway" "$(from_sandbox noout "$GW4" 9000 5)" \
                "ok host sees $(addrs sandbox@noout 4 | cut -d/ -f1)"
        c systemctl stop sandbox@noout
else
        not_ok "SIGKILL of noout's helper: it has none (MainPID \"$main\")"
fi

# the whole sandbox killed at once, the helper's keeper with it: the
# unit's ExecStopPost= takes the network down
gammaif=$(host_if gamma)
check_eq "gamma, running: its host end ${gammaif:-(none)}, its lease and its nft rules are there" \
        "$(left_of gamma "$gammaif" "$C" | kinds)" "lease link nft: "
c systemctl kill --signal=SIGKILL sandbox@gamma
left=$(wait_clean gamma "$gammaif" "$C")
check_eq "SIGKILL of all of gamma's processes: no $gammaif, no lease, no nft rule of gamma's left" "$left" ""

### 100 sandboxes started at once

# eth0_addrs NAME...: each running sandbox's IPv4 address (with its
# length) as its own eth0 has it, one a line, in one pass in the container
eth0_addrs() {
        c sh -c 'for n; do
                m=$(systemctl show -p MainPID --value "sandbox@$n")
                init=$(cut -d" " -f1 "/proc/$m/task/$m/children")
                svc=$(cut -d" " -f1 "/proc/$init/task/$init/children")
                nsenter -t "$svc" -n ip -4 -o addr show dev eth0 scope global | awk "{ print \$4 }"
        done' sh "$@" 2>&1
}
# bridge_ports: how many host ends of veth pairs the bridge has
bridge_ports() {
        c ip -o link show master sandbox0 2>/dev/null | grep -c ': vsb[0-9]*@'
}
RUNNING=(alpha b-open b-allow b-deny denied)
ports_before=$(bridge_ports)
start=$SECONDS
c timeout 180 systemctl start "${MANY[@]/#/sandbox@}" 2>/dev/null
rc=$?
diag "100 sandboxes started in $((SECONDS - start)) s"
check_eq "start of 100 sandboxes at once: all are active" \
        "$rc $(c systemctl is-active "${MANY[@]/#/sandbox@}" | sort | uniq -c | awk '{ print $1, $2 }')" "0 100 active"
eth0_addrs "${MANY[@]}" >"$TMP/many"
eth0_addrs "${RUNNING[@]}" >"$TMP/others"
check_eq "... 100 distinct IPv4 addresses on their eth0, in 10.92.0.0/16" \
        "$(grep '^10\.92\.[0-9]*\.[0-9]*/16$' "$TMP/many" | sort -u | wc -l)" 100
check_eq "... none of them one of the ${#RUNNING[@]} sandboxes that ran already" \
        "$(sort -u "$TMP/others" | wc -l) $(sort "$TMP/many" "$TMP/others" | uniq -d)" "${#RUNNING[@]} "
check_eq "... 100 leases" "$(c sh -c 'ls /run/sandbox/.network | grep -c "^n[0-9][0-9][0-9]$"')" 100
check_eq "... 100 more host ends on the bridge" "$(($(bridge_ports) - ports_before))" 100
c timeout 180 systemctl stop "${MANY[@]/#/sandbox@}"
diag "100 sandboxes stopped, $((SECONDS - start)) s since their start"
for i in $(seq 50); do
        left=$(c sh -c 'ls /run/sandbox/.network | grep "^n[0-9][0-9][0-9]$"'
                c nft list ruleset | grep -wF -f <(cut -d/ -f1 "$TMP/many")
                [ "$(bridge_ports)" = "$ports_before" ] || echo "$(bridge_ports) host ends on the bridge")
        [ -z "$left" ] && break
        sleep 0.2
done
check_eq "stop of the 100: no host end, lease nor nft rule of theirs left" "$left" ""

### All stopped: nothing left

c systemctl stop "${RUNNING[@]/#/sandbox@}"
for i in $(seq 50); do
        left=$(c ip -o link show 2>&1 | grep -o ': vsb[0-9]*'
                c sh -c 'ls -A /run/sandbox/.network 2>/dev/null | grep -vx -e "\.lock" -e "\.nft-lock"')
        [ -z "$left" ] && break
        sleep 0.2
done
check_eq "every sandbox stopped: no vsb link, no lease left" "$left" ""
c nft list ruleset >"$TMP/ruleset" 2>&1
# shellcheck disable=SC2046 # one address a word
check "... and no sandbox's name nor address in the nftables ruleset" \
        lacks_any "$TMP/ruleset" alpha gamma b-open b-allow b-deny web noout denied "${MANY[@]}" \
        $(cut -d/ -f1 "$TMP/others") "$WEB4" "$WEB6"

done_testing
