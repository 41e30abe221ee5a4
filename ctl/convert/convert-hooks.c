/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The unit's other commands, carried into the profile: in the sandbox
 * each runs as the service does, with its confinement (the join of
 * sandbox-helper(8)), where the unit ran it on the host. That is never
 * wider than the unit: a command the unit ran with full privileges ("+",
 * "!") now runs confined, and one that needs more than the service has
 * fails, loudly, rather than running outside. ExecStopPost= and
 * ExecCondition= run when there is no sandbox to run in: convert-profile.c
 * notes them.
 */
#include <errno.h>
#include <string.h>

#include "convert-env.h"
#include "convert-hooks.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

/* The unit's environment, with MAINPID standing for itself: the join
 * gives it its value, the service's PID in the sandbox. */
static int hook_environment(const UnitProps *u, char ***ret) {
        _cleanup_strv_free_ char **env = NULL;

        STRV_FOREACH(e, u->environment)
                if (strncmp(*e, "MAINPID=", 8) != 0 && strv_append(&env, *e) < 0)
                        return -ENOMEM;
        if (strv_append(&env, "MAINPID=${MAINPID}") < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(env);
        return 0;
}

static int hook_element(Buffer *b, const UnitProps *u, char * const *env, const char *element, const UnitCommand *c) {
        _cleanup_strv_free_ char **args = NULL;

        if (!c->path || c->path[0] != '/')
                return log_error_errno(-EINVAL, "%s: <%s>: the command \"%s\" is not an absolute path", u->id, element,
                                       c->path ? c->path : "");
        if (strv_append(&args, c->path) < 0)
                return -ENOMEM;
        for (size_t i = 1; c->argv && c->argv[i]; i++) {
                /* kept as written, for the join to expand */
                if (streq(c->argv[i], "$MAINPID")) {
                        if (strv_append(&args, c->argv[i]) < 0)
                                return -ENOMEM;
                } else if (convert_expand_word(env, u->id, c->argv[i], &args) < 0)
                        return -EINVAL;
        }
        buffer_printf(b, "  <%s%s>", element, c->ignore_failure ? " ignore-failure=\"yes\"" : "");
        STRV_FOREACH(a, args) {
                buffer_append(b, "<arg>");
                buffer_append_xml(b, *a);
                buffer_append(b, "</arg>");
        }
        buffer_printf(b, "</%s>\n", element);
        return 0;
}

int convert_hooks(Buffer *b, const UnitProps *u, char ***notes) {
        const struct {
                const char *element, *setting;
                const UnitCommands *commands;
        } kinds[] = {
                { "exec-start-pre", "ExecStartPre", &u->exec_start_pre },
                { "exec-start-post", "ExecStartPost", &u->exec_start_post },
                { "exec-reload", "ExecReload", &u->exec_reload },
                { "exec-stop", "ExecStop", &u->exec_stop },
        };
        _cleanup_strv_free_ char **env = NULL;
        int r;

        r = hook_environment(u, &env);
        if (r < 0)
                return r;
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++)
                for (size_t i = 0; i < kinds[k].commands->n; i++) {
                        r = hook_element(b, u, env, kinds[k].element, &kinds[k].commands->items[i]);
                        if (r < 0)
                                return r;
                        /* the unit may have run it with full privileges
                         * ("+", which the manager does not say), or to
                         * reach the host (systemctl): said, as a start
                         * that now fails would be this command's */
                        if (k <= 1 && strv_appendf(notes, "%s=%s: runs in the sandbox as the service does, with its user, "
                                                   "capabilities and filter; if it needs more, the start fails: take "
                                                   "it out of the profile", kinds[k].setting,
                                                   kinds[k].commands->items[i].path) < 0)
                                return -ENOMEM;
                }
        return 0;
}
