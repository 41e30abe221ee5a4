/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The unit's commands that run while the service does: each joins the
 * running sandbox (sandbox-helper --join), so that it has the service's
 * namespaces, cgroups, user, capabilities, seccomp filter, Landlock
 * domain and label, no more. The pre-start commands are the helper's
 * own (--exec-start-pre, compile-helper.c): there is nothing to join yet.
 */
#include "buffer.h"
#include "compile.h"
#include "strv.h"
#include "unit-escape.h"

static const char *const hook_keys[_HOOK_KIND_MAX] = {
        [HOOK_START_POST] = "ExecStartPost",
        [HOOK_RELOAD] = "ExecReload",
        [HOOK_STOP] = "ExecStop",
};

/* Every word is escaped, "$" as "$$": systemd would expand $MAINPID to
 * the helper's PID on the host, which names nothing in the sandbox. The
 * join sets MAINPID to the service's PID there, and expands $MAINPID and
 * ${MAINPID} in the words itself (--unit-command). */
void compile_hook_lines(const Profile *p, const char *helper_path, Buffer *b) {
        for (size_t i = 0; i < p->n_hooks; i++) {
                const ProfileHook *h = &p->hooks[i];

                if (!hook_keys[h->kind])
                        continue;
                buffer_printf(b, "%s=%s", hook_keys[h->kind], h->ignore_failure ? "-" : "");
                unit_append_word(b, helper_path, UNIT_QUOTE_EXEC);
                buffer_append(b, " --join=");
                unit_append_word(b, p->name, UNIT_QUOTE_EXEC);
                buffer_append(b, " --unit-command --");
                STRV_FOREACH(a, h->argv) {
                        buffer_append_char(b, ' ');
                        unit_append_word(b, *a, UNIT_QUOTE_EXEC);
                }
                buffer_append_char(b, '\n');
        }
}
