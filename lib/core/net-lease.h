/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The addresses of bridged sandboxes (<network mode="bridge">): a lease
 * per running sandbox, /run/sandbox/.network/NAME, taken under one lock
 * (/run/sandbox/.network/.lock) so that no two running sandboxes ever
 * hold the same address, host interface name or forwarded port. A lease
 * lives exactly while its sandbox runs: the sandbox's keeper, or the
 * unit's ExecStopPost=, frees it, and a lease whose sandbox's run lock
 * is free is stale, handed back to be taken down and then dropped. The
 * address a sandbox last had is kept in its state,
 * STATE_ROOT/NAME/network, and is its first choice at its next start.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "names.h"
#include "net-addr.h"

#define NET_LEASE_DIR "/run/sandbox/.network"
#define NET_LEASE_PORTS_MAX 64
#define NET_STATE_FILE "network"

typedef struct NetLease {
        char name[SANDBOX_NAME_MAX + 1];
        char bridge[NET_IFNAME_MAX + 1];
        /* the host's end of the sandbox's veth pair: "vsbN" */
        char ifname[NET_IFNAME_MAX + 1];
        /* the sandbox's addresses; addr6.family 0: no IPv6 */
        NetAddr addr4, addr6;
        /* the bridge's networks, with the gateway's address in them */
        NetPrefix net4, net6;
        NetAddr gw4, gw6;
        bool outbound;
        NetPort ports[NET_LEASE_PORTS_MAX];
        size_t n_ports;
        /* The process that holds the sandbox's run lock to its end, and
         * takes its network down (the lock's keeper), with its start time
         * (/proc/PID/stat): the lease is live while that process is. 0:
         * none given; the run lock itself is asked, through /proc/locks,
         * whose every read waits for an RCU grace period. */
        pid_t keeper;
        uint64_t keeper_start;
} NetLease;

/*
 * Takes the lease of want->name: want holds the bridge, its networks
 * (net4, net6; net6.addr.family 0 without IPv6), the gateways, outbound,
 * the forwards, and the static addresses asked for in addr4/addr6
 * (family 0: allocate). state_root/NAME/network gives the first choice
 * and is rewritten with the address taken. On success want's addr4,
 * addr6 (IPv6: the static one, or net6's address with addr4's host
 * number) and ifname are filled in, and the record is written.
 *
 * Leases found stale (the sandbox's run lock is free; the caller's own
 * name's too, as the caller holds its lock) are removed and returned in
 * *ret_stale (n in *ret_n_stale, free() the array), for the caller to
 * take down what they left (nft rules, interfaces).
 *
 * -EADDRINUSE after logging: the static address, or a forwarded port,
 * is another running sandbox's (named); -ENOSPC: no address is free in
 * net4; -EADDRNOTAVAIL: a static address outside its network, or its
 * network's, broadcast or gateway address; -EBADMSG (or the error that
 * reading it met): the lease of a running sandbox cannot be read, so
 * what it holds is not known.
 */
int net_lease_take(const char *state_root, NetLease *want, NetLease **ret_stale, size_t *ret_n_stale);

/* Keeps l's addresses in state_root/NAME/network, the first choice of
 * its next start, when that directory is there (a first start takes its
 * lease while the helper makes it: the keeper's teardown keeps them
 * again at the end). Nothing is logged or returned. */
void net_lease_remember(const char *state_root, const NetLease *l);

/* The running lease of name; -ENOENT when there is none (not logged). */
int net_lease_read(const char *name, NetLease *ret);

/* Removes the lease of name; none is not an error. */
int net_lease_free(const char *name);

/* Where the leases are (default NET_LEASE_DIR) and the runtime root whose
 * run locks tell a live lease from a stale one (NULL: RUNTIME_ROOT): for
 * the unit tests alone, which must not touch the host's. */
void net_lease_set_dirs(const char *lease_dir, const char *run_root);
