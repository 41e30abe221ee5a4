/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <network> (sandbox.profile(5)): its mode, and for mode="bridge" the
 * bridge, addresses, gateways, MTU, outbound access, <port> forwards and
 * <dns> servers; <allow> and <deny> for "host" and "bridge". One element
 * says all of it: a later one replaces what an included profile said,
 * whole, so that no forward or list of a base is left over unseen. What
 * another mode cannot do is refused, never dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net-addr.h"
#include "profile-parse.h"
#include "strv.h"

static const char *const bridge_attrs[] = {
        "bridge", "address", "address6", "ipv6", "gateway", "gateway6", "mtu", "outbound",
};

static const char *family_name(int family) {
        return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* none of these is anyone's address on a link */
static const char *not_unicast(const NetAddr *a) {
        static const uint8_t zero[16];

        if (memcmp(a->bytes, zero, a->family == AF_INET ? 4 : 16) == 0)
                return "the unspecified address";
        if (net_addr_is_loopback(a))
                return "a loopback address";
        if ((a->family == AF_INET && (a->bytes[0] & 0xf0) == 0xe0) || (a->family == AF_INET6 && a->bytes[0] == 0xff))
                return "a multicast address";
        if (a->family == AF_INET && memcmp(a->bytes, "\xff\xff\xff\xff", 4) == 0)
                return "the broadcast address";
        return NULL;
}

/* An address of one family (AF_INET or AF_INET6), as inet_ntop() writes
 * it; NULL when absent or refused. */
static char *addr_attr(ParseContext *c, xmlNodePtr n, const char *name, int family, bool ipv6) {
        _cleanup_free_ char *v = attr(n, name);
        char buf[NET_ADDR_STRING_MAX], *r;
        const char *why;
        NetAddr a;

        if (!v)
                return NULL;
        if (net_addr_parse(v, family, &a) < 0) {
                if (net_addr_parse(v, 0, &a) >= 0)
                        problem(c, n, "%s \"%s\" is an %s address; allowed: an %s address%s", name, v,
                                family_name(a.family), family_name(family),
                                family == AF_INET ? " (an IPv6 one goes into address6= or gateway6=)" : "");
                else
                        problem(c, n, "%s \"%s\" is not an %s address; allowed: e.g. \"%s\"", name, v,
                                family_name(family), family == AF_INET ? "10.92.0.20" : "fd92:5a:b0::20");
                return NULL;
        }
        if (family == AF_INET6 && !ipv6) {
                problem(c, n, "%s=\"%s\" needs ipv6=\"yes\"; without it the sandbox has no IPv6 address", name, v);
                return NULL;
        }
        why = not_unicast(&a);
        if (why) {
                problem(c, n, "%s \"%s\" is %s; allowed: an address of one host", name, v, why);
                return NULL;
        }
        r = strdup(net_addr_to_string(&a, buf));
        if (!r)
                c->diags->error = -ENOMEM;
        return r;
}

static void network_attrs(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        char *v;

        p->net_ipv6 = yes(n, "ipv6", false);
        p->net_outbound = yes(n, "outbound", true);
        if ((v = attr(n, "bridge"))) {
                if (net_ifname_is_valid(v))
                        replace(&p->net_bridge, v);
                else {
                        problem(c, n, "bridge \"%s\" is not a valid interface name; allowed: 1 to %d bytes without "
                                "\"/\", \":\", spaces or control characters, not \".\" or \"..\", e.g. \"" NET_BRIDGE_DEFAULT "\"",
                                v, NET_IFNAME_MAX);
                        free(v);
                }
        }
        p->net_address = addr_attr(c, n, "address", AF_INET, p->net_ipv6);
        p->net_address6 = addr_attr(c, n, "address6", AF_INET6, p->net_ipv6);
        p->net_gateway = addr_attr(c, n, "gateway", AF_INET, p->net_ipv6);
        p->net_gateway6 = addr_attr(c, n, "gateway6", AF_INET6, p->net_ipv6);
        if ((v = attr(n, "mtu"))) {
                if (net_mtu_is_valid(v))
                        replace(&p->net_mtu, v);
                else {
                        problem(c, n, "mtu \"%s\" is not valid; allowed: a number of bytes from 68 to 65535", v);
                        free(v);
                }
        }
}

static int port_number(ParseContext *c, xmlNodePtr n, const char *name, const char *v, uint16_t *ret) {
        char spec[32];
        NetPort port;

        /* net_port_parse() is the one reader of port numbers */
        if (strlen(v) > 5 || snprintf(spec, sizeof(spec), "tcp/%s/1", v) < 0 || net_port_parse(spec, &port) < 0) {
                problem(c, n, "%s \"%s\" is not a port number; allowed: 1 to 65535", name, v);
                return -EINVAL;
        }
        *ret = port.host_port;
        return 0;
}

/* two forwards meet when they take the same protocol and port on an
 * address both listen on (none: every address of the host) */
static bool ports_meet(const NetPort *a, const NetPort *b) {
        return a->protocol == b->protocol && a->host_port == b->host_port &&
                (!a->host_addr.family || !b->host_addr.family || net_addr_equal(&a->host_addr, &b->host_addr));
}

static void parse_port(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *host = attr(n, "host"), *sandbox = attr(n, "sandbox"), *protocol = attr(n, "protocol"),
                            *address = attr(n, "address");
        NetPort port = { .protocol = IPPROTO_TCP };
        ProfilePort *t;
        const char *why;

        if (!host)
                return; /* the schema said so */
        if (protocol && streq(protocol, "udp"))
                port.protocol = IPPROTO_UDP;
        else if (protocol && !streq(protocol, "tcp"))
                return; /* the schema said so */
        if (port_number(c, n, "host", host, &port.host_port) < 0)
                return;
        port.sandbox_port = port.host_port;
        if (sandbox && port_number(c, n, "sandbox", sandbox, &port.sandbox_port) < 0)
                return;
        if (address) {
                if (net_addr_parse(address, 0, &port.host_addr) < 0) {
                        problem(c, n, "address \"%s\" is not an IPv4 or IPv6 address; allowed: an address of the "
                                "host's, or none for all of them", address);
                        return;
                }
                if (port.host_addr.family == AF_INET6 && !p->net_ipv6) {
                        problem(c, n, "address \"%s\" is an IPv6 address, which needs <network ipv6=\"yes\">", address);
                        return;
                }
                why = not_unicast(&port.host_addr);
                if (why && !net_addr_is_loopback(&port.host_addr)) {
                        problem(c, n, "address \"%s\" is %s; allowed: an address of the host's, or none for all of them",
                                address, why);
                        return;
                }
        }
        for (size_t i = 0; i < p->n_net_ports; i++)
                if (ports_meet(&p->net_ports[i].port, &port)) {
                        problem(c, n, "%s port %u of the host is already forwarded by <port> at %s:%u; one forward per "
                                "protocol, port and address", net_protocol_to_string(port.protocol), port.host_port,
                                p->net_ports[i].origin.file, p->net_ports[i].origin.line);
                        return;
                }
        if (p->n_net_ports >= PROFILE_PORTS_MAX) {
                problem(c, n, "more than %d forwards; allowed: at most %d <port> elements", PROFILE_PORTS_MAX,
                        PROFILE_PORTS_MAX);
                return;
        }
        t = realloc(p->net_ports, (p->n_net_ports + 1) * sizeof(*t));
        if (!t) {
                c->diags->error = -ENOMEM;
                return;
        }
        p->net_ports = t;
        p->net_ports[p->n_net_ports++] = (ProfilePort) { port, { c->file, line_of(n) } };
}

/* "any", an address, or a prefix without host bits, as systemd's
 * IPAddressAllow= takes them */
static void parse_rule(ParseContext *c, xmlNodePtr n, char ***list) {
        _cleanup_free_ char *v = attr(n, "address");
        char buf[NET_PREFIX_STRING_MAX], net[NET_PREFIX_STRING_MAX];
        NetPrefix prefix, network;

        if (!v)
                return;
        if (strv_length(*list) >= PROFILE_NET_RULES_MAX) {
                problem(c, n, "more than %d addresses; allowed: at most %d <%s> elements", PROFILE_NET_RULES_MAX,
                        PROFILE_NET_RULES_MAX, (const char *) n->name);
                return;
        }
        if (streq(v, "any"))
                strcpy(buf, "any");
        else if (net_prefix_parse(v, false, &prefix) >= 0) {
                if (prefix.len == (prefix.addr.family == AF_INET ? 32U : 128U))
                        net_addr_to_string(&prefix.addr, buf);
                else
                        net_prefix_to_string(&prefix, buf);
        } else if (net_prefix_parse(v, true, &prefix) >= 0) {
                net_prefix_network(&prefix, &network);
                problem(c, n, "address \"%s\" has bits set past its prefix length; allowed: the network's own "
                        "address, here \"%s\"", v, net_prefix_to_string(&network, net));
                return;
        } else {
                problem(c, n, "address \"%s\" is not valid; allowed: \"any\", an IPv4 or IPv6 address, or a prefix "
                        "such as \"10.0.0.0/8\" or \"fd00::/8\"", v);
                return;
        }
        /* once is enough */
        if (!strv_contains(*list, buf) && strv_append(list, buf) < 0)
                c->diags->error = -ENOMEM;
}

static void parse_dns(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *v = attr(n, "server");
        char buf[NET_ADDR_STRING_MAX];
        NetAddr a;
        const char *why;

        if (!v)
                return;
        if (net_addr_parse(v, 0, &a) < 0) {
                problem(c, n, "server \"%s\" is not an IPv4 or IPv6 address; allowed: e.g. \"192.0.2.53\"", v);
                return;
        }
        if (a.family == AF_INET6 && !p->net_ipv6) {
                problem(c, n, "server \"%s\" is an IPv6 address, which needs <network ipv6=\"yes\">", v);
                return;
        }
        why = not_unicast(&a);
        if (why && !net_addr_is_loopback(&a)) {
                problem(c, n, "server \"%s\" is %s; allowed: the address of a resolver", v, why);
                return;
        }
        net_addr_to_string(&a, buf);
        if (strv_contains(p->net_dns, buf))
                return;
        if (strv_length(p->net_dns) >= PROFILE_DNS_MAX) {
                problem(c, n, "more than %d servers; the resolver reads at most %d", PROFILE_DNS_MAX, PROFILE_DNS_MAX);
                return;
        }
        if (strv_append(&p->net_dns, buf) < 0)
                c->diags->error = -ENOMEM;
}

/* what a mode other than "bridge" has instead */
static const char *mode_has(NetworkMode m) {
        return m == NETWORK_HOST ? "the sandbox uses the host's own interfaces" : "the sandbox has only its loopback interface";
}

void profile_parse_network(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *mode = attr(n, "mode");
        NetworkMode m;

        if (!mode || network_mode_from_string(mode) < 0)
                return; /* the schema said so */
        m = (NetworkMode) network_mode_from_string(mode);
        profile_network_reset(p);
        p->network = m;
        p->network_origin = (Origin) { c->file, line_of(n) };

        if (m == NETWORK_BRIDGE)
                network_attrs(c, n);
        else
                for (size_t i = 0; i < ELEMENTSOF(bridge_attrs); i++)
                        if (xmlHasProp(n, (const xmlChar *) bridge_attrs[i]))
                                problem(c, n, "%s= needs mode=\"bridge\"; with mode=\"%s\" %s", bridge_attrs[i], mode,
                                        mode_has(m));

        for (xmlNodePtr k = n->children; k; k = k->next) {
                if (k->type != XML_ELEMENT_NODE || k->ns)
                        continue;
                if (m == NETWORK_NONE || m == NETWORK_PRIVATE) {
                        problem(c, k, "<network mode=\"%s\"> takes no elements: %s; <allow> and <deny> are for "
                                "mode=\"host\" or \"bridge\", <port> and <dns> for mode=\"bridge\"", mode, mode_has(m));
                        continue;
                }
                if (is(k, "allow"))
                        parse_rule(c, k, &p->net_allow);
                else if (is(k, "deny"))
                        parse_rule(c, k, &p->net_deny);
                else if (m == NETWORK_HOST && (is(k, "port") || is(k, "dns")))
                        problem(c, k, "needs <network mode=\"bridge\">; with mode=\"host\" the service %s",
                                is(k, "port") ? "listens on the host's own ports" : "uses the host's resolvers");
                else if (is(k, "port"))
                        parse_port(c, k);
                else if (is(k, "dns"))
                        parse_dns(c, k);
        }
}
