/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "log.h"
#include "macro.h"
#include "profile-filter.h"
#include "seccomp-rules.h"
#include "syscall-sets.h"
#include "system-calls.h"

/* the kernel's bound on one filter (BPF_MAXINSNS) */
#define PROGRAM_MAX 4096

static struct sock_fprog program;

static int add_rules(scmp_filter_ctx ctx, const char *spec, uint32_t action) {
        const bool deny = spec[0] == '~';
        const char *p = spec + deny;

        while (*p) {
                size_t n = strcspn(p, ",");
                char name[64];
                int nr, r;

                if (n >= sizeof(name))
                        return log_error_errno(-EINVAL, "system-calls: a name too long in \"%s\"", spec);
                memcpy(name, p, n);
                name[n] = 0;
                p += n + (p[n] == ',');
                nr = seccomp_syscall_number(name);
                /* the profile was checked where it was read, maybe with
                 * another libseccomp: a name this one lacks could be let
                 * through unseen by a deny-list, so neither list starts */
                if (nr == __NR_SCMP_ERROR)
                        return log_error_errno(-EINVAL, "system-calls: unknown system call %s", name);
                if (!deny && system_call_always_allowed(name))
                        continue; /* its rule follows */
                /* a call this architecture does not have gets no rule */
                r = seccomp_rule_add(ctx, deny ? action : SCMP_ACT_ALLOW, nr, 0);
                if (r < 0)
                        return log_error_errno(r, "system-calls: the rule for %s: %m", name);
        }
        if (deny)
                return 0;
        for (const char *const *a = system_calls_always_allowed; *a; a++) {
                int nr = seccomp_syscall_number(*a), r;

                if (nr == __NR_SCMP_ERROR)
                        continue;
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
                if (r < 0)
                        return log_error_errno(r, "system-calls: the rule for %s: %m", *a);
        }
        /* a call newer than this build, which no list can name, says
         * ENOSYS as under the default filter, not the list's action: the
         * C library tries some and falls back */
        return seccomp_rules_add_newer(ctx);
}

/* libseccomp writes the program to a file descriptor only */
static int export_program(scmp_filter_ctx ctx) {
        _cleanup_close_ int fd = memfd_create("system-calls", MFD_CLOEXEC);
        struct sock_filter *f;
        off_t size;
        int r;

        if (fd < 0)
                return log_error_errno(-errno, "system-calls: memfd_create: %m");
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return log_error_errno(r, "system-calls: export the filter: %m");
        size = lseek(fd, 0, SEEK_END);
        if (size <= 0 || size % sizeof(struct sock_filter) != 0 ||
            (size_t) size > PROGRAM_MAX * sizeof(struct sock_filter))
                return log_error_errno(-E2BIG, "system-calls: the filter has %lld bytes, not up to %d instructions",
                                       (long long) size, PROGRAM_MAX);
        f = malloc((size_t) size);
        if (!f)
                return log_oom();
        if (pread(fd, f, (size_t) size, 0) != size) {
                free(f);
                return log_error_errno(-EIO, "system-calls: read the filter back");
        }
        program = (struct sock_fprog) { .len = (unsigned short) (size / sizeof(struct sock_filter)), .filter = f };
        return 0;
}

int profile_filter_prepare(const HelperConfig *c) {
        uint32_t action = SCMP_ACT_KILL_PROCESS;
        scmp_filter_ctx ctx;
        int r;

        if (!c->system_calls || program.filter)
                return 0;
        if (c->system_calls_errno) {
                int e = seccomp_errno_from_string(c->system_calls_errno);

                if (e < 0)
                        return log_error_errno(-EINVAL, "system-calls: \"%s\" is not an errno", c->system_calls_errno);
                action = SCMP_ACT_ERRNO((uint32_t) e);
        }
        ctx = seccomp_init(c->system_calls[0] == '~' ? SCMP_ACT_ALLOW : action);
        if (!ctx)
                return log_oom();
        if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
            seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
            seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
                r = log_error_errno(-EINVAL, "system-calls: cannot set the filter's attributes");
        else
                r = add_rules(ctx, c->system_calls, action);
        if (r >= 0)
                r = export_program(ctx);
        seccomp_release(ctx);
        return r;
}

int profile_filter_load(bool asked) {
        /* a profile that asked for a filter never runs without it: a
         * step skipped or reordered would otherwise start it with the
         * default filter alone */
        if (!program.filter)
                return asked ? -ENODATA : 0;
        return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0 ? -errno : 0;
}
