/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A bridged sandbox's network, made and taken down by sandbox-network
 * (docs/network.md): the lease, the bridge (made when it is the default
 * one and missing), the veth pair with its sandbox end as eth0 in the
 * sandbox's network namespace, the addresses and routes there, the
 * host's sysctls, the nftables rules and the resolv.conf.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "net-addr.h"

typedef struct NetSetup {
        const char *name, *state_root, *bridge;
        /* the sandbox's process 1, in the network namespace to equip */
        pid_t pid;
        /* the keeper of its run lock, which the lease names (net-lease.h) */
        pid_t keeper;
        /* where the sandbox's resolv.conf is written (NULL: not) */
        const char *resolv_conf;
        NetAddr addr4, addr6, gw4, gw6; /* family 0: not given */
        bool ipv6, outbound;
        unsigned mtu;
        NetPort *ports;
        size_t n_ports;
        NetPrefix *allow, *deny;
        size_t n_allow, n_deny;
        char **dns;
} NetSetup;

/* Everything, or nothing: what was made before a failure is taken down
 * again. Returns 0 or -errno after logging. */
int net_setup(const NetSetup *s);

/* What the sandbox name's lease says it has, taken down: its rules, the
 * host's end of its veth pair (the sandbox's end goes with it), the
 * lease; its addresses kept in state_root (NULL: not) for its next
 * start. None is not an error. */
int net_teardown(const char *name, const char *state_root);
