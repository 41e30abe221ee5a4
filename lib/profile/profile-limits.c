/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "compile.h"
#include "config.h"
#include "paths.h"
#include "profile-limits.h"
#include "strv.h"

/* where the command line was written: its <exec>, or the profile */
static Origin exec_origin(const Profile *p) {
        if (p->exec_origin.file)
                return p->exec_origin;
        return (Origin) { p->path, p->line };
}

static unsigned check_strings(const Profile *p, Diagnostics *d) {
        Origin o = exec_origin(p);
        unsigned problems = 0;
        size_t i = 0;

        STRV_FOREACH(a, p->argv) {
                size_t n = strlen(*a) + 1;

                i++;
                if (n > EXEC_STRING_MAX) {
                        diag_add(d, o.file, o.line, "<exec>: argument %zu is %zu bytes; the kernel takes at most %d bytes "
                                 "for one argument (MAX_ARG_STRLEN, its NUL included), and the start would fail with E2BIG",
                                 i, n - 1, EXEC_STRING_MAX - 1);
                        problems++;
                }
        }
        STRV_FOREACH(e, p->environment) {
                size_t n = strlen(*e) + 1;

                if (n > EXEC_STRING_MAX) {
                        diag_add(d, o.file, o.line, "<env name=\"%.*s\">: NAME=VALUE is %zu bytes; the kernel takes at most "
                                 "%d bytes for one environment variable (MAX_ARG_STRLEN, its NUL included), and the start "
                                 "would fail with E2BIG", (int) strcspn(*e, "="), *e, n - 1, EXEC_STRING_MAX - 1);
                        problems++;
                }
        }
        return problems;
}

/* What systemd's execve() of the helper is given: its whole command line
 * and the profile's environment, each string with its NUL and pointer. */
static unsigned check_total(const Profile *p, char * const *helper_argv, Diagnostics *d) {
        Origin o = exec_origin(p);
        size_t total = EXEC_TOTAL_RESERVE;

        STRV_FOREACH(a, helper_argv)
                total += strlen(*a) + 1 + sizeof(char *);
        STRV_FOREACH(e, p->environment)
                total += strlen(*e) + 1 + sizeof(char *);
        if (total <= EXEC_TOTAL_MAX)
                return 0;
        diag_add(d, o.file, o.line, "<exec>: the command line and environment come to %zu bytes with the helper's options "
                 "(and %d kept for systemd's own variables); the kernel takes at most %d (ARG_MAX: a quarter of the "
                 "8 MiB stack limit), and the start would fail with E2BIG", total, EXEC_TOTAL_RESERVE, EXEC_TOTAL_MAX);
        return 1;
}

/* Every line of the drop-in, as the generator writes it. */
static unsigned check_lines(const Profile *p, const char *dropin, Diagnostics *d) {
        Origin o = exec_origin(p);
        unsigned problems = 0;

        for (const char *l = dropin; *l;) {
                size_t n = strcspn(l, "\n");

                if (n >= UNIT_LINE_MAX) {
                        diag_add(d, o.file, o.line, "<exec>: the drop-in's %.*s= line would be %zu bytes; systemd rejects the unit "
                                 "for a line of %d bytes or more (LONG_LINE_MAX), so the sandbox could not start",
                                 (int) strcspn(l, "="), l, n, UNIT_LINE_MAX);
                        problems++;
                }
                l += n;
                if (*l)
                        l++;
        }
        return problems;
}

unsigned profile_check_limits(const Profile *p, Diagnostics *d) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *dropin = NULL, *absolute = NULL;
        unsigned problems;

        problems = check_strings(p, d);
        /* the generator's paths are absolute, and the line holds the path */
        Profile as_generated = *p;
        if (path_make_absolute(p->path, &absolute) < 0) {
                d->error = -ENOMEM;
                return problems + 1;
        }
        as_generated.path = absolute;
        if (profile_compile_helper_argv(&as_generated, SANDBOX_HELPER_PATH, &argv) < 0 ||
            profile_compile_dropin(&as_generated, SANDBOX_HELPER_PATH, &dropin) < 0) {
                d->error = -ENOMEM;
                return problems + 1;
        }
        problems += check_total(&as_generated, argv, d);
        problems += check_lines(&as_generated, dropin, d);
        return problems;
}
