#!/usr/bin/env bash
# Escape attempts from a bridged sandbox (--network=bridge) whose service
# is root: it may do what it likes with its own network namespace, and
# nothing to the host's or another sandbox's.
#
# - CAP_NET_ADMIN of the host's user namespace is refused with a bridged
#   network: rtnetlink reaches the host's network namespace through the
#   id the kernel gives it in the sandbox's, as the namespace of eth0's
#   peer (IFLA_TARGET_NETNSID);
# - with CAP_NET_ADMIN of a user namespace of its own: the host's links
#   are not reached, by name or through that id (no dump, no link made
#   on the bridge, another sandbox's link not deleted, eth0 not moved
#   out), nor the host's nftables tables;
# - with CAP_NET_RAW, sending as another: as another running sandbox
#   (its IPv4 address, its link-layer address), as the gateway, from a
#   made-up link-layer address: nothing reaches the host's or the other
#   sandbox's listener; a gratuitous ARP reply claiming the other's
#   address leaves the host's neighbour entry with the other's
#   link-layer address, and the other stays reached; IPv4 to 127.0.0.1
#   sent to the gateway's link-layer address (the bridge routes
#   127.0.0.0/8, route_localnet, for the host's resolver) reaches no
#   listener on the host's loopback; with IPv6 the same, raw, and
#   neighbour advertisements for the other's addresses change nothing;
# Controls sent as itself arrive, so that the silence means something.
#
# A mount namespace and a network namespace of the test's own
# (private-ns.sh, net-ns.sh) with a tmpfs on /run: the bridge, the
# sandboxes' links, the nftables tables and the leases are the test's.
# Needs root, cc, ip and nft.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../net-ns.sh"
. "$(dirname "$0")/../escape-lib.sh"

net_require "$BUILD_ROOT" ip nft
mount_table >"$TMP/mounts.before"

GW=10.92.0.1
PORT=5401
LOOP_PORT=5402
OTHER=$NAME-other
OTHER_ADDR=10.92.0.30
OTHER_MAC=02:5a:0a:5c:00:1e
OWN_MAC=02:5a:0a:5c:00:14
# the bridge's IPv6 network and the IPv4 host number, 30
OTHER_ADDR6=fd92:5a:b0::1e
# and the link-local address its kernel makes from its link-layer one
OTHER_LL6=fe80::5a:aff:fe5c:1e
GW6=fd92:5a:b0::1
PORT6=5403
LOOP_PORT6=5404
OWN_ADDR=10.92.0.20
NFT=$(command -v nft)
NAMES+=("$OTHER")

OTHER_PID=
LISTENERS=()
stop_all() {
        local p
        if [ -n "$OTHER_PID" ]; then
                kill -TERM "$OTHER_PID" 2>/dev/null
                for _ in $(seq 100); do
                        kill -0 "$OTHER_PID" 2>/dev/null || break
                        sleep 0.05
                done
                kill -KILL "$OTHER_PID" 2>/dev/null
                wait "$OTHER_PID" 2>/dev/null
                OTHER_PID=
        fi
        for p in "${LISTENERS[@]}"; do
                kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
        done
        LISTENERS=()
}
trap 'stop_all; cleanup' EXIT

# wait_line FILE PATTERN [SECONDS]
wait_line() {
        local i
        for ((i = 0; i < ${3:-20} * 20; i++)); do
                grep -q -- "$2" "$1" 2>/dev/null && return 0
                sleep 0.05
        done
        return 1
}
# heard FILE TEXT: a listener's report has a datagram TEXT
heard() {
        grep -q " $2\$" "$1"
}
# neighbour ADDRESS: the host's link-layer address for ADDRESS on sandbox0
neighbour() {
        ip neigh show "$1" dev sandbox0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
links() {
        ip -o link show | awk '{ sub(/@.*/, "", $2); sub(/:$/, "", $2); print $2 }' | sort | tr '\n' ' '
}

# --- the other sandbox, and the host's listeners ---

"$BIN/net-bridge" listen udp 0.0.0.0 "$PORT" 120 >"$TMP/gw.out" 2>&1 &
LISTENERS+=($!)
"$BIN/net-bridge" listen udp 127.0.0.1 "$LOOP_PORT" 120 >"$TMP/loop.out" 2>&1 &
LISTENERS+=($!)
"$BIN/net-bridge" listen udp :: "$PORT6" 120 >"$TMP/gw6.out" 2>&1 &
LISTENERS+=($!)
"$BIN/net-bridge" listen udp ::1 "$LOOP_PORT6" 120 >"$TMP/loop6.out" 2>&1 &
LISTENERS+=($!)
env --default-signal=INT,QUIT "$HELPER" --name="$OTHER" --state-root="$STATE" --network=bridge \
        --net-ipv6 --net-address="$OTHER_ADDR" -- "${SHIP[@]}" listen udp 0.0.0.0 "$PORT" 120 \
        <"$BIN/net-bridge" >"$TMP/other.out" 2>"$TMP/other.err" &
OTHER_PID=$!
if ! wait_line "$TMP/other.out" '^listening' 30 || ! wait_line "$TMP/gw.out" '^listening' ||
        ! wait_line "$TMP/loop.out" '^listening' || ! wait_line "$TMP/gw6.out" '^listening' ||
        ! wait_line "$TMP/loop6.out" '^listening'; then
        echo "Bail out! the other sandbox or the host's listeners did not start: $(head -c 1000 "$TMP/other.err")"
        exit 1
fi
# the host talks to the other sandbox: a control, and its neighbour entry
"$BIN/net-bridge" send "$OTHER_ADDR" "$PORT" "host-$TOKEN" >/dev/null
if ! wait_line "$TMP/other.out" "host-$TOKEN\$" 3; then
        echo "Bail out! the host does not reach the other sandbox: $(cat "$TMP/other.out")"
        exit 1
fi
ok "the other sandbox runs on the bridge and hears the host"
OTHER_IF=$(ip -o link show | awk -v a="alias sandbox $OTHER" 'substr($0, length($0) - length(a) + 1) == a {
        sub(/@.*/, "", $2); sub(/:$/, "", $2); print $2; exit }')
check_eq "the host's neighbour entry for the other sandbox is its own link-layer address" \
        "$(neighbour "$OTHER_ADDR")" "$OTHER_MAC"
# other6_entries: over IPv6, to its address and its link-local one, until
# the host has neighbour entries for both (its link-local address is
# answered for once its duplicate address detection is done, about a
# second after its start)
other6_entries() {
        for _ in $(seq 30); do
                "$BIN/net-bridge" send "$OTHER_ADDR6" "$PORT" "host6-$TOKEN" >/dev/null
                "$BIN/net-bridge" send "$OTHER_LL6%sandbox0" "$PORT" "host6-ll-$TOKEN" >/dev/null
                sleep 0.1
                [ -n "$(neighbour "$OTHER_ADDR6")" ] && [ -n "$(neighbour "$OTHER_LL6")" ] && return 0
        done
        return 1
}
other6_entries
check_eq "the host's neighbour entries for the other sandbox's IPv6 addresses are its link-layer address" \
        "$(neighbour "$OTHER_ADDR6") $(neighbour "$OTHER_LL6")" "$OTHER_MAC $OTHER_MAC"
"$NFT" -s list table netdev sandbox >"$TMP/netdev.before" 2>&1
"$NFT" -s list table inet sandbox >"$TMP/inet.before" 2>&1
LINKS_BEFORE=$(links)

# --- root keeping CAP_NET_ADMIN of the host's user namespace: refused ---

HELPER_ARGS=(--network=bridge --net-address="$OWN_ADDR" --keep-caps=CAP_NET_ADMIN,CAP_NET_RAW)
run_helper /bin/sh -c 'echo ran'
begin "--keep-caps=CAP_NET_ADMIN with --network=bridge and no user namespace: refused as an invalid command line (1), nothing runs, nothing is made"
EXPECT_RC=1
host "the command did not run" test ! -s "$TMP/out"
host "the helper says why" grep -q -- "--keep-caps=CAP_NET_ADMIN with --network=bridge: .*refusing to start" "$TMP/err"
host "no lease" test ! -e "/run/sandbox/.network/$NAME"
host "no link but the other sandbox's" test "$(links)" = "$LINKS_BEFORE"
finish

# what the sandbox tries with nftables: its own namespace's only
INSIDE='cat >/tmp/probe && chmod 0755 /tmp/probe || exit 1
nft=$1
shift
# nft_step KEY ARGS...: "KEY ok", or the errno its message names
nft_step() {
        local key=$1 out
        shift
        if out=$("$nft" "$@" 2>&1); then
                if [ -z "$out" ]; then echo "$key ok"; else echo "$key shown"; fi
        else
                case $out in
                *"No such file"*) echo "$key ENOENT" ;;
                *"Operation not permitted"*) echo "$key EPERM" ;;
                *"Permission denied"*) echo "$key EACCES" ;;
                *) echo "$key failed" ;;
                esac
        fi
}
nft_step nft-ruleset list ruleset
nft_step nft-list-host-netdev list table netdev sandbox
nft_step nft-list-host-inet list table inet sandbox
nft_step nft-add-table add table netdev sandbox
nft_step nft-add-chain add chain netdev sandbox escape "{ type filter hook ingress device eth0 priority -500; policy drop; }"
nft_step nft-flush flush ruleset
exec /tmp/probe "$@"'
# the sandbox's own chains go with its lock's keeper, a moment after its
# helper has ended: waited for, up to 5 s
tables_unchanged() {
        local t i
        for t in netdev inet; do
                for ((i = 0; i < 100; i++)); do
                        "$NFT" -s list table "$t" sandbox >"$TMP/$t.after" 2>&1
                        cmp -s "$TMP/$t.before" "$TMP/$t.after" && break
                        sleep 0.05
                done
                cmp -s "$TMP/$t.before" "$TMP/$t.after" ||
                        BAD+=("on the host: the table $t sandbox changed:" "$(diff "$TMP/$t.before" "$TMP/$t.after")")
        done
}

# --- root keeping CAP_NET_RAW: sending as another ---

HELPER_ARGS=(--network=bridge --net-address="$OWN_ADDR" --keep-caps=CAP_NET_RAW)
run_helper /bin/sh -c "$INSIDE" sh "$NFT" spoof "$OTHER_ADDR" "$GW" "$PORT" "$LOOP_PORT" "$TOKEN" <"$BIN/net-bridge"
# what was sent has had time to arrive
sleep 0.5
# the host, again, to the other sandbox: still its own
"$BIN/net-bridge" send "$OTHER_ADDR" "$PORT" "host-after-$TOKEN" >/dev/null
wait_line "$TMP/other.out" "host-after-$TOKEN\$" 3

begin "CAP_NET_RAW: nftables only of its own namespace (or none: EPERM); the host's tables as they were"
want nft-ruleset "ok|EPERM"
want nft-list-host-netdev "ENOENT|EPERM"
want nft-list-host-inet "ENOENT|EPERM"
want nft-add-table "ok|EPERM"
want nft-add-chain "ok|EPERM"
want nft-flush "ok|EPERM"
tables_unchanged
finish

begin "controls: sent as itself, through the kernel and raw, it reaches the gateway and the other sandbox"
want send-control ok
want raw-control ok
want raw-control-other ok
host "the host's listener heard the control from $OWN_ADDR" grep -q "^got $OWN_ADDR control-$TOKEN\$" "$TMP/gw.out"
host "the host's listener heard the raw control" grep -q "^got $OWN_ADDR rawcontrol-$TOKEN\$" "$TMP/gw.out"
host "the other sandbox heard the raw control" grep -q "^got $OWN_ADDR rawcontrol-other-$TOKEN\$" "$TMP/other.out"
finish

begin "raw frames with the other sandbox's address, or the gateway's, as source: dropped at the host"
want raw-as-other ok
want raw-as-gateway ok
host "the host's listener heard nothing from the other's address" sh -c "! grep -q 'spoof-other-$TOKEN' '$TMP/gw.out'"
host "the other sandbox heard nothing as from the gateway" sh -c "! grep -q 'spoof-gateway-$TOKEN' '$TMP/other.out'"
finish

begin "raw frames from the other sandbox's link-layer address, or a made-up one: dropped at the host"
want raw-other-mac ok
want raw-fake-mac ok
host "the host's listener heard neither" sh -c "! grep -q 'spoof-mac-$TOKEN\|spoof-fake-mac-$TOKEN' '$TMP/gw.out'"
host "the other sandbox is still reached from the host (the bridge did not learn its address on the attacker's port)" \
        grep -q "host-after-$TOKEN\$" "$TMP/other.out"
finish

begin "eth0's address or link-layer address changed to the other's: not without CAP_NET_ADMIN (EPERM); nothing sent so arrives"
want address-add-other EPERM
want send-as-other not-sent
want mac-set-other EPERM
want send-other-mac not-sent
host "the host's listener heard nothing sent so" sh -c "! grep -q 'kernel-as-other-$TOKEN\|kernel-other-mac-$TOKEN' '$TMP/gw.out'"
finish

begin "a gratuitous ARP reply claiming the other sandbox's address: the host's neighbour entry keeps the other's link-layer address"
want "arp-as-other-*" ok
host "the host's neighbour entry for $OTHER_ADDR is still $OTHER_MAC" test "$(neighbour "$OTHER_ADDR")" = "$OTHER_MAC"
finish

begin "IPv4 to 127.0.0.1 through the gateway's link-layer address: no listener on the host's loopback hears it"
want raw-loopback ok
want raw-loopback-as-gateway ok
host "the loopback listener heard nothing" sh -c "! grep -q 'loopback-' '$TMP/loop.out'"
finish

# --- the same with IPv6 ---

# the host's entries for the other's addresses, fresh: an advertisement
# overrides only an entry there is
other6_entries
HELPER_ARGS=(--network=bridge --net-ipv6 --net-address="$OWN_ADDR" --keep-caps=CAP_NET_RAW)
in_sandbox net-bridge spoof6 "$OTHER_ADDR6" "$OTHER_LL6" "$GW" "$GW6" "$PORT6" "$LOOP_PORT6" "$TOKEN"
sleep 0.5
OWN_ADDR6=fd92:5a:b0::14
begin "IPv6: raw frames as the other sandbox (its address, its link-local address) or as the gateway are dropped at the host; to ::1 through the gateway, unheard"
want send-control6 ok
want raw6-control ok
want raw6-as-other ok
want raw6-as-gateway ok
want raw6-as-other-link-local ok
want raw6-loopback ok
host "the host's IPv6 listener heard the control from $OWN_ADDR6" grep -q "^got $OWN_ADDR6 control6-$TOKEN\$" "$TMP/gw6.out"
host "the host's IPv6 listener heard the raw control" grep -q "^got $OWN_ADDR6 rawcontrol6-$TOKEN\$" "$TMP/gw6.out"
host "the host's IPv6 listener heard nothing as another" sh -c "! grep 'spoof6-' '$TMP/gw6.out' >&2"
host "the host's ::1 listener heard nothing" sh -c "! grep -q 'loopback6-' '$TMP/loop6.out'"
finish

begin "IPv6: neighbour advertisements claiming the other sandbox's addresses: the host's entries never name the attacker's link-layer address"
want "na-as-other-*" ok
for a in "$OTHER_ADDR6" "$OTHER_LL6"; do
        host "the host's entry for $a is not the attacker's link-layer address ($(ip -6 neigh show "$a" dev sandbox0))" \
                test "$(neighbour "$a")" != "$OWN_MAC"
done
finish

# --- root keeping CAP_NET_ADMIN in a user namespace of its own: the
# identity maps (the network namespace the host user namespace's), and a
# range of its own (the network namespace its user namespace's, where the
# capability is real) ---

for MODE in identity private; do
        HELPER_ARGS=(--network=bridge --net-address="$OWN_ADDR" --keep-caps=CAP_NET_ADMIN --user-namespace="$MODE")
        run_helper /bin/sh -c "$INSIDE" sh "$NFT" links "${OTHER_IF:-vsb-unknown}" <"$BIN/net-bridge"

        begin "CAP_NET_ADMIN of its own user namespace ($MODE): the host's nftables not reached; the host's tables as they were"
        want nft-ruleset "ok|EPERM"
        want nft-list-host-netdev "ENOENT|EPERM"
        want nft-list-host-inet "ENOENT|EPERM"
        want nft-add-table "ok|EPERM"
        want nft-add-chain "ok|EPERM"
        want nft-flush "ok|EPERM"
        tables_unchanged
        finish

        begin "CAP_NET_ADMIN of its own user namespace ($MODE): the bridge and the other sandbox's link are not in its namespace (ENODEV)"
        want bridge-index ENODEV
        want other-if-index ENODEV
        want links lo,eth0
        finish

        begin "CAP_NET_ADMIN of its own user namespace ($MODE), through the id of eth0's peer's namespace: no dump of the host's links, no link on its bridge, none deleted, eth0 not moved out"
        want host-links "EPERM|EACCES|EINVAL"
        want host-link-make "EPERM|EACCES|EINVAL"
        want host-link-delete-other "EPERM|EACCES|EINVAL"
        want move-eth0 "EPERM|EACCES|EINVAL"
        want eth0-after ok
        want unshare-net EPERM
        host "no link escape0 on the host" sh -c '! ip link show dev escape0 >/dev/null 2>&1'
        host "the other sandbox's link $OTHER_IF is still on the bridge, up" \
                sh -c "ip -o link show dev '$OTHER_IF' | grep -q 'master sandbox0 .*state UP'"
        host "the host's links are as they were (the attacker's own gone with it)" test "$(links)" = "$LINKS_BEFORE"
        finish
done
HELPER_ARGS=()

stop_all
# the lock's keeper takes the last one's down as its helper ends
for _ in $(seq 100); do
        [ -z "$(ls /run/sandbox/.network 2>/dev/null)" ] && [ "$(ip -o link show | grep -c ': vsb')" = 0 ] && break
        sleep 0.05
done
check_eq "no lease is left" "$(ls /run/sandbox/.network 2>/dev/null | tr '\n' ' ')" ""
check_eq "no vsb link is left on the host" "$(ip -o link show | grep -c ': vsb')" 0
mount_table_unchanged
done_testing
