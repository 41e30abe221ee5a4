/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sched.h>

#include <seccomp.h>

#include "log.h"
#include "seccomp-default.h"

static void seccomp_releasep(scmp_filter_ctx *ctx) {
        if (*ctx)
                seccomp_release(*ctx);
}

int seccomp_load_default(void) {
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        const int keyrings[] = { SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key) };
        int r;

        if (!ctx)
                return log_error_errno(-ENOMEM, "seccomp: %m");
        /* the native architecture only: SystemCallArchitectures=native in
         * the template, and the filter's default for other ABIs is kill */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        /* loaded with CAP_SYS_ADMIN: no_new_privs stays the profile's choice */
        if (r >= 0)
                r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        if (r >= 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
        if (r >= 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
        if (r >= 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(keyrings); i++)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), keyrings[i], 0);
        if (r >= 0)
                r = seccomp_load(ctx);
        if (r < 0)
                return log_error_errno(r, "seccomp: load the default filter: %m");
        return 0;
}
