/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "json.h"
#include "macro.h"
#include "status-network.h"

/* the sandbox's end of its veth pair (helper/netlink.h) */
#define SANDBOX_IFNAME "eth0"

int status_network_read(const char *name, NetLease *ret) {
        int r = net_lease_read(name, ret);

        if (r == -ENOENT)
                return 0;
        return r < 0 ? r : 1;
}

/* "10.92.0.5/16": the sandbox's address and its network's length */
static const char *address_with_len(const NetAddr *a, const NetPrefix *net, char buf[static NET_PREFIX_STRING_MAX]) {
        char s[NET_ADDR_STRING_MAX];

        snprintf(buf, NET_PREFIX_STRING_MAX, "%s/%u", net_addr_to_string(a, s), net->len);
        return buf;
}

/* "0.0.0.0:8080" (every address), "192.0.2.1:8080", "[2001:db8::1]:8080" */
static const char *host_end(const NetPort *p, char buf[static NET_ADDR_STRING_MAX + 16]) {
        char s[NET_ADDR_STRING_MAX];

        if (!p->host_addr.family)
                snprintf(buf, NET_ADDR_STRING_MAX + 16, "0.0.0.0:%u", p->host_port);
        else
                snprintf(buf, NET_ADDR_STRING_MAX + 16, p->host_addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u",
                         net_addr_to_string(&p->host_addr, s), p->host_port);
        return buf;
}

void status_network_print(const NetLease *l) {
        char a4[NET_PREFIX_STRING_MAX], a6[NET_PREFIX_STRING_MAX], g4[NET_ADDR_STRING_MAX], g6[NET_ADDR_STRING_MAX];
        char host[NET_ADDR_STRING_MAX + 16];

        printf("    network: bridge %s, %s %s%s%s (host side %s), gateway %s%s%s, outbound %s\n", l->bridge,
               SANDBOX_IFNAME, address_with_len(&l->addr4, &l->net4, a4), l->addr6.family ? " " : "",
               l->addr6.family ? address_with_len(&l->addr6, &l->net6, a6) : "", l->ifname,
               net_addr_to_string(&l->gw4, g4), l->addr6.family ? " " : "",
               l->addr6.family ? net_addr_to_string(&l->gw6, g6) : "", l->outbound ? "yes" : "no");
        for (size_t i = 0; i < l->n_ports; i++)
                printf("    forward: %s %s -> %u\n", net_protocol_to_string(l->ports[i].protocol),
                       host_end(&l->ports[i], host), l->ports[i].sandbox_port);
}

void status_network_json(Buffer *b, const char *mode, const NetLease *l) {
        char s[NET_PREFIX_STRING_MAX];

        buffer_append(b, "\"network\": {\"mode\": ");
        json_append_string(b, mode);
        if (!l) {
                buffer_append(b, ", \"bridge\": null, \"interface\": null, \"host_interface\": null, "
                              "\"addresses\": null, \"gateways\": null, \"outbound\": null, \"forwards\": null}");
                return;
        }
        buffer_append(b, ", \"bridge\": ");
        json_append_string(b, l->bridge);
        buffer_append(b, ", \"interface\": ");
        json_append_string(b, SANDBOX_IFNAME);
        buffer_append(b, ", \"host_interface\": ");
        json_append_string(b, l->ifname);
        buffer_append(b, ", \"addresses\": [");
        json_append_string(b, address_with_len(&l->addr4, &l->net4, s));
        if (l->addr6.family) {
                buffer_append(b, ", ");
                json_append_string(b, address_with_len(&l->addr6, &l->net6, s));
        }
        buffer_append(b, "], \"gateways\": [");
        json_append_string(b, net_addr_to_string(&l->gw4, s));
        if (l->addr6.family) {
                buffer_append(b, ", ");
                json_append_string(b, net_addr_to_string(&l->gw6, s));
        }
        buffer_printf(b, "], \"outbound\": %s, \"forwards\": [", l->outbound ? "true" : "false");
        for (size_t i = 0; i < l->n_ports; i++) {
                const NetPort *p = &l->ports[i];

                buffer_append(b, i ? ", {\"protocol\": " : "{\"protocol\": ");
                json_append_string(b, net_protocol_to_string(p->protocol));
                buffer_append(b, ", \"host_address\": ");
                json_append_string(b, p->host_addr.family ? net_addr_to_string(&p->host_addr, s) : NULL);
                buffer_printf(b, ", \"host_port\": %u, \"sandbox_port\": %u}", p->host_port, p->sandbox_port);
        }
        buffer_append(b, "]}");
}
