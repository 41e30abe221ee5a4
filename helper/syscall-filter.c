/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "seccomp-default-filter.h"
#include "seccomp-rules.h"
#include "strv.h"
#include "syscall-filter.h"

static int load_default(void) {
        const struct sock_fprog program = {
                .len = ELEMENTSOF(seccomp_default_program),
                .filter = (struct sock_filter *) seccomp_default_program,
        };

        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0)
                return log_error_errno(-errno, "seccomp: load the default filter: %m");
        return 0;
}

int seccomp_apply(const HelperConfig *c, const char *deny_too) {
        _cleanup_strv_free_ char **deny = NULL;
        const SeccompRestrict restrict_ = {
                .memory_deny_write_execute = c->memory_deny_write_execute,
                .address_families = c->address_families,
        };
        scmp_filter_ctx ctx = NULL;
        int r;

        if (!c->seccomp_allow && !c->seccomp_deny && !deny_too && !c->memory_deny_write_execute && !c->address_families)
                return c->seccomp_no_default ? 0 : load_default();

        if (strv_extend(&deny, c->seccomp_deny) < 0 || (deny_too && strv_append(&deny, deny_too) < 0))
                return log_oom();
        r = seccomp_rules_new(&ctx);
        if (r < 0)
                return r;
        r = seccomp_rules_add(ctx, !c->seccomp_no_default, c->seccomp_allow, deny, &restrict_);
        if (r >= 0) {
                r = seccomp_load(ctx);
                if (r < 0)
                        log_error_errno(r, "seccomp: load the filter: %m");
        }
        seccomp_release(ctx);
        return r;
}
