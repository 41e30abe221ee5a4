/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sched.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "macro.h"
#include "seccomp-args.h"
#include "seccomp-rules.h"
#include "syscall-sets.h"

#define RULES_MAX 512
#define ARG_SETS_MAX 8

/* action SCMP_ACT_ALLOW: an allow of the whole call, which takes every
 * default rule for it away and adds none */
typedef struct Rule {
        const char *name;
        uint32_t action;
} Rule;

typedef struct Rules {
        Rule r[RULES_MAX];
        size_t n;
        /* the by_argument sets the filter has, and their actions */
        Rule args[ARG_SETS_MAX];
        size_t n_args;
} Rules;

static Rule *rule_find_in(Rule *r, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(r[i].name, name))
                        return &r[i];
        return NULL;
}

static Rule *rule_find(Rules *rs, const char *name) {
        return rule_find_in(rs->r, rs->n, name);
}

static bool has_rule(void *userdata, const char *syscall) {
        return rule_find(userdata, syscall);
}

/* a deny of the whole call, which an argument rule could only muddle */
static bool has_deny(void *userdata, const char *syscall) {
        const Rule *f = rule_find(userdata, syscall);

        return f && f->action != SCMP_ACT_ALLOW;
}

/* The families whose socket() the argument sets refuse already, each
 * with its own rule on the same comparison, which is kept */
static uint64_t families_refused(Rules *rs) {
        uint64_t m = 0;

        if (rule_find(rs, "socket"))
                return 0; /* the sets add no rule then (seccomp-args.c) */
        if (rule_find_in(rs->args, rs->n_args, "@af-alg"))
                m |= UINT64_C(1) << AF_ALG;
        if (rule_find_in(rs->args, rs->n_args, "@af-vsock"))
                m |= UINT64_C(1) << AF_VSOCK;
        return m;
}

static int add_restrict(scmp_filter_ctx ctx, Rules *rs, const SeccompRestrict *restrict_) {
        int r = 0;

        if (restrict_->memory_deny_write_execute)
                r = seccomp_restrict_memory(ctx, has_deny, rs);
        if (r >= 0 && restrict_->address_families)
                r = seccomp_restrict_families(ctx, restrict_->address_families, families_refused(rs), has_deny, rs);
        return r;
}

/* Sets the action for name in r (n of them, max at most); action 0
 * takes the rule away. */
static int rule_set_in(Rule *r, size_t *n, size_t max, const char *name, uint32_t action) {
        Rule *f = rule_find_in(r, *n, name);

        if (action == 0) { /* not SCMP_ACT_KILL_THREAD, which is 0 too: never used here */
                if (f)
                        *f = r[--*n];
                return 0;
        }
        if (!f) {
                if (*n == max)
                        return -E2BIG;
                f = &r[(*n)++];
                f->name = name;
        }
        f->action = action;
        return 0;
}

/* name, or each system call of the @set it names; allow is action 0 */
static int rules_set(Rules *rs, const char *name, uint32_t action) {
        const SyscallSet *s = name[0] == '@' ? syscall_set_find(name) : NULL;
        int r = 0;

        if (name[0] == '@' && !s)
                return log_error_errno(-EINVAL, "seccomp: unknown system call set %s", name);
        if (s && s->by_argument)
                return rule_set_in(rs->args, &rs->n_args, ARG_SETS_MAX, s->name, action);
        if (!s)
                return rule_set_in(rs->r, &rs->n, RULES_MAX, name, action ?: SCMP_ACT_ALLOW);
        /* a set's allow takes its calls off, but leaves no rule that would
         * keep the argument rules of another set from them */
        for (const char *const *k = s->syscalls; *k && r >= 0; k++)
                r = rule_set_in(rs->r, &rs->n, RULES_MAX, *k, action);
        return r;
}

/* System calls newer than some libseccomp that the rules name: since
 * Linux 5.1 a new call has one number on every architecture, but for an
 * offset on alpha and MIPS. */
#if defined(__alpha__)
#define NEW_SYSCALL_BASE 110
#elif defined(__mips__) && _MIPS_SIM == _MIPS_SIM_ABI32
#define NEW_SYSCALL_BASE 4000
#elif defined(__mips__) && _MIPS_SIM == _MIPS_SIM_ABI64
#define NEW_SYSCALL_BASE 5000
#elif defined(__mips__) && _MIPS_SIM == _MIPS_SIM_NABI32
#define NEW_SYSCALL_BASE 6000
#else
#define NEW_SYSCALL_BASE 0
#endif

static const struct {
        const char *name;
        int nr;
} newer_syscalls[] = {
        { "fchmodat2", 452 },      /* Linux 6.6, libseccomp 2.5.5 */
        { "open_tree_attr", 467 }, /* Linux 6.15 */
};

int seccomp_syscall_number(const char *name) {
        int nr = seccomp_syscall_resolve_name(name);

        if (nr != __NR_SCMP_ERROR)
                return nr;
        for (size_t i = 0; i < ELEMENTSOF(newer_syscalls); i++)
                if (streq(newer_syscalls[i].name, name))
                        return NEW_SYSCALL_BASE + newer_syscalls[i].nr;
        return __NR_SCMP_ERROR;
}

int seccomp_rules_new(scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

        if (!ctx)
                return log_oom();
        if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
            seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
            /* a binary tree of the calls: a few hundred rules cost every
             * call a few comparisons, not a pass over all of them */
            seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
                seccomp_release(ctx);
                return log_error_errno(-EINVAL, "seccomp: cannot set the filter's attributes");
        }
        *ret = ctx;
        return 0;
}

/* No new user namespace, where dropped capabilities come back and much
 * of the kernel opens up: clone() and unshare() with CLONE_NEWUSER are
 * refused, and clone3(), whose flags a filter cannot see, says ENOSYS so
 * that libc falls back to clone(). Each only where no rule of the
 * profile names the call already. */
static int add_userns_rules(scmp_filter_ctx ctx, Rules *rs) {
        int r = 0;

        if (!rule_find(rs, "clone3"))
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
        if (r >= 0 && !rule_find(rs, "unshare"))
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
        /* clone()'s flags are its first argument on the architectures the
         * helper is built for, except s390, where they are the second */
        if (r >= 0 && !rule_find(rs, "clone"))
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
#if defined(__s390__) || defined(__s390x__)
                                     SCMP_A1(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
#else
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
#endif
        return r < 0 ? log_error_errno(r, "seccomp: the user namespace rules: %m") : 0;
}

static int deny_action(const char *spec, const char **ret_name, char *buf, size_t size, uint32_t *ret_action) {
        const char *colon = strchr(spec, ':');
        size_t n = colon ? (size_t) (colon - spec) : 0;
        int e;

        if (!colon || n == 0 || n >= size)
                return -EINVAL;
        memcpy(buf, spec, n);
        buf[n] = 0;
        *ret_name = buf;
        if (streq(colon + 1, "kill")) {
                *ret_action = SCMP_ACT_KILL_PROCESS;
                return 0;
        }
        e = seccomp_errno_from_string(colon + 1);
        if (e < 0)
                return e;
        *ret_action = SCMP_ACT_ERRNO((uint32_t) e);
        return 0;
}

/* Calls newer than this build knows say ENOSYS, as a kernel without them
 * would: a deny-list lets a new call through until it is named, and
 * open_tree_attr() (Linux 6.15) cleared a bind's read-only flag that way.
 * Since Linux 5.1 (call 424) a new call has the same number on every
 * architecture, past an offset on some; those from there to NEWER_MAX
 * that neither libseccomp nor newer_syscalls[] names get the rule. The
 * C library falls back where a call it tries says ENOSYS. */
#define NEWER_FIRST 424
#define NEWER_MAX 512

static bool syscall_is_named(int nr) {
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

        if (name) {
                free(name);
                return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(newer_syscalls); i++)
                if (NEW_SYSCALL_BASE + newer_syscalls[i].nr == nr)
                        return true;
        return false;
}

int seccomp_rules_add_newer(scmp_filter_ctx ctx) {
        int r;

        for (int nr = NEW_SYSCALL_BASE + NEWER_FIRST; nr < NEW_SYSCALL_BASE + NEWER_MAX; nr++) {
                if (syscall_is_named(nr))
                        continue;
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
                if (r < 0)
                        return log_error_errno(r, "seccomp: the rule for system call %d: %m", nr);
        }
        return 0;
}

int seccomp_rules_add(scmp_filter_ctx ctx, bool use_default, char *const *allow, char *const *deny,
                      const SeccompRestrict *restrict_) {
        _cleanup_free_ Rules *rs = calloc(1, sizeof(Rules));
        size_t n_deny = 0;
        int r;

        if (!rs)
                return log_oom();
        for (const char *const *d = seccomp_default_deny; use_default && *d; d++) {
                r = rules_set(rs, *d, SCMP_ACT_ERRNO(EPERM));
                if (r < 0)
                        return log_error_errno(r, "seccomp: the default deny-list: %m");
        }
        for (char *const *a = allow; a && *a; a++) {
                r = rules_set(rs, *a, 0);
                if (r < 0)
                        return r;
        }
        for (char *const *d = deny; d && *d; d++)
                n_deny++;
        /* the names of rs point into these, which live until the end */
        _cleanup_free_ char *names = calloc(n_deny + 1, 64);
        if (!names)
                return log_oom();
        for (size_t i = 0; i < n_deny; i++) {
                const char *name;
                uint32_t action;

                if (deny_action(deny[i], &name, names + 64 * i, 64, &action) < 0)
                        return log_error_errno(-EINVAL, "seccomp: \"%s\" is not NAME:ERRNO", deny[i]);
                r = rules_set(rs, name, action);
                if (r < 0)
                        return log_error_errno(r, "seccomp: %s: %m", deny[i]);
        }
        for (size_t i = 0; i < rs->n; i++) {
                int nr = seccomp_syscall_number(rs->r[i].name);

                if (nr == __NR_SCMP_ERROR)
                        return log_error_errno(-EINVAL, "seccomp: unknown system call %s", rs->r[i].name);
                if (rs->r[i].action == SCMP_ACT_ALLOW)
                        continue;
                /* a call this architecture does not have needs no rule */
                r = seccomp_rule_add(ctx, rs->r[i].action, nr, 0);
                if (r < 0)
                        return log_error_errno(r, "seccomp: the rule for %s: %m", rs->r[i].name);
        }
        for (size_t i = 0; i < rs->n_args; i++) {
                r = seccomp_args_add(ctx, rs->args[i].name, rs->args[i].action, has_rule, rs);
                if (r < 0)
                        return r;
        }
        if (restrict_) {
                r = add_restrict(ctx, rs, restrict_);
                if (r < 0)
                        return r;
        }
        if (!use_default)
                return 0;
        r = add_userns_rules(ctx, rs);
        return r < 0 ? r : seccomp_rules_add_newer(ctx);
}
