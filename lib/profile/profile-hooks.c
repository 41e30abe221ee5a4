/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <exec-start-pre>, <exec-start-post>, <exec-reload> and <exec-stop>:
 * the unit's other commands. Each is a command line of <arg>s, as
 * <exec>'s, run in the sandbox with the service's confinement: the
 * pre-start ones by the sandbox itself before the service executes, the
 * others by the drop-in through sandbox-helper --join.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile-limits.h"
#include "profile-parse.h"
#include "strv.h"

/* more would be a mistake, not a service */
#define HOOKS_MAX 64
/* within the kernel's MAX_ARG_STRLEN with the option's name */
#define HOOK_BYTES_MAX (EXEC_STRING_MAX - 64)

static const char *const hook_kinds[_HOOK_KIND_MAX] = {
        [HOOK_START_PRE] = "exec-start-pre",
        [HOOK_START_POST] = "exec-start-post",
        [HOOK_RELOAD] = "exec-reload",
        [HOOK_STOP] = "exec-stop",
};

const char *hook_kind_to_string(HookKind k) {
        return k >= 0 && k < _HOOK_KIND_MAX ? hook_kinds[k] : NULL;
}

int hook_kind_from_string(const char *s) {
        for (int k = 0; k < _HOOK_KIND_MAX; k++)
                if (s && streq(s, hook_kinds[k]))
                        return k;
        return -1;
}

void profile_hooks_free(ProfileHook *hooks, size_t n) {
        for (size_t i = 0; i < n; i++)
                strv_free(hooks[i].argv);
        free(hooks);
}

bool profile_parse_hook(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_strv_free_ char **argv = NULL;
        ProfileHook *h;
        int kind;

        if (n->type != XML_ELEMENT_NODE || n->ns || (kind = hook_kind_from_string((const char *) n->name)) < 0)
                return false;
        for (xmlNodePtr k = n->children; k; k = k->next) {
                _cleanup_free_ char *a = NULL;

                if (!is(k, "arg") || !(a = text_of(k)))
                        continue;
                /* as <exec>'s: the command an absolute path, looked up
                 * nowhere; every argument one line of a unit file */
                if (!argv && (a[0] != '/' || !path_is_normalized_absolute(a))) {
                        problem(c, k, "the command \"%s\" must be " PATH_RULE, a);
                        return true;
                }
                if (strchr(a, '\n') || strchr(a, '\r')) {
                        problem(c, k, "argument contains a line break; allowed: any text on one line");
                        return true;
                }
                if (strv_consume(&argv, TAKE_PTR(a)) < 0) {
                        c->diags->error = -ENOMEM;
                        return true;
                }
        }
        /* none: the schema has said so */
        if (!argv)
                return true;
        /* a pre-start command is one argument of the helper's, each
         * ":" and "\\" escaped: bounded as one, so that a valid profile
         * does not fail its execve() with E2BIG */
        size_t bytes = 0;
        STRV_FOREACH(a, argv)
                bytes += 2 * strlen(*a) + 1;
        if (bytes > HOOK_BYTES_MAX) {
                problem(c, n, "the command line comes to %zu bytes (escaped); allowed: at most %d", bytes, HOOK_BYTES_MAX);
                return true;
        }
        if (p->n_hooks >= HOOKS_MAX) {
                problem(c, n, "more than %d commands of <exec-start-pre>, <exec-start-post>, <exec-reload> and "
                        "<exec-stop> together", HOOKS_MAX);
                return true;
        }
        h = reallocarray(p->hooks, p->n_hooks + 1, sizeof(*h));
        if (!h) {
                c->diags->error = -ENOMEM;
                return true;
        }
        p->hooks = h;
        p->hooks[p->n_hooks++] = (ProfileHook) {
                .kind = (HookKind) kind,
                .argv = TAKE_PTR(argv),
                .ignore_failure = yes(n, "ignore-failure", false),
                .origin = { c->file, line_of(n) },
        };
        return true;
}
