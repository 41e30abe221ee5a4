/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <no-exec-path> and <exec-path>: where nothing may be executed, and
 * where executing is allowed again below such a path, as systemd's
 * NoExecPaths= and ExecPaths= say it. The helper applies them per mount
 * (helper/exec-paths.c); here each path is checked and kept once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile-parse.h"

static const char *element_of(bool exec) {
        return exec ? "exec-path" : "no-exec-path";
}

void profile_parse_exec_path(ParseContext *c, xmlNodePtr n, bool exec) {
        Profile *p = c->profile;
        _cleanup_free_ char *path = path_attr(c, n, "path");
        bool optional = yes(n, "optional", false);
        ProfileExecPath *t;

        if (!path)
                return;
        for (size_t i = 0; i < p->n_exec_paths; i++) {
                ProfileExecPath *e = &p->exec_paths[i];

                if (!streq(e->path, path))
                        continue;
                /* one meaning per path: which one wins would be a guess */
                if (e->exec != exec) {
                        problem(c, n, "path \"%s\" is already <%s> at %s:%u; a path either allows executing or not",
                                path, element_of(e->exec), e->origin.file, e->origin.line);
                        return;
                }
                /* the same path again, in an include or the profile: the
                 * last one read says whether it is optional */
                e->optional = optional;
                e->origin = (Origin) { c->file, line_of(n) };
                return;
        }
        t = realloc(p->exec_paths, (p->n_exec_paths + 1) * sizeof(*t));
        if (!t) {
                c->diags->error = -ENOMEM;
                return;
        }
        p->exec_paths = t;
        p->exec_paths[p->n_exec_paths++] = (ProfileExecPath) {
                TAKE_PTR(path), exec, optional, { c->file, line_of(n) }
        };
}
