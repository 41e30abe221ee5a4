/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <security>: capabilities, labels, system call filter and Landlock
 * rules. System call names are checked against libseccomp's table for
 * this machine's architecture, the one the helper builds its filter for.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "address-families.h"
#include "capabilities.h"
#include "capability-names.h"
#include "names.h"
#include "profile-parse.h"
#include "strv.h"
#include "syscall-sets.h"
#include "system-calls.h"

static void oom(ParseContext *c) {
        c->diags->error = -ENOMEM;
}

/* A system call libseccomp knows, or a set of syscall-sets.c. */
static bool syscall_name_check(ParseContext *c, xmlNodePtr n, const char *name) {
        if (name[0] == '@') {
                if (syscall_set_find(name))
                        return true;
                _cleanup_free_ char *sets = NULL;
                size_t len = 0;
                for (const SyscallSet *s = syscall_sets; s->name; s++) {
                        char *t = realloc(sets, len + strlen(s->name) + 3);
                        if (!t)
                                return oom(c), false;
                        sets = t;
                        len += (size_t) sprintf(sets + len, "%s%s", len ? ", " : "", s->name);
                }
                problem(c, n, "unknown system call set \"%s\"; allowed: %s", name, sets ? sets : "");
                return false;
        }
        if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
                problem(c, n, "unknown system call \"%s\"; allowed: a name from syscalls(2) that this "
                        "architecture has, or a set such as @mount", name);
                return false;
        }
        return true;
}

static bool listed(char **l, const char *name) {
        size_t n = strlen(name);

        STRV_FOREACH(s, l)
                if (strncmp(*s, name, n) == 0 && ((*s)[n] == 0 || (*s)[n] == ':'))
                        return true;
        return false;
}

static void parse_seccomp(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *dflt = attr(n, "default");

        if (dflt)
                p->seccomp_default = streq(dflt, "yes");
        for (xmlNodePtr k = n->children; k; k = k->next) {
                bool deny = is(k, "deny");
                _cleanup_free_ char *name = NULL, *err = NULL;
                char *v;

                if (!deny && !is(k, "allow"))
                        continue;
                name = attr(k, "syscall");
                if (!name || !syscall_name_check(c, k, name))
                        continue;
                if (listed(deny ? p->seccomp_allow : p->seccomp_deny, name)) {
                        problem(c, k, "system call \"%s\" is both allowed and denied", name);
                        continue;
                }
                if (!deny) {
                        if (!listed(p->seccomp_allow, name) && strv_append(&p->seccomp_allow, name) < 0)
                                oom(c);
                        continue;
                }
                err = attr(k, "errno");
                if (err && !streq(err, "kill") && seccomp_errno_from_string(err) < 0) {
                        problem(c, k, "errno \"%s\" is not valid; allowed: a name such as EPERM, ENOSYS or EACCES, "
                                "a number from 1 to 4095, or \"kill\" to kill the process", err);
                        continue;
                }
                if (asprintf(&v, "%s:%s", name, err ? err : "EPERM") < 0 || strv_consume(&p->seccomp_deny, v) < 0)
                        oom(c);
        }
}

static void parse_landlock(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *dflt = attr(n, "default");
        bool rules = false;

        for (xmlNodePtr k = n->children; k; k = k->next)
                rules = rules || is(k, "read-write") || is(k, "read-only");
        /* <landlock default="no"/> needs no paths: an element with rules,
         * or without "default", is one for rules, which must name some,
         * and says whether they are optional; one with "default" alone
         * changes that only when it says so */
        if (dflt)
                p->landlock_default = streq(dflt, "yes");
        if (rules || !dflt) {
                p->landlock = true;
                p->landlock_origin = (Origin) { c->file, line_of(n) };
        }
        if (rules || !dflt || xmlHasProp(n, (const xmlChar *) "optional"))
                p->landlock_optional = yes(n, "optional", false);
        for (xmlNodePtr k = n->children; k; k = k->next) {
                bool rw = is(k, "read-write");
                _cleanup_free_ char *path = NULL;

                if (!rw && !is(k, "read-only"))
                        continue;
                path = path_attr(c, k, "path");
                if (!path)
                        continue;
                if (strv_contains(rw ? p->landlock_ro : p->landlock_rw, path)) {
                        problem(c, k, "path \"%s\" is both read-only and read-write", path);
                        continue;
                }
                if (!strv_contains(rw ? p->landlock_rw : p->landlock_ro, path) &&
                    strv_append(rw ? &p->landlock_rw : &p->landlock_ro, path) < 0)
                        oom(c);
        }
}

/* The capabilities named in attribute name of n, upper case, each once;
 * an empty list when the attribute is absent or empty; NULL when memory
 * ran out. An unknown name is reported and left out: the profile is
 * refused, and the others are still checked. */
static char **capability_list(ParseContext *c, xmlNodePtr n, const char *name) {
        _cleanup_free_ char *value = attr(n, name);
        _cleanup_strv_free_ char **words = NULL, **caps = NULL;

        if (value && strv_split(value, " \t\r\n,", &words) < 0)
                return oom(c), NULL;
        STRV_FOREACH(w, words) {
                _cleanup_free_ char *upper = strdup(*w);

                if (!upper)
                        return oom(c), NULL;
                for (char *s = upper; *s; s++)
                        *s = (char) toupper((unsigned char) *s);
                if (strncmp(upper, "CAP_", 4) != 0 && capability_from_any_name(upper) >= 0) {
                        problem(c, n, "unknown capability \"%s\"; capability names start with CAP_: did you mean CAP_%s?", *w, upper);
                        continue;
                }
                if (capability_from_name(upper) < 0) {
                        problem(c, n, "unknown capability \"%s\"; allowed: names such as CAP_NET_BIND_SERVICE "
                                "(see capabilities(7)), separated by spaces", *w);
                        continue;
                }
                if (strv_contains(caps, upper))
                        continue;
                if (strv_consume(&caps, TAKE_PTR(upper)) < 0)
                        return oom(c), NULL;
        }
        if (!caps && strv_split("", " ", &caps) < 0) /* keep="" keeps none */
                return oom(c), NULL;
        return TAKE_PTR(caps);
}

/* An element replaces both lists of an included one: what a base kept
 * with keep-unsafe= is not kept unless this file says so again. Which
 * capability belongs in which list is checked on the merged profile
 * (profile_check_capabilities()), where the network is known. */
static void parse_capabilities(ParseContext *c, xmlNodePtr n) {
        _cleanup_strv_free_ char **keep = capability_list(c, n, "keep");
        _cleanup_strv_free_ char **unsafe = capability_list(c, n, "keep-unsafe");
        Profile *p = c->profile;

        if (!keep || !unsafe)
                return;
        strv_free(p->keep_caps);
        strv_free(p->keep_caps_unsafe);
        p->keep_caps = TAKE_PTR(keep);
        p->keep_caps_unsafe = TAKE_PTR(unsafe);
        p->caps_origin = (Origin) { c->file, line_of(n) };
}

/* rtnetlink acts on every network namespace that the sandbox's has an
 * id for (IFLA_TARGET_NETNSID), checking CAP_NET_ADMIN in the user
 * namespace that one belongs to; a bridged sandbox's has one for the
 * host's, where eth0's peer is. So CAP_NET_ADMIN of the host's user
 * namespace reaches the host's links and bridge from there, whether
 * kept or kept as unsafe; in a user namespace of the service's own it
 * reaches neither. Under identity the sandbox's own network belongs to
 * the host's user namespace too (refused in profile-check.c as for any
 * such capability); under private it belongs to the service's, where
 * the capability acts on that network only. The helper refuses it the
 * same way. */
static bool net_admin_reaches_host(const Profile *p, const char *cap) {
        return p->network == NETWORK_BRIDGE && p->user_namespace == USERNS_NONE && streq(cap, "CAP_NET_ADMIN");
}

static void net_admin_bridge_refused(Diagnostics *d, const char *file, unsigned line) {
        diag_add(d, file, line, "<capabilities>: CAP_NET_ADMIN cannot be kept in a bridged sandbox: it would reach "
                 "the host's network namespace, its links and its bridge (through the namespace id of eth0's peer); "
                 "the sandbox's addresses, routes and MTU are its profile's (<network mode=\"bridge\">)");
}

unsigned profile_check_capabilities(const Profile *p, Diagnostics *d) {
        bool host_network = p->network == NETWORK_HOST;
        const char *file = p->caps_origin.file;
        unsigned line = p->caps_origin.line, problems = 0;

        STRV_FOREACH(k, p->keep_caps) {
                if (net_admin_reaches_host(p, *k)) {
                        net_admin_bridge_refused(d, file, line);
                        problems++;
                        continue;
                }
                const char *why = capability_unsafe_why(*k, host_network);

                if (!why)
                        continue;
                diag_add(d, file, line, "<capabilities>: %s lets the service %s; keep it only with keep-unsafe=\"%s\"%s",
                         *k, why, *k, streq(*k, "CAP_NET_ADMIN") ? ", or give the sandbox a network of its own" : "");
                problems++;
        }
        STRV_FOREACH(k, p->keep_caps_unsafe) {
                if (net_admin_reaches_host(p, *k)) {
                        net_admin_bridge_refused(d, file, line);
                        problems++;
                        continue;
                }
                if (capability_unsafe_why(*k, host_network))
                        continue;
                if (streq(*k, "CAP_NET_ADMIN"))
                        diag_add(d, file, line, "<capabilities>: keep-unsafe= is for the capabilities that reach past the "
                                 "sandbox, and CAP_NET_ADMIN is one only with the host's network (here <network mode=\"%s\">); "
                                 "keep it with keep=", network_mode_to_string(p->network));
                else
                        diag_add(d, file, line, "<capabilities>: keep-unsafe= is for the capabilities that reach past the "
                                 "sandbox, and %s is none of them; keep it with keep=", *k);
                problems++;
        }
        return problems;
}

/* allow="AF_UNIX AF_INET" or deny="AF_PACKET ...", one of them (the
 * schema says so), names as systemd.exec(5) spells them; allow="none"
 * allows no family. The element replaces an included one's list. */
static void parse_address_families(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *allow = attr(n, "allow"), *deny = attr(n, "deny");
        _cleanup_strv_free_ char **words = NULL, **families = NULL;
        Profile *p = c->profile;
        bool bad = false;

        if (!allow == !deny)
                return; /* the schema reported it */
        if (strv_split(allow ?: deny, " \t\r\n", &words) < 0)
                return oom(c);
        if (allow && words && words[0] && streq(words[0], "none") && !words[1]) {
                if (strv_split("", " ", &families) < 0) /* empty, not NULL: none allowed */
                        return oom(c);
                strv_free(p->address_families);
                p->address_families = TAKE_PTR(families);
                p->address_families_deny = false;
                return;
        }
        STRV_FOREACH(w, words) {
                const char *name = address_family_to_name(address_family_from_name(*w));

                if (!name) {
                        problem(c, n, "unknown address family \"%s\"; allowed: %s (AF_LOCAL and AF_FILE for AF_UNIX, "
                                "AF_ROUTE for AF_NETLINK), separated by spaces", *w, address_family_names());
                        bad = true;
                        continue;
                }
                if (!strv_contains(families, name) && strv_append(&families, name) < 0)
                        return oom(c);
        }
        if (!bad && !families) {
                problem(c, n, "%s=\"\" names no address family; allowed: names such as \"AF_UNIX AF_INET AF_INET6\"%s",
                        allow ? "allow" : "deny", allow ? ", or \"none\" for no socket() at all" : "");
                return;
        }
        if (bad)
                return;
        strv_free(p->address_families);
        p->address_families = TAKE_PTR(families);
        p->address_families_deny = !!deny;
}

/* allow="NAME ..." or deny="NAME ...", one of them (the schema says so),
 * and errno=: one element, which replaces an included one's. Names are
 * libseccomp's for this architecture, sets are not taken: systemd's
 * groups are not this profile's @sets (systemd-analyze syscall-filter
 * lists a group's names). */
static void parse_system_calls(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *allow = attr(n, "allow"), *deny = attr(n, "deny"), *err = attr(n, "errno");
        _cleanup_strv_free_ char **words = NULL, **names = NULL;
        Profile *p = c->profile;
        bool bad = false;

        if (!allow == !deny)
                return; /* the schema reported it */
        if (strv_split(allow ?: deny, " \t\r\n", &words) < 0)
                return oom(c);
        STRV_FOREACH(w, words) {
                if (!system_call_name_is_valid(*w) || seccomp_syscall_resolve_name(*w) == __NR_SCMP_ERROR) {
                        problem(c, n, "unknown system call \"%s\"; allowed: names from syscalls(2) that this "
                                "architecture has, separated by spaces (no @sets: \"systemd-analyze syscall-filter "
                                "@system-service\" lists a group's names)", *w);
                        bad = true;
                        continue;
                }
                if (deny && system_call_always_allowed(*w)) {
                        problem(c, n, "system call \"%s\" cannot be refused: the sandbox executes the service "
                                "with it; always allowed: execve exit exit_group rt_sigreturn sigreturn", *w);
                        bad = true;
                        continue;
                }
                if (!strv_contains(names, *w) && strv_append(&names, *w) < 0)
                        return oom(c);
        }
        if (!bad && !names) {
                problem(c, n, "%s=\"\" names no system call; allowed: names such as \"read write openat\"",
                        allow ? "allow" : "deny");
                return;
        }
        if (err && seccomp_errno_from_string(err) < 0) {
                problem(c, n, "errno \"%s\" is not valid; allowed: a name such as EPERM, ENOSYS or EACCES, or a "
                        "number from 1 to 4095; without errno= a refused call kills the process", err);
                bad = true;
        }
        if (bad)
                return;
        strv_free(p->system_calls);
        p->system_calls = TAKE_PTR(names);
        p->system_calls_deny = !!deny;
        replace(&p->system_calls_errno, TAKE_PTR(err));
        p->system_calls_origin = (Origin) { c->file, line_of(n) };
}

void profile_parse_security(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;

        for (xmlNodePtr k = n->children; k; k = k->next) {
                if (is(k, "capabilities"))
                        parse_capabilities(c, k);
                else if (is(k, "no-new-privileges"))
                        p->no_new_privileges = yes(k, "enabled", true);
                else if (is(k, "selinux")) {
                        _cleanup_free_ char *mcs = attr(k, "mcs");
                        char *label = attr(k, "label");

                        p->selinux_origin = (Origin) { c->file, line_of(k) };
                        if (mcs && label) {
                                free(label); /* the schema reported the pair */
                                continue;
                        }
                        if (mcs) {
                                free(p->selinux_label);
                                p->selinux_label = NULL;
                                p->selinux_mcs = true;
                                p->selinux_optional = yes(k, "optional", false);
                                continue;
                        }
                        const char *colon = label ? strchr(label, ':') : NULL;

                        if (label && (!text_is_printable(label) || strchr(label, ' ') || !colon || !strchr(colon + 1, ':'))) {
                                problem(c, k, "label \"%s\" is not an SELinux context; allowed: user:role:type[:level], "
                                        "e.g. \"system_u:system_r:svirt_lxc_net_t:s0:c1,c2\"", label);
                                free(label);
                                continue;
                        }
                        replace(&p->selinux_label, label);
                        p->selinux_mcs = false;
                        p->selinux_optional = yes(k, "optional", false);
                } else if (is(k, "apparmor")) {
                        char *profile = attr(k, "profile");

                        p->apparmor_origin = (Origin) { c->file, line_of(k) };
                        if (profile && (!*profile || !text_is_printable(profile) || strchr(profile, ' '))) {
                                problem(c, k, "profile \"%s\" is not an AppArmor profile name; allowed: a name without spaces, "
                                        "e.g. \"sandbox-default\"", profile);
                                free(profile);
                                continue;
                        }
                        replace(&p->apparmor_profile, profile);
                        p->apparmor_optional = yes(k, "optional", false);
                } else if (is(k, "seccomp"))
                        parse_seccomp(c, k);
                else if (is(k, "landlock"))
                        parse_landlock(c, k);
                else if (is(k, "memory-deny-write-execute"))
                        p->memory_deny_write_execute = yes(k, "enabled", true);
                else if (is(k, "address-families"))
                        parse_address_families(c, k);
                else if (is(k, "system-calls"))
                        parse_system_calls(c, k);
        }
}

