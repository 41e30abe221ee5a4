/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The unit's network as <network>: PrivateNetwork=yes, or IPAddressDeny=
 * any with only the loopback allowed, a network of the sandbox's own
 * (mode="none"); any other IPAddressAllow= and IPAddressDeny= the host's
 * network with <allow> and <deny>, which the sandbox's unit has as the
 * same two settings again (sandbox.profile(5)). systemd's words are
 * written as the prefixes they stand for, each mapping said in a note.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "convert-network.h"
#include "convert-widen.h"
#include "macro.h"
#include "net-addr.h"
#include "strv.h"

/* systemd.resource-control(5)'s words for address sets */
static const struct {
        const char *word;
        const char *prefixes[2];
} words[] = {
        { "localhost", { "127.0.0.0/8", "::1" } },
        { "link-local", { "169.254.0.0/16", "fe80::/64" } },
        { "multicast", { "224.0.0.0/4", "ff00::/8" } },
};

static int add(char ***l, const char *s) {
        return strv_contains(*l, s) ? 0 : strv_append(l, s);
}

/* Each word of list as what <allow>/<deny> take, into ret; *ret_changed
 * when one is written otherwise than the unit has it. -EINVAL for a word
 * that is no address, prefix or word of systemd's. */
static int map_list(char * const *list, char ***ret, bool *ret_changed) {
        _cleanup_strv_free_ char **out = NULL;
        bool changed = false;
        int r = 0;

        STRV_FOREACH(w, list) {
                char buf[NET_PREFIX_STRING_MAX];
                NetPrefix p, net;
                size_t k;

                for (k = 0; k < ELEMENTSOF(words) && !streq(*w, words[k].word); k++)
                        ;
                if (k < ELEMENTSOF(words)) {
                        r = add(&out, words[k].prefixes[0]);
                        if (r >= 0)
                                r = add(&out, words[k].prefixes[1]);
                        changed = true;
                } else if (streq(*w, "any"))
                        r = add(&out, "any");
                else if (net_prefix_parse(*w, true, &p) >= 0) {
                        /* the bits past the length match nothing in
                         * systemd's filter either */
                        net_prefix_network(&p, &net);
                        if (net.len == (net.addr.family == AF_INET ? 32U : 128U))
                                net_addr_to_string(&net.addr, buf);
                        else
                                net_prefix_to_string(&net, buf);
                        changed = changed || !streq(buf, *w);
                        r = add(&out, buf);
                } else
                        return -EINVAL;
                if (r < 0)
                        return r;
        }
        /* the manager has "any" as both families' whole range */
        if (strv_contains(out, "0.0.0.0/0") && strv_contains(out, "::/0")) {
                _cleanup_strv_free_ char **rest = NULL;

                if (strv_append(&rest, "any") < 0)
                        return -ENOMEM;
                STRV_FOREACH(a, out)
                        if (!streq(*a, "0.0.0.0/0") && !streq(*a, "::/0") && add(&rest, *a) < 0)
                                return -ENOMEM;
                strv_free(out);
                out = TAKE_PTR(rest);
                changed = true;
        }
        *ret = TAKE_PTR(out);
        *ret_changed = changed;
        return 0;
}

bool convert_addresses_mapped(const UnitProps *u) {
        _cleanup_strv_free_ char **a = NULL, **d = NULL;
        bool changed;

        return map_list(u->ip_address_allow, &a, &changed) >= 0 && map_list(u->ip_address_deny, &d, &changed) >= 0;
}

static int note(char ***notes, const char *setting, char * const *from, char * const *to, bool changed) {
        _cleanup_free_ char *f = strv_join(from, " "), *t = strv_join(to, " ");

        if (!f || !t)
                return -ENOMEM;
        return strv_appendf(notes, "%s=%s: <%s> of %s%s, with the host's network; the sandbox's unit has %s= again",
                            setting, f, streq(setting, "IPAddressAllow") ? "allow" : "deny", t,
                            changed ? " (systemd's words and forms written as the prefixes they stand for)" : "", setting);
}

int convert_network(Buffer *b, const UnitProps *u, char ***notes) {
        _cleanup_strv_free_ char **allow = NULL, **deny = NULL;
        bool allow_changed = false, deny_changed = false;
        int r;

        if (convert_own_network(u)) {
                buffer_append(b, "  <network mode=\"none\"/>\n");
                return b->oom ? -ENOMEM : 0;
        }
        r = map_list(u->ip_address_allow, &allow, &allow_changed);
        if (r >= 0)
                r = map_list(u->ip_address_deny, &deny, &deny_changed);
        if (r == -ENOMEM)
                return r;
        /* a word that is none: convert_widening() refuses it, or notes
         * what is lost */
        if (r < 0 || (!allow && !deny)) {
                buffer_append(b, "  <network mode=\"host\"/>\n");
                return b->oom ? -ENOMEM : 0;
        }
        buffer_append(b, "  <network mode=\"host\">\n");
        STRV_FOREACH(a, allow)
                buffer_printf(b, "    <allow address=\"%s\"/>\n", *a);
        STRV_FOREACH(a, deny)
                buffer_printf(b, "    <deny address=\"%s\"/>\n", *a);
        buffer_append(b, "  </network>\n");
        if ((allow && note(notes, "IPAddressAllow", u->ip_address_allow, allow, allow_changed) < 0) ||
            (deny && note(notes, "IPAddressDeny", u->ip_address_deny, deny, deny_changed) < 0))
                return -ENOMEM;
        return b->oom ? -ENOMEM : 0;
}
