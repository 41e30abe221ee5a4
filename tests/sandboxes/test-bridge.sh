#!/usr/bin/env bash
# Bridged sandboxes (<network mode="bridge">, the helper's --network=bridge
# and --net-* options), under the real helper as root, probed from
# inside (tests/escape/net-bridge.c) and checked from the host:
#
# - eth0 has the lease's address and the link-layer address 02:5a and
#   its IPv4 bytes, the default route goes through the gateway, lo is
#   up; an allocated address is in the bridge's network, and its IPv6
#   address is the bridge's IPv6 network and the same host number;
# - the host has the sandbox's vsbN on the bridge sandbox0, its lease in
#   /run/sandbox/.network/NAME, its nftables chains NAME-from and NAME-to
#   (table netdev sandbox) and NAME-dnat (table inet sandbox);
# - the sandbox reaches a listener of the host's on the gateway's
#   address, and one past the bridge (masqueraded), unless
#   --net-outbound=no: then the connection is never made;
# - a forwarded port reaches a listener inside, which sees the client's
#   own address;
# - a static address that a running sandbox holds is refused, with the
#   holder named;
# - /etc/resolv.conf inside is read-only and names the resolver asked for;
# - once the sandbox has ended, and once its helper is killed with
#   SIGKILL (its lock's keeper takes the network down), nothing is left:
#   no vsb link, no chain, no lease.
#
# The test runs in a mount namespace and a network namespace of its own
# (private-ns.sh, net-ns.sh) with a tmpfs on /run: the bridge, the veth
# pairs, the nftables tables, the sysctls and the leases are the test's,
# never the machine's. "Past the bridge" is a third namespace the test
# makes, 192.0.2.2, reached through a veth pair from the test's
# (192.0.2.1). Needs root, cc, ip, nft and nsenter.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../net-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

net_require "$BUILD_ROOT" ip nft nsenter
# the libexec overlay is the test's, made after escape-lib.sh looked
mount_table >"$TMP/mounts.before"

GW=10.92.0.1
GW_PORT=5301
PEER_ADDR=192.0.2.2
PEER_PORT=9000
HOST_OUT=192.0.2.1
DNS=192.0.2.53
WEB=$NAME-web
WEB_ADDR=10.92.0.20
NAMES+=("$WEB" "$NAME-dup" "$NAME-noout" "$NAME-alloc" "$NAME-kill")
RESOLV_SUM=$(file_sum /etc/resolv.conf)

# --- what the test starts, and ends by PID ---

declare -A BG=()
LISTENERS=()
PEER=
stop_all() {
        local n p
        for n in "${!BG[@]}"; do
                kill -TERM "${BG[$n]}" 2>/dev/null
        done
        for n in "${!BG[@]}"; do
                for _ in $(seq 100); do
                        kill -0 "${BG[$n]}" 2>/dev/null || break
                        sleep 0.05
                done
                kill -KILL "${BG[$n]}" 2>/dev/null
                wait "${BG[$n]}" 2>/dev/null
        done
        for p in "${LISTENERS[@]}" $PEER; do
                kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
        done
}
trap 'stop_all; cleanup' EXIT

# bg NAME OPTIONS... -- COMMAND...: a bridged sandbox in the background,
# the probe on its standard input (SHIP); its output in $TMP/NAME.out
# and .err; the helper's PID in BG[NAME]
bg() {
        local n=$1
        shift
        env --default-signal=INT,QUIT "$HELPER" --name="$n" --state-root="$STATE" --network=bridge "$@" \
                <"$BIN/net-bridge" >"$TMP/$n.out" 2>"$TMP/$n.err" &
        BG[$n]=$!
}

# stop NAME: the sandbox's helper ended with SIGTERM, and waited for;
# its status in rc
stop() {
        local pid=${BG[$1]}
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 200); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.05
        done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        rc=$?
        unset "BG[$1]"
}

# wait_line FILE PATTERN [SECONDS]: FILE has a line matching PATTERN
wait_line() {
        local i
        for ((i = 0; i < ${3:-20} * 20; i++)); do
                grep -q -- "$2" "$1" 2>/dev/null && return 0
                sleep 0.05
        done
        return 1
}

# val KEY FILE: the value of the probe's line KEY in FILE
val() {
        awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$2"
}

# mac_of ADDRESS: 02:5a and the IPv4 address's four bytes
mac_of() {
        local IFS=.
        # shellcheck disable=SC2086
        printf '02:5a:%02x:%02x:%02x:%02x' $1
}

# vsb_of NAME: the host's end of NAME's veth pair, by its alias
vsb_of() {
        ip -o link show | awk -v a="alias sandbox $1" 'substr($0, length($0) - length(a) + 1) == a {
                sub(/@.*/, "", $2); sub(/:$/, "", $2); print $2; exit }'
}

# left_over NAME: what NAME's network left on the host, one word each
left_over() {
        local v
        v=$(vsb_of "$1")
        [ -n "$v" ] && echo "link:$v"
        [ -e "/run/sandbox/.network/$1" ] && echo lease
        nft list chain netdev sandbox "$1-from" >/dev/null 2>&1 && echo "chain:$1-from"
        nft list chain netdev sandbox "$1-to" >/dev/null 2>&1 && echo "chain:$1-to"
        nft list chain inet sandbox "$1-dnat" >/dev/null 2>&1 && echo "chain:$1-dnat"
        nft list table netdev sandbox 2>/dev/null | grep -q -- "$1" && echo "rule:netdev"
        nft list table inet sandbox 2>/dev/null | grep -q -- "$1-" && echo "rule:inet"
        return 0
}

# gone NAME [SECONDS]: nothing of NAME's network is left, waited for
gone() {
        local i
        for ((i = 0; i < ${2:-5} * 20; i++)); do
                [ -z "$(left_over "$1")" ] && return 0
                sleep 0.05
        done
        return 1
}

# --- the world past the bridge: a namespace of the test's, 192.0.2.2 ---

unshare -n sleep 600 &
PEER=$!
for _ in $(seq 100); do
        [ "$(readlink "/proc/$PEER/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
        sleep 0.02
done
if ! ip link add sbt-out type veth peer name eth0 netns "$PEER" ||
        ! ip addr add "$HOST_OUT/24" dev sbt-out || ! ip link set sbt-out up ||
        ! nsenter -t "$PEER" -n sh -c "ip link set lo up && ip addr add $PEER_ADDR/24 dev eth0 && ip link set eth0 up"; then
        echo "Bail out! cannot make the namespace past the bridge"
        exit 1
fi
# in peer: a listener for the sandboxes' outbound connections
nsenter -t "$PEER" -n "$BIN/net-bridge" listen tcp 0.0.0.0 "$PEER_PORT" 120 >"$TMP/peer.out" 2>&1 &
LISTENERS+=($!)
# on the host: a listener on the gateway's address (every address: the
# bridge is not there yet)
"$BIN/net-bridge" listen tcp 0.0.0.0 "$GW_PORT" 120 >"$TMP/gw.out" 2>&1 &
LISTENERS+=($!)
wait_line "$TMP/peer.out" '^listening' && wait_line "$TMP/gw.out" '^listening' ||
        { echo "Bail out! the test's listeners did not start"; exit 1; }

# --- a web service: a static address, a forwarded port, a resolver ---

T=$TOKEN
INSIDE='cat >/tmp/probe && chmod 0755 /tmp/probe || exit 1
/tmp/probe info
sed -n "s/^nameserver /resolv-ns /p" /etc/resolv.conf
if ( : >/etc/resolv.conf ) 2>/dev/null; then echo "resolv-write ok"; else echo "resolv-write refused"; fi
awk "\$5 == \"/etc/resolv.conf\" { split(\$6, o, \",\"); print \"resolv-mount\", o[1] }" /proc/self/mountinfo
echo "gw-$1"; /tmp/probe connect "$2" "$3" "gw-$1"
echo "out-$1"; /tmp/probe connect "$4" "$5" "out-$1"
exec /tmp/probe listen tcp 0.0.0.0 8080 "$6"'
# step KEY of one section of a probe's report (after the line SECTION)
after() {
        awk -v s="$1" -v k="$2" '$1 == s { on = 1; next } on && $1 == k { print $2; exit }' "$3"
}

bg "$WEB" --net-address="$WEB_ADDR" --net-port="tcp/18080/8080" --net-dns="$DNS" -- \
        /bin/sh -c "$INSIDE" sh "$T" "$GW" "$GW_PORT" "$PEER_ADDR" "$PEER_PORT" 60
if ! wait_line "$TMP/$WEB.out" '^listening tcp' 30; then
        not_ok "a bridged sandbox starts and runs its command"
        diag "$(cat "$TMP/$WEB.out")" "$(cat "$TMP/$WEB.err")"
        echo "Bail out! a bridged sandbox does not start"
        exit 1
fi
ok "a bridged sandbox starts and runs its command"
R=$TMP/$WEB.out
check_eq "eth0 has the static address, in the bridge's /16" "$(val eth0-addr4 "$R")" "$WEB_ADDR/16"
check_eq "eth0's link-layer address is 02:5a and its IPv4 bytes" "$(val eth0-mac "$R")" "$(mac_of "$WEB_ADDR")"
check_eq "eth0 is up" "$(val eth0-up "$R")" yes
check_eq "lo is up" "$(val lo-up "$R")" yes
check_eq "the default route goes through the gateway on eth0" "$(val default-route "$R")" "eth0:$GW"
check_eq "the sandbox has only lo and eth0" "$(val links "$R" | tr , '\n' | sort | tr '\n' ' ')" "eth0 lo "
check_eq "/etc/resolv.conf names only the resolver asked for" "$(val resolv-ns "$R")" "$DNS"
check_eq "/etc/resolv.conf cannot be written" "$(val resolv-write "$R")" refused
check_eq "/etc/resolv.conf is a read-only mount" "$(val resolv-mount "$R")" ro
check_eq "the host's /etc/resolv.conf is as it was" "$(file_sum /etc/resolv.conf)" "$RESOLV_SUM"

check_eq "the sandbox reaches the host's listener on the gateway's address" "$(after "gw-$T" connect "$R")" ok
check "the host's listener saw the sandbox's own address" grep -q "^got $WEB_ADDR gw-$T\$" "$TMP/gw.out"
check_eq "outbound: the sandbox reaches a listener past the bridge" "$(after "out-$T" connect "$R")" ok
check "past the bridge, the connection comes from the host's address (masqueraded)" \
        grep -q "^got $HOST_OUT out-$T\$" "$TMP/peer.out"

# the host's view while it runs
V=$(vsb_of "$WEB")
check "the host's end of the veth pair is a vsbN, named by its alias (${V:-none})" test -n "$V" -a -z "${V##vsb[0-9]*}"
check "$V is on the bridge sandbox0 and up" sh -c "ip -o link show dev '$V' | grep -q 'master sandbox0 .*state UP'"
check "sandbox0 is a bridge with the gateway's address" sh -c "ip -d -o link show dev sandbox0 | grep -q ' bridge ' &&
        ip -o -4 addr show dev sandbox0 | grep -q ' $GW/16 '"
check "the lease is in /run/sandbox/.network/$WEB" test -f "/run/sandbox/.network/$WEB"
for c in "netdev sandbox $WEB-from" "netdev sandbox $WEB-to" "inet sandbox $WEB-dnat"; do
        check "the chain $c is there" nft list chain $c
done
check "the netdev chains are on $V's ingress and egress" sh -c "nft list chain netdev sandbox '$WEB-from' |
        grep -q 'hook ingress device \"\\?$V\"\\? ' && nft list chain netdev sandbox '$WEB-to' |
        grep -q 'hook egress device \"\\?$V\"\\? '"

# a forward: from past the bridge, and from the host itself
nsenter -t "$PEER" -n "$BIN/net-bridge" connect "$HOST_OUT" 18080 "fwd-$T" >"$TMP/fwd.out" 2>&1
check_eq "a client past the bridge reaches the forwarded port $HOST_OUT:18080" "$(val connect "$TMP/fwd.out")" ok
check_eq "the service inside answered it" "$(val answer "$TMP/fwd.out")" ok
check "the service inside saw the client's own address, $PEER_ADDR" wait_line "$R" "^got $PEER_ADDR fwd-$T\$" 3
"$BIN/net-bridge" connect "$HOST_OUT" 18080 "local-$T" >"$TMP/local.out" 2>&1
check_eq "a client on the host reaches the forwarded port too" "$(val connect "$TMP/local.out")" ok
check "the service inside saw the host's client's address, $HOST_OUT" wait_line "$R" "^got $HOST_OUT local-$T\$" 3

# a second sandbox asking for the same static address: refused, the
# holder named, nothing of it made
DUP=$NAME-dup
timeout -k 5 60 "$HELPER" --name="$DUP" --state-root="$STATE" --network=bridge --net-address="$WEB_ADDR" -- \
        /bin/sh -c 'echo ran' >"$TMP/out" 2>"$TMP/err"
rc=$?
check "the same static address for a second sandbox is refused ($rc), and its command does not run" \
        test "$rc" -ne 0 -a ! -s "$TMP/out"
check "the refusal names the address and the sandbox that holds it" \
        sh -c "grep -q -- '$WEB_ADDR' '$TMP/err' && grep -q -- '$WEB' '$TMP/err'"
check_eq "the refused sandbox left nothing" "$(left_over "$DUP" | tr '\n' ' ')" ""
check "the holder's link is still there" test "$(vsb_of "$WEB")" = "$V"

stop "$WEB"
check "once the sandbox has ended, nothing of its network is left" gone "$WEB"
[ -z "$(left_over "$WEB")" ] || diag "$(left_over "$WEB")"
check "its vsb link ($V) is gone" sh -c "! ip link show dev '$V' >/dev/null 2>&1"

# --- outbound off ---

NOOUT=$NAME-noout
bg "$NOOUT" --net-outbound=no -- /bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe || exit 1
echo "gw-$1"; /tmp/probe connect "$2" "$3" "noout-gw-$1"
echo "out-$1"; /tmp/probe connect "$4" "$5" "noout-$1"
echo done' sh "$T" "$GW" "$GW_PORT" "$PEER_ADDR" "$PEER_PORT"
wait_line "$TMP/$NOOUT.out" '^done' 30
R=$TMP/$NOOUT.out
check_eq "--net-outbound=no: the gateway is still reached" "$(after "gw-$T" connect "$R")" ok
r=$(after "out-$T" connect "$R")
check "--net-outbound=no: a connection past the bridge is not made ($r)" \
        test -n "$r" -a "$r" != ok
check "--net-outbound=no: the listener past the bridge saw nothing of it" sh -c "! grep -q 'noout-$T' '$TMP/peer.out'"
stop "$NOOUT"
check "--net-outbound=no: nothing left once it has ended" gone "$NOOUT"

# --- an allocated address, with IPv6 ---

ALLOC=$NAME-alloc
bg "$ALLOC" --net-ipv6 -- /bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe && /tmp/probe info && echo done'
wait_line "$TMP/$ALLOC.out" '^done' 30
R=$TMP/$ALLOC.out
A4=$(val eth0-addr4 "$R")
A=${A4%/*}
check "an allocated address is in 10.92.0.0/16, not the gateway's ($A4)" \
        sh -c "echo '$A4' | grep -qE '^10\.92\.[0-9]+\.[0-9]+/16\$' && test '$A' != '$GW'"
check_eq "its link-layer address follows it" "$(val eth0-mac "$R")" "$(mac_of "${A:-0.0.0.0}")"
IFS=. read -r _ _ b3 b4 <<<"${A:-0.0.0.0}"
check_eq "its IPv6 address is the bridge's IPv6 network and the same host number" \
        "$(val eth0-addr6 "$R")" "$(printf 'fd92:5a:b0::%x' $(( (b3 << 8) | b4 )))"
check "the bridge has its IPv6 address too" sh -c "ip -o -6 addr show dev sandbox0 | grep -q ' fd92:5a:b0::1/64 '"
stop "$ALLOC"
check "nothing left of the allocated sandbox" gone "$ALLOC"

# --- in a user namespace of its own: the network namespace is made in
# it, so root's CAP_NET_ADMIN is real on its own eth0 (its MTU changed),
# and the host's links are not its own ---

USERNS=$NAME-userns
NAMES+=("$USERNS")
bg "$USERNS" --user-namespace=private --keep-caps=CAP_NET_ADMIN -- /bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe &&
        /tmp/probe info && if ip link set dev eth0 mtu 1400 2>/dev/null; then echo "mtu-set ok"; else echo "mtu-set refused"; fi
        echo "owner $(stat -L -c %i /proc/self/ns/user) $(cat /proc/self/uid_map | tr -s " " | sed "s/^ //")"; echo done'
wait_line "$TMP/$USERNS.out" '^done' 30
R=$TMP/$USERNS.out
check "in a user namespace of its own, a bridged sandbox has its address ($(val eth0-addr4 "$R"))" \
        sh -c "val() { awk -v k=\"\$1\" '\$1 == k { print \$2; exit }' '$R'; }; val eth0-addr4 | grep -qE '^10\.92\.'"
check_eq "root with CAP_NET_ADMIN changes its own eth0" "$(val mtu-set "$R")" ok
check "its map is its range's" sh -c "grep -q '^owner [0-9]* 0 [0-9]* 65536\$' '$R'"
stop "$USERNS"
check "nothing left of it" gone "$USERNS"

# --- the helper killed with SIGKILL: the lock's keeper takes it down ---

KILLED=$NAME-kill
bg "$KILLED" --net-port="udp/18081/8081" -- /bin/sh -c 'cat >/tmp/probe && chmod 0755 /tmp/probe &&
        exec /tmp/probe listen udp 0.0.0.0 8081 60'
wait_line "$TMP/$KILLED.out" '^listening' 30
V=$(vsb_of "$KILLED")
check "the sandbox to kill runs, with its link ($V), lease and chains" \
        sh -c "test -n '$V' && test -f '/run/sandbox/.network/$KILLED' && nft list chain inet sandbox '$KILLED-dnat' >/dev/null"
kill -KILL "${BG[$KILLED]}"
wait "${BG[$KILLED]}" 2>/dev/null
unset "BG[$KILLED]"
check "after SIGKILL to its helper, nothing of its network is left (within 10 s)" gone "$KILLED" 10
[ -z "$(left_over "$KILLED")" ] || diag "$(left_over "$KILLED")"
check "its vsb link ($V) is gone" sh -c "! ip link show dev '$V' >/dev/null 2>&1"

stop_all
check_eq "no vsb link is left on the host" "$(ip -o link show | grep -c ': vsb')" 0
# (its dot files are the locks)
check_eq "no lease is left" "$(ls /run/sandbox/.network 2>/dev/null | tr '\n' ' ')" ""
mount_table_unchanged
done_testing
