/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "macro.h"
#include "net-addr.h"
#include "quantities.h"

static size_t addr_size(int family) {
        return family == AF_INET ? 4 : 16;
}

int net_addr_parse(const char *s, int family, NetAddr *ret) {
        NetAddr a = {};

        if (!s || strlen(s) >= NET_ADDR_STRING_MAX)
                return -EINVAL;
        if ((family == 0 || family == AF_INET) && inet_pton(AF_INET, s, a.bytes) == 1)
                a.family = AF_INET;
        else if ((family == 0 || family == AF_INET6) && inet_pton(AF_INET6, s, a.bytes) == 1)
                a.family = AF_INET6;
        else
                return -EINVAL;
        *ret = a;
        return 0;
}

static void clear_host_bits(NetAddr *a, unsigned len) {
        for (unsigned i = 0; i < addr_size(a->family) * 8; i++)
                if (i >= len)
                        a->bytes[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
}

int net_prefix_parse(const char *s, bool allow_host_bits, NetPrefix *ret) {
        char addr[NET_ADDR_STRING_MAX];
        const char *slash;
        uint64_t len;
        NetPrefix p = {};
        NetAddr net;

        if (!s)
                return -EINVAL;
        slash = strchr(s, '/');
        if (!slash)
                slash = s + strlen(s);
        if ((size_t) (slash - s) >= sizeof(addr))
                return -EINVAL;
        memcpy(addr, s, (size_t) (slash - s));
        addr[slash - s] = 0;
        if (net_addr_parse(addr, 0, &p.addr) < 0)
                return -EINVAL;
        p.len = (unsigned) addr_size(p.addr.family) * 8;
        if (*slash) {
                /* digits alone, as "ip" takes them: no sign, no space */
                if (!slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1) || strlen(slash + 1) > 3 ||
                    parse_uint_range(slash + 1, 0, p.len, &len) < 0)
                        return -EINVAL;
                p.len = (unsigned) len;
        }
        net = p.addr;
        clear_host_bits(&net, p.len);
        if (!allow_host_bits && !net_addr_equal(&net, &p.addr))
                return -EINVAL;
        *ret = p;
        return 0;
}

const char *net_addr_to_string(const NetAddr *a, char buf[static NET_ADDR_STRING_MAX]) {
        if (!a->family || !inet_ntop(a->family, a->bytes, buf, NET_ADDR_STRING_MAX))
                return strcpy(buf, "none");
        return buf;
}

const char *net_prefix_to_string(const NetPrefix *p, char buf[static NET_PREFIX_STRING_MAX]) {
        char a[NET_ADDR_STRING_MAX];

        snprintf(buf, NET_PREFIX_STRING_MAX, "%s/%u", net_addr_to_string(&p->addr, a), p->len);
        return buf;
}

bool net_addr_equal(const NetAddr *a, const NetAddr *b) {
        return a->family == b->family && memcmp(a->bytes, b->bytes, addr_size(a->family)) == 0;
}

bool net_addr_is_loopback(const NetAddr *a) {
        static const uint8_t v6[16] = { [15] = 1 };

        if (a->family == AF_INET)
                return a->bytes[0] == 127;
        return a->family == AF_INET6 && memcmp(a->bytes, v6, 16) == 0;
}

bool net_prefix_contains(const NetPrefix *p, const NetAddr *a) {
        NetAddr x = *a, n = p->addr;

        if (a->family != p->addr.family)
                return false;
        clear_host_bits(&x, p->len);
        clear_host_bits(&n, p->len);
        return net_addr_equal(&x, &n);
}

void net_prefix_network(const NetPrefix *p, NetPrefix *ret) {
        *ret = *p;
        clear_host_bits(&ret->addr, p->len);
}

int net_prefix_host(const NetPrefix *p, uint64_t host, NetAddr *ret) {
        unsigned bits = (unsigned) addr_size(p->addr.family) * 8 - p->len;
        NetAddr a = p->addr;

        if (bits < 64 && host >> bits)
                return -ERANGE;
        clear_host_bits(&a, p->len);
        for (unsigned i = 0; i < 64 && i < bits; i++)
                if (host & (UINT64_C(1) << i)) {
                        unsigned bit = (unsigned) addr_size(a.family) * 8 - 1 - i;
                        a.bytes[bit / 8] |= (uint8_t) (0x80u >> (bit % 8));
                }
        *ret = a;
        return 0;
}

uint64_t net_prefix_host_number(const NetPrefix *p, const NetAddr *a) {
        unsigned size = (unsigned) addr_size(a->family) * 8, bits = size - p->len;
        uint64_t host = 0;

        for (unsigned i = 0; i < 64 && i < bits; i++) {
                unsigned bit = size - 1 - i;
                if (a->bytes[bit / 8] & (0x80u >> (bit % 8)))
                        host |= UINT64_C(1) << i;
        }
        return host;
}

bool net_ifname_is_valid(const char *s) {
        if (!s || !*s || strlen(s) > NET_IFNAME_MAX || streq(s, ".") || streq(s, ".."))
                return false;
        for (const char *c = s; *c; c++)
                if (*c == '/' || *c == ':' || (unsigned char) *c <= ' ' || (unsigned char) *c >= 0x7f)
                        return false;
        return true;
}

const char *net_protocol_to_string(int protocol) {
        return protocol == IPPROTO_UDP ? "udp" : "tcp";
}

static int port_parse(const char *s, size_t n, uint16_t *ret) {
        char buf[8];
        uint64_t v;

        if (n == 0 || n >= sizeof(buf) || strspn(s, "0123456789") < n)
                return -EINVAL;
        memcpy(buf, s, n);
        buf[n] = 0;
        if (parse_uint_range(buf, 1, 65535, &v) < 0)
                return -EINVAL;
        *ret = (uint16_t) v;
        return 0;
}

int net_port_parse(const char *spec, NetPort *ret) {
        const char *f[4];
        size_t n[4];
        unsigned k = 0;
        NetPort p = {};

        if (!spec || strlen(spec) >= NET_PORT_SPEC_MAX)
                return -EINVAL;
        /* fields split at "/": an IPv6 address has none */
        for (const char *s = spec;; k++) {
                const char *e = strchr(s, '/');

                if (k == 4)
                        return -EINVAL;
                f[k] = s;
                n[k] = e ? (size_t) (e - s) : strlen(s);
                if (!e) {
                        k++;
                        break;
                }
                s = e + 1;
        }
        if (k < 3)
                return -EINVAL;
        if (n[0] == 3 && strncmp(f[0], "tcp", 3) == 0)
                p.protocol = IPPROTO_TCP;
        else if (n[0] == 3 && strncmp(f[0], "udp", 3) == 0)
                p.protocol = IPPROTO_UDP;
        else
                return -EINVAL;
        if (port_parse(f[1], n[1], &p.host_port) < 0 || port_parse(f[2], n[2], &p.sandbox_port) < 0)
                return -EINVAL;
        if (k == 4 && net_addr_parse(f[3], 0, &p.host_addr) < 0)
                return -EINVAL;
        *ret = p;
        return 0;
}

const char *net_port_to_spec(const NetPort *p, char buf[static NET_PORT_SPEC_MAX]) {
        char a[NET_ADDR_STRING_MAX];
        int n = snprintf(buf, NET_PORT_SPEC_MAX, "%s/%u/%u", net_protocol_to_string(p->protocol), p->host_port,
                         p->sandbox_port);

        if (p->host_addr.family && n > 0)
                snprintf(buf + n, NET_PORT_SPEC_MAX - (size_t) n, "/%s", net_addr_to_string(&p->host_addr, a));
        return buf;
}

bool net_addr_is_valid(const char *s) {
        NetAddr a;

        return net_addr_parse(s, 0, &a) >= 0;
}

bool net_prefix_or_any_is_valid(const char *s) {
        NetPrefix p;

        return streq(s, "any") || net_prefix_parse(s, false, &p) >= 0;
}

bool net_port_spec_is_valid(const char *s) {
        NetPort p;

        return net_port_parse(s, &p) >= 0;
}

bool net_mtu_is_valid(const char *s) {
        uint64_t v;

        return strspn(s, "0123456789") == strlen(s) && parse_uint_range(s, 68, 65535, &v) >= 0;
}
