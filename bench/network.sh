#!/bin/bash
# The cost of a bridged network (<network mode="bridge">), in one run:
#
#   start latency: wall time from fork() to the exit of sandbox-helper
#     running /bin/true, (a) with --network=host and (b) with
#     --network=bridge (a veth pair to the bridge, an allocated address,
#     the nftables rules, resolv.conf, all taken down again by the lock's
#     keeper); median and spread of RUNS starts each, the rows in turn
#     round by round. Target: (b) - (a) at most +5 ms. After each start,
#     untimed by it, the time until its run lock is free (the keeper's
#     teardown), so that no start waits for the one before it; then the
#     helper's --debug steps of both rows side by side, where the
#     difference goes.
#
#   TCP throughput of one connection sending SIZE bytes (bench/net-bench.c,
#     write() and read() of 256 KiB on both ends), from a client in the
#     host's network namespace:
#       (c) to a sink on the host's loopback, 127.0.0.1;
#       (d) to a sink in a bridged sandbox, through its port forward
#           (--net-port=tcp/PORT/PORT, a DNAT from the host's address);
#       (e) to a sink in a systemd-nspawn container, through nspawn's
#           own port forward (--network-veth --port=tcp:PORT:PORT),
#           where systemd-nspawn is installed: the peer;
#     ROUNDS transfers per row after one warm-up transfer, the rows in
#     turn. Target: (d) at least 50% of (c). Podman is named only as
#     installed or not: its forward needs an image, which this benchmark
#     does not fetch.
#
# Nothing touches the machine's network: the benchmark runs in a network
# namespace of its own (its bridge, veth pairs, nftables tables and
# sysctls are that namespace's, and go with it) and in a mount namespace
# of its own, where /run/sandbox (the leases, the run locks) and
# /run/systemd/nspawn are tmpfs and the build's sandbox-network is put
# where the helper runs it (an overlay on the libexec directory's parent,
# as tests/net-ns.sh does). "The host's address" is 192.0.2.1, on the
# namespace's loopback interface. nspawn's host end of its veth gets its
# address from the benchmark, as systemd-networkd's 80-container-ve.network
# would give it on a host that runs networkd.
#
# Prints figures; it is not a pass/fail test. Run as root; on a busy
# machine under "chrt -f 10", as bench/start-latency.sh.
#
#   bench/network.sh [RUNS]        (default 51 starts per row, at least 30)
#   BUILD_ROOT=... SIZE=BYTES ROUNDS=N bench/network.sh
#                                  (default SIZE 1 GiB, ROUNDS 5)

set -eu

SOURCE_ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD_ROOT:=$SOURCE_ROOT/build}"
HELPER=$BUILD_ROOT/helper/sandbox-helper
RUNS=${1:-51}
: "${SIZE:=1073741824}"
: "${ROUNDS:=5}"
WARMUP=5
NAME=bench-net-$$
HOST_ADDR=192.0.2.1
PORT_LOOP=5201
PORT_FWD=5202
PORT_NSPAWN=5203
# nspawn's veth, a /30 that is neither the bridge's default network
# (10.92.0.0/16) nor podman's
NSPAWN_HOST=10.93.0.1
NSPAWN_CONTAINER=10.93.0.2

case $RUNS in
*[!0-9]* | "") RUNS=0 ;;
esac
if [ "$RUNS" -lt 30 ]; then
        echo "RUNS must be a number, at least 30" >&2
        exit 1
fi
case $SIZE$ROUNDS in
*[!0-9]*) echo "SIZE and ROUNDS must be numbers" >&2; exit 1 ;;
esac
if [ "$SIZE" -lt 1048576 ] || [ "$ROUNDS" -lt 1 ]; then
        echo "SIZE must be at least 1 MiB, ROUNDS at least 1" >&2
        exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
        echo "run as root: the helper, unshare and the bridge need it" >&2
        exit 1
fi
if [ ! -x "$HELPER" ]; then
        echo "no $HELPER (build first, or set BUILD_ROOT)" >&2
        exit 1
fi
for c in unshare ip cc flock; do
        if ! command -v "$c" >/dev/null; then
                echo "$c not found" >&2
                exit 1
        fi
done

# a network and a mount namespace of its own
if [ -z "${SANDBOX_BENCH_NET_NS:-}" ]; then
        exec unshare -n -m --propagation private env SANDBOX_BENCH_NET_NS=1 "$0" "$@"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-bench-net.XXXXXX")
chmod 0755 "$TMP"
# the processes this run started and that still run (its jobs: the
# sinks, the sandbox and the container they run in) are ended by PID
cleanup() {
        local p
        for p in $(jobs -p); do
                kill "$p" 2>/dev/null || true
                wait "$p" 2>/dev/null || true
        done
        if grep -q " ${TMP}[/ ]" /proc/self/mountinfo; then
                echo "left in place: $TMP has mounts below it" >&2
        else
                rm -rf "$TMP"
        fi
}
trap cleanup EXIT
umask 022

ip link set lo up
ip addr add "$HOST_ADDR/32" dev lo
mount -t tmpfs -o mode=0755,nosuid,nodev,size=16M sandbox-bench-run /run/sandbox 2>/dev/null ||
        { mkdir -p /run/sandbox && mount -t tmpfs -o mode=0755,nosuid,nodev,size=16M sandbox-bench-run /run/sandbox; }

# --- sandbox-network: the build's, where the helper runs it -------------------

NETWORK_NOTE=
TOOL=$(sed -n 's/^#define SANDBOX_NETWORK_PATH "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h" 2>/dev/null || true)
if [ -z "$TOOL" ]; then
        NETWORK_NOTE="this build's config.h names no SANDBOX_NETWORK_PATH"
elif [ -x "$BUILD_ROOT/helper/sandbox-network" ]; then
        dir=$(dirname "$TOOL")
        mkdir -p "$TMP/libexec/upper" "$TMP/libexec/work"
        mount -t overlay -o "lowerdir=$(dirname "$dir"),upperdir=$TMP/libexec/upper,workdir=$TMP/libexec/work" \
                sandbox-bench-libexec "$(dirname "$dir")"
        mkdir -p "$dir"
        cp "$BUILD_ROOT/helper/sandbox-network" "$TOOL"
        NETWORK_NOTE="the build's, at $TOOL in the benchmark's mount namespace"
elif [ -x "$TOOL" ]; then
        NETWORK_NOTE="the installed $TOOL (this build has none: it needs libmnl and libnftables)"
else
        NETWORK_NOTE="none: this build has no sandbox-network (it needs libmnl and libnftables) and $TOOL is not installed"
fi

# --- the measuring program ----------------------------------------------------

mkdir "$TMP/bin" "$TMP/state"
cc -O2 -o "$TMP/bin/net-bench" "$SOURCE_ROOT/bench/net-bench.c"
NB=$TMP/bin/net-bench
FLOCK=$(command -v flock)
# where the sandboxes see it: below their own /tmp
NB_IN=/tmp/net-bench/net-bench

# --- start latency ------------------------------------------------------------

OPTS=("--state-root=$TMP/state")
ROW_A=("$HELPER" "--name=$NAME-host" "${OPTS[@]}" --network=host -- /bin/true)
ROW_B=("$HELPER" "--name=$NAME-bridge" "${OPTS[@]}" --network=bridge -- /bin/true)
declare -A FAILED

declare -A LOCK=([a]="/run/sandbox/$NAME-host/lock" [b]="/run/sandbox/$NAME-bridge/lock")

# run_row KEY: one start of the row, its time appended to $TMP/KEY.times,
# and then the time until its run lock is free, the sandbox taken down by
# the lock's keeper (for (b) its network too), to $TMP/KEY.down: so that
# no start waits for the one before it; a failure is kept in FAILED[KEY]
# with the command's message and the row is not run again
run_row() {
        local key=$1 out
        [ -z "${FAILED[$key]:-}" ] || return 0
        local -n cmd=ROW_${key^^}
        if out=$("$NB" time "$TMP/$key.err" -- "${cmd[@]}"); then
                echo "$out" >>"$TMP/$key.times"
        else
                FAILED[$key]="$out: $(tr '\n' ' ' <"$TMP/$key.err" | cut -c1-300 | sed 's/ *$//')"
                return 0
        fi
        if out=$("$NB" time "$TMP/$key.down.err" -- "$FLOCK" -w 10 "${LOCK[$key]}" /bin/true); then
                echo "$out" >>"$TMP/$key.down"
        else
                FAILED[$key]="its run lock still held 10 s after its end"
        fi
}

# stats FILE: median p10 p90 min max of the numbers in FILE, divided by
# DIV (percentiles interpolated)
stats() {
        sort -n "$1" | awk -v div="${2:-1000}" '
                function q(p,   h, l) { h = (NR - 1) * p + 1; l = int(h); return v[l] + (h - l) * (v[l + 1 < NR ? l + 1 : NR] - v[l]) }
                { v[NR] = $1 }
                END { printf "%.2f %.2f %.2f %.2f %.2f\n", q(0.5) / div, q(0.1) / div, q(0.9) / div, v[1] / div, v[NR] / div }'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# the first bridged start makes the bridge: timed on its own
FIRST_BRIDGE=
if FIRST_BRIDGE=$("$NB" time "$TMP/b.err" -- "${ROW_B[@]}"); then
        "$FLOCK" -w 10 "${LOCK[b]}" /bin/true || true
else
        FAILED[b]="$FIRST_BRIDGE: $(tr '\n' ' ' <"$TMP/b.err" | cut -c1-300 | sed 's/ *$//')"
        FIRST_BRIDGE=
fi

# what the bridged sandbox has: its interfaces, as it sees them
ETH0=
if [ -z "${FAILED[b]:-}" ]; then
        ETH0=$("$HELPER" "--name=$NAME-bridge" "${OPTS[@]}" --network=bridge -- \
                /usr/sbin/ip -o addr show 2>&1 | awk '$2 != "lo" { printf "%s%s %s", sep, $2, $4; sep = ", " }') || true
fi

for _ in $(seq "$WARMUP"); do
        run_row a
        run_row b
done
rm -f "$TMP"/*.times "$TMP"/*.down
for _ in $(seq "$RUNS"); do
        run_row a
        run_row b
done

# where the difference goes: starts of each row with --debug, which logs
# each set-up step with its duration ("step NAME: N ms"; a name that comes
# twice is added up); "pivot_root" counts what follows it until the next
# named step, process 1's wait for the word that the network is made
DEBUG_RUNS=11
for _ in $(seq "$DEBUG_RUNS"); do
        for k in a b; do
                [ -z "${FAILED[$k]:-}" ] || continue
                ref="ROW_${k^^}[@]"
                cmd=("${!ref}")
                n=${#cmd[@]}
                "$NB" time "$TMP/$k.debug.err" -- "${cmd[@]:0:n-2}" --debug -- /bin/true >/dev/null || continue
                "$FLOCK" -w 10 "${LOCK[$k]}" /bin/true || true
                sed -n 's/.*: step \([^ :]*\): \([0-9.]*\) ms$/\1 \2/p' "$TMP/$k.debug.err" |
                        awk '{ t[$1] += $2; if (!($1 in o)) o[$1] = n++ } END { for (s in t) print o[s], s, t[s] }' |
                        sort -n | cut -d' ' -f2- >>"$TMP/$k.steps"
        done
done

# --- throughput ---------------------------------------------------------------

TRANSFERS=$((ROUNDS + 1))
declare -A TITLES_T=([c]="(c) host loopback 127.0.0.1" [d]="(d) port forward, bridged sandbox"
        [e]="(e) port forward, systemd-nspawn" [f]="(f) port forward, podman")
declare -A TNOTE TCMD

# wait_ready FILE PID: 0 once FILE says "ready", 1 if PID ended first or
# 10 s passed
wait_ready() {
        for _ in $(seq 200); do
                grep -q '^ready$' "$1" 2>/dev/null && return 0
                kill -0 "$2" 2>/dev/null || return 1
                sleep 0.05
        done
        return 1
}

# (c) on the host's loopback
"$NB" sink 127.0.0.1 "$PORT_LOOP" "$TRANSFERS" >"$TMP/c.out" 2>"$TMP/c.err" &
TCMD[c]="net-bench sink 127.0.0.1 $PORT_LOOP"
wait_ready "$TMP/c.out" $! || TNOTE[c]="failed: $(tr '\n' ' ' <"$TMP/c.err")"

# (d) in a bridged sandbox, through its forward
TCMD[d]="sandbox-helper --network=bridge --net-port=tcp/$PORT_FWD/$PORT_FWD -- net-bench sink 0.0.0.0 $PORT_FWD"
if [ -n "${FAILED[b]:-}" ]; then
        TNOTE[d]="not measured: the bridged start failed (above)"
else
        "$HELPER" "--name=$NAME-forward" "${OPTS[@]}" --network=bridge "--net-port=tcp/$PORT_FWD/$PORT_FWD" \
                "--bind-ro=$TMP/bin:${NB_IN%/*}" -- "$NB_IN" sink 0.0.0.0 "$PORT_FWD" "$TRANSFERS" \
                >"$TMP/d.out" 2>"$TMP/d.err" &
                wait_ready "$TMP/d.out" $! || TNOTE[d]="failed: $(tr '\n' ' ' <"$TMP/d.err" | cut -c1-300)"
fi

# (e) in a systemd-nspawn container, through nspawn's forward; its root
# is the host's /usr, read-only, under a directory of the benchmark's
NSPAWN_NOTE=
if ! command -v systemd-nspawn >/dev/null; then
        TNOTE[e]="not installed"
elif ! command -v nft >/dev/null && ! command -v iptables >/dev/null; then
        TNOTE[e]="not available here: neither nft nor iptables is installed for nspawn's forward"
else
        root=$TMP/nspawn-root
        mkdir -p "$root/usr" "$root/etc" "$root/opt/net-bench"
        nspawn_binds=(--bind-ro=/usr "--bind-ro=$TMP/bin:/opt/net-bench")
        for d in bin sbin lib lib32 lib64 libx32; do
                if [ -L "/$d" ]; then
                        ln -s "$(readlink "/$d")" "$root/$d"
                elif [ -d "/$d" ]; then
                        mkdir "$root/$d"
                        nspawn_binds+=("--bind-ro=/$d")
                fi
        done
        cp /etc/os-release "$root/etc/" 2>/dev/null || true
        # nspawn removes what it leaves in /run/systemd/nspawn/propagate
        # only from a tmpfs; and it asks systemd for no scope or machine
        # (--keep-unit --register=no), which needs no systemd on the host
        mkdir -p /run/systemd/nspawn
        mount -t tmpfs -o mode=0755,nosuid,nodev,size=16M sandbox-bench-nspawn /run/systemd/nspawn
        TCMD[e]="systemd-nspawn --network-veth --port=tcp:$PORT_NSPAWN:$PORT_NSPAWN -- net-bench sink 0.0.0.0 $PORT_NSPAWN"
        NSPAWN_NOTE="$(systemd-nspawn --version | head -1)"
        systemd-nspawn -q -D "$root" -M "bn$$" --register=no --keep-unit --network-veth \
                "--port=tcp:$PORT_NSPAWN:$PORT_NSPAWN" "${nspawn_binds[@]}" --pipe -- /bin/sh -c "
                        ip addr add $NSPAWN_CONTAINER/30 dev host0 && ip link set host0 up &&
                        ip route add default via $NSPAWN_HOST &&
                        exec /opt/net-bench/net-bench sink 0.0.0.0 $PORT_NSPAWN $TRANSFERS" \
                >"$TMP/e.out" 2>"$TMP/e.err" </dev/null &
        pid=$!
        ve=
        for _ in $(seq 100); do
                ve=$(ip -o link show type veth 2>/dev/null | sed -n 's/^[0-9]*: \(ve-[^@:]*\).*/\1/p' | head -1)
                [ -n "$ve" ] && break
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.05
        done
        if [ -z "$ve" ]; then
                TNOTE[e]="not available here: $(tr '\n' ' ' <"$TMP/e.err" | cut -c1-300)"
        else
                ip addr add "$NSPAWN_HOST/30" dev "$ve"
                ip link set "$ve" up
                wait_ready "$TMP/e.out" "$pid" || TNOTE[e]="not available here: $(tr '\n' ' ' <"$TMP/e.err" | cut -c1-300)"
        fi
fi

# (f) podman: only where it is installed
if command -v podman >/dev/null; then
        TNOTE[f]="installed, not measured: its forward needs an image, which this benchmark does not fetch"
else
        TNOTE[f]="not installed"
fi

# the transfers, the rows in turn; the first round warms up
for r in $(seq 0 "$ROUNDS"); do
        for k in c d e; do
                [ -z "${TNOTE[$k]:-}" ] || continue
                case $k in
                c) addr=127.0.0.1 port=$PORT_LOOP ;;
                d) addr=$HOST_ADDR port=$PORT_FWD ;;
                e) addr=$HOST_ADDR port=$PORT_NSPAWN ;;
                esac
                if out=$("$NB" send "$addr" "$port" "$SIZE" 2>"$TMP/$k.send"); then
                        # bytes per second
                        [ "$r" -eq 0 ] || awk '{ printf "%.0f\n", $1 / $2 }' <<<"$out" >>"$TMP/$k.rate"
                else
                        TNOTE[$k]="failed: $(tr '\n' ' ' <"$TMP/$k.send" | cut -c1-300)"
                fi
        done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -------------------------------------------------------------------

echo "network of a bridged sandbox, in a network namespace of the benchmark's own"
echo "machine: $(nproc) CPUs, kernel $(uname -r), load average $LOAD_BEFORE before, $LOAD_AFTER after"
echo "sandbox-network: $NETWORK_NOTE"
echo
echo "start of a sandbox running /bin/true, $RUNS starts per row after $WARMUP warm-up rounds, rows in turn;"
echo "fork() to waitpid() of sandbox-helper on CLOCK_MONOTONIC, in ms; then, untimed by the start, from the"
echo "helper's end until its keeper has taken the sandbox down and freed the run lock (flock(1) run and waited for)"
echo "(a) ${ROW_A[*]}"
echo "(b) ${ROW_B[*]}"
[ -z "$ETH0" ] || echo "    the bridged sandbox sees: $ETH0"
[ -z "$FIRST_BRIDGE" ] || printf '    its first start, which made the bridge: %.2f ms\n' "$(awk -v t="$FIRST_BRIDGE" 'BEGIN { print t / 1000 }')"
echo
printf '%-34s %8s %8s %8s %8s %8s\n' "" median p10 p90 min max
declare -A MED
for k in a b; do
        if [ "$k" = a ]; then title="(a) --network=host"; else title="(b) --network=bridge"; fi
        if [ -n "${FAILED[$k]:-}" ]; then
                printf '%-34s failed: %s\n' "$title" "${FAILED[$k]}"
                continue
        fi
        read -r med p10 p90 min max < <(stats "$TMP/$k.times")
        MED[$k]=$med
        printf '%-34s %8s %8s %8s %8s %8s\n' "$title" "$med" "$p10" "$p90" "$min" "$max"
        read -r med p10 p90 min max < <(stats "$TMP/$k.down")
        printf '%-34s %8s %8s %8s %8s %8s\n' "    ${title%% *} end to lock free" "$med" "$p10" "$p90" "$min" "$max"
done
if [ -n "${MED[a]:-}" ] && [ -n "${MED[b]:-}" ]; then
        awk -v a="${MED[a]}" -v b="${MED[b]}" 'BEGIN {
                printf "b - a = %+.2f ms   target <= +5 ms: %s\n", b - a, (b - a <= 5) ? "met" : "missed" }'
else
        echo "b - a: no figure   target <= +5 ms: not measured"
fi
if [ -s "$TMP/a.steps" ] && [ -s "$TMP/b.steps" ]; then
        echo
        echo "where the difference goes: median of $DEBUG_RUNS starts per row with --debug, steps of 0.2 ms or more in either, in ms"
        echo "(pivot_root counts process 1's wait, a step without a name of its own, for the word that sandbox-network has made the network)"
        printf '  %-22s %8s %8s\n' step "(a)" "(b)"
        awk '!seen[$1]++ { print $1 }' "$TMP/b.steps" "$TMP/a.steps" | while read -r st; do
                declare -A M=([a]=- [b]=-)
                for k in a b; do
                        awk -v s="$st" '$1 == s { print $2 * 1000 }' "$TMP/$k.steps" >"$TMP/$k.one"
                        [ ! -s "$TMP/$k.one" ] || read -r "M[$k]" _ < <(stats "$TMP/$k.one")
                done
                awk -v a="${M[a]}" -v b="${M[b]}" 'BEGIN { exit !(a + 0 >= 0.2 || b + 0 >= 0.2) }' || continue
                printf '  %-22s %8s %8s\n' "$st" "${M[a]}" "${M[b]}"
        done
fi
echo
echo "TCP throughput of one connection, $SIZE bytes per transfer, $ROUNDS transfers per row after one warm-up, rows in turn;"
echo "the client in the host's namespace, to 127.0.0.1 for (c) and to the host's address $HOST_ADDR for the forwards; MB/s (10^6 bytes/s)"
for k in c d e f; do
        [ -z "${TCMD[$k]:-}" ] || echo "${TITLES_T[$k]%% *} ${TCMD[$k]}"
done
[ -z "$NSPAWN_NOTE" ] || echo "    $NSPAWN_NOTE, --register=no --keep-unit, the host end's address set by the benchmark"
echo
printf '%-34s %8s %8s %8s\n' "" median min max
declare -A RATE
for k in c d e f; do
        if [ -n "${TNOTE[$k]:-}" ]; then
                printf '%-34s %s\n' "${TITLES_T[$k]}" "${TNOTE[$k]}"
        elif [ -s "$TMP/$k.rate" ]; then
                read -r med _ _ min max < <(stats "$TMP/$k.rate" 1000000)
                RATE[$k]=$med
                printf '%-34s %8.0f %8.0f %8.0f\n' "${TITLES_T[$k]}" "$med" "$min" "$max"
        fi
done
if [ -n "${RATE[c]:-}" ] && [ -n "${RATE[d]:-}" ]; then
        awk -v c="${RATE[c]}" -v d="${RATE[d]}" 'BEGIN {
                printf "d/c = %.0f%%   target >= 50%% of host loopback: %s\n", 100 * d / c, (d >= 0.5 * c) ? "met" : "missed" }'
else
        echo "d/c: no figure   target >= 50% of host loopback: not measured"
fi
if [ -n "${RATE[c]:-}" ] && [ -n "${RATE[e]:-}" ]; then
        awk -v c="${RATE[c]}" -v d="${RATE[d]:-0}" -v e="${RATE[e]}" 'BEGIN {
                printf "e/c = %.0f%%   the peer, systemd-nspawn", 100 * e / c
                if (d > 0)
                        printf "; d/e = %.2f", d / e
                printf "\n" }'
fi
