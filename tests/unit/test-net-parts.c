/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parts of a bridged sandbox's network, on the real kernel: links,
 * addresses and routes through rtnetlink (helper/netlink.h), and the
 * nftables rules (helper/nft-rules.h), checked with netlink's answers,
 * nft's listing and real traffic. Everything happens in network
 * namespaces of the test's own: "host" (a child's unshare()), the
 * sandbox's and a client's (each made by a child of it, kept by fd);
 * the machine's own network is never touched. Prints TAP; skipped
 * without root or network namespaces.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <nftables/libnftables.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "netlink.h"
#include "nft-rules.h"
#include "tap.h"

static void die(const char *what) {
        printf("Bail out! %s: %s\n", what, strerror(errno));
        fflush(stdout);
        _exit(1);
}

/* a network namespace of a child's, kept by its fd; the child ends */
static int ns_new(void) {
        char path[64];
        int p[2], fd;
        pid_t pid;
        char c;

        if (pipe2(p, O_CLOEXEC) < 0)
                die("pipe");
        fflush(stdout);
        pid = fork();
        if (pid < 0)
                die("fork");
        if (pid == 0) {
                close(p[0]);
                if (unshare(CLONE_NEWNET) < 0)
                        _exit(1);
                (void) !write(p[1], "x", 1);
                pause();
                _exit(0);
        }
        close(p[1]);
        if (read(p[0], &c, 1) != 1)
                die("unshare in a child");
        close(p[0]);
        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                die("open the child's network namespace");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return fd;
}

static ino_t ns_self(void) {
        struct stat st;

        if (stat("/proc/self/ns/net", &st) < 0)
                die("stat /proc/self/ns/net");
        return st.st_ino;
}

/* a socket of namespace ns: sockets stay in the one they were made in */
static int socket_in_proto(int ns, int domain, int type, int protocol) {
        int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd;

        if (self < 0 || setns(ns, CLONE_NEWNET) < 0)
                die("setns");
        fd = socket(domain, type | SOCK_CLOEXEC, protocol);
        if (fd < 0)
                die("socket");
        if (setns(self, CLONE_NEWNET) < 0)
                die("setns back");
        close(self);
        return fd;
}

static int socket_in(int ns, int domain, int type) {
        return socket_in_proto(ns, domain, type, 0);
}

/* Frames of a local experimental ethertype: one sent by the host's
 * bridge to dst is flooded to every port while the bridge has not seen
 * dst; a sandbox's eth0, promiscuous, would see it. */
#define ETH_P_TEST 0x88b5

static int frames_listen(int ns, int ifindex, int proto) {
        int fd = socket_in_proto(ns, AF_PACKET, SOCK_RAW, htons(proto));
        struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(proto), .sll_ifindex = ifindex };
        struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };

        if (bind(fd, (struct sockaddr *) &sll, sizeof(sll)) < 0 ||
            setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
                die("packet socket");
        return fd;
}

static void frame_send(int ifindex, const uint8_t dst[static 6], const char *text) {
        int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        int fd = socket_in_proto(self, AF_PACKET, SOCK_RAW, htons(ETH_P_TEST));
        struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_TEST), .sll_ifindex = ifindex,
                                   .sll_halen = 6 };
        uint8_t f[64] = { [6] = 0x02, [11] = 0x01, [12] = ETH_P_TEST >> 8, [13] = ETH_P_TEST & 0xff };

        memcpy(f, dst, 6);
        memcpy(sll.sll_addr, dst, 6);
        snprintf((char *) f + 14, sizeof(f) - 14, "%s", text);
        if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *) &sll, sizeof(sll)) < 0)
                printf("# send a frame: %s\n", strerror(errno));
        close(fd);
        close(self);
}

/* whether a frame with text arrives on fd within ms */
static bool frame_seen(int fd, const char *text, int ms) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        uint8_t f[256];

        while (poll(&p, 1, ms) > 0) {
                ssize_t k = recv(fd, f, sizeof(f) - 1, 0);

                if (k > 14) {
                        f[k] = 0;
                        if (strstr((char *) f + 14, text))
                                return true;
                }
        }
        return false;
}

/* An ARP request the sandbox sends by hand: its frame's source eth_src,
 * its sender sha/spa, for target 10.92.0.tpa (each case its own, so
 * that the kernel's own requests never count). */
static void arp_send(int ns, int ifindex, const uint8_t eth_src[static 6], const uint8_t sha[static 6], uint8_t spa,
                     uint8_t tpa) {
        int fd = socket_in_proto(ns, AF_PACKET, SOCK_RAW, htons(0x0806));
        struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(0x0806), .sll_ifindex = ifindex,
                                   .sll_halen = 6, .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
        uint8_t f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

        memcpy(f + 6, eth_src, 6);
        f[12] = 0x08, f[13] = 0x06;
        /* Ethernet, IPv4, 6 and 4 bytes, request */
        f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4, f[21] = 1;
        memcpy(f + 22, sha, 6);
        f[28] = 10, f[29] = 92, f[30] = 0, f[31] = spa;
        f[38] = 10, f[39] = 92, f[40] = 0, f[41] = tpa;
        if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *) &sll, sizeof(sll)) < 0)
                printf("# send an ARP request: %s\n", strerror(errno));
        close(fd);
}

/* whether an ARP request for 10.92.0.tpa arrives on fd within ms */
static bool arp_seen(int fd, uint8_t tpa, int ms) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        uint8_t f[256];

        while (poll(&p, 1, ms) > 0) {
                ssize_t k = recv(fd, f, sizeof(f), 0);

                if (k >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[38] == 10 && f[39] == 92 && f[40] == 0 && f[41] == tpa)
                        return true;
        }
        return false;
}

/* an ICMPv6 message of type to ff02::1 on link ifindex of ns */
static void icmp6_send(int ns, int ifindex, uint8_t type) {
        int fd = socket_in_proto(ns, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
        struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t) ifindex };
        /* a router advertisement of lifetime 0: no one takes it as a
         * router; for echo requests the same 16 bytes */
        uint8_t m[16] = { type, 0, 0, 0, 64 };

        inet_pton(AF_INET6, "ff02::1", &a.sin6_addr);
        if (sendto(fd, m, sizeof(m), 0, (struct sockaddr *) &a, sizeof(a)) < 0)
                printf("# send ICMPv6 type %u: %s\n", type, strerror(errno));
        close(fd);
}

/* whether an ICMPv6 message of type arrives on fd within ms */
static bool icmp6_seen(int fd, uint8_t type, int ms) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        uint8_t m[256];

        while (poll(&p, 1, ms) > 0)
                if (recv(fd, m, sizeof(m), 0) > 0 && m[0] == type)
                        return true;
        return false;
}

typedef union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_storage ss;
} Addr;

static socklen_t addr_make(Addr *a, const char *ip, unsigned port) {
        memset(a, 0, sizeof(*a));
        if (strchr(ip, ':')) {
                a->in6.sin6_family = AF_INET6;
                a->in6.sin6_port = htons((uint16_t) port);
                if (inet_pton(AF_INET6, ip, &a->in6.sin6_addr) != 1)
                        abort();
                return sizeof(a->in6);
        }
        a->in.sin_family = AF_INET;
        a->in.sin_port = htons((uint16_t) port);
        if (inet_pton(AF_INET, ip, &a->in.sin_addr) != 1)
                abort();
        return sizeof(a->in);
}

static const char *addr_ip(const Addr *a, char *buf, size_t size) {
        if (a->sa.sa_family == AF_INET6)
                return inet_ntop(AF_INET6, &a->in6.sin6_addr, buf, (socklen_t) size);
        return inet_ntop(AF_INET, &a->in.sin_addr, buf, (socklen_t) size);
}

static int bound(int ns, int type, const char *ip, unsigned port) {
        Addr a;
        socklen_t n = addr_make(&a, ip, port);
        int fd = socket_in(ns, a.sa.sa_family, type), one = 1;

        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (a.sa.sa_family == AF_INET6)
                (void) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
        if (bind(fd, &a.sa, n) < 0) {
                printf("# bind %s:%u: %s\n", ip, port, strerror(errno));
                close(fd);
                return -1;
        }
        if (type == SOCK_STREAM && listen(fd, 4) < 0)
                die("listen");
        return fd;
}

/* a datagram from (bound to) from, in ns, to to:port */
static void udp_send(int ns, const char *from, const char *to, unsigned port, const char *text) {
        int fd = bound(ns, SOCK_DGRAM, from, 0);
        Addr a;
        socklen_t n = addr_make(&a, to, port);

        if (fd < 0)
                return;
        if (sendto(fd, text, strlen(text), 0, &a.sa, n) < 0)
                printf("# sendto %s from %s: %s\n", to, from, strerror(errno));
        close(fd);
}

/* the next datagram on fd within ms, and its source address; false on none */
static bool udp_recv(int fd, int ms, char *text, size_t size, char *src, size_t src_size) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        Addr a;
        socklen_t n = sizeof(a);
        ssize_t k;

        if (poll(&p, 1, ms) <= 0)
                return false;
        k = recvfrom(fd, text, size - 1, 0, &a.sa, &n);
        if (k < 0)
                return false;
        text[k] = 0;
        addr_ip(&a, src, src_size);
        return true;
}

/* connects from ns to to:port; the accepted peer address on listener */
static bool tcp_through(int ns, const char *to, unsigned port, int listener, char *peer, size_t size, int ms) {
        Addr a, p;
        socklen_t n = addr_make(&a, to, port), pn = sizeof(p);
        int fd = socket_in(ns, a.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK), c;
        struct pollfd pl = { .fd = listener, .events = POLLIN };
        bool good = false;

        if (connect(fd, &a.sa, n) < 0 && errno != EINPROGRESS)
                goto out;
        if (poll(&pl, 1, ms) <= 0)
                goto out;
        c = accept4(listener, &p.sa, &pn, SOCK_CLOEXEC);
        if (c < 0)
                goto out;
        addr_ip(&p, peer, size);
        close(c);
        good = true;
out:
        close(fd);
        return good;
}

/* where a datagram from ns to dst would go from: the kernel's route */
static bool route_source(int ns, const char *dst, char *src, size_t size) {
        Addr a, s;
        socklen_t n = addr_make(&a, dst, 9), sn = sizeof(s);
        int fd = socket_in(ns, a.sa.sa_family, SOCK_DGRAM);
        bool good = connect(fd, &a.sa, n) == 0 && getsockname(fd, &s.sa, &sn) == 0;

        if (good)
                addr_ip(&s, src, size);
        close(fd);
        return good;
}

static char *nft_list(const char *cmd) {
        struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
        char *out = NULL;

        if (!ctx || nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0)
                abort();
        if (nft_run_cmd_from_buffer(ctx, cmd) == 0)
                out = strdup(nft_ctx_get_output_buffer(ctx));
        else
                out = strdup("");
        nft_ctx_free(ctx);
        if (!out)
                abort();
        return out;
}

static unsigned count(const char *hay, const char *needle) {
        unsigned n = 0;

        for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
                n++;
        return n;
}

static NetPrefix prefix(const char *s) {
        NetPrefix p;

        if (net_prefix_parse(s, true, &p) < 0)
                abort();
        return p;
}

static NetAddr addr(const char *s) {
        NetAddr a;

        if (net_addr_parse(s, 0, &a) < 0)
                abort();
        return a;
}

static bool prefix_is(const NetPrefix *p, const char *s) {
        char buf[NET_PREFIX_STRING_MAX];

        return p->addr.family && streq(net_prefix_to_string(p, buf), s);
}

static const uint8_t mac5[6] = { 0x02, 0x5a, 10, 92, 0, 5 };
static const uint8_t mac_client[6] = { 0x02, 0x5a, 0xc0, 0, 2, 2 };

static bool rules_gone(void) {
        _cleanup_free_ char *nd = nft_list("list table netdev sandbox");
        _cleanup_free_ char *in = nft_list("list table inet sandbox");

        return !strstr(nd, "web-1") && !strstr(in, "web-1") && !strstr(in, "8080") && !strstr(in, "10.92.0.5") &&
               !strstr(in, "fd92:5a:b0::5") && strstr(in, "nat-pre");
}

static void test_all(void) {
        _cleanup_(netlink_closep) Netlink *nl = NULL, *np = NULL, *nc = NULL;
        int peer, client, br, host, eth0, vcl, ceth, lo, r;
        ino_t self = ns_self();
        NetlinkLink l;
        NetPrefix p4, p6;
        NetAddr gw4 = addr("10.92.0.1"), gw6 = addr("fd92:5a:b0::1");
        char text[64], src[64];
        int rx4, rx6;

        check(netlink_open(-1, &nl) == 0, "a socket in the own namespace");
        lo = netlink_link_index(nl, "lo");
        check(lo > 0 && netlink_link_up(nl, lo, 0) == 0, "lo up");

        /* the bridge */
        br = netlink_bridge_make(nl, "sbt0");
        check(br > 0, "bridge sbt0 made: %d", br);
        check(netlink_link_is_bridge(nl, br) == 1 && netlink_link_is_bridge(nl, lo) == 0, "it is a bridge, lo is not");
        check(netlink_bridge_make(nl, "sbt0") == br, "made again: the same one taken (EEXIST)");
        check(netlink_bridge_make(nl, "lo") == -EEXIST, "a link of the name that is no bridge: -EEXIST");
        check(netlink_link_get(nl, br, &l) == 0 && (l.flags & IFF_UP), "the bridge is up");
        p4 = prefix("10.92.0.1/16");
        p6 = prefix("fd92:5a:b0::1/64");
        check(netlink_address_add(nl, br, &p4) == 0 && netlink_address_add(nl, br, &p6) == 0, "its addresses added");
        check(netlink_address_add(nl, br, &p4) == 0 && netlink_address_add(nl, br, &p6) == 0, "added again: no error");
        r = netlink_link_addresses(nl, br, &p4, &p6);
        check(r == 0 && prefix_is(&p4, "10.92.0.1/16") && prefix_is(&p6, "fd92:5a:b0::1/64"),
              "the bridge's global addresses read back");
        check(netlink_link_addresses(nl, lo, &p4, &p6) == 0 && p4.addr.family == 0 && p6.addr.family == 0,
              "lo has no global address");
        check(netlink_link_index(nl, "nosuch0") == -ENODEV, "no such link: -ENODEV");

        /* the veth pair, eth0 in the sandbox's namespace */
        peer = ns_new();
        check(netlink_open(peer, &np) == 0 && ns_self() == self, "a socket in the sandbox's namespace; ours unchanged");
        host = netlink_veth_make(nl, "vsb5", "eth0", peer, mac5, 1400, "sandbox web-1");
        check(host > 0, "veth vsb5/eth0 made: %d", host);
        check(netlink_veth_make(nl, "vsb5", "eth0", peer, mac5, 1400, NULL) == -EEXIST, "made again: -EEXIST");
        check(netlink_link_get(nl, host, &l) == 0 && l.mtu == 1400 && streq(l.name, "vsb5") && streq(l.alias, "sandbox web-1"),
              "vsb5: mtu 1400, its alias (%s)", l.alias);
        check(netlink_link_index(nl, "eth0") == -ENODEV, "no eth0 on the host's side");
        eth0 = netlink_link_index(np, "eth0");
        check(eth0 > 0 && netlink_link_get(np, eth0, &l) == 0 && memcmp(l.mac, mac5, 6) == 0 && l.mtu == 1400,
              "eth0 in the sandbox's namespace, with its MAC and mtu");
        check(netlink_link_index(np, "vsb5") == -ENODEV, "no vsb5 in the sandbox's namespace");
        r = netlink_link_enslave_up(nl, host, lo);
        check(r < 0 && r != -ETIMEDOUT, "into lo, which is no master: refused (%s)", strerror(-r));
        check(netlink_link_enslave_up(nl, host, br) == 0 && netlink_link_get(nl, host, &l) == 0 && l.master == br &&
                      (l.flags & IFF_UP),
              "vsb5 in the bridge, up");

        p4 = prefix("10.92.0.5/16");
        p6 = prefix("fd92:5a:b0::5/64");
        r = netlink_link_up(np, netlink_link_index(np, "lo"), 0);
        r = r ?: netlink_link_up(np, eth0, 1400);
        r = r ?: netlink_address_add(np, eth0, &p4);
        r = r ?: netlink_address_add(np, eth0, &p6);
        r = r ?: netlink_default_route_add(np, eth0, &gw4);
        r = r ?: netlink_default_route_add(np, eth0, &gw6);
        check(r == 0, "eth0 up, its addresses and default routes");
        check(netlink_default_route_add(np, eth0, &gw4) == 0, "the default route again: replaced, no error");
        {
                NetAddr far = addr("198.51.100.1");

                r = netlink_default_route_add(np, eth0, &far);
                check(r < 0 && r != -ETIMEDOUT, "through a gateway off the link: refused (%s)", strerror(-r));
        }
        r = netlink_link_addresses(np, eth0, &p4, &p6);
        check(r == 0 && prefix_is(&p4, "10.92.0.5/16") && prefix_is(&p6, "fd92:5a:b0::5/64"), "eth0's addresses read back");
        check(route_source(peer, "198.51.100.9", src, sizeof(src)) && streq(src, "10.92.0.5"),
              "IPv4 past the bridge's network is routed (from %s)", src);
        check(route_source(peer, "2001:db8:9::9", src, sizeof(src)) && streq(src, "fd92:5a:b0::5"),
              "IPv6 past the bridge's network is routed (from %s)", src);

        /* a client outside, reaching the host through vcl0 */
        client = ns_new();
        check(netlink_open(client, &nc) == 0, "a socket in the client's namespace");
        vcl = netlink_veth_make(nl, "vcl0", "eth0", client, mac_client, 0, NULL);
        ceth = netlink_link_index(nc, "eth0");
        p4 = prefix("192.0.2.1/24");
        p6 = prefix("2001:db8::1/64");
        r = vcl > 0 && ceth > 0 ? 0 : -1;
        r = r ?: netlink_link_up(nl, vcl, 0);
        r = r ?: netlink_address_add(nl, vcl, &p4);
        r = r ?: netlink_address_add(nl, vcl, &p6);
        p4 = prefix("203.0.113.1/24");
        r = r ?: netlink_address_add(nl, vcl, &p4);
        p4 = prefix("192.0.2.2/24");
        p6 = prefix("2001:db8::2/64");
        r = r ?: netlink_link_up(nc, ceth, 0);
        r = r ?: netlink_address_add(nc, ceth, &p4);
        r = r ?: netlink_address_add(nc, ceth, &p6);
        gw4 = addr("192.0.2.1");
        gw6 = addr("2001:db8::1");
        r = r ?: netlink_default_route_add(nc, ceth, &gw4);
        r = r ?: netlink_default_route_add(nc, ceth, &gw6);
        check(r == 0, "the client's link, addresses and routes");

        check(net_sysctl_set("net/ipv4/ip_forward", "1") == 0 && net_sysctl_set("net/ipv6/conf/all/forwarding", "1") == 0,
              "forwarding on (this namespace's sysctls)");
        check(net_sysctl_set("net/ipv4/ip_forward", "1") == 0, "the same value again: left as is");
        check(net_sysctl_set("net/../kernel/hostname", "x") == -EINVAL && net_sysctl_set("/net/ipv4/ip_forward", "1") == -EINVAL,
              "a key with .. or a leading /: -EINVAL");

        /* what the sandbox sends, before the rules: a second address of
         * its own choosing goes through */
        p4 = prefix("10.92.0.6/16");
        p6 = prefix("fd92:5a:b0::66/64");
        check(netlink_address_add(np, eth0, &p4) == 0 && netlink_address_add(np, eth0, &p6) == 0,
              "the sandbox adds addresses that are not its own");
        {
                int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

                rx4 = bound(self_ns, SOCK_DGRAM, "10.92.0.1", 9999);
                rx6 = bound(self_ns, SOCK_DGRAM, "fd92:5a:b0::1", 9999);
                close(self_ns);
        }
        udp_send(peer, "10.92.0.5", "10.92.0.1", 9999, "own");
        check(udp_recv(rx4, 3000, text, sizeof(text), src, sizeof(src)) && streq(src, "10.92.0.5"), "from its address: arrives");
        udp_send(peer, "10.92.0.6", "10.92.0.1", 9999, "spoofed");
        check(udp_recv(rx4, 3000, text, sizeof(text), src, sizeof(src)) && streq(src, "10.92.0.6"),
              "from another, without rules: arrives too (the test can see a drop)");
        udp_send(peer, "fd92:5a:b0::66", "fd92:5a:b0::1", 9999, "spoofed");
        check(udp_recv(rx6, 3000, text, sizeof(text), src, sizeof(src)) && streq(src, "fd92:5a:b0::66"),
              "IPv6 from another, without rules: arrives");

        /* flooded frames and router advertisements, before the rules */
        static const uint8_t mac_other[6] = { 0x02, 0x5a, 10, 92, 0, 9 };
        static const uint8_t mac7[6] = { 0x02, 0x5a, 10, 92, 0, 7 };
        int frames = frames_listen(peer, eth0, ETH_P_TEST), icmp6, arps;
        {
                int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

                icmp6 = socket_in_proto(self_ns, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
                arps = frames_listen(self_ns, br, 0x0806);
                close(self_ns);
        }
        arp_send(peer, eth0, mac5, mac5, 7, 201);
        check(arp_seen(arps, 201, 3000), "without rules, an ARP request in the name of 10.92.0.7 arrives");
        frame_send(br, mac_other, "flood-1");
        check(frame_seen(frames, "flood-1", 3000), "without rules, a frame for another, flooded, reaches the sandbox");
        icmp6_send(peer, eth0, ND_ROUTER_ADVERT);
        check(icmp6_seen(icmp6, ND_ROUTER_ADVERT, 3000), "without rules, the sandbox's router advertisement arrives");

        /* the rules */
        NetLease lease = {
                .name = "web-1",
                .bridge = "sbt0",
                .ifname = "vsb5",
                .addr4 = addr("10.92.0.5"),
                .addr6 = addr("fd92:5a:b0::5"),
                .net4 = prefix("10.92.0.1/16"),
                .net6 = prefix("fd92:5a:b0::1/64"),
                .gw4 = addr("10.92.0.1"),
                .gw6 = addr("fd92:5a:b0::1"),
                .outbound = true,
                .ports = {
                        { .protocol = IPPROTO_TCP, .host_port = 8080, .sandbox_port = 80 },
                        { .protocol = IPPROTO_UDP, .host_port = 5353, .sandbox_port = 53, .host_addr = addr("192.0.2.1") },
                },
                .n_ports = 2,
        };
        NetPrefix deny[] = { prefix("203.0.113.0/24") };
        NetRules rules = { .lease = &lease, .deny = deny, .n_deny = 1, .dns_to = addr("127.0.0.53") };
        memcpy(rules.mac, mac5, 6);

        {
                struct timespec t0, t1;

                clock_gettime(CLOCK_MONOTONIC, &t0);
                r = nft_sandbox_add(&rules);
                clock_gettime(CLOCK_MONOTONIC, &t1);
                check(r == 0, "the rules of web-1 added (in %.1f ms)",
                      (double) (t1.tv_sec - t0.tv_sec) * 1e3 + (double) (t1.tv_nsec - t0.tv_nsec) / 1e6);
        }
        {
                _cleanup_free_ char *nd = nft_list("list table netdev sandbox");
                _cleanup_free_ char *in = nft_list("list table inet sandbox");
                _cleanup_free_ char *nd2 = NULL, *in2 = NULL;

                check(strstr(nd, "web-1-from") && strstr(nd, "web-1-to") && strstr(nd, "02:5a:0a:5c:00:05") &&
                              strstr(nd, "\"vsb5\""),
                      "netdev sandbox: web-1-from, web-1-to on vsb5, with its MAC");
                check(strstr(in, "web-1-dnat") && strstr(in, "tcp . 8080 : jump web-1-dnat") &&
                              strstr(in, "udp . 5353 : jump web-1-dnat") && strstr(in, "10.92.0.1 : 127.0.0.53") &&
                              strstr(in, "\"sbt0\"") && strstr(in, "10.92.0.0/16"),
                      "inet sandbox: the forwards, the resolver, the bridge and its network");
                check(nft_sandbox_add(&rules) == 0, "added again: shared elements already there are no error");
                nd2 = nft_list("list table netdev sandbox");
                in2 = nft_list("list table inet sandbox");
                check(strlen(nd2) == strlen(nd) && strlen(in2) == strlen(in) && count(in2, "masquerade") == 4,
                      "and nothing doubled");
                if (tap_failed)
                        printf("# %s# %s", nd2, in2);
        }

        /* spoofing, after the rules */
        udp_send(peer, "10.92.0.5", "10.92.0.1", 9999, "own");
        check(udp_recv(rx4, 3000, text, sizeof(text), src, sizeof(src)) && streq(src, "10.92.0.5"),
              "with the rules, from its address: arrives");
        udp_send(peer, "10.92.0.6", "10.92.0.1", 9999, "spoofed");
        check(!udp_recv(rx4, 700, text, sizeof(text), src, sizeof(src)), "from another IPv4 address: dropped");
        udp_send(peer, "fd92:5a:b0::5", "fd92:5a:b0::1", 9999, "own");
        check(udp_recv(rx6, 3000, text, sizeof(text), src, sizeof(src)) && streq(src, "fd92:5a:b0::5"),
              "IPv6 from its address: arrives");
        udp_send(peer, "fd92:5a:b0::66", "fd92:5a:b0::1", 9999, "spoofed");
        check(!udp_recv(rx6, 700, text, sizeof(text), src, sizeof(src)), "IPv6 from another address: dropped");

        /* each drop after a pass, so that the pass drained nothing */
        frame_send(br, mac5, "own-2");
        check(frame_seen(frames, "own-2", 3000), "with the rules, a frame for the sandbox reaches it");
        frame_send(br, mac_other, "flood-2");
        check(!frame_seen(frames, "flood-2", 700), "one for another, flooded, does not");
        arp_send(peer, eth0, mac5, mac5, 5, 202);
        check(arp_seen(arps, 202, 3000), "its ARP request, in its own name, arrives");
        arp_send(peer, eth0, mac5, mac5, 7, 203);
        check(!arp_seen(arps, 203, 700), "one in the name of 10.92.0.7 does not");
        arp_send(peer, eth0, mac5, mac7, 5, 204);
        check(!arp_seen(arps, 204, 700), "nor one with another's hardware address as its sender");
        arp_send(peer, eth0, mac7, mac7, 5, 205);
        check(!arp_seen(arps, 205, 700), "nor a frame from another's link-layer address");
        close(arps);
        icmp6_send(peer, eth0, ICMP6_ECHO_REQUEST);
        check(icmp6_seen(icmp6, ICMP6_ECHO_REQUEST, 3000), "its echo request to ff02::1 arrives");
        icmp6_send(peer, eth0, ND_ROUTER_ADVERT);
        check(!icmp6_seen(icmp6, ND_ROUTER_ADVERT, 700), "its router advertisement does not");
        close(frames);
        close(icmp6);

        /* the deny list, on the destination */
        {
                int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
                int ok = bound(self_ns, SOCK_DGRAM, "192.0.2.1", 9998), no = bound(self_ns, SOCK_DGRAM, "203.0.113.1", 9998);

                close(self_ns);
                udp_send(peer, "10.92.0.5", "192.0.2.1", 9998, "x");
                check(udp_recv(ok, 3000, text, sizeof(text), src, sizeof(src)), "to an address not denied: arrives");
                udp_send(peer, "10.92.0.5", "203.0.113.1", 9998, "x");
                check(!udp_recv(no, 700, text, sizeof(text), src, sizeof(src)), "to a denied address: dropped");
                close(ok);
                close(no);
        }

        /* the forwards, from the client through the host to the sandbox */
        {
                int l4 = bound(peer, SOCK_STREAM, "0.0.0.0", 80), l6 = bound(peer, SOCK_STREAM, "::", 80);
                int u4 = bound(peer, SOCK_DGRAM, "0.0.0.0", 53);

                check(tcp_through(client, "192.0.2.1", 8080, l4, src, sizeof(src), 3000) && streq(src, "192.0.2.2"),
                      "TCP to the host's port 8080 reaches the sandbox's port 80, from the client's address (%s)", src);
                src[0] = 0;
                check(tcp_through(client, "2001:db8::1", 8080, l6, src, sizeof(src), 3000) && streq(src, "2001:db8::2"),
                      "IPv6 too (%s)", src);
                udp_send(client, "192.0.2.2", "192.0.2.1", 5353, "q");
                check(udp_recv(u4, 3000, text, sizeof(text), src, sizeof(src)) && streq(src, "192.0.2.2"),
                      "UDP to 192.0.2.1:5353 reaches the sandbox's port 53");
                udp_send(client, "192.0.2.2", "203.0.113.1", 5353, "q");
                check(!udp_recv(u4, 700, text, sizeof(text), src, sizeof(src)),
                      "not when sent to another of the host's addresses than the forward's");
                close(l4);
                close(l6);
                close(u4);
        }

        /* the gateway's port 53 leads to the host's resolver on a
         * loopback address (the bridge routes 127/8 with route_localnet) */
        {
                int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
                int dns = bound(self_ns, SOCK_DGRAM, "127.0.0.53", 53);

                close(self_ns);
                check(net_sysctl_set("net/ipv4/conf/sbt0/route_localnet", "1") == 0, "route_localnet on the bridge");
                udp_send(peer, "10.92.0.5", "10.92.0.1", 53, "query");
                check(udp_recv(dns, 3000, text, sizeof(text), src, sizeof(src)) && streq(text, "query") &&
                              streq(src, "10.92.0.5"),
                      "a query to the gateway's port 53 reaches the resolver on 127.0.0.53, from the sandbox's address");
                close(dns);
        }

        /* outbound: masqueraded past the bridge; without it, refused
         * past the bridge and on the host's other addresses */
        {
                int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
                int out = bound(client, SOCK_STREAM, "192.0.2.2", 7000);
                int gw = bound(self_ns, SOCK_STREAM, "10.92.0.1", 7001), other = bound(self_ns, SOCK_STREAM, "192.0.2.1", 7002);

                close(self_ns);
                check(tcp_through(peer, "192.0.2.2", 7000, out, src, sizeof(src), 3000) && streq(src, "192.0.2.1"),
                      "outbound: the sandbox reaches the client, masqueraded (%s)", src);
                check(nft_sandbox_remove(&lease) == 0, "removed, to be added without outbound access");
                lease.outbound = false;
                check(nft_sandbox_add(&rules) == 0, "added without outbound access");
                {
                        _cleanup_free_ char *in = nft_list("list set inet sandbox noout4");
                        _cleanup_free_ char *m = nft_list("list set inet sandbox masq4");

                        check(strstr(in, "10.92.0.5") && !strstr(m, "10.92.0.5"), "its address in noout4, not in masq4");
                }
                check(!tcp_through(peer, "192.0.2.2", 7000, out, src, sizeof(src), 700), "the client is out of its reach");
                check(!tcp_through(peer, "192.0.2.1", 7002, other, src, sizeof(src), 700), "so is another of the host's addresses");
                check(tcp_through(peer, "10.92.0.1", 7001, gw, src, sizeof(src), 3000) && streq(src, "10.92.0.5"),
                      "the gateway is not");
                {
                        int self_ns2 = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
                        int dns = bound(self_ns2, SOCK_DGRAM, "127.0.0.53", 53);

                        close(self_ns2);
                        udp_send(peer, "10.92.0.5", "10.92.0.1", 53, "query");
                        check(udp_recv(dns, 3000, text, sizeof(text), src, sizeof(src)) && streq(text, "query"),
                              "nor the resolver behind the gateway's port 53");
                        close(dns);
                }
                close(out);
                close(gw);
                close(other);
        }

        /* removal */
        check(nft_sandbox_remove(&lease) == 0, "the rules removed");
        check(rules_gone(), "no chain or element of web-1 is left; the shared chains stay");
        check(nft_sandbox_remove(&lease) == 0, "removed twice: no error");

        /* a second sandbox on the bridge: a name that starts with a
         * digit, no IPv6, no outbound access */
        {
                NetLease l2 = {
                        .name = "2db",
                        .bridge = "sbt0",
                        .ifname = "vsb6",
                        .addr4 = addr("10.92.0.7"),
                        .net4 = prefix("10.92.0.1/16"),
                        .gw4 = addr("10.92.0.1"),
                        .ports = { { .protocol = IPPROTO_TCP, .host_port = 8081, .sandbox_port = 81 } },
                        .n_ports = 1,
                };
                NetRules r2 = { .lease = &l2, .dns_to = addr("127.0.0.1") };
                _cleanup_free_ char *nd = NULL, *in = NULL;
                memcpy(r2.mac, mac7, 6);
                check(netlink_veth_make(nl, "vsb6", "vsb6p", -1, mac7, 0, NULL) > 0, "veth vsb6 made, both ends here");
                check(nft_sandbox_add(&r2) == 0, "the rules of 2db added, on the same bridge");
                nd = nft_list("list table netdev sandbox");
                in = nft_list("list table inet sandbox");
                check(strstr(nd, "_2db-from") && strstr(nd, "_2db-to") && strstr(in, "tcp . 8081 : jump _2db-dnat"),
                      "its chains: _2db-from, _2db-to, _2db-dnat (nft takes no name that starts with a digit)");
                check(strstr(nd, "meta protocol ip6 drop") && strstr(in, "elements = { 10.92.0.7 comment \"2db\" }") &&
                              count(in, "\"sbt0\"") == 1,
                      "without IPv6 it sends none; without outbound access its address is in noout4; the bridge once");
                check(strstr(in, "10.92.0.1 : 127.0.0.1") && !strstr(in, "127.0.0.53"),
                      "the host's resolver changed: the gateway leads to the new one");
                l2.ports[1] = (NetPort) { .protocol = IPPROTO_TCP, .host_port = 8443, .sandbox_port = 443,
                                          .host_addr = addr("2001:db8::1") };
                l2.n_ports = 2;
                check(nft_sandbox_add(&r2) == -EINVAL, "a forward from an IPv6 address to a sandbox without IPv6: -EINVAL");
                l2.n_ports = 1;
                {
                        /* 2db's run was not taken down; its address and
                         * forward are new3's now */
                        NetLease l3 = l2;
                        NetRules r3 = r2;
                        _cleanup_free_ char *set = NULL, *map = NULL;

                        strcpy(l3.name, "new3");
                        r3.lease = &l3;
                        check(nft_sandbox_add(&r3) == 0, "new3 added with 2db's address and forward, left from 2db");
                        check(nft_sandbox_remove(&l2) == 0, "then 2db's taken down");
                        set = nft_list("list set inet sandbox noout4");
                        map = nft_list("list map inet sandbox ports");
                        check(strstr(set, "10.92.0.7 comment \"new3\"") && strstr(map, "tcp . 8081 : jump new3-dnat"),
                              "new3's address and forward are left as they are");
                        check(nft_sandbox_remove(&l3) == 0, "new3's rules removed");
                }
                check(nft_sandbox_remove(&l2) == 0, "2db's rules removed");
                free(nd);
                free(in);
                nd = nft_list("list table netdev sandbox");
                in = nft_list("list table inet sandbox");
                check(!strstr(nd, "2db") && !strstr(in, "2db") && !strstr(in, "new3") && !strstr(in, "8081") &&
                              !strstr(in, "10.92.0.7"),
                      "none of 2db's or new3's is left");
        }

        /* a netdev chain whose device goes */
        check(nft_sandbox_add(&rules) == 0, "web-1 added once more");
        check(netlink_link_delete(nl, "vsb5") == 0, "vsb5 deleted (eth0 goes with it)");
        check(netlink_link_index(np, "eth0") == -ENODEV, "eth0 gone from the sandbox's namespace");
        {
                _cleanup_free_ char *nd = nft_list("list table netdev sandbox");

                printf("# with its device gone, this kernel %s the netdev chain\n",
                       strstr(nd, "web-1-from") ? "keeps" : "removes");
        }
        check(nft_sandbox_remove(&lease) == 0 && rules_gone(), "removed, with the device gone: nothing left");
        check(netlink_link_delete(nl, "vsb5") == -ENODEV, "deleted again: -ENODEV");

        /* left from a run that was not taken down, on another device now */
        strcpy(lease.ifname, "vsb6");
        check(nft_sandbox_add(&rules) == 0, "web-1 added on vsb6");
        check(netlink_veth_make(nl, "vsb8", "vsb8p", -1, mac5, 0, NULL) > 0, "veth vsb8 made");
        strcpy(lease.ifname, "vsb8");
        check(nft_sandbox_add(&rules) == 0, "web-1 added on vsb8, its chains on vsb6 not taken down before");
        {
                _cleanup_free_ char *nd = nft_list("list table netdev sandbox");

                check(count(nd, "device \"vsb8\"") == 2 && !strstr(nd, "vsb6") && count(nd, "chain web-1-from") == 1,
                      "its chains are on vsb8 alone");
        }
        check(nft_sandbox_remove(&lease) == 0 && rules_gone(), "removed: nothing left");
        check(netlink_link_delete(nl, "vsb8") == 0, "vsb8 deleted");
        check(netlink_link_delete(nl, "vsb6") == 0, "vsb6 deleted");

        close(rx4);
        close(rx6);
        close(peer);
        close(client);
}

int main(void) {
        pid_t pid;
        int status;

        log_set_program("test-net-parts");
        if (geteuid() != 0) {
                printf("1..0 # SKIP needs root, for network namespaces of its own\n");
                return 77;
        }
        fflush(stdout);
        pid = fork();
        if (pid < 0)
                return 1;
        if (pid == 0) {
                if (unshare(CLONE_NEWNET) < 0) {
                        printf("1..0 # SKIP no network namespaces here: %s\n", strerror(errno));
                        fflush(stdout);
                        _exit(77);
                }
                /* the rules' lock goes to /run/sandbox/.network: a
                 * /run of the test's own, in a mount namespace of its own */
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
                    mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") < 0) {
                        printf("1..0 # SKIP no mount namespace with a /run of its own: %s\n", strerror(errno));
                        fflush(stdout);
                        _exit(77);
                }
                test_all();
                printf("1..%u\n", tap_n);
                fflush(stdout);
                _exit(tap_failed ? 1 : 0);
        }
        if (waitpid(pid, &status, 0) < 0)
                return 1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
