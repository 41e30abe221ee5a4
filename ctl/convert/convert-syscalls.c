/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "convert-syscalls.h"
#include "macro.h"
#include "strv.h"
#include "syscall-sets.h"
#include "system-calls.h"

typedef struct Filter {
        char **names;   /* what the element lists */
        char **unknown; /* an allow-list's names that libseccomp does not know: left out */
        bool deny;
        char errno_name[16]; /* empty: a refused call kills */
} Filter;

static void filter_done(Filter *f) {
        strv_free(f->names);
        strv_free(f->unknown);
}

/* 0, -ENOMEM, or -EINVAL with *why set (allocated) */
static int filter_read(const UnitProps *u, Filter *f, char **why) {
        int32_t e = u->system_call_errno;
        int r;

        *f = (Filter) {};
        *why = NULL;
        if (!u->system_call_filter) {
                r = asprintf(why, "read from the unit's files, whose groups (@system-service) only systemd expands; "
                             "converted from the running manager, a filter is carried as <system-calls>");
                return r < 0 ? -ENOMEM : -EINVAL;
        }
        f->deny = u->system_call_filter[0] && u->system_call_filter[0][0] == '~';
        if (e != SYSTEM_CALL_ERRNO_KILL) {
                const char *name = seccomp_errno_to_string(e);

                if (e < 1 || e > 4095)
                        return asprintf(why, "SystemCallErrorNumber=%" PRIi32 " is no errno <system-calls> takes", e) < 0
                                       ? -ENOMEM : -EINVAL;
                if (name)
                        snprintf(f->errno_name, sizeof(f->errno_name), "%s", name);
                else
                        snprintf(f->errno_name, sizeof(f->errno_name), "%" PRIi32, e);
        }
        STRV_FOREACH(s, u->system_call_filter) {
                const char *name = *s + (s == u->system_call_filter && f->deny);

                if (strchr(name, ':'))
                        return asprintf(why, "%s has an errno of its own, and <system-calls> one errno for all its "
                                        "calls", name) < 0 ? -ENOMEM : -EINVAL;
                if (!system_call_name_is_valid(name) || seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
                        /* left out of an allow-list, it is refused: narrower */
                        if (!f->deny) {
                                if (strv_append(&f->unknown, name) < 0)
                                        return -ENOMEM;
                                continue;
                        }
                        return asprintf(why, "the deny-list names %s, which this machine's libseccomp does not know, "
                                        "and a filter without it would let it through", name) < 0 ? -ENOMEM : -EINVAL;
                }
                if (f->deny && system_call_always_allowed(name))
                        return asprintf(why, "the deny-list names %s, which the sandbox executes the service with "
                                        "(always allowed: execve exit exit_group rt_sigreturn sigreturn)", name) < 0
                                       ? -ENOMEM : -EINVAL;
                if (!strv_contains(f->names, name) && strv_append(&f->names, name) < 0)
                        return -ENOMEM;
        }
        if (!f->names)
                return asprintf(why, "no name in it that this machine's libseccomp knows") < 0 ? -ENOMEM : -EINVAL;
        return 0;
}

int convert_system_calls_why(const UnitProps *u, char **ret) {
        _cleanup_(filter_done) Filter f = {};
        int r = filter_read(u, &f, ret);

        return r == -EINVAL ? 0 : r;
}

int convert_system_calls(Buffer *b, const UnitProps *u, char ***notes) {
        _cleanup_(filter_done) Filter f = {};
        _cleanup_free_ char *why = NULL, *names = NULL, *unknown = NULL;
        int r;

        if (!u->system_call_filter)
                return 0; /* none; from unit files, refused (convert_widening()) */
        r = filter_read(u, &f, &why);
        if (r == -EINVAL)
                return 0;
        if (r < 0)
                return r;
        names = strv_join(f.names, " ");
        if (!names)
                return -ENOMEM;
        buffer_printf(b, "    <system-calls %s=\"%s\"", f.deny ? "deny" : "allow", names);
        if (f.errno_name[0])
                buffer_printf(b, " errno=\"%s\"", f.errno_name);
        buffer_append(b, "/>\n");
        if (strv_appendf(notes, "SystemCallFilter=: carried as <system-calls>, %s %zu system calls; a refused call %s%s",
                         f.deny ? "refusing" : "allowing", strv_length(f.names),
                         f.errno_name[0] ? "fails with " : "kills the process (SIGSYS)", f.errno_name) < 0)
                return -ENOMEM;
        if (f.unknown) {
                unknown = strv_join(f.unknown, " ");
                if (!unknown || strv_appendf(notes, "SystemCallFilter=: left out of the allow-list, so refused: %s "
                                             "(this machine's libseccomp does not know them)", unknown) < 0)
                        return -ENOMEM;
        }
        return 0;
}
