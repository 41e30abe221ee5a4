/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Addresses, prefixes, interface names and port forwards of a bridged
 * sandbox (<network mode="bridge">, sandbox.profile(5)): parsed and
 * written in one place for the profile's checks, the helper's options,
 * its rules and its leases.
 */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct NetAddr {
        int family; /* AF_INET, AF_INET6; 0: none */
        uint8_t bytes[16]; /* network order; the first 4 for AF_INET */
} NetAddr;

typedef struct NetPrefix {
        NetAddr addr;
        unsigned len;
} NetPrefix;

#define NET_ADDR_STRING_MAX 46 /* INET6_ADDRSTRLEN */
#define NET_PREFIX_STRING_MAX (NET_ADDR_STRING_MAX + 4)

/* The bridge a sandbox joins when its profile names none, and the
 * addresses it gets when the helper makes it (units/networkd has the
 * same for systemd-networkd). */
#define NET_BRIDGE_DEFAULT "sandbox0"
#define NET_BRIDGE_DEFAULT_IPV4 "10.92.0.1/16"
#define NET_BRIDGE_DEFAULT_IPV6 "fd92:5a:b0::1/64"

/* The kernel's IFNAMSIZ less its NUL: 15 */
#define NET_IFNAME_MAX 15

/* A port forward: from the host's address and port to the sandbox's
 * port. host_addr.family 0: every local address of the host. */
typedef struct NetPort {
        int protocol; /* IPPROTO_TCP, IPPROTO_UDP */
        uint16_t host_port, sandbox_port;
        NetAddr host_addr;
} NetPort;

/* The helper's option value of a forward: PROTO/HOSTPORT/SANDBOXPORT
 * with /HOSTADDR after it when it listens on one address alone. */
#define NET_PORT_SPEC_MAX (4 + 6 + 6 + NET_ADDR_STRING_MAX + 4)

/* An IPv4 or IPv6 address, as inet_pton() reads it (no zone, no
 * prefix). family: AF_INET, AF_INET6 or 0 for either. */
int net_addr_parse(const char *s, int family, NetAddr *ret);
/* ADDR or ADDR/LEN; an address alone is its own host prefix. The bits
 * past LEN must be zero in a prefix, but for allow_host_bits, where
 * ADDR/LEN is an interface's address and its network. */
int net_prefix_parse(const char *s, bool allow_host_bits, NetPrefix *ret);

const char *net_addr_to_string(const NetAddr *a, char buf[static NET_ADDR_STRING_MAX]);
const char *net_prefix_to_string(const NetPrefix *p, char buf[static NET_PREFIX_STRING_MAX]);

bool net_addr_equal(const NetAddr *a, const NetAddr *b);
bool net_addr_is_loopback(const NetAddr *a);
/* whether a is in p's network (the same family, the first len bits) */
bool net_prefix_contains(const NetPrefix *p, const NetAddr *a);
/* the network of p: its address with the bits past len cleared */
void net_prefix_network(const NetPrefix *p, NetPrefix *ret);
/* the address number host of p's network; -ERANGE when it does not fit
 * in the bits past len */
int net_prefix_host(const NetPrefix *p, uint64_t host, NetAddr *ret);
/* a's host number in p's network, its low 64 bits at most */
uint64_t net_prefix_host_number(const NetPrefix *p, const NetAddr *a);

/* a name the kernel takes for a network interface */
bool net_ifname_is_valid(const char *s);

int net_port_parse(const char *spec, NetPort *ret);
/* written as net_port_parse() reads it */
const char *net_port_to_spec(const NetPort *p, char buf[static NET_PORT_SPEC_MAX]);
const char *net_protocol_to_string(int protocol);

/* option checks of the helper's table (helper-options.h) */
bool net_addr_is_valid(const char *s);
bool net_prefix_or_any_is_valid(const char *s);
bool net_port_spec_is_valid(const char *s);
bool net_mtu_is_valid(const char *s);
