/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "net-lease.h"
#include "net-resolv.h"
#include "net-setup.h"
#include "netlink.h"
#include "nft-rules.h"
#include "proc-file.h"

#define HOST_RESOLV_CONF "/etc/resolv.conf"
#define HOST_RESOLV_MAX (64U << 10)

static int netns_open(pid_t pid) {
        char path[64];
        int fd;

        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "network: %s: %m", path);
        if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
                close(fd);
                return log_error_errno(-EBADF, "network: %s is not a network namespace", path);
        }
        return fd;
}

/* The bridge, with an address of each family the sandbox needs: the
 * default one is made when missing (and given its addresses); another
 * must be there, the admin's or systemd-networkd's. */
static int bridge_prepare(Netlink *nl, const NetSetup *s, NetLease *l) {
        const bool made_here = streq(s->bridge, NET_BRIDGE_DEFAULT);
        NetPrefix p4 = {}, p6 = {};
        int idx, r;

        idx = netlink_link_index(nl, s->bridge);
        if (idx == -ENODEV && made_here)
                idx = netlink_bridge_make(nl, s->bridge);
        else if (idx == -ENODEV)
                return log_error_errno(idx, "network: there is no bridge %s: make it (systemd-networkd: a .netdev "
                                       "with Kind=bridge and a .network with its Address=), or leave bridge= out "
                                       "for %s, which is made when missing", s->bridge, NET_BRIDGE_DEFAULT);
        if (idx < 0)
                return idx;
        r = netlink_link_is_bridge(nl, idx);
        if (r < 0)
                return r;
        if (r == 0)
                return log_error_errno(-ENOTTY, "network: %s is not a bridge", s->bridge);
        r = netlink_link_addresses(nl, idx, &p4, &p6);
        if (r < 0)
                return r;
        if (!p4.addr.family && made_here) {
                if (net_prefix_parse(NET_BRIDGE_DEFAULT_IPV4, true, &p4) < 0 ||
                    (r = netlink_address_add(nl, idx, &p4)) < 0)
                        return r < 0 ? r : -EINVAL;
        }
        if (s->ipv6 && !p6.addr.family && made_here) {
                if (net_prefix_parse(NET_BRIDGE_DEFAULT_IPV6, true, &p6) < 0 ||
                    (r = netlink_address_add(nl, idx, &p6)) < 0)
                        return r < 0 ? r : -EINVAL;
        }
        if (!p4.addr.family)
                return log_error_errno(-EADDRNOTAVAIL, "network: the bridge %s has no IPv4 address: give it one, "
                                       "the gateway of its sandboxes and the network they get addresses in",
                                       s->bridge);
        if (s->ipv6 && !p6.addr.family)
                return log_error_errno(-EADDRNOTAVAIL, "network: the bridge %s has no IPv6 address, and the "
                                       "profile asks for ipv6=\"yes\": give it one", s->bridge);
        r = netlink_link_up(nl, idx, 0);
        if (r < 0)
                return r;
        l->net4 = p4;
        l->gw4 = s->gw4.family ? s->gw4 : p4.addr;
        if (s->ipv6) {
                l->net6 = p6;
                l->gw6 = s->gw6.family ? s->gw6 : p6.addr;
        }
        if (!net_prefix_contains(&l->net4, &l->gw4) || (s->ipv6 && !net_prefix_contains(&l->net6, &l->gw6))) {
                char a[NET_ADDR_STRING_MAX], n[NET_PREFIX_STRING_MAX];
                const bool bad4 = !net_prefix_contains(&l->net4, &l->gw4);

                return log_error_errno(-EADDRNOTAVAIL, "network: the gateway %s is not in the network %s of the "
                                       "bridge %s", net_addr_to_string(bad4 ? &l->gw4 : &l->gw6, a),
                                       net_prefix_to_string(bad4 ? &l->net4 : &l->net6, n), s->bridge);
        }
        if (s->addr4.family && !net_prefix_contains(&l->net4, &s->addr4)) {
                char a[NET_ADDR_STRING_MAX], n[NET_PREFIX_STRING_MAX];

                return log_error_errno(-EADDRNOTAVAIL, "network: the address %s is not in the network %s of the "
                                       "bridge %s", net_addr_to_string(&s->addr4, a),
                                       net_prefix_to_string(&l->net4, n), s->bridge);
        }
        if (s->addr6.family && !net_prefix_contains(&l->net6, &s->addr6)) {
                char a[NET_ADDR_STRING_MAX], n[NET_PREFIX_STRING_MAX];

                return log_error_errno(-EADDRNOTAVAIL, "network: the address %s is not in the network %s of the "
                                       "bridge %s", net_addr_to_string(&s->addr6, a),
                                       net_prefix_to_string(&l->net6, n), s->bridge);
        }
        return idx;
}

/* The host routes for the sandbox only what its profile asks for:
 * forwarding when it goes out or is reached through a forward; the
 * loopback addresses on the bridge for the gateway's resolver and the
 * host's own clients of a forward (nft-rules.h keeps 127.0.0.0/8 from
 * the sandbox's own packets). */
static int sysctls_set(const NetSetup *s) {
        char key[128];
        int r;

        snprintf(key, sizeof(key), "net/ipv4/conf/%s/route_localnet", s->bridge);
        r = net_sysctl_set(key, "1");
        if (r >= 0 && (s->outbound || s->n_ports > 0))
                r = net_sysctl_set("net/ipv4/ip_forward", "1");
        if (r >= 0 && s->ipv6 && (s->outbound || s->n_ports > 0))
                r = net_sysctl_set("net/ipv6/conf/all/forwarding", "1");
        return r;
}

static void stale_take_down(Netlink *nl, NetLease *stale, size_t n) {
        for (size_t i = 0; i < n; i++) {
                log_debug("network: taking down what sandbox %s left (%s)", stale[i].name, stale[i].ifname);
                (void) nft_sandbox_remove(&stale[i]);
                (void) netlink_link_delete(nl, stale[i].ifname);
        }
}

static int resolv_write(const NetSetup *s, const NetLease *l, NetAddr *ret_dns_to) {
        _cleanup_free_ char *host = NULL;
        _cleanup_close_ int in = -EBADF, out = -EBADF;
        char text[NET_RESOLV_MAX];
        size_t n;
        int r;

        *ret_dns_to = (NetAddr) {};
        if (!s->resolv_conf)
                return 0;
        if (!s->dns) {
                in = open(HOST_RESOLV_CONF, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                if (in >= 0) {
                        host = malloc(HOST_RESOLV_MAX);
                        if (!host)
                                return log_oom();
                        if (read_fd_into(in, host, HOST_RESOLV_MAX) < 0)
                                host[0] = 0;
                }
        }
        r = net_resolv_make(host, s->dns, &l->gw4, text, ret_dns_to);
        if (r < 0)
                return log_error_errno(r, "network: the sandbox's resolv.conf would be over %u bytes",
                                       NET_RESOLV_MAX);
        out = open(s->resolv_conf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (out < 0)
                return log_error_errno(-errno, "network: %s: %m", s->resolv_conf);
        n = strlen(text);
        if (write(out, text, n) != (ssize_t) n)
                return log_error_errno(-EIO, "network: write %s: %m", s->resolv_conf);
        return 0;
}

/* eth0 in the sandbox's namespace: its MTU, its addresses, its routes */
static int sandbox_end(int netns, const NetSetup *s, const NetLease *l) {
        _cleanup_(netlink_closep) Netlink *nl = NULL;
        NetPrefix a4 = { l->addr4, l->net4.len }, a6 = { l->addr6, l->net6.len };
        int idx, r;

        r = netlink_open(netns, &nl);
        if (r < 0)
                return r;
        idx = netlink_link_index(nl, "eth0");
        if (idx < 0)
                return log_error_errno(idx, "network: eth0 is not in the sandbox");
        r = netlink_address_add(nl, idx, &a4);
        if (r >= 0 && l->addr6.family)
                r = netlink_address_add(nl, idx, &a6);
        if (r >= 0)
                r = netlink_link_up(nl, idx, s->mtu);
        if (r >= 0)
                r = netlink_default_route_add(nl, idx, &l->gw4);
        if (r >= 0 && l->addr6.family)
                r = netlink_default_route_add(nl, idx, &l->gw6);
        return r;
}

int net_setup(const NetSetup *s) {
        _cleanup_(netlink_closep) Netlink *nl = NULL;
        _cleanup_free_ NetLease *stale = NULL;
        _cleanup_close_ int netns = -EBADF;
        NetLease l = { .outbound = s->outbound };
        NetRules rules = { .lease = &l, .allow = s->allow, .deny = s->deny, .n_allow = s->n_allow,
                           .n_deny = s->n_deny };
        size_t n_stale = 0;
        char alias[SANDBOX_NAME_MAX + 16];
        int bridge, host, r;

        if (s->n_ports > NET_LEASE_PORTS_MAX)
                return log_error_errno(-E2BIG, "network: at most %d forwarded ports", NET_LEASE_PORTS_MAX);
        netns = netns_open(s->pid);
        if (netns < 0)
                return netns;
        r = netlink_open(-1, &nl);
        if (r < 0)
                return r;
        bridge = bridge_prepare(nl, s, &l);
        if (bridge < 0)
                return bridge;
        r = sysctls_set(s);
        if (r < 0)
                return r;

        snprintf(l.name, sizeof(l.name), "%s", s->name);
        snprintf(l.bridge, sizeof(l.bridge), "%s", s->bridge);
        l.addr4 = s->addr4;
        l.addr6 = s->addr6;
        for (size_t i = 0; i < s->n_ports; i++)
                l.ports[i] = s->ports[i];
        l.n_ports = s->n_ports;
        if (s->keeper > 0) {
                pid_t parent;

                r = proc_stat_parent_start(s->keeper, &parent, &l.keeper_start);
                if (r < 0)
                        return log_error_errno(r, "network: the run lock's keeper, PID %d: %m", (int) s->keeper);
                l.keeper = s->keeper;
        }
        r = net_lease_take(s->state_root, &l, &stale, &n_stale);
        stale_take_down(nl, stale, n_stale);
        if (r < 0)
                return r;

        /* from here on, a failure takes down what is made */
        memcpy(rules.mac, (const uint8_t[2]) { 0x02, 0x5a }, 2);
        memcpy(rules.mac + 2, l.addr4.bytes, 4);
        snprintf(alias, sizeof(alias), "sandbox %s", s->name);
        host = netlink_veth_make(nl, l.ifname, "eth0", netns, rules.mac, s->mtu, alias);
        r = host;
        if (r >= 0)
                r = netlink_link_enslave_up(nl, host, bridge);
        if (r >= 0)
                r = sandbox_end(netns, s, &l);
        if (r >= 0)
                r = resolv_write(s, &l, &rules.dns_to);
        if (r >= 0)
                r = nft_sandbox_add(&rules);
        if (r < 0) {
                (void) net_teardown(s->name, NULL);
                return r;
        }
        return 0;
}

int net_teardown(const char *name, const char *state_root) {
        _cleanup_(netlink_closep) Netlink *nl = NULL;
        NetLease l;
        int r, k;

        r = net_lease_read(name, &l);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        net_lease_remember(state_root, &l);
        r = nft_sandbox_remove(&l);
        k = netlink_open(-1, &nl);
        if (k >= 0) {
                k = netlink_link_delete(nl, l.ifname);
                if (k == -ENODEV)
                        k = 0;
        }
        if (r >= 0)
                r = k;
        k = net_lease_free(name);
        return r < 0 ? r : k;
}
