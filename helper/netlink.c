/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "netlink.h"

/* An answer that takes longer is taken as lost: the kernel answers
 * rtnetlink requests at once, or not at all. */
#define NETLINK_TIMEOUT_SEC 10
/* The datagrams of one answer; a dump of the addresses of a host with
 * many is a few dozen. */
#define NETLINK_DATAGRAMS_MAX 4096
#define NETLINK_BUFFER_SIZE (32 * 1024)

#define IN_SET_FAMILY(f) ((f) == AF_INET || (f) == AF_INET6)

struct Netlink {
        struct mnl_socket *sock;
        uint32_t portid, seq;
        /* the kernel's words on the last error (NLMSGERR_ATTR_MSG) */
        char error_msg[128];
};

static void mnl_socket_closep(struct mnl_socket **s) {
        if (*s)
                mnl_socket_close(*s);
}

static int socket_open(struct mnl_socket **ret) {
        _cleanup_(mnl_socket_closep) struct mnl_socket *s = NULL;
        struct timeval tv = { .tv_sec = NETLINK_TIMEOUT_SEC };
        int one = 1;

        s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
        if (!s)
                return -errno;
        if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0)
                return -errno;
        if (setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
                return -errno;
        /* optional, for the kernel's reason in the log, and dumps the
         * kernel filters by the request's header */
        (void) mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
        (void) mnl_socket_setsockopt(s, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
        *ret = TAKE_PTR(s);
        return 0;
}

int netlink_open(int netns, Netlink **ret) {
        _cleanup_(mnl_socket_closep) struct mnl_socket *s = NULL;
        _cleanup_close_ int self = -EBADF;
        Netlink *nl;
        int r;

        if (netns < 0)
                r = socket_open(&s);
        else {
                self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
                if (self < 0)
                        return log_error_errno(-errno, "network: open /proc/self/ns/net: %m");
                if (setns(netns, CLONE_NEWNET) < 0)
                        return log_error_errno(-errno, "network: enter the sandbox's network namespace: %m");
                r = socket_open(&s);
                if (setns(self, CLONE_NEWNET) < 0) {
                        /* going on in the sandbox's namespace would do the
                         * host's work there */
                        log_error_errno(-errno, "network: back to the own network namespace: %m");
                        abort();
                }
        }
        if (r < 0)
                return log_error_errno(r, "network: rtnetlink socket: %m");

        nl = calloc(1, sizeof(*nl));
        if (!nl)
                return log_oom();
        nl->portid = mnl_socket_get_portid(s);
        nl->seq = (uint32_t) time(NULL);
        nl->sock = TAKE_PTR(s);
        *ret = nl;
        return 0;
}

void netlink_close(Netlink *nl) {
        if (!nl)
                return;
        mnl_socket_close(nl->sock);
        free(nl);
}

static int error_attr_cb(const struct nlattr *a, void *data) {
        Netlink *nl = data;

        if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
                snprintf(nl->error_msg, sizeof(nl->error_msg), "%s", mnl_attr_get_str(a));
        return MNL_CB_OK;
}

/* NLMSG_ERROR: an ACK (error 0) ends the answer, an error ends it with
 * errno set, and the kernel's reason kept */
static int error_cb(const struct nlmsghdr *nlh, void *data) {
        Netlink *nl = data;
        const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
        size_t off;

        if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
                errno = EBADMSG;
                return MNL_CB_ERROR;
        }
        if (e->error == 0)
                return MNL_CB_STOP;
        if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && e->msg.nlmsg_len >= sizeof(e->msg)) {
                /* the request is echoed back whole unless capped */
                off = sizeof(*e);
                if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
                        off += e->msg.nlmsg_len - sizeof(e->msg);
                off = MNL_ALIGN(off);
                if (mnl_nlmsg_size(off) < nlh->nlmsg_len)
                        (void) mnl_attr_parse(nlh, off, error_attr_cb, nl);
        }
        errno = -e->error > 0 ? -e->error : EPROTO;
        return MNL_CB_ERROR;
}

/* mnl_cb_run2() hands each callback the same data: this carries both */
typedef struct Request {
        Netlink *nl;
        mnl_cb_t cb;
        void *data;
} Request;

static int request_msg_cb(const struct nlmsghdr *nlh, void *data) {
        Request *q = data;

        return q->cb ? q->cb(nlh, q->data) : MNL_CB_OK;
}

static int request_done_cb(const struct nlmsghdr *nlh _unused_, void *data _unused_) {
        return MNL_CB_STOP;
}

static int request_overrun_cb(const struct nlmsghdr *nlh _unused_, void *data _unused_) {
        errno = ENOBUFS;
        return MNL_CB_ERROR;
}

static int request_error_cb(const struct nlmsghdr *nlh, void *data) {
        Request *q = data;

        return error_cb(nlh, q->nl);
}

/*
 * Sends nlh (its sequence number and flags set here) and reads the
 * answer, each message of it through cb, up to its ACK, its error or
 * NLMSG_DONE. libmnl refuses a message of another sequence number or
 * port (EPROTO, ESRCH).
 */
static int request(Netlink *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data) {
        static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
                [NLMSG_ERROR] = request_error_cb,
                [NLMSG_DONE] = request_done_cb,
                [NLMSG_OVERRUN] = request_overrun_cb,
        };
        _cleanup_free_ char *buf = NULL;
        Request q = { .nl = nl, .cb = cb, .data = data };
        uint32_t seq = ++nl->seq;

        if (seq == 0)
                seq = nl->seq = 1;
        nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
        nlh->nlmsg_seq = seq;
        nl->error_msg[0] = 0;

        buf = malloc(NETLINK_BUFFER_SIZE);
        if (!buf)
                return -ENOMEM;
        if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
                return -errno;

        for (unsigned i = 0; i < NETLINK_DATAGRAMS_MAX; i++) {
                ssize_t n = mnl_socket_recvfrom(nl->sock, buf, NETLINK_BUFFER_SIZE);
                int r;

                if (n < 0)
                        return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
                errno = 0;
                r = mnl_cb_run2(buf, (size_t) n, seq, nl->portid, request_msg_cb, &q, ctl, NLMSG_MIN_TYPE);
                if (r == MNL_CB_ERROR)
                        return errno > 0 ? -errno : -EPROTO;
                if (r == MNL_CB_STOP)
                        return 0;
        }
        return -E2BIG;
}

static int log_request(Netlink *nl, int r, const char *fmt, ...) _printf_(3, 4);
static int log_request(Netlink *nl, int r, const char *fmt, ...) {
        char what[128];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        if (nl->error_msg[0])
                return log_error_errno(r, "network: %s: %m (%s)", what, nl->error_msg);
        return log_error_errno(r, "network: %s: %m", what);
}

static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags, int ifindex) {
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct ifinfomsg *ifi;

        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = flags;
        ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_index = ifindex;
        return nlh;
}

static int linkinfo_attr_cb(const struct nlattr *a, void *data) {
        NetlinkLink *l = data;

        if (mnl_attr_get_type(a) == IFLA_INFO_KIND && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
                l->bridge = streq(mnl_attr_get_str(a), "bridge");
        return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data) {
        NetlinkLink *l = data;

        switch (mnl_attr_get_type(a)) {
        case IFLA_IFNAME:
                if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
                        snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
                break;
        case IFLA_IFALIAS:
                if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
                        snprintf(l->alias, sizeof(l->alias), "%s", mnl_attr_get_str(a));
                break;
        case IFLA_MTU:
                if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
                        l->mtu = mnl_attr_get_u32(a);
                break;
        case IFLA_MASTER:
                if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
                        l->master = (int) mnl_attr_get_u32(a);
                break;
        case IFLA_ADDRESS:
                if (mnl_attr_get_payload_len(a) == 6)
                        memcpy(l->mac, mnl_attr_get_payload(a), 6);
                break;
        case IFLA_LINKINFO:
                if (mnl_attr_validate(a, MNL_TYPE_NESTED) >= 0)
                        (void) mnl_attr_parse_nested(a, linkinfo_attr_cb, l);
                break;
        }
        return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data) {
        NetlinkLink *l = data;
        const struct ifinfomsg *ifi;

        if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
                return MNL_CB_OK;
        ifi = mnl_nlmsg_get_payload(nlh);
        *l = (NetlinkLink) { .ifindex = ifi->ifi_index, .flags = ifi->ifi_flags };
        (void) mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, l);
        return MNL_CB_OK;
}

/* the link of ifindex, or of name with ifindex 0 */
static int link_get(Netlink *nl, int ifindex, const char *name, NetlinkLink *ret) {
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, ifindex);
        NetlinkLink l = {};
        int r;

        if (name)
                mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        r = request(nl, nlh, link_cb, &l);
        if (r < 0)
                return r;
        if (l.ifindex <= 0)
                return -ENODEV;
        *ret = l;
        return 0;
}

int netlink_link_get(Netlink *nl, int ifindex, NetlinkLink *ret) {
        int r = link_get(nl, ifindex, NULL, ret);

        if (r < 0 && r != -ENODEV)
                return log_request(nl, r, "link %d", ifindex);
        return r;
}

int netlink_link_index(Netlink *nl, const char *name) {
        NetlinkLink l;
        int r;

        if (!net_ifname_is_valid(name))
                return log_error_errno(-EINVAL, "network: not an interface name: %s", name);
        r = link_get(nl, 0, name, &l);
        if (r == -ENODEV)
                return r;
        if (r < 0)
                return log_request(nl, r, "link %s", name);
        return l.ifindex;
}

int netlink_link_is_bridge(Netlink *nl, int ifindex) {
        NetlinkLink l;
        int r = link_get(nl, ifindex, NULL, &l);

        if (r < 0)
                return log_request(nl, r, "link %d", ifindex);
        return l.bridge;
}

static int link_set(Netlink *nl, int ifindex, unsigned mtu, int master, const char *alias) {
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
        struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

        ifi->ifi_flags = IFF_UP;
        ifi->ifi_change = IFF_UP;
        /* the kernel sets the mtu and the master before the flags */
        if (mtu > 0)
                mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        if (master > 0)
                mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t) master);
        if (alias)
                mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
        return request(nl, nlh, NULL, NULL);
}

int netlink_bridge_make(Netlink *nl, const char *name) {
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh;
        struct nlattr *info;
        NetlinkLink l;
        int r;

        if (!net_ifname_is_valid(name))
                return log_error_errno(-EINVAL, "network: not an interface name: %s", name);
        nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        mnl_attr_nest_end(nlh, info);
        r = request(nl, nlh, NULL, NULL);
        if (r < 0 && r != -EEXIST)
                return log_request(nl, r, "add bridge %s", name);

        r = link_get(nl, 0, name, &l);
        if (r < 0)
                return log_request(nl, r, "bridge %s", name);
        if (!l.bridge)
                return log_error_errno(-EEXIST, "network: %s is there, and not a bridge: %m", name);
        r = link_set(nl, l.ifindex, 0, 0, NULL);
        if (r < 0)
                return log_request(nl, r, "up %s", name);
        return l.ifindex;
}

typedef struct AddrDump {
        int ifindex;
        NetPrefix *ret4, *ret6;
} AddrDump;

static int addr_cb(const struct nlmsghdr *nlh, void *data) {
        AddrDump *d = data;
        const struct ifaddrmsg *ifa;
        const struct nlattr *a, *local = NULL, *address = NULL;
        NetPrefix *p;
        size_t size;

        if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
                return MNL_CB_OK;
        ifa = mnl_nlmsg_get_payload(nlh);
        if ((int) ifa->ifa_index != d->ifindex || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
                return MNL_CB_OK;
        if (ifa->ifa_family == AF_INET) {
                p = d->ret4;
                size = 4;
        } else if (ifa->ifa_family == AF_INET6) {
                p = d->ret6;
                size = 16;
        } else
                return MNL_CB_OK;
        if (p->addr.family != 0)
                return MNL_CB_OK;
        mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
                if (mnl_attr_get_payload_len(a) != size)
                        continue;
                if (mnl_attr_get_type(a) == IFA_LOCAL)
                        local = a;
                else if (mnl_attr_get_type(a) == IFA_ADDRESS)
                        address = a;
        }
        /* IFA_ADDRESS is the peer's on a point-to-point IPv4 link */
        a = local ?: address;
        if (!a)
                return MNL_CB_OK;
        p->addr.family = ifa->ifa_family;
        memcpy(p->addr.bytes, mnl_attr_get_payload(a), size);
        p->len = ifa->ifa_prefixlen;
        return MNL_CB_OK;
}

int netlink_link_addresses(Netlink *nl, int ifindex, NetPrefix *ret4, NetPrefix *ret6) {
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct ifaddrmsg *ifa;
        NetPrefix p4 = {}, p6 = {};
        AddrDump d = { .ifindex = ifindex, .ret4 = &p4, .ret6 = &p6 };
        int r;

        nlh->nlmsg_type = RTM_GETADDR;
        nlh->nlmsg_flags = NLM_F_DUMP;
        ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = AF_UNSPEC;
        ifa->ifa_index = (uint32_t) ifindex;
        r = request(nl, nlh, addr_cb, &d);
        if (r < 0)
                return log_request(nl, r, "addresses of link %d", ifindex);
        if (ret4)
                *ret4 = p4;
        if (ret6)
                *ret6 = p6;
        return 0;
}

int netlink_address_add(Netlink *nl, int ifindex, const NetPrefix *addr) {
        char buf[MNL_SOCKET_BUFFER_SIZE], s[NET_PREFIX_STRING_MAX];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct ifaddrmsg *ifa;
        size_t size = addr->addr.family == AF_INET ? 4 : 16;
        int r;

        if (!IN_SET_FAMILY(addr->addr.family) || addr->len > size * 8)
                return log_error_errno(-EINVAL, "network: not an address to add");
        nlh->nlmsg_type = RTM_NEWADDR;
        nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
        ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = (uint8_t) addr->addr.family;
        ifa->ifa_prefixlen = (uint8_t) addr->len;
        ifa->ifa_scope = RT_SCOPE_UNIVERSE;
        ifa->ifa_index = (uint32_t) ifindex;
        if (addr->addr.family == AF_INET6)
                ifa->ifa_flags = IFA_F_NODAD;
        mnl_attr_put(nlh, IFA_LOCAL, size, addr->addr.bytes);
        mnl_attr_put(nlh, IFA_ADDRESS, size, addr->addr.bytes);
        if (addr->addr.family == AF_INET && addr->len < 31) {
                uint8_t brd[4];

                memcpy(brd, addr->addr.bytes, 4);
                for (unsigned i = addr->len; i < 32; i++)
                        brd[i / 8] |= (uint8_t) (0x80u >> (i % 8));
                mnl_attr_put(nlh, IFA_BROADCAST, 4, brd);
        }
        r = request(nl, nlh, NULL, NULL);
        if (r == -EEXIST)
                return 0;
        if (r < 0)
                return log_request(nl, r, "add address %s to link %d", net_prefix_to_string(addr, s), ifindex);
        return 0;
}

int netlink_veth_make(Netlink *nl, const char *host_name, const char *peer_name, int peer_netns,
                      const uint8_t peer_mac[static 6], unsigned mtu, const char *alias) {
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh;
        struct nlattr *info, *data, *peer;
        struct ifinfomsg *peer_ifi;
        NetlinkLink l;
        int r;

        if (!net_ifname_is_valid(host_name) || !net_ifname_is_valid(peer_name))
                return log_error_errno(-EINVAL, "network: not an interface name: %s, %s", host_name, peer_name);
        if (alias && strlen(alias) >= IFALIASZ)
                return log_error_errno(-EINVAL, "network: alias of %s too long", host_name);

        nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, host_name);
        if (mtu > 0)
                mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
        data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
        /* the peer's attributes follow an ifinfomsg of their own */
        peer_ifi = mnl_nlmsg_get_payload_tail(nlh);
        memset(peer_ifi, 0, sizeof(*peer_ifi));
        peer_ifi->ifi_family = AF_UNSPEC;
        nlh->nlmsg_len += MNL_ALIGN(sizeof(*peer_ifi));
        mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_name);
        if (peer_netns >= 0)
                mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t) peer_netns);
        mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
        if (mtu > 0)
                mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        mnl_attr_nest_end(nlh, peer);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, info);
        r = request(nl, nlh, NULL, NULL);
        if (r < 0)
                return log_request(nl, r, "add veth %s", host_name);

        r = link_get(nl, 0, host_name, &l);
        if (r < 0)
                return log_request(nl, r, "veth %s", host_name);
        /* the kernel ignores IFLA_IFALIAS in a request that makes a
         * link (6.18 too): set after it */
        if (alias) {
                char abuf[MNL_SOCKET_BUFFER_SIZE];

                nlh = link_msg(abuf, RTM_NEWLINK, 0, l.ifindex);
                mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
                r = request(nl, nlh, NULL, NULL);
                if (r < 0) {
                        log_request(nl, r, "alias of %s", host_name);
                        (void) netlink_link_delete(nl, host_name);
                        return r;
                }
        }
        return l.ifindex;
}

int netlink_link_enslave_up(Netlink *nl, int ifindex, int master) {
        int r = link_set(nl, ifindex, 0, master, NULL);

        if (r < 0)
                return log_request(nl, r, "link %d into bridge %d, up", ifindex, master);
        return 0;
}

int netlink_link_up(Netlink *nl, int ifindex, unsigned mtu) {
        int r = link_set(nl, ifindex, mtu, 0, NULL);

        if (r < 0)
                return log_request(nl, r, "link %d up, mtu %u", ifindex, mtu);
        return 0;
}

int netlink_default_route_add(Netlink *nl, int ifindex, const NetAddr *gw) {
        char buf[MNL_SOCKET_BUFFER_SIZE], s[NET_ADDR_STRING_MAX];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct rtmsg *rtm;
        int r;

        if (!IN_SET_FAMILY(gw->family))
                return log_error_errno(-EINVAL, "network: no gateway for the default route");
        nlh->nlmsg_type = RTM_NEWROUTE;
        /* the one asked for, whatever default route there was */
        nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
        rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = (uint8_t) gw->family;
        rtm->rtm_table = RT_TABLE_MAIN;
        rtm->rtm_protocol = RTPROT_STATIC;
        rtm->rtm_scope = RT_SCOPE_UNIVERSE;
        rtm->rtm_type = RTN_UNICAST;
        mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
        mnl_attr_put(nlh, RTA_GATEWAY, gw->family == AF_INET ? 4 : 16, gw->bytes);
        mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t) ifindex);
        r = request(nl, nlh, NULL, NULL);
        if (r < 0)
                return log_request(nl, r, "default route through %s on link %d", net_addr_to_string(gw, s), ifindex);
        return 0;
}

int netlink_link_delete(Netlink *nl, const char *name) {
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh;
        int r;

        if (!net_ifname_is_valid(name))
                return log_error_errno(-EINVAL, "network: not an interface name: %s", name);
        nlh = link_msg(buf, RTM_DELLINK, 0, 0);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        r = request(nl, nlh, NULL, NULL);
        if (r == -ENODEV)
                return r;
        if (r < 0)
                return log_request(nl, r, "delete link %s", name);
        return 0;
}
