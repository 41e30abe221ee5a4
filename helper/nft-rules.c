/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "log.h"
#include "macro.h"
#include "names.h"
#include "nft-rules.h"
#include "run-lock.h"

/* A transaction that met another one (the kernel's generation moved on
 * between nft's reading and its commit) is tried again, a few times. */
#define NFT_TRIES 3
#define NFT_LOCK NET_LEASE_DIR "/.nft-lock"
#define NFT_LOCK_WAIT_MS 10000

/* nft's error output for the log: its first line, and the second, the
 * command it refused, where there is one */
static void error_line(const char *err, char *buf, size_t size) {
        size_t n, m;

        err = err ? err + strspn(err, " \n") : "";
        n = strcspn(err, "\n");
        m = err[n] ? strcspn(err + n + 1, "\n") : 0;
        if (m > 0)
                snprintf(buf, size, "%.*s, in: %.*s", (int) n, err, (int) m, err + n + 1);
        else
                snprintf(buf, size, "%.*s", (int) n, err);
}

/*
 * Runs cmds, all of them one transaction. -ENOENT when nft says what
 * they name is not there (not logged when quiet_enoent), -EIO for any
 * other refusal (logged with what, and nft's words). *ret_output, if
 * asked for, gets what nft printed.
 */
/* One context for the program's every command: making one reads
 * iproute2's tables and fetches the whole ruleset into its cache again,
 * a good part of a command's cost. It stays reachable to the end. */
static struct nft_ctx *nft_ctx_shared(void) {
        static struct nft_ctx *ctx;

        if (ctx)
                return ctx;
        ctx = nft_ctx_new(NFT_CTX_DEFAULT);
        if (ctx && (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0)) {
                nft_ctx_free(ctx);
                ctx = NULL;
        }
        return ctx;
}

static int nft_run(const char *cmds, const char *what, bool quiet_enoent, char **ret_output) {
        char line[512] = "";
        int r = -EIO;

        for (unsigned try = 0; try < NFT_TRIES; try++) {
                struct nft_ctx *ctx = nft_ctx_shared();
                const char *err, *out;
                int k;

                if (!ctx)
                        return log_oom();
                k = nft_run_cmd_from_buffer(ctx, cmds);
                /* both read each time: a read empties the buffer for the
                 * next command */
                out = nft_ctx_get_output_buffer(ctx);
                err = nft_ctx_get_error_buffer(ctx);
                if (k == 0) {
                        if (ret_output) {
                                *ret_output = strdup(out ?: "");
                                if (!*ret_output)
                                        return log_oom();
                        }
                        return 0;
                }
                error_line(err, line, sizeof(line));
                if (err && strstr(err, "No such file or directory")) {
                        r = -ENOENT;
                        break;
                }
                if (!err || !strstr(err, "Interrupted system call"))
                        break;
        }
        if (r == -ENOENT && quiet_enoent)
                return r;
        return log_error_errno(r, "network: nftables: %s: %s", what, line[0] ? line : "refused");
}

/*
 * NAME-from, NAME-to, NAME-dnat. nft (1.0.6) reads a chain's name only
 * as an identifier, which starts with a letter or "_", quoted or not: a
 * sandbox name that starts with a digit gets a "_" before it, which no
 * sandbox name has, so that the names of two sandboxes never meet.
 */
static const char *chain_name(char buf[static SANDBOX_NAME_MAX + 8], const char *name, const char *suffix) {
        snprintf(buf, SANDBOX_NAME_MAX + 8, "%s%s-%s", name[0] >= '0' && name[0] <= '9' ? "_" : "", name, suffix);
        return buf;
}

static const char *addr_str(const NetAddr *a, char buf[static NET_ADDR_STRING_MAX]) {
        return net_addr_to_string(a, buf);
}

/* the IPv6 address as the hex integer nft compares raw payload with */
static void addr6_hex(const NetAddr *a, char buf[static 35]) {
        buf[0] = '0';
        buf[1] = 'x';
        for (size_t i = 0; i < 16; i++)
                snprintf(buf + 2 + 2 * i, 3, "%02x", a->bytes[i]);
}

/* The set whose presence says the shared chains are there as this
 * version writes them: a new name whenever add_layout() changes. */
#define LAYOUT_MARKER "layout-1"

/* The tables, sets, maps and shared chains. Written whole, each chain
 * flushed and its rules added again in the same transaction, so never
 * doubled nor missing; but only where the marker is not there yet, as
 * flushing a base chain's rules costs the kernel a grace period (10 ms
 * and more here) in the transaction that does it. */
static void add_layout(Buffer *b) {
        buffer_append(b,
                "add table netdev sandbox\n"
                "add table inet sandbox\n"
                "add set inet sandbox bridges { type ifname; }\n"
                "add set inet sandbox masq4 { type ipv4_addr; }\n"
                "add set inet sandbox masq6 { type ipv6_addr; }\n"
                "add set inet sandbox noout4 { type ipv4_addr; }\n"
                "add set inet sandbox noout6 { type ipv6_addr; }\n"
                "add set inet sandbox nets4 { type ipv4_addr; flags interval; }\n"
                "add set inet sandbox nets6 { type ipv6_addr; flags interval; }\n"
                "add map inet sandbox ports { type inet_proto . inet_service : verdict; }\n"
                "add map inet sandbox dns4 { type ipv4_addr : ipv4_addr; }\n"
                "add chain inet sandbox nat-pre { type nat hook prerouting priority dstnat; policy accept; }\n"
                "flush chain inet sandbox nat-pre\n"
                "add rule inet sandbox nat-pre iifname @bridges meta l4proto { tcp, udp } th dport 53 "
                "dnat ip to ip daddr map @dns4\n"
                "add rule inet sandbox nat-pre fib daddr type local meta l4proto . th dport vmap @ports\n"
                "add chain inet sandbox nat-out { type nat hook output priority -100; policy accept; }\n"
                "flush chain inet sandbox nat-out\n"
                "add rule inet sandbox nat-out fib daddr type local meta l4proto . th dport vmap @ports\n"
                "add chain inet sandbox nat-post { type nat hook postrouting priority srcnat; policy accept; }\n"
                "flush chain inet sandbox nat-post\n"
                "add rule inet sandbox nat-post ip saddr @masq4 oifname != @bridges masquerade\n"
                "add rule inet sandbox nat-post ip6 saddr @masq6 oifname != @bridges masquerade\n"
                /* the host's own loopback clients of a forward */
                "add rule inet sandbox nat-post oifname @bridges ip saddr 127.0.0.0/8 masquerade\n"
                /* a sandbox's connection to a forward of the host's that
                 * leads back into a bridge: the answer must come back
                 * through the host, from the address it was sent to */
                "add rule inet sandbox nat-post iifname @bridges oifname @bridges ct status dnat masquerade\n"
                "add chain inet sandbox filter-fwd { type filter hook forward priority filter; policy accept; }\n"
                "flush chain inet sandbox filter-fwd\n"
                "add rule inet sandbox filter-fwd ct state new iifname @bridges ip saddr @noout4 drop\n"
                "add rule inet sandbox filter-fwd ct state new iifname @bridges ip6 saddr @noout6 drop\n"
                /* into a bridge from elsewhere, only what a forward led
                 * there: a neighbour that routes a bridge's network
                 * through the host reaches no sandbox's other ports */
                "add rule inet sandbox filter-fwd ct state new oifname @bridges iifname != @bridges "
                "ct status & dnat == 0 drop\n"
                "add chain inet sandbox filter-in { type filter hook input priority filter; policy accept; }\n"
                "flush chain inet sandbox filter-in\n"
                /* on the address the sandbox sent to: the gateway's
                 * port 53 is the host's resolver on 127.0.0.53 here */
                "add rule inet sandbox filter-in ct state new iifname @bridges ip saddr @noout4 "
                "ct original ip daddr != @nets4 drop\n"
                "add rule inet sandbox filter-in ct state new iifname @bridges ip6 saddr @noout6 "
                "ct original ip6 daddr != @nets6 drop\n"
                "add set inet sandbox " LAYOUT_MARKER " { type ifname; }\n");
}

static bool layout_is_there(void) {
        _cleanup_free_ char *out = NULL;

        static const char cmd[] = "list set inet sandbox " LAYOUT_MARKER;

        return nft_run(cmd, cmd, true, &out) >= 0;
}

static void add_shared(Buffer *b, const NetRules *r) {
        const NetLease *l = r->lease;
        char s[NET_PREFIX_STRING_MAX], t[NET_ADDR_STRING_MAX];
        NetPrefix net;

        /* shared by the sandboxes of one bridge: an element already
         * there is not an error to "add element", and is never removed */
        buffer_printf(b, "add element inet sandbox bridges { \"%s\" }\n", l->bridge);
        net_prefix_network(&l->net4, &net);
        buffer_printf(b, "add element inet sandbox nets4 { %s }\n", net_prefix_to_string(&net, s));
        if (l->net6.addr.family == AF_INET6) {
                net_prefix_network(&l->net6, &net);
                buffer_printf(b, "add element inet sandbox nets6 { %s }\n", net_prefix_to_string(&net, s));
        }
        if (r->dns_to.family == AF_INET && l->gw4.family == AF_INET)
                buffer_printf(b, "add element inet sandbox dns4 { %s : %s }\n", addr_str(&l->gw4, t),
                              addr_str(&r->dns_to, s));
}

/* the allow and deny lists, on the destination (from) or source (to) */
static void add_lists(Buffer *b, const char *chain, const NetRules *r, const char *dir) {
        char s[NET_PREFIX_STRING_MAX];

        for (size_t i = 0; i < r->n_allow; i++)
                buffer_printf(b, "add rule netdev sandbox %s %s %saddr %s accept\n", chain,
                              r->allow[i].addr.family == AF_INET ? "ip" : "ip6", dir,
                              net_prefix_to_string(&r->allow[i], s));
        for (size_t i = 0; i < r->n_deny; i++)
                buffer_printf(b, "add rule netdev sandbox %s %s %saddr %s drop\n", chain,
                              r->deny[i].addr.family == AF_INET ? "ip" : "ip6", dir,
                              net_prefix_to_string(&r->deny[i], s));
}

static void add_netdev(Buffer *b, const NetRules *r) {
        const NetLease *l = r->lease;
        bool v6 = l->addr6.family == AF_INET6;
        char from[SANDBOX_NAME_MAX + 8], to[SANDBOX_NAME_MAX + 8], mac[18];
        char a4[NET_ADDR_STRING_MAX], a6[NET_ADDR_STRING_MAX], hex6[35];

        chain_name(from, l->name, "from");
        chain_name(to, l->name, "to");
        snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", r->mac[0], r->mac[1], r->mac[2], r->mac[3],
                 r->mac[4], r->mac[5]);
        addr_str(&l->addr4, a4);

        /* What the sandbox sends: its own addresses, nothing else. A
         * chain left from before (a sandbox that crashed) is emptied
         * rather than doubled. */
        buffer_printf(b,
                "add chain netdev sandbox %1$s { type filter hook ingress device \"%2$s\" priority -500; policy accept; }\n"
                "flush chain netdev sandbox %1$s\n"
                "add rule netdev sandbox %1$s ether saddr != %3$s drop\n"
                "add rule netdev sandbox %1$s meta protocol arp arp saddr ether != %3$s drop\n"
                "add rule netdev sandbox %1$s meta protocol arp arp saddr ip != %4$s drop\n"
                "add rule netdev sandbox %1$s meta protocol ip ip saddr != %4$s drop\n"
                "add rule netdev sandbox %1$s meta protocol ip ip daddr 127.0.0.0/8 drop\n",
                from, l->ifname, mac, a4);
        if (v6) {
                /* its link-local address, as its kernel makes it from the
                 * link-layer address (EUI-64: the universal bit flipped,
                 * ff:fe in the middle), the only one a new namespace's
                 * defaults give eth0; another's is another's */
                NetAddr ll = { .family = AF_INET6, .bytes = { 0xfe, 0x80, [8] = r->mac[0] ^ 0x02, r->mac[1], r->mac[2],
                                                             0xff, 0xfe, r->mac[3], r->mac[4], r->mac[5] } };
                char ll6[NET_ADDR_STRING_MAX], llhex6[35];

                addr_str(&l->addr6, a6);
                addr6_hex(&l->addr6, hex6);
                addr_str(&ll, ll6);
                addr6_hex(&ll, llhex6);
                /* its own addresses, and :: for duplicate address
                 * detection; a neighbour advertisement names one of its
                 * own */
                buffer_printf(b,
                        "add rule netdev sandbox %1$s meta protocol ip6 ip6 saddr != { %2$s, %3$s, :: } drop\n"
                        "add rule netdev sandbox %1$s meta protocol ip6 ip6 daddr ::1 drop\n"
                        "add rule netdev sandbox %1$s icmpv6 type nd-neighbor-advert @th,64,128 != %4$s "
                        "@th,64,128 != %5$s drop\n",
                        from, a6, ll6, hex6, llhex6);
        } else
                buffer_printf(b, "add rule netdev sandbox %s meta protocol ip6 drop\n", from);
        /* nothing past the checks above: no VLAN tags, no other
         * protocols that would carry an address of someone else's */
        buffer_printf(b, "add rule netdev sandbox %1$s meta protocol != { ip, arp%2$s } drop\n"
                         /* no sandbox is another's router */
                         "add rule netdev sandbox %1$s icmp type redirect drop\n"
                         "add rule netdev sandbox %1$s meta protocol arp accept\n",
                      from, v6 ? ", ip6" : "");
        if (v6)
                buffer_printf(b, "add rule netdev sandbox %1$s icmpv6 type { nd-router-advert, nd-redirect } drop\n"
                                 "add rule netdev sandbox %1$s icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n",
                              from);
        add_lists(b, from, r, "d");

        /* what reaches the sandbox */
        buffer_printf(b,
                "add chain netdev sandbox %1$s { type filter hook egress device \"%2$s\" priority -500; policy accept; }\n"
                "flush chain netdev sandbox %1$s\n"
                /* a unicast frame for another, flooded by the bridge
                 * before it learnt where that one is, is not seen */
                "add rule netdev sandbox %1$s ether daddr != %3$s ether daddr & 01:00:00:00:00:00 == 00:00:00:00:00:00 drop\n"
                "add rule netdev sandbox %1$s meta protocol arp accept\n",
                to, l->ifname, mac);
        if (v6)
                buffer_printf(b, "add rule netdev sandbox %s icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n",
                              to);
        add_lists(b, to, r, "s");
}

static bool port_seen(const NetLease *l, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (l->ports[i].protocol == l->ports[n].protocol && l->ports[i].host_port == l->ports[n].host_port)
                        return true;
        return false;
}

static void add_inet(Buffer *b, const NetRules *r) {
        const NetLease *l = r->lease;
        bool v6 = l->addr6.family == AF_INET6;
        char dnat[SANDBOX_NAME_MAX + 8], a[NET_ADDR_STRING_MAX], h[NET_ADDR_STRING_MAX + 16];

        chain_name(dnat, l->name, "dnat");
        buffer_printf(b, "add chain inet sandbox %1$s\nflush chain inet sandbox %1$s\n", dnat);
        for (size_t i = 0; i < l->n_ports; i++) {
                const NetPort *p = &l->ports[i];
                const char *proto = net_protocol_to_string(p->protocol);

                if (p->host_addr.family != AF_INET6) {
                        h[0] = 0;
                        if (p->host_addr.family == AF_INET)
                                snprintf(h, sizeof(h), "ip daddr %s ", addr_str(&p->host_addr, a));
                        buffer_printf(b, "add rule inet sandbox %s meta l4proto %s th dport %u %sdnat ip to %s:%u\n", dnat,
                                      proto, p->host_port, h, addr_str(&l->addr4, a), p->sandbox_port);
                }
                if (v6 && p->host_addr.family != AF_INET) {
                        h[0] = 0;
                        if (p->host_addr.family == AF_INET6)
                                snprintf(h, sizeof(h), "ip6 daddr %s ", addr_str(&p->host_addr, a));
                        buffer_printf(b, "add rule inet sandbox %s meta l4proto %s th dport %u %sdnat ip6 to [%s]:%u\n",
                                      dnat, proto, p->host_port, h, addr_str(&l->addr6, a), p->sandbox_port);
                }
                if (!port_seen(l, i))
                        buffer_printf(b, "add element inet sandbox ports { %s . %u : jump %s }\n", proto, p->host_port,
                                      dnat);
        }

        /* its name on them: a stale sandbox's teardown leaves them */
        buffer_printf(b, "add element inet sandbox %s4 { %s comment \"%s\" }\n", l->outbound ? "masq" : "noout",
                      addr_str(&l->addr4, a), l->name);
        if (v6)
                buffer_printf(b, "add element inet sandbox %s6 { %s comment \"%s\" }\n", l->outbound ? "masq" : "noout",
                              addr_str(&l->addr6, a), l->name);
}

/* whether out holds marker, whole: not followed by more of a name */
static bool has_marker(const char *out, const char *marker) {
        size_t n = strlen(marker);

        for (const char *p = out; (p = strstr(p, marker)); p++)
                if (!p[n] || !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/", p[n]))
                        return true;
        return false;
}

/*
 * Adds del to the batch when lookup ("get element", "list chain": a
 * read, which costs the kernel nothing when it finds nothing, where a
 * refused deletion aborts a transaction) finds what it names, with
 * marker in what it prints unless marker is NULL. Not there is not an
 * error. The batch is one transaction, run by batch_run(): every
 * transaction that deletes costs the kernel a grace period.
 */
static int delete_if(Buffer *batch, const char *lookup, const char *marker, const char *del) {
        _cleanup_free_ char *out = NULL;
        int r = nft_run(lookup, lookup, true, &out);

        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (marker && !has_marker(out, marker))
                return 0;
        buffer_printf(batch, "%s\n", del);
        return 0;
}

#define DELETE_IF(batch, ret, marker, ...)                                              \
        do {                                                                            \
                char _l[384], _d[384];                                                  \
                int _r;                                                                 \
                snprintf(_l, sizeof(_l), "get " __VA_ARGS__);                           \
                snprintf(_d, sizeof(_d), "delete " __VA_ARGS__);                        \
                _r = delete_if((batch), _l, (marker), _d);                              \
                if (_r < 0 && (ret) == 0)                                               \
                        (ret) = _r;                                                     \
        } while (0)

static int chain_delete(Buffer *batch, const char *family, const char *chain) {
        char l[128], d[128];

        snprintf(l, sizeof(l), "list chain %s sandbox %s", family, chain);
        snprintf(d, sizeof(d), "delete chain %s sandbox %s", family, chain);
        return delete_if(batch, l, NULL, d);
}

/* the deletions found, in one transaction; none: nothing to do */
static int batch_run(Buffer *batch, const char *what) {
        _cleanup_free_ char *cmds = NULL;

        if (batch->oom)
                return log_oom();
        if (!batch->data || !batch->data[0])
                return 0;
        cmds = buffer_steal(batch);
        if (!cmds)
                return log_oom();
        return nft_run(cmds, what, false, NULL);
}

/*
 * What a sandbox holds by its lease is its own: whatever stands there
 * (its chains on another device, its addresses' or forwards' elements
 * with another owner) was left by a run that was not taken down, and
 * goes before the transaction, as "add" takes neither a base chain on
 * another device nor a map element with another value. So does the
 * resolver the gateway leads to when the host's has changed since the
 * bridge's first sandbox.
 */
static void add_prepare(const NetRules *r) {
        const NetLease *l = r->lease;
        char chain[SANDBOX_NAME_MAX + 8], g[NET_ADDR_STRING_MAX], d[NET_ADDR_STRING_MAX], a[NET_ADDR_STRING_MAX];
        char want[2 * NET_ADDR_STRING_MAX + 4];
        _cleanup_buffer_ Buffer batch = {};
        /* a failure here is the transaction's to tell */
        int failed = 0;

        (void) chain_delete(&batch, "netdev", chain_name(chain, l->name, "from"));
        (void) chain_delete(&batch, "netdev", chain_name(chain, l->name, "to"));
        for (size_t i = 0; i < l->n_ports; i++)
                DELETE_IF(&batch, failed, NULL, "element inet sandbox ports { %s . %u }",
                          net_protocol_to_string(l->ports[i].protocol), l->ports[i].host_port);
        for (int v = 4; v <= 6; v += 2) {
                const NetAddr *x = v == 4 ? &l->addr4 : &l->addr6;

                if (!x->family)
                        continue;
                DELETE_IF(&batch, failed, NULL, "element inet sandbox masq%d { %s }", v, addr_str(x, a));
                DELETE_IF(&batch, failed, NULL, "element inet sandbox noout%d { %s }", v, addr_str(x, a));
        }
        if (r->dns_to.family == AF_INET && l->gw4.family == AF_INET) {
                snprintf(want, sizeof(want), "%s : %s", addr_str(&l->gw4, g), addr_str(&r->dns_to, d));
                {
                        _cleanup_free_ char *out = NULL;
                        char lookup[128], del[128];

                        snprintf(lookup, sizeof(lookup), "get element inet sandbox dns4 { %s }", g);
                        snprintf(del, sizeof(del), "delete element inet sandbox dns4 { %s }", g);
                        if (nft_run(lookup, lookup, true, &out) == 0 && !has_marker(out, want))
                                buffer_printf(&batch, "%s\n", del);
                }
        }
        (void) failed;
        (void) batch_run(&batch, "take out what a run left");
}

static bool lease_is_valid(const NetLease *l) {
        return sandbox_name_is_valid(l->name) && net_ifname_is_valid(l->ifname) && net_ifname_is_valid(l->bridge) &&
               l->addr4.family == AF_INET && l->net4.addr.family == AF_INET &&
               (l->addr6.family == 0 || l->addr6.family == AF_INET6) && l->n_ports <= NET_LEASE_PORTS_MAX;
}

static bool prefixes_are_valid(const NetPrefix *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (p[i].addr.family != AF_INET && p[i].addr.family != AF_INET6)
                        return false;
        return true;
}

/* Rules change one sandbox at a time on a host: a stale sandbox's
 * teardown reads an element's owner and deletes it in two steps, which
 * another's start must not come between. */
static int rules_lock(void) {
        _cleanup_close_ int fd = -EBADF;

        if (mkdir(RUNTIME_ROOT, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "network: mkdir %s: %m", RUNTIME_ROOT);
        if (mkdir(NET_LEASE_DIR, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "network: mkdir %s: %m", NET_LEASE_DIR);
        fd = open(NFT_LOCK, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "network: open %s: %m", NFT_LOCK);
        for (unsigned i = 0; i < NFT_LOCK_WAIT_MS / 10; i++) {
                if (flock(fd, LOCK_EX | LOCK_NB) == 0)
                        return TAKE_FD(fd);
                if (errno != EWOULDBLOCK)
                        return log_error_errno(-errno, "network: lock %s: %m", NFT_LOCK);
                (void) usleep(10 * 1000);
        }
        return log_error_errno(-ETIMEDOUT, "network: lock %s: held for %d ms", NFT_LOCK, NFT_LOCK_WAIT_MS);
}

int nft_sandbox_add(const NetRules *r) {
        _cleanup_buffer_ Buffer b = {};
        _cleanup_free_ char *cmds = NULL;
        _cleanup_close_ int lock = -EBADF;
        char what[SANDBOX_NAME_MAX + 32];

        if (!r->lease || !lease_is_valid(r->lease) || !prefixes_are_valid(r->allow, r->n_allow) ||
            !prefixes_are_valid(r->deny, r->n_deny))
                return log_error_errno(-EINVAL, "network: nftables: not a sandbox's network to add rules for");

        for (size_t i = 0; i < r->lease->n_ports; i++)
                if (r->lease->ports[i].host_addr.family == AF_INET6 && r->lease->addr6.family != AF_INET6)
                        return log_error_errno(-EINVAL, "network: nftables: %s: a forward from an IPv6 address, "
                                               "and no IPv6 address to forward it to", r->lease->name);

        lock = rules_lock();
        if (lock < 0)
                return lock;
        if (!layout_is_there())
                add_layout(&b);
        add_shared(&b, r);
        add_netdev(&b, r);
        add_inet(&b, r);
        cmds = buffer_steal(&b);
        if (!cmds)
                return log_oom();
        add_prepare(r);
        snprintf(what, sizeof(what), "add the rules of %s", r->lease->name);
        return nft_run(cmds, what, false, NULL);
}

int nft_sandbox_remove(const NetLease *l) {
        char a[NET_ADDR_STRING_MAX], chain[SANDBOX_NAME_MAX + 8], owner[SANDBOX_NAME_MAX + 16];
        _cleanup_close_ int lock = -EBADF;
        _cleanup_buffer_ Buffer batch = {};
        int ret = 0, r;

        if (!lease_is_valid(l))
                return log_error_errno(-EINVAL, "network: nftables: not a sandbox's network to remove rules of");
        lock = rules_lock();
        if (lock < 0)
                return lock;

        /* The elements first: the ports map's jump holds the chain. Only
         * this sandbox's: a stale lease's address or port may be
         * another's by now. */
        snprintf(owner, sizeof(owner), "jump %s", chain_name(chain, l->name, "dnat"));
        for (size_t i = 0; i < l->n_ports; i++)
                if (!port_seen(l, i))
                        DELETE_IF(&batch, ret, owner, "element inet sandbox ports { %s . %u }",
                                  net_protocol_to_string(l->ports[i].protocol), l->ports[i].host_port);
        snprintf(owner, sizeof(owner), "comment \"%s\"", l->name);
        for (int v = 4; v <= 6; v += 2) {
                const NetAddr *x = v == 4 ? &l->addr4 : &l->addr6;

                if (!x->family)
                        continue;
                /* both: the lease might have been rewritten with another outbound */
                DELETE_IF(&batch, ret, owner, "element inet sandbox masq%d { %s }", v, addr_str(x, a));
                DELETE_IF(&batch, ret, owner, "element inet sandbox noout%d { %s }", v, addr_str(x, a));
        }
        r = chain_delete(&batch, "inet", chain_name(chain, l->name, "dnat"));
        if (r < 0 && ret == 0)
                ret = r;
        /* gone already where the kernel took the chain down with its
         * device; on kernels that keep it, without a device, it is here */
        r = chain_delete(&batch, "netdev", chain_name(chain, l->name, "from"));
        if (r < 0 && ret == 0)
                ret = r;
        r = chain_delete(&batch, "netdev", chain_name(chain, l->name, "to"));
        if (r < 0 && ret == 0)
                ret = r;
        r = batch_run(&batch, "remove the rules");
        return ret < 0 ? ret : r;
}
