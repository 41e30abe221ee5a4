/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "macro.h"
#include "net-resolv.h"

typedef struct Out {
        char *buf;
        size_t n;
        bool full;
} Out;

static void add(Out *o, const char *fmt, ...) {
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(o->buf + o->n, NET_RESOLV_MAX - o->n, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= NET_RESOLV_MAX - o->n)
                o->full = true;
        else
                o->n += (size_t) n;
}

/* the first word of line (of n bytes) and what follows it, trimmed */
static bool keyword(const char *line, size_t n, const char *word, const char **rest, size_t *rest_n) {
        size_t w = strlen(word);

        if (n <= w || strncmp(line, word, w) != 0 || (line[w] != ' ' && line[w] != '\t'))
                return false;
        *rest = line + w;
        *rest_n = n - w;
        while (*rest_n && (**rest == ' ' || **rest == '\t'))
                (*rest)++, (*rest_n)--;
        while (*rest_n && strchr(" \t\r", (*rest)[*rest_n - 1]))
                (*rest_n)--;
        return *rest_n > 0;
}

int net_resolv_make(const char *host, char *const *dns, const NetAddr *gw4, char out[static NET_RESOLV_MAX],
                    NetAddr *ret_dns_to) {
        Out o = { out, 0, false };
        NetAddr to = {};
        char a[NET_ADDR_STRING_MAX];
        unsigned servers = 0;

        out[0] = 0;
        add(&o, "# the resolvers of this sandbox's network, written by sandbox-network at its start\n");
        for (char *const *d = dns; d && *d; d++)
                add(&o, "nameserver %s\n", *d), servers++;
        for (const char *line = host; line && *line;) {
                const char *end = strchr(line, '\n'), *rest;
                size_t n = end ? (size_t) (end - line) : strlen(line), rest_n;
                char value[NET_ADDR_STRING_MAX];
                NetAddr ns;

                if (keyword(line, n, "nameserver", &rest, &rest_n)) {
                        if (!dns && servers < 3 && rest_n < sizeof(value)) {
                                memcpy(value, rest, rest_n);
                                value[rest_n] = 0;
                                if (net_addr_parse(value, 0, &ns) < 0)
                                        ;
                                else if (!net_addr_is_loopback(&ns))
                                        add(&o, "nameserver %s\n", value), servers++;
                                else if (ns.family == AF_INET && !to.family && gw4->family == AF_INET) {
                                        to = ns;
                                        add(&o, "nameserver %s\n", net_addr_to_string(gw4, a)), servers++;
                                }
                        }
                } else if (keyword(line, n, "search", &rest, &rest_n) || keyword(line, n, "domain", &rest, &rest_n) ||
                           keyword(line, n, "options", &rest, &rest_n))
                        add(&o, "%.*s\n", (int) n, line);
                line = end ? end + 1 : line + n;
        }
        if (o.full)
                return -E2BIG;
        *ret_dns_to = to;
        return 0;
}
