/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The nftables rules of bridged sandboxes, through libnftables, in the
 * project's own tables (docs/network.md):
 *
 *   table netdev sandbox: per sandbox, a chain on the ingress of the
 *     host's end of its veth pair (NAME-from: what the sandbox sends:
 *     its link-layer, ARP, IPv4 and IPv6 source addresses checked, never
 *     127.0.0.0/8 or ::1, its allow and deny lists on the destination)
 *     and one on its egress (NAME-to: what reaches the sandbox: its allow
 *     and deny lists on the source);
 *   table inet sandbox: the NAT and the state-keeping filters, shared
 *     chains with sets and maps whose elements are the sandboxes': port
 *     forwards (map ports, to a chain NAME-dnat that DNATs to the
 *     sandbox, so that it sees the client's address), outbound
 *     masquerade (sets masq4, masq6), new connections refused past the
 *     bridge for sandboxes without outbound access (sets noout4,
 *     noout6), the resolver the gateway's port 53 leads to (map dns4).
 *
 * Allow and deny lists go as systemd's IPAddressAllow=/IPAddressDeny=:
 * a packet whose peer address is in the allow list passes; else one in
 * the deny list is dropped; else it passes.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net-addr.h"
#include "net-lease.h"

typedef struct NetRules {
        const NetLease *lease;
        uint8_t mac[6]; /* the sandbox's eth0 */
        /* "any" is 0.0.0.0/0 and ::/0 */
        const NetPrefix *allow, *deny;
        size_t n_allow, n_deny;
        /* the host's resolver on a loopback address that the gateway's
         * port 53 leads to (family 0: none) */
        NetAddr dns_to;
} NetRules;

/* Adds the rules of one sandbox, and the tables and shared chains when
 * missing, in one transaction: all of it, or nothing (logged). */
int nft_sandbox_add(const NetRules *r);

/* Removes what nft_sandbox_add() added for lease l; what is not there
 * is not an error. Returns the first error, having tried everything. */
int nft_sandbox_remove(const NetLease *l);
