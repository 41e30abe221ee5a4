/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-bridge: a bridged sandbox's network (<network mode="bridge">),
 * from inside, and the test's listeners outside. One program, several
 * uses:
 *
 *   net-bridge info
 *       eth0's addresses, link-layer address and state, lo's state, the
 *       default route, the links there are
 *   net-bridge listen udp|tcp ADDRESS PORT SECONDS
 *       "listening", then "got SOURCE TEXT" for each datagram, or each
 *       connection's first line; ends after SECONDS
 *   net-bridge connect ADDRESS PORT TEXT
 *       a TCP connection (3 s at most), TEXT sent on it: "connect RESULT"
 *       and "local ADDRESS"
 *   net-bridge send ADDRESS PORT TEXT
 *       one UDP datagram: "send RESULT"
 *   net-bridge links OTHER-IFNAME
 *       the attempts of a root service keeping CAP_NET_ADMIN on the
 *       host's links: by name, and through the network namespace id the
 *       kernel gives the namespace of eth0's peer (list them, make a link
 *       on the bridge there, delete OTHER-IFNAME, move eth0 there)
 *   net-bridge spoof OTHER GATEWAY PORT LOOP-PORT TOKEN
 *       the attempts of a root service keeping CAP_NET_ADMIN and
 *       CAP_NET_RAW to send as another: OTHER's address, the gateway's,
 *       another link-layer address, a gratuitous ARP for OTHER, and IPv4
 *       to 127.0.0.1 through the gateway. Each datagram sent carries a
 *       text "KIND-TOKEN" for the listeners (UDP to PORT; LOOP-PORT on
 *       127.0.0.1) to be asked about.
 *   net-bridge spoof6 OTHER6 OTHER-LINK-LOCAL GATEWAY GATEWAY6 PORT LOOP-PORT TOKEN
 *       the same with IPv6, raw (CAP_NET_RAW): as OTHER6, as the other's
 *       link-local address ("-": not tried), as the gateway, and to ::1, to the link-layer address the gateway has
 *       for IPv4 (one bridge); "control6-TOKEN" and "rawcontrol6-TOKEN"
 *       sent as itself; then neighbour advertisements that OTHER6 and
 *       the other's link-local address are at its own link-layer address
 */
#include "probe.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#ifndef IFLA_TARGET_NETNSID
#define IFLA_TARGET_NETNSID 46
#endif

/* --- rtnetlink, by hand --- */

typedef struct Req {
        struct nlmsghdr h;
        char body[4096];
} Req;

static void *req_tail(Req *r) {
        return (char *) &r->h + NLMSG_ALIGN(r->h.nlmsg_len);
}

static void req_init(Req *r, uint16_t type, uint16_t flags, const void *hdr, size_t n) {
        memset(r, 0, sizeof(*r));
        r->h.nlmsg_len = NLMSG_LENGTH(n);
        r->h.nlmsg_type = type;
        r->h.nlmsg_flags = NLM_F_REQUEST | flags;
        r->h.nlmsg_seq = (uint32_t) time(NULL);
        memcpy(NLMSG_DATA(&r->h), hdr, n);
}

static struct rtattr *attr_add(Req *r, uint16_t type, const void *data, size_t n) {
        struct rtattr *a = req_tail(r);

        a->rta_type = type;
        a->rta_len = RTA_LENGTH(n);
        if (n)
                memcpy(RTA_DATA(a), data, n);
        r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
        return a;
}

static void attr_end(Req *r, struct rtattr *nest) {
        nest->rta_len = (unsigned short) ((char *) req_tail(r) - (char *) nest);
}

static int nl_open(void) {
        int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        struct timeval tv = { .tv_sec = 3 };

        if (s >= 0)
                (void) setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        return s;
}

/* Sends r and reads the answer: each RTM_NEWLINK of a dump goes to
 * link(), when given. Returns 0, or -1 with errno the kernel's. */
static int nl_talk(Req *r, void (*link)(struct ifinfomsg *, struct rtattr **, void *), void *userdata) {
        char buf[32768];
        int s = nl_open(), err = 0;
        bool done = false;

        if (s < 0)
                return -1;
        r->h.nlmsg_flags |= NLM_F_ACK;
        if (send(s, r, r->h.nlmsg_len, 0) < 0) {
                err = errno;
                goto out;
        }
        while (!done) {
                ssize_t n = recv(s, buf, sizeof(buf), 0);

                if (n <= 0) {
                        err = n < 0 ? errno : EIO;
                        break;
                }
                for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
                        if (h->nlmsg_type == NLMSG_DONE) {
                                /* a dump's own error, after it */
                                if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *(int *) NLMSG_DATA(h) < 0)
                                        err = -*(int *) NLMSG_DATA(h);
                                done = true;
                                break;
                        }
                        if (h->nlmsg_type == NLMSG_ERROR) {
                                err = -((struct nlmsgerr *) NLMSG_DATA(h))->error;
                                done = true;
                                break;
                        }
                        if (h->nlmsg_type == RTM_NEWLINK && link) {
                                struct ifinfomsg *i = NLMSG_DATA(h);
                                struct rtattr *tb[IFLA_MAX + 1] = {};
                                int len = (int) IFLA_PAYLOAD(h);

                                for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len))
                                        if (a->rta_type <= IFLA_MAX)
                                                tb[a->rta_type] = a;
                                link(i, tb, userdata);
                        }
                }
        }
out:
        close(s);
        errno = err;
        return err ? -1 : 0;
}

typedef struct Names {
        char list[1024];
        int nsid; /* eth0's IFLA_LINK_NETNSID, -1: none */
} Names;

static void name_collect(struct ifinfomsg *i, struct rtattr **tb, void *userdata) {
        Names *n = userdata;
        const char *name = tb[IFLA_IFNAME] ? RTA_DATA(tb[IFLA_IFNAME]) : "?";

        (void) i;
        if (strlen(n->list) + strlen(name) + 2 < sizeof(n->list)) {
                if (n->list[0])
                        strcat(n->list, ",");
                strcat(n->list, name);
        }
        if (strcmp(name, "eth0") == 0 && tb[IFLA_LINK_NETNSID])
                n->nsid = *(int32_t *) RTA_DATA(tb[IFLA_LINK_NETNSID]);
}

/* the links of this namespace, or (nsid >= 0) of the one with that id */
static int links_dump(int nsid, Names *n) {
        struct ifinfomsg i = { .ifi_family = AF_UNSPEC };
        Req r;

        memset(n, 0, sizeof(*n));
        n->nsid = -1;
        req_init(&r, RTM_GETLINK, NLM_F_DUMP, &i, sizeof(i));
        if (nsid >= 0)
                attr_add(&r, IFLA_TARGET_NETNSID, &(int32_t) { nsid }, sizeof(int32_t));
        return nl_talk(&r, name_collect, n);
}

/* --- info --- */

static void mac_string(const uint8_t *m, char out[static 18]) {
        snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int link_mac(const char *ifname, uint8_t mac[static 6]) {
        struct ifreq ifr = {};
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
        r = s < 0 ? -1 : ioctl(s, SIOCGIFHWADDR, &ifr);
        if (r == 0)
                memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
        if (s >= 0)
                close(s);
        return r;
}

static const char *link_up(const char *ifname) {
        struct ifreq ifr = {};
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
        r = s < 0 ? -1 : ioctl(s, SIOCGIFFLAGS, &ifr);
        if (s >= 0)
                close(s);
        if (r < 0)
                return probe_errname(errno);
        return ifr.ifr_flags & IFF_UP ? "yes" : "no";
}

static int info(void) {
        struct ifaddrs *ifa = NULL;
        char a4[64] = "none", a6[80] = "none", text[INET6_ADDRSTRLEN], m[18], line[256];
        uint8_t mac[6];
        Names n;
        FILE *f;
        bool route = false;

        if (links_dump(-1, &n) < 0)
                step("links", -1);
        else
                say("links", "%s", n.list);
        if (getifaddrs(&ifa) == 0) {
                for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
                        if (!i->ifa_addr || strcmp(i->ifa_name, "eth0") != 0)
                                continue;
                        if (i->ifa_addr->sa_family == AF_INET) {
                                struct in_addr mask = ((struct sockaddr_in *) i->ifa_netmask)->sin_addr;

                                inet_ntop(AF_INET, &((struct sockaddr_in *) i->ifa_addr)->sin_addr, text, sizeof(text));
                                snprintf(a4, sizeof(a4), "%s/%d", text, __builtin_popcount(mask.s_addr));
                        } else if (i->ifa_addr->sa_family == AF_INET6) {
                                struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) i->ifa_addr;

                                if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
                                        continue;
                                inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
                                snprintf(a6, sizeof(a6), "%s", text);
                        }
                }
                freeifaddrs(ifa);
        }
        say("eth0-addr4", "%s", a4);
        say("eth0-addr6", "%s", a6);
        if (link_mac("eth0", mac) < 0)
                step("eth0-mac", -1);
        else {
                mac_string(mac, m);
                say("eth0-mac", "%s", m);
        }
        say("eth0-up", "%s", link_up("eth0"));
        say("lo-up", "%s", link_up("lo"));
        /* Iface Destination Gateway ...: the default route's gateway */
        f = fopen("/proc/net/route", "re");
        while (f && fgets(line, sizeof(line), f)) {
                char dev[32];
                unsigned dst, gw;

                if (sscanf(line, "%31s %x %x", dev, &dst, &gw) == 3 && dst == 0) {
                        inet_ntop(AF_INET, &gw, text, sizeof(text));
                        say("default-route", "%s:%s", dev, text);
                        route = true;
                }
        }
        if (f)
                fclose(f);
        if (!route)
                say("default-route", "none");
        return 0;
}

/* --- listen, connect, send --- */

static int sockaddr_of(const char *addr, unsigned port, struct sockaddr_storage *sa, socklen_t *len) {
        struct sockaddr_in *s4 = (struct sockaddr_in *) sa;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) sa;

        memset(sa, 0, sizeof(*sa));
        if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
                s4->sin_family = AF_INET;
                s4->sin_port = htons(port);
                *len = sizeof(*s4);
                return AF_INET;
        }
        char plain[INET6_ADDRSTRLEN];
        const char *pct = strchr(addr, '%');

        /* ADDRESS%IFNAME: a link-local one, on that link */
        if (pct && (size_t) (pct - addr) < sizeof(plain)) {
                memcpy(plain, addr, (size_t) (pct - addr));
                plain[pct - addr] = 0;
                s6->sin6_scope_id = if_nametoindex(pct + 1);
                addr = plain;
        }
        if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
                s6->sin6_family = AF_INET6;
                s6->sin6_port = htons(port);
                *len = sizeof(*s6);
                return AF_INET6;
        }
        return -1;
}

static const char *addr_string(const struct sockaddr_storage *sa, char out[static INET6_ADDRSTRLEN]) {
        if (sa->ss_family == AF_INET)
                return inet_ntop(AF_INET, &((struct sockaddr_in *) sa)->sin_addr, out, INET6_ADDRSTRLEN);
        return inet_ntop(AF_INET6, &((struct sockaddr_in6 *) sa)->sin6_addr, out, INET6_ADDRSTRLEN);
}

static void got(const struct sockaddr_storage *from, char *buf, ssize_t n) {
        char a[INET6_ADDRSTRLEN];

        for (ssize_t i = 0; i < n; i++)
                if (buf[i] == '\n' || buf[i] == 0 || buf[i] == ' ')
                        buf[i] = n - 1 == i ? 0 : '|';
        printf("got %s %.*s\n", addr_string(from, a), (int) strnlen(buf, (size_t) n), buf);
        fflush(stdout);
}

static int listen_on(const char *proto, const char *addr, unsigned port, int seconds) {
        struct sockaddr_storage sa;
        socklen_t len;
        const bool tcp = strcmp(proto, "tcp") == 0;
        int family = sockaddr_of(addr, port, &sa, &len), s;
        time_t end = time(NULL) + seconds;

        if (family < 0)
                return 2;
        s = socket(family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
        if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int) { 1 }, sizeof(int)) < 0 ||
            bind(s, (struct sockaddr *) &sa, len) < 0 || (tcp && listen(s, 16) < 0)) {
                step("listen", -1);
                return 1;
        }
        say("listening", "%s", proto);
        while (time(NULL) < end) {
                struct pollfd p = { .fd = s, .events = POLLIN };
                struct sockaddr_storage from;
                socklen_t fl = sizeof(from);
                char buf[512];
                ssize_t n;

                if (poll(&p, 1, 200) <= 0)
                        continue;
                if (!tcp) {
                        n = recvfrom(s, buf, sizeof(buf) - 1, 0, (struct sockaddr *) &from, &fl);
                        if (n > 0)
                                got(&from, buf, n);
                        continue;
                }
                int c = accept4(s, (struct sockaddr *) &from, &fl, SOCK_CLOEXEC);
                struct timeval tv = { .tv_sec = 2 };

                if (c < 0)
                        continue;
                (void) setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
                n = recv(c, buf, sizeof(buf) - 1, 0);
                got(&from, buf, n > 0 ? n : 0);
                (void) send(c, "ok\n", 3, MSG_NOSIGNAL);
                close(c);
        }
        return 0;
}

static int connect_to(const char *addr, unsigned port, const char *text) {
        struct sockaddr_storage sa, local;
        socklen_t len, ll = sizeof(local);
        int family = sockaddr_of(addr, port, &sa, &len), s, r;
        struct pollfd p;
        char a[INET6_ADDRSTRLEN], buf[16];

        if (family < 0)
                return 2;
        s = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (s < 0)
                return step("connect", -1), 0;
        r = connect(s, (struct sockaddr *) &sa, len);
        if (r < 0 && errno == EINPROGRESS) {
                p = (struct pollfd) { .fd = s, .events = POLLOUT };
                if (poll(&p, 1, 3000) <= 0) {
                        errno = ETIMEDOUT;
                } else {
                        int e = 0;
                        socklen_t el = sizeof(e);

                        (void) getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &el);
                        errno = e;
                        r = e ? -1 : 0;
                }
        }
        step("connect", r);
        if (r < 0)
                return 0;
        if (getsockname(s, (struct sockaddr *) &local, &ll) == 0)
                say("local", "%s", addr_string(&local, a));
        (void) send(s, text, strlen(text), MSG_NOSIGNAL);
        (void) send(s, "\n", 1, MSG_NOSIGNAL);
        p = (struct pollfd) { .fd = s, .events = POLLIN };
        if (poll(&p, 1, 3000) > 0 && recv(s, buf, sizeof(buf), 0) > 0)
                say("answer", "%.2s", buf);
        else
                say("answer", "none");
        close(s);
        return 0;
}

static long udp_send(const char *addr, unsigned port, const char *text, const char *from) {
        struct sockaddr_storage sa, src;
        socklen_t len, sl;
        int family = sockaddr_of(addr, port, &sa, &len), s;
        long r;

        if (family < 0)
                return errno = EINVAL, -1;
        s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                return -1;
        if (from && (sockaddr_of(from, 0, &src, &sl) < 0 || bind(s, (struct sockaddr *) &src, sl) < 0)) {
                close(s);
                return -1;
        }
        r = sendto(s, text, strlen(text), 0, (struct sockaddr *) &sa, len);
        close(s);
        return r;
}

/* --- escape --- */

static uint16_t ip_sum(const void *data, size_t n) {
        const uint16_t *p = data;
        uint32_t sum = 0;

        for (; n > 1; n -= 2)
                sum += *p++;
        while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
        return (uint16_t) ~sum;
}

/* an Ethernet frame with IPv4 and UDP, built by hand and sent on eth0 as
 * it is: whatever link-layer and IPv4 source it says */
static long raw_udp(int ifindex, const uint8_t src_mac[6], const uint8_t dst_mac[6], in_addr_t src, in_addr_t dst,
                    unsigned port, const char *text) {
        uint8_t frame[256];
        struct ether_header *eh = (struct ether_header *) frame;
        struct iphdr *ip = (struct iphdr *) (eh + 1);
        struct udphdr *udp = (struct udphdr *) (ip + 1);
        size_t payload = strlen(text), total = sizeof(*ip) + sizeof(*udp) + payload;
        struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
        int s;
        long r;

        if (sizeof(*eh) + total > sizeof(frame))
                return errno = E2BIG, -1;
        memset(frame, 0, sizeof(frame));
        memcpy(eh->ether_dhost, dst_mac, 6);
        memcpy(eh->ether_shost, src_mac, 6);
        eh->ether_type = htons(ETHERTYPE_IP);
        ip->version = 4;
        ip->ihl = 5;
        ip->ttl = 64;
        ip->protocol = IPPROTO_UDP;
        ip->tot_len = htons((uint16_t) total);
        ip->saddr = src;
        ip->daddr = dst;
        ip->check = ip_sum(ip, sizeof(*ip));
        udp->source = htons(40000);
        udp->dest = htons((uint16_t) port);
        udp->len = htons((uint16_t) (sizeof(*udp) + payload));
        udp->check = 0; /* none: allowed for IPv4 */
        memcpy(udp + 1, text, payload);
        memcpy(ll.sll_addr, dst_mac, 6);
        s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (s < 0)
                return -1;
        r = sendto(s, frame, sizeof(*eh) + total, 0, (struct sockaddr *) &ll, sizeof(ll));
        close(s);
        return r;
}

/* an Ethernet frame with IPv6 and the upper-layer data given (next
 * header nh), its checksum at csum_at filled in over the pseudo-header */
static long raw_ip6(int ifindex, const uint8_t src_mac[6], const uint8_t dst_mac[6], const struct in6_addr *src,
                    const struct in6_addr *dst, uint8_t nh, uint8_t hop_limit, const uint8_t *data, size_t n,
                    size_t csum_at) {
        uint8_t frame[256], pseudo[40 + 200] = {};
        struct ether_header *eh = (struct ether_header *) frame;
        struct ip6_hdr *ip = (struct ip6_hdr *) (eh + 1);
        uint8_t *upper = (uint8_t *) (ip + 1);
        struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
        uint16_t sum;
        int s;
        long r;

        if (n > 200 || sizeof(*eh) + sizeof(*ip) + n > sizeof(frame))
                return errno = E2BIG, -1;
        memset(frame, 0, sizeof(frame));
        memcpy(eh->ether_dhost, dst_mac, 6);
        memcpy(eh->ether_shost, src_mac, 6);
        eh->ether_type = htons(ETHERTYPE_IPV6);
        ip->ip6_flow = htonl(6U << 28);
        ip->ip6_plen = htons((uint16_t) n);
        ip->ip6_nxt = nh;
        ip->ip6_hlim = hop_limit;
        ip->ip6_src = *src;
        ip->ip6_dst = *dst;
        memcpy(upper, data, n);
        /* source, destination, length, next header; then the data */
        memcpy(pseudo, src, 16);
        memcpy(pseudo + 16, dst, 16);
        pseudo[34] = (uint8_t) (n >> 8);
        pseudo[35] = (uint8_t) n;
        pseudo[39] = nh;
        memcpy(pseudo + 40, upper, n);
        sum = ip_sum(pseudo, 40 + n + (n & 1));
        if (nh == IPPROTO_UDP && !sum)
                sum = 0xffff;
        memcpy(upper + csum_at, &sum, 2);
        memcpy(ll.sll_addr, dst_mac, 6);
        s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (s < 0)
                return -1;
        r = sendto(s, frame, sizeof(*eh) + sizeof(*ip) + n, 0, (struct sockaddr *) &ll, sizeof(ll));
        close(s);
        return r;
}

/* the same with IPv6, whose UDP checksum is not optional */
static long raw_udp6(int ifindex, const uint8_t src_mac[6], const uint8_t dst_mac[6], const struct in6_addr *src,
                     const struct in6_addr *dst, unsigned port, const char *text) {
        uint8_t data[200] = {};
        struct udphdr *udp = (struct udphdr *) data;
        size_t payload = strlen(text), n = sizeof(*udp) + payload;

        if (n > sizeof(data))
                return errno = E2BIG, -1;
        udp->source = htons(40000);
        udp->dest = htons((uint16_t) port);
        udp->len = htons((uint16_t) n);
        memcpy(udp + 1, text, payload);
        return raw_ip6(ifindex, src_mac, dst_mac, src, dst, IPPROTO_UDP, 64, data, n, offsetof(struct udphdr, check));
}

/* an unsolicited neighbour advertisement to all nodes, overriding: "target
 * is at mac" */
static long raw_na(int ifindex, const uint8_t mac[6], const struct in6_addr *src, const struct in6_addr *target) {
        const uint8_t all_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
        struct in6_addr all;
        uint8_t data[32] = { 136, 0, 0, 0, 0x20, 0, 0, 0 };

        inet_pton(AF_INET6, "ff02::1", &all);
        memcpy(data + 8, target, 16);
        data[24] = 2; /* the target's link-layer address, 8 bytes */
        data[25] = 1;
        memcpy(data + 26, mac, 6);
        return raw_ip6(ifindex, mac, all_mac, src, &all, IPPROTO_ICMPV6, 255, data, sizeof(data), 2);
}

/* an ARP reply "IP is at MAC", to dst_mac */
static long raw_arp(int ifindex, const uint8_t mac[6], in_addr_t ip, const uint8_t dst_mac[6], in_addr_t dst_ip) {
        uint8_t frame[64] = {};
        struct ether_header *eh = (struct ether_header *) frame;
        struct arphdr *arp = (struct arphdr *) (eh + 1);
        uint8_t *p = (uint8_t *) (arp + 1);
        struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
        int s;
        long r;

        memcpy(eh->ether_dhost, dst_mac, 6);
        memcpy(eh->ether_shost, mac, 6);
        eh->ether_type = htons(ETHERTYPE_ARP);
        arp->ar_hrd = htons(ARPHRD_ETHER);
        arp->ar_pro = htons(ETHERTYPE_IP);
        arp->ar_hln = 6;
        arp->ar_pln = 4;
        arp->ar_op = htons(ARPOP_REPLY);
        memcpy(p, mac, 6);
        memcpy(p + 6, &ip, 4);
        memcpy(p + 10, dst_mac, 6);
        memcpy(p + 16, &dst_ip, 4);
        memcpy(ll.sll_addr, dst_mac, 6);
        s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (s < 0)
                return -1;
        r = sendto(s, frame, 60, 0, (struct sockaddr *) &ll, sizeof(ll));
        close(s);
        return r;
}

/* the link-layer address of ip in this namespace's neighbour table */
static int neighbour(const char *ip, uint8_t mac[static 6]) {
        char line[256], a[64], m[64];
        unsigned b[6];
        FILE *f = fopen("/proc/net/arp", "re");
        int r = -1;

        errno = ENOENT;
        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "%63s %*s %*s %63s", a, m) == 2 && strcmp(a, ip) == 0 &&
                    sscanf(m, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) == 6) {
                        for (int i = 0; i < 6; i++)
                                mac[i] = (uint8_t) b[i];
                        r = 0;
                }
        if (f)
                fclose(f);
        return r;
}

static long addr_add(int ifindex, in_addr_t a) {
        struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = (unsigned) ifindex };
        Req r;

        req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
        attr_add(&r, IFA_LOCAL, &a, 4);
        attr_add(&r, IFA_ADDRESS, &a, 4);
        return nl_talk(&r, NULL, NULL);
}

static long mac_set(int ifindex, const uint8_t mac[6]) {
        struct ifinfomsg i = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
        Req r;

        req_init(&r, RTM_NEWLINK, 0, &i, sizeof(i));
        attr_add(&r, IFLA_ADDRESS, mac, 6);
        return nl_talk(&r, NULL, NULL);
}

/* the veth pair "escape0" (in the namespace nsid) and "escape1" (here),
 * escape0 on the bridge there and up: a link of the bridge's without
 * the host's chain on it */
static long link_make_there(int nsid, int bridge_index) {
        struct ifinfomsg i = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
        struct ifinfomsg peer = { .ifi_family = AF_UNSPEC };
        struct rtattr *info, *data, *p;
        Req r;

        req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &i, sizeof(i));
        attr_add(&r, IFLA_IFNAME, "escape0", 8);
        attr_add(&r, IFLA_TARGET_NETNSID, &(int32_t) { nsid }, sizeof(int32_t));
        if (bridge_index > 0)
                attr_add(&r, IFLA_MASTER, &(uint32_t) { (uint32_t) bridge_index }, sizeof(uint32_t));
        info = attr_add(&r, IFLA_LINKINFO, NULL, 0);
        attr_add(&r, IFLA_INFO_KIND, "veth", 5);
        data = attr_add(&r, IFLA_INFO_DATA, NULL, 0);
        p = attr_add(&r, VETH_INFO_PEER, &peer, sizeof(peer));
        attr_add(&r, IFLA_IFNAME, "escape1", 8);
        attr_add(&r, IFLA_NET_NS_PID, &(uint32_t) { (uint32_t) getpid() }, sizeof(uint32_t));
        attr_end(&r, p);
        attr_end(&r, data);
        attr_end(&r, info);
        return nl_talk(&r, NULL, NULL);
}

static long link_delete_there(int nsid, const char *ifname) {
        struct ifinfomsg i = { .ifi_family = AF_UNSPEC };
        Req r;

        req_init(&r, RTM_DELLINK, 0, &i, sizeof(i));
        attr_add(&r, IFLA_IFNAME, ifname, strlen(ifname) + 1);
        attr_add(&r, IFLA_TARGET_NETNSID, &(int32_t) { nsid }, sizeof(int32_t));
        return nl_talk(&r, NULL, NULL);
}

static long link_move(int ifindex, int nsid) {
        struct ifinfomsg i = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
        Req r;

        req_init(&r, RTM_NEWLINK, 0, &i, sizeof(i));
        attr_add(&r, IFLA_TARGET_NETNSID, &(int32_t) { nsid }, sizeof(int32_t));
        return nl_talk(&r, NULL, NULL);
}

/* the index of bridge in the namespace nsid: 0 when not seen */
static void index_of_bridge(struct ifinfomsg *i, struct rtattr **tb, void *userdata) {
        if (tb[IFLA_IFNAME] && strcmp(RTA_DATA(tb[IFLA_IFNAME]), "sandbox0") == 0)
                *(int *) userdata = i->ifi_index;
}

static int escape_links(const char *other_if) {
        int eth0 = (int) if_nametoindex("eth0"), bridge = 0;
        Names n;

        /* what is in reach by name: only its own namespace's links */
        step("bridge-index", if_nametoindex("sandbox0") ? 0 : -1);
        step("other-if-index", if_nametoindex(other_if) ? 0 : -1);
        if (links_dump(-1, &n) < 0)
                step("links", -1);
        else
                say("links", "%s", n.list);
        if (n.nsid < 0)
                say("host-nsid", "none");
        else
                say("host-nsid", "%d", n.nsid);

        /* the id of the namespace of eth0's peer: the host's, for
         * rtnetlink's IFLA_TARGET_NETNSID (checked against CAP_NET_ADMIN
         * in the user namespace that namespace belongs to) */
        if (n.nsid >= 0) {
                Names there;
                Req r;
                struct ifinfomsg i = { .ifi_family = AF_UNSPEC };

                if (links_dump(n.nsid, &there) < 0)
                        step("host-links", -1);
                else
                        say("host-links", "ok:%s", there.list);
                req_init(&r, RTM_GETLINK, NLM_F_DUMP, &i, sizeof(i));
                attr_add(&r, IFLA_TARGET_NETNSID, &(int32_t) { n.nsid }, sizeof(int32_t));
                (void) nl_talk(&r, index_of_bridge, &bridge);
                step("host-link-make", link_make_there(n.nsid, bridge));
                step("host-link-delete-other", link_delete_there(n.nsid, other_if));
        }
        step("unshare-net", unshare(CLONE_NEWNET));
        /* last, as it takes eth0 away if it works */
        if (n.nsid >= 0)
                step("move-eth0", link_move(eth0, n.nsid));
        step("eth0-after", if_nametoindex("eth0") ? 0 : -1);
        return 0;
}

static int escape_spoof(const char *other, const char *gw, unsigned port, unsigned loop_port, const char *token) {
        uint8_t own_mac[6], gw_mac[6], other_mac[6], fake_mac[6] = { 0x02, 0x5a, 0xee, 0xee, 0xee, 0xee };
        const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
        in_addr_t own_ip = 0, other_ip = inet_addr(other), gw_ip = inet_addr(gw), loop_ip = inet_addr("127.0.0.1");
        struct ifaddrs *ifa = NULL;
        int eth0 = (int) if_nametoindex("eth0");
        char text[128];

        if (getifaddrs(&ifa) == 0) {
                for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
                        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && strcmp(i->ifa_name, "eth0") == 0)
                                own_ip = ((struct sockaddr_in *) i->ifa_addr)->sin_addr.s_addr;
                freeifaddrs(ifa);
        }
        if (!eth0 || !own_ip || link_mac("eth0", own_mac) < 0) {
                say("eth0", "missing");
                return 0;
        }
        /* 02:5a and the IPv4 address: the other's link-layer address */
        memcpy(other_mac, (const uint8_t[2]) { 0x02, 0x5a }, 2);
        memcpy(other_mac + 2, &other_ip, 4);

        /* controls: as itself, through the kernel and raw */
        snprintf(text, sizeof(text), "control-%s", token);
        step("send-control", udp_send(gw, port, text, NULL));
        usleep(300 * 1000);
        if (neighbour(gw, gw_mac) < 0) {
                step("gateway-mac", -1);
                return 0;
        }
        snprintf(text, sizeof(text), "rawcontrol-%s", token);
        step("raw-control", raw_udp(eth0, own_mac, gw_mac, own_ip, gw_ip, port, text));
        snprintf(text, sizeof(text), "rawcontrol-other-%s", token);
        step("raw-control-other", raw_udp(eth0, own_mac, other_mac, own_ip, other_ip, port, text));

        /* as another, raw */
        snprintf(text, sizeof(text), "spoof-other-%s", token);
        step("raw-as-other", raw_udp(eth0, own_mac, gw_mac, other_ip, gw_ip, port, text));
        snprintf(text, sizeof(text), "spoof-gateway-%s", token);
        step("raw-as-gateway", raw_udp(eth0, own_mac, other_mac, gw_ip, other_ip, port, text));
        snprintf(text, sizeof(text), "spoof-mac-%s", token);
        step("raw-other-mac", raw_udp(eth0, other_mac, gw_mac, own_ip, gw_ip, port, text));
        snprintf(text, sizeof(text), "spoof-fake-mac-%s", token);
        step("raw-fake-mac", raw_udp(eth0, fake_mac, gw_mac, own_ip, gw_ip, port, text));
        snprintf(text, sizeof(text), "loopback-%s", token);
        step("raw-loopback", raw_udp(eth0, own_mac, gw_mac, own_ip, loop_ip, loop_port, text));
        snprintf(text, sizeof(text), "loopback-as-gateway-%s", token);
        step("raw-loopback-as-gateway", raw_udp(eth0, own_mac, gw_mac, gw_ip, loop_ip, loop_port, text));
        /* "OTHER is at this link-layer address", to the gateway and to
         * all, past the host's locktime (1 s) for its neighbour entry */
        usleep(1200 * 1000);
        for (int k = 0; k < 3; k++) {
                stepf(raw_arp(eth0, own_mac, other_ip, gw_mac, gw_ip), "arp-as-other-%d", k);
                stepf(raw_arp(eth0, own_mac, other_ip, broadcast, gw_ip), "arp-as-other-all-%d", k);
                usleep(100 * 1000);
        }

        /* as another, through the kernel: its own address changed, its own
         * link-layer address changed; each sent only once changed */
        snprintf(text, sizeof(text), "kernel-as-other-%s", token);
        if (step("address-add-other", addr_add(eth0, other_ip)) >= 0)
                step("send-as-other", udp_send(gw, port, text, other));
        else
                say("send-as-other", "not-sent");
        usleep(200 * 1000);
        snprintf(text, sizeof(text), "kernel-other-mac-%s", token);
        if (step("mac-set-other", mac_set(eth0, other_mac)) >= 0)
                step("send-other-mac", udp_send(gw, port, text, NULL));
        else
                say("send-other-mac", "not-sent");
        usleep(200 * 1000);
        return 0;
}

static int escape_spoof6(const char *other6, const char *other_ll6, const char *gw4, const char *gw6, unsigned port,
                         unsigned loop_port, const char *token) {
        struct in6_addr own = {}, own_ll = {}, other, gw, loop = IN6ADDR_LOOPBACK_INIT, ll, *other_ll = NULL;
        bool have_ll = false;
        uint8_t own_mac[6], gw_mac[6];
        struct ifaddrs *ifa = NULL;
        int eth0 = (int) if_nametoindex("eth0");
        bool have = false;
        char text[128];

        if (inet_pton(AF_INET6, other6, &other) != 1 || inet_pton(AF_INET6, gw6, &gw) != 1)
                return 2;
        if (inet_pton(AF_INET6, other_ll6, &ll) == 1)
                other_ll = &ll;
        if (getifaddrs(&ifa) == 0) {
                for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
                        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6 && strcmp(i->ifa_name, "eth0") == 0) {
                                const struct in6_addr *a = &((struct sockaddr_in6 *) i->ifa_addr)->sin6_addr;

                                if (IN6_IS_ADDR_LINKLOCAL(a)) {
                                        own_ll = *a;
                                        have_ll = true;
                                } else {
                                        own = *a;
                                        have = true;
                                }
                        }
                freeifaddrs(ifa);
        }
        if (!eth0 || !have || link_mac("eth0", own_mac) < 0) {
                say("eth0", "missing");
                return 0;
        }
        /* the bridge's link-layer address, learnt through IPv4 */
        snprintf(text, sizeof(text), "control4-%s", token);
        (void) udp_send(gw4, port, text, NULL);
        usleep(300 * 1000);
        if (neighbour(gw4, gw_mac) < 0) {
                step("gateway-mac", -1);
                return 0;
        }
        snprintf(text, sizeof(text), "control6-%s", token);
        step("send-control6", udp_send(gw6, port, text, NULL));
        snprintf(text, sizeof(text), "rawcontrol6-%s", token);
        step("raw6-control", raw_udp6(eth0, own_mac, gw_mac, &own, &gw, port, text));
        snprintf(text, sizeof(text), "spoof6-other-%s", token);
        step("raw6-as-other", raw_udp6(eth0, own_mac, gw_mac, &other, &gw, port, text));
        snprintf(text, sizeof(text), "spoof6-gateway-%s", token);
        step("raw6-as-gateway", raw_udp6(eth0, own_mac, gw_mac, &gw, &gw, port, text));
        /* the other's link-local address, as its kernel makes it from
         * its link-layer address (EUI-64): 02:5a:a:b:c:d gives
         * fe80::5a:aff:feb:cd */
        if (other_ll) {
                snprintf(text, sizeof(text), "spoof6-other-link-local-%s", token);
                step("raw6-as-other-link-local", raw_udp6(eth0, own_mac, gw_mac, other_ll, &gw, port, text));
        }
        snprintf(text, sizeof(text), "loopback6-%s", token);
        step("raw6-loopback", raw_udp6(eth0, own_mac, gw_mac, &own, &loop, loop_port, text));
        /* "the other's addresses are at my link-layer address", from its
         * own link-local address, past the host's locktime */
        if (have_ll) {
                usleep(1200 * 1000);
                for (int k = 0; k < 3; k++) {
                        stepf(raw_na(eth0, own_mac, &own_ll, &other), "na-as-other-%d", k);
                        if (other_ll)
                                stepf(raw_na(eth0, own_mac, &own_ll, other_ll), "na-as-other-link-local-%d", k);
                        usleep(100 * 1000);
                }
        } else
                say("own-link-local", "none");
        usleep(200 * 1000);
        return 0;
}

int main(int argc, char *argv[]) {
        if (argc == 2 && strcmp(argv[1], "info") == 0)
                return info();
        if (argc == 6 && strcmp(argv[1], "listen") == 0)
                return listen_on(argv[2], argv[3], (unsigned) atoi(argv[4]), atoi(argv[5]));
        if (argc == 5 && strcmp(argv[1], "connect") == 0)
                return connect_to(argv[2], (unsigned) atoi(argv[3]), argv[4]);
        if (argc == 5 && strcmp(argv[1], "send") == 0)
                return step("send", udp_send(argv[2], (unsigned) atoi(argv[3]), argv[4], NULL)), 0;
        if (argc == 3 && strcmp(argv[1], "links") == 0)
                return escape_links(argv[2]);
        if (argc == 7 && strcmp(argv[1], "spoof") == 0)
                return escape_spoof(argv[2], argv[3], (unsigned) atoi(argv[4]), (unsigned) atoi(argv[5]), argv[6]);
        if (argc == 9 && strcmp(argv[1], "spoof6") == 0)
                return escape_spoof6(argv[2], argv[3], argv[4], argv[5], (unsigned) atoi(argv[6]), (unsigned) atoi(argv[7]),
                                     argv[8]);
        fprintf(stderr, "usage: net-bridge info|listen|connect|send|links|spoof|spoof6 ...\n");
        return 2;
}
