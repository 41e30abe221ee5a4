/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NoExecPaths= and ExecPaths=, carried as <no-exec-path> and <exec-path>
 * with the meaning systemd gives them (the more specific path wins; "-"
 * lets a path be missing). A value the elements cannot hold as it is
 * leaves both to convert_widening(), which refuses them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "convert-exec-paths.h"
#include "convert-widen.h"
#include "macro.h"
#include "paths.h"
#include "strv.h"

/* The entries of value, each "PATH" or "-PATH"; -EINVAL for one that is
 * not so, as an element could not say it */
static int entries(const char *value, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        *ret = NULL;
        if (!value)
                return 0;
        if (strv_split(value, " \t", &l) < 0)
                return -ENOMEM;
        STRV_FOREACH(e, l) {
                const char *p = *e + (**e == '-');

                /* "+" is relative to RootDirectory=; a specifier or a
                 * quote would need systemd's own reading */
                if (!path_is_normalized_absolute(p) || strpbrk(p, "%\"'\\"))
                        return -EINVAL;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static bool in_both(char **no_exec, char **exec) {
        STRV_FOREACH(a, no_exec)
                STRV_FOREACH(b, exec)
                        if (streq(*a + (**a == '-'), *b + (**b == '-')))
                                return true;
        return false;
}

/* 1 when both are carried, with their entries; 0 when not; -ENOMEM */
static int both(const UnitProps *u, char ***ret_no_exec, char ***ret_exec) {
        _cleanup_strv_free_ char **no_exec = NULL, **exec = NULL;
        int r;

        r = entries(confining_value(u, "NoExecPaths"), &no_exec);
        if (r == -EINVAL)
                return 0;
        if (r < 0)
                return r;
        r = entries(confining_value(u, "ExecPaths"), &exec);
        if (r == -EINVAL)
                return 0;
        if (r < 0)
                return r;
        if (in_both(no_exec, exec))
                return 0;
        *ret_no_exec = TAKE_PTR(no_exec);
        *ret_exec = TAKE_PTR(exec);
        return 1;
}

bool convert_exec_paths_carried(const UnitProps *u, const char *setting) {
        _cleanup_strv_free_ char **no_exec = NULL, **exec = NULL;

        if (strncmp(setting, "NoExecPaths=", 12) != 0 && strncmp(setting, "ExecPaths=", 10) != 0)
                return false;
        return both(u, &no_exec, &exec) > 0;
}

static void element(Buffer *b, const char *name, const char *entry) {
        buffer_printf(b, "    <%s path=\"", name);
        buffer_append_xml(b, entry + (*entry == '-'));
        buffer_printf(b, "\"%s/>\n", *entry == '-' ? " optional=\"yes\"" : "");
}

int convert_exec_paths(Buffer *b, const UnitProps *u, char ***notes) {
        _cleanup_strv_free_ char **no_exec = NULL, **exec = NULL;
        int r;

        r = both(u, &no_exec, &exec);
        if (r <= 0)
                return r;
        STRV_FOREACH(e, no_exec)
                element(b, "no-exec-path", *e);
        STRV_FOREACH(e, exec)
                element(b, "exec-path", *e);
        if (no_exec && strv_appendf(notes, "NoExecPaths=%s: carried, nothing below it is executed (noexec mounts)",
                                    confining_value(u, "NoExecPaths")) < 0)
                return -ENOMEM;
        if (exec && strv_appendf(notes, "ExecPaths=%s: carried, executing allowed again below it, but for the "
                                 "sandbox's own noexec mounts", confining_value(u, "ExecPaths")) < 0)
                return -ENOMEM;
        return 0;
}
