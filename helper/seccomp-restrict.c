/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>

#include "address-families.h"
#include "log.h"
#include "macro.h"
#include "seccomp-args.h"
#include "seccomp-restrict.h"
#include "seccomp-rules.h"

_Static_assert(ADDRESS_FAMILY_MAX <= 64, "one bit for each family");

#ifndef SHM_EXEC
#define SHM_EXEC 0100000
#endif

int seccomp_restrict_memory(scmp_filter_ctx ctx, seccomp_has_rule_t has_denied, void *userdata) {
        static const struct {
                const char *name;
                unsigned arg;
                uint64_t mask;
        } calls[] = {
                /* the flags are an int: the bits tested are in the low 32 */
                { "mmap", 2, PROT_WRITE | PROT_EXEC },
                { "mmap2", 2, PROT_WRITE | PROT_EXEC },
                { "mprotect", 2, PROT_EXEC },
                { "pkey_mprotect", 2, PROT_EXEC },
                { "shmat", 2, SHM_EXEC },
        };

#if defined(__s390__) || defined(__s390x__)
        /* mmap() takes its arguments in a structure, which a filter
         * cannot read, and the C library has no other call: not done,
         * so the sandbox does not start (fail closed) */
        return log_error_errno(-EOPNOTSUPP, "seccomp: memory-deny-write-execute: mmap()'s protection cannot be "
                               "filtered on this architecture");
#endif
        for (size_t i = 0; i < ELEMENTSOF(calls); i++) {
                const struct scmp_arg_cmp cmp = SCMP_CMP(calls[i].arg, SCMP_CMP_MASKED_EQ, calls[i].mask, calls[i].mask);
                int r;

                if (has_denied(userdata, calls[i].name))
                        continue;
#if defined(__i386__)
                /* the old mmap() takes its arguments in a structure, which
                 * a filter cannot read: refused whole, as systemd does;
                 * the C library maps with mmap2() */
                if (streq(calls[i].name, "mmap")) {
                        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mmap), 0);
                        if (r < 0)
                                return log_error_errno(r, "seccomp: the rule for mmap: %m");
                        continue;
                }
#endif
                r = seccomp_arg_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), calls[i].name, 1, &cmp);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* "AF_A,AF_B" or "~AF_A,AF_B" as one bit each; *ret_deny for "~" */
static int parse_spec(const char *spec, uint64_t *ret, bool *ret_deny) {
        const char *p = spec + (spec[0] == '~');
        uint64_t set = 0;

        if (!address_family_spec_is_valid(spec))
                return -EINVAL;
        while (*p && !streq(spec, "none")) {
                size_t n = strcspn(p, ",");
                char name[32];

                memcpy(name, p, n);
                name[n] = 0;
                set |= UINT64_C(1) << address_family_from_name(name);
                p += n + (p[n] == ',');
        }
        *ret = set;
        *ret_deny = spec[0] == '~';
        return 0;
}

/* The families of refuse, each by its own rule; for an allow-list, last
 * the highest family allowed: any number above it, whatever its upper 32
 * bits, by one more */
static int add_family_rules(scmp_filter_ctx ctx, const char *name, uint64_t refuse, int last) {
        const uint32_t action = SCMP_ACT_ERRNO(EAFNOSUPPORT);
        int r;

        for (int af = 0; af < ADDRESS_FAMILY_MAX; af++) {
                /* the family is an int: only its low 32 bits count */
                const struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, UINT32_MAX, (uint32_t) af);

                if (!((refuse >> af) & 1) || (last >= 0 && af > last))
                        continue;
                r = seccomp_arg_rule_add(ctx, action, name, 1, &cmp);
                if (r < 0)
                        return r;
        }
        if (last >= 0) {
                const struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_GT, (uint64_t) last);

                return seccomp_arg_rule_add(ctx, action, name, 1, &cmp);
        }
        return 0;
}

int seccomp_restrict_families(scmp_filter_ctx ctx, const char *spec, uint64_t refused, seccomp_has_rule_t has_denied,
                              void *userdata) {
        uint64_t set, refuse;
        bool deny;
        int last = -1, r;

        if (parse_spec(spec, &set, &deny) < 0)
                return log_error_errno(-EINVAL, "seccomp: \"%s\" is not a list of address families", spec);
        /* where socket() can also be reached through socketcall(), whose
         * arguments are in memory a filter cannot read, the families
         * cannot be held: the sandbox does not start (fail closed) */
        if (seccomp_syscall_number("socketcall") >= 0)
                return log_error_errno(-EOPNOTSUPP, "seccomp: address-families: socketcall() on this architecture "
                                       "reaches socket() past any filter");
        /* none allowed ("none"): AF_UNSPEC's rule and the one above it */
        if (!deny)
                for (int af = last = 0; af < ADDRESS_FAMILY_MAX; af++)
                        if ((set >> af) & 1)
                                last = af;
        refuse = deny ? set : ~set;
        if (!has_denied(userdata, "socket")) {
                r = add_family_rules(ctx, "socket", refuse & ~refused, deny ? -1 : last);
                if (r < 0)
                        return r;
        }
        if (has_denied(userdata, "socketpair"))
                return 0;
        refuse &= ~(UINT64_C(1) << AF_UNIX);
        if (!deny && last < AF_UNIX)
                last = AF_UNIX;
        return add_family_rules(ctx, "socketpair", refuse, deny ? -1 : last);
}
