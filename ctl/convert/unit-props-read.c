/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "macro.h"
#include "strv.h"
#include "unit-props-read.h"

/* a(sasbttttuii): path, argv, ignore failure, then times and status */
int read_commands(sd_bus_message *m, UnitCommands *ret) {
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(sasbttttuii)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "sasbttttuii")) > 0) {
                UnitCommand c = {};
                const char *path;
                int ignore;
                UnitCommand *t;

                r = sd_bus_message_read(m, "s", &path);
                if (r >= 0)
                        r = sd_bus_message_read_strv(m, &c.argv);
                if (r >= 0)
                        r = sd_bus_message_read(m, "b", &ignore);
                if (r >= 0)
                        r = sd_bus_message_skip(m, "ttttuii");
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                c.path = r >= 0 ? strdup(path) : NULL;
                t = c.path ? realloc(ret->items, (ret->n + 1) * sizeof(*t)) : NULL;
                if (!t) {
                        free(c.path);
                        strv_free(c.argv);
                        return r < 0 ? r : -ENOMEM;
                }
                c.ignore_failure = ignore;
                ret->items = t;
                ret->items[ret->n++] = c;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* a(sb): path, whether it may be missing */
int read_env_files(sd_bus_message *m, char ***ret) {
        const char *path;
        int missing_ok, r;

        r = sd_bus_message_enter_container(m, 'a', "(sb)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(sb)", &path, &missing_ok)) > 0) {
                char *e;

                if (asprintf(&e, "%s%s", missing_ok ? "-" : "", path) < 0 || strv_consume(ret, e) < 0)
                        return -ENOMEM;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* a(ssbt): source, target, whether the source may be missing, flags */
int read_binds(sd_bus_message *m, UnitBinds *ret) {
        const char *source, *target;
        uint64_t flags;
        int missing_ok, r;

        r = sd_bus_message_enter_container(m, 'a', "(ssbt)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(ssbt)", &source, &target, &missing_ok, &flags)) > 0) {
                UnitBind *t = realloc(ret->items, (ret->n + 1) * sizeof(*t));

                if (!t)
                        return -ENOMEM;
                ret->items = t;
                t[ret->n] = (UnitBind) { strdup(source), strdup(target), missing_ok };
                if (!t[ret->n].source || !t[ret->n].target) {
                        free(t[ret->n].source);
                        free(t[ret->n].target);
                        return -ENOMEM;
                }
                ret->n++;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* (bas): whether the list allows (else it denies), the list; a deny-list
 * is kept with "~" first, as systemd writes it */
int read_list(sd_bus_message *m, char ***ret) {
        int allow, r;

        r = sd_bus_message_enter_container(m, 'r', "bas");
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "b", &allow);
        if (r >= 0)
                r = sd_bus_message_read_strv(m, ret);
        /* an allow-list of nothing, as RestrictAddressFamilies=none: not
         * the same as no list */
        if (r >= 0 && allow && (!*ret || !**ret) && strv_append(ret, "none") < 0)
                return -ENOMEM;
        if (r >= 0 && !allow && *ret && **ret) {
                char *first;

                if (asprintf(&first, "~%s", (*ret)[0]) < 0)
                        return -ENOMEM;
                free((*ret)[0]);
                (*ret)[0] = first;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* a(iayu): family, address, prefix length; as "ADDRESS/PREFIX" */
int read_addresses(sd_bus_message *m, char ***ret) {
        int family, r;

        r = sd_bus_message_enter_container(m, 'a', "(iayu)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "iayu")) > 0) {
                char text[INET6_ADDRSTRLEN], *e;
                const void *a;
                size_t n;
                uint32_t prefix;

                r = sd_bus_message_read(m, "i", &family);
                if (r >= 0)
                        r = sd_bus_message_read_array(m, 'y', &a, &n);
                if (r >= 0)
                        r = sd_bus_message_read(m, "u", &prefix);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                if (n != (family == AF_INET ? 4U : 16U) || !inet_ntop(family, a, text, sizeof(text)))
                        return -EBADMSG;
                if (asprintf(&e, "%s/%u", text, prefix) < 0 || strv_consume(ret, e) < 0)
                        return -ENOMEM;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* a(ss): as "FIRST:SECOND", or "FIRST" when SECOND is empty */
int read_pairs(sd_bus_message *m, char ***ret) {
        const char *a, *b;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(ss)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(ss)", &a, &b)) > 0) {
                char *e;

                if (asprintf(&e, "%s%s%s", a, *b ? ":" : "", b) < 0 || strv_consume(ret, e) < 0)
                        return -ENOMEM;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* a(say) of SetCredential=: "ID:DATA" when DATA is one line of text
 * that a unit file takes as it is, else "ID" alone */
int read_credentials(sd_bus_message *m, char ***ret) {
        const char *id;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(say)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "say")) > 0) {
                const void *data;
                size_t n;
                bool text = true;
                char *e;

                r = sd_bus_message_read(m, "s", &id);
                if (r >= 0)
                        r = sd_bus_message_read_array(m, 'y', &data, &n);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n && text; i++)
                        text = ((const unsigned char *) data)[i] >= 0x20 && ((const char *) data)[i] != 0x7f &&
                                !strchr("\\%", ((const char *) data)[i]);
                if ((text && n > 0 ? asprintf(&e, "%s:%.*s", id, (int) n, (const char *) data) : asprintf(&e, "%s", id)) < 0 ||
                    strv_consume(ret, e) < 0)
                        return -ENOMEM;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* (bs): whether it may be missing, the label; NULL when empty */
int read_label(sd_bus_message *m, char **ret) {
        const char *s;
        int ignore, r;

        r = sd_bus_message_read(m, "(bs)", &ignore, &s);
        if (r < 0)
                return r;
        if (*s && asprintf(ret, "%s%s", ignore ? "-" : "", s) < 0)
                return -ENOMEM;
        return 0;
}

/* A setting of convert-widen.h's list, as "NAME=VALUE" into
 * u->confining when it is set */
int read_confining(sd_bus_message *m, const ConfiningSetting *c, UnitProps *u) {
        _cleanup_free_ char *value = NULL;
        const char *sig = c->signature;
        int r;

        r = sd_bus_message_enter_container(m, 'v', sig);
        if (r < 0)
                return r;
        if (streq(sig, "b")) {
                int b;

                r = sd_bus_message_read(m, "b", &b);
                if (r >= 0 && b && !(value = strdup("yes")))
                        r = -ENOMEM;
        } else if (streq(sig, "i")) {
                int32_t i;

                r = sd_bus_message_read(m, "i", &i);
                if (r >= 0 && i != 0 && asprintf(&value, "%" PRIi32, i) < 0)
                        r = -ENOMEM;
        } else if (streq(sig, "(bs)")) {
                const char *s;
                int ignore;

                r = sd_bus_message_read(m, "(bs)", &ignore, &s);
                if (r >= 0 && *s && asprintf(&value, "%s%s", ignore ? "-" : "", s) < 0)
                        r = -ENOMEM;
        } else if (streq(sig, "t")) {
                uint64_t t;

                r = sd_bus_message_read(m, "t", &t);
                if (r >= 0 && t != UINT64_MAX && asprintf(&value, "%llu", (unsigned long long) t) < 0)
                        r = -ENOMEM;
        } else if (streq(sig, "s")) {
                const char *s;

                r = sd_bus_message_read(m, "s", &s);
                if (r >= 0 && *s && !(c->unset && streq(s, c->unset)) && !(value = strdup(s)))
                        r = -ENOMEM;
        } else if (streq(sig, "(bas)")) {
                _cleanup_strv_free_ char **l = NULL;

                r = read_list(m, &l);
                /* whole, for <system-calls> (convert-widen.c) */
                if (r >= 0 && l && streq(c->name, "SystemCallFilter")) {
                        u->system_call_filter = strv_free(u->system_call_filter);
                        r = strv_extend(&u->system_call_filter, l);
                }
                /* the manager lists every system call of a set: the
                 * first few say enough in a message; the families are
                 * carried (convert-widen.c), all of them */
                if (r >= 0 && strv_length(l) > 8 && !streq(c->name, "RestrictAddressFamilies")) {
                        _cleanup_free_ char *first = NULL;
                        size_t n = strv_length(l);

                        for (size_t i = 8; i < n; i++) {
                                free(l[i]);
                                l[i] = NULL;
                        }
                        if (!(first = strv_join(l, " ")) || asprintf(&value, "%s ... (%zu in all)", first, n) < 0)
                                r = -ENOMEM;
                } else if (r >= 0 && l && !(value = strv_join(l, " ")))
                        r = -ENOMEM;
        } else if (streq(sig, "as")) {
                _cleanup_strv_free_ char **l = NULL;
                bool spaced = false;

                /* NoExecPaths= and ExecPaths= are carried
                 * (convert-exec-paths.c): their entries joined by " ",
                 * as unit-files.c joins the lines; an entry with a space
                 * is left as a count, which no element takes */
                r = sd_bus_message_read_strv(m, &l);
                STRV_FOREACH(e, l)
                        spaced = spaced || strpbrk(*e, " \t");
                if (r >= 0 && l && *l && spaced &&
                    asprintf(&value, "(%zu entr%s)", strv_length(l), strv_length(l) == 1 ? "y" : "ies") < 0)
                        r = -ENOMEM;
                else if (r >= 0 && l && *l && !spaced && !(value = strv_join(l, " ")))
                        r = -ENOMEM;
        } else if (streq(sig, "a(st)")) {
                const char *path;
                uint64_t t;

                /* one entry each, "PATH VALUE", as a unit file has them
                 * (convert-settings.c carries some) */
                r = sd_bus_message_enter_container(m, 'a', "(st)");
                while (r >= 0 && (r = sd_bus_message_read(m, "(st)", &path, &t)) > 0) {
                        char *e;

                        if ((t == UINT64_MAX ? asprintf(&e, "%s=%s infinity", c->name, path)
                                             : asprintf(&e, "%s=%s %llu", c->name, path, (unsigned long long) t)) < 0 ||
                            strv_consume(&u->confining, e) < 0)
                                return -ENOMEM;
                }
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        } else if (sig[0] == 'a') {
                unsigned n = 0;

                r = sd_bus_message_enter_container(m, 'a', sig + 1);
                while (r >= 0 && (r = sd_bus_message_at_end(m, false)) == 0 && (r = sd_bus_message_skip(m, sig + 1)) >= 0)
                        n++;
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r >= 0 && n > 0 && asprintf(&value, "(%u entr%s)", n, n == 1 ? "y" : "ies") < 0)
                        r = -ENOMEM;
        } else
                r = sd_bus_message_skip(m, sig);
        if (r < 0)
                return r;
        if (value) {
                char *e;

                if (asprintf(&e, "%s=%s", c->name, value) < 0 || strv_consume(&u->confining, e) < 0)
                        return -ENOMEM;
        }
        return sd_bus_message_exit_container(m);
}
