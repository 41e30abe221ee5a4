/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * rtnetlink through libmnl: the links, addresses and routes of a bridged
 * sandbox (bridge.h). Each call sends one request and waits for its
 * answer; a socket is bound to the network namespace it was opened in.
 * Functions return 0 (or an ifindex) on success and -errno on failure,
 * logged with what was asked ("network: add veth vsb3: File exists").
 */

#include <stdbool.h>
#include <stdint.h>

#include "net-addr.h"

typedef struct Netlink Netlink;

/* A socket in the network namespace netns (an fd of /proc/PID/ns/net),
 * or the caller's own with netns < 0. The caller's namespace is the
 * same after the call. */
int netlink_open(int netns, Netlink **ret);
void netlink_close(Netlink *nl);
static inline void netlink_closep(Netlink **nl) {
        if (*nl)
                netlink_close(*nl);
}

/* what the kernel says of a link */
typedef struct NetlinkLink {
        int ifindex;
        int master; /* 0: none */
        unsigned mtu;
        unsigned flags; /* IFF_UP, ... */
        uint8_t mac[6];
        bool bridge;
        char name[NET_IFNAME_MAX + 1];
        char alias[256]; /* IFALIASZ */
} NetlinkLink;

/* link ifindex; -ENODEV (not logged) when there is none */
int netlink_link_get(Netlink *nl, int ifindex, NetlinkLink *ret);
/* the index of the link name; -ENODEV (not logged) when there is none */
int netlink_link_index(Netlink *nl, const char *name);
/* whether link ifindex is a bridge: 1, 0, or -errno */
int netlink_link_is_bridge(Netlink *nl, int ifindex);
/* a bridge named name, up; one made meanwhile by another (EEXIST) is
 * taken as is. Returns its ifindex. */
int netlink_bridge_make(Netlink *nl, const char *name);
/* The first global address of link ifindex of each family, with its
 * prefix length (family 0 when it has none). */
int netlink_link_addresses(Netlink *nl, int ifindex, NetPrefix *ret4, NetPrefix *ret6);
/* addr (with its prefix length) on link ifindex; already there is not
 * an error. IPv6 addresses are added without duplicate address
 * detection (IFA_F_NODAD): the lease is what makes them unique. */
int netlink_address_add(Netlink *nl, int ifindex, const NetPrefix *addr);
/* A veth pair: host_name in this socket's namespace, peer_name in
 * peer_netns with the link-layer address peer_mac, both with mtu (0:
 * the kernel's), alias as host_name's IFLA_IFALIAS ("ip link" shows it).
 * Returns host_name's ifindex. */
int netlink_veth_make(Netlink *nl, const char *host_name, const char *peer_name, int peer_netns,
                      const uint8_t peer_mac[static 6], unsigned mtu, const char *alias);
/* link ifindex into bridge master (0: none), and up */
int netlink_link_enslave_up(Netlink *nl, int ifindex, int master);
/* link ifindex up (its mtu first, unless 0) */
int netlink_link_up(Netlink *nl, int ifindex, unsigned mtu);
/* the default route of gw's family through gw on link ifindex */
int netlink_default_route_add(Netlink *nl, int ifindex, const NetAddr *gw);
/* removes link name; -ENODEV when there is none (not logged) */
int netlink_link_delete(Netlink *nl, const char *name);

/* writes value to /proc/sys/KEY (KEY as "net/ipv4/ip_forward"); the
 * value there already is left as is */
int net_sysctl_set(const char *key, const char *value);
